"""Recognising portal boilerplate by what a line says: menus, comment forms, footers, captions,
category labels, date lines, a name alone on a line."""

from __future__ import annotations

import re

from cchc_site.domain.provinces import Registry
from cchc_site.domain.vietnamese import fold


def _f(text: str) -> str:
    """Folded, lower-case, punctuation-light form for matching."""
    return " ".join(fold(text).replace("\u2013", "-").replace("\u2014", "-").split())


_NAV_EXACT = {
    "skip to main content",
    "skip to content",
    "bo qua noi dung",
    "chuyen den noi dung chinh",
    "trang chu",
    "home",
    "gioi thieu",
    "tin tuc",
    "tin tuc - su kien",
    "tin tuc su kien",
    "lien he",
    "so do site",
    "so do trang",
    "dang nhap",
    "dang ky",
    "tim kiem",
    "english",
    "tieng viet",
    "menu",
    "danh muc",
    "van ban",
    "van ban phap luat",
    "van ban chi dao dieu hanh",
    "thu tuc hanh chinh",
    "dich vu cong",
    "dich vu cong truc tuyen",
    "hoi dap",
    "gop y",
    "thu vien anh",
    "video",
    "quay lai",
    "tro ve",
    "tro lai",
    "len dau trang",
    "ve dau trang",
    "in bai viet",
    "in trang",
    "ban in",
    "in",
    "gui email",
    "gui bai viet",
    "chia se",
    "chia se bai viet",
    "facebook",
    "twitter",
    "zalo",
    "email",
    "print",
    "share",
    "tweet",
    "like",
    "xem them",
    "doc tiep",
    "rss",
    "lich cong tac",
    "thong bao",
    "co cau to chuc",
    "chuc nang nhiem vu",
    "tra cuu ho so",
    "a a a",
    "a+ a a-",
    "aa",
    "a- a a+",
    "tai ve",
    "download",
    "bai truoc",
    "bai sau",
    "bai tiep theo",
    "previous",
    "next",
    "posted in",
    "tin moi",
    "thoi tiet",
    # SharePoint chrome (saved or copied pages keep the ribbon's labels)
    "skip ribbon commands",
    "turn off more accessible mode",
    "turn on more accessible mode",
    "sign in",
    "sign out",
    "browse",
    "page",
    "site actions",
    "edit page",
    "share & track",
    "share track",
    "publish",
    "follow",
    "search this site",
    "site contents",
    "recycle bin",
    "this page location is",
    "pages",
    "documents",
    "focus on content",
    "bo qua cac lenh ribbon",
    "chuyen toi noi dung chinh",
    "dang nhap he thong",
    # Liferay, WordPress (Vietnamese themes), NukeViet, Joomla, the e-Portal products
    "bo qua de den noi dung",
    "chuyen den noi dung",
    "trang nhat",
    "in ra",
    "gui bai viet qua email",
    "chi tiet",
    "truoc",
    "tiep theo",
    "sau",
    "trang truoc",
    "trang sau",
    "prev",
    "phien ban di dong",
    "phien ban desktop",
    "so do cong",
    "so do cong thong tin",
    "nghe doc bai viet",
    "nghe bai viet",
    "doc bai viet",
}
_TOOLS = re.compile(
    r"^(luot xem|luot doc|so lan xem|co chu|font size|danh gia|binh chon|view|views|"
    r"dang boi|dang ngay|posted by|nguoi dang|chuyen muc|danh muc|category|categories|thu muc|"
    r"xem voi co chu|nghe doc|tong so diem|click de danh gia|duoc dang|viet boi|cap nhat lan cuoi|"
    r"powered by|proudly powered)\b"
)
_CATEGORY_START = (
    "thong tin ",
    "tin hoat dong",
    "tin tuc",
    "tin trong",
    "tin cchc",
    "tin cai cach",
    "tin dia phuong",
    "tin van hoa",
    "tin kinh te",
    "tin chinh tri",
    "tin tong hop",
    "tin noi bat",
    "chuyen muc",
    "chuyen de",
    "hoat dong ",
    "su kien",
    "thoi su",
    "cai cach hanh chinh",
    "chuyen doi so",
    "tuyen truyen",
    "kinh te",
    "xa hoi",
    "tin so",
    "tin nganh",
)
_COMMENT = re.compile(
    r"^(tra loi|huy tra loi|reply|cancel reply|binh luan|\d+ binh luan|\d+ y kien|y kien ban doc|gui binh luan|"
    r"de lai mot binh luan|de lai binh luan|viet binh luan|gui y kien|y kien cua ban|leave a reply|"
    r"leave a comment|post comment|comments?|ten\s*\*|email\s*\*|ho (va )?ten\s*\*?|noi dung\s*\*|"
    r"ma xac nhan|trang web|website|binh luan cua ban|chua co binh luan|gui|nhap ma|luu ten)\b"
    r"|email cua ban se khong duoc hien thi|cac truong bat buoc duoc danh dau|"
    r"your email address will not be published|luu ten cua toi|required fields are marked"
)
_FOOTER = re.compile(
    r"giay phep (so|thiet lap|xuat ban|hoat dong)|^giay phep\b|co quan chu quan|co quan thuong truc|"
    r"truong ban bien tap|chiu trach nhiem (chinh|noi dung)|ghi ro nguon|ban quyen|copyright|\u00a9|"
    r"thiet ke (va phat trien )?boi|phat trien boi|luot truy cap|dang truy cap|dang online|"
    r"^(dia chi|tru so|dien thoai|dt|tel|fax|hotline|e-?mail|so dien thoai)\s*[:.]|"
    r"^(dia chi|tru so)\b.{0,80}\d|@[a-z0-9.-]+\.[a-z]{2,}"
)
_RELATED = re.compile(
    r"^(tin lien quan|bai viet lien quan|cac tin khac|tin khac|tin da dua|cac bai viet khac|"
    r"tin cung chuyen muc|cac tin da dua|tin moi nhat|tin noi bat|tin doc nhieu|doc nhieu nhat|"
    r"bai viet moi|bai viet khac|related posts|xem them tin|nhung tin moi hon|nhung tin cu hon|"
    r"tin moi hon|tin cu hon|tai san lien quan|cac lien ket lien quan)\b"
)
_CAPTION = re.compile(
    r"^\(?(anh|hinh|nguon anh|photo|anh minh hoa|hinh minh hoa)\s*(minh hoa)?\s*[:)]|"
    r"^(anh|hinh) minh hoa\b|[.(]\s*(anh|nguon anh)\s*:\s*[^.]{1,60}\)?\s*$"
)
_PORTAL = re.compile(r"^cong (thong tin dien tu|ttdt|tt-dt|thong tin)\b")
_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}))?")
_TIME = re.compile(r"(\d{1,2})\s*[:h]\s*(\d{2})(?::\d{2})?")
_LABEL = re.compile(
    r"^(tac gia bai viet|tac gia|nguoi viet|but danh|bai va anh|bai, anh|bai|tin va anh|tin, anh|tin|"
    r"nguon bai viet|phong vien|pv|ctv|nguon tin|nguon|tu khoa|tags?|the|keywords?)\s*:\s*(.+)$"
)
# a label with nothing after it ("Nguồn:", "Tác giả: ") is left-over template, not text
_EMPTY_LABEL = re.compile(
    r"^(tac gia bai viet|tac gia|nguoi viet|but danh|nguon tin|nguon bai viet|nguon|"
    r"tu khoa|tags?|the|keywords?|phong vien|chuyen muc)\s*:?\s*[-.…]*$"
)
# "Chi tiết tại: KH-45-UBND.pdf (tải xuống)", "Tệp đính kèm: …": the link to a document's full text
_ATTACHMENT = re.compile(
    r"^(?:xem )?(?:chi tiet|noi dung chi tiet|toan van|chi tiet van ban)(?: xem)?"
    r"(?: tai day| tai| o day| theo file| file)?\s*:|"
    r"^(?:file|tep|tai lieu|van ban|tep tin) (?:dinh kem|tai ve|toan van)\b|"
    r"\((?:tai xuong|tai ve|download|xem|tai)\)\s*$"
)
_ATTACHMENT_WRAP = re.compile(
    r"^\s*(?:xem\s+)?(?:chi tiết|nội dung chi tiết|toàn văn|chi tiết văn bản|file|tệp|"
    r"tệp tin|tài liệu|văn bản)(?:\s+(?:xem|đính kèm|tải về|toàn văn))?"
    r"(?:\s+(?:tại đây|tại|ở đây|theo file|file))?\s*:\s*|"
    r"\s*\((?:tải xuống|tải về|download|xem|tải)\)\s*$",
    re.I,
)
_AUTHOR_LABELS = {
    "tac gia bai viet",
    "tac gia",
    "nguoi viet",
    "but danh",
    "bai va anh",
    "bai, anh",
    "bai",
    "tin va anh",
    "tin, anh",
    "tin",
    "nguon bai viet",
    "phong vien",
    "pv",
    "ctv",
}


