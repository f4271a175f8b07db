"""Online public services (SPEC §3 service, §6): level parsing and its errors,
the catalogue by level, field and province, and each service page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from cchc_site.content.frontmatter import Context, FieldError, code, level, parse
from cchc_site.core.model import Source
from cchc_site.domain.provinces import load_registry
from cchc_site.site.assemble import services_for

CTX = Context(load_registry())
URL = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc="


def service(
    title: str,
    lvl: str,
    *,
    provinces: str | None = None,
    field: str = "Hộ tịch",
    extra: str = "",
    body: str = "**Bước 1.** Đăng nhập VNeID.\n",
    url: str | None = None,
) -> str:
    lines = [
        "---",
        f"title: {title}",
        f"level: {lvl}",
        f"field: {field}",
        "agency: UBND cấp xã",
        f"portal_url: {url or URL + '1.000001'}",
    ]
    if provinces is not None:
        lines.append(f"provinces: {provinces}")
    return "\n".join(lines) + "\n" + extra + "---\n" + body


# ---------------------------------------------------------------- level parsing


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, 3),
        (4, 4),
        ("3", 3),
        ("4", 4),
        ("một phần", 3),
        ("Một phần", 3),
        ("MỘT PHẦN", 3),
        ("mot phan", 3),
        ("Mot Phan", 3),
        (" một  phần ", 3),
        ("toàn trình", 4),
        ("Toàn Trình", 4),
        ("TOAN TRINH", 4),
        ("toan trinh", 4),
        ("toàn-trình", 4),
        ("Mức độ 3", 3),
        ("muc do 4", 4),
        ("Mức độ 4 (toàn trình)", 4),
        ("mức độ 3 (một phần)", 3),
    ],
)
def test_level_accepts_numbers_and_todays_names_in_any_case(value: object, expected: int) -> None:
    assert level(value, CTX) == expected


@pytest.mark.parametrize(
    "value",
    [5, 2, 1, "2", "mức độ 2", "toàn phần", "một", "", "4.5", True, None, 4.0, ["toàn trình"], "mức độ 3 (toàn trình)"],
)
def test_level_rejects_anything_else_naming_the_accepted_values(value: object) -> None:
    with pytest.raises(FieldError) as exc:
        level(value, CTX)
    message = str(exc.value)
    for accepted in ("3", "4", '"một phần"', '"toàn trình"'):
        assert accepted in message


def src(text: str) -> Source:
    return Source(
        path=Path("/s/content/services/x.md"),
        rel="content/services/x.md",
        kind="service",  # type: ignore[arg-type]
        text=text,
    )


def test_bad_level_is_reported_at_its_line_in_a_build(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/services/x.md": service("Thử", "mức độ 5")})
    result = site.build()
    assert not result.ok
    errors = [d for d in result.diagnostics if "level" in d.message]
    assert len(errors) == 1
    assert errors[0].path.endswith("content/services/x.md") and errors[0].line == 3
    assert "một phần" in errors[0].message and "toàn trình" in errors[0].message


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://dichvucong.gov.vn/", True),
        ("https://dichvucong.camau.gov.vn/dich-vu?ma=1.000894&kenh=2", True),
        ("http://dichvucong.gov.vn/", False),
        ("dichvucong.gov.vn", False),
        ("https://dich vu cong.gov.vn/", False),
        ("javascript:alert(1)", False),
    ],
)
def test_portal_url_must_be_https(url: str, ok: bool) -> None:
    front, diags = parse(src(service("Thử", "4", url=url)), CTX)
    assert (front is not None) is ok, diags
    if not ok:
        assert len(diags) == 1 and "portal_url" in diags[0].message and "https://" in diags[0].message
        assert diags[0].line == 6


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1.001234", "1.001234"),
        ("2.000884", "2.000884"),
        ("3.000181", "3.000181"),
        ("1.000494.000.00.00.H29", "1.000494.000.00.00.H29"),
        ("1.001612.000.00.00.h48", "1.001612.000.00.00.H48"),
    ],
)
def test_code_accepts_procedure_codes_with_optional_provincial_suffix(value: str, expected: str) -> None:
    assert code(value, CTX) == expected


@pytest.mark.parametrize(
    "value", ["1.1234", "1001234", "A.001234", "1.001234.H29", "1.001234.000.00.00", "1.0012345", 1.00089]
)
def test_code_rejects_other_shapes(value: object) -> None:
    with pytest.raises(FieldError) as exc:
        code(value, CTX)
    assert "1.001234" in str(exc.value)


def test_processing_time_and_fee_per_channel() -> None:
    extra = (
        "processing_time:\n  trực tiếp: 05 ngày làm việc\n  Truc tuyen: 03 ngày làm việc\n"
        "fee:\n  trực tiếp: 10000\n  trực tuyến: 0\n  bưu chính: Theo giá cước\n"
    )
    front, diags = parse(src(service("Thử", "4", extra=extra)), CTX)
    assert diags == [] and front is not None
    assert [(c.channel, c.value) for c in front.fields["processing_time"]] == [
        ("Trực tiếp", "05 ngày làm việc"),
        ("Trực tuyến", "03 ngày làm việc"),
    ]
    assert [(c.channel, c.value) for c in front.fields["fee"]] == [
        ("Trực tiếp", "10.000 đồng"),
        ("Trực tuyến", "Miễn phí"),
        ("Bưu chính", "Theo giá cước"),
    ]
    plain, _ = parse(src(service("Thử", "4", extra="fee: 0\nprocessing_time: Trong ngày\n")), CTX)
    assert plain is not None and plain.fields["fee"][0].channel is None
    bad, diags = parse(src(service("Thử", "4", extra="fee:\n  qua mạng: 0\n")), CTX)
    assert bad is None and "trực tiếp, trực tuyến or bưu chính" in diags[0].message and diags[0].line == 8


# ------------------------------------------------------------------- catalogue


def service_links(page: str, start: str = "", end: str = "") -> list[str]:
    """Slugs of the services linked from the service lists of `page` (optionally a section of it)."""
    if start:
        page = page[page.index(start) :]
    if end:
        page = page[: page.index(end)]
    slugs = []
    for block in re.findall(r'<ul class="entry-list service-list">(.*?)</ul>', page, re.S):
        slugs += re.findall(r'href="(?:\.\./)*(?:dich-vu-cong/)?([a-z0-9-]+)/index\.html"', block)
    return sorted(slugs)


CATALOGUE = {
    # slug: (level as written, provinces, field)
    "a-toan-quoc-4": ("toàn trình", "all", "Hộ tịch"),
    "b-mac-dinh-3": ("3", None, "Hộ tịch"),  # provinces omitted = all
    "c-ca-mau-4": ("Toàn Trình", "[Cà Mau]", "Cư trú"),
    "d-bac-lieu-3": ("mot phan", "[Bạc Liêu]", "Đất đai"),  # former unit merged into Cà Mau
    "e-ha-tinh-4": ("4", "[ha-tinh]", "Đất đai"),
    "f-bac-kan-3": ("Một phần", "[tỉnh Bắc Kạn]", "Chứng thực"),  # former unit merged into Thái Nguyên
    "g-hcm-ca-mau-4": ("toàn trình", "[TP.HCM, bac lieu]", "Chứng thực"),
    "h-binh-duong-3": ("một phần", "[Bình Dương]", "Cư trú"),  # former unit merged into Hồ Chí Minh
}


@pytest.fixture
def catalogue(tmp_site):  # type: ignore[no-untyped-def]
    files = {}
    for slug, (lvl, provinces, field) in CATALOGUE.items():
        files[f"content/services/{slug}.md"] = service(f"Dịch vụ {slug}", lvl, provinces=provinces, field=field)
    site = tmp_site(files)
    result = site.build()
    assert result.ok, [str(d) for d in result.diagnostics]
    return site, result


def expected(pred) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(s for s, v in CATALOGUE.items() if pred(v))


def test_each_level_page_lists_exactly_the_services_of_its_level(catalogue) -> None:  # type: ignore[no-untyped-def]
    site, result = catalogue
    four = service_links(site.html(result, "dich-vu-cong/muc-do-4/index.html"))
    three = service_links(site.html(result, "dich-vu-cong/muc-do-3/index.html"))
    assert four == ["a-toan-quoc-4", "c-ca-mau-4", "e-ha-tinh-4", "g-hcm-ca-mau-4"]
    assert three == ["b-mac-dinh-3", "d-bac-lieu-3", "f-bac-kan-3", "h-binh-duong-3"]
    page4 = site.html(result, "dich-vu-cong/muc-do-4/index.html")
    assert "<h1>Dịch vụ công trực tuyến Mức độ 4 (toàn trình)</h1>" in page4
    assert "Mức độ 3 (một phần)" in site.html(result, "dich-vu-cong/muc-do-3/index.html")


def test_each_field_page_lists_exactly_the_services_of_its_field(catalogue) -> None:  # type: ignore[no-untyped-def]
    site, result = catalogue
    for name, slug in [
        ("Hộ tịch", "ho-tich"),
        ("Cư trú", "cu-tru"),
        ("Đất đai", "dat-dai"),
        ("Chứng thực", "chung-thuc"),
    ]:
        page = site.html(result, f"dich-vu-cong/linh-vuc/{slug}/index.html")
        assert service_links(page) == expected(lambda v, n=name: v[2] == n), name
        assert f"lĩnh vực {name}" in page


@pytest.mark.parametrize(
    "province, want",
    [
        # current unit with merged former units: all + itself + its former units
        ("ca-mau", ["a-toan-quoc-4", "b-mac-dinh-3", "c-ca-mau-4", "d-bac-lieu-3", "g-hcm-ca-mau-4"]),
        ("thai-nguyen", ["a-toan-quoc-4", "b-mac-dinh-3", "f-bac-kan-3"]),
        ("ho-chi-minh", ["a-toan-quoc-4", "b-mac-dinh-3", "g-hcm-ca-mau-4", "h-binh-duong-3"]),
        ("ha-tinh", ["a-toan-quoc-4", "b-mac-dinh-3", "e-ha-tinh-4"]),
        ("cao-bang", ["a-toan-quoc-4", "b-mac-dinh-3"]),
    ],
)
def test_province_page_lists_its_services_and_no_others(catalogue, province: str, want: list[str]) -> None:  # type: ignore[no-untyped-def]
    site, result = catalogue
    page = site.html(result, f"tinh/{province}/index.html")
    assert service_links(page, '<h2 id="dich-vu-cong"', "</section>") == want


def test_services_for_matches_former_unit_names(catalogue) -> None:  # type: ignore[no-untyped-def]
    site, result = catalogue
    registry = result.site.registry
    services = result.site.services
    got = {s.slug for s in services_for(registry.get("ca-mau"), services, registry)}
    assert got == {"a-toan-quoc-4", "b-mac-dinh-3", "c-ca-mau-4", "d-bac-lieu-3", "g-hcm-ca-mau-4"}
    # a former unit's own page keeps the services that name it
    former = {s.slug for s in services_for(registry.get("bac-lieu"), services, registry)}
    assert former == {"d-bac-lieu-3", "g-hcm-ca-mau-4"}


def test_guide_page_links_the_whole_catalogue(catalogue) -> None:  # type: ignore[no-untyped-def]
    site, result = catalogue
    page = site.html(result, "dich-vu-cong/index.html")
    assert 'href="muc-do-4/index.html"' in page and 'href="muc-do-3/index.html"' in page
    for slug in ("ho-tich", "cu-tru", "dat-dai", "chung-thuc"):
        assert f'href="linh-vuc/{slug}/index.html"' in page
    assert 'href="../tinh/ca-mau/index.html#dich-vu-cong">Cà Mau <span class="count">(5)</span>' in page
    assert len(re.findall(r'href="\.\./tinh/[a-z0-9-]+/index\.html#dich-vu-cong"', page)) == 34
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for phrase in (
        "Nghị định 42/2022/NĐ-CP",
        "Nghị định 43/2011/NĐ-CP",
        "15/8/2022",
        "VNeID",
        "1/7/2024",
        "Cổng Dịch vụ công quốc gia",
        "toàn trình",
        "một phần",
        "mã hồ sơ",
        "biên lai",
    ):
        assert phrase in text, phrase


def test_a_site_replaces_the_guide_text(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            "content/services/a.md": service("Một dịch vụ", "4"),
            "templates/partials/guide.html": '<p id="rieng">Hướng dẫn riêng của tỉnh.</p>\n',
        }
    )
    result = site.build()
    assert result.ok
    page = site.html(result, "dich-vu-cong/index.html")
    assert '<p id="rieng">Hướng dẫn riêng của tỉnh.</p>' in page
    assert "Nghị định 43/2011" not in page
    assert 'id="danh-muc"' in page  # the catalogue stays


# ---------------------------------------------------------------- service page

FULL = """\
---
title: Đăng ký khai sinh
code: "1.001193"
level: toàn trình
field: Hộ tịch
agency: UBND cấp xã nơi cư trú của cha hoặc mẹ
portal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193&kenh=2
provinces: [Cà Mau, Bạc Liêu]
summary: Khai sinh cho trẻ em sinh ra tại Việt Nam.
processing_time:
  trực tiếp: Ngay trong ngày
  trực tuyến: Ngay trong ngày làm việc khi nhận đủ hồ sơ
