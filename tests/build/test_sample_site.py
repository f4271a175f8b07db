"""The repository's own sample site builds cleanly and covers what SPEC §2 promises."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from sitefactory import NOW, REPO

from cchc_site.build import build_site
from cchc_site.config.settings import load_config
from cchc_site.edges.writer import replace_output

SITECHECK = REPO.parent / "shared" / "tools" / "sitecheck.py"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("sample") / "output"
    config = load_config(REPO / "config.yaml", output=out, cwd=REPO)
    result = build_site(config, now=NOW, cwd=REPO)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    replace_output(out, result.files, result.copies)
    return result, out


def test_sample_coverage(sample) -> None:  # type: ignore[no-untyped-def]
    result, _ = sample
    site = result.site
    assert len(site.articles) >= 8 and len(site.plans) >= 4 and len(site.pages) >= 2
    assert len(site.services) >= 12
    assert {s.level for s in site.services} == {3, 4}
    assert len({s.field for s in site.services}) >= 5
    provinces = Counter(site.registry.successor(e.province).slug for e in [*site.articles, *site.plans])
    assert len(provinces) >= 6
    former = {e.province for e in [*site.articles, *site.plans] if not site.registry.get(e.province).current}
    assert former & {"bac-kan", "bac-lieu", "binh-duong"}, "content for a former unit that lost its name"
    assert provinces["ha-tinh"] > 0, "content for an unmerged province"
    assert any(site.plan_articles.values()), "an article linked to its plan"


def test_sample_passes_sitecheck(sample) -> None:  # type: ignore[no-untyped-def]
    if not SITECHECK.is_file():
        pytest.skip("shared/tools/sitecheck.py not present")
    _, out = sample
    run = subprocess.run([sys.executable, str(SITECHECK), str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
    assert " 0 problems" in run.stdout


def test_sample_check_clean_including_drafts() -> None:
    from cchc_site.build import check

    diagnostics = check(load_config(REPO / "config.yaml", cwd=REPO), cwd=REPO)
    assert [d.format_text() for d in diagnostics] == []
