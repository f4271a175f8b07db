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
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from cchc_site.domain.provinces import Registry, load_registry
from cchc_site.domain.vietnamese import VIETNAM_TZ, fold, nfc, slugify

MAX_TITLE = 200


# --- documents ------------------------------------------------------------------------
@dataclass(frozen=True)
class Block:
    text: str
    tag: str = "p"  # p, h1..h6, li, title
    zone: str = ""  # HTML only: navigation, footer, comment form, photo caption, ... ("" = content)


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
        wrapped = len(lines) > 1 and all(len(line) >= 50 and not line.endswith((".", "!", "?", ":", ";"))
                                         for line in lines[:-1])
        if wrapped:
            blocks.append(Block(" ".join(lines)))
        else:
            blocks.extend(Block(line) for line in lines)
    return Document(tuple(blocks))


_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "td", "th", "section", "article",
               "header", "footer", "nav", "aside", "form", "figure", "figcaption", "blockquote", "title", "ul", "ol",
               "table", "main", "dd", "dt", "label", "button", "option", "select", "textarea", "time", "address",
               "hr", "span_block"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "select", "textarea", "head"}
_VOID = {"br", "img", "meta", "input", "hr", "link", "source", "wbr", "area", "base", "col", "embed", "param",
         "track"}
_TAG_ZONES = {"nav": "navigation", "footer": "footer", "aside": "sidebar", "form": "comment form",
              "figcaption": "photo caption", "button": "navigation", "label": "comment form"}
_CLASS_ZONES = (("entry-meta", "byline"), ("post-meta", "byline"), ("posted-on", "byline"), ("byline", "byline"),
                ("breadcrumb", "navigation"), ("menu", "navigation"), ("navbar", "navigation"),
                ("nav", "navigation"), ("skip", "navigation"), ("comment", "comment form"),
                ("respond", "comment form"), ("reply", "comment form"), ("footer", "footer"),
                ("sidebar", "sidebar"), ("widget", "sidebar"), ("related", "related links"),
                ("share", "share tools"), ("social", "share tools"), ("caption", "photo caption"),
                ("category", "category label"), ("cat-links", "category label"), ("chuyen-muc", "category label"),
                ("banner", "navigation"), ("topbar", "navigation"))
_ARTICLE_HINTS = ("entry-content", "post-content", "article-content", "news-content", "noidung", "content-detail",
                  "entry-title", "post-title", "article")


class _HtmlExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        self.stack: list[tuple[str, str, bool]] = []  # (tag, zone, inside article)
        self.skip = 0
        self.buf: list[str] = []
        self.in_title = False

    def _context(self) -> tuple[str, str, bool]:
        zone, tag, article = "", "p", False
        for t, z, a in self.stack:
            article = article or a
            zone = z or zone
            if t in ("h1", "h2", "h3", "h4", "h5", "h6", "li"):
                tag = t
        return tag, zone, article

    def flush(self) -> None:
        text = clean("".join(self.buf))
        self.buf = []
        if not text:
            return
        if self.in_title:
            self.meta.setdefault("title", text)
            return
        tag, zone, _ = self._context()
        self.blocks.append(Block(text, tag, zone))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            names = {"og:title": "og_title", "og:site_name": "site_name", "og:url": "url", "author": "author",
                     "article:published_time": "published", "datepublished": "published", "keywords": "keywords",
                     "news_keywords": "keywords", "article:author": "author", "pubdate": "published"}
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
        if tag in _BLOCK_TAGS:
            self.flush()
        if tag in _VOID:
            return
        _, outer_zone, outer_article = self._context()
        classes = f"{a.get('class', '')} {a.get('id', '')} {a.get('role', '')}".lower()
        article = tag in ("article", "main") or any(h in classes for h in _ARTICLE_HINTS)
        zone = _TAG_ZONES.get(tag, "")
        if tag == "header" and not (outer_article or article):
            zone = "navigation"
        if "navigation" in classes:
            zone = "navigation"
        for hint, hint_zone in _CLASS_ZONES:
            if not zone and re.search(rf"(^|[\s_-]){hint}", classes):
                zone = hint_zone
        if tag == "h1" and not outer_zone:
            zone = ""
        self.stack.append((tag, zone, article))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            if tag != "head":
                self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.flush()
            self.in_title = False
            return
        if tag in _BLOCK_TAGS:
            self.flush()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

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


# --- recognising boilerplate ------------------------------------------------------------
def _f(text: str) -> str:
    """Folded, lower-case, punctuation-light form for matching."""
    return " ".join(fold(text).replace("\u2013", "-").replace("\u2014", "-").split())


_NAV_EXACT = {
    "skip to main content", "skip to content", "bo qua noi dung", "chuyen den noi dung chinh", "trang chu", "home",
    "gioi thieu", "tin tuc", "tin tuc - su kien", "tin tuc su kien", "lien he", "so do site", "so do trang",
    "dang nhap", "dang ky", "tim kiem", "english", "tieng viet", "menu", "danh muc", "van ban", "van ban phap luat",
    "van ban chi dao dieu hanh", "thu tuc hanh chinh", "dich vu cong", "dich vu cong truc tuyen", "hoi dap",
    "gop y", "thu vien anh", "video", "quay lai", "tro ve", "tro lai", "len dau trang", "ve dau trang",
    "in bai viet", "in trang", "ban in", "in", "gui email", "gui bai viet", "chia se", "chia se bai viet",
    "facebook", "twitter", "zalo", "email", "print", "share", "tweet", "like", "xem them", "doc tiep", "rss",
    "lich cong tac", "thong bao", "co cau to chuc", "chuc nang nhiem vu", "tra cuu ho so", "a a a", "a+ a a-",
    "aa", "a- a a+", "tai ve", "download", "bai truoc", "bai sau", "bai tiep theo", "previous", "next",
    "posted in", "tin moi", "thoi tiet",
}
_TOOLS = re.compile(r"^(luot xem|luot doc|so lan xem|co chu|font size|danh gia|binh chon|view|views|"
                    r"dang boi|dang ngay|posted by|nguoi dang|chuyen muc|danh muc|category|categories|thu muc)\b")
