"""Every failure is a diagnostic: a full disk, a read-only folder, a closed pipe, a bad glossary key."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitefactory import REPO
from test_cli import GOOD, tree_digest

import cchc_site.edges.runner as runner_module
import cchc_site.edges.sinks as sinks_module
from cchc_site.edges import cli


def _fail_with(code: int):  # type: ignore[no-untyped-def]
    def fail(target: str) -> int:
        raise OSError(code, os.strerror(code), target)

    return fail


@pytest.mark.parametrize(
    "code, exit_code, words",
    [(errno.ENOSPC, 1, "disk is full"), (errno.EROFS, 2, "read-only"), (errno.EACCES, 2, "permission")],
)
def test_a_disk_problem_under_the_output_names_the_path_and_the_fix(
    tmp_site, monkeypatch, capsys, code: int, exit_code: int, words: str
) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    monkeypatch.chdir(site.root)
    assert cli.main(["build", "--jobs", "1"]) == 0
    before = tree_digest(site.root / "output")
    site.write("content/articles/b.md", GOOD["content/articles/a.md"].replace("Tin A", "Tin B"))
    monkeypatch.setattr(sinks_module, "_open_own", _fail_with(code))
    capsys.readouterr()
    assert cli.main(["build", "--jobs", "1"]) == exit_code
    err = capsys.readouterr().err
    assert words in err and "internal error" not in err and "template" not in err
    assert ".output.tmp-" in err or "output" in err  # the path it could not write
    assert tree_digest(site.root / "output") == before
    assert not [p for p in site.root.iterdir() if ".tmp-" in p.name]  # no leftover to trip the next build
    monkeypatch.undo()
    monkeypatch.chdir(site.root)
    assert cli.main(["build", "--jobs", "1"]) == 0  # once there is room, it builds


def test_a_cache_that_cannot_be_written_never_fails_a_complete_build(tmp_site, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    monkeypatch.chdir(site.root)

    def full(folder: Path, state: dict) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "fast.pickle"))

    monkeypatch.setattr(runner_module, "_save_fast", full)
    assert cli.main(["build", "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "cache" in err and "could not be saved" in err
    assert (site.root / "output/tin-tuc/a/index.html").is_file()
    monkeypatch.undo()
    monkeypatch.chdir(site.root)
    assert cli.main(["build", "--jobs", "1"]) == 0  # and the next build is not stuck on anything left


def test_a_read_only_output_parent_is_a_config_error(tmp_site, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    monkeypatch.chdir(site.root)
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.name.startswith(".public.tmp-"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert cli.main(["build", "--output", "public"]) == 2
    assert "read-only" in capsys.readouterr().err


def test_an_empty_glossary_key_is_a_config_error_at_its_line(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    config = site.root / "config.yaml"
    config.write_text(config.read_text("utf-8") + 'glossary:\n  "": "rỗng"\n', "utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "cchc_site", "check"], cwd=site.root, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "config.yaml:" in result.stderr and "empty" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_check_into_a_closed_pipe_ends_quietly(tmp_site) -> None:  # type: ignore[no-untyped-def]
    bad = {
        f"content/articles/x{i}.md": "---\ntitle: X\ndate: 2024-01-02\nprovince: Atlantis\n---\nx\n" for i in range(400)
    }
    site = tmp_site(bad)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        f"{sys.executable} -m cchc_site check --format github | head -1",
        shell=True,
        cwd=site.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.startswith("::error")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
