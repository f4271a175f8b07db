"""Split a content file into front matter and body, and validate the fields of
each content type (SPEC §3). Every problem carries the line of its key or value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping

from cchc_site.core.diagnostics import Diagnostic
from cchc_site.core.model import NATIONAL, ChannelValue, ContentKind, Source, SourceLink
from cchc_site.core.yamlload import Located, YamlProblem, load
from cchc_site.domain.provinces import Registry
from cchc_site.domain.vietnamese import DateError, fold, nfc, parse_date, slugify

MAX_SLUG = 120
CODE_RE = re.compile(r"^[1-3]\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?$")
LEVELS = {
    "3": 3,
    "4": 4,
    "mot phan": 3,
    "toan trinh": 4,
    "muc do 3": 3,
    "muc do 4": 4,
    "muc do 3 mot phan": 3,
    "muc do 4 toan trinh": 4,
}  # the last two: our own display labels
LEVEL_HINT = '3, 4, "một phần" (= 3) or "toàn trình" (= 4)'
CHANNELS = {"truc tiep": "Trực tiếp", "truc tuyen": "Trực tuyến", "buu chinh": "Bưu chính"}


class FieldError(ValueError):
    """A bad value; `path` optionally points below the key (e.g. a list item)."""

    def __init__(self, message: str, path: tuple[str, ...] = ()):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class FrontMatter:
    kind: ContentKind
    fields: Mapping[str, Any]  # validated, converted values of known keys
    positions: Mapping[tuple[str, ...], Located]
    body: str
    body_line: int  # 1-based line of the first body line in the file

    def line_of(self, key: str) -> tuple[int, int]:
        where = self.positions.get((key,))
        return (where.value_line, where.value_col) if where else (1, 1)


def split(text: str) -> tuple[str, int, str, int] | str:
    """Return (yaml, yaml_first_line, body, body_first_line) or an error message."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return "no front matter: the file must start with a line '---', then YAML, then '---'"
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    return "front matter is not closed: add a line '---' after the YAML"


# --- value checkers ----------------------------------------------------------
Check = Callable[[Any, "Context"], Any]


@dataclass(frozen=True)
class Context:
    registry: Registry


def text(value: Any, ctx: Context) -> str:
    if not isinstance(value, str):
        raise FieldError(f"must be text, not {_describe(value)}")
    value = nfc(value).strip()
    if not value:
        raise FieldError("must not be empty")
    return str(value)


def boolean(value: Any, ctx: Context) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false, not {_describe(value)}")
    return value


def integer(value: Any, ctx: Context) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"must be a whole number, not {_describe(value)}")
    return value


def year(value: Any, ctx: Context) -> int:
    number = integer(value, ctx)
    if not 1945 <= number <= 2200:
        raise FieldError(f"{number} is not a plausible year")
    return number


def date(value: Any, ctx: Context) -> datetime:
    try:
        return parse_date(value)
    except DateError as exc:
        raise FieldError(str(exc)) from None


def slug(value: Any, ctx: Context) -> str:
    folded = slugify(text(value, ctx))
    if not folded:
        raise FieldError("must contain letters or digits")
    if len(folded) > MAX_SLUG:
        raise FieldError(f"is longer than {MAX_SLUG} characters")
    return folded


MAX_LABEL = 120  # characters of a name that becomes a page of its own (a service field)


def label(value: Any, ctx: Context) -> str:
    """Text that names a page of its own (a service field: dich-vu-cong/linh-vuc/<slug>/):
    its slug must have letters or digits and fit in a path."""
    name = text(value, ctx)
    if not slugify(name):
        raise FieldError("must contain letters or digits (it names a page of the site)")
    if len(name) > MAX_LABEL:
        raise FieldError(f"is {len(name)} characters long; at most {MAX_LABEL} (it names a page of the site)")
    return name


def text_list(value: Any, ctx: Context) -> tuple[str, ...]:
    if isinstance(value, str):
        return (text(value, ctx),)
    if not isinstance(value, list):
        raise FieldError(f"must be a list of text, not {_describe(value)}")
    out = []
    for i, item in enumerate(value):
        try:
            out.append(text(item, ctx))
        except FieldError as exc:
            raise FieldError(f"item {i + 1} {exc}", (str(i),)) from None
    return tuple(out)