_CATEGORY_START = ("thong tin ", "tin hoat dong", "tin tuc", "tin trong", "tin cchc", "tin cai cach",
                   "tin dia phuong", "tin van hoa", "tin kinh te", "tin chinh tri", "tin tong hop", "tin noi bat",
                   "chuyen muc", "chuyen de", "hoat dong ", "su kien", "thoi su", "cai cach hanh chinh",
                   "chuyen doi so", "tuyen truyen", "kinh te", "xa hoi", "tin so", "tin nganh")
_COMMENT = re.compile(
    r"^(tra loi|huy tra loi|reply|cancel reply|binh luan|\d+ binh luan|\d+ y kien|y kien ban doc|gui binh luan|"
    r"de lai mot binh luan|de lai binh luan|viet binh luan|gui y kien|y kien cua ban|leave a reply|"
    r"leave a comment|post comment|comments?|ten\s*\*|email\s*\*|ho (va )?ten\s*\*?|noi dung\s*\*|"
    r"ma xac nhan|trang web|website|binh luan cua ban|chua co binh luan|gui|nhap ma|luu ten)\b"
    r"|email cua ban se khong duoc hien thi|cac truong bat buoc duoc danh dau|"
    r"your email address will not be published|luu ten cua toi|required fields are marked")
_FOOTER = re.compile(
    r"giay phep (so|thiet lap|xuat ban|hoat dong)|^giay phep\b|co quan chu quan|co quan thuong truc|"
    r"truong ban bien tap|chiu trach nhiem (chinh|noi dung)|ghi ro nguon|ban quyen|copyright|\u00a9|"
    r"thiet ke (va phat trien )?boi|phat trien boi|luot truy cap|dang truy cap|dang online|"
    r"^(dia chi|tru so|dien thoai|dt|tel|fax|hotline|e-?mail|so dien thoai)\s*[:.]|"
    r"^(dia chi|tru so)\b.{0,80}\d|@[a-z0-9.-]+\.[a-z]{2,}")
_RELATED = re.compile(r"^(tin lien quan|bai viet lien quan|cac tin khac|tin khac|tin da dua|cac bai viet khac|"
                      r"tin cung chuyen muc|cac tin da dua|tin moi nhat|tin noi bat|tin doc nhieu|doc nhieu nhat|"
                      r"bai viet moi|bai viet khac|related posts|xem them tin)\b")
_CAPTION = re.compile(r"^\(?(anh|hinh|nguon anh|photo|anh minh hoa|hinh minh hoa)\s*(minh hoa)?\s*[:)]|"
                      r"^(anh|hinh) minh hoa\b|[.(]\s*(anh|nguon anh)\s*:\s*[^.]{1,60}\)?\s*$")
_PORTAL = re.compile(r"^cong (thong tin dien tu|ttdt|tt-dt|thong tin)\b")
_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}))?")
_TIME = re.compile(r"(\d{1,2})\s*[:h]\s*(\d{2})(?::\d{2})?")
_LABEL = re.compile(r"^(tac gia|nguoi viet|but danh|bai va anh|bai, anh|bai|tin va anh|tin, anh|tin|"
                    r"nguon bai viet|phong vien|pv|ctv|nguon|tu khoa|tags?|the|keywords?)\s*:\s*(.+)$")
_AUTHOR_LABELS = {"tac gia", "nguoi viet", "but danh", "bai va anh", "bai, anh", "bai", "tin va anh", "tin, anh",
                  "tin", "nguon bai viet", "phong vien", "pv", "ctv"}


def words(text: str) -> int:
    return len(text.split())


def is_date_line(text: str) -> bool:
    """A line that only says when: "Thứ Tư, 25/03/2020 13:52", "Cập nhật: 25/03/2020"."""
    folded = _f(text)
    if not (_DATE.search(folded) or _ISO.search(folded)):
        return False
    rest = _TIME.sub(" ", _ISO.sub(" ", _DATE.sub(" ", folded)))
    rest = re.sub(r"\b(thu (hai|ba|tu|nam|sau|bay)|chu nhat|ngay|dang|cap nhat|luc|gio|gmt|sa|ch|am|pm|"
                  r"posted on|published|updated|ngay dang|ngay cap nhat|thoi gian)\b", " ", rest)
    return not re.search(r"[a-z]", rest)


def boilerplate_reason(text: str) -> str | None:
    """Why a line is portal boilerplate wherever it stands, or None."""
    folded = _f(text)
    bare = folded.strip(" .:|>»›-")
    if not bare:
        return "empty line"
    if bare in _NAV_EXACT or _TOOLS.match(bare):
        return "navigation"
    if _COMMENT.search(bare) and words(text) <= 14:
        return "comment form"
    if _RELATED.match(bare) and words(text) <= 6:
        return "related links"
    if _FOOTER.search(folded) and words(text) <= 60:
        return "footer"
    if _PORTAL.match(bare) and words(text) <= 12:
        return "portal name"
    if _CAPTION.search(bare) and words(text) <= 40:
        return "photo caption"
    parts = [p.strip() for p in re.split(r"\s*[|»›>•·]\s*|\s/\s", text) if p.strip()]
    if len(parts) >= 2 and all(words(p) <= 5 for p in parts) and words(text) <= 20 and not _DATE.search(text):
        return "navigation"
    return None


def ends_body(reason: str) -> bool:
    """After the article body, these start the page's tail (comments, related news, footer)."""
    return reason in ("comment form", "related links", "footer", "portal name")


