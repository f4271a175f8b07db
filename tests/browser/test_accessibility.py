"""WCAG 2.2 A/AA with axe-core on every page type, touch targets ≥ 48×48 CSS px,
skip link, landmarks, visible focus, lang="vi"; CSP: no inline code and no
violation in the console, from disk and over HTTP."""

from __future__ import annotations

import html
import re

import pytest
from browser_helpers import page_types

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_PAGES = [
    "home",
    "provinces",
    "province-current",
    "province-former",
    "article",
    "plan",
    "services",
    "level",
    "service",
    "search",
    "404",
    "offline",
    "news",
    "free-page",
]


@pytest.fixture(scope="module")
def axe():  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_violations(axe, page) -> list[str]:  # type: ignore[no-untyped-def]
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    assert len(results.response["passes"]) > 10  # axe really ran its rules here
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def wait_ready(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if name == "search":
        page.locator("#search-results li").first.wait_for()


@pytest.mark.parametrize("kiosk", [False, True], ids=["normal", "kiosk"])
def test_axe_wcag22_aa_every_page_type(context, site, server, axe, kiosk):
    types = page_types(site.root)
    page = context.new_page()
    if kiosk:
        page.goto(server.url("index.html?kiosk=1"))
    problems = {}
    for name in AXE_PAGES:
        page.goto(server.url(types[name]))
        wait_ready(page, name)
        found = axe_violations(axe, page)
        if found:
            problems[name] = found
    assert not problems, problems


def test_axe_kiosk_countdown_dialog(context, site, axe):
    from browser_helpers import paused_clock

    page = context.new_page()
    paused_clock(page)
    page.goto(site.url(page_types(site.root)["service"]) + "?kiosk=1")
    page.clock.run_for(2_100)
    assert page.locator("#kiosk-idle").is_visible()
    page.clock.resume()  # axe-core needs running timers; the countdown has 20 s left
    assert not axe_violations(axe, page)


TARGETS = """() => {
  const sel = 'header a, nav a, footer a, button, .button, input:not([type=hidden]), select, summary';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    out.push({what: el.outerHTML.slice(0, 90), w: r.width, h: r.height});
  }
  return out;
}"""

VIEWPORTS = {"kiosk-portrait": (1080, 1920), "landscape": (1920, 1080), "phone": (390, 844)}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_touch_targets_at_least_48px(browser, site, server, viewport):
    width, height = VIEWPORTS[viewport]
    ctx = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = ctx.new_page()
        types = page_types(site.root)
        small, measured = [], 0
        for kiosk in ("0", "1"):
            page.goto(server.url(f"index.html?kiosk={kiosk}"))
            for name in ("home", "provinces", "article", "plan", "services", "service", "level", "search", "404"):
                page.goto(server.url(types[name]))
                wait_ready(page, name)
                for t in page.evaluate(TARGETS):
                    measured += 1
                    if t["w"] < 47.5 or t["h"] < 47.5:
                        small.append((kiosk, name, round(t["w"]), round(t["h"]), t["what"]))
        assert measured > 150, measured
        assert not small, small
    finally:
        ctx.close()


def test_skip_link_landmarks_focus_lang(context, site, server):
    page = context.new_page()
    page.goto(server.url(page_types(site.root)["article"]))
    assert page.locator("html").get_attribute("lang") == "vi"
    for role in ("banner", "navigation", "main", "contentinfo"):
        assert page.get_by_role(role).count() >= 1, role
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] >= 48 and box["height"] >= 48
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the main content, with a visible focus ring
    focused = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [document.activeElement.closest('main') !== null, s.outlineStyle, s.outlineWidth]; }""")
    assert focused[0] and focused[1] != "none" and focused[2] != "0px", focused


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_inline_code_and_csp_meta_everywhere(site):
    problems = []
    for rel in site.pages():
        text = (site.root / rel).read_text(encoding="utf-8")
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', text)
        policy = html.unescape(meta.group(1)) if meta else ""
        if not all(
            d in policy
            for d in (
                "default-src 'self'",
                "img-src 'self' data:",
                "object-src 'none'",
                "base-uri 'none'",
                "script-src 'self'",
                "style-src 'self'",
            )
        ):
            problems.append((rel, "no CSP meta"))
        for pattern, what in INLINE:
            body = re.sub(r"<svg.*?</svg>", "", text, flags=re.S)  # QR codes: presentation attributes only
            if pattern.search(body):
                problems.append((rel, what, pattern.search(body).group(0)))
    assert not problems, problems[:20]


@pytest.mark.parametrize("where", ["file", "http"])
def test_no_csp_violation_or_console_error(context, site, server, where, page_errors):
    page = page_errors.attach(context.new_page())
    url = site.url if where == "file" else server.url
    types = page_types(site.root)
    for kiosk in ("0", "1"):
        page.goto(url(f"index.html?kiosk={kiosk}"))
        for name, rel in types.items():
            page.goto(url(rel))
            wait_ready(page, name)
    assert not page_errors.items, page_errors.items


def test_reflow_at_400_percent_zoom_no_horizontal_scroll(browser, site, server):
    """1280 px at 400 % zoom = 320 CSS px (WCAG 1.4.10); 200 % zoom is comfortably inside that."""
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = ctx.new_page()
        wide = []
        for kiosk in ("0", "1"):
            page.goto(server.url(f"index.html?kiosk={kiosk}"))
            for name, rel in page_types(site.root).items():
                page.goto(server.url(rel))
                wait_ready(page, name)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 320:
                    wide.append((kiosk, name, width))
        assert not wide, wide
    finally:
        ctx.close()
