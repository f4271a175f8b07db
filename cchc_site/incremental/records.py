"""How the build cache keeps content.py's results: plain tuples and bytes
(quick to save and load, see store.py), made into objects again when read.
A record that does not decode gives None: the value is computed again."""

from __future__ import annotations

import marshal
import pickle
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Mapping, Sequence

from cchc_site.content.frontmatter import FrontMatter
from cchc_site.core.diagnostics import Diagnostic
from cchc_site.core.model import Body, Heading, StoredBody
from cchc_site.core.yamlload import Located
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.incremental.store import Blob
from cchc_site.render.search_index import BodyTerms


@dataclass(frozen=True)
class RenderedBody:
    body: Body  # its text cut to TEXT_KEPT: the search index gets `terms` of the whole text
    diagnostics: tuple[Diagnostic, ...]
    lookups: tuple[tuple[str, str | None], ...]  # every link look-up made: (target path, answer)
    terms: BodyTerms = BodyTerms("", b"")  # search term counts of the whole plain text
    length: int = 0  # number of search terms in it


def encode_body(body: RenderedBody) -> tuple[Any, ...]:
    """A RenderedBody as plain tuples, for the cache's record store (marshal). What a
    rebuild needs of every cached body (its link look-ups) is read at once; the rest
    (HTML, text, term counts: ~95 % of the bytes) is one marshal blob, decoded only
    for the few bodies whose pages or search rows are made again; the record store
    keeps it after the rest, and reading the record does not copy it (store.Blob)."""
    b = body.body
    diagnostics = pickle.dumps(body.diagnostics) if body.diagnostics else b""
    tail = marshal.dumps(
        (
            b.html.encode("utf-8", "surrogatepass"),
            b.text,
            tuple((h.level, h.text, h.anchor) for h in b.headings),
            tuple(b.links),
            body.terms.terms,
            body.terms.counts,
        )
    )
    return (body.lookups, diagnostics, body.terms.digest, body.length, Blob(tail))


class _Tail:
    """The blob of a cached body, decoded on first use: (html, text, headings, links, terms, counts)."""

    __slots__ = ("blob", "_value")

    def __init__(self, blob: bytes | memoryview) -> None:
        self.blob = blob
        self._value: tuple[Any, ...] | None = None

    def value(self) -> tuple[Any, ...]:
        if self._value is None:
            html, text, headings, links, terms, counts = marshal.loads(self.blob)
            self._value = (html, text, tuple(Heading(*h) for h in headings), links, terms, counts)
            self.blob = b""
        return self._value


class _LazyBody(StoredBody):
    """A StoredBody whose parts are decoded from the cache record when first read."""

    def __init__(self, tail: _Tail) -> None:  # super().__init__ would set what the properties give
        object.__setattr__(self, "_tail", tail)

    _html_utf8 = property(lambda self: self._tail.value()[0])
    text = property(lambda self: self._tail.value()[1])
    headings = property(lambda self: self._tail.value()[2])
    links = property(lambda self: self._tail.value()[3])


class _LazyTerms(BodyTerms):
    """BodyTerms of a cached body: the digest at once, the terms and counts when asked for."""

    def __init__(self, tail: _Tail, digest: bytes) -> None:
        object.__setattr__(self, "_tail", tail)
        object.__setattr__(self, "digest", digest)

    terms = property(lambda self: self._tail.value()[4])
    counts = property(lambda self: self._tail.value()[5])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BodyTerms):
            return NotImplemented
        return (self.terms, self.counts, self.digest) == (other.terms, other.counts, other.digest)

    __hash__ = BodyTerms.__hash__


def decode_body(record: Any) -> RenderedBody | None:
    """The RenderedBody of an `encode_body` record; None when it is not one."""
    try:
        lookups, diagnostics, digest, length, blob = record
        diags = pickle.loads(diagnostics) if diagnostics else ()
        if not (
            isinstance(lookups, tuple)
            and isinstance(diags, tuple)
            and isinstance(digest, bytes)
            and isinstance(length, int)
            and isinstance(blob, (bytes, memoryview))
            and len(blob)
        ):
            return None
        tail = _Tail(blob)
        return RenderedBody(_LazyBody(tail), diags, lookups, _LazyTerms(tail, digest), length)
    except Exception:
        return None


_PLAIN = (str, int, float, bool, type(None))


