"""Search data for `tim-kiem/`: one classic script, `window.CCHC_SEARCH_DATA = {...};`.

The search runs in the browser (``static/search.js`` on top of the vendored
MiniSearch, ``static/vendor/minisearch.min.js``) and must work opened from
``file://``: no ``fetch``, no ES modules. The page loads, in this order, with
classic ``<script src>`` tags (no inline script, no ``style`` attributes)::

    <script src="../assets/search-data.<hash>.js" defer></script>
    <script src="../assets/minisearch.min.<hash>.js" defer></script>
    <script src="../assets/search.<hash>.js" defer></script>

and contains this markup (ids are the contract with ``search.js``)::

    <form id="search-form" role="search" action="index.html" method="get">
      <label for="search-q">Từ khóa</label>
      <input id="search-q" name="q" type="search" autocomplete="off">
      <label for="search-province">Tỉnh, thành phố</label>
      <select id="search-province" name="tinh">
        <option value="">Tất cả</option>          <!-- search.js fills the rest -->
      </select>
      <label for="search-type">Loại nội dung</label>
      <select id="search-type" name="loai">
        <option value="">Tất cả</option>          <!-- search.js fills the rest -->
      </select>
      <button type="submit">Tìm kiếm</button>
    </form>
    <p id="search-status" role="status" aria-live="polite"></p>
    <ol id="search-results"></ol>

Without JavaScript the form submits to itself, so the query is in the URL
(``?q=…&tinh=…&loai=…``); with it, ``search.js`` answers from that URL on load,
as the user types, and keeps the URL in step (Back and shared links work).
``<noscript>`` text is the template's business. Result links are written
relative to ``tim-kiem/index.html`` (``../`` + the URL given here).

Why the index is built here, in Python, and how it is shipped
--------------------------------------------------------------
Budget (10,000 articles of ~500 words): ≤ 8 MB of search data, a query in
< 100 ms. Shipping the body texts (~30 MB) is out; shipping folded, truncated
text and indexing it in the browser loses the end of long articles and costs
the browser seconds of tokenising. MiniSearch's own ``toJSON`` format spends
~9 bytes of JSON per posting (``"1234":2,``), ~20 MB here. So this module
builds the inverted index itself, with the same folding and tokenising as
``search.js`` (tested for parity, every BMP character), and writes it compactly:

- ``terms``: the vocabulary of folded terms, joined by spaces, sorted by
  UTF-16 code units (JS string order, for binary search of prefixes).
- ``postings``: one string per field (``FIELDS``), the posting lists of every
  term in vocabulary order separated by ``,``. A list is a run of
  variable-length numbers in base 32 (digits ``0-9A-V`` end a number,
  ``W-Za-z`` + ``-_`` continue it, most significant first): per document
  ``2*(gap-1) + (tf>1)``, then ``tf-2`` when the flag is set (``gap`` =
  distance to the previous document index, the first from -1). A term in at
  least a third of the documents is instead ``.`` + a bitmap, 6 documents a
  character (same 64 digits, bit 0 = first), its term frequency taken as 1:
  such near stop-words ("các", "của", "hành") have an idf under ln 3, and
  the bitmaps halve the size of the body lists.
- ``lengths``: one string per field, the token count of every document
  (same number coding); ``average``: the mean per field.

In the browser, ``search.js`` hands the documents and the vocabulary to
MiniSearch (``loadJS``) and decodes a term's lists the first time a query
needs it, so the engine is ready in well under a second once the data
script has parsed.
MiniSearch does the matching, prefix and fuzzy expansion and BM25 scoring of
the ordinary lists; the bitmap lists are scored by ``search.js`` with
MiniSearch's own BM25 formula and parameters, because MiniSearch costs
~2 µs a posting and AND-queries of common words ("cai cach hanh chinh")
would touch ~40,000 postings. ``search.js`` can also load everything through
the documented ``MiniSearch.loadJS`` (slower); the tests check both find the
same documents. The build needs no node.

Measured (synthetic corpus of tests/js/synthetic_corpus.py, 10,000 articles,
~500 words, ~210 distinct words each, 2-core machine under load): data 5.6 MB
(rows 3.6 MB, postings 2.0 MB), built in 2-6 s; in node 20 the data script
parses in 0.1-0.3 s, the engine is ready in 0.04-0.6 s; queries take
4-45 ms once warm, 70 ms for a two-letter prefix matching every document
("ch"); the first query of a session is slower (JIT warm-up, lists decoded
on first use): 20-100 ms quiet, up to ~0.7 s on a loaded machine.

Documents are rows, ``[kind, title, url, unit, date_iso, date_display,
snippet, extra, also]``: ``kind`` indexes ``kinds`` (``[code, label]``),
``unit`` indexes ``units`` (``[slug, label]``; a plain label such as "Toàn
quốc" for a document with no unit; -1 = none), ``url`` drops a final
``index.html``, ``date_display`` is "" when it is the ISO date as DD/MM/YYYY, ``also`` is a list of
further unit indexes the province filter lists the document under, or -1 when it
is listed under every unit (services available everywhere). ``filter`` lists
the unit indexes offered in the province select, in Vietnamese order.
``glossary`` holds ``[abbreviation, expansion]`` pairs, both folded, for query
expansion in both directions. Output is deterministic: same input, same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from array import array
from collections import Counter, deque
from dataclasses import dataclass, field
from itertools import repeat
from typing import Iterable, Iterator, Mapping, Sequence

from cchc_site.domain.vietnamese import collation_key, fold

FORMAT_VERSION = 1
GLOBAL_NAME = "CCHC_SEARCH_DATA"

KIND_LABELS: dict[str, str] = {
    "article": "Tin tức",
    "plan": "Kế hoạch",
    "service": "Dịch vụ công",
    "page": "Trang",
}
KIND_ORDER: tuple[str, ...] = ("article", "plan", "service", "page")
# Searchable fields, in MiniSearch field-id order (search.js relies on it).
FIELDS: tuple[str, ...] = ("title", "summary", "body", "meta")
SNIPPET_CHARS = 160
# Terms in at least a third of the documents (near stop-words such as "các",
# "của", "hành") are stored as bitmaps without term frequency.
DENSE_FRACTION = 3
DENSE_MIN_DOCS = 60


@dataclass(frozen=True)
class SearchDoc:
    """One page as the search sees it. Strings are NFC; URLs are site-root relative."""

    kind: str  # "article" | "plan" | "service" | "page"
    title: str
    url: str  # output path from the site root, e.g. "tin-tuc/abc/index.html"
    province_slug: str = ""  # unit slug shown on the result ("" = none)
    province_label: str = ""  # "Cà Mau", "Bắc Kạn (cũ)", "Toàn quốc"
    date_iso: str = ""  # "2020-12-21" (sorting), "" = undated
    date_display: str = ""  # "21/12/2020"
    summary: str = ""  # shown as the snippet; the body's start when empty
    body_text: str = ""  # plain text of the body, indexed in full, never shipped
    extra_terms: tuple[str, ...] = ()  # indexed; the first (plan number, service code) is shown
    # further (slug, label) units the province filter lists this document under,
    # e.g. the current unit a former one merged into, or a service's provinces
    also_provinces: tuple[tuple[str, str], ...] = field(default=())
    all_provinces: bool = False  # listed under every unit (service available everywhere)
    # term counts of the whole body, when computed beforehand (in the build's
    # worker processes, or taken from its cache); `body_text` then needs only its start
    body_terms: "BodyTerms | None" = None
    body_length: int = 0


# --- folding and tokenising (mirrored by search.js) ---------------------------

# A token is a run of letters and digits; "_" is not part of it (JS \p{L}\p{N}).
_TOKEN = re.compile(r"[^\W_]+")
# After NFD, Vietnamese text is ASCII plus marks U+0300-U+036F (all with a
# combining class, except U+034F), plus typographic punctuation.
_NOT_SIMPLE = re.compile(r"[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")
_ASCII_TABLE = bytes(c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))
_SEPARATOR_CACHE: dict[str, bool] = {}


def _is_separator(ch: str) -> bool:
    """Whether `ch` (already NFD) folds to no token character and is not a mark."""
    known = _SEPARATOR_CACHE.get(ch)
    if known is None:
        known = not unicodedata.combining(ch) and _TOKEN.search(fold(ch)) is None
        _SEPARATOR_CACHE[ch] = known
    return known


def tokens(text: str) -> list[str]:
    """Folded search terms of `text`: "Đăng ký 493/KH-UBND" → ["dang", "ky", "493", "kh", "ubnd"].

    Always equal to `_TOKEN.findall(vietnamese.fold(text))` (letters and digits), which is
    what search.js computes; Vietnamese text takes a fast path at C speed.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    others = _NOT_SIMPLE.findall(decomposed)
    if others:
        if not all(_is_separator(ch) for ch in set(others)):
            return _TOKEN.findall(fold(text))
        decomposed = _NOT_SIMPLE.sub(" ", decomposed)
    return decomposed.encode("ascii", "ignore").translate(_ASCII_TABLE).decode("ascii").split()


