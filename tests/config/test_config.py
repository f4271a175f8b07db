"""config.yaml: paths relative to the file, unknown keys and bad values refused (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_site.config.settings import load_config
from cchc_site.core.diagnostics import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site" / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path, cwd=path.parent)
    return [d.format_text() for d in info.value.diagnostics]


def test_defaults_and_paths_relative_to_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, "title: T\nbase_url: https://x.gov.vn/cchc/\ncontent_dir: noi-dung\n")
    config = load_config(path, cwd=tmp_path)
    assert config.content_dir == (tmp_path / "site" / "noi-dung").resolve()
    assert config.output_dir == (tmp_path / "site" / "output").resolve()
    assert config.templates_dir == (tmp_path / "site" / "templates").resolve()
    assert config.base_url == "https://x.gov.vn/cchc"
    assert config.provinces is None
    assert config.kiosk.idle_seconds == 120


def test_unknown_key_reported_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "title: T\nbase_url: https://x.vn\ntitel: oops\n")
    assert problems(path) == [
        "config.yaml:3:1: error: unknown config key 'titel' (known keys: base_url, "
        "content_dir, description, glossary, kiosk, logo, news_per_page, offline_budget_mb, "
        "output_dir, provinces, short_name, templates_dir, theme_color, title)"
    ]


@pytest.mark.parametrize(
    "text, fragment, line",
    [
        ("title: T\nbase_url: cchc.gov.vn\n", "must be an absolute http(s) URL", 2),
        ("base_url: https://x.vn\n", "'title' is required", 1),
        ("title: T\nbase_url: https://x.vn\noutput_dir: content\n", "contains content_dir", 3),
        ("title: T\nbase_url: https://x.vn\noutput_dir: .\n", "contains", 3),
        ("title: T\nbase_url: https://x.vn\noutput_dir: /\n", "system folder", 3),
        ("title: T\nbase_url: https://x.vn\noutput_dir: ..\n", "contains", 3),
        ("title: T\nbase_url: https://x.vn\nprovinces: [Narnia]\n", "unknown province 'Narnia'", 3),
        ("title: T\nbase_url: https://x.vn\nkiosk:\n  idle_seconds: 60\n  countdown_seconds: 5\n", "from 20", 5),
        ("title: T\nbase_url: https://x.vn\nkiosk:\n  idle: 60\n", "unknown kiosk key 'idle'", 4),
        ("title: T\nbase_url: [https://x.vn\n", "YAML syntax error", 3),
        ("- a\n- b\n", "must be a mapping", 1),
    ],
)
def test_bad_config(tmp_path: Path, text: str, fragment: str, line: int) -> None:
    found = problems(write(tmp_path, text))
    assert any(fragment in p and p.startswith(f"config.yaml:{line}:") for p in found), found


def test_missing_config_file(tmp_path: Path) -> None:
    message = problems(tmp_path / "nope.yaml")[0]
    assert "error: config file not found" in message and "`cchc-site init`" in message


def test_single_province_microsite_and_glossary(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "title: T\nbase_url: https://x.vn\nprovinces: [Bắc Kạn, ha-tinh]\n"
        "glossary:\n  TTPVHCC: Trung tâm Phục vụ hành chính công\n",
    )
    config = load_config(path, cwd=tmp_path)
    assert config.provinces == ("thai-nguyen", "ha-tinh")  # a former unit names its successor
    assert config.glossary["TTPVHCC"] == "Trung tâm Phục vụ hành chính công"


def test_cli_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "title: T\nbase_url: https://x.vn\n")
    config = load_config(path, output=tmp_path / "out", base_url="https://host.vn/tinh/ha-tinh/")
    assert config.output_dir == (tmp_path / "out").resolve()
    assert config.base_url == "https://host.vn/tinh/ha-tinh"
