"""One Document → ImportResult: the stages that choose what is kept and what each field is."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Sequence
from urllib.parse import urljoin

from cchc_site.domain.provinces import Registry, load_registry
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.tools.importer.boilerplate import (
    _AUTHOR_LABELS,
    _DATE,
    _HEADLINE_DATE,
    _LABEL,
    _PORTAL,
    _f,
    attachment_title,
    author_alone,
    boilerplate_reason,
    ends_body,
    is_category_label,
    is_date_line,
    words,
)
from cchc_site.tools.importer.clues import (
    Evidence,
    _mkdate,
    choose_province,
    date_in,
    lead_day_month,
    place_name,
    province_evidence,
    with_place,
    years_named,
)
from cchc_site.tools.importer.document import Block, Document, read_document
from cchc_site.tools.importer.headline import choose_headline
from cchc_site.tools.importer.plans import MAX_TITLE, PlanDraft, find_plan

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
    attachments: tuple[tuple[str, str], ...] = ()  # (document, link) the page offered for download
    title_guessed: bool = False

    @property
    def slug(self) -> str:
        from cchc_site.tools.scaffold import file_slug

        return file_slug(self.title) or "tin-nhap-khau"


def _markdown_escape(text: str) -> str:
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
    text = re.sub(r"^(#+|[-+]|\d+[.)])(\s)", r"\\\1\2", text)
    return text


def _turned_down_note(turned_down: Sequence[tuple[str, str]]) -> str:
    if not turned_down:
        return ""
    shown = [f'"{text[:60]}" ({why})' for text, why in turned_down[:3]]
    return " (not titles: " + ", ".join(shown) + ")"


def extract(
    doc: Document, *, name: str, registry: Registry, today: date, default_province: str | None = None
) -> ImportResult:
    """Everything an article draft needs, from one document; pure."""
    blocks = list(doc.blocks)
    dropped: list[tuple[str, str]] = []
    review: list[str] = []
    meta = doc.meta
    # 1. zones (HTML) and lines that are boilerplate wherever they stand
    kept: list[tuple[int, Block]] = []
    labels: list[tuple[str, str, str]] = []  # (label, value, line)
    attachments: list[tuple[str, str]] = []  # (document, link) from "Chi tiết tại: … (tải xuống)"
    seen_body = False
    tail_from: int | None = None
    for i, block in enumerate(blocks):
        text = block.text
        labelled = _LABEL.match(_f(text))
        if labelled and words(text) <= 15:
            value = text.split(":", 1)[1].strip()
            if value.strip(" .-…"):
                labels.append((labelled.group(1), value, text))
            dropped.append(("byline/keywords" if value.strip(" .-…") else "empty label", text))
            continue
        if block.zone and not (block.tag == "h1" and block.zone in ("navigation",) and False):
            if block.zone in ("comment form", "related links", "footer") and seen_body and tail_from is None:
                tail_from = i
            dropped.append((block.zone, text))
            continue
        document = attachment_title(text)
        if document is not None and tail_from is None:
            attachments.append((document, block.links[0] if block.links else ""))
            dropped.append(("attachment link", text))
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
    # 2. headline: the best candidate that is not chrome, a category or a template's name
    headline, turned_down = choose_headline(kept, blocks, meta, doc.html)
    title, title_from, headline_date = "", "", None
    if headline is not None:
        title, headline_date = headline.text, headline.date
        title_from = headline.source
        key = _f(title)
        at = next((k for k, (_, b) in enumerate(kept) if _f(_HEADLINE_DATE.sub("", b.text)) == key), None)
        if at is not None:
            for _, above in kept[:at]:  # what sits above the headline and is not text is the page's chrome
                if not (words(above.text) > 15 or above.text.endswith(".")):
                    why = dict((text, why) for text, why in turned_down).get(above.text, "")
                    category = why == "a category label" or is_category_label(above.text, None)
                    dropped.append(("category label" if category else "above the headline", above.text))
            kept = [
                (i, b)
                for k, (i, b) in enumerate(kept)
                if k > at or (k < at and (words(b.text) > 15 or b.text.endswith(".")))
            ]
            kept = [(i, b) for i, b in kept if _f(_HEADLINE_DATE.sub("", b.text)) != key]
            dropped.append(("headline (used as title)", title))
        if headline.guessed:
            review.append(f"title: guessed from {title_from}; check it" + _turned_down_note(turned_down))
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
        elif label in ("nguon", "nguon tin"):
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
        lead_text = body_texts[0] if body_texts else name
        first = re.split(r"(?<=[.!?])\s", lead_text, maxsplit=1)[0].rstrip(".")
        first = re.sub(
            r"^(ngày|sáng|chiều|tối)\s*(nay\s*)?\(?\d{1,2}/\d{1,2}(/\d{4})?\)?\s*,\s*", "", first, flags=re.I
        )
        first = re.sub(r"\s+(vừa|mới)\s+", " ", first)
        first = re.sub(r"\s+ngày\s+\d{1,2}/\d{1,2}/\d{4}", "", first)
        first = re.sub(r"\bvề việc\b", "về", first)
        title = first[:1].upper() + first[1:]
        if len(title) > MAX_TITLE:
            title = title[:MAX_TITLE].rsplit(" ", 1)[0] + "…"
        title_from = "no headline on the page: made from the first sentence"
        review.append(
            "no headline found: the title was guessed from the first sentence; shorten it"
            + _turned_down_note(turned_down)
        )
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
            for block in blocks[title_index + 1 : title_index + 4]:
                if is_date_line(block.text):
                    when, date_from = date_in(block.text), f'the date line "{block.text}"'
                    break
    if when is not None:
        has_time = bool(when.hour or when.minute)
    all_dates = [d for d in (date_in(t) for t in body_texts) if d is not None]
    if when is None and body_texts:
        lead_date = lead_day_month(body_texts[0])
        if lead_date:
            day, month, year = lead_date
            how = "given"
            if year is None:
                same = [
                    d
                    for d in (
                        _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                        for t in body_texts
                        for m in _DATE.finditer(t)
                    )
                    if d is not None and (d.day, d.month) == (day, month)
                ]
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
                review.append(f'date: the year of "{day}/{month}" was inferred from {how}')
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
                source_name = f"Cổng thông tin điện tử {place_name(registry.get(unit_ev[0].slug))}"
    if source_name is None and meta.get("site_name"):
        source_name = meta["site_name"]
    if source_name:  # "Văn phòng UBND tỉnh" → "Văn phòng UBND tỉnh Hưng Yên"
        source_name = with_place(
            source_name, registry.get(province) if province in registry else None, registry, only_dangling=True
        )
    if source_url and not re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/\S*)?$", source_url):
        source_url = None
    if source_url and not source_name:
        source_name = re.sub(r"^https?://", "", source_url).split("/")[0]
    if not tags and meta.get("keywords"):
        tags = [t.strip() for t in meta["keywords"].split(",") if t.strip()][:5]
    if not tags:
        tags = keyword_tags(title, " ".join(body_texts))
    tags = list(dict.fromkeys(tags))
    plan, plan_notes = find_plan(
        body_texts,
        title if title_from != "no headline on the page: made from the first sentence" else None,
        when,
        province,
        registry,
    )
    review += [f"plan: {n}" for n in plan_notes]
    documents = tuple((document, urljoin(source_url or "", link) if link else "") for document, link in attachments)
    for document, link in documents:
        where = f" <{link}>" if link else " (no link in a text file: take it from the page)"
        home = "list it in the plan's attachments" if plan is not None else "link it from the text"
        note = f'the page offers "{document}" for download{where}; save it under files/ and {home}'
        review.append(note)
        if plan is not None:
            plan = replace(plan, notes=plan.notes + (note,))
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
    return ImportResult(
        name=name,
        title=title,
        title_from=title_from,
        date=when,
        has_time=has_time,
        date_from=date_from,
        province=province,
        province_from=province_from,
        author=author,
        author_from=author_from,
        source_name=source_name,
        source_url=source_url,
        tags=tuple(tags),
        summary=summary,
        paragraphs=tuple(paragraphs),
        plan=plan,
        dropped=tuple(dropped),
        review=tuple(review),
        evidence=tuple(evidence),
        attachments=documents,
        title_guessed=headline is None or headline.guessed,
    )


def import_bytes(
    data: bytes,
    name: str,
    *,
    registry: Registry | None = None,
    today: date | None = None,
    default_province: str | None = None,
) -> ImportResult:
    registry = registry or load_registry()
    today = today or datetime.now(VIETNAM_TZ).date()
    return extract(
        read_document(data, name), name=name, registry=registry, today=today, default_province=default_province
    )
