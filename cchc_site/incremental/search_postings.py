"""Edit one encoded posting list (search_index.py's format) in place of building it again.

An ordinary list is lossless: it is decoded, edited and encoded again. A
bitmap list (a term in at least a third of the documents) drops the term
frequencies: while the term stays that common, only the bits of the changed
documents are flipped; when it becomes rarer, the caller builds in full (the
frequencies it needs were dropped). The result always equals
`encode_postings` of the edited list (tested).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

from cchc_site.render.search_index import _BITS, _BITS_TABLE, _CODES, BITMAP_MARK, dense, encode_postings

Change = tuple[int, int]  # (document, its new term frequency); 0 = absent

_VALUE = {c: k for k, c in enumerate(_BITS)}  # digit → its value (0-63)
_ZERO = _BITS[0]
_POPCOUNT = bytes(bin(v).count("1") for v in range(256))
_UNBITS = bytes(_VALUE.get(chr(c), 0) for c in range(256))  # bitmap digit (ASCII) → its 6 bits


_CODE = re.compile(r"[W-Za-z_-]*[0-9A-V]")  # one number: continuation digits, then a final one
_NUMBER: dict[str, int] = {}  # code → number, for the codes of search_index._CODES (filled on first use)


def _number(code: str) -> int:
    value = _NUMBER.get(code)
    if value is None:
        value = 0
        for ch in code:
            value = value * 32 + (_VALUE[ch] & 31)
    return value


def decode_list(encoded: str) -> tuple[list[int], list[int]]:
    """Documents and term frequencies of an ordinary (not bitmap) encoded list."""
    if not _NUMBER:
        _NUMBER.update((c, k) for k, c in enumerate(_CODES))
    numbers = list(map(_number, _CODE.findall(encoded)))
    docs: list[int] = []
    tfs: list[int] = []
    prev = -1
    k = 0
    while k < len(numbers):
        code = numbers[k]
        prev += (code >> 1) + 1
        docs.append(prev)
        if code & 1:
            tfs.append(numbers[k + 1] + 2)
            k += 2
        else:
            tfs.append(1)
            k += 1
    return docs, tfs


def edit_list(encoded: str, changes: Sequence[Change], n: int) -> str | None:
    """`encoded` (a list over `n` documents; "" = empty) with each (document, new
    tf) of `changes` applied (a tf of 0 = absent); `encoded` itself when nothing
    changed. None when a bitmap list must become an ordinary one: the frequencies
    it dropped are not known here."""
    if encoded.startswith(BITMAP_MARK):
        chars = bytearray(encoded[1:].encode("ascii").translate(_UNBITS))
        chars.extend(bytes((n + 5) // 6 - len(chars)))
        moved = False
        for doc, tf in changes:
            bit = 1 << (doc % 6)
            if bool(chars[doc // 6] & bit) != bool(tf):
                chars[doc // 6] ^= bit
                moved = True
        if not moved:
            return encoded
        if not dense(sum(chars.translate(_POPCOUNT)), n):
            return None
        return BITMAP_MARK + chars.translate(_BITS_TABLE).decode("ascii").rstrip(_ZERO)
    docs, tfs = decode_list(encoded) if encoded else ([], [])
    moved = False
    for doc, tf in changes:
        k = bisect_left(docs, doc)
        here = k < len(docs) and docs[k] == doc
        if (tfs[k] == tf) if here else not tf:
            continue
        moved = True
        if tf and here:
            tfs[k] = tf
        elif tf:
            docs.insert(k, doc)
            tfs.insert(k, tf)
        else:
            del docs[k], tfs[k]
    if not moved:
        return encoded
    flat = [0] * (2 * len(docs))
    flat[0::2] = docs
    flat[1::2] = tfs
    return encode_postings(flat, n) if docs else ""
