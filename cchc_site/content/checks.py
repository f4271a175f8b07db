"""Checks across content files, after each file's own front matter is valid: references
between entries, names that become pages, dates and provinces that make no sense for the
site. Each gives diagnostics at the line of the key concerned. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from cchc_site.core.diagnostics import Diagnostic, Severity
from cchc_site.core.model import Article, Entry, Plan, Service
from cchc_site.domain.vietnamese import VIETNAM_TZ, slugify

if TYPE_CHECKING:
    from cchc_site.content.loader import Parsed
    from cchc_site.domain.provinces import Registry


def check_references(
    entries: Sequence[Entry], parsed: Mapping[tuple[str, str], Parsed], also_plans: Iterable[str] = ()
) -> list[Diagnostic]:
    """An article's `plan` must name an existing plan (a draft plan counts: the
    link simply waits until the plan is published)."""
    plans = {slug for kind, slug in parsed if kind == "plan"} | set(also_plans)
    problems = []
    for entry in entries:
        if isinstance(entry, Article) and entry.plan and entry.plan not in plans:
            item = parsed[("article", entry.slug)]
            line, col = item.front.line_of("plan")
            problems.append(
                Diagnostic(entry.source_rel, line, col, f"'plan' names '{entry.plan}', but no plan has that slug")
            )
    return problems


def check_field_names(entries: Sequence[Entry], parsed: Mapping[tuple[str, str], Parsed]) -> list[Diagnostic]:
    """Two spellings of a service field that fold to one slug ("Hộ tịch", "Ho tich!!")
    would write one field page twice: an error at each, naming the other."""
    spellings: dict[str, dict[str, list[tuple[str, int, int]]]] = {}
    for entry in entries:
        if isinstance(entry, Service):
            line, col = parsed[("service", entry.slug)].front.line_of("field")
            spellings.setdefault(slugify(entry.field), {}).setdefault(entry.field, []).append(
                (entry.source_rel, line, col)
            )
    problems = []
    for slug, names in spellings.items():
        if len(names) < 2:
            continue
        for name, places in names.items():
            other_name, other_places = next((n, p) for n, p in names.items() if n != name)
            rel, line, col = other_places[0]
            for place in places:
                problems.append(
                    Diagnostic(
                        place[0],
                        place[1],
                        place[2],
                        f"field '{name}' and field '{other_name}' ({rel}:{line}) make the same "
                        f"page dich-vu-cong/linh-vuc/{slug}/: write the field the same way in both",
                    )
                )
    return problems


FAR_AHEAD = timedelta(days=366)


def far_future(parsed: Sequence[Parsed], now: datetime) -> list[Diagnostic]:
    """A date more than a year ahead is most likely a typo (2052 for 2025): it would keep the
    entry unpublished for years without a word. A warning at its line, in check and build."""
    problems = []
    for item in parsed:
        key = "date" if "date" in item.front.fields else "issued"
        when = item.front.fields.get(key)
        if isinstance(when, datetime) and when > now + FAR_AHEAD:
            line, col = item.front.line_of(key)
            problems.append(
                Diagnostic(
                    item.source.rel,
                    line,
                    col,
                    f"'{key}' {when.date().isoformat()} is more than a year ahead: the entry "
                    "stays unpublished until then (a typo in the year?)",
                    Severity.WARNING,
                )
            )
    return problems


MERGER = datetime(2025, 7, 1, tzinfo=VIETNAM_TZ)  # 34 provincial units from this day (Resolution 202/2025/QH15)
NATIONAL = "trung-uong"


def check_provinces(
    entries: Sequence[Entry],
    parsed: Mapping[tuple[str, str], Parsed],
    registry: Registry,
    site_provinces: tuple[str, ...] | None,
) -> list[Diagnostic]:
    """A single-province (or few-province) site publishes only its own units' content:
    another province's is an error at its `province` line (content for a former unit that
    merged into one of the site's counts as the site's). A former unit named on content
    dated after the merger is a warning that names the current unit."""
    problems = []
    for entry in entries:
        item = parsed.get((entry.kind, entry.slug))
        if item is None:
            continue
        if isinstance(entry, (Article, Plan)):
            key, slugs, when = "province", [entry.province], entry.date
        elif isinstance(entry, Service):
            key, slugs, when = "provinces", list(entry.provinces or ()), None
        else:
            continue
        line, col = item.front.line_of(key) if key in item.front.fields else (1, 1)
        for slug in slugs:
            if slug == NATIONAL:
                continue
            unit = registry.get(slug)
            if site_provinces is not None and unit.merged_into not in site_provinces:
                allowed = ", ".join(registry.label(s) for s in site_provinces)
                problems.append(
                    Diagnostic(
                        entry.source_rel,
                        line,
                        col,
                        f"'{key}' {registry.label(slug)} is not a province of this site "
                        f"(config.yaml provinces: {allowed}); publish it on that province's "
                        "site, or use trung-uong for national content",
                    )
                )
            elif not unit.current and when is not None and when >= MERGER:
                problems.append(
                    Diagnostic(
                        entry.source_rel,
                        line,
                        col,
                        f"'{key}' {unit.name} is a former unit: since 1/7/2025 it is part of "
                        f"{registry.label(unit.merged_into)}; this entry is dated "
                        f"{when.date().isoformat()}, so name {registry.label(unit.merged_into)}",
                        Severity.WARNING,
                    )
                )
    return problems


def check_placeholders(parsed: Sequence[Parsed], body_of: Callable[[Parsed], str]) -> list[Diagnostic]:
    """What `cchc-site new` leaves to fill in (content/placeholders.py) is an error at its line
    once the file is no longer a draft: a skeleton is never published by accident."""
    from cchc_site.content import placeholders

    problems = []
    for item in parsed:
        fields = item.front.fields
        if fields.get("draft", False):
            continue
        for key, placeholder in placeholders.FIELDS.get(item.source.kind, {}).items():
            value = fields.get(key)
            values = value if isinstance(value, tuple) else (value,)
            texts = {str(getattr(v, "value", v)).strip() for v in values if v is not None}  # ChannelValue too
            if placeholder in texts or (
                key == "portal_url" and placeholder.rstrip("/") in {t.rstrip("/") for t in texts}
            ):
                line, col = item.front.line_of(key)
                problems.append(
                    Diagnostic(
                        item.source.rel,
                        line,
                        col,
                        f"'{key}' is still the skeleton's placeholder '{placeholder}': write the "
                        "real value, or keep 'draft: true' until it is ready",
                    )
                )
        if not item.front.body and not item.source.loaded:
            # not read in this process (unchanged since a build that passed, or read by a worker):
            # never read just for this; `check` (one process, every file read) sees every body
            continue
        body = body_of(item)
        for number, text in enumerate(body.split("\n")):
            if text.strip() in placeholders.BODY_LINES:
                problems.append(
                    Diagnostic(
                        item.source.rel,
                        item.front.body_line + number,
                        1,
                        f"the body still has the skeleton's line '{text.strip()}': write the "
                        "content, or keep 'draft: true' until it is ready",
                    )
                )
    return problems
