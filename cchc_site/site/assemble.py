"""Entries → Site: the lists every page needs (province indexes with their former
units, plan ↔ article links, services by level, field and province). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import Any, Callable, Mapping, Sequence, TypeVar

from cchc_site.config.settings import SiteConfig
from cchc_site.core.model import NATIONAL, Article, Entry, Page, Plan, Service, Unit
from cchc_site.domain.provinces import Registry
from cchc_site.domain.vietnamese import VIETNAM_TZ, collation_key, slugify


@dataclass(frozen=True)
class ProvinceListing:
    unit: Unit
    articles: tuple[Article, ...]  # newest first, including merged former units
    plans: tuple[Plan, ...]
    services: tuple[Service, ...]
    former_units: tuple[Unit, ...]  # lost-name units merged into a current unit

    @property
    def count(self) -> int:
        return len(self.articles) + len(self.plans)


@dataclass(frozen=True)
class FieldGroup:
    name: str
    slug: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    registry: Registry
    articles: tuple[Article, ...]  # newest first
    plans: tuple[Plan, ...]  # newest first
    services: tuple[Service, ...]  # Vietnamese alphabetical by title
    pages: tuple[Page, ...]  # by order, then title
    plan_articles: Mapping[str, tuple[Article, ...]]
    current: tuple[ProvinceListing, ...]  # the 34 (or the microsite's), alphabetical
    former: tuple[ProvinceListing, ...]  # lost-name former units, alphabetical
    fields: tuple[FieldGroup, ...]
    updated: datetime  # newest content date: the build's timestamp, reproducibly

    def listing(self, slug: str) -> ProvinceListing | None:
        for item in self.current + self.former:
            if item.unit.slug == slug:
                return item
        return None

    def has_province_page(self, slug: str) -> bool:
        """Whether tinh/<slug>/ exists (a cheap dependency for pages that only link to it)."""
        return slug in self._page_slugs

    @cached_property
    def _page_slugs(self) -> frozenset[str]:
        return frozenset(item.unit.slug for item in self.current + self.former)

    def province_label(self, slug: str) -> str:
        return self.registry.label(slug)

    def services_of_level(self, level: int) -> tuple[Service, ...]:
        return tuple(s for s in self.services if s.level == level)


E = TypeVar("E", Article, Plan)


def _newest_first(entries: Sequence[E]) -> list[E]:
    """By date, newest first, then by slug: two stable sorts with C-level keys
    (a Python key function for each of ~10,000 entries cost more)."""
    ordered = sorted(entries, key=attrgetter("slug"))
    ordered.sort(key=attrgetter("date"), reverse=True)  # reverse keeps equal dates in slug order
    return ordered


def _group(items: Sequence[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    """Items by key, each group in the order of `items`."""
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _merged(groups: list[list[int]], items: Sequence[Any]) -> tuple[Any, ...]:
    """The `items` at the positions of several ascending lists, in `items`' order."""
    positions = groups[0] if len(groups) == 1 else sorted(chain.from_iterable(groups))
    return tuple(map(items.__getitem__, positions))


def services_for(unit: Unit, services: Sequence[Service], registry: Registry) -> tuple[Service, ...]:
    """Services available in `unit`: `provinces: all`, naming it, or naming a
    former unit merged into it. A former unit's page lists those naming it."""
    out = []
    for service in services:
        if service.provinces is None:
            if unit.current:
                out.append(service)
            continue
        if unit.current:
            if any(registry.successor(slug).slug == unit.slug for slug in service.provinces):
                out.append(service)
        elif unit.slug in service.provinces:
            out.append(service)
    return tuple(out)


def assemble(config: SiteConfig, registry: Registry, entries: Sequence[Entry]) -> Site:
    articles = _newest_first([e for e in entries if isinstance(e, Article)])
    plans = _newest_first([e for e in entries if isinstance(e, Plan)])
    services = sorted((e for e in entries if isinstance(e, Service)), key=lambda s: (collation_key(s.title), s.slug))
    pages = sorted((e for e in entries if isinstance(e, Page)), key=lambda p: (p.order, collation_key(p.title)))
    by_plan = _group(articles, lambda a: a.plan)
    plan_articles = {p.slug: tuple(by_plan.get(p.slug, ())) for p in plans}
    articles_in = _group(range(len(articles)), lambda k: articles[k].province)  # positions, ascending
    plans_in = _group(range(len(plans)), lambda k: plans[k].province)

    wanted = set(config.provinces) if config.provinces else None

    def listing(unit: Unit) -> ProvinceListing:
        members = (unit.slug, *unit.former) if unit.current else (unit.slug,)
        return ProvinceListing(
            unit=unit,
            articles=_merged([articles_in.get(m, []) for m in members], articles),
            plans=_merged([plans_in.get(m, []) for m in members], plans),
            services=services_for(unit, services, registry),
            former_units=tuple(registry.get(s) for s in unit.former),
        )

    current = tuple(listing(u) for u in registry.current() if wanted is None or u.slug in wanted)
    former = tuple(listing(u) for u in registry.former_lost() if wanted is None or u.merged_into in wanted)

    by_field: dict[str, list[Service]] = {}
    for service in services:
        by_field.setdefault(service.field, []).append(service)
    fields = tuple(
        FieldGroup(name, slugify(name), tuple(items))
        for name, items in sorted(by_field.items(), key=lambda kv: collation_key(kv[0]))
    )

    dates = [a.date for a in articles] + [p.date for p in plans]
    updated = max(dates) if dates else datetime(2025, 7, 1, tzinfo=VIETNAM_TZ)
    return Site(
        config=config,
        registry=registry,
        articles=tuple(articles),
        plans=tuple(plans),
        services=tuple(services),
        pages=tuple(pages),
        plan_articles=plan_articles,
        current=current,
        former=former,
        fields=fields,
        updated=updated,
    )


__all__ = ["Site", "ProvinceListing", "FieldGroup", "assemble", "services_for", "NATIONAL"]