def is_category_label(text: str, next_text: str | None) -> bool:
    folded = _f(text)
    if re.match(r"^(chuyen muc|danh muc|category)\s*:", folded):
        return True
    if words(text) > 6 or text.endswith((".", "!", "?")) or re.search(r"\d", text):
        return False
    return folded.startswith(_CATEGORY_START) or folded in ("cai cach hanh chinh", "tin tuc")


def is_headline(text: str) -> bool:
    stripped = _HEADLINE_DATE.sub("", text).strip()
    return 3 <= words(stripped) <= 40 and len(stripped) <= 300 and not stripped.endswith((".", ":", ";"))


_HEADLINE_DATE = re.compile(r"\s*[(\[]\s*(\d{1,2}/\d{1,2}/\d{4})(?:\s*[,|-]?\s*(\d{1,2}[:h]\d{2}))?\s*[)\]]\s*$")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]*$|^[A-ZĐÀ-Ỹ]+$")


def author_alone(text: str, registry: Registry) -> str | None:
    """A name alone on a line ("Kim Bảo", "THU HÀ", "Minh Châu (Sở Nội vụ)")."""
    core = re.split(r"\s*[(\-–]\s*", text, maxsplit=1)[0].strip()
    tokens = core.split()
    if not 2 <= len(tokens) <= 5 or words(text) > 10 or text.endswith((".", "!", "?", ":")):
        return None
    if not all(_NAME_WORD.match(t) for t in tokens) or re.search(r"\d", text):
        return None
    if registry.lookup(core) is not None or _f(core) in _NAV_EXACT:
        return None
    return text if not core.isupper() else " ".join(t.capitalize() for t in tokens) + text[len(core):]


# --- province evidence ---------------------------------------------------------------------
@dataclass(frozen=True)
class Evidence:
    slug: str
    tier: int  # 3 portal owner/name/domain, 2 issuer (UBND tỉnh X), 1 passing mention
    phrase: str


_UNIT = r"(?:tỉnh|thành phố|tp\.?)"
_TIER_PATTERNS = (
    (3, re.compile(rf"(?:cơ quan chủ quản|chủ quản)\s*:?\s*(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+{_UNIT}\s+",
                   re.I)),
    (3, re.compile(rf"cổng\s+(?:thông tin điện tử|ttđt|tt-đt|thông tin)\s+(?:của\s+)?{_UNIT}\s+", re.I)),
    (2, re.compile(rf"(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd|hội đồng nhân dân|tỉnh ủy|tỉnh uỷ|thành ủy|"
                   rf"thành uỷ)\s+{_UNIT}\s+", re.I)),
    (1, re.compile(rf"(?<![\wÀ-ỹ]){_UNIT}\s+", re.I)),
)
_DOMAIN = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)*?([a-z0-9-]+)\.gov\.vn", re.I)


def _name_after(text: str, start: int, registry: Registry) -> tuple[str, str] | None:
    """The province named right after `start`: (slug, name as written), longest match first."""
    tokens = re.findall(r"[^\s,.;:()\"“”]+", text[start:start + 60])
    taken: list[str] = []
    for token in tokens[:5]:
        if token in ("-", "–") or token[0].isupper():
            taken.append(token)
        else:
            break
    for n in range(len(taken), 0, -1):
        name = " ".join(taken[:n]).strip(" -–")
        if not name:
            continue
        unit = registry.lookup(name)
        if unit is not None and unit.slug != "trung-uong":
            return unit.slug, name
    return None


def province_evidence(texts: Iterable[str], registry: Registry) -> list[Evidence]:
    found: list[Evidence] = []
    for text in texts:
        claimed: list[tuple[int, int]] = []
        for tier, pattern in _TIER_PATTERNS:
            for match in pattern.finditer(text):
                if any(a <= match.end() - 1 < b for a, b in claimed):
                    continue
                named = _name_after(text, match.end(), registry)
                if named:
                    claimed.append((match.start(), match.end() + len(named[1])))
                    found.append(Evidence(named[0], tier, text[match.start():match.end()] + named[1]))
        for match in _DOMAIN.finditer(text):
            unit = registry.lookup(match.group(1))
            if unit is not None and unit.slug != "trung-uong":
                found.append(Evidence(unit.slug, 3, match.group(0)))
    return found


def choose_province(evidence: Sequence[Evidence]) -> Evidence | None:
    """The most specific evidence wins; among equals the most mentioned, then the first."""
    if not evidence:
        return None
    best = max(e.tier for e in evidence)
    top = [e for e in evidence if e.tier == best]
    counts = Counter(e.slug for e in top)
    winner = max(counts, key=lambda s: (counts[s], -next(i for i, e in enumerate(top) if e.slug == s)))
    return next(e for e in top if e.slug == winner)


# --- dates ---------------------------------------------------------------------------------
def _mkdate(day: int, month: int, year: int, hour: int | None = None, minute: int | None = None) -> datetime | None:
    try:
        if hour is not None and minute is not None:
            return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)
        return datetime(year, month, day, tzinfo=VIETNAM_TZ)
    except ValueError:
        return None


def date_in(text: str) -> datetime | None:
    """The first full date in a text (with its time if one follows)."""
    folded = _f(text)
    iso = _ISO.search(folded)
    m = _DATE.search(folded)
    if m and (not iso or m.start() <= iso.start()):
        t = _TIME.search(folded, m.end())
        hm = (int(t.group(1)), int(t.group(2))) if t and t.start() - m.end() <= 4 else (None, None)
        return _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)), *hm)
    if iso:
        hm = (int(iso.group(4)), int(iso.group(5))) if iso.group(4) else (None, None)
        return _mkdate(int(iso.group(3)), int(iso.group(2)), int(iso.group(1)), *hm)
    return None


_LEAD_DATE = re.compile(r"^(?:\(?[a-z .]{0,30}\)?\s*[-–]?\s*)?(?:sang|chieu|toi|trua|dem)?\s*(?:ngay|nay|hom nay)?\s*"
                        r"(?:nay)?\s*\(?\s*(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?\s*\)?")