def province(value: Any, ctx: Context) -> str:
    name = text(value, ctx)
    unit = ctx.registry.lookup(name)
    if unit is None:
        hints = ctx.registry.suggest(name)
        hint = f"; did you mean: {', '.join(hints)}?" if hints else ""
        raise FieldError(
            f"unknown province '{name}'{hint} (use a slug such as 'ca-mau', a name such as "
            f"'Cà Mau', or '{NATIONAL}' for national content)"
        )
    return unit.slug


def province_list(value: Any, ctx: Context) -> tuple[str, ...] | None:
    if isinstance(value, str) and fold(value.strip()) in ("all", "tat ca"):
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise FieldError("must be `all` or a list of provinces")
    out = []
    for i, item in enumerate(value):
        try:
            out.append(province(item, ctx))
        except FieldError as exc:
            raise FieldError(str(exc), (str(i),)) from None
    return tuple(dict.fromkeys(out))


def level(value: Any, ctx: Context) -> int:
    key = None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        # any case, with or without diacritics; "toàn-trình", "Mức độ 4 (toàn trình)" too
        key = " ".join(re.sub(r"[()\-–_.,:]", " ", fold(str(value))).split())
    if key is None or key not in LEVELS:
        if value is None or key == "":
            raise FieldError(f"is empty; use {LEVEL_HINT}")
        if key in ("1", "2", "muc do 1", "muc do 2"):
            raise FieldError(
                f"'{value}': levels 1 and 2 are not online services since Nghị định 42/2022/NĐ-CP; use {LEVEL_HINT}"
            )
        raise FieldError(f"'{value}' is not a service level; use {LEVEL_HINT}")
    return LEVELS[key]


def https_url(value: Any, ctx: Context) -> str:
    url = text(value, ctx)
    if not re.match(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?$", url):
        raise FieldError(f"'{url}' must be an https:// address")
    return url


def web_url(value: Any, ctx: Context) -> str:
    url = text(value, ctx)
    if not re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?$", url):
        raise FieldError(f"'{url}' must be an http:// or https:// address")
    return url


def code(value: Any, ctx: Context) -> str:
    if isinstance(value, float):  # `code: 1.000890` unquoted: YAML already dropped the trailing zero
        raise FieldError(f"'{value}' was read as a number; write the code in quotes, e.g. code: \"1.001234\"")
    value = text(value, ctx) if not isinstance(value, int) or isinstance(value, bool) else str(value)
    value = value.upper() if CODE_RE.match(value.upper()) else value
    if not CODE_RE.match(value):
        raise FieldError(f"'{value}' is not a procedure code such as 1.001234 or 1.001234.000.00.00.H29")
    return str(value)


def per_channel(value: Any, ctx: Context) -> tuple[ChannelValue, ...]:
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            channel = CHANNELS.get(fold(str(key)).strip())
            if channel is None:
                raise FieldError(f"unknown channel '{key}'; use trực tiếp, trực tuyến or bưu chính", (str(key),))
            try:
                out.append(ChannelValue(channel, _amount(item, ctx)))
            except FieldError as exc:
                raise FieldError(str(exc), (str(key),)) from None
        if not out:
            raise FieldError("must not be empty")
        return tuple(out)
    return (ChannelValue(None, _amount(value, ctx)),)


def _amount(value: Any, ctx: Context) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return "Miễn phí" if value == 0 else f"{value:,} đồng".replace(",", ".")
    return text(value, ctx)


def source_link(value: Any, ctx: Context) -> SourceLink:
    if isinstance(value, str):
        return SourceLink(text(value, ctx))
    if not isinstance(value, dict):
        raise FieldError("must be {name, url} or a name")
    unknown = [k for k in value if k not in ("name", "url")]
    if unknown:
        raise FieldError(f"unknown key '{unknown[0]}' (use name and url)", (str(unknown[0]),))
    if "name" not in value:
        raise FieldError("needs a name")
    try:
        name = text(value["name"], ctx)
    except FieldError as exc:
        raise FieldError(f"name {exc}", ("name",)) from None
    url = None
    if value.get("url") is not None:
        try:
            url = web_url(value["url"], ctx)
        except FieldError as exc:
            raise FieldError(str(exc), ("url",)) from None
    return SourceLink(name, url)


def attachments(value: Any, ctx: Context) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise FieldError("must be a list of {title, file}")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) - {"title", "file"} or "file" not in item:
            raise FieldError(f"item {i + 1} must be {{title, file}}", (str(i),))
        try:
            file = text(item["file"], ctx)
            title = text(item.get("title", file), ctx)
        except FieldError as exc:
            raise FieldError(f"item {i + 1} {exc}", (str(i),)) from None
        out.append((title, file))
    return tuple(out)


