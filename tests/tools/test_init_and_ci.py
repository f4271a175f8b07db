"""init (a new site from nothing), CI report formats and SOURCE_DATE_EPOCH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from sitefactory import REPO

from cchc_site.core.diagnostics import Diagnostic, Severity, format_all
from cchc_site.domain.provinces import load_registry
from cchc_site.tools.init import create_site
from cchc_site.tools.scaffold import ScaffoldError

REGISTRY = load_registry()


def cli(cwd: Path, *args: str, epoch: str | None = "1793491200") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(REPO)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run(
        [sys.executable, "-m", "cchc_site", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("province,ci", [("Hà Tĩnh", "github"), (None, "gitlab"), ("Quảng Bình", None)])
def test_init_site_passes_check_and_builds(tmp_path: Path, province, ci) -> None:
    site = tmp_path / "site"
    written = create_site(
        site, title="Trang CCHC", province=province, ci=ci, registry=REGISTRY, today=date(2026, 11, 1)
    )
    config = yaml.safe_load((site / "config.yaml").read_text("utf-8"))
    if province:  # a former unit resolves to its successor (Quảng Bình → Quảng Trị)
        expected = REGISTRY.successor(REGISTRY.lookup(province).slug).slug
        assert config["provinces"] == [expected]
    else:
        assert config["provinces"] == "all"
    kinds = {p.relative_to(site).parts[1] for p in written if p.suffix == ".md"}
    assert kinds == {"articles", "plans", "services", "pages"}
    assert (site / ".github/workflows/site.yml").exists() == (ci == "github")
    assert (site / ".gitlab-ci.yml").exists() == (ci == "gitlab")
    ignored = (site / ".gitignore").read_text("utf-8").split()
    assert {"/output/", "/.cchc-cache/", "/.output.spare/"} <= set(ignored)
    checked = cli(site, "check", "--format", "json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    problems = json.loads(checked.stdout)
    assert [(p["file"], p["severity"]) for p in problems] == [("config.yaml", "warning")]
    assert "placeholder" in problems[0]["message"] and problems[0]["line"] == 4
    # the placeholder address is refused by build (canonical links would point nowhere) ...
    refused = cli(site, "build")
    assert refused.returncode == 2 and "placeholder" in refused.stderr
    assert not (site / "output").exists()
    # ... and a real one builds every example
    built = cli(site, "build", "--base-url", "https://cchc.example.gov.vn")
    assert built.returncode == 0, built.stderr
    out = site / "output"
    for page in (
        "tin-tuc/vi-du-tin-bai/index.html",
        "ke-hoach/vi-du-ke-hoach-cai-cach-hanh-chinh/index.html",
        "dich-vu-cong/dang-ky-khai-sinh/index.html",
        "gioi-thieu/index.html",
    ):
        assert (out / page).is_file(), page


def test_init_writes_valid_ci_files(tmp_path: Path) -> None:
    create_site(tmp_path / "gh", title="T", province=None, ci="github", registry=REGISTRY)
    create_site(tmp_path / "gl", title="T", province=None, ci="gitlab", registry=REGISTRY)
    gh = yaml.safe_load((tmp_path / "gh/.github/workflows/site.yml").read_text("utf-8"))
    steps = gh["jobs"]["site"]["steps"]
    action = [s for s in steps if str(s.get("uses", "")).startswith("cchc-site/cchc-site@")]
    assert action and action[0]["uses"].split("@")[1] == action[0]["with"]["version"]  # pinned
    assert not any("setup-python" in str(s.get("uses", "")) for s in steps)
    gl = yaml.safe_load((tmp_path / "gl/.gitlab-ci.yml").read_text("utf-8"))
    script = gl["check"]["script"]
    # the report is made (and its failure ignored) before the step that fails the job
    assert "--format gitlab" in script[0] and script[0].endswith("|| true")
    assert script[1] == "cchc-site check"
    assert gl["check"]["artifacts"]["when"] == "always"


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "content/pages").mkdir(parents=True)
    keep = tmp_path / "content/pages/gioi-thieu.md"
    keep.write_text("mine", "utf-8")
    with pytest.raises(ScaffoldError) as exc:
        create_site(tmp_path, title="T", province=None, ci=None, registry=REGISTRY)
    assert exc.value.code == 1 and "gioi-thieu.md" in str(exc.value)
    assert keep.read_text("utf-8") == "mine"
    assert not (tmp_path / "config.yaml").exists()  # nothing written, not even the files that were free
    result = cli(tmp_path, "init", "--province", "Ca Mao")
    assert result.returncode == 2 and "Cà Mau" in result.stderr


def test_any_command_without_config_says_init(tmp_path: Path) -> None:
    for args in (("build",), ("check",), ("check", "--format", "github"), ("new", "page", "Trang")):
        result = cli(tmp_path, *args)
        assert result.returncode == 2, args
        assert "cchc-site init" in result.stdout + result.stderr, args


@pytest.mark.parametrize("value", ["", " ", "abc", "12.5", "-3", "99999999999999999999"])
def test_unusable_source_date_epoch_is_an_error(tmp_path: Path, value: str) -> None:
    site = tmp_path / "s"
    create_site(site, title="T", province=None, ci=None, registry=REGISTRY)
    for args in (("build", "--base-url", "https://a.gov.vn"), ("check",)):
        result = cli(site, *args, epoch=value)
        assert result.returncode == 2, (value, args, result.stderr)
        assert "SOURCE_DATE_EPOCH" in result.stderr
    assert not (site / "output").exists()
    assert cli(site, "check", epoch=None).returncode == 0  # unset: the wall clock, as documented


def test_github_escapes_properties_and_data() -> None:
    d = Diagnostic("content/a,b:c%d\r\ne.md", 3, 4, "50% sai\r\nnext: a,b")
    line = format_all([d], "github")
    assert line == ("::error file=content/a%2Cb%3Ac%25d%0D%0Ae.md,line=3,col=4::50%25 sai%0D%0Anext: a,b")
    assert "\n" not in line


def test_gitlab_code_quality_report() -> None:
    ds = [
        Diagnostic("content/b.md", 0, 0, "x"),
        Diagnostic("content/a.md", 7, 2, "bad 'date'"),
        Diagnostic("content/a.md", 7, 2, "other"),
        Diagnostic("config.yaml", 4, 1, "w", Severity.WARNING),
    ]
    report = json.loads(format_all(ds, "gitlab"))
    assert len(report) == 4
    for item in report:
        assert set(item) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert set(item["location"]) == {"path", "lines"} and item["location"]["lines"]["begin"] >= 1
        assert item["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert len({item["fingerprint"] for item in report}) == 4  # same line, other message: another issue
    by_desc = {item["description"]: item for item in report}
    assert by_desc["bad 'date'"]["location"] == {"path": "content/a.md", "lines": {"begin": 7}}
    assert by_desc["w"]["severity"] == "minor" and by_desc["x"]["severity"] == "major"
    again = json.loads(format_all(list(reversed(ds)), "gitlab"))
    assert again == report  # stable across runs: GitLab compares fingerprints between pipelines


def test_check_format_gitlab_on_stdout(tmp_path: Path) -> None:
    site = tmp_path / "s"
    create_site(site, title="T", province=None, ci=None, registry=REGISTRY)
    (site / "content/articles/bad.md").write_text("---\ntitle: X\ndate: 2024-13-45\nprovince: ha-tinh\n---\n", "utf-8")
    result = cli(site, "check", "--format", "gitlab")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    errors = [r for r in report if r["location"]["path"] == "content/articles/bad.md"]
    assert errors and errors[0]["location"]["lines"]["begin"] == 3 and errors[0]["severity"] == "major"


def test_release_action_and_container_definitions() -> None:
    release = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text("utf-8"))
    triggers = release[True] if True in release else release["on"]  # YAML 1.1 reads `on` as true
    assert triggers["push"]["tags"] == ["v*"]
    publish = release["jobs"]["publish"]
    assert publish["permissions"]["id-token"] == "write"
    assert any(str(s.get("uses", "")).startswith("pypa/gh-action-pypi-publish@") for s in publish["steps"])
    assert not any("password" in (s.get("with") or {}) for s in publish["steps"])  # trusted publishing, no token
    action = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite" and action["inputs"]["version"]["required"] is True
    steps = action["runs"]["steps"]
    setup = [s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert setup and "cache" not in setup[0].get("with", {})
    cache = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    assert cache and cache[0]["with"]["path"] == ".cchc-cache"
    runs = [s.get("run", "") for s in steps]
    install = next(r for r in runs if "pip install" in r)
    assert "@${VERSION}" in install  # pinned to the requested tag
    assert [r for r in runs if "check" in r and "--format github" in r]
    assert [r for r in runs if "cchc-site build" in r and "SOURCE_DATE_EPOCH" in r]
    docker = (REPO / "Dockerfile").read_text("utf-8")
    assert "FROM python:3.11-slim" in docker and "install -y --no-install-recommends git" in docker
