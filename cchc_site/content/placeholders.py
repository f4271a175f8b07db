"""The placeholder values that `cchc-site new` writes into a skeleton, in one place.

The scaffold writes them (tools/scaffold.py) and the loader refuses them outside drafts
(content/checks.py::check_placeholders), so a skeleton cannot be published by accident
with "Lĩnh vực" as its field or 01/KH-UBND as its number. Pure data.
"""

from __future__ import annotations

ARTICLE_SUMMARY = "Một câu tóm tắt tin bài (hiện trong danh sách tin)."
PLAN_NUMBER = "01/KH-UBND"
PLAN_ISSUER = "Cơ quan ban hành"
PLAN_SUMMARY = "Một câu tóm tắt kế hoạch."
SERVICE_FIELD = "Lĩnh vực"
SERVICE_AGENCY = "Cơ quan thực hiện"
SERVICE_PORTAL = "https://dichvucong.gov.vn/"
SERVICE_TIME = "Thời hạn giải quyết"
SERVICE_FEE = "Phí, lệ phí"
SERVICE_DOCUMENT = "Thành phần hồ sơ"
SERVICE_RESULT = "Kết quả thực hiện"
SERVICE_BASIS = "Căn cứ pháp lý"
PAGE_SUMMARY = "Một câu tóm tắt trang."
BODY_LINES = (
    "Viết nội dung ở đây.",
    "Viết nội dung trang ở đây.",
    "Đoạn mở đầu: tin bài nói về việc gì, ở đâu, khi nào.",
    "**Bước 2.** …",
)

# content type → front-matter key → the placeholder the skeleton writes there
FIELDS: dict[str, dict[str, str]] = {
    "article": {"summary": ARTICLE_SUMMARY},
    "plan": {"number": PLAN_NUMBER, "issuer": PLAN_ISSUER, "summary": PLAN_SUMMARY},
    "service": {
        "field": SERVICE_FIELD,
        "agency": SERVICE_AGENCY,
        "portal_url": SERVICE_PORTAL,
        "processing_time": SERVICE_TIME,
        "fee": SERVICE_FEE,
        "documents": SERVICE_DOCUMENT,
        "result": SERVICE_RESULT,
        "legal_basis": SERVICE_BASIS,
    },
    "page": {"summary": PAGE_SUMMARY},
}
