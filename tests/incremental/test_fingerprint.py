"""Fingerprints of page contexts and of what templates read (the page cache's keys)."""

from __future__ import annotations

from cchc_site.incremental.fingerprint import Fingerprinter, digest


def test_a_freed_value_does_not_lend_its_fingerprint_to_a_later_one() -> None:
    # A method such as site.services_of_level(4) returns a fresh tuple on every call; once
    # freed, its id is reused by the next one. The memo must not answer by id alone.
    fp = Fingerprinter({})
    for i in range(200):
        assert fp.of([i, "x"]) == digest("seq", repr(i), repr("x"))


def test_digest_hashes_each_part_followed_by_a_separator() -> None:
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for part in ("a", 1, None, "đ\udc80"):
        h.update(str(part).encode("utf-8", "surrogatepass") + b"\x1f")
    assert digest("a", 1, None, "đ\udc80") == h.hexdigest()
    assert digest() == hashlib.blake2b(b"", digest_size=16).hexdigest() != digest("")


def test_fast_paths_give_the_general_fingerprints() -> None:
    from collections import OrderedDict
    from types import MappingProxyType

    fp = Fingerprinter({})
    context = {"b": None, "a": [1, "x"], "c": 2.5, "d": True}
    assert fp.of(context) == fp.of(MappingProxyType(context)) == fp.of(OrderedDict(sorted(context.items())))
    assert fp.of(context) == digest("map", "a=" + digest("seq", "1", "'x'"), "b=None", "c=2.5", "d=True")
