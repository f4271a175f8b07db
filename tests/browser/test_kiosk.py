"""Kiosk mode (SPEC §8): switched per device by ?kiosk=1 / ?kiosk=0, Home and
Back buttons, larger text, idle reset announced by a ≥ 20 s countdown that
"Tiếp tục" cancels. From disk: the flag lives in localStorage, no server."""

from __future__ import annotations

import pytest
from browser_helpers import page_types, paused_clock, wait_for


def font_size(page) -> float:  # type: ignore[no-untyped-def]
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


@pytest.mark.parametrize("where", ["file", "http"])
def test_kiosk_flag_per_device(context, site, server, where, page_errors):
    url = site.url if where == "file" else server.url
    types = page_types(site.root)
    page = page_errors.attach(context.new_page())
    page.goto(url(types["article"]))
    normal = font_size(page)
    assert not page.locator("#kiosk-bar").is_visible()

    page.goto(url(types["article"]) + "?kiosk=1")
    assert "kiosk" in page.locator("html").get_attribute("class").split()
    assert font_size(page) >= normal * 1.2  # larger text
    bar = page.locator("#kiosk-bar")
    assert bar.is_visible()
    assert bar.get_by_role("link", name="Trang chủ").is_visible()
    assert bar.get_by_role("button", name="Quay lại").is_visible()

    page.goto(url(types["service"]))  # no parameter: the device remembers
    assert page.locator("#kiosk-bar").is_visible()
    page.locator("#kiosk-back").click()  # Back returns to the previous page
    page.wait_for_url(url(types["article"]) + "?kiosk=1")
    page.locator("#kiosk-bar").get_by_role("link", name="Trang chủ").click()
    page.wait_for_url(url("index.html"))
    assert page.locator("h1").first.is_visible()

    page.goto(url("tinh/index.html?kiosk=0"))
    assert not page.locator("#kiosk-bar").is_visible()
    page.goto(url(types["plan"]))
    assert "kiosk" not in (page.locator("html").get_attribute("class") or "")
    assert not page_errors.items, page_errors.items


def test_kiosk_idle_countdown_and_reset(context, site, page_errors):
    """Built with kiosk.idle_seconds: 2 and countdown_seconds: 20; time runs on Playwright's clock."""
    types = page_types(site.root)
    page = page_errors.attach(context.new_page())
    paused_clock(page)
    page.goto(site.url(types["article"]) + "?kiosk=1")
    dialog = page.locator("#kiosk-idle")
    assert dialog.is_hidden()

    page.clock.run_for(1_500)
    assert dialog.is_hidden()
    page.mouse.wheel(0, 300)  # scrolling is activity: the idle time starts again
    # polled through evaluate (DevTools): wait_for_function would poll with eval, which the CSP forbids
    wait_for(lambda: page.evaluate("window.scrollY > 0"), what="the scroll")
    page.clock.run_for(1_500)
    assert dialog.is_hidden()
    page.clock.run_for(1_000)
    assert dialog.is_visible()  # 2 s without touch
    assert page.get_by_role("alertdialog").is_visible()
    assert page.locator("#kiosk-idle-count").inner_text() == "20"
    assert page.evaluate("document.activeElement.id") == "kiosk-continue"  # focus moved to the button
    assert page.locator("main").get_attribute("inert") is not None  # the page behind is inert

    page.clock.run_for(10_000)
    assert page.locator("#kiosk-idle-count").inner_text() == "10"
    page.get_by_role("button", name="Tiếp tục").click()  # cancels: the visitor stays
    assert dialog.is_hidden()
    assert page.locator("main").get_attribute("inert") is None
    assert "tin-tuc/" in page.url

    page.clock.run_for(2_100)
    assert dialog.is_visible()  # idle again → a fresh countdown of the full length
    assert page.locator("#kiosk-idle-count").inner_text() == "20"
    page.clock.run_for(19_000)
    assert dialog.is_visible() and "tin-tuc/" in page.url  # at least 20 s to react
    page.clock.run_for(1_500)
    page.wait_for_url(site.url("index.html"))  # reset to the home page, still in kiosk mode
    assert page.locator("#kiosk-bar").is_visible()

    page.clock.run_for(5_000)  # an untouched home page at the top: nothing to reset, no countdown
    assert dialog.is_hidden()
    page.locator("#home-q").fill("dang ky")  # someone typed and walked away
    page.clock.run_for(2_100)
    assert dialog.is_visible()
    assert not page_errors.items, page_errors.items


def test_kiosk_touch_only(context, site, page_errors):
    """Everything but search works with touches alone: no keyboard needed."""
    ctx = context.browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True)
    try:
        page = page_errors.attach(ctx.new_page())
        page.goto(site.url("index.html?kiosk=1"))
        page.locator(".card-primary").tap()
        page.wait_for_url("**/dich-vu-cong/index.html")
        page.locator("#kiosk-back").tap()
        page.wait_for_url(site.url("index.html?kiosk=1"))
        page.locator(".site-nav a", has_text="Tìm kiếm").tap()
        page.wait_for_url("**/tim-kiem/index.html")
        assert not page_errors.items, page_errors.items
    finally:
        ctx.close()
