"""Clues in the text: which province the page belongs to (ranked evidence) and when it was written."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from cchc_site.core.model import Unit
from cchc_site.domain.provinces import Registry
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.tools.importer.boilerplate import _DATE, _ISO, _TIME, _f


# --- province evidence ---------------------------------------------------------------------
@dataclass(frozen=True)
class Evidence:
    slug: str
    tier: int  # 3 portal owner/name/domain, 2 issuer (UBND tỉnh X), 1 passing mention
    phrase: str


_UNIT = r"(?:tỉnh|thành phố|tp\.?)"
_TIER_PATTERNS = (
    (
        3,
        re.compile(
            rf"(?:cơ quan chủ quản|chủ quản)\s*:?\s*(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+{_UNIT}\s+", re.I
        ),
    ),
    (3, re.compile(rf"cổng\s+(?:thông tin điện tử|ttđt|tt-đt|thông tin)\s+(?:của\s+)?{_UNIT}\s+", re.I)),
    (
        2,
        re.compile(
            rf"(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd|hội đồng nhân dân|tỉnh ủy|tỉnh uỷ|thành ủy|"
            rf"thành uỷ)\s+{_UNIT}\s+",
            re.I,
        ),
    ),
    (1, re.compile(rf"(?<![\wÀ-ỹ]){_UNIT}\s+", re.I)),
)
_DOMAIN = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)*?([a-z0-9-]+)\.gov\.vn", re.I)


def _name_after(text: str, start: int, registry: Registry) -> tuple[str, str] | None:
    """The province named right after `start`: (slug, name as written), longest match first."""
    tokens = re.findall(r"[^\s,.;:()\"“”]+", text[start : start + 60])
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


_DANGLING_UNIT = re.compile(r"(?:^|\s)(?:tỉnh|thành phố|tp\.?)\s*$", re.I)
_NATIONAL = re.compile(r"(Bộ|Chính phủ|Thủ tướng|Quốc hội|Văn phòng Chính phủ)\b")


def place_name(unit: Unit) -> str:
    return ("thành phố " if unit.kind == "thành phố" else "tỉnh ") + unit.name


def with_place(name: str, unit: Unit | None, registry: Registry, *, only_dangling: bool = False) -> str:
    """An authority's name with its province: "UBND tỉnh" → "UBND tỉnh Bắc Kạn", "Sở Nội vụ" → "Sở Nội vụ tỉnh
    Bắc Kạn". Never doubles the unit word ("UBND tỉnh tỉnh …"); names that already name a province, and
    national bodies, stay as written. With `only_dangling`, only a name ending in a bare unit word is completed."""
    name = " ".join(name.split())
    if unit is None or unit.slug == "trung-uong" or _NATIONAL.match(name):
        return name
    for m in re.finditer(rf"{_UNIT}\s+", name, re.I):
        if _name_after(name, m.end(), registry) is not None:
            return name  # "UBND tỉnh Bắc Kạn", "Sở Nội vụ TP. Hồ Chí Minh"
    if _DANGLING_UNIT.search(name):
        return f"{name} {unit.name}"
    return name if only_dangling else f"{name} {place_name(unit)}"


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
                    found.append(Evidence(named[0], tier, text[match.start() : match.end()] + named[1]))
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


_LEAD_DATE = re.compile(
    r"^(?:\(?[a-z .]{0,30}\)?\s*[-–]?\s*)?(?:sang|chieu|toi|trua|dem)?\s*(?:ngay|nay|hom nay)?\s*"
    r"(?:nay)?\s*\(?\s*(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?\s*\)?"
)


def years_named(texts: Sequence[str], not_after: int) -> list[int]:
    """Years written as "năm 2024" in the texts, up to `not_after`."""
    return [
        y
        for t in texts
        for y in (int(m.group(1)) for m in re.finditer(r"năm\s+(\d{4})\b", t))
        if 1945 <= y <= not_after
    ]


def lead_day_month(text: str) -> tuple[int, int, int | None] | None:
    """ "Ngày 23/3, …", "Sáng 23/3, …", "Chiều nay (23/3), …" at the start of a paragraph."""
    m = _LEAD_DATE.match(_f(text)[:60])
    if not m:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return day, month, int(m.group(3)) if m.group(3) else None