def term_counts(text: str) -> tuple[Counter[str], int]:
    """Term frequencies and token count of `text`."""
    terms = tokens(text)
    return Counter(terms), len(terms)


# --- compact number coding ----------------------------------------------------

_FINAL = "0123456789ABCDEFGHIJKLMNOPQRSTUV"  # last digit of a number
_MORE = "WXYZabcdefghijklmnopqrstuvwxyz-_"  # any other digit
_CACHE_LIMIT = 1 << 15


def _encode_uncached(n: int) -> str:
    out = [_FINAL[n & 31]]
    n >>= 5
    while n:
        out.append(_MORE[n & 31])
        n >>= 5
    return "".join(reversed(out))


# the codes of 0 … 2^15-1 by their digits (one, two, three), without a call per number
_CODES = [
    *_FINAL,
    *(m + f for m in _MORE[1:] for f in _FINAL),
    *(a + b + f for a in _MORE[1:] for b in _MORE for f in _FINAL),
]


def encode_number(n: int) -> str:
    """Variable-length base-32 code of a non-negative integer (see module docstring)."""
    return _CODES[n] if n < _CACHE_LIMIT else _encode_uncached(n)


_BITS = _FINAL + _MORE  # 6 bits per character in bitmaps
BITMAP_MARK = "."
_BITS_TABLE = bytes(_BITS.encode("ascii") + bytes(256 - len(_BITS)))


