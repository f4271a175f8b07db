"""Page weight (issue 4 §7), measured in the browser over HTTP and reported:
an article page with its CSS and JS (not the search data) ≤ 60 KB, the home
page with everything it loads ≤ 80 KB, uncompressed. Also reports the
precache size (what a kiosk downloads on its first visit)."""

from __future__ import annotations

from browser_helpers import page_types

ARTICLE_BUDGET = 60 * 1024
HOME_BUDGET = 80 * 1024


def weigh(context, url: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Bytes of every response the page loads (bodies, uncompressed), by URL tail."""
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on(
        "requestfinished",
        lambda r: sizes.__setitem__(
            r.url.rsplit("/", 2)[-2] + "/" + r.url.rsplit("/", 1)[-1], len(r.response().body())
        ),
    )
    page.goto(url, wait_until="networkidle")
    page.close()
    return sizes


def test_page_weight(browser, site, server, capsys):
    # a fresh context without a service worker: what the network delivers to a first-time reader
    ctx = browser.new_context(service_workers="block")
    try:
        types = page_types(site.root)
        article = weigh(ctx, server.url(types["article"]))
        home = weigh(ctx, server.url("index.html"))
        service = weigh(ctx, server.url(types["service"]))
    finally:
        ctx.close()
    files = site.manifest["files"]
    report = [
        f"article page + CSS + JS: {sum(article.values()) / 1024:.1f} KB "
        + ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(article.items())),
        f"home page + CSS + JS:    {sum(home.values()) / 1024:.1f} KB",
        f"service page (QR code):  {sum(service.values()) / 1024:.1f} KB",
        f"precache: {len(files)} files, {site.manifest['bytes'] / 1e6:.2f} MB "
        f"(budget {site.manifest['budget'] / 1e6:.0f} MB; over budget: {site.manifest['overBudget']})",
    ]
    with capsys.disabled():
        print("\n[page weight] " + "\n[page weight] ".join(report))
    assert not any("search-data" in k for k in article)
    assert sum(article.values()) <= ARTICLE_BUDGET, report
    assert sum(home.values()) <= HOME_BUDGET, report
