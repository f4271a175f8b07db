"""new: skeletons that pass check as written; never overwrite; province resolved or refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import yaml

from cchc_site.build import check
from cchc_site.domain.provinces import load_registry
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.edges.cli import main
from cchc_site.tools.scaffold import ScaffoldError, create

REGISTRY = load_registry()


def front(path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def test_every_kind_passes_check(tmp_site):
    site = tmp_site()
    content = site.root / "content"
    day = date(2025, 3, 4)
    paths = {
        kind: create(
            content, kind, 'Đẩy mạnh: cải cách "hành chính" #2025', "tỉnh Hà Tĩnh", registry=REGISTRY, today=day
        )
        for kind in ("article", "plan", "service", "page")
    }
    assert paths["article"] == content / "articles" / "day-manh-cai-cach-hanh-chinh-2025.md"
    assert paths["service"] == content / "services" / "day-manh-cai-cach-hanh-chinh-2025.md"
    article = front(paths["article"])
    assert article == {
        "title": 'Đẩy mạnh: cải cách "hành chính" #2025',
        "date": day,
        "province": "ha-tinh",
        "summary": "Một câu tóm tắt tin bài (hiện trong danh sách tin).",
        "tags": [],
        "draft": True,
    }
    plan = front(paths["plan"])
    assert plan["province"] == "ha-tinh" and plan["issuer"] == "UBND tỉnh Hà Tĩnh" and plan["draft"] is True
    assert "TODO" in paths["plan"].read_text("utf-8").split("number:")[1].split("\n")[0]
    assert front(paths["service"])["provinces"] == ["ha-tinh"]
    assert check(site.config(), cwd=site.root) == ()


def test_cli_new_uses_vietnam_date_and_refuses_to_overwrite(tmp_site, monkeypatch, capsys):
    site = tmp_site()
    monkeypatch.chdir(site.root)
    assert main(["new", "article", "Tin mới về CCHC", "--province", "TP.HCM"]) == 0
    path = site.root / "content/articles/tin-moi-ve-cchc.md"
    data = front(path)
    assert data["province"] == "ho-chi-minh" and data["draft"] is True
    assert data["date"] == datetime.now(VIETNAM_TZ).date()
    before = path.read_bytes()
    assert main(["new", "article", "Tin mới về CCHC", "--province", "Hà Tĩnh"]) == 1
    assert "already exists" in capsys.readouterr().err and path.read_bytes() == before
    assert main(["new", "page", "Giới thiệu"]) == 0
    assert main(["new", "service", "Đăng ký khai sinh"]) == 0
    assert front(site.root / "content/services/dang-ky-khai-sinh.md")["provinces"] == "all"
    assert main(["check"]) == 0


def test_slug_taken_in_a_subfolder_is_refused(tmp_site):
    site = tmp_site({"content/articles/2024/tin-a.md": "---\ntitle: A\ndate: 2024-01-01\nprovince: ha-tinh\n---\n"})
    with pytest.raises(ScaffoldError) as err:
        create(site.root / "content", "article", "Tin A", "ha-tinh", registry=REGISTRY)
    assert err.value.code == 1 and "tin-a" in str(err.value)


def test_unknown_or_missing_province(tmp_site, monkeypatch, capsys):
    site = tmp_site()
    monkeypatch.chdir(site.root)
    assert main(["new", "article", "Tin", "--province", "Ha Tinhh"]) == 2
    err = capsys.readouterr().err
    assert "unknown province 'Ha Tinhh'" in err and "Hà Tĩnh" in err
    assert main(["new", "plan", "Kế hoạch"]) == 2
    assert "--province" in capsys.readouterr().err
    assert not (site.root / "content/articles").exists() and not (site.root / "content/plans").exists()


def test_single_province_site_defaults_province(tmp_site, monkeypatch):
    site = tmp_site(config={"provinces": ["Cà Mau"]})
    monkeypatch.chdir(site.root)
    assert main(["new", "plan", "Kế hoạch CCHC năm 2026"]) == 0
    plan = front(site.root / "content/plans/ke-hoach-cchc-nam-2026.md")
    assert plan["province"] == "ca-mau" and plan["issuer"] == "UBND tỉnh Cà Mau"
    assert main(["check"]) == 0