def _describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# --- schemas -------------------------------------------------------------------
COMMON: dict[str, Check] = {"draft": boolean, "slug": slug, "summary": text}
SCHEMAS: dict[str, tuple[dict[str, Check], dict[str, Check]]] = {
    # kind: (required, optional)
    "article": (
        {"title": text, "date": date, "province": province},
        {
            **COMMON,
            "tags": text_list,
            "plan": slug,
            "source": source_link,
            "author": text,
            "image": text,
            "image_alt": text,
        },
    ),
    "plan": (
        {"title": text, "number": text, "issued": date, "issuer": text, "province": province},
        {**COMMON, "year": year, "tags": text_list, "attachments": attachments},
    ),
    "service": (
        {"title": text, "level": level, "field": label, "agency": text, "portal_url": https_url},
        {
            **COMMON,
            "code": code,
            "provinces": province_list,
            "processing_time": per_channel,
            "fee": per_channel,
            "documents": text_list,
            "result": text,
            "legal_basis": text_list,
        },
    ),
    "page": ({"title": text}, {**COMMON, "order": integer}),
}


# C0 and C1 controls but tab and newline, DEL, and what XML 1.0 forbids (U+FFFE, U+FFFF, lone
# surrogates): such a character breaks feed.xml and can rewrite a terminal through a message
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _no_controls(value: Any, path: tuple[str, ...] = ()) -> None:
    """FieldError (at the item) for a control character anywhere in a value."""
    if isinstance(value, str):
        found = _CONTROLS.search(value)
        if found:
            raise FieldError(
                f"contains the control character U+{ord(found.group()):04X}, which no page or feed "
                "may hold; delete it (it often comes from copying out of another program)",
                path,
            )
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_controls(item, path + (str(i),))
    elif isinstance(value, dict):
        for k, item in value.items():
            _no_controls(item, path + (str(k),))


def parse(source: Source, ctx: Context) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Split and validate one source; all problems of the file at once."""
    parts = split(source.text)
    if isinstance(parts, str):
        return None, [Diagnostic(source.rel, 1, 1, parts)]
    yaml_text, first_line, body, body_line = parts
    try:
        data, positions = load(yaml_text, line_offset=first_line - 1)
    except YamlProblem as exc:
        return None, [Diagnostic(source.rel, exc.line, exc.col, exc.message)]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [
            Diagnostic(
                source.rel, first_line, 1, f"front matter must be a mapping of keys to values, not {_describe(data)}"
            )
        ]
    required, optional = SCHEMAS[source.kind]
    problems: list[Diagnostic] = []
    fields: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        where = positions.get((key,))
        if key.startswith("x-"):
            continue
        check = required.get(key) or optional.get(key)
        if check is None:
            known = sorted(set(required) | set(optional))
            close = [k for k in known if _close(k, key)]
            hint = f"; did you mean '{close[0]}'?" if close else f" (known keys: {', '.join(known)})"
            problems.append(
                Diagnostic(
                    source.rel,
                    where.key_line if where else first_line,
                    where.key_col if where else 1,
                    f"unknown key '{key}' for {_article(source.kind)}{hint}; prefix custom keys with 'x-'",
                )
            )
            continue
        try:
            _no_controls(value)
            fields[key] = check(value, ctx)
        except FieldError as exc:
            sub = positions.get((key, *exc.path)) if exc.path else None
            loc = sub or where
            line, col = (loc.value_line, loc.value_col) if loc else (first_line, 1)
            curly = "; it contains Word's curly quotes (“ ” ‘ ’): delete them" if _has_curly(value) else ""
            problems.append(Diagnostic(source.rel, line, col, f"'{key}' {exc}{curly}"))
    for key in required:
        if key not in data:
            problems.append(
                Diagnostic(source.rel, first_line, 1, f"missing required key '{key}' for {_article(source.kind)}")
            )
    if problems:
        return None, problems
    return FrontMatter(source.kind, fields, positions, body, body_line), []


def _has_curly(value: Any) -> bool:
    """Word's curly quotes anywhere in a value (they break codes, levels and dates)."""
    if isinstance(value, str):
        return any(c in value for c in "“”‘’")
    if isinstance(value, (list, tuple)):
        return any(_has_curly(v) for v in value)
    if isinstance(value, dict):
        return any(_has_curly(v) for v in value.values())
    return False


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _close(known: str, typed: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, known, typed).ratio() >= 0.75
