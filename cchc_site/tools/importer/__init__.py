"""`cchc-site import`: articles saved from provincial portals → draft Markdown.

Pure stages, then a thin writer:

    read_document(bytes, name)  → Document (blocks of text with their HTML zone)
    extract(document, ...)      → ImportResult (title, date, province, author,
                                  tags, cited plan, kept paragraphs, what was
                                  dropped and why, what to review)
    article_text / plan_text    → the Markdown files
    write_result(...)           → files on disk (never overwritten)

Portal boilerplate is recognised by what it says (menus, category labels,
comment forms, licence/owner/contact footers, photo captions, share tools,
related-news lists) and, in saved HTML, by where it sits (nav, header,
footer, aside, form, figcaption, and class names such as "menu", "comment").
The first footer, comment or related-news line after the article body ends the
body. Province evidence is ranked: the portal's owner or name ("Cơ quan chủ
quản: Ủy ban nhân dân tỉnh X", "Cổng thông tin điện tử tỉnh X", x.gov.vn)
beats an issuer ("UBND tỉnh X"), which beats a passing mention ("tỉnh X").

The platforms provincial portals run on are known by their chrome: SharePoint
(ribbon, "Skip Ribbon Commands", accessible-mode toggles, "Pages - ChiTietTin"
titles), Liferay (portlet titles, back links, ratings, related assets),
NukeViet (ratings, "Những tin mới hơn/cũ hơn", "Tác giả bài viết", "Nguồn tin"),
Joomla (article-info, pager), WordPress (skip links, category archives, comment
forms, taxonomy classes on <body>), and the VNPT/Viettel e-Portal products
(module titles in <h1>, article tools, "Tin cùng chuyên mục"). A title is never
a category label, chrome, the site's name or a template's page name; when it is
a guess (no headline markup, or only the first line or sentence), the report and
the draft's front matter say so. "Chi tiết tại: … (tải xuống)" lines leave the
body and their link is kept as a review note (and on the cited plan's draft).

Modules, in the order a page goes through them: document (bytes → blocks),
boilerplate (what a line is), clues (province, dates, authority names),
headline (the title), plans (a cited plan), extraction (the result), write
(drafts on disk, the summary), command (the CLI).
"""

from __future__ import annotations

from cchc_site.tools.importer.boilerplate import (
    author_alone,
    boilerplate_reason,
    ends_body,
    is_category_label,
    is_date_line,
    is_headline,
    words,
)
from cchc_site.tools.importer.clues import (
    Evidence,
    choose_province,
    date_in,
    lead_day_month,
    province_evidence,
    years_named,
)
from cchc_site.tools.importer.command import add_arguments, run
from cchc_site.tools.importer.document import Block, Document, looks_like_html, parse_html, parse_text, read_document
from cchc_site.tools.importer.extraction import ImportResult, extract, import_bytes, keyword_tags
from cchc_site.tools.importer.plans import MAX_TITLE, PlanDraft, find_plan
from cchc_site.tools.importer.write import Written, article_text, existing_plans, plan_text, summary_lines, write_result

__all__ = [
    "MAX_TITLE",
    "Block",
    "Document",
    "Evidence",
    "ImportResult",
    "PlanDraft",
    "Written",
    "add_arguments",
    "article_text",
    "author_alone",
    "boilerplate_reason",
    "choose_province",
    "date_in",
    "ends_body",
    "existing_plans",
    "extract",
    "find_plan",
    "import_bytes",
    "is_category_label",
    "is_date_line",
    "is_headline",
    "keyword_tags",
    "lead_day_month",
    "looks_like_html",
    "parse_html",
    "parse_text",
    "plan_text",
    "province_evidence",
    "read_document",
    "run",
    "summary_lines",
    "words",
    "write_result",
    "years_named",
]
