"""The abbreviation glossary: CCHC → "cải cách hành chính", and friends.

The default glossary is package data (`data/glossary.yaml`); a site extends or
overrides it with the `glossary` key of its config. The same glossary explains
abbreviations in bodies (`<abbr>` on first use, see markdown.py) and lets the
client-side search expand abbreviations both ways.

Abbreviations match case-sensitively as whole words. A word boundary is
Unicode-aware (`HĐND` is one word, `Đ` is a letter) and a hyphen counts as
part of a word, so "KH" in the document number "493/KH-UBND" is not an
abbreviation to explain while "NĐ-CP" in "42/2022/NĐ-CP" is.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Iterator, Mapping

import yaml

# Characters that glue an abbreviation to its neighbours: letters, digits,
# underscore (all of `\w`, Unicode-aware), combining marks and the hyphen.
_GLUE = r"\w\u0300-\u036f\-"
_SPACES = re.compile(r"\s+")
_GLUED = re.compile(rf"[{_GLUE}]")


class GlossaryError(ValueError):
    """A glossary entry that is not `abbreviation: expansion` with two non-empty strings."""


@dataclass(frozen=True)
class Glossary:
    """An ordered, immutable mapping abbreviation → expansion."""

    entries: tuple[tuple[str, str], ...] = ()

    # --- mapping-like read access ------------------------------------------
    def items(self) -> tuple[tuple[str, str], ...]:
        """(abbreviation, expansion) pairs in glossary order."""
        return self.entries

    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, abbreviation: object) -> bool:
        return abbreviation in self._by_key

    def __getitem__(self, abbreviation: str) -> str:
        return self._by_key[abbreviation]

    def get(self, abbreviation: str, default: str | None = None) -> str | None:
        return self._by_key.get(abbreviation, default)

    @cached_property
    def _by_key(self) -> dict[str, str]:
        return dict(self.entries)

    # --- matching ------------------------------------------------------------
    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Regex finding any abbreviation as a whole word (longest first); None when empty.

        A space inside an abbreviation ("PAR Index") matches any run of
        whitespace, so a line break inside it still matches.
        """
        if not self.entries:
            return None
        return re.compile(rf"(?<![{_GLUE}]){self._words}")

    @cached_property
    def _words(self) -> str:
        keys = sorted(self.keys(), key=lambda k: (-len(k), k))
        alternatives = "|".join(r"\s+".join(re.escape(part) for part in k.split(" ")) for k in keys)
        return rf"(?:{alternatives})(?![{_GLUE}])"

    @cached_property
    def _scan(self) -> re.Pattern[str] | None:
        """`pattern` without its look-behind: a pattern that starts with a plain
        alternation lets the regex engine skip to possible first letters."""
        return re.compile(self._words) if self.entries else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of `pattern.finditer(text)`, several times faster on long text."""
        scan = self._scan
        if scan is None:
            return
        m = scan.search(text)
        while m is not None:
            start = m.start()
            if start and _GLUED.match(text, start - 1):
                m = scan.search(text, start + 1)  # what the look-behind would have refused
                continue
            yield m
            m = scan.search(text, m.end())

    def lookup(self, matched: str) -> str | None:
        """The abbreviation for text matched by `pattern` (whitespace normalised)."""
        if matched in self._by_key:  # keys are normalised: such text normalises to itself
            return matched
        key = _SPACES.sub(" ", matched)
        return key if key in self._by_key else None

    @cached_property
    def digest(self) -> str:
        """A stable hash of the entries (cache keys: rebuild when the glossary changes)."""
        data = json.dumps(self.entries, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def clean_entry(abbreviation: object, expansion: object, origin: str) -> tuple[str, str]:
    if not isinstance(abbreviation, str) or not isinstance(expansion, str):
        raise GlossaryError(
            f"{origin}: glossary entry {abbreviation!r} must map an abbreviation to its expansion (two strings)"
        )
    key = _SPACES.sub(" ", unicodedata.normalize("NFC", abbreviation).strip())
    value = _SPACES.sub(" ", unicodedata.normalize("NFC", expansion).strip())
    if not key or not re.search(r"\w", key):
        raise GlossaryError(f"{origin}: glossary abbreviation {abbreviation!r} is empty")
    if not value:
        raise GlossaryError(f"{origin}: glossary entry '{key}' has an empty expansion")
    return key, value


@lru_cache(maxsize=1)
def _default_entries() -> tuple[tuple[str, str], ...]:
    text = resources.files("cchc_site").joinpath("data/glossary.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise GlossaryError("data/glossary.yaml: expected a mapping")
    return tuple(clean_entry(k, v, "data/glossary.yaml") for k, v in data.items())


def default_glossary() -> Glossary:
    """The built-in glossary of CCHC texts."""
    return Glossary(_default_entries())


def load_glossary(extra: Mapping[str, str] | None = None) -> Glossary:
    """The default glossary extended by a site's entries.

    A site entry with the same abbreviation replaces the default expansion in
    place; new abbreviations follow the defaults in the order given.
    Raises GlossaryError for an entry that is not two non-empty strings.
    """
    merged: dict[str, str] = dict(_default_entries())
    for abbreviation, expansion in (extra or {}).items():
        key, value = clean_entry(abbreviation, expansion, "glossary")
        merged[key] = value
    return Glossary(tuple(merged.items()))


def as_glossary(value: Glossary | Mapping[str, str] | None) -> Glossary:
    """Accept a Glossary or a plain mapping (taken as the complete glossary)."""
    if isinstance(value, Glossary):
        return value
    if value is None:
        return Glossary()
    return _glossary_from_items(tuple(value.items()))


@lru_cache(maxsize=16)
def _glossary_from_items(items: tuple[tuple[str, str], ...]) -> Glossary:
    return Glossary(tuple(clean_entry(k, v, "glossary") for k, v in items))


def glossary_digest(glossary: Glossary | Mapping[str, str] | None = None) -> str:
    """Digest of a glossary (the default one when None), for build caches."""
    return (as_glossary(glossary) if glossary is not None else default_glossary()).digest
