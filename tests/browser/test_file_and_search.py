"""From disk (file://): every page reachable from the home page loads with its
stylesheet; the search answers without diacritics, from disk and over HTTP."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_helpers import stylesheet_applied

LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


def test_file_walk_every_link_from_home(context, site, page_errors):
    page = page_errors.attach(context.new_page())
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    root = site.root.resolve()
    start = site.url("index.html")
    queue, seen, files = [start], {start}, set()
    while queue:
        url = queue.pop()
        response = page.goto(url)
        assert response is None or response.ok, url
        assert stylesheet_applied(page), f"stylesheet not applied on {url}"
        assert page.locator("html").get_attribute("lang") == "vi", url
        for href in page.evaluate(LINKS):
            parts = urlsplit(href)
            if parts.scheme != "file":
                continue
            target = Path(unquote(parts.path))
            assert target.exists(), f"{url} links to missing {target}"
            assert root in target.resolve().parents or target.resolve() == root, href
            if target.is_dir():
                pytest.fail(f"{url} links to a folder (file:// shows a listing): {href}")
            clean = target.as_uri()
            if target.suffix == ".html" and clean not in seen:
                seen.add(clean)
                queue.append(clean)
            else:
                files.add(clean)
    every_page = {(site.root / p).resolve().as_uri() for p in site.pages()}
    unreached = sorted(every_page - {Path(unquote(urlsplit(u).path)).resolve().as_uri() for u in seen})
    # only pages nothing links to on purpose: the fallbacks
    assert unreached == [(root / "404.html").as_uri(), (root / "offline.html").as_uri()], unreached
    assert not failed, failed
    assert not page_errors.items, page_errors.items


QUERIES = [
    # (query, titles that must be among the results)
    ("cai cach hanh chinh", ["Tin thử B về đẩy mạnh cải cách hành chính", "Tin thử A về hội nghị CCHC cấp xã"]),
    ("Cải Cách", ["Tin thử B về đẩy mạnh cải cách hành chính"]),
    ("CAI CACH", ["Tin thử B về đẩy mạnh cải cách hành chính"]),
    ("dang ky", ["Tin thử C về Đăng ký kinh doanh qua mạng"]),
    ("CCHC", ["Tin thử A về hội nghị CCHC cấp xã", "Tin thử B về đẩy mạnh cải cách hành chính"]),
]


def result_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.locator("#search-status").filter(has_text="kết quả").wait_for()
    return [t.strip() for t in page.locator("#search-results li h2").all_inner_texts()]


@pytest.mark.parametrize("where", ["file", "http"])
def test_search_without_diacritics_and_abbreviations(context, site, server, where, page_errors):
    page = page_errors.attach(context.new_page())
    base = site.url("tim-kiem/index.html") if where == "file" else server.url("tim-kiem/index.html")
    for query, expected in QUERIES:
        # the test articles live in Hà Giang (a former province the sample does not use)
        page.goto(f"{base}?q={query.replace(' ', '+')}&tinh=ha-giang&loai=article")
        titles = result_titles(page)
        for title in expected:
            assert title in titles, (where, query, titles)
    # the whole site, typed with a plain ASCII keyboard, no filters
    page.goto(base)
    page.locator("#search-q").click()
    page.keyboard.type("cai cach hanh chinh")
    page.keyboard.press("Enter")
    titles = result_titles(page)
    assert len(titles) >= 3
    assert "q=cai+cach+hanh+chinh" in page.url  # the query lives in the URL
    marks = page.locator("#search-results mark").all_inner_texts()
    assert any(m.lower() in ("cải", "cách", "hành", "chính") for m in marks), marks
    assert not page_errors.items, page_errors.items
