"""Screenshots for a human look, each checked for no sideways scrolling: set CCHC_SCREENSHOTS=<folder>.

CCHC_SCREENSHOTS=/tmp/shots pytest tests/browser/test_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_helpers import page_types

VIEWPORTS = {"1080x1920": (1080, 1920), "1920x1080": (1920, 1080), "390x844": (390, 844)}
PAGES = ("home", "article", "service", "services", "search", "province-former", "offline")


@pytest.mark.skipif(not os.environ.get("CCHC_SCREENSHOTS"), reason="set CCHC_SCREENSHOTS=<folder> to take them")
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_screenshots(browser, site, server, viewport):
    out = Path(os.environ["CCHC_SCREENSHOTS"])
    out.mkdir(parents=True, exist_ok=True)
    width, height = VIEWPORTS[viewport]
    types = page_types(site.root)
    for kiosk in ("0", "1"):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        try:
            page = ctx.new_page()
            page.clock.install(time=1_800_000_000)
            page.clock.pause_at(1_800_000_001)  # no idle countdown in the pictures
            page.goto(server.url(f"index.html?kiosk={kiosk}"))
            for name in PAGES:
                page.goto(server.url(types[name]))
                if name == "search":
                    page.locator("#search-results li").first.wait_for()
                mode = "kiosk" if kiosk == "1" else "normal"
                shot = out / f"{viewport}-{mode}-{name}.png"
                page.screenshot(path=str(shot))
                assert shot.stat().st_size > 5_000, shot  # a real picture, not a blank page
                overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{name} at {viewport} ({mode}) scrolls sideways by {overflow}px"
            if kiosk == "1":
                page.clock.run_for(2_100)
                page.screenshot(path=str(out / f"{viewport}-kiosk-countdown.png"))
        finally:
            ctx.close()
