"""Every link, button and field that stands alone is at least 48 × 48 px on every page
type at kiosk and phone sizes; links inside running text (an article's paragraphs) keep
the line height (WCAG 2.5.8 exempts them). Search results are measured after a search."""

from __future__ import annotations

import pytest
from browser_helpers import page_types

SMALL = """() => {
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary, textarea')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.classList.contains('skip-link') && r.left < 0) continue;  // off screen until focused
    if (el.closest('.body p, .body li, .body td, .body blockquote')) continue;  // running text
    if (r.width < 47.5 || r.height < 47.5) out.push(`${el.tagName} "${(el.textContent || el.value || '').trim().slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return out;
}"""


@pytest.mark.parametrize(
    "size", [(390, 844), (1080, 1920), (1920, 1080)], ids=["phone", "kiosk-portrait", "kiosk-landscape"]
)
def test_touch_targets_are_at_least_48_px(context, site, size) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    types = page_types(site.root)
    problems = []
    for kind, rel in sorted(
        {
            **types,
            "home": "index.html",
            "provinces": "tinh/index.html",
            "plans": "ke-hoach/index.html",
            "news": "tin-tuc/index.html",
            "services": "dich-vu-cong/index.html",
        }.items()
    ):
        page.goto(site.url(rel))
        problems += [f"{kind}: {p}" for p in page.evaluate(SMALL)]
    page.goto(site.url("tim-kiem/index.html") + "?q=dang+ky")
    page.locator(".search-result").first.wait_for()
    problems += [f"search results: {p}" for p in page.evaluate(SMALL)]
    assert not problems, problems
