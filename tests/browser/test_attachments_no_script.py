"""Over plain HTTP, with no special headers (python's http.server), no published attachment
runs script: files that could are refused at build time, and what is published is inert."""

from __future__ import annotations

from pathlib import Path

from sitefactory import NOW, make_site

from cchc_site.build import build_site
from cchc_site.edges.writer import write_tree

HOSTILE = {  # each would run script if published and opened
    "content/files/a.html": b"<script>fetch('/pwned-html')</script>",
    "content/files/b.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'/pwned-svg\')"/>',
    "content/files/c.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/pwned-script")</script></svg>',
    "content/files/d": b"<!doctype html><script>fetch('/pwned-sniff')</script>",
    "content/files/e.xml": b'<html xmlns="http://www.w3.org/1999/xhtml"><script>fetch("/pwned-xml")</script></html>',
}
INERT = {
    "content/files/ghi-chu.txt": b"<script>fetch('/pwned-txt')</script>",
    "content/files/so-do.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="9" height="9"/></svg>',
    "content/files/ke-hoach.pdf": b"%PDF-1.4 <script>fetch('/pwned-pdf')</script>",
}


def test_no_attachment_runs_script(context, make_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    refused = make_site(tmp_path / "hostile", HOSTILE)
    result = build_site(refused.config(), now=NOW, cwd=refused.root)
    errors = {d.path for d in result.diagnostics if d.severity.value == "error"}
    assert errors == set(HOSTILE)  # every active file refused at its own path

    site = make_site(tmp_path / "inert", INERT)
    result = build_site(site.config(), now=NOW, cwd=site.root)
    assert result.ok, result.diagnostics
    out = tmp_path / "out"
    write_tree(out, result.files, result.copies)
    server = make_server(out)
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "pwned" in r.url else None)
    for rel in INERT:
        page.goto(server.url(rel.removeprefix("content/")))
        page.wait_for_timeout(200)
    assert asked == []