def _plain(value: Any) -> bool:
    """Whether marshal gives `value` back exactly (str, numbers, None, tuples of them)."""
    return type(value) in _PLAIN or (type(value) is tuple and all(map(_plain, value)))


def _plain_fields(fields: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """Front matter fields as marshal-able (names, values, datetime positions), or None."""
    names, values, when = [], [], []
    for k, (name, value) in enumerate(fields.items()):
        if type(value) is datetime and type(value.tzinfo) is timezone:
            offset, *zone_name = value.tzinfo.__getinitargs__()  # type: ignore[attr-defined]
            if offset.microseconds:
                return None
            value = (*value.timetuple()[:6], value.microsecond, offset.days * 86400 + offset.seconds, *zone_name)
            when.append(k)
        elif not _plain(value):
            return None
        names.append(name)
        values.append(value)
    return tuple(names), tuple(values), tuple(when)


def _zone(seconds: int, *name: str) -> timezone:
    """The timezone of these arguments (VIETNAM_TZ itself when it is that one)."""
    args = (timedelta(seconds=seconds), *name)
    return VIETNAM_TZ if args == VIETNAM_TZ.__getinitargs__() else timezone(*args)  # type: ignore[attr-defined,arg-type]


def encode_parsed(front: FrontMatter | None, diags: Sequence[Diagnostic], name_slug: str) -> tuple[Any, str]:
    """A parse result as the cache's record store keeps it: front matter without
    its body (the source has it) and with plain-tuple positions. Without
    diagnostics and with plain fields (the common case), marshal-able tuples
    (unpickling ~10,000 front matters took ~0.1 s of a rebuild); else pickled."""
    if front is not None:
        fields = None if diags else _plain_fields(front.fields)
        positions = StoredPositions.of(front.positions)
        if fields is not None:
            return (front.kind, fields, positions.raw, front.body_line), name_slug
        front = replace(front, body="", positions=positions)
    return pickle.dumps((front, list(diags)), protocol=pickle.HIGHEST_PROTOCOL), name_slug


def _decode_plain(record: tuple[Any, ...]) -> FrontMatter:
    kind, (names, values, when), positions, body_line = record
    values = list(values)
    for k in when:
        y, mo, d, h, mi, sec, us, *zone = values[k]
        values[k] = datetime(y, mo, d, h, mi, sec, us, tzinfo=_zone(*zone))
    if not (isinstance(kind, str) and isinstance(positions, bytes) and isinstance(body_line, int)):
        raise ValueError("not a front matter record")
    return FrontMatter(
        kind,  # type: ignore[arg-type]  # a str checked above; the record was written from a FrontMatter
        dict(zip(names, values, strict=True)),
        StoredPositions(positions),
        "",
        body_line,
    )  # kind: checked to be a str; the record was written from a FrontMatter


def decode_parsed(record: Any) -> tuple[FrontMatter | None, list[Diagnostic], str] | None:
    try:
        blob, name_slug = record
        if isinstance(blob, tuple):
            front, diags = _decode_plain(blob), []
        else:
            front, diags = pickle.loads(blob)
    except Exception:
        return None
    if not (
        (front is None or isinstance(front, FrontMatter)) and isinstance(diags, list) and isinstance(name_slug, str)
    ):
        return None
    return front, diags, name_slug


class StoredPositions(Mapping[tuple[str, ...], Located]):
    """A FrontMatter's positions as the cache keeps them: one marshal blob of
    plain tuples (Located objects for ~10,000 files took half the cache's
    loading), decoded when a diagnostic first needs a position."""

    __slots__ = ("raw", "_map")

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._map: dict[tuple[str, ...], Located] | None = None

    @classmethod
    def of(cls, positions: Mapping[tuple[str, ...], Located]) -> "StoredPositions":
        return cls(
            marshal.dumps(tuple((k, (v.key_line, v.key_col, v.value_line, v.value_col)) for k, v in positions.items()))
        )

    def _decoded(self) -> dict[tuple[str, ...], Located]:
        if self._map is None:
            self._map = {tuple(k): Located(*v) for k, v in marshal.loads(self.raw)}
        return self._map

    def __getitem__(self, key: tuple[str, ...]) -> Located:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def __reduce__(self) -> tuple[Any, ...]:
        return (StoredPositions, (self.raw,))
