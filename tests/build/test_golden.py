"""The whole output of a small site, byte for byte, against a committed copy.

Any change to what a build writes (templates, CSS, search data, headers, the
service worker) shows here as a diff to review. When the change is meant,
update the copy and commit it with the change:

    python3 -m pytest tests/build/test_golden.py --update-golden
"""

from __future__ import annotations

import difflib
import io
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from cchc_site.config.settings import load_config
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.edges.runner import RunOptions, run_build

HERE = Path(__file__).resolve().parent.parent / "golden"
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=VIETNAM_TZ)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _diff(name: str, old: bytes, new: bytes) -> str:
    try:
        lines = difflib.unified_diff(
            old.decode().splitlines(), new.decode().splitlines(), f"expected/{name}", f"built/{name}", n=1, lineterm=""
        )
        return "\n".join(list(lines)[:30])
    except UnicodeDecodeError:
        return f"{name}: binary, {len(old)} → {len(new)} bytes"


def test_the_fixture_site_builds_exactly_the_committed_output(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    site = tmp_path / "site"
    shutil.copytree(HERE / "site", site)
    out = tmp_path / "output"
    report = run_build(load_config(site / "config.yaml", output=out), RunOptions(), NOW, io.StringIO())
    assert report.ok, report.diagnostics
    built = _files(out)
    expected_dir = HERE / "expected"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
        pytest.skip("golden output updated: review `git diff tests/golden` and commit it")
    expected = _files(expected_dir)
    assert sorted(built) == sorted(expected), (
        f"files added {sorted(set(built) - set(expected))}, missing {sorted(set(expected) - set(built))}"
    )
    changed = [name for name in built if built[name] != expected[name]]
    assert not changed, "\n\n".join(_diff(n, expected[n], built[n]) for n in changed[:3]) + (
        f"\n\n{len(changed)} file(s) differ; if meant, run pytest --update-golden and commit"
    )
