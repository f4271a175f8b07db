"""How the build cache keeps content.py's results: plain tuples and bytes
(quick to save and load, see store.py), made into objects again when read.
A record that does not decode gives None: the value is computed again."""
from __future__ import annotations

import marshal
import pickle
from dataclasses import dataclass, replace
from typing import Any, Iterator, Mapping, Sequence

from .diagnostics import Diagnostic
from .frontmatter import FrontMatter
from .model import Body, Heading, StoredBody
from .search_index import BodyTerms
from .yamlload import Located


@dataclass(frozen=True)
class RenderedBody:
    body: Body  # its text cut to TEXT_KEPT: the search index gets `terms` of the whole text
    diagnostics: tuple[Diagnostic, ...]
    lookups: tuple[tuple[str, str | None], ...]  # every link look-up made: (target path, answer)
    terms: BodyTerms = BodyTerms("", b"")  # search term counts of the whole plain text
    length: int = 0  # number of search terms in it


def encode_body(body: RenderedBody) -> tuple:
    """A RenderedBody as plain tuples, for the cache's record store (marshal)."""
    b = body.body
    diagnostics = pickle.dumps(body.diagnostics) if body.diagnostics else b""
    return (b.html.encode("utf-8", "surrogatepass"), b.text, tuple((h.level, h.text, h.anchor) for h in b.headings),
            b.links, diagnostics,
            body.lookups, body.terms.terms, body.terms.counts, body.terms.digest, body.length)


def decode_body(record: Any) -> RenderedBody | None:
    """The RenderedBody of an `encode_body` record; None when it is not one."""
    try:
        html, text, headings, links, diagnostics, lookups, terms, counts, digest, length = record
        diags = pickle.loads(diagnostics) if diagnostics else ()
        if not (isinstance(html, bytes) and isinstance(text, str) and isinstance(diags, tuple)
                and isinstance(terms, str) and isinstance(counts, bytes) and isinstance(digest, bytes)
                and isinstance(length, int)):
            return None
        return RenderedBody(StoredBody(html, text, tuple(Heading(*h) for h in headings), tuple(links)), diags,
                            tuple((t, a) for t, a in lookups), BodyTerms(terms, counts, digest), length)
    except Exception:
        return None


def encode_parsed(front: FrontMatter | None, diags: Sequence[Diagnostic], name_slug: str) -> tuple[bytes, str]:
    """A parse result as the cache's record store keeps it: front matter without
    its body (the source has it) and with plain-tuple positions, pickled."""
    if front is not None:
        front = replace(front, body="", positions=StoredPositions.of(front.positions))
    return pickle.dumps((front, list(diags)), protocol=pickle.HIGHEST_PROTOCOL), name_slug


def decode_parsed(record: Any) -> tuple[FrontMatter | None, list[Diagnostic], str] | None:
    try:
        blob, name_slug = record
        front, diags = pickle.loads(blob)
    except Exception:
        return None
    if not ((front is None or isinstance(front, FrontMatter)) and isinstance(diags, list) and isinstance(name_slug, str)):
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
        return cls(marshal.dumps(tuple((k, (v.key_line, v.key_col, v.value_line, v.value_col))
                                       for k, v in positions.items())))

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
