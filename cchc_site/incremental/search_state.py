"""The search data, updated from the previous build's instead of built anew.

Building it in full (search_index.py) takes every document's rows and terms:
about a second at 10,000 articles, and it needs every body's text and term
counts. After an edit to a few documents, most of that is the same. So this
module keeps, between builds (in the build cache, as plain marshal-able
data), each document's identity, its row as JSON, the units it names, its
terms (ids into a list of each field's terms) and their frequencies per field, and
every term's encoded posting list (search_postings.py
edits them). Documents are identified by an `id` that changes
whenever anything the search takes from them may have changed: the build
passes what each entry was built from (content.py's entry keys); without
one, the signature of the document's searchable content.

When the documents are as many as last time, the units they name are the
same and only a few ids changed, only those documents are made
(`make(i)`), and only the posting lists of terms whose frequency in them
changed are encoded again. Otherwise it is built in full.
Either way the text equals `build_search_data`'s (tested).
"""

from __future__ import annotations

import hashlib
import json
from array import array
from operator import itemgetter
from typing import Any, Callable, Iterable, Mapping, Sequence

from cchc_site.domain.vietnamese import collation_key
from cchc_site.incremental import search_store
from cchc_site.incremental.search_postings import Change, edit_list
from cchc_site.render.search_index import (
    _CODES,
    BODY_FIELD,
    FIELDS,
    FORMAT_VERSION,
    GLOBAL_NAME,
    KIND_LABELS,
    KIND_ORDER,
    SearchDoc,
    _display_date,
    _field_texts,
    _glossary_pairs,
    _short_url,
    _snippet,
    add_postings,
    encode_number,
    encode_postings,
    term_counts,
    terms_digest,
)

VERSION = 6
MAX_CHANGED = 0.05  # above this fraction of documents changed, build in full
_KIND_INDEX = {kind: k for k, kind in enumerate(KIND_ORDER)}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _utf8(value: Any) -> bytes:
    return _dumps(value).encode("utf-8")


def signature(doc: SearchDoc) -> bytes:
    """What the search takes from `doc`: equal signatures, equal rows and terms."""
    h = hashlib.blake2b(digest_size=16)
    h.update(
        repr(
            (
                doc.kind,
                doc.title,
                doc.url,
                doc.province_slug,
                doc.province_label,
                doc.date_iso,
                doc.date_display,
                doc.summary,
                doc.body_text[:400],
                doc.extra_terms,
                doc.also_provinces,
                doc.all_provinces,
            )
        ).encode("utf-8", "surrogatepass")
    )
    if doc.body_terms is not None:
        terms = doc.body_terms
        h.update(b"T" + (terms.digest or terms_digest(terms.terms, terms.counts)) + str(doc.body_length).encode())
    else:
        h.update(b"X" + doc.body_text.encode("utf-8", "surrogatepass"))
    return h.digest()


def search_data(
    docs: Sequence[SearchDoc], glossary: Any, provinces: Sequence[tuple[str, str]] | None, cache: Any = None
) -> str:
    """`build_search_data(docs, glossary, provinces)`, updated from the state `cache` kept."""
    return search_script([signature(d).hex() for d in docs], docs.__getitem__, glossary, provinces, cache).decode(
        "utf-8"
    )


def search_script(
    ids: Sequence[str | None],
    make: Callable[[int], SearchDoc],
    glossary: Any,
    provinces: Sequence[tuple[str, str]] | None,
    cache: Any = None,
) -> bytes:
    """The search data script (UTF-8) of documents `make(0)` … `make(len(ids) - 1)`;
    `ids[i]` changes whenever document i may have (None: unknown, always made)."""
    text, state = build(ids, make, glossary, provinces, search_store.load(cache) if cache is not None else None)
    if cache is not None:
        search_store.save(cache, state)
    return text


def build(
    ids: Sequence[str | None],
    make: Callable[[int], SearchDoc],
    glossary: Any,
    provinces: Sequence[tuple[str, str]] | None,
    previous: Any = None,
) -> tuple[bytes, dict[str, Any]]:
    """The search data script (UTF-8) and the state for the next build (`previous` is the last one's)."""
    n = len(ids)
    state = _usable(previous, n)
    if state is not None:
        old = state["ids"]
        changed = [i for i in range(n) if ids[i] is None or ids[i] != old[i]]
        if len(changed) <= max(1, int(n * MAX_CHANGED)):
            try:
                result = _update(list(ids), make, glossary, provinces, state, changed)
            except Exception:  # a state that is not what this module wrote: build in full
                result = None
            if result is not None:
                return result
    return _full(list(ids), [make(i) for i in range(n)], glossary, provinces)


def _usable(previous: Any, n: int) -> dict[str, Any] | None:
    try:
        if (
            previous["version"] == VERSION
            and len(previous["ids"]) == n
            and len(previous["rows"]) == n
            and all(len(previous[k]) == len(FIELDS) for k in ("lexicon", "forward", "tfs", "encoded", "lengths"))
            and all(len(per_doc) == n for k in ("forward", "tfs", "lengths") for per_doc in previous[k])
        ):
            return previous  # type: ignore[no-any-return]  # checked just above
    except (TypeError, KeyError):
        pass
    return None