def years_named(texts: Sequence[str], not_after: int) -> list[int]:
    """Years written as "năm 2024" in the texts, up to `not_after`."""
    return [y for t in texts for y in (int(m.group(1)) for m in re.finditer(r"năm\s+(\d{4})\b", t))
            if 1945 <= y <= not_after]


def lead_day_month(text: str) -> tuple[int, int, int | None] | None:
    """"Ngày 23/3, …", "Sáng 23/3, …", "Chiều nay (23/3), …" at the start of a paragraph."""
    m = _LEAD_DATE.match(_f(text)[:60])
    if not m:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return day, month, int(m.group(3)) if m.group(3) else None


# --- plans ---------------------------------------------------------------------------------
_PLAN_NUMBER = re.compile(r"(?<![\w/])(\d{1,5}[a-zA-Z]?/(?:\d{4}/)?KH-[A-ZĐ][A-ZĐ0-9&]*(?:-[A-ZĐ0-9&]+)*)")
_ISSUER_START = re.compile(r"(UBND|Ủy ban|Uỷ ban|Sở|Ban|Văn phòng|HĐND|Hội đồng|Bộ|Thủ tướng|Chính phủ|Tỉnh ủy|"
                           r"Tỉnh uỷ|Thành ủy|Thành uỷ|Trung tâm|Cục|Chi cục|Phòng|Đài|Báo|Liên đoàn|Hội)\b")
_SUFFIX_ISSUERS = {"UBND": "UBND", "STTTT": "Sở Thông tin và Truyền thông", "SNV": "Sở Nội vụ",
                   "VPUBND": "Văn phòng UBND", "STP": "Sở Tư pháp", "SKHĐT": "Sở Kế hoạch và Đầu tư",
                   "STC": "Sở Tài chính", "SKHCN": "Sở Khoa học và Công nghệ", "BCĐ": "Ban Chỉ đạo"}


@dataclass(frozen=True)
class PlanDraft:
    number: str
    issued: datetime
    issuer: str
    province: str
    title: str
    year: int | None
    summary: str
    notes: tuple[str, ...] = ()
    slug: str = ""


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("; ", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 2 if left >= 0 else 0:right + 1].strip()


def find_plan(texts: Sequence[str], headline: str | None, article_date: datetime, province: str,
              registry: Registry) -> tuple[PlanDraft | None, list[str]]:
    """The plan the article is about: the first KH number cited (headline, then body)."""
    cited: list[tuple[str, str, int]] = []
    for text in ([headline] if headline else []) + list(texts):
        for m in _PLAN_NUMBER.finditer(text):
            cited.append((m.group(1), text, m.start()))
    if not cited:
        return None, []
    numbers = list(dict.fromkeys(c[0] for c in cited))
    number = numbers[0]
    notes = [f"also cites {', '.join(numbers[1:])} (not imported)"] if len(numbers) > 1 else []
    # the richest citation of that number: one with a date after it
    best = None
    for num, text, at in cited:
        if num != number:
            continue
        after = text[at + len(num):at + len(num) + 40]
        if re.match(r"\s*(?:ngày|ngay)\s*\d", after, re.I) or best is None:
            best = (text, at)
            if re.match(r"\s*ngày\s*\d", after, re.I):
                break
    assert best is not None
    text, at = best
    end = at + len(number)
    after = text[end:]
    issued: datetime | None = None
    m = re.match(r"\s*ngày\s*(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?", after, re.I)
    if m:
        year = int(m.group(3)) if m.group(3) else article_date.year
        issued = _mkdate(int(m.group(1)), int(m.group(2)), year)
        if not m.group(3):
            notes.append("plan date has no year in the text; the article's year was used")
        after = after[m.end():]
    sentence = _sentence_around(text, at, end)
    if issued is None:
        lead = lead_day_month(sentence)
        if lead:
            issued = _mkdate(lead[0], lead[1], lead[2] or article_date.year)
    if issued is None:
        issued = article_date.replace(hour=0, minute=0)
        notes.append("plan date not found in the text; the article's date was used")
    # issuer: the subject before "ban hành" in the sentence, else from the number
    issuer = ""
    before = text[max(0, text.rfind(". ", 0, at) + 1):at]
    verb = re.search(r"(?:vừa|đã|mới)?\s*(?:ký\s+)?ban hành\s+(?:kế hoạch|KH)?\s*(?:số)?\s*$", before, re.I)
    if verb:
        subject = before[:verb.start()]
        subject = subject[subject.rfind(",") + 1:]
        start = _ISSUER_START.search(subject)
        if start:
            issuer = subject[start.start():].strip(" ,")
    if not issuer:
        after_cua = re.match(r"\s*(?:ngày\s*[\d/]+\s*)?của\s+([^,.;]+)", text[end:], re.I)
        if after_cua and _ISSUER_START.match(after_cua.group(1).strip()):
            issuer = after_cua.group(1).strip()
    unit = registry.get(province) if province in registry else None
    place = ""
    if unit is not None and unit.slug != "trung-uong":
        place = ("thành phố " if unit.kind == "thành phố" else "tỉnh ") + unit.name
    if not issuer:
        suffix = number.split("KH-", 1)[1]
        issuer = _SUFFIX_ISSUERS.get(suffix, "")
        if not issuer:
            issuer = f"Cơ quan ban hành ({suffix})"
            notes.append("issuer not found in the text: fill in 'issuer'")
        else:
            notes.append(f"issuer guessed from the number's suffix KH-{suffix}")
    if place and not any(registry.lookup(issuer[m.start():].split(",")[0]) for m in
                         re.finditer(r"(?:tỉnh|thành phố|tp\.?)\s+", issuer, re.I)) and \
            not re.match(r"(Bộ|Chính phủ|Thủ tướng)\b", issuer):
        issuer = f"{issuer} {place}"
    # title: the headline's "Kế hoạch …" words, else the "về …" clause, else the number
    title = ""
    if headline and len(numbers) == 1:
        hm = re.search(r"\b(kế hoạch\s+(?!số\b)(?!\d)[^,.;:(]{6,})", _HEADLINE_DATE.sub("", headline), re.I)
        if hm:
            title = "Kế hoạch " + hm.group(1)[len("kế hoạch "):].strip()
    if not title:
        about = re.match(r"[^.;]{0,40}?\bvề\s+(?:việc\s+)?([^.;]{6,160}?)(?:[.;]|,\s*(?:theo đó|trong đó|nhằm)|$)",
                         after)
        if about:
            title = "Kế hoạch " + about.group(1).strip()
    if not title:
        title = f"Kế hoạch số {number}"
        notes.append("plan title is only its number: give it a descriptive title")
    year_match = re.search(r"năm\s+(\d{4})\b", title)
    year = int(year_match.group(1)) if year_match and 1945 <= int(year_match.group(1)) <= 2200 else None
    slug = f"ke-hoach-{slugify(number)}-{issued.year}"
    summary = sentence if len(sentence) <= 300 else ""
    return PlanDraft(number, issued, issuer, province, title[:MAX_TITLE], year, summary, tuple(notes), slug), notes


