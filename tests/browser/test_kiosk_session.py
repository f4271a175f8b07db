"""A kiosk reset is a session boundary: after it, neither the kiosk's Back button nor the
browser's own history shows a page, a search or a typed word of the previous citizen."""

from __future__ import annotations

import pytest
from browser_helpers import page_types, paused_clock, wait_for


def _settled(page) -> bool:  # type: ignore[no-untyped-def]
    """Loaded and not on its way elsewhere (a navigation in progress counts as not yet)."""
    try:
        return bool(
            page.evaluate(
                "document.readyState === 'complete' && !document.documentElement.classList.contains('kiosk-stale')"
            )
        )
    except Exception:  # the page is being replaced: its context is gone
        return False


def _reset(page, url) -> None:  # type: ignore[no-untyped-def]
    """Leave the kiosk untouched until the countdown ends (idle 2 s + countdown 20 s)."""
    page.clock.run_for(2_100)
    assert page.locator("#kiosk-idle").is_visible()
    text = page.locator("#kiosk-idle-text").inner_text()
    assert "bắt đầu lại" in text and "xoá" in text  # the dialog says the page will start over
    page.clock.run_for(21_000)
    page.wait_for_url(url("index.html") + "*")


@pytest.mark.parametrize("where", ["file", "http"])
def test_after_a_reset_history_never_reaches_the_previous_session(context, site, server, where, page_errors):  # type: ignore[no-untyped-def]
    url = site.url if where == "file" else server.url
    types = page_types(site.root)
    page = page_errors.attach(context.new_page())
    paused_clock(page)
    page.goto(url("index.html") + "?kiosk=1")
    page.goto(url(types["article"]))
    page.goto(url(types["service"]))
    page.goto(url("tim-kiem/index.html"))
    page.locator("#search-q").fill("khai sinh")
    page.locator("#search-q").press("Enter")
    wait_for(lambda: page.evaluate("location.search.indexOf('khai') >= 0"), what="the search in the address")
    page.evaluate("sessionStorage.setItem('citizen', 'A')")

    _reset(page, url)
    assert page.evaluate("sessionStorage.getItem('citizen')") is None  # per-session storage cleared
    assert page.locator("#kiosk-back").is_disabled()  # the new session's first page: no Back
    page.locator("#kiosk-back").click(force=True)
    assert page.url.split("?")[0] == url("index.html")

    steps = 0
    while steps < 6 and page.go_back() is not None:  # the browser's own Back, step after step
        steps += 1
        wait_for(lambda: _settled(page), what="the home page")
        assert page.url.split("?")[0] == url("index.html"), page.url  # never a page of citizen A
        assert page.locator("#home-q").input_value() == ""
    assert steps >= 3  # the previous session's pages were there to go back to
    assert not page_errors.items, page_errors.items


def test_back_within_a_session_still_works(context, site, page_errors):  # type: ignore[no-untyped-def]
    types = page_types(site.root)
    page = page_errors.attach(context.new_page())
    page.goto(site.url(types["article"]) + "?kiosk=1")
    page.goto(site.url(types["plan"]))
    assert page.locator("#kiosk-back").is_enabled()
    page.locator("#kiosk-back").click()
    page.wait_for_url(site.url(types["article"]) + "?kiosk=1")
    assert page.locator("h1").first.is_visible()
