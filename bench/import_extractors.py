"""Compare `cchc-site import`'s page extraction with trafilatura on the import fixtures.

Usage: python bench/import_extractors.py [--runs R]

For every HTML page in tests/fixtures/import/ (written in the shapes of the
platforms provincial portals run on) it checks, for cchc-site's extractor and,
when it is installed, trafilatura (`pip install trafilatura`; it brings lxml,
justext, htmldate and courlan):

- title: the article's headline exactly;
- date: the publication day;
- body: the first paragraph is the article's first paragraph, and none of the
  portal's chrome (ratings, "Chi tiết tại … (tải xuống)", empty "Nguồn:",
  category labels, share tools) is left in the text;

and the time to extract all pages (best of R runs). Nothing here is a test:
the figures are printed; the importer's module docstring quotes them.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "import"

# file → (title, date, first words of the body)
EXPECTED = {
    "caption-duplicate-quang-tri.html": (
        "Quảng Trị: chỉ số hài lòng SIPAS năm 2024 tăng 3 bậc",
        date(2025, 3, 14),
        "Chỉ số hài lòng của người dân",
    ),
    "eportal-viettel-hung-yen.html": (
        "UBND tỉnh yêu cầu giảm 30% thời gian giải quyết thủ tục đất đai",
        date(2024, 10, 15),
        "Chủ tịch UBND tỉnh Hưng Yên",
    ),
    "eportal-vnpt-tay-ninh.html": (
        "Tây Ninh tiếp nhận hồ sơ đăng ký hộ kinh doanh qua Zalo",
        date(2024, 11, 5),
        "(TNO) - Từ ngày 04/11",
    ),
    "header-date-hcm.html": (
        "TP.HCM thí điểm trả kết quả thủ tục hành chính qua ứng dụng VNeID",
        date(2024, 9, 18),
        "Từ ngày 01/10/2024",
    ),
    "joomla-thanh-hoa.html": (
        "Thanh Hóa thí điểm bộ phận một cửa không giấy tờ tại 10 xã",
        date(2024, 8, 20),
        "Từ tháng 9/2024",
    ),
    "liferay-dak-lak.html": (
        "Đắk Lắk đưa vào vận hành Kho dữ liệu dùng chung về hồ sơ thủ tục hành chính",
        date(2024, 6, 12),
        "Sáng 11/6",
    ),
    "nukeviet-quang-ninh.html": (
        "Quảng Ninh: 98% hồ sơ được giải quyết đúng hạn trong quý I",
        date(2024, 4, 4),
        "Quý I/2024",
    ),
    "sharepoint-bac-kan.html": (
        "Bắc Kạn ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2024",
        date(2024, 2, 20),
        "Ngày 19/02",
    ),
    "wordpress-ca-mau.html": ("Cà Mau đưa 100% hồ sơ một cửa lên môi trường số", date(2023, 5, 12), "Sáng 11/5"),
    "wordpress-uncategorized-gia-lai.html": (
        "Gia Lai đẩy mạnh thanh toán trực tuyến phí, lệ phí thủ tục hành chính",
        date(2024, 5, 21),
        "Sở Nội vụ tỉnh Gia Lai đề nghị",
    ),
}
CHROME = (
    "Chi tiết tại",
    "(tải xuống)",
    "Tổng số điểm",
    "Click để đánh giá",
    "Ảnh:",
    "Ảnh minh họa",
    "Chia sẻ",
    "Lượt xem",
    "Tác giả bài viết",
    "Nguồn tin",
    "Cỡ chữ",
)


def ours(html: bytes, name: str) -> tuple[str, date | None, list[str]]:
    from cchc_site.domain.provinces import load_registry
    from cchc_site.tools.importer import import_bytes

    r = import_bytes(html, name, registry=load_registry(), today=date(2026, 11, 26))
    return r.title, r.date.date(), list(r.paragraphs)


def trafilatura_(html: bytes, name: str) -> tuple[str, date | None, list[str]]:
    import trafilatura

    doc = trafilatura.bare_extraction(html.decode("utf-8"), with_metadata=True, favor_precision=True)
    if doc is None:
        return "", None, []
    d = doc.as_dict() if hasattr(doc, "as_dict") else doc
    when = date.fromisoformat(d["date"][:10]) if d.get("date") else None
    return d.get("title") or "", when, [p for p in (d.get("text") or "").split("\n") if p.strip()]


def score(extractor, runs: int) -> dict[str, object]:
    pages = {name: (FIXTURES / name).read_bytes() for name in EXPECTED}
    title = day = clean = 0
    wrong: list[str] = []
    for name, html in pages.items():
        got_title, got_date, paragraphs = extractor(html, name)
        want_title, want_date, first = EXPECTED[name]
        title += got_title == want_title
        day += got_date == want_date
        text = "\n".join(paragraphs)
        ok = (
            bool(paragraphs)
            and paragraphs[0].startswith(first)
            and not any(c in text for c in CHROME)
            and not any(p.strip().rstrip(":") in ("Nguồn", "Tác giả") for p in paragraphs)
        )
        clean += ok
        if got_title != want_title:
            wrong.append(f"{name}: title {got_title!r}")
        if not ok:
            wrong.append(f"{name}: body starts {paragraphs[0][:40]!r}" if paragraphs else f"{name}: no body")
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for name, html in pages.items():
            extractor(html, name)
        best = min(best, time.perf_counter() - start)
    n = len(pages)
    return {
        "title": f"{title}/{n}",
        "date": f"{day}/{n}",
        "body": f"{clean}/{n}",
        "ms_per_page": round(best * 1000 / n, 2),
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rows = [("cchc-site", ours)]
    try:
        import trafilatura  # noqa: F401

        rows.append(("trafilatura", trafilatura_))
    except ImportError:
        print("trafilatura is not installed: only cchc-site is measured")
    print(f"{'extractor':12} {'title':>6} {'date':>6} {'body':>6} {'ms/page':>8}")
    for label, extractor in rows:
        result = score(extractor, args.runs)
        print(f"{label:12} {result['title']:>6} {result['date']:>6} {result['body']:>6} {result['ms_per_page']:>8}")
        for line in result["wrong"]:  # type: ignore[attr-defined]
            print(f"    {line}")


if __name__ == "__main__":
    main()
