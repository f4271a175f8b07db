"""Outputs derived from the whole site besides its pages: the search data, the
feeds, the service worker's manifest and the static host's headers."""

from __future__ import annotations

from typing import Any, Mapping

from cchc_site.build.pages import take_previous
from cchc_site.core.model import Entry, Plan, Service
from cchc_site.domain.glossary import Glossary, glossary_digest
from cchc_site.domain.provinces import registry_digest
from cchc_site.domain.vietnamese import VIETNAM_TZ, format_date
from cchc_site.incremental.cache import Cache
from cchc_site.incremental.fingerprint import digest
from cchc_site.render.assets import Assets
from cchc_site.render.sitefiles import feed_specs, render_feed
from cchc_site.site import urls
from cchc_site.site.assemble import Site


def write_feeds(
    env: Any,
    site: Site,
    assets: Assets,
    sink: Any,
    digests: dict[str, tuple[int, str]],
    entry_keys: Mapping[tuple[str, str], str],
    templates: str,
    glossary: Glossary,
    cache: Cache | None,
) -> None:
    """The Atom feeds; one whose entries (each by what it was built from), title,
    date, templates, config and registry are as last time is linked from the
    previous output (a feed holds 30 bodies: rendering all 64 again took ~0.2 s)."""
    common = digest(templates, repr(site.config), registry_digest(), glossary_digest(glossary))
    for spec in feed_specs(site):
        key = ""
        if cache is not None and all((e.kind, e.slug) in entry_keys for e in spec.entries):
            key = digest(
                common,
                spec.path,
                spec.title,
                spec.url,
                spec.updated.isoformat(),
                *(f"{e.kind}/{e.slug}/{entry_keys[(e.kind, e.slug)]}" for e in spec.entries),
            )
            if take_previous(cache, "feeds", spec.path, sink, digests, lambda old: old[0] == key):  # noqa: B023
                continue
        digests[spec.path] = sink.write(spec.path, render_feed(env, site, assets, spec))
        if key:
            cache.put("feeds", spec.path, (key, *digests[spec.path]))  # type: ignore[union-attr]


def derived_assets(
    site: Site,
    glossary: Glossary,
    terms: Mapping[tuple[str, str], tuple[tuple[tuple[str, int], ...], int]] | None = None,
    cache: Cache | None = None,
    keys: Mapping[tuple[str, str], str] | None = None,
) -> dict[str, bytes]:
    """Generated assets with hashed names: the search data (updated from the cache's;
    an entry whose key in `keys` is unchanged is not looked at again)."""
    try:
        from cchc_site.incremental.search_state import search_script
        from cchc_site.render.search_index import SearchDoc
    except ImportError:
        return {}
    entries: list[Entry] = [*site.articles, *site.plans, *site.services, *site.pages]
    salt = glossary_digest(glossary)[:16]  # what an entry was built from (its key) says the rest
    ids = [salt + keys[(e.kind, e.slug)] if keys and (e.kind, e.slug) in keys else None for e in entries]
    provinces = [(listing.unit.slug, site.registry.label(listing.unit.slug)) for listing in site.current + site.former]
    data = search_script(
        ids,
        lambda i: search_doc(SearchDoc, site, entries[i], (terms or {}).get((entries[i].kind, entries[i].slug))),
        dict(glossary.items()),
        provinces,
        cache,
    )
    return {"search-data.js": data}


def search_doc(cls: Any, site: Site, entry: Entry, terms: Any = None) -> Any:
    province = getattr(entry, "province", "") or ""
    date = getattr(entry, "date", None)
    extra: tuple[str, ...] = ()
    also: tuple[tuple[str, str], ...] = ()
    all_provinces = False
    if isinstance(entry, Plan):
        extra = (entry.number,)
    if isinstance(entry, Service):
        extra = tuple(x for x in (entry.code, entry.field, entry.agency) if x)
        all_provinces = entry.provinces is None
        if entry.provinces:
            province = entry.provinces[0]
            also = tuple((s, site.registry.label(s)) for s in entry.provinces[1:])
    if province:
        unit = site.registry.get(province)
        if not unit.current and unit.slug != "trung-uong":
            also = also + ((unit.merged_into, site.registry.label(unit.merged_into)),)
    return cls(
        kind=entry.kind,
        title=entry.title,
        url=urls.for_entry(entry.kind, entry.slug),
        province_slug=province,
        province_label=site.registry.label(province) if province else ("Toàn quốc" if all_provinces else ""),
        date_iso=date.astimezone(VIETNAM_TZ).date().isoformat() if date else "",
        date_display=format_date(date) if date else "",
        summary=entry.summary or "",
        body_text=entry.body.text,
        extra_terms=extra,
        also_provinces=also,
        all_provinces=all_provinces,
        body_terms=terms[0] if terms else None,
        body_length=terms[1] if terms else 0,
    )


def offline_files(site: Site, digests: Mapping[str, tuple[int, str]]) -> dict[str, bytes]:
    """The service worker and its precache manifest (see offline.py)."""
    try:
        from cchc_site.render.offline import service_worker_files
    except ImportError:
        return {}
    return service_worker_files(site, digests)


def publish_headers(digests: Mapping[str, tuple[int, str]]) -> bytes | None:
    """The `_headers` file for static hosts (see publish.py)."""
    try:
        from cchc_site.render.publish import headers_file
    except ImportError:
        return None
    return headers_file(digests)  # type: ignore[arg-type]  # it reads only the paths


def icon_assets(config: Any) -> dict[str, bytes]:
    """The web app's icons (render.icons), from the site's logo or the default art."""
    from cchc_site.render.icons import app_icons

    logo = config.logo.read_bytes() if config.logo is not None else None
    return {f"icon-{size}.png": data for size, data in app_icons(logo, config.theme_color).items()}
