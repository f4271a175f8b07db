"""No attachment runs script at the site's origin; the dev server answers only its own names."""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest

from cchc_site.build import check
from cchc_site.content.attachments import attachment_problem
from cchc_site.edges.hostcheck import host_allowed
from cchc_site.edges.server import DevServer

SVG_OK = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


@pytest.mark.parametrize(
    "name, data",
    [
        ("trang.html", b"<p>x</p>"),
        ("a.HTM", b"x"),
        ("b.xhtml", b"x"),
        ("c.js", b"alert(1)"),
        ("d.mjs", b"x"),
        ("e.svgz", b"x"),
        ("f.xml", b"<x/>"),
        ("g.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("h.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("i.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>'),
        ("j.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><a href="java&#x09;script:alert(1)">x</a></svg>'),
        (
            "k.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>',
        ),
        ("l.svg", b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("khong-duoi", b"<!doctype html><script>alert(1)</script>"),
    ],
)
def test_active_attachments_are_refused_at_the_file(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert attachment_problem(name, path) is not None


@pytest.mark.parametrize(
    "name, data",
    [("ke-hoach.pdf", b"%PDF-1.4"), ("so-do.svg", SVG_OK), ("bang.csv", b"a,b"), ("anh.png", b"\x89PNG\r\n\x1a\n")],
)
def test_ordinary_attachments_pass(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert attachment_problem(name, path) is None


def test_a_refused_attachment_is_a_content_error_in_check(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/files/mau.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'})
    (problem,) = [d for d in check(site.config(), cwd=site.root) if d.severity.value == "error"]
    assert problem.path.endswith("content/files/mau.svg") and "event handler" in problem.message


def test_headers_file_sandboxes_attachments(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/files/ke-hoach.pdf": b"%PDF-1.4 x"})
    headers = site.build().files["_headers"].decode()
    block = headers.split("/files/*", 1)[1].split("\n\n", 1)[0]
    assert "Content-Security-Policy: sandbox" in block


@pytest.mark.parametrize(
    "header, bound, ok",
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("[::1]:8000", "127.0.0.1", True),
        ("LOCALHOST", "127.0.0.1", True),
        ("may-soan-thao:8000", "may-soan-thao", True),
        ("evil.example:8000", "127.0.0.1", False),
        ("127.0.0.1.evil.example", "127.0.0.1", False),
        ("localhost:80:80", "127.0.0.1", False),
        (None, "127.0.0.1", False),
        ("", "127.0.0.1", False),
        ("192.168.1.5:8000", "0.0.0.0", True),
        ("evil.example", "0.0.0.0", False),
    ],
)
def test_host_names_the_server_answers(header: str | None, bound: str, ok: bool) -> None:
    assert host_allowed(header, bound) is ok


def _get(port: int, path: str, host: str) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host)
    conn.endheaders()
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}


def test_serve_refuses_other_hosts_and_sandboxes_files(tmp_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            "content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\nprovince: ha-tinh\n---\nx\n",
            "content/files/mau.pdf": b"%PDF-1.4 x",
        }
    )
    monkeypatch.chdir(site.root)
    dev = DevServer(site.config_path, port=0, quiet=0.05, log=lambda _: None).start()
    try:
        assert _get(dev.port, "/index.html", f"127.0.0.1:{dev.port}")[0] == 200
        assert _get(dev.port, "/index.html", f"localhost:{dev.port}")[0] == 200
        assert _get(dev.port, "/index.html", "attacker.example")[0] == 400  # DNS rebinding
        status, headers = _get(dev.port, "/files/mau.pdf", f"127.0.0.1:{dev.port}")
        assert status == 200 and headers.get("content-security-policy") == "sandbox"
        assert headers.get("x-content-type-options") == "nosniff"
    finally:
        dev.stop()
