"""The command line as CI uses it: exit codes, messages, atomic output."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitefactory import REPO, TmpSite

from cchc_site.edges import cli

GOOD = {
    "content/articles/a.md": "---\ntitle: Tin A\ndate: 2024-01-02\nprovince: ha-tinh\n---\nNội dung A.\n",
    "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nTrang.\n",
}


def run(site: TmpSite, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1793491200"}
    return subprocess.run(
        [sys.executable, "-m", "cchc_site", *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=120
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_then_failed_build_leaves_output_unchanged(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    first = run(site, "build")
    assert first.returncode == 0, first.stderr
    assert "built" in first.stdout
    before = tree_digest(site.root / "output")
    assert "tin-tuc/a/index.html" in before
    site.write("content/articles/b.md", "---\ntitle: B\ndate: 2023-02-30\nprovince: ha-tinh\n---\nx\n")
    site.write("content/articles/c.md", "---\ntitle: C\ndate: 2024-01-01\nprovince: Atlantis\n---\nx\n")
    second = run(site, "build")
    assert second.returncode == 1
    assert "content/articles/b.md:3:7: error: 'date' '2023-02-30' is not a real date" in second.stderr
    assert "content/articles/c.md:4:11: error: 'province' unknown province 'Atlantis'" in second.stderr
    assert "2 errors" in second.stderr
    assert "Traceback" not in second.stderr
    assert tree_digest(site.root / "output") == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".output") and p.name != ".output.lock"] == []


def test_two_builds_byte_identical(tmp_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    assert run(site, "build", "--output", "out1").returncode == 0
    assert run(site, "build", "--output", "out2").returncode == 0
    assert tree_digest(site.root / "out1") == tree_digest(site.root / "out2")


def test_check_reports_and_writes_nothing(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            **GOOD,
            "content/articles/d.md": "---\ntitle: D\ndate: 2024-01-01\nprovince: ha-tinh\n"
            "draft: true\nfoo: 1\n---\nx\n",
        }
    )
    result = run(site, "check")
    assert result.returncode == 1
    assert "content/articles/d.md:6:1: error: unknown key 'foo'" in result.stderr  # drafts checked too
    assert not (site.root / "output").exists()


def test_check_ok(tmp_site) -> None:  # type: ignore[no-untyped-def]
    result = run(tmp_site(GOOD), "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("build", "--config", "missing.yaml"), "config file not found"),
        (("build", "--jobs", "0"), "must be at least 1"),
        (("frobnicate",), "invalid choice"),
        (("check", "--format", "xml"), "invalid choice"),
    ],
)
def test_usage_and_config_errors_exit_2(tmp_site, args: tuple[str, ...], fragment: str) -> None:  # type: ignore[no-untyped-def]
    result = run(tmp_site(GOOD), *args)
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_config_key_exit_2_before_anything_is_deleted(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    assert run(site, "build").returncode == 0
    before = tree_digest(site.root / "output")
    site.write("config.yaml", "title: T\nbase_url: https://x.vn\nouput_dir: elsewhere\n")
    result = run(site, "build")
    assert result.returncode == 2
    assert "config.yaml:3:1: error: unknown config key 'ouput_dir'" in result.stderr
    assert tree_digest(site.root / "output") == before


def test_output_dir_containing_content_refused(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(GOOD)
    result = run(site, "build", "--output", ".")
    assert result.returncode == 2
    assert "refusing" in result.stderr
    assert (site.root / "content" / "articles" / "a.md").exists()


def test_link_to_missing_file_is_an_error(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            **GOOD,
            "content/articles/e.md": "---\ntitle: E\ndate: 2024-01-01\nprovince: ha-tinh\n---\n"
            "Đoạn một.\n\nXem [kế hoạch](../plans/khong-co.md).\n",
        }
    )
    result = run(site, "build")
    assert result.returncode == 1
    assert "content/articles/e.md:8:" in result.stderr and "khong-co.md" in result.stderr


def test_duplicate_slugs_name_both_files(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {**GOOD, "content/articles/2024/a.md": "---\ntitle: A2\ndate: 2024-01-01\nprovince: ha-tinh\n---\nx\n"}
    )
    result = run(site, "build")
    assert result.returncode == 1
    assert (
        "content/articles/2024/a.md:1:1: error: duplicate article slug 'a': also used by content/articles/a.md"
        in result.stderr
    )
    assert (
        "content/articles/a.md:1:1: error: duplicate article slug 'a': also used by content/articles/2024/a.md"
        in result.stderr
    )


def test_slug_from_vietnamese_file_name(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/articles/Đẩy mạnh tuyên truyền.md": GOOD["content/articles/a.md"]})
    assert run(site, "build").returncode == 0
    assert (site.root / "output/tin-tuc/day-manh-tuyen-truyen/index.html").is_file()


def test_console_script_declared() -> None:
    text = (REPO / "pyproject.toml").read_text()
    assert 'cchc-site = "cchc_site.edges.cli:run"' in text


def test_build_does_not_import_other_commands_modules() -> None:
    """The server (watchdog) and the importer are only imported for their own commands."""
    code = (
        "import sys; from cchc_site.edges import cli; cli.make_parser(['build', '--quiet']); "
        "print(sorted(m for m in ('cchc_site.edges.server', 'cchc_site.tools.importer', 'cchc_site.tools.scaffold', 'watchdog') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    ).stdout
    assert out.strip() == "[]"
    parser = cli.make_parser(["serve", "--port", "0"])
    assert parser.parse_args(["serve", "--port", "0"]).port == 0
