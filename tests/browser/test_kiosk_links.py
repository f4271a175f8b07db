"""In kiosk mode a link to another site never leaves the kiosk: it opens a dialog with the
full address and a QR code of it (which decodes back to the address); the page stays.
Outside kiosk mode links behave as links."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from browser_helpers import page_types


def _decode(png: Path) -> str:
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbar-tools is installed by scripts/test"
    out = subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=30)
    return out.stdout.strip()


@pytest.mark.parametrize("where", ["file", "http"])
def test_an_external_link_opens_the_address_and_its_qr_code(
    context, site, server, where, page_errors, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = site.url if where == "file" else server.url
    types = page_types(site.root)
    page = page_errors.attach(context.new_page())
    left: list[str] = []
    page.on("request", lambda r: left.append(r.url) if r.url.startswith("https://") else None)
    page.goto(url(types["service"]) + "?kiosk=1")
    here = page.url
    link = page.locator("a.portal-link")
    target = link.get_attribute("href")
    assert target and target.startswith("https://")
    link.click()
    dialog = page.locator("#kiosk-away")
    assert dialog.is_visible() and page.get_by_role("dialog").is_visible()
    assert page.locator("#kiosk-away-url").inner_text() == target
    page.locator("#kiosk-away-qr svg").wait_for()
    page.locator("#kiosk-away-qr svg").screenshot(path=str(tmp_path / "qr.png"))
    assert _decode(tmp_path / "qr.png") == target  # a phone reads the same address
    assert page.url == here and left == []  # the kiosk stayed, nothing was asked of the other site
    assert page.evaluate("document.activeElement.id") == "kiosk-away-close"
    page.get_by_role("button", name="Đóng").click()
    assert dialog.is_hidden() and page.locator("main").get_attribute("inert") is None
    link.click()
    page.keyboard.press("Escape")
    assert dialog.is_hidden()
    assert not page_errors.items, page_errors.items


def test_outside_kiosk_mode_an_external_link_is_a_link(context, site, server) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.route("https://**/*", lambda route: route.fulfill(body="<title>portal</title>ok", content_type="text/html"))
    page.goto(server.url(page_types(site.root)["service"]) + "?kiosk=0")
    link = page.locator("a.portal-link")
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(target)
    assert page.title() == "portal"
