"""Reading a saved page: bytes → Document (blocks of text, with the HTML zone each sat in).

Why a hand-made extractor on the standard library's HTMLParser rather than a library
(issue 16, point 4). Measured with `bench/import_extractors.py` on the ten HTML pages in
tests/fixtures/import/ (SharePoint, Liferay, NukeViet, Joomla, WordPress, VNPT and
Viettel e-Portal shapes), trafilatura 2.3.1 (lxml, justext, htmldate) against this
module plus the rest of the importer:

    extractor     title   date   body  ms/page
    cchc-site     10/10  10/10  10/10     2.8
    trafilatura    5/10  10/10   4/10     2.5

trafilatura takes the portal's category or template name as the title ("Uncategorized",
"CẢI CÁCH HÀNH CHÍNH", "Tin tức - Sự kiện", "Chi tiết tin", "Pages"), keeps "Chi tiết
tại … (tải xuống)", empty "Nguồn:" lines and NukeViet's ratings in the body, and drops
NukeViet's lead paragraph; its date finding (htmldate) is as good as ours. On a 166 KB
page, import takes 0.20 s and trafilatura 0.40 s. selectolax (lexbor) parses 25× faster
than HTMLParser (0.04 against 1.1 ms a fixture page) but is only a parser: the
rules below (zones by tag and class, headline markup, links) would be the same code on a
different tree, for a command an editor runs on a few files. Both need a compiled
dependency; the importer also reads plain text copied from pages (the shared samples are
text), which no HTML extractor reads. The fixtures were written knowing these platforms,
so the comparison favours the rules they exercise; it is a record of what each gets
right on them, not a general ranking.

How we know it stays correct: every fixture has its title, date, issuer and body asserted
in tests/tools/test_importer.py and tests/tools/test_importer_platforms.py; the benchmark script
re-measures both extractors when trafilatura is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Mapping

from cchc_site.domain.vietnamese import nfc


@dataclass(frozen=True)
class Block:
    text: str
    tag: str = "p"  # p, h1..h6, li, title
    zone: str = ""  # HTML only: navigation, footer, comment form, photo caption, ... ("" = content)
    role: str = ""  # HTML only: "headline" when the markup says so (entry-title, itemprop=headline, ...)
    links: tuple[str, ...] = ()  # HTML only: the href of each link in the block


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    meta: Mapping[str, str] = field(default_factory=dict)  # og:title, published, author, url, site_name, keywords
    html: bool = False


def clean(text: str) -> str:
    return " ".join(nfc(text).replace("\u00a0", " ").replace("\u200b", "").split())


def parse_text(text: str) -> Document:
    """Plain text saved from a page: blank lines separate paragraphs; short lines stay separate."""
    text = nfc(text.lstrip("\ufeff")).replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    for group in re.split(r"\n\s*\n", text):
        lines = [clean(line) for line in group.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        wrapped = len(lines) > 1 and all(
            len(line) >= 50 and not line.endswith((".", "!", "?", ":", ";")) for line in lines[:-1]
        )
        if wrapped:
            blocks.append(Block(" ".join(lines)))
        else:
            blocks.extend(Block(line) for line in lines)
    return Document(tuple(blocks))


_BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "br",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "figure",
    "figcaption",
    "blockquote",
    "title",
    "ul",
    "ol",
    "table",
    "main",
    "dd",
    "dt",
    "label",
    "button",
    "option",
    "select",
    "textarea",
    "time",
    "address",
    "hr",
    "span_block",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "select", "textarea", "head"}
_VOID = {"br", "img", "meta", "input", "hr", "link", "source", "wbr", "area", "base", "col", "embed", "param", "track"}
_TAG_ZONES = {
    "nav": "navigation",
    "footer": "footer",
    "aside": "sidebar",
    "form": "comment form",
    "figcaption": "photo caption",
    "button": "navigation",
    "label": "comment form",
}
_CLASS_ZONES = (
    ("entry-meta", "byline"),
    ("post-meta", "byline"),
    ("posted-on", "byline"),
    ("byline", "byline"),
    ("breadcrumb", "navigation"),
    ("menu", "navigation"),
    ("navbar", "navigation"),
    ("nav", "navigation"),
    ("skip", "navigation"),
    ("comment", "comment form"),
    ("respond", "comment form"),
    ("reply", "comment form"),
    ("footer", "footer"),
    ("sidebar", "sidebar"),
    ("widget", "sidebar"),
    ("related", "related links"),
    ("share", "share tools"),
    ("social", "share tools"),
    ("caption", "photo caption"),
    ("category", "category label"),
    ("cat-links", "category label"),
    ("chuyen-muc", "category label"),
    ("banner", "navigation"),
    ("topbar", "navigation"),
    # SharePoint: the ribbon, skip links, sign-in, accessible-mode toggles, breadcrumbs
    ("ms-cui", "navigation"),
    ("ribbon", "navigation"),
    ("ms-signin", "navigation"),
    ("ms-accessible", "navigation"),
    ("ms-breadcrumb", "navigation"),
    ("ms-core-listmenu", "navigation"),
    # Liferay: portlet title (the category), back link, ratings, related assets, view count
    ("portlet-title", "category label"),
    ("portlet-topper", "category label"),
    ("header-back-to", "navigation"),
    ("taglib-ratings", "rating"),
    ("asset-related", "related links"),
    ("asset-links", "related links"),
    ("metadata-view-count", "tools"),
    ("sign-in", "navigation"),
    # Joomla: the article-info list (category, published, hits), pager
    ("article-info", "byline"),
    ("pagenav", "navigation"),
    ("pager", "navigation"),
    # e-Portal products (VNPT, Viettel) and NukeViet
    ("moduletitle", "category label"),
    ("module-title", "category label"),
    ("articletools", "tools"),
    ("othernews", "related links"),
    ("other-news", "related links"),
    ("news-related", "related links"),
    ("news-other", "related links"),
    ("vt-toolbar", "navigation"),
    ("vt-listen", "tools"),
    ("toolbar", "tools"),
    ("tools", "tools"),
    ("rating", "rating"),
    ("font-size", "tools"),
    ("view-count", "tools"),
    ("hits", "tools"),
)
# WordPress puts the post's categories and tags on <body> and the post's container as classes
_TAXONOMY_CLASS = re.compile(r"\b(?:category|tag|format|status|type|post|postid|page-id|author)-[\w-]+")
_PAGE_CONTAINERS = {"html", "body", "article", "main"}
_HEADLINE_HINT = re.compile(
    r"(?:^|[\s_-])(?:entry|post|article|news|asset|header|story|detail|item)[-_]?title\b|"
    r"(?:^|\s)(?:articletitle|newstitle|title-detail|tieude|tieu-de)\b|\bheadline\b"
)
_ARTICLE_HINTS = (
    "entry-content",
    "post-content",
    "article-content",
    "news-content",
    "noidung",
    "content-detail",
    "entry-title",
    "post-title",
    "article",
)


class _HtmlExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        self.stack: list[tuple[str, str, bool, str]] = []  # (tag, zone, inside article, role)
        self.skip = 0
        self.buf: list[str] = []
        self.links: list[str] = []
        self.in_title = False

    def _context(self) -> tuple[str, str, bool, str]:
        zone, tag, article, role = "", "p", False, ""
        for t, z, a, r in self.stack:
            article = article or a
            zone = z or zone
            role = r or role
            if t in ("h1", "h2", "h3", "h4", "h5", "h6", "li"):
                tag = t
        return tag, zone, article, role

    def flush(self) -> None:
        text = clean("".join(self.buf))
        links, self.buf, self.links = tuple(self.links), [], []
        if not text:
            return
        if self.in_title:
            self.meta.setdefault("title", text)
            return
        tag, zone, _, role = self._context()
        self.blocks.append(Block(text, tag, zone, role, links))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            names = {
                "og:title": "og_title",
                "og:site_name": "site_name",
                "og:url": "url",
                "author": "author",
                "article:published_time": "published",
                "datepublished": "published",
                "keywords": "keywords",
                "news_keywords": "keywords",
                "article:author": "author",
                "pubdate": "published",
            }
            if key in names and a.get("content"):
                self.meta.setdefault(names[key], clean(a["content"]))
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("url", a["href"].strip())
            return
        if tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"].strip())
        if tag in _SKIP_TAGS:
            if tag == "head":
                return  # <title> and <meta> inside head are still read
            self.skip += 1
            return
        if tag == "title":
            self.flush()
            self.in_title = True
            return
        if tag == "a" and a.get("href") and not self.skip:
            self.links.append(a["href"].strip())
        if tag in _BLOCK_TAGS:
            self.flush()
        if tag in _VOID:
            return
        _, outer_zone, outer_article, _ = self._context()
        classes = f"{a.get('class', '')} {a.get('id', '')} {a.get('role', '')}".lower()
        if tag in _PAGE_CONTAINERS or re.search(r"(^|\s)(hentry|type-post|post)(\s|$)", classes):
            classes = _TAXONOMY_CLASS.sub(" ", classes)  # a post's categories are not what the element is
        article = tag in ("article", "main") or any(h in classes for h in _ARTICLE_HINTS)
        zone = _TAG_ZONES.get(tag, "")
        if tag == "header" and not (outer_article or article):
            zone = "navigation"
        if "navigation" in classes:
            zone = "navigation"
        if tag not in _PAGE_CONTAINERS:
            for hint, hint_zone in _CLASS_ZONES:
                if not zone and re.search(rf"(^|[\s_-]){hint}", classes):
                    zone = hint_zone
        if tag == "h1" and not outer_zone and zone != "category label":
            zone = ""
        role = "headline" if _HEADLINE_HINT.search(classes) or a.get("itemprop", "").lower() == "headline" else ""
        if (zone or role) and tag not in _BLOCK_TAGS:
            self.flush()  # an inline element with a zone of its own is a block of its own
        self.stack.append((tag, zone, article, role))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            if tag != "head":
                self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.flush()
            self.in_title = False
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                if tag in _BLOCK_TAGS or self.stack[i][1] or self.stack[i][3]:
                    self.flush()
                del self.stack[i:]
                break
        else:
            if tag in _BLOCK_TAGS:
                self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buf.append(data)


def parse_html(text: str) -> Document:
    parser = _HtmlExtractor()
    parser.feed(nfc(text.lstrip("\ufeff")))
    parser.close()
    parser.flush()
    return Document(tuple(parser.blocks), parser.meta, html=True)


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:2000].lower()
    return bool(re.search(r"<(!doctype html|html|body|article|div|p)[\s>]", head))


def read_document(data: bytes, name: str = "") -> Document:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("cp1258", errors="replace")  # old Vietnamese Windows pages
    return parse_html(text) if looks_like_html(text, name) else parse_text(text)
