"""Control characters never reach feeds, pages or the terminal; kiosk timers are bounded."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sitefactory import REPO

from cchc_site.build import check
from cchc_site.config.settings import load_config
from cchc_site.core.diagnostics import ConfigError, Diagnostic

URL = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193"


@pytest.mark.parametrize(
    "kind, text, line",
    [
        ("article", '---\ntitle: "NUL\\0 BEL\\a ESC\\e[31m"\ndate: 2024-01-01\nprovince: ha-tinh\n---\nx\n', 2),
        ("article", '---\ntitle: Tin\ndate: 2024-01-01\nprovince: ha-tinh\ntags: ["a", "b\\x9b"]\n---\nx\n', 5),
        (
            "service",
            '---\ntitle: T\nlevel: 4\nfield: Hộ tịch\nagency: UBND\nportal_url: "https://x.gov.vn/\\x01"\n---\nx\n',
            6,
        ),
        ("article", '---\ntitle: "LS\\uFFFE"\ndate: 2024-01-01\nprovince: ha-tinh\n---\nx\n', 2),
    ],
)
def test_control_characters_in_front_matter_are_errors_at_their_line(tmp_site, kind, text, line) -> None:  # type: ignore[no-untyped-def]
    folder = {"article": "articles", "service": "services"}[kind]
    site = tmp_site({f"content/{folder}/x.md": text})
    errors = [d for d in check(site.config(), cwd=site.root) if d.severity.value == "error"]
    assert [(d.path, d.line) for d in errors] == [(f"content/{folder}/x.md", line)], errors
    assert "control character" in errors[0].message


def test_messages_print_non_printable_characters_escaped(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {"content/articles/x.md": '---\ntitle: T\ndate: 2024-01-01\nprovince: "\\e]0;owned\\a\\e[2J"\n---\nx\n'}
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "cchc_site", "check"], cwd=site.root, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert Diagnostic("tệp\x1b.md", 1, 1, "Tỉnh\x9b").format_text() == "tệp\\x1b.md:1:1: error: Tỉnh\\x9b"


def test_a_control_character_in_the_config_title_is_a_config_error(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({}, {"title": "Trang\x1b[31m"})
    with pytest.raises(ConfigError) as info:
        load_config(site.root / "config.yaml")
    assert "control character" in info.value.diagnostics[0].message


@pytest.mark.parametrize(
    "kiosk, ok",
    [
        ({"idle_seconds": 86_400}, True),
        ({"idle_seconds": 2_147_483_648}, False),
        ({"idle_seconds": 86_401}, False),
        ({"countdown_seconds": 600}, True),
        ({"countdown_seconds": 601}, False),
        ({"countdown_seconds": 19}, False),
    ],
)
def test_kiosk_timers_are_bounded(tmp_site, kiosk, ok) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({}, {"kiosk": kiosk})
    if ok:
        load_config(site.root / "config.yaml")
        return
    with pytest.raises(ConfigError) as info:
        load_config(site.root / "config.yaml")
    (problem,) = info.value.diagnostics
    assert problem.line > 0 and "kiosk" in problem.message


def test_a_nul_in_a_slug_is_an_error_not_folded_away(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {"content/articles/x.md": '---\ntitle: T\ndate: 2024-01-01\nprovince: ha-tinh\nslug: "a\\0b"\n---\nx\n'}
    )
    errors = [d for d in check(site.config(), cwd=site.root) if d.severity.value == "error"]
    assert [(d.line, "control character" in d.message) for d in errors] == [(5, True)]


@pytest.mark.parametrize("tag", ["style", "script", "textarea", "title", "STYLE"])
def test_an_unclosed_raw_text_tag_is_an_error_at_its_line(tmp_site, tag: str) -> None:  # type: ignore[no-untyped-def]
    body = f"Đoạn một.\n\nĐoạn hai <{tag}>x\n\n[liên kết hỏng](khong-co.md)\n"
    site = tmp_site({"content/articles/x.md": f"---\ntitle: T\ndate: 2024-01-01\nprovince: ha-tinh\n---\n{body}"})
    errors = [d for d in check(site.config(), cwd=site.root) if d.severity.value == "error"]
    assert [(d.line, d.col) for d in errors] == [(8, 10)] and "never closed" in errors[0].message


def test_closed_tags_and_code_are_fine(tmp_site) -> None:  # type: ignore[no-untyped-def]
    body = "Mã `<script>` trong dòng.\n\n```\n<style>\n```\n\n<title>a</title> xong.\n"
    site = tmp_site({"content/articles/x.md": f"---\ntitle: T\ndate: 2024-01-01\nprovince: ha-tinh\n---\n{body}"})
    assert not [d for d in check(site.config(), cwd=site.root) if d.severity.value == "error"]
