"""Browser suite (SPEC §8): one built sample site, two local HTTP servers and one
headless Chromium per session.

Runs Debian's /usr/bin/chromium through Playwright (`executable_path`); no test
ever downloads a browser. Without that binary (or without playwright) every
test here is skipped. Run: ``pytest -m browser tests/browser``.

The site is the repository's sample content plus a few test articles in a
former province that the sample does not use (Hà Giang), so the search cases
can filter on it (?tinh=ha-giang) and get exact answers. It is built with
``kiosk.idle_seconds: 2`` so the kiosk reset can be tested (the countdown is
sped up with Playwright's clock, never shortened below 20 s).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import pytest
import yaml

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).resolve().parent

TEST_ARTICLES = {
    "content/articles/kiem-thu/viet-tat.md": """\
---
title: Tin thử A về hội nghị CCHC cấp xã
date: 2024-03-01
province: ha-giang
---
Hội nghị bàn về CCHC ở cấp xã, ghi lại ý kiến của người dân.
""",
    "content/articles/kiem-thu/day-du.md": """\
---
title: Tin thử B về đẩy mạnh cải cách hành chính
date: 2024-03-02
province: ha-giang
---
Tiếp tục đẩy mạnh cải cách hành chính ở cơ sở, lấy người dân làm trung tâm.
""",
    "content/articles/kiem-thu/dang-ky.md": """\
---
title: Tin thử C về Đăng ký kinh doanh qua mạng
date: 2024-03-03
province: ha-giang
---
Hướng dẫn hộ kinh doanh nộp hồ sơ qua mạng, không phải đến trụ sở.
""",
}
NOW = datetime.fromisoformat("2026-11-01T12:00:00+07:00")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright for Python is not installed"
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@dataclass(frozen=True)
class BuiltSite:
    root: Path  # the output folder
    manifest: Mapping[str, Any]  # self.CCHC_PRECACHE of the build

    def url(self, rel: str = "index.html") -> str:
        """file:// URL of a page; a query (?kiosk=1) is kept as a query."""
        path, sep, query = rel.partition("?")
        return (self.root / path).as_uri() + sep + query

    def pages(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))


def build_site_into(folder: Path, config: Mapping[str, Any], extra: Mapping[str, str]) -> BuiltSite:
    from cchc_site.build import build_site
    from cchc_site.config.settings import load_config
    from cchc_site.edges.writer import write_tree

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", folder / "content")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", folder / "templates")
    for rel, text in extra.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sample = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    sample.update(config)
    sample["output_dir"] = "output"
    (folder / "config.yaml").write_text(yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8")
    result = build_site(load_config(folder / "config.yaml", cwd=folder), now=NOW, cwd=folder)
    assert result.ok, [str(d) for d in result.diagnostics]
    out = folder / "output"
    write_tree(out, result.files, result.copies)
    script = next((out / "assets").glob("precache.*.js")).read_text(encoding="utf-8")
    manifest = json.loads(re.search(r"self\.CCHC_PRECACHE = (\{.*\});", script, re.S).group(1))
    return BuiltSite(out, manifest)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The sample site, kiosk idle after 2 s, within the offline budget."""
    return build_site_into(
        tmp_path_factory.mktemp("site"), {"kiosk": {"idle_seconds": 2, "countdown_seconds": 20}}, TEST_ARTICLES
    )


@pytest.fixture(scope="session")
def small_budget_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The same site with a 0.3 MB offline budget: ordinary visitors get the shell only."""
    return build_site_into(tmp_path_factory.mktemp("budget"), {"offline_budget_mb": 0.3}, TEST_ARTICLES)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class Server:
    """python's http.server on 127.0.0.1 in a thread; `stop()` is a network drop."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.running = True

    def url(self, rel: str = "index.html") -> str:
        return self.base + rel

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.httpd.shutdown()
            self.httpd.server_close()


@pytest.fixture(scope="session")
def server(site: BuiltSite) -> Iterator[Server]:
    s = Server(site.root)
    yield s
    s.stop()


@pytest.fixture
def make_server() -> Iterator[Callable[[Path], Server]]:
    """A server of its own for a test that drops the network (origins differ by port)."""
    made: list[Server] = []

    def factory(root: Path) -> Server:
        made.append(Server(root))
        return made[-1]

    yield factory
    for s in made:
        s.stop()


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """The one Playwright of the test session (a second one cannot run beside it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_session: Any) -> Iterator[Any]:
    b = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield b
    b.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh profile per test (own storage, caches and service workers)."""
    ctx = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="vi-VN")
    yield ctx
    ctx.close()


class PageErrors:
    """CSP violations and console errors seen by a page."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def attach(self, page: Any) -> Any:
        page.on(
            "console",
            lambda m: (
                self.items.append(f"console {m.type}: {m.text}")
                if m.type == "error" or "Content-Security-Policy" in m.text
                else None
            ),
        )
        page.on("pageerror", lambda e: self.items.append(f"pageerror: {e}"))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', function (e) {"
            " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
        )
        return page


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()