fee:
  trực tiếp: 0
  trực tuyến: 0
documents:
  - Tờ khai đăng ký khai sinh
  - Giấy chứng sinh
result: Giấy khai sinh (bản điện tử và bản giấy)
legal_basis:
  - Luật Hộ tịch số 60/2014/QH13
  - Nghị định 123/2015/NĐ-CP
---
**Bước 1.** Đăng nhập bằng VNeID.

**Bước 2.** Khai tờ khai và đính kèm giấy chứng sinh.
"""


@pytest.fixture
def full(tmp_site):  # type: ignore[no-untyped-def]
    site = tmp_site({"content/services/ho-tich/dang-ky-khai-sinh.md": FULL})
    result = site.build()
    assert result.ok, [str(d) for d in result.diagnostics]
    return site.html(result, "dich-vu-cong/dang-ky-khai-sinh/index.html")


def facts(page: str) -> dict[str, str]:
    table = re.search(r'<table class="facts-table">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r'<th scope="row">(.*?)</th><td[^>]*>(.*?)</td></tr>', table, re.S)
    return {k: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", v)).split()) for k, v in rows}


def test_service_page_facts_table(full: str) -> None:
    f = facts(full)
    assert list(f) == [
        "Mã thủ tục",
        "Mức độ",
        "Lĩnh vực",
        "Cơ quan thực hiện",
        "Thời hạn giải quyết",
        "Phí, lệ phí",
        "Thành phần hồ sơ",
        "Kết quả",
        "Căn cứ pháp lý",
        "Áp dụng tại",
    ]
    assert f["Mã thủ tục"] == "1.001193"
    assert f["Mức độ"] == "Mức độ 4 (toàn trình)"
    assert f["Lĩnh vực"] == "Hộ tịch"
    assert f["Thời hạn giải quyết"] == (
        "Trực tiếp: Ngay trong ngày Trực tuyến: Ngay trong ngày làm việc khi nhận đủ hồ sơ"
    )
    assert f["Phí, lệ phí"] == "Trực tiếp: Miễn phí Trực tuyến: Miễn phí"
    assert f["Thành phần hồ sơ"] == "Tờ khai đăng ký khai sinh Giấy chứng sinh"
    assert f["Căn cứ pháp lý"] == "Luật Hộ tịch số 60/2014/QH13 Nghị định 123/2015/NĐ-CP"
    assert f["Áp dụng tại"] == "Cà Mau, Bạc Liêu (cũ)"
    assert "<caption>Thông tin thủ tục</caption>" in full
    assert 'href="../linh-vuc/ho-tich/index.html"' in full


def test_service_page_steps_link_and_qr(full: str) -> None:
    url = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193&amp;kenh=2"
    assert f'<a class="button button-primary portal-link" href="{url}"' in full
    assert f'<span class="url-text">{url}</span>' in full
    assert "<strong>Bước 1.</strong>" in full and '<h2 id="cac-buoc">Các bước thực hiện</h2>' in full
    figure = re.search(r'<figure class="qr">(.*?)</figure>', full, re.S).group(1)
    assert figure.strip().startswith('<svg xmlns="http://www.w3.org/2000/svg" class="qr-code"')
    assert 'role="img" aria-label="Mã QR mở thủ tục Đăng ký khai sinh trên cổng dịch vụ công"' in figure
    assert "<figcaption>Quét mã QR" in figure
    assert " style=" not in full and "<?xml" not in full
    assert '<p class="print-only print-source wrap">' in full


def test_steps_heading_is_not_doubled_when_the_body_has_its_own(tmp_site) -> None:  # type: ignore[no-untyped-def]
    body = "## Các bước thực hiện\n\n**Bước 1.** Nộp hồ sơ.\n"
    site = tmp_site({"content/services/a.md": service("Một dịch vụ", "3", body=body)})
    result = site.build()
    page = site.html(result, "dich-vu-cong/a/index.html")
    assert page.count("Các bước thực hiện</h2>") == 1
    assert "Mức độ 3 (một phần)" in page


def test_single_value_time_and_fee_without_channel(tmp_site) -> None:  # type: ignore[no-untyped-def]
    extra = "processing_time: 03 ngày làm việc\nfee: 50000\n"
    site = tmp_site({"content/services/a.md": service("Một dịch vụ", "4", extra=extra)})
    result = site.build()
    f = facts(site.html(result, "dich-vu-cong/a/index.html"))
    assert f["Thời hạn giải quyết"] == "03 ngày làm việc"
    assert f["Phí, lệ phí"] == "50.000 đồng"
    assert "Mã thủ tục" not in f
    assert f["Áp dụng tại"] == "Tất cả tỉnh, thành phố"


def test_service_naming_a_former_unit_is_labelled_on_the_current_page(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            "content/services/dat-dai.md": "---\ntitle: Đăng ký đất đai\nlevel: 3\nfield: Đất đai\nagency: Sở Nông nghiệp\n"
            "portal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193\nprovinces: [bac-lieu]\n---\nBước 1.\n",
            "content/services/khai-sinh.md": "---\ntitle: Đăng ký khai sinh\nlevel: 4\nfield: Hộ tịch\nagency: UBND cấp xã\n"
            "portal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193\nprovinces: [ca-mau]\n---\nBước 1.\n",
        }
    )
    result = site.build()
    assert result.ok, result.diagnostics
    page = result.files["tinh/ca-mau/index.html"].decode()
    land = page.split("Đăng ký đất đai")[1].split("</li>")[0]
    birth = page.split("Đăng ký khai sinh")[1].split("</li>")[0]
    assert "Bạc Liêu (cũ)" in land
    assert "(cũ)" not in birth
