"""Whole builds of small fixture sites: every SPEC §5 path, province indexes with
former units, plan ↔ article links, drafts, escaping, overrides, feeds."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import PurePosixPath

import pytest
from sitefactory import NOW, TmpSite

FILES = {
    "content/articles/2022/bac-kan.md": """\
---
title: Bắc Kạn đẩy mạnh CCHC
date: 2022-03-10
province: Bắc Kạn
plan: kh-38
summary: Tóm tắt <b>đậm</b>
---
## Đẩy mạnh chuyển đổi số

Xem [kế hoạch](../../plans/kh-38.md) và [dịch vụ](../../services/khai-sinh.md#buoc-1).
""",
    "content/articles/2026/thai-nguyen.md": """\
---
title: Thái Nguyên triển khai kế hoạch
date: 05/10/2026
province: tỉnh Thái Nguyên
---
Nội dung.
""",
    "content/articles/ha-tinh.md": """\
---
title: Hà Tĩnh công bố chỉ số {{ 7*7 }}
date: 2021-01-05
province: ha-tinh
plan: kh-38
---
Nội dung {% raw %} <script>alert(1)</script>
""",
    "content/articles/national.md": """\
---
title: Tin toàn quốc
date: 2025-08-01
province: trung-uong
---
Văn bản.
""",
    "content/articles/draft.md": """\
---
title: Bản nháp
date: 2025-01-01
province: ha-tinh
draft: true
---
Nháp.
""",
    "content/articles/future.md": """\
---
title: Tin tương lai
date: 2027-01-01
province: ha-tinh
---
Sau.
""",
    "content/plans/kh-38.md": """\
---
title: Kế hoạch CCHC năm 2022
number: 38/KH-UBND
issued: 2022-01-20
issuer: UBND tỉnh Bắc Kạn
province: bac-kan
attachments:
  - title: Toàn văn
    file: kh-38.pdf
---
Mục tiêu.
""",
    "content/plans/kh-2021.md": """\
---
title: Kế hoạch tuyên truyền 2021
number: 493/KH-UBND
issued: 21/12/2020
issuer: UBND tỉnh Hà Tĩnh
province: ha-tinh
year: 2021
---
Tuyên truyền.
""",
    "content/files/kh-38.pdf": "%PDF-1.4 test",
    "content/services/khai-sinh.md": """\
---
title: Đăng ký khai sinh
level: toàn trình
field: Hộ tịch
agency: UBND cấp xã
portal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193
code: "1.001193"
---
## Bước 1

Đăng nhập.
""",
    "content/services/dat-dai.md": """\
---
title: Đăng ký đất đai
level: 3
field: Đất đai
agency: Văn phòng đăng ký đất đai
portal_url: https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193
provinces: [bac-kan]
---
Bước 1.
""",
    "content/pages/gioi-thieu.md": """\
---
title: Giới thiệu
---
Trang giới thiệu.
""",
}


@pytest.fixture
def site(tmp_site) -> TmpSite:  # type: ignore[no-untyped-def]
    return tmp_site(FILES)


@pytest.fixture
def result(site: TmpSite):  # type: ignore[no-untyped-def]
    built = site.build()
    assert built.ok, [d.format_text() for d in built.diagnostics]
    return built


SPEC_PATHS = [
    "index.html",
    "tinh/index.html",
    "tinh/thai-nguyen/index.html",
    "tinh/bac-kan/index.html",
    "tinh/thai-nguyen/feed.xml",
    "ke-hoach/index.html",
    "ke-hoach/kh-38/index.html",
    "tin-tuc/index.html",
    "tin-tuc/bac-kan/index.html",
    "dich-vu-cong/index.html",
    "dich-vu-cong/muc-do-3/index.html",
    "dich-vu-cong/muc-do-4/index.html",
    "dich-vu-cong/khai-sinh/index.html",
    "gioi-thieu/index.html",
    "tim-kiem/index.html",
    "404.html",
    "sitemap.xml",
    "feed.xml",
    "robots.txt",
    "manifest.webmanifest",
    "files/kh-38.pdf",
]


def test_every_spec_path_exists(result) -> None:  # type: ignore[no-untyped-def]
    paths = set(result.files) | set(result.copies)
    missing = [p for p in SPEC_PATHS if p not in paths]
    assert missing == []
    assert any(re.match(r"assets/style\.[0-9a-f]{10}\.css$", p) for p in paths)


def test_all_63_province_pages(result) -> None:  # type: ignore[no-untyped-def]
    pages = [p for p in result.files if re.match(r"tinh/[a-z-]+/index\.html$", p)]
    assert len(pages) == 34 + 29


def test_drafts_and_future_left_out_unless_asked(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    assert "tin-tuc/draft/index.html" not in result.files
    assert "tin-tuc/future/index.html" not in result.files
    with_drafts = site.build(drafts=True)
    assert "tin-tuc/draft/index.html" in with_drafts.files
    assert "tin-tuc/future/index.html" in with_drafts.files


def test_current_province_includes_former_units_labelled(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    page = site.html(result, "tinh/thai-nguyen/index.html")
    assert "Bắc Kạn đẩy mạnh CCHC" in page and "Thái Nguyên triển khai kế hoạch" in page
    assert "Bắc Kạn (cũ)" in page
    assert "Hà Tĩnh công bố" not in page
    # newest first
    assert page.index("Thái Nguyên triển khai") < page.index("Bắc Kạn đẩy mạnh")


def test_former_unit_page_has_notice_and_link(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    page = site.html(result, "tinh/bac-kan/index.html")
    assert "Từ ngày 1/7/2025" in page and "tỉnh Thái Nguyên" in page
    assert 'href="../thai-nguyen/index.html"' in page
    assert "Bắc Kạn đẩy mạnh CCHC" in page and "Thái Nguyên triển khai" not in page


def test_province_services(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    thai = site.html(result, "tinh/thai-nguyen/index.html")
    ha_tinh = site.html(result, "tinh/ha-tinh/index.html")
    assert "Đăng ký khai sinh" in thai and "Đăng ký khai sinh" in ha_tinh  # provinces: all
    assert "Đăng ký đất đai" in thai  # names bac-kan, merged into Thái Nguyên
    assert "Đăng ký đất đai" not in ha_tinh


def test_plan_links_both_ways(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    article = site.html(result, "tin-tuc/bac-kan/index.html")
    assert 'href="../../ke-hoach/kh-38/index.html"' in article and "38/KH-UBND" in article
    plan = site.html(result, "ke-hoach/kh-38/index.html")
    assert "Bắc Kạn đẩy mạnh CCHC" in plan and "Hà Tĩnh công bố" in plan
    assert 'href="../../tin-tuc/bac-kan/index.html"' in plan
    assert 'href="../../files/kh-38.pdf"' in plan


def test_markdown_links_between_files_become_page_links(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    article = site.html(result, "tin-tuc/bac-kan/index.html")
    assert 'href="../../dich-vu-cong/khai-sinh/index.html#buoc-1"' in article
    assert 'id="day-manh-chuyen-doi-so"' in article
    assert '<abbr title="cải cách hành chính">CCHC</abbr>' not in article.split("<h1>")[0]


def test_front_matter_and_template_syntax_escaped(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    article = site.html(result, "tin-tuc/ha-tinh/index.html")
    assert "{{ 7*7 }}" in article and ">49<" not in article
    assert "<script>alert" not in article
    bac = site.html(result, "tin-tuc/bac-kan/index.html")
    assert "Tóm tắt &lt;b&gt;đậm&lt;/b&gt;" in bac


def test_plans_grouped_by_year(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    page = site.html(result, "ke-hoach/index.html")
    assert page.index('id="nam-2022"') < page.index('id="nam-2021"')
    assert "493/KH-UBND" in page.split('id="nam-2021"')[1]


def test_dates_shown_dd_mm_yyyy(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    page = site.html(result, "ke-hoach/kh-2021/index.html")
    assert "21/12/2020" in page


def test_news_pagination(tmp_site) -> None:  # type: ignore[no-untyped-def]
    files = {
        f"content/articles/a{i:02d}.md": f"---\ntitle: Tin số {i}\ndate: 2024-01-{i:02d}\nprovince: ha-tinh\n---\nx\n"
        for i in range(1, 24)
    }
    site = tmp_site(files, config={"news_per_page": 10})
    result = site.build()
    assert {"tin-tuc/index.html", "tin-tuc/trang-2/index.html", "tin-tuc/trang-3/index.html"} <= set(result.files)
    assert "tin-tuc/trang-4/index.html" not in result.files
    first = site.html(result, "tin-tuc/index.html")
    assert "Tin số 23" in first and "Tin số 13" not in first
    assert 'href="trang-2/index.html"' in first
    second = site.html(result, "tin-tuc/trang-2/index.html")
    assert 'href="../index.html"' in second and "Tin số 13" in second


def test_canonical_sitemap_feeds_use_base_url(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    article = site.html(result, "tin-tuc/bac-kan/index.html")
    assert '<link rel="canonical" href="https://cchc.example.gov.vn/tin-tuc/bac-kan/">' in article
    sitemap = result.files["sitemap.xml"].decode()
    assert "<loc>https://cchc.example.gov.vn/tin-tuc/bac-kan/</loc>" in sitemap
    assert "404" not in sitemap
    feed = result.files["feed.xml"].decode()
    assert "<id>https://cchc.example.gov.vn/tin-tuc/bac-kan/</id>" in feed
    assert "<updated>2026-10-05T00:00:00+07:00</updated>" in feed  # newest content, not wall-clock
    province_feed = result.files["tinh/thai-nguyen/feed.xml"].decode()
    assert "Bắc Kạn đẩy mạnh" in province_feed and "Hà Tĩnh" not in province_feed.split("<entry>", 1)[1]
    assert "Sitemap: https://cchc.example.gov.vn/sitemap.xml" in result.files["robots.txt"].decode()


def test_base_url_override(site: TmpSite) -> None:
    from cchc_site.build import build_site

    config = site.config(base_url="https://host.vn/tinh/thai-nguyen")
    result = build_site(config, now=NOW, cwd=site.root)
    assert '<link rel="canonical" href="https://host.vn/tinh/thai-nguyen/">' in result.files["index.html"].decode()


def test_home_page_content(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    home = site.html(result, "index.html")
    assert "Thái Nguyên triển khai kế hoạch" in home  # latest news
    assert 'href="tinh/thai-nguyen/index.html"' in home  # province picker
    assert 'href="dich-vu-cong/index.html"' in home  # way into the guide
    assert 'href="tinh/bac-kan/index.html"' not in home  # former units live on tinh/


def test_provinces_listed_in_vietnamese_order(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    page = site.html(result, "tinh/index.html").split("tỉnh, thành phố hiện nay")[1].split("<h2>")[0]
    names = re.findall(r'<a href="[a-z-]+/index\.html">([^<(]+?)(?: <span|</a>)', page)
    from cchc_site.domain.vietnamese import collation_key

    assert len(names) == 34
    assert names == sorted(names, key=collation_key)
    assert names.index("Cà Mau") < names.index("Cao Bằng") < names.index("Cần Thơ") < names.index("Điện Biên")


def test_template_override_by_name(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({**FILES, "templates/partials/footer.html": "<footer>CHÂN TRANG RIÊNG {{ config.title }}</footer>"})
    result = site.build()
    assert "CHÂN TRANG RIÊNG Trang thử" in site.html(result, "index.html")


def test_autoescape_in_override(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {**FILES, "templates/partials/footer.html": "<footer>{{ site.articles[0].title }}</footer>"},
        config={"title": "<i>x</i>"},
    )
    result = site.build()
    assert "&lt;i&gt;x&lt;/i&gt;" in site.html(result, "index.html")


def test_broken_template_override_is_a_config_error(tmp_site) -> None:  # type: ignore[no-untyped-def]
    from cchc_site.core.diagnostics import ConfigError

    site = tmp_site({**FILES, "templates/partials/footer.html": "<footer>{% if %}</footer>"})
    with pytest.raises(ConfigError) as info:
        site.build()
    assert "footer.html" in info.value.diagnostics[0].path
    assert info.value.diagnostics[0].line == 1


def test_identical_input_gives_identical_output(site: TmpSite, result) -> None:  # type: ignore[no-untyped-def]
    again = site.build()
    assert again.files == result.files


class Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                if re.match(r"^(https?:)?//", value):
                    rel = dict(attrs).get("rel") or ""
                    if tag != "a" and not ("canonical" in rel or "alternate" in rel):
                        self.external.append(value)
                elif not re.match(r"^[a-z]+:|^#", value):
                    self.refs.append(value)


def test_every_internal_reference_resolves_and_nothing_external(result) -> None:  # type: ignore[no-untyped-def]
    paths = set(result.files) | set(result.copies)
    broken = []
    for path, data in result.files.items():
        if not path.endswith(".html"):
            continue
        parser = Refs()
        parser.feed(data.decode())
        assert parser.external == [], (path, parser.external)
        for ref in parser.refs:
            target = ref.split("#")[0].split("?")[0]
            if not target:
                continue
            assert not target.endswith("/"), (path, ref)
            resolved = PurePosixPath(path).parent / target
            normal = str(PurePosixPath(*_normalise(resolved.parts)))
            if normal not in paths:
                broken.append((path, ref))
    assert broken == []


def _normalise(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            assert out, "link leaves the site"
            out.pop()
        elif part not in (".", ""):
            out.append(part)
    return out


def test_every_page_has_lang_and_csp(result) -> None:  # type: ignore[no-untyped-def]
    for path, data in result.files.items():
        if path.endswith(".html"):
            text = html.unescape(data.decode())
            assert '<html lang="vi">' in text, path
            assert "Content-Security-Policy" in text and "default-src 'self'" in text, path
            assert "object-src 'none'" in text and "base-uri 'none'" in text, path
