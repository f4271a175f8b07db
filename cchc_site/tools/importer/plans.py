"""The plan an article cites ("Kế hoạch số 12/KH-UBND ngày 07/01/2022 của …") → a plan draft."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from cchc_site.domain.provinces import Registry
from cchc_site.domain.vietnamese import slugify
from cchc_site.tools.importer.boilerplate import _HEADLINE_DATE
from cchc_site.tools.importer.clues import _mkdate, lead_day_month, with_place

MAX_TITLE = 200
# verbs that report what someone else did: the issuer is the subject after them
_REPORTED = re.compile(r"\s(?:cho biết|cho hay|được biết|khẳng định|nhấn mạnh|cho rằng|thông tin rằng)\s")
# where a "của <issuer>" phrase ends and the plan's subject begins
_CLAUSE_END = re.compile(r"\s+(?:về|nhằm|với|trong|đối với|theo|để|tại)\s")


_PLAN_NUMBER = re.compile(r"(?<![\w/])(\d{1,5}[a-zA-Z]?/(?:\d{4}/)?KH-[A-ZĐ][A-ZĐ0-9&]*(?:-[A-ZĐ0-9&]+)*)")
_ISSUER_START = re.compile(
    r"(UBND|Ủy ban|Uỷ ban|Sở|Ban|Văn phòng|HĐND|Hội đồng|Bộ|Thủ tướng|Chính phủ|Tỉnh ủy|"
    r"Tỉnh uỷ|Thành ủy|Thành uỷ|Trung tâm|Cục|Chi cục|Phòng|Đài|Báo|Liên đoàn|Hội)\b"
)
_SUFFIX_ISSUERS = {
    "UBND": "UBND",
    "STTTT": "Sở Thông tin và Truyền thông",
    "SNV": "Sở Nội vụ",
    "VPUBND": "Văn phòng UBND",
    "STP": "Sở Tư pháp",
    "SKHĐT": "Sở Kế hoạch và Đầu tư",
    "STC": "Sở Tài chính",
    "SKHCN": "Sở Khoa học và Công nghệ",
    "BCĐ": "Ban Chỉ đạo",
}


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
    return text[left + 2 if left >= 0 else 0 : right + 1].strip()


def find_plan(
    texts: Sequence[str], headline: str | None, article_date: datetime, province: str, registry: Registry
) -> tuple[PlanDraft | None, list[str]]:
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
        after = text[at + len(num) : at + len(num) + 40]
        if re.match(r"\s*(?:ngày|ngay)\s*\d", after, re.I) or best is None:
            best = (text, at)
            if re.match(r"\s*ngày\s*\d", after, re.I):
                break
    assert best is not None
    text, at = best
    end = at + len(number)
    after = text[end:]
    issued: datetime | None = None
    dated = re.match(r"\s*ngày\s*(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?", after, re.I)
    if dated:
        issued_year = int(dated.group(3)) if dated.group(3) else article_date.year
        issued = _mkdate(int(dated.group(1)), int(dated.group(2)), issued_year)
        if not dated.group(3):
            notes.append("plan date has no year in the text; the article's year was used")
        after = after[dated.end() :]
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
    before = text[max(0, text.rfind(". ", 0, at) + 1) : at]
    verb = re.search(r"(?:vừa|đã|mới)?\s*(?:ký\s+)?ban hành\s+(?:kế hoạch|KH)?\s*(?:số)?\s*$", before, re.I)
    if verb:
        subject = before[: verb.start()]
        subject = _REPORTED.split(subject[subject.rfind(",") + 1 :])[-1]  # "Văn phòng … cho biết UBND tỉnh"
        start = _ISSUER_START.search(subject)
        if start:
            issuer = subject[start.start() :].strip(" ,")
    if not issuer:
        after_cua = re.match(r"\s*(?:ngày\s*[\d/]+\s*)?của\s+([^,.;]+)", text[end:], re.I)
        if after_cua and _ISSUER_START.match(after_cua.group(1).strip()):
            issuer = _CLAUSE_END.split(after_cua.group(1).strip())[0].strip()
    unit = registry.get(province) if province in registry else None
    if not issuer:
        suffix = number.split("KH-", 1)[1]
        issuer = _SUFFIX_ISSUERS.get(suffix, "")
        if not issuer:
            issuer = f"Cơ quan ban hành ({suffix})"
            notes.append("issuer not found in the text: fill in 'issuer'")
        else:
            notes.append(f"issuer guessed from the number's suffix KH-{suffix}")
    issuer = with_place(issuer, unit, registry)
    # title: the headline's "Kế hoạch …" words, else the "về …" clause, else the number
    title = ""
    if headline and len(numbers) == 1:
        hm = re.search(r"\b(kế hoạch\s+(?!số\b)(?!\d)[^,.;:(]{6,})", _HEADLINE_DATE.sub("", headline), re.I)
        if hm:
            title = "Kế hoạch " + hm.group(1)[len("kế hoạch ") :].strip()
    if not title:
        about = re.match(
            r"[^.;]{0,40}?\bvề\s+(?:việc\s+)?([^.;]{6,160}?)(?:[.;]|,\s*(?:theo đó|trong đó|nhằm)|$)", after
        )
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
