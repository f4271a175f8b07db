"""serve: live reload over SSE, the error overlay's data, traversal refusal, no
livereload in build output, a server that survives anything."""

from __future__ import annotations

import http.client
import json
import os
import queue
import threading
import time

import pytest

from cchc_site.build import build_site
from cchc_site.edges.server import DevServer, DevState, SiteBuilder, inject_script, resolve_request

ARTICLE = """---
title: {title}
date: 2024-05-0{day}
province: ha-tinh
---
Nội dung tin {title}.
"""
SCRIPT = '<script src="/__cchc/livereload.js"></script>'


@pytest.fixture
def site(tmp_site):
    return tmp_site(
        {
            "content/articles/a.md": ARTICLE.format(title="Tin A ban đầu", day=1),
            "content/articles/b.md": ARTICLE.format(title="Tin B", day=2),
            "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nTrang giới thiệu.\n",
        }
    )


@pytest.fixture
def server(site, monkeypatch):
    monkeypatch.chdir(site.root)
    logs: list[str] = []
    dev = DevServer(site.config_path, port=0, quiet=0.05, log=logs.append).start()
    dev.logs = logs  # type: ignore[attr-defined]
    yield dev
    dev.stop()


def get(dev: DevServer, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=5)
    conn.request("GET", path)  # sent as written: no client-side normalisation
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


class Events:
    """A connected tab: reads the SSE stream in a thread."""

    def __init__(self, dev: DevServer) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", dev.port, timeout=10)
        self.conn.request("GET", "/__cchc/events")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type").startswith("text/event-stream")
        self.queue: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            while True:
                line = self.resp.fp.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    self.queue.put(json.loads(line[6:]))
        except (OSError, ValueError):
            return

    def next(self, timeout: float) -> dict:
        return self.queue.get(timeout=timeout)

    def wait_for(self, predicate, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.01, deadline - time.monotonic()))
            if predicate(event):
                return event

    def close(self) -> None:
        self.conn.close()


def test_edit_reloads_the_tab_within_two_seconds(server, site):
    tab = Events(server)
    hello = tab.next(2)
    assert hello["errors"] == 0
    status, _, page = get(server, "/tin-tuc/a/")
    assert status == 200 and "Tin A ban đầu" in page.decode()
    started = time.monotonic()
    site.write("content/articles/a.md", ARTICLE.format(title="Tin A đã sửa", day=1))
    event = tab.wait_for(lambda e: e["epoch"] != hello["epoch"], timeout=2.0)
    status, _, page = get(server, "/tin-tuc/a/")
    elapsed = time.monotonic() - started
    assert event["errors"] == 0 and status == 200 and "Tin A đã sửa" in page.decode()
    assert elapsed < 2.0, f"edit to reload took {elapsed:.2f} s"
    print(f"edit-to-reload: {elapsed * 1000:.0f} ms")
    tab.close()


def test_one_file_change_rewrites_only_changed_files(server, site):
    other = server.builder.output / "tin-tuc" / "b" / "index.html"
    before = other.stat().st_mtime_ns
    tab = Events(server)
    hello = tab.next(2)
    site.write("content/articles/a.md", ARTICLE.format(title="Tin A lần hai", day=1))
    tab.wait_for(lambda e: e["epoch"] != hello["epoch"], timeout=2.0)
    report = server.reports[-1]
    assert "tin-tuc/a/index.html" in report.changed and "tin-tuc/b/index.html" not in report.changed
    assert other.stat().st_mtime_ns == before
    tab.close()


def test_bad_edit_shows_errors_and_fix_clears_them(server, site):
    tab = Events(server)
    hello = tab.next(2)
    site.write("content/articles/a.md", ARTICLE.format(title="Tin A", day=1).replace("2024-05-01", "2024-13-45"))
    event = tab.wait_for(lambda e: e["errors"] > 0, timeout=3)
    assert event["epoch"] == hello["epoch"]  # no new epoch for a failed build: tabs keep the last good page
    status, headers, body = get(server, "/__cchc/errors")
    data = json.loads(body)
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert data["ok"] is False
    [error] = data["errors"]
    assert error["file"].endswith("content/articles/a.md") and error["line"] == 3 and error["col"] >= 1
    assert error["severity"] == "error" and "date" in error["message"]
    assert get(server, "/tin-tuc/a/")[0] == 200  # the last good build is still served
    site.write("content/articles/a.md", ARTICLE.format(title="Tin A đã sửa lỗi", day=1))
    event = tab.wait_for(lambda e: e["errors"] == 0, timeout=3)
    assert event["epoch"] != hello["epoch"]
    assert json.loads(get(server, "/__cchc/errors")[2]) == {"epoch": event["epoch"], "ok": True, "errors": []}
    assert "Tin A đã sửa lỗi" in get(server, "/tin-tuc/a/")[2].decode()
    tab.close()


