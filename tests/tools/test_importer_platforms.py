"""import: pages in the shapes of the platforms provincial portals run on.

Fixtures in tests/fixtures/import/ are written for these tests (no copied
articles): SharePoint (saved, and copied as text), Liferay, NukeViet, Joomla,
WordPress with an "Uncategorized" archive header, the VNPT and Viettel e-Portal
products, and a page with no headline at all. Each test asserts the title, the
date, the issuing body (source or plan issuer) and what the body keeps and drops.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_site.domain.provinces import load_registry
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.tools.importer import Block, Document, article_text, extract, import_bytes, read_document
from cchc_site.tools.importer.boilerplate import attachment_title, boilerplate_reason
from cchc_site.tools.importer.clues import with_place
from cchc_site.tools.importer.headline import title_problem

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
TODAY = date(2026, 11, 26)
REGISTRY = load_registry()
CHROME = (
    "Skip Ribbon Commands",
    "Skip to main content",
    "accessible mode",
    "Sign In",
    "Browse",
    "Bỏ qua",
    "Quay lại",
    "Lượt xem",
    "Đánh giá",
    "Tổng số điểm",
    "Click để",
    "Ý kiến bạn đọc",
    "Những tin",
    "Trước",
    "Tiếp theo",
    "Cỡ chữ",
    "cỡ chữ",
    "Nghe đọc",
    "Chia sẻ",
    "In trang",
    "Gửi email",
    "Chi tiết tại",
    "(tải xuống)",
    "Tin cùng chuyên mục",
    "Tài sản liên quan",
    "Phiên bản di động",
)


def run_import(name: str):
    return import_bytes((FIXTURES / name).read_bytes(), name, registry=REGISTRY, today=TODAY)


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def body(result) -> str:
    return "\n".join(result.paragraphs)


def assert_no_chrome(result) -> None:
    text = body(result)
    for junk in CHROME:
        assert junk not in text, junk
    assert not any(re.fullmatch(r"(Nguồn|Tác giả|Nguồn tin)\s*:?\s*", p) for p in result.paragraphs)


def test_sharepoint_saved_page():
    r = run_import("sharepoint-bac-kan.html")
    # the <title> is the page template's name ("Pages - ChiTietTin"): never the title
    assert r.title == "Bắc Kạn ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2024"
    assert not r.title_guessed and r.title_from == "the headline in the page's markup"
    assert r.date == vn(2024, 2, 20, 8, 45) and r.has_time
    assert r.province == "bac-kan"
    assert r.source_name == "Cổng thông tin điện tử tỉnh Bắc Kạn"
    assert r.plan is not None and r.plan.number == "45/KH-UBND" and r.plan.issued == vn(2024, 2, 15)
    # "Văn phòng UBND tỉnh cho biết UBND tỉnh đã ban hành …": the issuer, once, with its province once
    assert r.plan.issuer == "UBND tỉnh Bắc Kạn"
    assert len(r.paragraphs) == 3 and r.paragraphs[0].startswith("Ngày 19/02, Văn phòng UBND tỉnh")
    assert_no_chrome(r)
    assert r.attachments == (("KH-45-UBND.pdf", "/sites/sonoivu/Documents/KH-45-UBND.pdf"),)
    assert any("KH-45-UBND.pdf" in note and "attachments" in note for note in r.plan.notes)
    assert ("empty label", "Nguồn:") in r.dropped


def test_sharepoint_copied_as_text_headline_after_category():
    r = run_import("sharepoint-copied-thai-nguyen.txt")
    assert r.title == "Thái Nguyên đưa 1.200 thủ tục hành chính lên môi trường điện tử sau hợp nhất"
    assert r.title_from == "the line above the date" and not r.title_guessed
    assert r.date == vn(2025, 8, 18, 10, 30)
    assert r.province == "thai-nguyen"
    assert r.plan is not None and r.plan.issuer == "UBND tỉnh Thái Nguyên"
    assert len(r.paragraphs) == 2
    assert_no_chrome(r)
    assert r.attachments == (("210-KH-UBND.pdf", ""),)
    assert any("210-KH-UBND.pdf" in note and "take it from the page" in note for note in r.review)
    assert ("category label", "Tin tức") in r.dropped or ("navigation", "Tin tức") in r.dropped


def test_liferay_title_after_the_portlet_category():
    r = run_import("liferay-dak-lak.html")
    # <title> "Tin tức - Sự kiện - Cổng …" and the portlet's <h1> are the category, not the article
    assert r.title == "Đắk Lắk đưa vào vận hành Kho dữ liệu dùng chung về hồ sơ thủ tục hành chính"
    assert not r.title_guessed
    assert r.date == vn(2024, 6, 12, 9, 15)  # the date line under the headline, not "today"
    assert r.province == "dak-lak" and r.author == "Y Phương"
    assert r.source_name == "Cổng thông tin điện tử tỉnh Đắk Lắk"
    assert len(r.paragraphs) == 3 and r.paragraphs[0].startswith("Sáng 11/6")
    assert_no_chrome(r)


def test_nukeviet_article_with_ratings_and_older_newer_lists():
    r = run_import("nukeviet-quang-ninh.html")
    assert r.title == "Quảng Ninh: 98% hồ sơ được giải quyết đúng hạn trong quý I" and not r.title_guessed
    assert r.date.date() == date(2024, 4, 4)
    assert r.province == "quang-ninh"
    assert r.author == "Hoàng Minh"  # "Tác giả bài viết:"
    assert r.source_name == "Sở Nội vụ tỉnh Quảng Ninh"  # "Nguồn tin:"
    assert r.tags == ("thủ tục hành chính", "một cửa")
    assert r.paragraphs[0].startswith("Quý I/2024")  # the lead (hometext) is body text
    assert len(r.paragraphs) == 3
    assert_no_chrome(r)
    assert "Hoàng Minh" not in body(r) and "Nguồn tin" not in body(r)


def test_joomla_headline_in_h2_and_generic_title():
    r = run_import("joomla-thanh-hoa.html")
    assert r.title == "Thanh Hóa thí điểm bộ phận một cửa không giấy tờ tại 10 xã" and not r.title_guessed
    assert r.date == vn(2024, 8, 20, 9, 0)
    assert r.province == "thanh-hoa"
    assert len(r.paragraphs) == 2 and "3120/QĐ-UBND" in r.paragraphs[1]
    assert_no_chrome(r)
    assert "Danh mục" not in body(r) and "Được đăng" not in body(r) and "Sở Nội vụ tỉnh Thanh Hóa" not in body(r)
    assert r.attachments == (("Quyết định 3120/QĐ-UBND", "/images/van-ban/qd-3120.pdf"),)
    assert any("link it from the text" in note for note in r.review)  # no plan to attach it to


def test_vnpt_eportal_module_title_in_h1():
    r = run_import("eportal-vnpt-tay-ninh.html")
    assert r.title == "Tây Ninh tiếp nhận hồ sơ đăng ký hộ kinh doanh qua Zalo"
    assert r.date == vn(2024, 11, 5, 14, 10)
    assert r.province == "tay-ninh" and r.author == "Minh Tâm"
    assert r.source_name == "Cổng thông tin điện tử tỉnh Tây Ninh"
    assert len(r.paragraphs) == 3 and r.paragraphs[0].startswith("(TNO) - Từ ngày 04/11")
    assert_no_chrome(r)
    assert "CẢI CÁCH HÀNH CHÍNH" not in body(r)


def test_viettel_eportal_generic_og_title():
    r = run_import("eportal-viettel-hung-yen.html")
    assert r.title == "UBND tỉnh yêu cầu giảm 30% thời gian giải quyết thủ tục đất đai"  # og:title is "Chi tiết tin"
    assert r.date == vn(2024, 10, 15, 16, 30)
    assert r.province == "hung-yen"
    assert r.source_name == "Văn phòng UBND tỉnh Hưng Yên"  # "Nguồn: Văn phòng UBND tỉnh", completed once
    assert len(r.paragraphs) == 3
    assert_no_chrome(r)


def test_wordpress_uncategorized_archive_header():
    r = run_import("wordpress-uncategorized-gia-lai.html")
    assert r.title == "Gia Lai đẩy mạnh thanh toán trực tuyến phí, lệ phí thủ tục hành chính"
    assert r.date == vn(2024, 5, 21, 10, 5)
    assert r.province == "gia-lai"
    # body and article classes "category-uncategorized" do not make the whole page a category label
    assert len(r.paragraphs) == 2 and r.paragraphs[0].startswith("Sở Nội vụ tỉnh Gia Lai đề nghị")
    assert "Uncategorized" not in body(r) + r.title
    assert_no_chrome(r)


def test_no_headline_title_is_guessed_and_said_so():
    r = run_import("no-headline-son-la.txt")
    assert r.title_guessed and r.title.startswith("UBND tỉnh Sơn La tổ chức hội nghị đối thoại")
    assert r.date == vn(2024, 10, 9)
    assert r.source_name == "Sở Kế hoạch và Đầu tư tỉnh Sơn La"
    assert len(r.paragraphs) == 3
    note = next(n for n in r.review if "guessed" in n)
    assert "Thông tin cải cách hành chính" in note and "category label" in note
    text = article_text(r, None)
    front = text.split("---")[1]
    assert "# REVIEW: no headline found: the title was guessed" in front


def test_guessed_title_is_in_the_report_and_front_matter():
    from cchc_site.tools.importer import Written, summary_lines

    page = (
        "<html><head><title>Uncategorized</title></head><body><p>Tin tức</p>"
        "<p>Hội nghị trực tuyến về chỉ số cải cách hành chính năm 2025</p>"
        "<p>Sáng 12/3/2025, UBND tỉnh Cà Mau tổ chức hội nghị trực tuyến với các xã về kết quả chỉ số.</p>"
        "</body></html>"
    )
    r = import_bytes(page.encode(), "page.html", registry=REGISTRY, today=TODAY)
    assert r.title == "Hội nghị trực tuyến về chỉ số cải cách hành chính năm 2025" and r.title_guessed
    line = next(x for x in summary_lines(r, Written(None, None, None, (), True)) if x.startswith("  title"))
    assert "a guess: check it" in line
    assert "# REVIEW: title: guessed from the first line" in article_text(r, None)
    assert '"Uncategorized" (a category label)' in article_text(r, None)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_no_fixture_doubles_the_unit_word(name):
    r = run_import(name)
    text = article_text(r, None) + (r.plan.issuer if r.plan else "")
    assert not re.search(r"\b(tỉnh|thành phố)\s+\1\b", text, re.I), text
    assert title_problem(r.title) is None or r.title_guessed


@pytest.mark.parametrize(
    "text, why",
    [
        ("Uncategorized", "a category label"),
        ("Chưa phân loại", "a category label"),
        ("Tin tức", "a category label"),
        ("TIN TỨC - SỰ KIỆN", "a category label"),
        ("Tin hoạt động", "a category label"),
        ("Chuyên mục: Cải cách hành chính", "a category label"),
        ("CẢI CÁCH HÀNH CHÍNH", "a category label"),
        ("Pages - ChiTietTin", "a page template's name"),
        ("ChiTietTin", "a page template's name"),
        ("Chi tiết tin", "a page template's name"),
        ("Chi tiết bài viết", "a page template's name"),
        ("Skip Ribbon Commands", "navigation"),
        ("Turn on more accessible mode", "navigation"),
        ("Bỏ qua để đến Nội dung", "navigation"),
        ("Cổng thông tin điện tử tỉnh Đắk Lắk", "the site's name"),
        ("Họp báo", "too short for a headline"),
    ],
)
def test_what_is_never_a_title(text, why):
    assert title_problem(text) == why


@pytest.mark.parametrize(
    "text",
    [
        "Quảng Trị: chỉ số hài lòng SIPAS năm 2024 tăng 3 bậc",
        "Tin tức tốt cho người nộp hồ sơ trực tuyến ở các xã miền núi phía Bắc",
        "UBND tỉnh yêu cầu giảm 30% thời gian giải quyết thủ tục đất đai",
    ],
)
def test_headlines_pass(text):
    assert title_problem(text) is None


@pytest.mark.parametrize(
    "name, slug, expected",
    [
        ("UBND tỉnh", "bac-kan", "UBND tỉnh Bắc Kạn"),
        ("Ủy ban nhân dân Tỉnh", "bac-kan", "Ủy ban nhân dân Tỉnh Bắc Kạn"),
        ("UBND tỉnh Bắc Kạn", "bac-kan", "UBND tỉnh Bắc Kạn"),
        ("Sở Nội vụ", "ca-mau", "Sở Nội vụ tỉnh Cà Mau"),
        ("Sở Nội vụ tỉnh", "ca-mau", "Sở Nội vụ tỉnh Cà Mau"),
        ("UBND thành phố", "ha-noi", "UBND thành phố Hà Nội"),
        ("UBND TP.", "ho-chi-minh", "UBND TP. Hồ Chí Minh"),
        ("Văn phòng UBND", "hue", "Văn phòng UBND thành phố Huế"),
        ("Bộ Nội vụ", "ca-mau", "Bộ Nội vụ"),
        ("UBND tỉnh Hà Tĩnh", "ca-mau", "UBND tỉnh Hà Tĩnh"),
    ],
)
def test_with_place_never_doubles_the_unit(name, slug, expected):
    assert with_place(name, REGISTRY.get(slug), REGISTRY) == expected


def test_with_place_only_dangling_leaves_complete_names():
    assert with_place("Báo Tây Ninh", REGISTRY.get("tay-ninh"), REGISTRY, only_dangling=True) == "Báo Tây Ninh"
    assert (
        with_place("Văn phòng UBND tỉnh", REGISTRY.get("tay-ninh"), REGISTRY, only_dangling=True)
        == "Văn phòng UBND tỉnh Tây Ninh"
    )


@pytest.mark.parametrize(
    "line, document",
    [
        ("Chi tiết tại: KH-45-UBND.pdf (tải xuống)", "KH-45-UBND.pdf"),
        ("Xem chi tiết tại đây: Kế hoạch 12/KH-UBND", "Kế hoạch 12/KH-UBND"),
        ("Tệp đính kèm: qd-3120.pdf", "qd-3120.pdf"),
        ("Toàn văn Quyết định 3120 (tải về)", "Toàn văn Quyết định 3120"),
        ("File đính kèm: ke-hoach.docx", "ke-hoach.docx"),
        ("Theo đó, chi tiết các nhiệm vụ được nêu trong phụ lục kèm theo kế hoạch.", None),
    ],
)
def test_attachment_lines(line, document):
    assert attachment_title(line) == document


@pytest.mark.parametrize("line", ["Nguồn:", "Nguồn: ", "Nguồn tin:", "Tác giả: …", "Từ khóa:"])
def test_empty_labels_are_dropped(line):
    assert boilerplate_reason(line) == "empty label"
    r = extract(
        Document(
            (
                Block("Một tiêu đề đủ dài cho bài viết thử"),
                Block("Thứ Hai, 02/03/2026"),
                Block("Nội dung bài viết đầy đủ, có dấu chấm ở cuối câu văn này."),
                Block(line),
            )
        ),
        name="x.txt",
        registry=REGISTRY,
        today=TODAY,
    )
    assert len(r.paragraphs) == 1 and r.source_name is None and r.author is None


def test_wordpress_taxonomy_classes_do_not_label_the_page():
    page = (
        '<body class="single category-tin-tuc tag-cchc"><article class="post type-post category-tin-tuc">'
        '<h1 class="entry-title">Một tiêu đề đủ dài cho bài viết thử</h1>'
        '<div class="entry-content"><p>Đoạn văn đầu tiên của bài viết, có dấu chấm.</p></div></article></body>'
    )
    doc = read_document(page.encode(), "p.html")
    assert [(b.text, b.zone) for b in doc.blocks] == [
        ("Một tiêu đề đủ dài cho bài viết thử", ""),
        ("Đoạn văn đầu tiên của bài viết, có dấu chấm.", ""),
    ]


def test_inline_chrome_is_a_block_of_its_own():
    page = (
        '<div class="asset-metadata"><span class="publish-date">12/06/2024 09:15</span>'
        '<span class="metadata-view-count">Lượt xem: 1.204</span></div>'
    )
    doc = read_document(page.encode(), "p.html")
    assert [(b.text, b.zone) for b in doc.blocks] == [("12/06/2024 09:15", ""), ("Lượt xem: 1.204", "tools")]


PIECES = [
    "<h1>",
    "</h1>",
    "<h2 class='entry-title'>",
    "<div class='news-category'>",
    "</div>",
    "<p>",
    "</p>",
    "<a href='/x.pdf'>",
    "</a>",
    "<span class='ms-skip'>",
    "</span>",
    "<title>",
    "</title>",
    "<body class='category-x'>",
    "Uncategorized",
    "Tin tức",
    "Skip Ribbon Commands",
    "Chi tiết tại: ",
    " (tải xuống)",
    "Nguồn:",
    "Tác giả: ",
    "UBND tỉnh ",
    "Bắc Kạn",
    "Kế hoạch số 12/KH-UBND ngày 07/01/2022 của UBND tỉnh",
    " ban hành ",
    "Ngày 10/01, ",
    "12/06/2024 09:15",
    "\n\n",
    ".",
    "<script>",
    "</script>",
    "&amp;",
    "\x00",
]


@settings(max_examples=int(os.environ.get("CCHC_FUZZ_EXAMPLES", "200")), deadline=None, database=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=30)), max_size=40), st.booleans())
def test_import_never_crashes_and_never_writes_a_bad_title(parts, as_html):
    data = "".join(parts)
    r = import_bytes(
        data.encode("utf-8", "surrogatepass"), "page.html" if as_html else "page.txt", registry=REGISTRY, today=TODAY
    )
    assert r.title.strip() or r.title_guessed
    assert r.title_guessed or title_problem(r.title) is None
    assert not re.search(r"\b(tỉnh|thành phố)\s+\1\b", (r.plan.issuer if r.plan else "") + (r.source_name or ""), re.I)
    article_text(r, None)  # the draft can always be written


def test_page_text_in_review_comments_stays_in_the_comment():
    from cchc_site.content.frontmatter import split
    from cchc_site.core.yamlload import load

    page = (
        '<h1 class="entry-title">Một tiêu đề đủ dài cho bài viết thử</h1><p>Thứ Hai, 02/03/2026</p>'
        "<p>Nội dung bài viết đầy đủ, có dấu chấm ở cuối câu văn này.</p>"
        '<p>Chi tiết tại: <a href="/a.pdf\ndraft: false\ntitle: x">KH.pdf</a> (tải xuống)</p>'
    )
    r = import_bytes(page.encode(), "p.html", registry=REGISTRY, today=TODAY)
    data, _ = load(split(article_text(r, None))[0])
    assert data["draft"] is True and data["title"] == "Một tiêu đề đủ dài cho bài viết thử"
