"""import: portal pages (plain text and saved HTML, several portal styles) → drafts.

Fixtures in tests/fixtures/import/ are written for these tests in the styles of
real portals: a WordPress site with a comment form, a .gov.vn portal with menus
and a licence/owner footer, a news page with a photo caption and a repeated
lead, a page citing a plan, a page whose date is in the header meta, and one
whose author is a name alone on the last line.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from cchc_site.build import check
from cchc_site.domain.provinces import load_registry
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.tools import importer
from cchc_site.tools.importer import (
    Evidence,
    boilerplate_reason,
    choose_province,
    import_bytes,
    province_evidence,
    write_result,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
TODAY = date(2026, 11, 26)
REGISTRY = load_registry()


def run_import(name: str, folder: Path = FIXTURES):
    return import_bytes((folder / name).read_bytes(), name, registry=REGISTRY, today=TODAY)


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def test_wordpress_page_with_comment_form():
    r = run_import("wordpress-ca-mau.html")
    assert r.title == "Cà Mau đưa 100% hồ sơ một cửa lên môi trường số"
    assert r.date == vn(2023, 5, 12, 8, 30) and r.has_time
    # the owner in the footer beats two passing mentions of tỉnh Bạc Liêu
    assert r.province == "ca-mau"
    assert r.author is None  # "admin" is not an author
    assert r.tags == ("số hóa", "một cửa", "dịch vụ công trực tuyến")  # from "Từ khóa:"
    assert r.source_name == "Sở Nội vụ tỉnh Cà Mau"
    assert r.source_url == "https://sonoivu.camau.gov.vn/2023/05/ca-mau-dua-100-ho-so-mot-cua-len-moi-truong-so/"
    assert r.plan is None
    body = "\n".join(r.paragraphs)
    assert r.paragraphs[0].startswith("Sáng 11/5, Sở Nội vụ tỉnh Cà Mau")
    assert "## Nhiệm vụ thời gian tới" in r.paragraphs
    for junk in (
        "Trả lời",
        "Email của bạn",
        "Gửi bình luận",
        "Bình luận",
        "Trang chủ",
        "Cơ quan chủ quản",
        "Ảnh: Minh Thư",
        "Đăng ngày",
        "admin",
        "Skip to content",
        "Cải cách hành chính\n",
        "©",
    ):
        assert junk not in body + "\n", junk
    reasons = {reason for reason, _ in r.dropped}
    assert {"comment form", "navigation", "footer", "photo caption", "category label"} <= reasons


def test_gov_portal_with_menus_and_footer():
    r = run_import("gov-portal-bac-ninh.txt")
    assert r.title == "Bắc Ninh khai trương Trung tâm Phục vụ hành chính công cấp xã tại phường Kinh Bắc"
    # the date line under the headline, not the portal's "today" line above it
    assert r.date == vn(2025, 7, 2, 15, 20)
    assert r.province == "bac-ninh"
    assert r.province_from.startswith('"CỔNG THÔNG TIN ĐIỆN TỬ TỈNH BẮC NINH"')
    assert r.author == "Trần Hương"
    assert r.source_name == "Cổng thông tin điện tử tỉnh Bắc Ninh"
    assert len(r.paragraphs) == 3
    body = "\n".join(r.paragraphs)
    for junk in (
        "Skip to main content",
        "Thủ tục hành chính\n",
        "Tin liên quan",
        "sắp xếp 126",
        "Giấy phép",
        "Điện thoại",
        "Địa chỉ",
        "Ghi rõ nguồn",
        "Trang chủ »",
        "26/11/2026",
    ):
        assert junk not in body, junk


def test_caption_and_repeated_paragraph():
    r = run_import("caption-duplicate-quang-tri.html")
    assert r.title == "Quảng Trị: chỉ số hài lòng SIPAS năm 2024 tăng 3 bậc"
    assert r.date == vn(2025, 3, 14, 9, 5)
    assert r.province == "quang-tri"
    assert r.author == "Thu Trang"
    assert r.tags == ("SIPAS",)
    assert r.paragraphs == (
        "Chỉ số hài lòng của người dân, tổ chức (SIPAS) năm 2024 của tỉnh Quảng Trị đạt 82,4%, tăng 3 bậc so với "
        "năm trước.",
        "Theo kết quả do Bộ Nội vụ công bố, tiêu chí được người dân đánh giá cao nhất là thái độ phục vụ của công "
        "chức tại Bộ phận Một cửa; tiêu chí thấp nhất là thời gian chờ nhận kết quả.",
        "UBND tỉnh Quảng Trị yêu cầu các cơ quan công khai lịch hẹn trả kết quả và xin lỗi người dân khi hồ sơ trễ "
        "hạn.",
    )
    dropped = dict((text, reason) for reason, text in r.dropped)
    assert (
        dropped["Người dân làm thủ tục tại Trung tâm Phục vụ hành chính công tỉnh. Ảnh: Hoàng Anh"] == "photo caption"
    )
    assert dropped["Ảnh minh họa"] == "photo caption"
    assert dropped["Tin cải cách hành chính"] == "category label"
    assert sum(1 for reason, _ in r.dropped if reason == "repeated paragraph") == 1


def test_plan_citation_makes_a_plan_draft():
    r = run_import("plan-citation-bac-kan.txt")
    assert r.title == "Bắc Kạn triển khai Kế hoạch cải cách hành chính năm 2022"
    assert r.date == vn(2022, 1, 10) and not r.has_time  # "Ngày 10/01", year from the title
    assert r.province == "bac-kan"  # a former unit keeps its own slug
    assert r.source_name == "Văn phòng UBND tỉnh Bắc Kạn" and r.author is None
    plan = r.plan
    assert plan is not None
    assert (plan.number, plan.issued, plan.issuer, plan.province) == (
        "12/KH-UBND",
        vn(2022, 1, 7),
        "UBND tỉnh Bắc Kạn",
        "bac-kan",
    )
    assert plan.title == "Kế hoạch cải cách hành chính năm 2022"
    assert plan.year == 2022 and plan.slug == "ke-hoach-12-kh-ubnd-2022"
    assert ("category label", "Tin hoạt động") in r.dropped


def test_date_in_header_meta_and_byline_label():
    r = run_import("header-date-hcm.html")
    assert r.title == "TP.HCM thí điểm trả kết quả thủ tục hành chính qua ứng dụng VNeID"
    assert r.date == vn(2024, 9, 18, 16, 45) and r.date_from == "meta published time"
    assert r.province == "ho-chi-minh"
    assert r.author == "Lê Phương"  # "Bài và ảnh: Lê Phương"
    assert r.tags == ("VNeID", "thủ tục hành chính", "chuyển đổi số")  # meta keywords
    assert r.paragraphs[-2:] == ("- Trích lục khai sinh", "- Xác nhận thông tin về cư trú")
    assert not any("Chia sẻ" in p or "Trang chủ" in p for p in r.paragraphs)


def test_author_alone_on_last_line_and_inferred_year():
    r = run_import("author-last-line-lam-dong.txt")
    assert r.title == "Lâm Đồng: hơn 90% hồ sơ thủ tục hành chính được giải quyết đúng hạn trong quý I"
    assert r.author == "Ngọc Lan" and r.author_from == "the name alone on the last line"
    assert r.date == vn(2024, 4, 5)  # "Sáng 05/4"; 2024 named in the text
    assert any("inferred" in note for note in r.review)
    assert r.province == "lam-dong"
    assert r.plan is None  # "Kế hoạch … năm 2024" without a number is not a citation
    assert len(r.paragraphs) == 3 and "Ngọc Lan" not in r.paragraphs[-1]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/samples not beside the repository")
def test_shared_samples():
    dak = run_import("dak-lak-portal-article.txt", SAMPLES)
    assert dak.title == "Sở Thông tin và Truyền thông ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2020"
    assert dak.date == vn(2020, 3, 25, 13, 52)
    assert dak.province == "dak-lak" and dak.author == "Kim Bảo"
    assert dak.source_url == "http://daklak.gov.vn"
    assert dak.plan is not None
    assert (dak.plan.number, dak.plan.issued, dak.plan.issuer) == (
        "16/KH-STTTT",
        vn(2020, 3, 23),
        "Sở Thông tin và Truyền thông tỉnh Đắk Lắk",
    )
    assert not any("Giấy phép" in p or "Ảnh minh họa" in p or "Kim Bảo" in p for p in dak.paragraphs)
    ht = run_import("ha-tinh-portal-article.txt", SAMPLES)
    assert ht.province == "ha-tinh" and ht.author == "Nguyễn Nga"
    assert ht.title.startswith("UBND tỉnh Hà Tĩnh ban hành kế hoạch số 493/KH-UBND")  # no headline on the page
    assert ("category label", "Thông tin cải cách hành chính") in ht.dropped
    assert ht.date == vn(2026, 11, 26)  # no date on the page: today, flagged for review
    assert any("no date found" in note for note in ht.review)
    assert ht.plan is not None
    assert (ht.plan.number, ht.plan.issued, ht.plan.issuer, ht.plan.year) == (
        "493/KH-UBND",
        vn(2020, 12, 21),
        "UBND tỉnh Hà Tĩnh",
        2021,
    )


def test_most_specific_province_evidence_wins():
    texts = [
        "Đoàn của tỉnh Bạc Liêu và tỉnh Bạc Liêu, tỉnh Bạc Liêu đến thăm.",
        "UBND tỉnh Hà Tĩnh chỉ đạo.",
        "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Cà Mau",
    ]
    evidence = province_evidence(texts, REGISTRY)
    assert choose_province(evidence).slug == "ca-mau"
    assert choose_province(province_evidence(texts[:2], REGISTRY)).slug == "ha-tinh"
    assert choose_province(province_evidence(texts[:1], REGISTRY)).slug == "bac-lieu"
    assert choose_province([]) is None
    assert Evidence("dak-lak", 3, "http://daklak.gov.vn") in province_evidence(
        ["Nguồn: http://daklak.gov.vn"], REGISTRY
    )


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Skip to main content", "navigation"),
        ("Trang chủ", "navigation"),
        ("Trang chủ » Tin tức » Cải cách hành chính", "navigation"),
        ("Email của bạn sẽ không được hiển thị công khai.", "comment form"),
        ("Trả lời", "comment form"),
        ("Gửi bình luận", "comment form"),
        ("Giấy phép số 99/GP-TTĐT cấp ngày 14/05/2010", "footer"),
        ("Cơ quan chủ quản: Ủy ban nhân dân tỉnh Đắk Lắk", "footer"),
        ("Ảnh minh họa", "photo caption"),
        ("Ảnh: Thu Hà", "photo caption"),
        ("Điện thoại: 0239 3855 666", "footer"),
        ("Ghi rõ nguồn khi phát hành lại thông tin", "footer"),
        ("Theo đó, UBND tỉnh yêu cầu các sở, ngành trả lời kiến nghị của người dân đúng hạn.", None),
    ],
)
def test_boilerplate_lines(line, reason):
    assert boilerplate_reason(line) == reason


def test_every_written_file_passes_check(tmp_site):
    site = tmp_site()
    content = site.root / "content"
    names = sorted(p.name for p in FIXTURES.iterdir())
    sources = [(FIXTURES, n) for n in names] + (
        [(SAMPLES, n) for n in sorted(p.name for p in SAMPLES.glob("*.txt"))] if SAMPLES.is_dir() else []
    )
    written = [write_result(run_import(n, folder), content) for folder, n in sources]
    assert all(w.ok for w in written)
    articles = sorted((content / "articles" / "imported").glob("*.md"))
    plans = sorted((content / "plans" / "imported").glob("*.md"))
    assert len(articles) == len(sources) and len(plans) >= 1
    assert check(site.config(), cwd=site.root) == ()
    plan_article = next(w for w in written if w.plan_slug == "ke-hoach-12-kh-ubnd-2022")
    text = plan_article.article.read_text("utf-8")
    assert "plan: ke-hoach-12-kh-ubnd-2022" in text and "draft: true" in text
    plan_text = (content / "plans" / "imported" / "ke-hoach-12-kh-ubnd-2022.md").read_text("utf-8")
    assert 'number: "12/KH-UBND"' in plan_text and "issued: 2022-01-07" in plan_text
    assert 'issuer: "UBND tỉnh Bắc Kạn"' in plan_text and "province: bac-kan" in plan_text


def test_never_overwrites_and_reuses_an_existing_plan(tmp_site):
    site = tmp_site(
        {
            "content/plans/2022/kh-12.md": "---\ntitle: KH CCHC 2022\nnumber: 12/KH-UBND\n"
            "issued: 2022-01-07\nissuer: UBND tỉnh Bắc Kạn\nprovince: bac-kan\n---\nNội dung.\n"
        }
    )
    content = site.root / "content"
    first = write_result(run_import("plan-citation-bac-kan.txt"), content)
    assert first.ok and first.plan is None and first.plan_slug == "kh-12"
    before = first.article.read_bytes()
    again = write_result(run_import("plan-citation-bac-kan.txt"), content)
    assert not again.ok and again.article is None and "not overwritten" in again.messages[-1]
    assert first.article.read_bytes() == before
    assert check(site.config(), cwd=site.root) == ()


def test_cli_import(tmp_site, capsys, monkeypatch):
    from cchc_site.edges.cli import main

    site = tmp_site()
    monkeypatch.chdir(site.root)
    code = main(["import", str(FIXTURES / "plan-citation-bac-kan.txt"), str(FIXTURES / "wordpress-ca-mau.html")])
    out = capsys.readouterr().out
    assert code == 0
    assert "province  bac-kan" in out and "plan      12/KH-UBND" in out and "review" in out
    assert (site.root / "content/plans/imported/ke-hoach-12-kh-ubnd-2022.md").is_file()
    assert main(["import", str(FIXTURES / "plan-citation-bac-kan.txt")]) == 1  # exists: not overwritten
    out_dir = site.root / "drafts"
    assert main(["import", "--out", str(out_dir), str(FIXTURES / "header-date-hcm.html")]) == 0
    assert len(list((out_dir / "articles" / "imported").glob("*.md"))) == 1


def test_plain_text_paragraphs_and_html_detection():
    doc = importer.read_document(
        "Tiêu đề bài viết thử nghiệm\n\nDòng một rất dài của đoạn văn bị ngắt "
        "dòng cứng ở đây\nvà tiếp tục ở dòng sau.\n".encode(),
        "a.txt",
    )
    assert [b.text for b in doc.blocks] == [
        "Tiêu đề bài viết thử nghiệm",
        "Dòng một rất dài của đoạn văn bị ngắt dòng cứng ở đây và tiếp tục ở dòng sau.",
    ]
    html = importer.read_document(b"<p>A&amp;B <b>x</b></p><script>alert(1)</script><p>C</p>", "page")
    assert html.html and [b.text for b in html.blocks] == ["A&B x", "C"]
