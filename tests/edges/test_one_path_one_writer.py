"""Two outputs never share a path, and a build never writes through a link to the live output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_services import service

from cchc_site.build import check
from cchc_site.config.settings import load_config
from cchc_site.edges.sinks import FolderSink
from cchc_site.edges.writer import discard, manifest, new_temp
from cchc_site.render.outputs import collisions
from cchc_site.render.pages import PageSpec


def test_two_field_spellings_that_fold_alike_are_errors_at_both_lines(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            "content/services/a.md": service("Đăng ký khai sinh", "4", field="Hộ tịch"),
            "content/services/b.md": service("Đăng ký kết hôn", "4", field='"Ho tich!!"'),
            "content/services/c.md": service("Đăng ký khai tử", "4", field="Hộ tịch"),
        }
    )
    diagnostics = check(load_config(site.root / "config.yaml"), cwd=site.root)
    errors = sorted((d.path, d.line) for d in diagnostics if "same page" in d.message)
    assert errors == [("content/services/a.md", 4), ("content/services/b.md", 4), ("content/services/c.md", 4)]
    message = next(d.message for d in diagnostics if d.path == "content/services/b.md")
    assert "Hộ tịch" in message and "content/services/a.md:4" in message
    assert not site.build().ok  # the build refuses too, writing nothing


@pytest.mark.parametrize("field, words", [('"!!!"', "letters"), ('"' + "Hộ tịch " * 40 + '"', "characters")])
def test_a_field_that_cannot_name_a_page_is_an_error_at_its_line(tmp_site, field: str, words: str) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/services/a.md": service("Đăng ký khai sinh", "4", field=field)})
    diagnostics = check(load_config(site.root / "config.yaml"), cwd=site.root)
    (problem,) = [d for d in diagnostics if d.severity.value == "error"]
    assert (problem.path, problem.line) == ("content/services/a.md", 4) and words in problem.message


def test_any_two_outputs_at_one_path_name_both_sources() -> None:
    class Entry:
        def __init__(self, rel: str) -> None:
            self.source_rel = rel

    specs = [
        PageSpec("gioi-thieu/index.html", "page.html", {"entry": Entry("content/pages/gioi-thieu.md")}),
        PageSpec("gioi-thieu/index.html", "page.html", {"entry": Entry("content/pages/Giới thiệu.md")}),
        PageSpec("tin-tuc/a/index.html", "article.html", {"entry": Entry("content/articles/a.md")}),
    ]
    problems = collisions(specs, [], {"files/sw.js": Path("/x"), "sw.js": Path("/y")})
    by_path = {(d.path, "gioi-thieu/index.html" in d.message) for d in problems}
    assert ("content/pages/gioi-thieu.md", True) in by_path and ("content/pages/Giới thiệu.md", True) in by_path
    assert any("'sw.js'" in d.message for d in problems)  # an attachment over the service worker
    assert not any("tin-tuc/a" in d.message for d in problems)


def test_writing_a_path_twice_never_reaches_the_live_output(tmp_path: Path) -> None:
    live = tmp_path / "output"
    live.mkdir()
    (live / "index.html").write_bytes(b"live page")
    known = manifest(live)
    tmp = new_temp(live, recycle=False)
    sink = FolderSink(tmp, live, known)
    assert sink.reuse("index.html", len(b"live page"), "")  # linked from the live output
    assert os.stat(tmp / "index.html").st_ino == os.stat(live / "index.html").st_ino
    sink.write("index.html", b"new page")  # the same path again: a new file, not the shared one
    sink.copy("index.html", tmp_path / "output" / "index.html")
    assert (live / "index.html").read_bytes() == b"live page"
    assert os.stat(tmp / "index.html").st_ino != os.stat(live / "index.html").st_ino
    discard(tmp)
    assert (live / "index.html").read_bytes() == b"live page"
