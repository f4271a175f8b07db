"""Fingerprints of page contexts and of what templates read (the page cache's keys)."""
from __future__ import annotations

from cchc_site.fingerprint import Fingerprinter, digest


def test_a_freed_value_does_not_lend_its_fingerprint_to_a_later_one() -> None:
    # A method such as site.services_of_level(4) returns a fresh tuple on every call; once
    # freed, its id is reused by the next one. The memo must not answer by id alone.
    fp = Fingerprinter({})
    for i in range(200):
        assert fp.of([i, "x"]) == digest("seq", repr(i), repr("x"))