def test_broken_config_is_reported_and_server_keeps_running(server, site):
    tab = Events(server)
    tab.next(2)
    config = site.config_path.read_text("utf-8")
    site.write("config.yaml", config + "titel: typo\n")
    tab.wait_for(lambda e: e["errors"] > 0, timeout=3)
    errors = json.loads(get(server, "/__cchc/errors")[2])["errors"]
    assert errors[0]["file"].endswith("config.yaml") and "titel" in errors[0]["message"]
    site.write("config.yaml", config)
    tab.wait_for(lambda e: e["errors"] == 0, timeout=3)
    assert get(server, "/")[0] == 200
    tab.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/etc/passwd",
        "/..%2fetc%2fpasswd",
        "/%2Fetc%2Fpasswd",
        "/tin-tuc/../../etc/passwd",
        "/..\\..\\etc\\passwd",
        "/%5c..%5cetc/passwd",
        "/a%00.html",
    ],
)
def test_traversal_refused(server, path):
    status, _, body = get(server, path)
    assert status in (400, 403, 404) and b"root:" not in body


def test_absolute_and_symlinked_paths_refused(server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", "utf-8")
    out = server.builder.output
    os.symlink(secret, out / "leak.txt")
    os.symlink(tmp_path, out / "leakdir")
    for path in ("/leak.txt", "/leakdir/secret.txt", "/leakdir/"):
        status, _, body = get(server, path)
        assert status == 403 and b"top secret" not in body, path
    for path in ("//etc/passwd", f"/{secret}", "http://example.com/../etc/passwd"):
        status, _, body = get(server, path)
        assert status in (400, 403, 404) and b"top secret" not in body and b"root:" not in body, (
            path
        )  # 400: Host example.com


def test_resolve_request_unit(tmp_path):
    root = tmp_path / "out"
    (root / "tin-tuc").mkdir(parents=True)
    (root / "tin-tuc" / "index.html").write_text("x")
    assert resolve_request(root, "/tin-tuc/").path == (root / "tin-tuc" / "index.html").resolve()
    assert resolve_request(root, "/tin-tuc?x=1").location == "/tin-tuc/?x=1"
    assert resolve_request(root, "/%2e%2e/x").status == 403
    assert resolve_request(root, "/missing").status == 404
    assert resolve_request(root, "relative").status == 400


def test_script_only_in_served_html(server, site):
    status, headers, page = get(server, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    html = page.decode()
    assert html.count(SCRIPT) == 1 and html.index(SCRIPT) < html.rindex("</body>")
    assert "<script>" not in html.split(SCRIPT)[0][-200:]  # not inline
    assert SCRIPT not in (server.builder.output / "index.html").read_text("utf-8")
    css = next(p for p in (server.builder.output / "assets").glob("style.*.css"))
    assert SCRIPT.encode() not in get(server, f"/assets/{css.name}")[2]
    status, headers, js = get(server, "/__cchc/livereload.js")
    assert status == 200 and b"EventSource" in js and headers["content-type"].startswith("text/javascript")
    status, headers, css_body = get(server, "/__cchc/overlay.css")
    assert status == 200 and b".cchc-dev-overlay" in css_body
    assert get(server, "/no-such-page/")[0] == 404


def test_build_output_has_no_livereload(site):
    result = build_site(site.config(), drafts=True, cwd=site.root)
    assert result.ok
    for path, data in result.files.items():
        assert b"__cchc" not in data and b"livereload" not in data, path


def test_inject_script():
    assert (
        inject_script(b"<html><body><p>x</p></BODY></html>")
        == b'<html><body><p>x</p><script src="/__cchc/livereload.js"></script></BODY></html>'
    )
    assert inject_script(b"<p>no body</p>").endswith(SCRIPT.encode())


def test_rebuild_survives_a_crashing_build(site, monkeypatch):
    monkeypatch.chdir(site.root)
    state = DevState()

    def crash(config, drafts, changes):
        raise RuntimeError("boom")

    builder = SiteBuilder(site.config_path, drafts=False, state=state, build=crash)
    report = builder.rebuild(None)
    assert (
        not report.ok and "internal error" in report.diagnostics[0].message and "boom" in report.diagnostics[0].message
    )
    assert state.errors_json()["ok"] is False
