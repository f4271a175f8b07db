"""Offline over HTTP: the service worker precaches the build, serves every page
(even never opened) and the search with the network gone, falls back to the
offline page, and replaces a build's cache as a whole."""

from __future__ import annotations

import shutil
from pathlib import Path

from browser_helpers import cache_state, page_types, paused_clock, stylesheet_applied, wait_for, wait_for_precache
from conftest import TEST_ARTICLES, build_site_into


def go_offline(context, server) -> None:  # type: ignore[no-untyped-def]
    server.stop()  # the network really drops (the worker's own fetches fail too)
    context.set_offline(True)


def test_offline_every_page_and_search_after_first_visit(context, site, make_server, page_errors):
    srv = make_server(site.root)
    page = page_errors.attach(context.new_page())
    page.goto(srv.url("index.html"))
    state = wait_for_precache(page, site.manifest)
    assert state["count"] == len(site.manifest["files"])
    assert len(state["names"]) == 1, state["names"]  # one build, one cache
    assert not site.manifest["overBudget"]

    go_offline(context, srv)
    types = page_types(site.root)
    for name in ("article", "plan", "service", "province-former", "level", "free-page", "404"):
        response = page.goto(srv.url(types[name]))
        assert response is not None and response.ok, name
        assert page.locator("h1").first.inner_text().strip(), name
        assert stylesheet_applied(page), name
    # the folder URL of a page (canonical form) is answered too
    page.goto(srv.url("tinh/ca-mau/"))
    assert "Cà Mau" in page.locator("h1").inner_text()
    assert stylesheet_applied(page)

    # search, offline, on a never-opened search page
    page.goto(srv.url("tim-kiem/index.html?q=dang+ky&tinh=ha-giang&loai=article"))
    results = page.locator("#search-results li")
    results.first.wait_for()
    assert "Đăng ký kinh doanh" in results.first.inner_text()

    # a page that is not part of the build → the offline page, styled, with "Thử lại"
    page.goto(srv.url("khong-co-trang-nay/index.html"))
    assert page.url.startswith(srv.url("offline.html"))
    assert "không có mạng" in page.locator("h1").inner_text()
    assert stylesheet_applied(page)
    retry = page.locator("#offline-retry")
    assert retry.is_visible()
    assert retry.get_attribute("href") == "khong-co-trang-nay/index.html"
    page.goto(srv.url("offline.html"))  # opened as it is: nothing to retry
    assert page.locator("#offline-retry").is_hidden()
    assert not [e for e in page_errors.items if "CSP" in e or "pageerror" in e]


def test_budget_shell_for_visitors_everything_for_kiosk(browser, small_budget_site, make_server):
    manifest = small_budget_site.manifest
    assert manifest["overBudget"]
    shell = [f[0] for f in manifest["files"] if f[3]]
    assert "index.html" in shell and "tim-kiem/index.html" in shell and "dich-vu-cong/muc-do-3/index.html" in shell
    assert any(p.startswith("assets/search-data.") for p in shell)
    assert not any(p.startswith("tin-tuc/") for p in shell)
    srv = make_server(small_budget_site.root)
    types = page_types(small_budget_site.root)

    visitor = browser.new_context()
    try:
        page = visitor.new_page()
        page.goto(srv.url("index.html"))
        wait_for_precache(page, manifest, expected=len(shell))
        page.goto(srv.url(types["plan"]))  # visited → kept for offline
        wait_for(lambda: cache_state(page, manifest["version"])["count"] == len(shell) + 1, what="visited page cached")
        assert cache_state(page, manifest["version"])["count"] == len(shell) + 1
        visitor.set_offline(True)
        page.goto(srv.url(types["plan"]))
        assert stylesheet_applied(page) and "offline" not in page.url
        page.goto(srv.url(types["article"]))  # never visited, not in the shell
        assert page.url.startswith(srv.url("offline.html"))
        page.goto(srv.url("dich-vu-cong/muc-do-4/index.html"))
        assert stylesheet_applied(page) and "offline" not in page.url
    finally:
        visitor.close()

    kiosk = browser.new_context()
    try:
        page = kiosk.new_page()
        page.goto(srv.url("index.html?kiosk=1"))
        wait_for_precache(page, manifest)  # everything, whatever the budget
        srv.stop()
        kiosk.set_offline(True)
        page.goto(srv.url(types["article"]))
        assert stylesheet_applied(page) and "offline" not in page.url
    finally:
        kiosk.close()


def deploy(target: Path, source: Path) -> None:
    """Replace the served folder's content with another build (as a deployment does)."""
    for child in target.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(source, target, dirs_exist_ok=True)


def test_new_deployment_replaces_cache_whole_at_kiosk_reset(context, site, make_server, tmp_path):
    """Kiosk tab never closes: the waiting worker of a new deployment takes over at the idle reset."""
    served = tmp_path / "served"
    shutil.copytree(site.root, served)
    srv = make_server(served)
    page = context.new_page()
    page.goto(srv.url("tin-tuc/index.html?kiosk=1"))
    wait_for_precache(page, site.manifest)
    page.goto(srv.url("tin-tuc/index.html?kiosk=0"))  # no idle timer while the deployment is prepared

    extra = dict(TEST_ARTICLES)
    extra["content/articles/kiem-thu/moi.md"] = (
        "---\ntitle: Tin thử D của bản triển khai mới\ndate: 2024-03-04\nprovince: ha-giang\n---\nBản mới.\n"
    )
    new = build_site_into(tmp_path / "v2", {"kiosk": {"idle_seconds": 2, "countdown_seconds": 20}}, extra)
    assert new.manifest["version"] != site.manifest["version"]
    deploy(served, new.root)

    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    wait_for(
        lambda: page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r.waiting)"),
        what="new worker installed and waiting",
    )
    names = cache_state(page, new.manifest["version"])
    assert names["count"] == len(new.manifest["files"])  # complete before it may take over
    assert len(names["names"]) == 2  # old still serves this tab, new one waits: never mixed
    assert "Tin thử D" not in page.content()  # the tab still shows the old build

    paused_clock(page)
    page.goto(srv.url("tin-tuc/index.html?kiosk=1"))  # still the old build: the new worker waits
    assert "Tin thử D" not in page.content()
    page.clock.run_for(2_500)  # idle (2 s) → countdown opens at t = 2 s
    assert page.locator("#kiosk-idle").is_visible()
    page.clock.run_for(19_000)
    assert page.locator("#kiosk-idle-count").inner_text() == "1"
    # countdown over at t = 22 s → the waiting worker is told to take over, then home
    # (stop the fake clock right there: the worker's activation takes real time)
    page.clock.run_for(1_000)
    page.wait_for_url(srv.url("index.html"))
    state = wait_for(
        lambda: (lambda s: s if len(s["names"]) == 1 else None)(cache_state(page, new.manifest["version"])),
        what="old cache deleted",
    )
    assert state["count"] == len(new.manifest["files"])
    srv.stop()
    context.set_offline(True)
    page.goto(srv.url("tin-tuc/moi/index.html"))  # a page only the new build has
    assert page.locator("h1").inner_text() == "Tin thử D của bản triển khai mới"
    assert stylesheet_applied(page)
