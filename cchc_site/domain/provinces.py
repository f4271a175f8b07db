"""The registry of Vietnam's provincial-level units (SPEC §4).

Since 1 July 2025 there are 34 current units (28 tỉnh, 6 thành phố); 63 former
units are still named by every document written before that date. The data
ships in the package (`cchc_site/data/provinces.yaml`, a copy of the project's
reference list extended with aliases). This module turns it into `Unit`
objects and resolves what editors write in a `province` field:

* the 34 current units (`current=True`, `merged_into` = own slug, `former` =
  the slugs of the former units merged into it that lost their name);
* the 29 former units that lost their name (`current=False`, `merged_into` =
  the current unit); a former unit that kept its name (e.g. former Cà Mau)
  has the current unit's slug and is represented by it;
* the national pseudo-unit `trung-uong`.

Lookup folds once (`vietnamese.fold`, punctuation and dashes to spaces,
prefixes such as "tỉnh", "thành phố", "TP." dropped) and hits a dict built at
load time, so it is O(1).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from cchc_site.core.model import NATIONAL, Unit
from cchc_site.domain.vietnamese import collation_key, fold, nfc, slugify

__all__ = [
    "Registry",
    "RegistryError",
    "load_registry",
    "registry_digest",
    "sort_units",
    "unit_sort_key",
    "normalise_name",
]

_DATA_PACKAGE = "cchc_site"
_DATA_PATH = ("data", "provinces.yaml")

CURRENT_KINDS = ("tỉnh", "thành phố")
NATIONAL_KIND = "trung ương"
FORMER_SUFFIX = " (cũ)"  # label of a former unit that lost its name: "Bắc Kạn (cũ)"

# Words written before or after a name that do not change which unit it is,
# already folded and tokenised. Longest first.
_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("thanh", "pho", "truc", "thuoc", "trung", "uong"),
    ("thanh", "pho"),
    ("thu", "do"),
    ("tinh",),
    ("tp",),
    ("t", "p"),  # "T.P. Hồ Chí Minh"
)
_SUFFIXES: tuple[tuple[str, ...], ...] = (("province",), ("city",))
# The same prefixes written without a space ("TPHCM", "tinhcamau"), tried on the spaceless key.
_GLUED_PREFIXES = ("thanhpho", "tinh", "tp")

# Letters that look like Đ/đ and are sometimes typed for it (Icelandic eth, African D).
_D_LOOKALIKES = str.maketrans({"Ð": "đ", "ð": "đ", "Ɖ": "đ", "ɖ": "đ"})
_NON_WORD = re.compile(r"[\W_]+")
_CUTOFF = 0.66  # a bit above difflib's 0.6: "Ca Mao" should not suggest "Cần Thơ"


class RegistryError(ValueError):
    """The province data is inconsistent (a bug in the shipped data, not user input)."""


def normalise_name(value: str) -> str:
    """Fold a province name or slug to its lookup key.

    Diacritics, case, dashes and punctuation are dropped and prefixes such as
    "tỉnh", "thành phố", "TP." removed: "TP. Hồ Chí Minh" → "ho chi minh",
    "Bà Rịa – Vũng Tàu" → "ba ria vung tau", "ca-mau" → "ca mau".
    """
    folded = fold(nfc(value).translate(_D_LOOKALIKES))
    tokens = _NON_WORD.sub(" ", folded).split()
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            n = len(prefix)
            if len(tokens) > n and tuple(tokens[:n]) == prefix:
                tokens = tokens[n:]
                changed = True
                break
        for suffix in _SUFFIXES:
            n = len(suffix)
            if len(tokens) > n and tuple(tokens[-n:]) == suffix:
                tokens = tokens[:-n]
                changed = True
                break
    return " ".join(tokens)


def unit_sort_key(unit: Unit) -> tuple[Any, ...]:
    """Vietnamese alphabetical order of the unit's name; the slug breaks ties."""
    return (collation_key(unit.name), unit.slug)


def sort_units(units: Iterable[Unit]) -> list[Unit]:
    """Units in Vietnamese alphabetical order: Cà Mau, Cao Bằng, Cần Thơ, Điện Biên."""
    return sorted(units, key=unit_sort_key)


