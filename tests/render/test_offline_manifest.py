"""The precache manifest quotes exactly what urllib's quote() would, and hashes every file."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace
from urllib.parse import quote

from cchc_site.render.offline import manifest


def test_manifest_paths_are_quoted_as_quote_does_and_the_version_covers_every_file() -> None:
    site = SimpleNamespace(config=SimpleNamespace(offline_budget_mb=1.0))
    digests = {
        "files/Kế hoạch 1.pdf": (3, "a" * 64),
        "tin-tuc/a_b~c/index.html": (5, "b" * 64),
        "assets/x.js": (7, "c" * 64),
        "files/a&b?.pdf": (1, "d" * 64),
        "sw.js": (9, "e" * 64),
    }
    data = manifest(site, digests)
    assert [e[0] for e in data["files"]] == [quote(p, safe="/-._~") for p in sorted(digests) if p != "sw.js"]
    assert [e[3] for e in data["files"]] == [1, 0, 0, 0]
    expected = hashlib.sha256()
    for path in sorted(p for p in digests if p != "sw.js"):
        expected.update(path.encode("utf-8") + b"\0" + digests[path][1].encode("ascii") + b"\n")
    assert data["version"] == expected.hexdigest()[:16] and data["bytes"] == 16


def test_sitemap_escapes_as_saxutils_does() -> None:
    from xml.sax.saxutils import escape

    from cchc_site.render.pages import PageSpec
    from cchc_site.render.sitefiles import render_sitemap

    site = SimpleNamespace(config=SimpleNamespace(base_url="https://x.vn/a&b<c>/"))
    specs = [
        PageSpec("tin-tuc/x/index.html", "article.html"),
        PageSpec("404.html", "404.html", sitemap=False),
        PageSpec("index.html", "home.html"),
    ]
    text = render_sitemap(site, specs).decode()  # type: ignore[arg-type]
    assert f"<loc>{escape('https://x.vn/a&b<c>/tin-tuc/x/')}</loc>" in text
    assert text.count("<loc>") == 2 and "404" not in text
