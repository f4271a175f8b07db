"""Nothing disappears silently: the build says what it left out, a date far ahead is a
warning at its line, `list` shows drafts and future entries, the preview marks drafts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sitefactory import NOW, REPO

from cchc_site.build import build_site, check

DRAFT = "---\ntitle: Tin nháp\ndate: 2024-01-02\nprovince: ha-tinh\ndraft: true\n---\nx\n"
TYPO = "---\ntitle: Tin gõ nhầm năm\ndate: 2052-03-01\nprovince: quang-binh\n---\nx\n"
SOON = "---\ntitle: Tin sắp đăng\ndate: 2026-12-20\nprovince: ha-tinh\n---\nx\n"
PLAIN = "---\ntitle: Tin thường\ndate: 2024-01-02\nprovince: ha-tinh\n---\nx\n"
FILES = {
    "content/articles/nhap.md": DRAFT,
    "content/articles/nham.md": TYPO,
    "content/articles/sap.md": SOON,
    "content/articles/thuong.md": PLAIN,
}


def cli(site, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    return subprocess.run(
        [sys.executable, "-m", "cchc_site", *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_build_summary_says_what_it_left_out(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(FILES)
    result = site.build()
    assert result.left_out == (1, 2) and result.next_due is not None
    done = cli(site, "build")
    assert done.returncode == 0
    assert "left out: 1 draft, 2 dated in the future (the nearest on 2026-12-20)" in done.stdout


def test_a_date_more_than_a_year_ahead_is_a_warning_at_its_line(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(FILES)
    warnings = [
        d for d in check(site.config(), cwd=site.root) if d.severity.value == "warning" and "ahead" in d.message
    ]
    assert [(d.path, d.line) for d in warnings] == [("content/articles/nham.md", 3)]
    assert "2052-03-01" in warnings[0].message and "year" in warnings[0].message
    assert all("year ahead" not in d.message for d in site.build().diagnostics if d.path.endswith("sap.md"))


def test_list_shows_drafts_future_and_all(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(FILES)
    drafts = cli(site, "list", "drafts")
    assert drafts.returncode == 0 and "Tin nháp" in drafts.stdout and "Tin thường" not in drafts.stdout
    future = json.loads(cli(site, "list", "future", "--format", "json").stdout)
    assert sorted(r["title"] for r in future) == ["Tin gõ nhầm năm", "Tin sắp đăng"]
    assert {r["province"] for r in future} == {"Quảng Bình (cũ)", "Hà Tĩnh"}
    everything = json.loads(cli(site, "list", "--format", "json").stdout)
    assert [r["path"] for r in everything] == sorted(FILES)
    assert {r["status"] for r in everything} == {"bản nháp", "chưa đến ngày", "đã đăng"}


def test_the_preview_shows_drafts_with_a_banner_and_a_build_never_does(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(FILES)
    preview = build_site(site.config(), drafts=True, now=NOW, cwd=site.root)
    assert "Bản nháp" in preview.files["tin-tuc/nhap/index.html"].decode()
    assert "Bản nháp" not in preview.files["tin-tuc/thuong/index.html"].decode()
    published = site.build()
    assert "tin-tuc/nhap/index.html" not in published.files
    assert not any("draft-banner" in d.decode() for p, d in published.files.items() if p.endswith(".html"))


def test_serve_shows_drafts_unless_told_not_to() -> None:
    from cchc_site.edges.cli import make_parser

    assert make_parser(["serve"]).parse_args(["serve"]).drafts is True
    assert make_parser(["serve"]).parse_args(["serve", "--no-drafts"]).drafts is False