# --- tags ----------------------------------------------------------------------------------
TAG_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"cai cach hanh chinh|\bcchc\b", "cải cách hành chính"),
    (r"tuyen truyen", "tuyên truyền"),
    (r"dich vu cong truc tuyen|\bdvctt\b|\bdvc\b", "dịch vụ công trực tuyến"),
    (r"chuyen doi so", "chuyển đổi số"),
    (r"mot cua", "một cửa"),
    (r"so hoa", "số hóa"),
    (r"thu tuc hanh chinh|\btthc\b", "thủ tục hành chính"),
    (r"par index|chi so cai cach hanh chinh", "PAR Index"),
    (r"\bsipas\b|chi so hai long", "SIPAS"),
    (r"\bpapi\b", "PAPI"),
    (r"\bvneid\b", "VNeID"),
    (r"chinh quyen dien tu|chinh phu dien tu|chinh quyen so", "chính quyền điện tử"),
    (r"van hoa cong so", "văn hóa công sở"),
    (r"cai cach the che", "cải cách thể chế"),
    (r"hanh chinh cong", "hành chính công"),
)


def keyword_tags(title: str, body: str, limit: int = 5) -> list[str]:
    title_f, body_f = _f(title), _f(body)
    scored = []
    for i, (pattern, tag) in enumerate(TAG_KEYWORDS):
        in_title = len(re.findall(pattern, title_f))
        in_body = len(re.findall(pattern, body_f))
        if in_title or in_body >= 2:
            scored.append((-(in_title * 3 + in_body), i, tag))
    return [tag for *_, tag in sorted(scored)[:limit]]


# --- the result ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    name: str  # the file imported
    title: str
    title_from: str
    date: datetime
    has_time: bool
    date_from: str
    province: str
    province_from: str
    author: str | None
    author_from: str
    source_name: str | None
    source_url: str | None
    tags: tuple[str, ...]
    summary: str | None
    paragraphs: tuple[str, ...]  # Markdown blocks
    plan: PlanDraft | None
    dropped: tuple[tuple[str, str], ...]  # (reason, text)
    review: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()

    @property
    def slug(self) -> str:
        from cchc_site.tools.scaffold import file_slug

        return file_slug(self.title) or "tin-nhap-khau"


def _markdown_escape(text: str) -> str:
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
    text = re.sub(r"^(#+|[-+]|\d+[.)])(\s)", r"\\\1\2", text)
    return text