class Registry:
    """Current, former (lost-name) and national units, and name lookup."""

    __slots__ = ("units", "effective_date", "_index", "_suggest_keys", "_current", "_former_lost")

    units: Mapping[str, Unit]
    effective_date: date | None

    def __init__(self, units: Iterable[Unit], effective_date: date | None = None) -> None:
        by_slug: dict[str, Unit] = {}
        for unit in units:
            if unit.slug in by_slug:
                raise RegistryError(f"duplicate unit slug {unit.slug!r}")
            by_slug[unit.slug] = unit
        self.units = MappingProxyType(by_slug)
        self.effective_date = effective_date
        self._check_links()
        self._current = tuple(sort_units(u for u in by_slug.values() if u.current))
        self._former_lost = tuple(sort_units(u for u in by_slug.values() if not u.current and u.slug != NATIONAL))
        self._index: dict[str, str] = {}
        self._suggest_keys: dict[str, set[str]] = {}
        for unit in by_slug.values():
            for text in (unit.slug, unit.name, unit.full_name, *unit.aliases):
                self._add_key(text, unit.slug)

    # -- construction ------------------------------------------------------
    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Registry:
        """Build from the parsed YAML (see cchc_site/data/provinces.yaml); validates it."""
        try:
            current_entries = list(data["current"])
            former_entries = list(data["former"])
        except (KeyError, TypeError) as exc:
            raise RegistryError(f"province data lacks 'current'/'former' lists ({exc})") from None
        current_slugs = [str(e["slug"]) for e in current_entries]
        if len(set(current_slugs)) != len(current_slugs):
            raise RegistryError("a current unit is listed twice")
        former_by_slug: dict[str, Mapping[str, Any]] = {}
        for entry in former_entries:
            slug = str(entry["slug"])
            if slug in former_by_slug:
                raise RegistryError(f"former unit {slug!r} is listed twice")
            if entry["merged_into"] not in current_slugs:
                raise RegistryError(f"former unit {slug!r} merged into unknown unit {entry['merged_into']!r}")
            former_by_slug[slug] = entry

        units: list[Unit] = []
        for entry in current_entries:
            slug = str(entry["slug"])
            name = nfc(str(entry["name"]))
            kind = nfc(str(entry["kind"]))
            if kind not in CURRENT_KINDS:
                raise RegistryError(f"unit {slug!r} has unknown kind {kind!r}")
            if slugify(name) != slug:
                raise RegistryError(f"unit {slug!r}: slug does not match name {name!r}")
            listed = {str(f["slug"]) for f in entry.get("former") or ()}
            merged = {s for s, f in former_by_slug.items() if f["merged_into"] == slug}
            if listed != merged:
                raise RegistryError(f"unit {slug!r}: 'former' list {sorted(listed)} != merged_into {sorted(merged)}")
            if slug not in former_by_slug or former_by_slug[slug]["merged_into"] != slug:
                raise RegistryError(f"current unit {slug!r} has no former unit of the same name")
            lost = sort_units(_former_unit(former_by_slug[s]) for s in merged if s not in current_slugs)
            aliases = _aliases(entry) + _aliases(former_by_slug[slug])
            units.append(
                Unit(
                    slug=slug,
                    name=name,
                    kind=kind,
                    full_name=nfc(str(entry.get("full_name") or f"{kind} {name}")),
                    current=True,
                    merged_into=slug,
                    former=tuple(u.slug for u in lost),
                    aliases=_dedupe(aliases),
                )
            )
        for slug, entry in former_by_slug.items():
            if slug not in current_slugs:
                if slugify(str(entry["name"])) != slug:
                    raise RegistryError(f"former unit {slug!r}: slug does not match name {entry['name']!r}")
                units.append(_former_unit(entry))

        national = data.get("national") or {}
        units.append(
            Unit(
                slug=NATIONAL,
                name=nfc(str(national.get("name", "Trung ương"))),
                kind=NATIONAL_KIND,
                full_name=nfc(str(national.get("full_name", "Trung ương"))),
                current=False,
                merged_into=NATIONAL,
                aliases=_dedupe(_aliases(national)),
            )
        )
        if national.get("slug", NATIONAL) != NATIONAL:
            raise RegistryError(f"national unit must have slug {NATIONAL!r}")

        counts = data.get("counts") or {}
        expected = {
            "current": len(current_entries),
            "current_thanh_pho": sum(1 for e in current_entries if e["kind"] == "thành phố"),
            "current_tinh": sum(1 for e in current_entries if e["kind"] == "tỉnh"),
            "former": len(former_entries),
        }
        for key, actual in expected.items():
            if key in counts and counts[key] != actual:
                raise RegistryError(f"counts.{key} is {counts[key]} but the data has {actual}")

        effective = data.get("effective_date")
        return cls(units, effective if isinstance(effective, date) else None)

    def _check_links(self) -> None:
        for unit in self.units.values():
            target = self.units.get(unit.merged_into)
            if target is None or (unit.slug != NATIONAL and not target.current):
                raise RegistryError(f"unit {unit.slug!r} merged into {unit.merged_into!r}, not a current unit")
            for slug in unit.former:
                former = self.units.get(slug)
                if former is None or former.current or former.merged_into != unit.slug:
                    raise RegistryError(f"unit {unit.slug!r} lists former unit {slug!r} inconsistently")

    def _add_key(self, text: str, slug: str) -> None:
        key = normalise_name(text)
        if not key:
            raise RegistryError(f"unit {slug!r}: name or alias {text!r} is empty once folded")
        for k in (key, key.replace(" ", "")):
            owner = self._index.setdefault(k, slug)
            if owner != slug:
                raise RegistryError(f"{text!r} ({slug}) and a name of {owner!r} both fold to {k!r}")
        self._suggest_keys.setdefault(key, set()).add(slug)

    # -- queries -------------------------------------------------------------
    def __contains__(self, slug: object) -> bool:
        return slug in self.units

    def __len__(self) -> int:
        return len(self.units)

    def current(self) -> list[Unit]:
        """The 34 current units, in Vietnamese alphabetical order."""
        return list(self._current)

    def former_lost(self) -> list[Unit]:
        """The former units whose name no longer exists (29), in Vietnamese alphabetical order."""
        return list(self._former_lost)

    def get(self, slug: str) -> Unit:
        """The unit with this exact slug (current, former lost-name, or `trung-uong`)."""
        try:
            return self.units[slug]
        except KeyError:
            raise KeyError(f"unknown province slug {slug!r}") from None

    def successor(self, slug: str) -> Unit:
        """The current unit a slug belongs to today (the national unit for `trung-uong`)."""
        return self.units[self.get(slug).merged_into]

    def lookup(self, value: str) -> Unit | None:
        """Resolve a slug, name (any diacritics, case, prefix, dash) or alias; None if unknown.

        "ca-mau", "tỉnh Cà Mau", "CÀ MAU", "TP.HCM", "Sài Gòn", "Bà Rịa-Vũng Tàu",
        "Thừa Thiên Huế", "Trung ương" all resolve. A former name that was lost
        gives the former unit (use `successor` for today's unit).
        """
        if not isinstance(value, str):
            return None
        key = normalise_name(value)
        if not key:
            return None
        slug = self._index.get(key)
        if slug is None:
            glued = key.replace(" ", "")
            slug = self._index.get(glued)
            if slug is None:
                for prefix in _GLUED_PREFIXES:
                    if glued.startswith(prefix) and len(glued) > len(prefix):
                        slug = self._index.get(glued[len(prefix) :])
                        if slug is not None:
                            break
        return self.units[slug] if slug is not None else None

    def suggest(self, value: str, n: int = 3) -> list[str]:
        """Display names of the units nearest to an unknown value, best first.

        For messages such as "unknown province 'Ca Mao'; did you mean: Cà Mau?".
        """
        if n <= 0 or not isinstance(value, str):
            return []
        key = normalise_name(value)
        if not key:
            return []
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        glued_matcher = difflib.SequenceMatcher()
        glued_matcher.set_seq2(key.replace(" ", ""))
        best: dict[str, float] = {}
        for candidate, slugs in self._suggest_keys.items():
            matcher.set_seq1(candidate)
            glued_matcher.set_seq1(candidate.replace(" ", ""))
            score = 0.0
            for m in (matcher, glued_matcher):
                if m.real_quick_ratio() >= _CUTOFF and m.quick_ratio() >= _CUTOFF:
                    score = max(score, m.ratio())
            if score >= _CUTOFF:
                for slug in slugs:
                    best[slug] = max(best.get(slug, 0.0), score)
        ranked = sorted(best, key=lambda s: (-best[s], unit_sort_key(self.units[s])))
        return [self.units[s].name for s in ranked[:n]]

    def label(self, slug: str) -> str:
        """Display label on lists: "Cà Mau" (current), "Bắc Kạn (cũ)" (former), "Trung ương"."""
        unit = self.get(slug)
        if unit.current or unit.slug == NATIONAL:
            return unit.name
        return unit.name + FORMER_SUFFIX


def _aliases(entry: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(nfc(str(a)) for a in entry.get("aliases") or ())


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _former_unit(entry: Mapping[str, Any]) -> Unit:
    name = nfc(str(entry["name"]))
    kind = nfc(str(entry["kind"]))
    if kind not in CURRENT_KINDS:
        raise RegistryError(f"former unit {entry['slug']!r} has unknown kind {kind!r}")
    return Unit(
        slug=str(entry["slug"]),
        name=name,
        kind=kind,
        full_name=f"{kind} {name}",
        current=False,
        merged_into=str(entry["merged_into"]),
        aliases=_dedupe(_aliases(entry)),
    )


def _data_bytes() -> bytes:
    path = resources.files(_DATA_PACKAGE)
    for part in _DATA_PATH:
        path = path / part
    return path.read_bytes()


@lru_cache(maxsize=1)
def registry_digest() -> str:
    """sha256 (hex) of the shipped province data file: a cache key for built pages."""
    return hashlib.sha256(_data_bytes()).hexdigest()


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The registry from the package data (parsed once per process)."""
    data = yaml.load(_data_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 4x faster
    if not isinstance(data, Mapping):
        raise RegistryError("province data is not a YAML mapping")
    return Registry.from_data(data)
