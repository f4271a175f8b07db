"""A build replaces only a folder it made: absent, empty or marked by an earlier build."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitefactory import REPO, TmpSite

from cchc_site.edges.ownership import MARKER_NAME, MARKER_TEXT, is_ours, mark, refusal

GOOD = {
    "content/articles/a.md": "---\ntitle: Tin A\ndate: 2024-01-02\nprovince: ha-tinh\n---\nNội dung A.\n",
    "content/files/bieu-mau.pdf": b"%PDF-1.4 mau",
    "templates/partials/note.txt": "ghi chú",
}


def run(site: TmpSite, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1793491200"}
    return subprocess.run(
        [sys.executable, "-m", "cchc_site", *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=120
    )


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry below `folder` (files by hash, folders, inodes too): what must not move."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = os.lstat(p)
        kind = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        out[p.relative_to(folder).as_posix()] = f"{kind}:{st.st_ino}:{st.st_mtime_ns}"
    return out


@pytest.mark.parametrize(
    "target",
    [
        "content/articles",
        "content/files",
        "content",
        "templates/partials",
        "templates",
        ".git",
        ".git/objects",
        "notes",
        "notes/sub/..",
    ],
)
def test_build_refuses_a_folder_it_did_not_make(tmp_site, target: str) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    (site.root / ".git/objects").mkdir(parents=True)
    (site.root / ".git/HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    (site.root / "notes/sub").mkdir(parents=True)
    (site.root / "notes/ke-hoach.docx").write_bytes(b"my work")
    before = snapshot(site.root)
    result = run(site, "build", "--output", target)
    assert result.returncode == 2, result.stderr
    assert "refusing" in result.stderr or "refus" in result.stderr.lower()
    assert snapshot(site.root) == before  # not a byte, not an inode


def test_output_dir_in_config_is_checked_too(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    config = site.root / "config.yaml"
    config.write_text(config.read_text("utf-8") + "output_dir: content/files\n", "utf-8")
    before = snapshot(site.root)
    result = run(site, "build")
    assert result.returncode == 2
    assert "config.yaml" in result.stderr and "content" in result.stderr
    assert snapshot(site.root) == before


def test_output_under_a_file_is_a_config_error_not_a_crash(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    result = run(site, "build", "--output", "config.yaml/x")
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "config.yaml" in result.stderr


def test_cache_and_output_may_not_hold_each_other(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    assert run(site, "build", "--output", "site", "--cache-dir", "site/.cache").returncode == 2
    assert run(site, "build", "--output", "cache/out", "--cache-dir", "cache").returncode == 2
    assert not (site.root / "site").exists() and not (site.root / "cache").exists()


def test_absent_empty_and_marked_folders_are_replaced(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    assert run(site, "build", "--output", "public").returncode == 0
    assert (site.root / "public" / MARKER_NAME).read_bytes() == MARKER_TEXT
    assert run(site, "build", "--output", "public").returncode == 0  # our own, marked
    (site.root / "empty").mkdir()
    assert run(site, "build", "--output", "empty").returncode == 0
    assert (site.root / "empty/tin-tuc/a/index.html").is_file()


def test_a_marker_must_say_exactly_what_a_build_writes(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "index.html").write_text("x", "utf-8")
    (folder / MARKER_NAME).write_text("something else\n", "utf-8")
    assert not is_ours(folder) and refusal(folder) is not None
    mark(folder)
    assert is_ours(folder) and refusal(folder) is None
    link = tmp_path / "link"
    link.symlink_to(folder)
    assert not is_ours(link) and "symlink" in (refusal(link) or "")


def test_serve_output_is_guarded_as_well(tmp_path: Path) -> None:
    from cchc_site.core.diagnostics import ConfigError
    from cchc_site.edges.writer import replace_output

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.md").write_text("x", "utf-8")
    with pytest.raises(ConfigError):
        replace_output(mine, {"index.html": b"<p>"}, {})
    assert [p.name for p in mine.iterdir()] == ["thesis.md"]
