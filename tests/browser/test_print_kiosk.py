"""A printout is the same A4 whatever the mode, and every page prints its address."""

from __future__ import annotations

import re

import pytest
from browser_helpers import page_types


def _pdf_pages(page) -> int:  # type: ignore[no-untyped-def]
    pdf = page.pdf(format="A4", print_background=False)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("kind", ["service", "article", "guide"])
def test_kiosk_mode_prints_the_same_pages_with_the_address(context, site, kind) -> None:  # type: ignore[no-untyped-def]
    rel = "dich-vu-cong/index.html" if kind == "guide" else page_types(site.root)[kind]
    page = context.new_page()
    page.goto(site.url(rel) + "?kiosk=0")
    plain = _pdf_pages(page)
    page.emulate_media(media="print")
    h1_plain = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    body_plain = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    address = page.locator(".print-source")
    assert address.count() == 1 and address.is_visible()
    assert "cchc" in address.inner_text() and rel.split("index.html")[0] in address.inner_text()
    page.emulate_media(media=None)  # back to the page's own media (pdf() prints with print styles)
    page.goto(site.url(rel) + "?kiosk=1")
    kiosk = _pdf_pages(page)
    page.emulate_media(media="print")
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)") == h1_plain
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == body_plain
    assert h1_plain > body_plain * 1.4  # headings keep their size against the text
    assert kiosk == plain, (kiosk, plain)
    page.evaluate("localStorage.clear()")