def extract(doc: Document, *, name: str, registry: Registry, today: date,
            default_province: str | None = None) -> ImportResult:
    """Everything an article draft needs, from one document; pure."""
    blocks = list(doc.blocks)
    dropped: list[tuple[str, str]] = []
    review: list[str] = []
    meta = doc.meta
    # 1. zones (HTML) and lines that are boilerplate wherever they stand
    kept: list[tuple[int, Block]] = []
    labels: list[tuple[str, str, str]] = []  # (label, value, line)
    seen_body = False
    tail_from: int | None = None
    for i, block in enumerate(blocks):
        text = block.text
        label = _LABEL.match(_f(text))
        if label and words(text) <= 15:
            value = text.split(":", 1)[1].strip()
            labels.append((label.group(1), value, text))
            dropped.append(("byline/keywords", text))
            continue
        if block.zone and not (block.tag == "h1" and block.zone in ("navigation",) and False):
            if block.zone in ("comment form", "related links", "footer") and seen_body and tail_from is None:
                tail_from = i
            dropped.append((block.zone, text))
            continue
        reason = boilerplate_reason(text)
        if reason is None and tail_from is None and is_date_line(text):
            reason = "date line"
        if reason is not None:
            if seen_body and ends_body(reason) and tail_from is None:
                tail_from = i
            dropped.append((reason, text))
            continue
        if tail_from is not None:
            dropped.append(("after the article (comments, related news, footer)", text))
            continue
        if block.tag not in ("h1",) and (words(text) > 15 or text.endswith(".")):
            seen_body = True
        kept.append((i, block))
    # 2. headline
    title, title_from, headline_date = "", "", None
    h1 = next((b for _, b in kept if b.tag == "h1"), None)
    candidates: list[tuple[str, str]] = []
    if h1 is not None:
        candidates.append((h1.text, "the page's <h1>"))
    if meta.get("og_title"):
        candidates.append((meta["og_title"], "og:title"))
    if doc.html and meta.get("title"):
        parts = [p.strip() for p in re.split(r"\s+[-|–]\s+", meta["title"]) if p.strip()]
        parts = [p for p in parts if not _PORTAL.match(_f(p))] or parts
        if parts:
            candidates.append((max(parts, key=len), "the page's <title>"))
    position = 0
    while position < len(kept) and not candidates:
        _, block = kept[position]
        following = kept[position + 1][1].text if position + 1 < len(kept) else None
        if is_category_label(block.text, following):
            dropped.append(("category label", block.text))
            kept.pop(position)
            continue
        if is_headline(block.text) and following is not None:
            candidates.append((block.text, "the first line"))
        break
    if candidates:
        raw_title, title_from = candidates[0]
        hd = _HEADLINE_DATE.search(raw_title)
        if hd:
            headline_date = date_in(hd.group(0))
            raw_title = raw_title[:hd.start()].strip()
        title = raw_title
        key = _f(title)
        before = len(kept)
        kept = [(i, b) for i, b in kept if _f(_HEADLINE_DATE.sub("", b.text)) != key]
        if before != len(kept):
            dropped.append(("headline (used as title)", title))
    # category labels left before the body (e.g. above the headline)
    while kept and is_category_label(kept[0][1].text, None) and len(kept) > 1:
        dropped.append(("category label", kept.pop(0)[1].text))
    # 3. duplicates
    unique: list[tuple[int, Block]] = []
    seen: set[str] = set()
    for i, block in kept:
        key = _f(block.text)
        if key in seen:
            dropped.append(("repeated paragraph", block.text))
            continue
        seen.add(key)
        unique.append((i, block))
    kept = unique
    # 4. author: labels, then a name alone on the last content line
    author, author_from = None, ""
    source_name, source_url = None, None
    tags: list[str] = []
    for label, value, line in labels:
        if label in _AUTHOR_LABELS and author is None:
            author, author_from = value.strip(" .;"), f'"{line}"'
        elif label == "nguon":
            if re.match(r"https?://", value):
                source_url = source_url or value.split()[0]
            else:
                source_name = source_name or value.strip(" .")
        elif label in ("tu khoa", "tag", "tags", "the", "keyword", "keywords"):
            tags += [t.strip(" .") for t in re.split(r"[,;|]", value) if t.strip(" .")]
    if kept:
        last = author_alone(kept[-1][1].text, registry)
        if last is not None:
            if author is None:
                author, author_from = last, "the name alone on the last line"
            dropped.append(("author line", kept.pop()[1].text))
    if author is None and meta.get("author") and _f(meta["author"]) not in ("admin", "administrator"):
        author, author_from = meta["author"], "meta author"
    body_texts = [b.text for _, b in kept]
    if not title:
        lead = body_texts[0] if body_texts else name
        first = re.split(r"(?<=[.!?])\s", lead, maxsplit=1)[0].rstrip(".")
        first = re.sub(r"^(ngày|sáng|chiều|tối)\s*(nay\s*)?\(?\d{1,2}/\d{1,2}(/\d{4})?\)?\s*,\s*", "", first,
                       flags=re.I)
        first = re.sub(r"\s+(vừa|mới)\s+", " ", first)
        first = re.sub(r"\s+ngày\s+\d{1,2}/\d{1,2}/\d{4}", "", first)
        first = re.sub(r"\bvề việc\b", "về", first)
        title = first[:1].upper() + first[1:]
        if len(title) > MAX_TITLE:
            title = title[:MAX_TITLE].rsplit(" ", 1)[0] + "…"
        title_from = "no headline on the page: made from the first sentence"
        review.append("no headline found: the title was made from the first sentence; shorten it")
    # 5. date
    has_time = False
    when: datetime | None = None
    date_from = ""
    if headline_date is not None:
        when, date_from = headline_date, "the date after the headline"
    if when is None and meta.get("published"):
        when, date_from = date_in(meta["published"]), "meta published time"
    if when is None and meta.get("time"):
        when, date_from = date_in(meta["time"]), "<time datetime>"
    if when is None:
        title_index = next((k for k, b in enumerate(blocks) if title and _f(title) in _f(b.text)), None)
        if title_index is not None:
            for block in blocks[title_index + 1:title_index + 4]:
                if is_date_line(block.text):
                    when, date_from = date_in(block.text), f'the date line "{block.text}"'
                    break
    if when is not None:
        has_time = bool(when.hour or when.minute)
    all_dates = [d for d in (date_in(t) for t in body_texts) if d is not None]
    if when is None and body_texts:
        lead = lead_day_month(body_texts[0])
        if lead:
            day, month, year = lead
            how = "given"
            if year is None:
                same = [d for d in (_mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                                    for t in body_texts for m in _DATE.finditer(t))
                        if d is not None and (d.day, d.month) == (day, month)]
                year_in_title = re.search(r"năm\s+(\d{4})", title)
                if same:
                    year, how = same[0].year, "a full date in the text"
                elif year_in_title:
                    year, how = int(year_in_title.group(1)), "the year in the title"
                elif years_named(body_texts, today.year):
                    year, how = max(years_named(body_texts, today.year)), "a year named in the text"
                elif all_dates:
                    year, how = max(d.year for d in all_dates), "the latest year in the text"
                else:
                    year, how = today.year, "this year (no year in the text)"
                review.append(f"date: the year of \"{day}/{month}\" was inferred from {how}")
            when = _mkdate(day, month, year)
            date_from = f'"Ngày {day}/{month}" at the start of the article'
    if when is None:
        when = datetime(today.year, today.month, today.day, tzinfo=VIETNAM_TZ)
        date_from = "today (no date on the page)"
        hint = f"; the text cites {max(all_dates).strftime('%d/%m/%Y')}" if all_dates else ""
        review.append(f"no date found: today's date was used{hint}; set the article's real date")
    # 6. province
    evidence_texts = [b.text for b in blocks] + [meta.get(k, "") for k in ("title", "site_name", "url")]
    evidence = province_evidence([t for t in evidence_texts if t], registry)
    chosen = choose_province(evidence)
    if chosen is not None:
        province = chosen.slug
        kinds = {3: "portal owner or name", 2: "issuing authority", 1: "mention"}
        province_from = f'"{chosen.phrase}" ({kinds[chosen.tier]})'
        others = sorted({e.slug for e in evidence if e.slug != province and e.tier >= chosen.tier})
        if others:
            review.append(f"province: the text also points to {', '.join(others)}; check '{province}'")
    else:
        province = default_province or "trung-uong"
        province_from = "the site's province" if default_province else "no province named: national"
        review.append(f"no province found in the text: '{province}' was used")
    # 7. source, tags, plan, summary
    if meta.get("url") and re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/\S*)?$", meta["url"]):
        source_url = source_url or meta["url"]
    for block in blocks:
        m = re.search(r"ghi rõ nguồn[^\"“]*[\"“](https?://[^\"”\s]+)", block.text, re.I)
        if m and source_url is None:
            source_url = m.group(1)
        if _PORTAL.match(_f(block.text)) and source_name is None and words(block.text) <= 12:
            unit_ev = province_evidence([block.text], registry)
            if unit_ev:
                unit = registry.get(unit_ev[0].slug)
                place = ("thành phố " if unit.kind == "thành phố" else "tỉnh ") + unit.name
                source_name = f"Cổng thông tin điện tử {place}"
    if source_name is None and meta.get("site_name"):
        source_name = meta["site_name"]
    if source_url and not re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/\S*)?$", source_url):
        source_url = None
    if source_url and not source_name:
        source_name = re.sub(r"^https?://", "", source_url).split("/")[0]
    if not tags and meta.get("keywords"):
        tags = [t.strip() for t in meta["keywords"].split(",") if t.strip()][:5]
    if not tags:
        tags = keyword_tags(title, " ".join(body_texts))
    tags = list(dict.fromkeys(tags))
    plan, plan_notes = find_plan(body_texts, title if title_from != "no headline on the page: made from the first "
                                 "sentence" else None, when, province, registry)
    review += [f"plan: {n}" for n in plan_notes]
    summary = None
    if body_texts:
        lead = body_texts[0]
        first = re.split(r"(?<=[.!?])\s", lead, maxsplit=1)[0]
        candidate = lead if len(lead) <= 300 else first if len(first) <= 300 else None
        if candidate and _f(candidate).rstrip(".") != _f(title).rstrip(".") and not title_from.startswith("no "):
            summary = candidate
    if author is None:
        review.append("no author found: add 'author' if the page names one")
    paragraphs = []
    for _, block in kept:
        text = _markdown_escape(block.text)
        if block.tag in ("h2", "h3", "h4", "h5", "h6"):
            text = "#" * max(2, int(block.tag[1])) + " " + text
        elif block.tag == "li":
            text = "- " + text
        paragraphs.append(text)
    if not paragraphs:
        review.append("no article text was found on the page")
    return ImportResult(name=name, title=title, title_from=title_from, date=when, has_time=has_time,
                        date_from=date_from, province=province, province_from=province_from, author=author,
                        author_from=author_from, source_name=source_name, source_url=source_url, tags=tuple(tags),
                        summary=summary, paragraphs=tuple(paragraphs), plan=plan, dropped=tuple(dropped),
                        review=tuple(review), evidence=tuple(evidence))


