"""Fingerprints of what a page was rendered from, for the page cache.

A page is reused from the previous build only when the fingerprint of its own
context (its entries, lists, pager) and of every part of the site its
templates read are unchanged. Templates reach the site through `SiteView`,
which records each attribute or method they use, so the dependencies of a
page are exactly what rendering it touched: built-in templates and a site's
overrides alike, with nothing declared by hand.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any, Hashable, Mapping

from cchc_site.core.model import Article, Page, Plan, Service

ENTRY_TYPES = (Article, Plan, Service, Page)
_ENTRY_CLASSES = frozenset(ENTRY_TYPES)
_SCALARS = frozenset((str, int, float, bool))
Access = tuple[Hashable, ...]  # ("current",) or ("services_of_level", 4)


def digest(*parts: object) -> str:
    """Hash of the parts, each followed by a \\x1f separator (one encode: this runs per page)."""
    text = "\x1f".join(map(str, parts)) + "\x1f" if parts else ""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Fingerprinter:
    """Stable fingerprints of context values. Entries are identified by the
    fingerprint of what they were built from (`entry_keys`), not their bytes."""

    def __init__(self, entry_keys: Mapping[tuple[str, str], str], opaque: Mapping[int, str] | None = None):
        self.entry_keys = entry_keys
        self.opaque = dict(opaque or {})  # id(obj) → fingerprint for objects hashed elsewhere (registry, config)
        # id(obj) → (obj, fingerprint): the object is kept alive with its entry, so its id
        # cannot be reused by a later object (a method's fresh tuple) and answer with a wrong fingerprint
        self._memo: dict[int, tuple[Any, str]] = {}

    def of(self, value: Any) -> str:
        key = id(value)
        if key in self.opaque:
            return self.opaque[key]
        kind = type(value)  # exact-type checks first: the common case, cheaper than isinstance
        if kind is dict:  # a page's own context: seen once, not memoised
            return digest("map", *(f"{k}={self.of(value[k])}" for k in sorted(value, key=str)))
        if kind in _ENTRY_CLASSES or isinstance(value, ENTRY_TYPES):
            return self.entry_keys[(value.kind, value.slug)]
        if value is None or kind in _SCALARS or isinstance(value, (str, int, float, bool)):
            return repr(value)
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        memo = self._memo.get(key)
        if memo is not None and memo[0] is value:
            return memo[1]
        if isinstance(value, (tuple, list)):
            result = digest("seq", *map(self._item, value))
        elif isinstance(value, Mapping):
            result = digest("map", *(f"{k}={self.of(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))))
        elif is_dataclass(value):
            result = digest(
                type(value).__name__, *(f"{f.name}={self.of(getattr(value, f.name))}" for f in fields(value))
            )
        else:
            result = digest(type(value).__name__, repr(value))
        self._memo[key] = (value, result)
        return result

    def _item(self, value: Any) -> str:
        """`of` for an item of a sequence, the common cases first (lists of entries, pager tuples)."""
        kind = type(value)
        if kind in _ENTRY_CLASSES and id(value) not in self.opaque:
            return self.entry_keys[(value.kind, value.slug)]
        if kind is str or kind is int or value is None:
            return repr(value)
        if kind is tuple and len(value) <= 4 and all(type(v) is str or type(v) is int or v is None for v in value):
            return digest("seq", *map(repr, value))  # as `of` gives it, without keeping a small fresh tuple
        return self.of(value)


class View:
    """An object as templates see it (the site, the assets): every attribute
    read and method call is recorded in `accesses` as (namespace, name, *args),
    so the page cache knows exactly what the page depends on."""

    def __init__(self, target: Any, accesses: set[Access], namespace: str):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_accesses", accesses)
        object.__setattr__(self, "_namespace", namespace)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if callable(value):

            def call(*args: Any) -> Any:
                self._accesses.add((self._namespace, name, *args))
                return value(*args)

            return call
        self._accesses.add((self._namespace, name))
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only in templates")


def resolve_access(roots: Mapping[str, Any], access: Access) -> Any:
    """The value a recorded access gives on this build's objects."""
    namespace, name, *args = access
    value = getattr(roots[str(namespace)], str(name))
    return value(*args) if args else value


class DependencyKeys:
    """Fingerprints of what pages read (a set of accesses → one key), memoised for one
    build: ten thousand pages read the same few parts of the site, and the site
    does not change during a build."""

    def __init__(self, roots: Mapping[str, Any], fp: Fingerprinter):
        self.roots = roots
        self.fp = fp
        self._parts: dict[Access, str] = {}
        self._keys: dict[frozenset[Access], str] = {}

    def key(self, accesses: frozenset[Access]) -> str:
        key = self._keys.get(accesses)
        if key is None:
            key = self._keys[accesses] = digest(*(self._part(a) for a in sorted(accesses, key=repr)))
        return key

    def _part(self, access: Access) -> str:
        part = self._parts.get(access)
        if part is None:
            try:
                part = f"{access!r}={self.fp.of(resolve_access(self.roots, access))}"
            except Exception:  # no longer there: the page must be rendered again
                part = f"{access!r}=<gone>"
            self._parts[access] = part
        return part
