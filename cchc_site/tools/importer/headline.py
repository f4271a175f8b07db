"""Choosing the article's title among what a saved page offers, and saying when it is a guess.

Portals put many things where a headline could be: the CMS's category ("Uncategorized",
"Tin tức", a module title in capitals in the page's only <h1>), SharePoint's ribbon
("Skip Ribbon Commands"), a <title> that is the page template's name ("Pages - ChiTietTin",
"Chi tiết tin"). Every candidate is checked by `title_problem`, whatever its source, so no
source is trusted blindly. Sources, most trusted first:

1. an element the markup calls the headline (entry-title, ArticleTitle, itemprop=headline);
2. the page's <h1>; 3. og:title;
4. a part of the <title> (a guess unless the same text is on the page);
5. the first line that reads like a headline (a guess unless a date line follows it).

When none passes, `extract` makes the title from the first sentence (a guess).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Sequence

from cchc_site.tools.importer.boilerplate import (
    _HEADLINE_DATE,
    _PORTAL,
    _f,
    boilerplate_reason,
    is_category_label,
    is_date_line,
    is_headline,
    words,
)
from cchc_site.tools.importer.clues import date_in
from cchc_site.tools.importer.document import Block

# Names page templates and CMSs give a page, never an article's headline (folded, spaces removed).
_GENERIC = {
    re.sub(r"\W", "", g)
    for g in (
        "chi tiet tin",
        "chi tiet",
        "tin chi tiet",
        "chi tiet bai viet",
        "chi tiet tin tuc",
        "noi dung chi tiet",
        "bai viet",
        "tin bai",
        "noi dung",
        "pages",
        "page",
        "chitiettin",
        "chitiet",
        "newsdetail",
        "news detail",
        "article",
        "detail",
        "home",
        "trang chu",
        "trang nhat",
        "news",
        "untitled",
        "khong co tieu de",
        "default",
        "index",
        "xem tin",
        "sitepages",
        "default aspx",
        "view",
        "display",
    )
}
_CATEGORY_WORDS = {
    "uncategorized",
    "chua phan loai",
    "khong phan loai",
    "tin tuc",
    "tin tuc su kien",
    "su kien",
    "thong bao",
    "tin noi bo",
    "tin hoat dong",
    "tin trong tinh",
    "tin trong nuoc",
}


@dataclass(frozen=True)
class Headline:
    text: str
    source: str  # where it was found, for the report
    guessed: bool
    date: datetime | None = None  # a date written after it: "… (12/3/2024)"


def title_problem(text: str, site_names: Sequence[str] = ()) -> str | None:
    """Why a line cannot be an article's title, or None when it can."""
    stripped = _HEADLINE_DATE.sub("", text).strip()
    folded = _f(stripped).strip(" .:|-»›")
    if not folded:
        return "empty"
    if (
        folded.replace("-", " ").replace("  ", " ") in _CATEGORY_WORDS
        or is_category_label(stripped, None)
        or re.match(r"^(chuyen muc|danh muc|category)\b", folded)
    ):
        return "a category label"
    if all(re.sub(r"\W", "", part) in _GENERIC for part in re.split(r"\s+[-|–»:]\s+", folded)):
        return "a page template's name"
    reason = boilerplate_reason(stripped)
    if reason == "portal name":
        return "the site's name"
    if reason is not None:
        return reason
    if _PORTAL.match(folded) or any(folded == _f(name).strip(" .") for name in site_names if name):
        return "the site's name"
    if words(stripped) < 3:
        return "too short for a headline"
    if not is_headline(stripped):
        return "reads like a sentence, not a headline" if words(stripped) <= 40 else "too long for a headline"
    if stripped.isupper() and words(stripped) <= 6:
        return "a section label in capitals"
    return None


def _title_parts(title: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s+[-|–»]\s+", title) if p.strip()]


def _body_like(text: str) -> bool:
    return words(text) > 40 or text.endswith((".", "!", "?", ";"))


def choose_headline(
    kept: Sequence[tuple[int, Block]], blocks: Sequence[Block], meta: Mapping[str, str], html: bool
) -> tuple[Headline | None, tuple[tuple[str, str], ...]]:
    """The best title candidate that passes `title_problem` (None: use the first sentence), and the
    candidates turned down with the reason, for the report."""
    site_names = [meta.get("site_name", "")] + [b.text for b in blocks if b.zone and words(b.text) <= 12]
    on_page = {_f(_HEADLINE_DATE.sub("", b.text)) for b in blocks}
    candidates: list[tuple[str, str, bool]] = []  # (text, source, guessed)
    candidates += [(b.text, "the headline in the page's markup", False) for _, b in kept if b.role == "headline"]
    candidates += [(b.text, "the page's <h1>", False) for _, b in kept if b.tag == "h1" and b.role != "headline"]
    if meta.get("og_title"):
        candidates.append((meta["og_title"], "og:title", False))
    if html and meta.get("title"):
        parts = sorted(_title_parts(meta["title"]), key=len, reverse=True)
        candidates += [(p, "the page's <title>", _f(p) not in on_page) for p in parts]
    for i, block in kept:  # the first line that is not chrome, above the body
        if _body_like(block.text) or i + 1 >= len(blocks):
            break
        if _HEADLINE_DATE.search(block.text):
            candidates.append((block.text, "the first line, dated", False))
        else:
            dated = any(is_date_line(b.text) for b in blocks[i + 1 : i + 3])
            candidates.append((block.text, "the line above the date" if dated else "the first line", not dated))
        if title_problem(block.text, site_names) is None:
            break
    rejected: list[tuple[str, str]] = []
    for text, source, guessed in candidates:
        problem = title_problem(text, site_names)
        if problem is not None:
            if (text, problem) not in rejected:
                rejected.append((text, problem))
            continue
        date = None
        hd = _HEADLINE_DATE.search(text)
        if hd:
            date = date_in(hd.group(0))
            text = text[: hd.start()].strip()
        return Headline(text, source, guessed, date), tuple(rejected)
    return None, tuple(rejected)
