"""The search index, updated from the previous build's instead of built anew.

`build_index` (search_index.py) spends about a second at 10,000 articles
gathering ~2 million postings and encoding them. After an edit to a few
documents, most of that is the same: this module keeps, between builds (in
the build cache, as plain marshal-able data), every field's posting lists and
their encoded form, plus each document's terms and a signature of its
searchable content. When the documents are the same ones in the same order
and only a few changed, only the lists of the terms those few had or have are
rebuilt and encoded again. Otherwise (order changed, many changes, no or
unreadable state) the index is built in full. Either way the result equals
`build_index`'s (tested).
"""
from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from typing import Any, Sequence

from .search_index import (BODY_FIELD, FIELDS, SearchDoc, _field_texts, add_postings, build_search_data,
                           encode_number, encode_postings, term_counts, terms_digest)

VERSION = 1
MAX_CHANGED = 0.05  # above this fraction of documents changed, build in full


def _doc_terms(doc: SearchDoc) -> list[dict[str, int]]:
    """Term counts of each field of `doc`, and their token counts (under the key "")."""
    out = []
    for f, text in enumerate(_field_texts(doc)):
        if f == BODY_FIELD and doc.body_terms is not None:
            counts: dict[str, int] = dict(doc.body_terms.items())
            length = doc.body_length
        else:
            counts, length = term_counts(text)  # type: ignore[assignment]
        out.append((counts, length))
    return out  # type: ignore[return-value]


def signature(doc: SearchDoc) -> bytes:
    """What the index takes from `doc`: equal signatures, equal contributions."""
    h = hashlib.blake2b(digest_size=16)
    title, summary, body, meta = _field_texts(doc)
    for part in (title, summary, meta):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    if doc.body_terms is not None:
        terms = doc.body_terms
        h.update(b"T" + (terms.digest or terms_digest(terms.terms, terms.counts)) + str(doc.body_length).encode())
    else:
        h.update(b"X" + body.encode("utf-8", "surrogatepass"))
    return h.digest()


def _utf16(term: str) -> bytes:
    return term.encode("utf-16-be")


def _index(n: int, postings: list[dict[str, bytes]], encoded: list[dict[str, str]],
           lengths: list[list[int]]) -> dict[str, object]:
    vocabulary = sorted(set().union(*(p.keys() for p in postings)), key=_utf16)
    return {
        "fields": list(FIELDS),
        "terms": " ".join(vocabulary),
        "postings": [",".join(enc.get(t, "") for t in vocabulary) for enc in encoded],
        "lengths": ["".join(encode_number(x) for x in ls) for ls in lengths],
        "average": [round(sum(ls) / n, 4) if n else 0 for ls in lengths],
    }


def build(docs: Sequence[SearchDoc], previous: Any = None) -> tuple[dict[str, object], dict[str, Any]]:
    """The index of `docs` (as `build_index` gives it) and the state for the next build."""
    n = len(docs)
    sigs = [signature(d) for d in docs]
    state = _usable(previous, n)
    if state is not None:
        changed = [i for i in range(n) if sigs[i] != state["sigs"][i]]
        if len(changed) <= max(1, int(n * MAX_CHANGED)):
            try:
                return _update(docs, state, sigs, changed)
            except Exception:  # a state that is not what this module wrote: build in full
                pass
    return _full(docs, sigs)


def search_data(docs: Sequence[SearchDoc], glossary: Any, provinces: Sequence[tuple[str, str]] | None,
                cache: Any = None) -> str:
    """`build_search_data`, with the index updated from the one `cache` kept (see the module docstring)."""
    index, state = build(docs, cache.side("search") if cache is not None else None)
    if cache is not None:
        cache.put_side("search", state)
    return build_search_data(docs, glossary, provinces, index=index)


def _usable(previous: Any, n: int) -> dict[str, Any] | None:
    try:
        if previous["version"] == VERSION and len(previous["sigs"]) == n and len(previous["forward"]) == len(FIELDS):
            return previous
    except (TypeError, KeyError):
        pass
    return None


def _full(docs: Sequence[SearchDoc], sigs: list[bytes]) -> tuple[dict[str, object], dict[str, Any]]:
    n = len(docs)
    lists: list[dict[str, list[int]]] = [{} for _ in FIELDS]
    lengths: list[list[int]] = [[] for _ in FIELDS]
    forward: list[list[str]] = [[] for _ in FIELDS]  # per field, per document: its terms
    for i, doc in enumerate(docs):
        for f, (counts, length) in enumerate(_doc_terms(doc)):
            lengths[f].append(length)
            forward[f].append(" ".join(counts))
            add_postings(lists[f], i, counts)
    encoded = [{t: encode_postings(lst, n) for t, lst in p.items()} for p in lists]
    postings = [{t: array("I", lst).tobytes() for t, lst in p.items()} for p in lists]
    state = {"version": VERSION, "sigs": sigs, "forward": forward, "postings": postings, "encoded": encoded,
             "lengths": lengths}
    return _index(n, postings, encoded, lengths), state


def _update(docs: Sequence[SearchDoc], state: dict[str, Any], sigs: list[bytes], changed: list[int]
            ) -> tuple[dict[str, object], dict[str, Any]]:
    n = len(docs)
    postings: list[dict[str, bytes]] = [dict(p) for p in state["postings"]]
    encoded: list[dict[str, str]] = [dict(e) for e in state["encoded"]]
    forward: list[list[str]] = [list(fw) for fw in state["forward"]]
    lengths: list[list[int]] = [list(ls) for ls in state["lengths"]]
    fresh = {i: _doc_terms(docs[i]) for i in changed}
    for f in range(len(FIELDS)):
        touched: dict[str, list[int]] = {}  # term → its flat [doc, tf, ...] list, being edited

        def edit(term: str) -> list[int]:
            lst = touched.get(term)
            if lst is None:
                blob = postings[f].get(term)
                lst = array("I", blob).tolist() if blob is not None else []
                touched[term] = lst
            return lst

        for i in changed:
            for term in forward[f][i].split():
                lst = edit(term)
                k = bisect_left(lst[0::2], i)
                if k * 2 < len(lst) and lst[2 * k] == i:
                    del lst[2 * k: 2 * k + 2]
            counts, length = fresh[i][f]
            for term, tf in counts.items():
                lst = edit(term)
                k = bisect_left(lst[0::2], i)
                lst[2 * k: 2 * k] = [i, tf]
            forward[f][i] = " ".join(counts)
            lengths[f][i] = length
        for term, lst in touched.items():
            if lst:
                postings[f][term] = array("I", lst).tobytes()
                encoded[f][term] = encode_postings(lst, n)
            else:
                postings[f].pop(term, None)
                encoded[f].pop(term, None)
    new_state = {"version": VERSION, "sigs": sigs, "forward": forward, "postings": postings, "encoded": encoded,
                 "lengths": lengths}
    return _index(n, postings, encoded, lengths), new_state