# --- rows and units ---------------------------------------------------------------
def _unit_pairs(doc: SearchDoc) -> tuple[tuple[str, str], ...]:
    """The (slug, label) units a document names, in the order `_units` meets them."""
    first = ((doc.province_slug, doc.province_label or doc.province_slug),) if doc.province_slug else ()
    return first + tuple((slug, label or slug) for slug, label in doc.also_provinces)


def _units(pairs: Sequence[Sequence[Sequence[str]]], provinces: Sequence[tuple[str, str]] | None) -> list[list[str]]:
    labels: dict[str, str] = {}
    for doc_pairs in pairs:
        for slug, label in doc_pairs:
            labels.setdefault(slug, label)
    units = sorted(labels.items(), key=lambda item: (collation_key(item[1]), item[0]))
    if provinces is not None:
        units += sorted({(s, lbl) for s, lbl in provinces if s not in labels})
    return [list(u) for u in units]


def _row(doc: SearchDoc, unit_index: Mapping[str, int]) -> bytes:
    also: int | list[int] = -1 if doc.all_provinces else sorted({unit_index[slug] for slug, _ in doc.also_provinces})
    return _utf8(
        [
            _KIND_INDEX[doc.kind],
            doc.title,
            _short_url(doc.url),
            unit_index[doc.province_slug] if doc.province_slug else (doc.province_label or -1),
            doc.date_iso,
            "" if doc.date_display == _display_date(doc.date_iso) else doc.date_display,
            _snippet(doc),
            doc.extra_terms[0] if doc.extra_terms else "",
            also,
        ]
    )


def _lengths(counts: list[int]) -> str:
    if counts and max(counts) < len(_CODES):
        return "".join(itemgetter(*counts)(_CODES)) if len(counts) > 1 else _CODES[counts[0]]
    return "".join(map(encode_number, counts))


def _text(state: dict[str, Any], glossary: Any, provinces: Sequence[tuple[str, str]] | None) -> bytes:
    """`build_search_data`'s script as UTF-8, put together from the rows and lists kept
    (the JSON's keys in sorted order)."""
    units = state["units"]
    unit_index = {slug: k for k, (slug, _) in enumerate(units)}
    filter_slugs = [slug for slug, _ in provinces] if provinces is not None else [s for s, _ in units]
    n = len(state["ids"])
    encoded: list[dict[str, str]] = state["encoded"]
    vocabulary = sorted(set().union(*encoded), key=lambda t: t.encode("utf-16-be"))
    lengths: list[list[int]] = state["lengths"]
    index = {
        "fields": list(FIELDS),
        "terms": " ".join(vocabulary),
        "postings": [",".join([enc.get(t, "") for t in vocabulary]) for enc in encoded],
        "lengths": [_lengths(ls) for ls in lengths],
        "average": [round(sum(ls) / n, 4) if n else 0 for ls in lengths],
    }
    text = b"".join(
        (
            f"window.{GLOBAL_NAME} = ".encode(),
            b'{"docs":[',
            b",".join(state["rows"]),
            b'],"filter":',
            _utf8([unit_index[s] for s in filter_slugs if s in unit_index]),
            b',"glossary":',
            _utf8(_glossary_pairs(glossary)),
            b',"index":',
            _utf8(index),
            b',"kinds":',
            _utf8([[kind, KIND_LABELS[kind]] for kind in KIND_ORDER]),
            b',"units":',
            _utf8(units),
            b',"version":',
            _utf8(FORMAT_VERSION),
            b"};\n",
        )
    )
    # U+2028/2029 are legal in JSON but ended string literals in pre-2019 JS.
    return text.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")


# --- terms ------------------------------------------------------------------------
def _doc_terms(doc: SearchDoc) -> list[tuple[Mapping[str, int], int]]:
    """Term counts of each field of `doc`, with its token count."""
    out: list[tuple[Mapping[str, int], int]] = []
    for f, text in enumerate(_field_texts(doc)):
        if f == BODY_FIELD and doc.body_terms is not None:
            out.append((dict(doc.body_terms.items()), doc.body_length))
        else:
            out.append(term_counts(text))
    return out


def _pack(tfs: Iterable[int]) -> bytes:
    """Term frequencies: a byte each, or 4 bytes each when one does not fit in a byte."""
    values = list(tfs)
    try:
        return bytes(values)
    except ValueError:
        return array("I", values).tobytes()


def _unpack(data: bytes, terms: int) -> Sequence[int]:
    return data if len(data) == terms else array("I", data)


