"""Chromium's own check: the site can be installed as an app (DevTools protocol).

Playwright's ordinary contexts are incognito, where Chromium never offers an
install; this test uses a real (persistent, temporary) profile instead."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import CHROMIUM, LAUNCH_ARGS


def test_chromium_finds_no_installability_errors(server, playwright_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = playwright_session.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=LAUNCH_ARGS, locale="vi-VN"
    )
    try:
        page = context.new_page()
        page.goto(server.url("index.html"))
        cdp = context.new_cdp_session(page)
        errors = None
        for _ in range(60):  # the manifest, its icons and the service worker come after load
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            if not errors:
                break
            time.sleep(0.25)
        assert errors == [], errors
        manifest = cdp.send("Page.getAppManifest")
        assert not manifest.get("errors"), manifest.get("errors")
    finally:
        context.close()
