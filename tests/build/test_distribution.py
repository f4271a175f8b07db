"""The package as users install it: a wheel built from this tree, installed into a
fresh virtual environment outside the repository, runs init → check → build in a
folder that holds only content (what the CI examples do). Takes about a minute."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
from sitefactory import REPO

pytestmark = pytest.mark.dist

PACKAGE_DATA = ("templates", "static", "data")


def _shipped_files() -> set[str]:
    root = REPO / "cchc_site"
    return {
        p.relative_to(REPO).as_posix()
        for sub in PACKAGE_DATA
        for p in (root / sub).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="session")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A wheel and an sdist of this tree, built once per session with `python -m build`."""
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {"wheel": next(out.glob("*.whl")), "sdist": next(out.glob("*.tar.gz"))}


def test_wheel_and_sdist_contain_package_data(dists: dict[str, Path]) -> None:
    expected = _shipped_files()
    assert any(name.endswith("provinces.yaml") for name in expected)
    wheel = set(zipfile.ZipFile(dists["wheel"]).namelist())
    assert expected <= wheel, sorted(expected - wheel)[:5]
    with tarfile.open(dists["sdist"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert expected <= names, sorted(expected - names)[:5]
    assert "pyproject.toml" in names and "README.md" in names


def test_installed_wheel_runs_init_check_build(dists: dict[str, Path], tmp_path_factory) -> None:
    home = tmp_path_factory.mktemp("outside")
    assert REPO not in home.parents
    env_dir = home / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(dists["wheel"])], capture_output=True, text=True, timeout=600
    )
    assert install.returncode == 0, install.stderr[-3000:]
    exe = env_dir / "bin" / "cchc-site"
    site = home / "site"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["SOURCE_DATE_EPOCH"] = "1793491200"

    def run(*args: str, cwd: Path = site) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)

    where = subprocess.run(
        [str(python), "-c", "import cchc_site; print(cchc_site.__file__)"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
    )
    assert str(env_dir) in where.stdout  # the installed copy, not this source tree
    made = run("init", str(site), "--province", "Hà Tĩnh", "--ci", "github", cwd=home)
    assert made.returncode == 0, made.stderr
    checked = run("check", "--format", "github")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert [line.split(" ")[0] for line in checked.stdout.splitlines()] == ["::warning"]  # base_url placeholder
    built = run("build", "--base-url", "https://cchc.hatinh.gov.vn")
    assert built.returncode == 0, built.stderr
    out = site / "output"
    assert (out / "dich-vu-cong/dang-ky-khai-sinh/index.html").is_file()
    assert list((out / "assets").glob("*.css")) and (out / "sw.js").is_file()
    report = run("check", "--format", "gitlab")
    assert report.returncode == 0 and json.loads(report.stdout)[0]["severity"] == "minor"