def dense(df: int, n: int) -> bool:
    """Whether a term in `df` of `n` documents is stored as a bitmap (tf dropped)."""
    return n >= DENSE_MIN_DOCS and df * DENSE_FRACTION >= n


def encode_bitmap(postings: Sequence[int], n: int) -> str:
    """Presence bitmap of the docs in flat [doc, tf, ...] (tf is dropped), trailing zeros cut.

    Computed at C speed: one byte per document, then the six bytes of each
    character summed as big integers (a character's bits never carry over)."""
    chars = (n + 5) // 6
    present = bytearray(chars * 6)
    deque(map(present.__setitem__, postings[0::2], repeat(1)), maxlen=0)
    value = 0
    for bit in range(6):
        value |= int.from_bytes(present[bit::6], "big") << bit
    return BITMAP_MARK + value.to_bytes(chars, "big").translate(_BITS_TABLE).decode("ascii").rstrip(_BITS[0])


def encode_postings(postings: Sequence[int], n: int = 0) -> str:
    """`postings` = flat [doc, tf, doc, tf, ...] with increasing docs, `n` = docs in all."""
    if dense(len(postings) // 2, n):
        return encode_bitmap(postings, n)
    codes = _CODES
    out: list[str] = []
    prev = -1
    for k in range(0, len(postings), 2):
        doc, tf = postings[k], postings[k + 1]
        gap = doc - prev - 1
        prev = doc
        if tf > 1:
            out.append(encode_number(2 * gap + 1))
            out.append(codes[tf - 2] if tf - 2 < _CACHE_LIMIT else encode_number(tf - 2))
        else:
            out.append(encode_number(2 * gap))
    return "".join(out)


# --- the data file ------------------------------------------------------------


def _snippet(doc: SearchDoc) -> str:
    text = " ".join((doc.summary or doc.body_text).split())
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > SNIPPET_CHARS // 2 else SNIPPET_CHARS].rstrip(" ,.;:") + "…"


def _short_url(url: str) -> str:
    """ "tin-tuc/a/index.html" → "tin-tuc/a/" (search.js puts "index.html" back)."""
    return url[: -len("index.html")] if url.endswith("/index.html") else url


def _display_date(iso: str) -> str:
    """ "2020-12-21" → "21/12/2020" (what search.js derives when no display date is stored)."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if len(iso) >= 10 else ""


BODY_FIELD = 2  # index of the body in `_field_texts`


@dataclass(frozen=True)
class BodyTerms:
    """Term counts of a body, compact: two strings instead of a few hundred
    (term, count) objects (tens of MB saved at 10,000 articles, in the build
    and in its cache)."""

    terms: str  # distinct terms, space-separated (terms never contain spaces)
    counts: bytes  # their counts, 4-byte unsigned ints
    digest: bytes = b""  # of the two (search_state.py compares documents by it); b"" = not computed

    def items(self) -> Iterator[tuple[str, int]]:
        return zip(self.terms.split(), array("I", self.counts)) if self.terms else iter(())


def body_terms(text: str) -> tuple[BodyTerms, int]:
    """Term counts of a body and its number of terms (for the build's workers and cache)."""
    counts, length = term_counts(text)
    terms, packed = " ".join(counts), array("I", counts.values()).tobytes()
    return BodyTerms(terms, packed, terms_digest(terms, packed)), length


def terms_digest(terms: str, counts: bytes) -> bytes:
    return hashlib.blake2b(terms.encode("utf-8", "surrogatepass") + b"\0" + counts, digest_size=16).digest()


def _field_texts(doc: SearchDoc) -> tuple[str, str, str, str]:
    meta = " ".join((doc.province_label, *doc.extra_terms))
    return doc.title, doc.summary, doc.body_text, meta


def _units(docs: Sequence[SearchDoc]) -> list[tuple[str, str]]:
    labels: dict[str, str] = {}
    for doc in docs:
        if doc.province_slug:
            labels.setdefault(doc.province_slug, doc.province_label or doc.province_slug)
        for slug, label in doc.also_provinces:
            labels.setdefault(slug, label or slug)
    return sorted(labels.items(), key=lambda item: (collation_key(item[1]), item[0]))


def _glossary_pairs(glossary: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[list[str]]:
    items = glossary.items() if isinstance(glossary, Mapping) else glossary
    pairs: set[tuple[str, str]] = set()
    for abbr, expansion in items:
        a, e = " ".join(tokens(abbr)), " ".join(tokens(expansion))
        if a and e and a != e:
            pairs.add((a, e))
    return [list(p) for p in sorted(pairs)]


def add_postings(postings: dict[str, list[int]], doc: int, counts: Mapping[str, int] | BodyTerms) -> None:
    """Append document `doc` and its term frequency to each term's flat posting list."""
    for term, tf in counts.items():
        lst = postings.get(term)
        if lst is None:
            postings[term] = [doc, tf]
        else:
            lst.append(doc)
            lst.append(tf)


def build_index(docs: Sequence[SearchDoc]) -> dict[str, object]:
    """The inverted index over `FIELDS`, in the compact form described above."""
    postings: list[dict[str, list[int]]] = [{} for _ in FIELDS]
    lengths: list[list[str]] = [[] for _ in FIELDS]
    total = [0 for _ in FIELDS]
    for i, doc in enumerate(docs):
        for f, text in enumerate(_field_texts(doc)):
            counts: Mapping[str, int] | BodyTerms
            if f == BODY_FIELD and doc.body_terms is not None:
                counts, length = doc.body_terms, doc.body_length
            else:
                counts, length = term_counts(text)
            lengths[f].append(encode_number(length))
            total[f] += length
            add_postings(postings[f], i, counts)
    # sorted by UTF-16 code units, the order of JS string comparison (binary search in search.js)
    vocabulary = sorted(set().union(*(p.keys() for p in postings)), key=lambda t: t.encode("utf-16-be"))
    n = len(docs)
    encoded = [",".join(encode_postings(p[t], n) if t in p else "" for t in vocabulary) for p in postings]
    return {
        "fields": list(FIELDS),
        "terms": " ".join(vocabulary),
        "postings": encoded,
        "lengths": ["".join(ls) for ls in lengths],
        "average": [round(t / n, 4) if n else 0 for t in total],
    }


def build_search_data(
    docs: Sequence[SearchDoc],
    glossary: Mapping[str, str] | Iterable[tuple[str, str]],
    provinces: Sequence[tuple[str, str]] | None = None,
    index: dict[str, object] | None = None,
) -> str:
    """The content of the search data script for `docs` (in the given order).

    `glossary` maps abbreviations to expansions (a `Glossary`'s `.items()` also
    works). `provinces` are the (slug, label) units offered in the province
    filter, in display order; by default every unit the documents name, in
    Vietnamese alphabetical order of the label. `index` is `build_index(docs)`
    when the caller has it already (search_state.py).
    """
    units = _units(docs)
    if provinces is not None:
        known = {slug for slug, _ in units}
        units += sorted({(s, lbl) for s, lbl in provinces if s not in known})
    unit_index = {slug: k for k, (slug, _) in enumerate(units)}
    filter_slugs = [slug for slug, _ in provinces] if provinces is not None else [s for s, _ in units]
    kind_index = {kind: k for k, kind in enumerate(KIND_ORDER)}
    rows = []
    for doc in docs:
        also: int | list[int] = (
            -1 if doc.all_provinces else sorted({unit_index[slug] for slug, _ in doc.also_provinces})
        )
        rows.append(
            [
                kind_index[doc.kind],
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
    data = {
        "version": FORMAT_VERSION,
        "kinds": [[kind, KIND_LABELS[kind]] for kind in KIND_ORDER],
        "units": [list(u) for u in units],
        "filter": [unit_index[s] for s in filter_slugs if s in unit_index],
        "glossary": _glossary_pairs(glossary),
        "docs": rows,
        "index": build_index(docs) if index is None else index,
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # U+2028/2029 are legal in JSON but ended string literals in pre-2019 JS.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{GLOBAL_NAME} = {text};\n"