def import_bytes(data: bytes, name: str, *, registry: Registry | None = None, today: date | None = None,
                 default_province: str | None = None) -> ImportResult:
    registry = registry or load_registry()
    today = today or datetime.now(VIETNAM_TZ).date()
    return extract(read_document(data, name), name=name, registry=registry, today=today,
                   default_province=default_province)


# --- Markdown ------------------------------------------------------------------------------
def _q(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _date_value(when: datetime, has_time: bool) -> str:
    return when.isoformat(timespec="seconds") if has_time else when.date().isoformat()


def article_text(result: ImportResult, plan_slug: str | None) -> str:
    lines = ["---", f"# Imported from {result.name} by `cchc-site import`: review, then remove draft.",
             *[f"# REVIEW: {note}" for note in result.review],
             f"title: {_q(result.title)}", f"date: {_date_value(result.date, result.has_time)}",
             f"province: {result.province}"]
    if result.summary:
        lines.append(f"summary: {_q(result.summary)}")
    if result.tags:
        lines.append("tags: [" + ", ".join(_q(t) for t in result.tags) + "]")
    if plan_slug:
        lines.append(f"plan: {plan_slug}")
    if result.source_name:
        lines += ["source:", f"  name: {_q(result.source_name)}"]
        if result.source_url:
            lines.append(f"  url: {_q(result.source_url)}")
    if result.author:
        lines.append(f"author: {_q(result.author)}")
    lines += ["draft: true", f"x-imported-from: {_q(result.name)}", "---", ""]
    return "\n".join(lines) + "\n\n".join(result.paragraphs) + "\n"


def plan_text(plan: PlanDraft, article_title: str, source: str) -> str:
    lines = ["---", f"# Made by `cchc-site import` from {source}: the article cites this plan.",
             *[f"# REVIEW: {note}" for note in plan.notes],
             f"title: {_q(plan.title)}", f"number: {_q(plan.number)}", f"issued: {plan.issued.date().isoformat()}",
             f"issuer: {_q(plan.issuer)}", f"province: {plan.province}"]
    if plan.year is not None:
        lines.append(f"year: {plan.year}")
    if plan.summary:
        lines.append(f"summary: {_q(plan.summary)}")
    lines += ["draft: true", f"x-imported-from: {_q(source)}", "---", "",
              f"{plan.title} (số {plan.number}, ngày {plan.issued.strftime('%d/%m/%Y')}) của {plan.issuer}.", "",
              f"Trang này được tạo khi nhập tin bài «{_markdown_escape(article_title)}». Cần bổ sung nội dung chính "
              "và tệp toàn văn (attachments) trước khi đăng."]
    return "\n".join(lines) + "\n"


# --- writing -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Written:
    article: Path | None
    plan: Path | None
    plan_slug: str | None
    messages: tuple[str, ...]
    ok: bool


def existing_plans(content_dir: Path) -> dict[str, str]:
    """Normalised plan number → slug of the plans already in the site."""
    from cchc_site.content.frontmatter import split
    from cchc_site.core.yamlload import YamlProblem, load

    found: dict[str, str] = {}
    folder = content_dir / "plans"
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*.md")):
        try:
            parts = split(path.read_text("utf-8-sig").replace("\r\n", "\n"))
            if isinstance(parts, str):
                continue
            data, _ = load(parts[0])
        except (OSError, UnicodeDecodeError, YamlProblem, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("number"), str):
            slug = slugify(str(data.get("slug") or path.stem))
            found.setdefault(_number_key(data["number"]), slug)
    return found


def _number_key(number: str) -> str:
    return re.sub(r"\s+", "", number).upper()


def write_result(result: ImportResult, content_dir: Path, *, out: Path | None = None) -> Written:
    """Write the article (and plan) drafts under <out or content_dir>/{articles,plans}/imported/; never overwrite."""
    from cchc_site.tools.scaffold import existing_slugs

    base = out or content_dir
    messages: list[str] = []
    plan_path, plan_slug = None, None
    if result.plan is not None:
        known = {**existing_plans(content_dir), **(existing_plans(out) if out else {})}
        existing = known.get(_number_key(result.plan.number))
        if existing:
            plan_slug = existing
            messages.append(f"plan {result.plan.number} is already in the site as '{existing}': linked, not written")
        else:
            folder = base / "plans" / "imported"
            taken = {**existing_slugs(content_dir / "plans"), **existing_slugs(base / "plans")}
            if result.plan.slug in taken:
                messages.append(f"a plan with slug '{result.plan.slug}' already exists ({taken[result.plan.slug]}); "
                                "linked to it, not overwritten")
                plan_slug = result.plan.slug
            else:
                folder.mkdir(parents=True, exist_ok=True)
                plan_path = folder / f"{result.plan.slug}.md"
                with open(plan_path, "x", encoding="utf-8", newline="\n") as handle:
                    handle.write(plan_text(result.plan, result.title, result.name))
                plan_slug = result.plan.slug
    slug = result.slug
    taken = {**existing_slugs(content_dir / "articles"), **existing_slugs(base / "articles")}
    if slug in taken:
        messages.append(f"an article with slug '{slug}' already exists ({taken[slug]}); not overwritten")
        return Written(None, plan_path, plan_slug, tuple(messages), False)
    folder = base / "articles" / "imported"
    folder.mkdir(parents=True, exist_ok=True)
    article_path = folder / f"{slug}.md"
    with open(article_path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(article_text(result, plan_slug))
    return Written(article_path, plan_path, plan_slug, tuple(messages), True)


def summary_lines(result: ImportResult, written: Written) -> list[str]:
    """What import found and what an editor should review, for the terminal."""
    reasons = Counter(reason for reason, _ in result.dropped)
    lines = [f"{result.name}:"]
    if written.article:
        lines.append(f"  wrote     {written.article}")
    if written.plan:
        lines.append(f"  wrote     {written.plan}")
    lines += [f"  title     {result.title}  [{result.title_from}]",
              f"  date      {_date_value(result.date, result.has_time)}  [{result.date_from}]",
              f"  province  {result.province}  [{result.province_from}]",
              f"  author    {result.author or '-'}" + (f"  [{result.author_from}]" if result.author else ""),
              f"  tags      {', '.join(result.tags) or '-'}"]
    if result.source_name:
        lines.append(f"  source    {result.source_name}" + (f" <{result.source_url}>" if result.source_url else ""))
    if result.plan is not None:
        p = result.plan
        lines.append(f"  plan      {p.number}, {p.issued.strftime('%d/%m/%Y')}, {p.issuer} → {written.plan_slug}")
    lines.append(f"  kept      {len(result.paragraphs)} paragraph(s); dropped {len(result.dropped)} line(s): " +
                 (", ".join(f"{n} {r}" for r, n in sorted(reasons.items())) or "none"))
    for message in written.messages:
        lines.append(f"  note      {message}")
    for note in result.review:
        lines.append(f"  review    {note}")
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="text or HTML saved from a portal page")
    parser.add_argument("--out", type=Path, help="content folder to write into (default: content_dir of the config); "
                        "drafts go to <out>/articles/imported/ and <out>/plans/imported/")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default ./config.yaml)")


def run(args: argparse.Namespace) -> int:
    from cchc_site.config.settings import load_config
    from cchc_site.core.diagnostics import ConfigError, Diagnostic

    config = None
    if args.out is None or args.config.exists():
        config = load_config(args.config)
    content_dir = config.content_dir if config is not None else args.out
    default_province = config.provinces[0] if config is not None and config.provinces and \
        len(config.provinces) == 1 else None
    registry = load_registry()
    status = 0
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{path}: error: cannot read: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        if not data.strip():
            print(f"{path}: error: the file is empty", file=sys.stderr)
            status = 1
            continue
        result = import_bytes(data, path.name, registry=registry, default_province=default_province)
        try:
            written = write_result(result, content_dir, out=args.out)
        except FileExistsError as exc:
            print(f"{path}: error: {exc.filename} already exists; not overwritten", file=sys.stderr)
            status = 1
            continue
        except OSError as exc:
            raise ConfigError([Diagnostic(str(args.out or content_dir), 0, 0,
                                          f"cannot write: {exc.strerror}")]) from None
        print("\n".join(summary_lines(result, written)))
        if not written.ok:
            status = 1
    return status