class _Lexicon(dict):  # type: ignore[type-arg]
    """Term → id in one field's list of terms (`terms`), a new term getting the next id."""

    def __init__(self, terms: list[str]) -> None:
        super().__init__((t, k) for k, t in enumerate(terms))
        self.terms = terms

    def __missing__(self, term: str) -> int:
        k = self[term] = len(self.terms)
        self.terms.append(term)
        return k

    def ids(self, terms: Iterable[str]) -> bytes:
        """A document's terms as ids: 2 bytes each (4 in a field of over 65,536 terms), after a type code."""
        ids = list(map(self.__getitem__, terms))
        try:
            return b"H" + array("H", ids).tobytes()
        except OverflowError:
            return b"I" + array("I", ids).tobytes()

    def of(self, data: bytes) -> list[str]:
        return [self.terms[k] for k in array(chr(data[0]), data[1:])]


def _full(
    ids: list[str | None], docs: Sequence[SearchDoc], glossary: Any, provinces: Sequence[tuple[str, str]] | None
) -> tuple[bytes, dict[str, Any]]:
    n = len(docs)
    pairs = [_unit_pairs(d) for d in docs]
    units = _units(pairs, provinces)
    unit_index = {slug: k for k, (slug, _) in enumerate(units)}
    lists: list[dict[str, list[int]]] = [{} for _ in FIELDS]
    lexicons = [_Lexicon([]) for _ in FIELDS]
    forward: list[list[bytes]] = [[] for _ in FIELDS]  # per field, per document: its terms (ids)
    tfs: list[list[bytes]] = [[] for _ in FIELDS]  # … and their frequencies (_pack)
    lengths: list[list[int]] = [[] for _ in FIELDS]
    for i, doc in enumerate(docs):
        for f, (counts, length) in enumerate(_doc_terms(doc)):
            lengths[f].append(length)
            forward[f].append(lexicons[f].ids(counts))
            tfs[f].append(_pack(counts.values()))
            add_postings(lists[f], i, counts)
    state = {
        "version": VERSION,
        "ids": ids,
        "pairs": pairs,
        "units": units,
        "rows": [_row(d, unit_index) for d in docs],
        "lexicon": [lx.terms for lx in lexicons],
        "forward": forward,
        "tfs": tfs,
        "encoded": [{t: encode_postings(lst, n) for t, lst in p.items()} for p in lists],
        "lengths": lengths,
    }
    return _text(state, glossary, provinces), state


def _update(
    ids: list[str | None],
    make: Callable[[int], SearchDoc],
    glossary: Any,
    provinces: Sequence[tuple[str, str]] | None,
    old: dict[str, Any],
    changed: list[int],
) -> tuple[bytes, dict[str, Any]] | None:
    """The data with documents `changed` made again; None when that needs a full build
    (the units they name moved, or a bitmap list became an ordinary one)."""
    if not changed and old["units"] == _units(old["pairs"], provinces):
        return _text(old, glossary, provinces), old  # the same object: the cache need not write it again
    n = len(ids)
    docs = {i: make(i) for i in changed}
    pairs = list(old["pairs"])
    for i, doc in docs.items():
        pairs[i] = _unit_pairs(doc)
    units = _units(pairs, provinces)
    if units != old["units"]:
        return None  # every row's unit numbers may have moved
    unit_index = {slug: k for k, (slug, _) in enumerate(units)}
    rows = list(old["rows"])
    lexicons = [_Lexicon(list(terms)) for terms in old["lexicon"]]
    forward = [list(fw) for fw in old["forward"]]
    tfs = [list(t) for t in old["tfs"]]
    encoded = [dict(e) for e in old["encoded"]]
    lengths = [list(ls) for ls in old["lengths"]]
    fresh = {i: _doc_terms(doc) for i, doc in docs.items()}
    for i, doc in docs.items():
        rows[i] = _row(doc, unit_index)
    for f in range(len(FIELDS)):
        edits: dict[str, list[Change]] = {}
        for i in changed:
            counts, length = fresh[i][f]
            terms = lexicons[f].of(forward[f][i])
            before = dict(zip(terms, _unpack(tfs[f][i], len(terms))))
            for term in before.keys() | counts.keys():
                tf = counts.get(term, 0)
                if before.get(term, 0) != tf:
                    edits.setdefault(term, []).append((i, tf))
            forward[f][i] = lexicons[f].ids(counts)
            tfs[f][i] = _pack(counts.values())
            lengths[f][i] = length
        for term, changes in edits.items():
            lst = edit_list(encoded[f].get(term, ""), changes, n)
            if lst is None:
                return None  # a bitmap list became an ordinary one: its frequencies are needed
            if lst:
                encoded[f][term] = lst
            else:
                encoded[f].pop(term, None)
    state = {
        "version": VERSION,
        "ids": ids,
        "pairs": pairs,
        "units": units,
        "rows": rows,
        "lexicon": [lx.terms for lx in lexicons],
        "forward": forward,
        "tfs": tfs,
        "encoded": encoded,
        "lengths": lengths,
    }
    return _text(state, glossary, provinces), state
