"""The spare output (writer.Recycled): a big site's previous output is kept
beside it and the next build starts from it. It must never change what is
built: the output equals a cold build's, files shared (hard-linked) with the
current output are never written in place, and whatever the spare holds that
the build does not write (stale pages, planted symlinks) is gone."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from test_incremental import ARTICLE, build_folder, files

import cchc_site.edges.runner as runner_module
from cchc_site.edges.ownership import MARKER_NAME, MARKER_TEXT, mark
from cchc_site.edges.sinks import FolderSink
from cchc_site.edges.writer import discard, new_temp, recycled, spare_of, swap_in


def tree(folder: Path) -> dict[str, str]:
    """Files with their hashes and folders (an empty folder left behind counts)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if rel == MARKER_NAME:
            assert p.read_bytes() == MARKER_TEXT  # every output is marked as one
            continue
        out[rel] = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "BACKGROUND_DELETE", 0)  # every site counts as big


def test_builds_from_the_spare_equal_a_cold_build(tmp_site, big) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    out = site.root / "out"
    build_folder(site, "out")
    build_folder(site, "out", jobs=2)
    site.write("content/articles/a03.md", ARTICLE.format(n="3 sửa", day=3, province="ca-mau"))
    build_folder(site, "out")
    assert spare_of(out).is_dir()
    site.write("content/articles/new.md", ARTICLE.format(n="mới", day=27, province="ha-tinh"))
    (site.root / "content/articles/a05.md").unlink()
    for jobs in (2, 1):  # each build starts from the output two builds back
        report = build_folder(site, "out", jobs=jobs)
        assert not report.up_to_date
        site.write("content/articles/a07.md", ARTICLE.format(n=f"7 lần {jobs}", day=7, province="ha-tinh"))
    build_folder(site, "out")
    build_folder(site, "cold", cache=False)
    assert tree(out) == tree(site.root / "cold")
    assert not (out / "tin-tuc/a05").exists()


def test_a_spare_file_shared_with_the_output_is_never_written_in_place(tmp_path: Path) -> None:
    output = tmp_path / "out"
    (output / "a").mkdir(parents=True)
    (output / "a/index.html").write_bytes(b"current")
    (output / "b.html").write_bytes(b"current b")
    spare = spare_of(output)
    (spare / "a").mkdir(parents=True)
    os.link(output / "a/index.html", spare / "a/index.html")  # as a reused page leaves it
    (spare / "b.html").write_bytes(b"only in the spare")
    mark(spare)
    tmp = new_temp(output)
    assert not spare.exists() and recycled(tmp) is not None
    sink = FolderSink(tmp)
    sink.write("a/index.html", b"new")
    sink.write("b.html", b"new b")
    assert (output / "a/index.html").read_bytes() == b"current"  # the output is untouched
    assert (tmp / "a/index.html").read_bytes() == b"new" and (tmp / "b.html").read_bytes() == b"new b"
    swap_in(tmp, output)
    assert tree(output) == {
        "a": "dir",
        "a/index.html": hashlib.sha256(b"new").hexdigest(),
        "b.html": hashlib.sha256(b"new b").hexdigest(),
    }


def test_what_the_spare_holds_and_the_build_does_not_write_is_removed(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    spare = spare_of(output)
    for rel in ("stale/old/index.html", "keep/index.html", "file-then-folder"):
        (spare / rel).parent.mkdir(parents=True, exist_ok=True)
        (spare / rel).write_bytes(b"spare")
    (spare / "folder-then-file").mkdir()
    (spare / "folder-then-file/x.html").write_bytes(b"spare")
    os.symlink(outside, spare / "planted")  # a symlink dropped into the served output
    mark(spare)
    tmp = new_temp(output)
    sink = FolderSink(tmp)
    sink.write("keep/index.html", b"kept")
    sink.write("planted/index.html", b"inside")
    sink.write("file-then-folder/index.html", b"now a folder")
    sink.write("folder-then-file", b"now a file")
    swap_in(tmp, output)
    assert list(outside.iterdir()) == []
    assert tree(output) == {
        "file-then-folder": "dir",
        "file-then-folder/index.html": hashlib.sha256(b"now a folder").hexdigest(),
        "folder-then-file": hashlib.sha256(b"now a file").hexdigest(),
        "keep": "dir",
        "keep/index.html": hashlib.sha256(b"kept").hexdigest(),
        "planted": "dir",
        "planted/index.html": hashlib.sha256(b"inside").hexdigest(),
    }


def test_a_failed_build_gives_the_spare_back_and_small_sites_keep_none(tmp_path: Path) -> None:
    output = tmp_path / "out"
    (spare_of(output) / "x").mkdir(parents=True)
    mark(spare_of(output))
    tmp = new_temp(output)
    FolderSink(tmp).write("x/index.html", b"half")
    discard(tmp)
    assert spare_of(output).is_dir() and not tmp.exists()
    tmp = new_temp(output)
    FolderSink(tmp).write("index.html", b"one")
    swap_in(tmp, output)  # no previous output
    tmp = new_temp(output)
    FolderSink(tmp).write("index.html", b"two")
    swap_in(tmp, output)  # small site: the previous output is deleted, no spare
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (output / "index.html").read_bytes() == b"two"


def test_a_build_without_cache_keeps_the_spare_going_and_writes_in_place(tmp_site, big) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(files())
    out = site.root / "out"
    for n in range(3):  # the third starts from a spare
        site.write("content/articles/a02.md", ARTICLE.format(n=f"2 lần {n}", day=2, province="ha-tinh"))
        build_folder(site, "out")
    assert spare_of(out).is_dir()
    build_folder(site, "out", cache=False)  # rewrites every page into the spare's files...
    spare_inode = (spare_of(out) / "tin-tuc/a01/index.html").stat().st_ino  # ...now the spare's own
    site.write("content/articles/a01.md", ARTICLE.format(n="1 sửa", day=1, province="ha-tinh"))
    build_folder(site, "out", cache=False)
    assert (out / "tin-tuc/a01/index.html").stat().st_ino == spare_inode  # overwritten, not a new file
    assert "Tin 1 sửa" in (out / "tin-tuc/a01/index.html").read_text("utf-8")
    build_folder(site, "cold", cache=False)
    assert tree(out) == tree(site.root / "cold")