def words(text: str) -> int:
    return len(text.split())


def is_date_line(text: str) -> bool:
    """A line that only says when: "Thứ Tư, 25/03/2020 13:52", "Cập nhật: 25/03/2020"."""
    folded = _f(text)
    if not (_DATE.search(folded) or _ISO.search(folded)):
        return False
    rest = _TIME.sub(" ", _ISO.sub(" ", _DATE.sub(" ", folded)))
    rest = re.sub(
        r"\b(thu (hai|ba|tu|nam|sau|bay)|chu nhat|ngay|dang|cap nhat|luc|gio|gmt|sa|ch|am|pm|"
        r"posted on|published|updated|ngay dang|ngay cap nhat|thoi gian)\b",
        " ",
        rest,
    )
    return not re.search(r"[a-z]", rest)


def boilerplate_reason(text: str) -> str | None:
    """Why a line is portal boilerplate wherever it stands, or None."""
    folded = _f(text)
    bare = folded.strip(" .:|>»›-")
    if not bare:
        return "empty line"
    if _EMPTY_LABEL.match(folded):
        return "empty label"
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


def attachment_title(text: str) -> str | None:
    """The document named by a "Chi tiết tại: … (tải xuống)" line, or None when the line is not one."""
    if not _ATTACHMENT.search(_f(text)) or words(text) > 30:
        return None
    return _ATTACHMENT_WRAP.sub("", text).strip(" .:") or text


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
    return text if not core.isupper() else " ".join(t.capitalize() for t in tokens) + text[len(core) :]
