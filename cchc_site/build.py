"""The pipeline, top to bottom: config → content → site → render → files.

Nothing here touches the output folder: `build_site` returns a BuildResult that
`writer.replace_output` writes (the CLI decides), and `check` is the same run
with drafts included and nothing written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from . import urls
from .assemble import Site, assemble
from .assets import Assets, load_assets
from .config import SiteConfig
from .content import load_content
from .diagnostics import CchcError, ConfigError, Diagnostic, Severity
from .glossary import load_glossary
from .model import Article, Entry, Page, Plan, Service
from .provinces import load_registry
from .render import make_environment, render_site, template_problem
from .sources import read_content
from .vietnamese import VIETNAM_TZ, format_date


@dataclass(frozen=True)
class BuildResult:
    files: Mapping[str, bytes]  # output path → bytes
    copies: Mapping[str, Path]  # output path → attachment to copy as it is
    diagnostics: tuple[Diagnostic, ...]
    site: Site | None

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def page_count(self) -> int:
        return sum(1 for p in self.files if p.endswith(".html"))


def build_time(now: datetime | None = None) -> datetime:
    """'Now' for draft/future filtering: SOURCE_DATE_EPOCH when set (reproducible CI)."""
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).astimezone(VIETNAM_TZ)
    return datetime.now(VIETNAM_TZ)


def build_site(config: SiteConfig, *, drafts: bool = False, now: datetime | None = None,
               cwd: Path | None = None) -> BuildResult:
    registry = load_registry()
    glossary = load_glossary(config.glossary)
    read = read_content(config.content_dir, cwd)
    content = load_content(read.sources, read.files, config.content_dir, registry, dict(glossary.items()),
                           now=build_time(now), drafts=drafts)
    diagnostics = read.diagnostics + content.diagnostics
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return BuildResult({}, {}, diagnostics, None)
    site = assemble(config, registry, content.entries)
    extra = derived_assets(site, glossary)
    assets = load_assets(extra)
    try:
        env = make_environment(config.templates_dir)
        _install_helpers(env)
    except Exception as exc:  # a broken override must not crash the program
        raise ConfigError([template_problem(exc)]) from None
    rendered = render_site(site, env, assets)
    files: dict[str, bytes] = dict(assets.files)
    files.update(rendered)
    files.update(offline_files(site, files, content.files))
    return BuildResult(files, dict(content.files), diagnostics, site)


def _install_helpers(env) -> None:  # type: ignore[no-untyped-def]
    """Optional derived outputs that templates may call (QR codes)."""
    from .vietnamese import slugify

    env.filters["slug"] = slugify
    try:
        from .qr import qr_svg
    except ImportError:
        return
    env.globals["qr_svg"] = qr_svg


def derived_assets(site: Site, glossary) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """Generated assets with hashed names: the search data."""
    try:
        from .search_index import SearchDoc, build_search_data
    except ImportError:
        return {}
    docs = [search_doc(SearchDoc, site, entry) for entry in
            [*site.articles, *site.plans, *site.services, *site.pages]]
    provinces = [(l.unit.slug, site.registry.label(l.unit.slug)) for l in site.current + site.former]
    data = build_search_data(docs, dict(glossary.items()), provinces)
    return {"search-data.js": data.encode("utf-8")}


def search_doc(cls, site: Site, entry: Entry):  # type: ignore[no-untyped-def]
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
    return cls(kind=entry.kind, title=entry.title, url=urls.for_entry(entry.kind, entry.slug),
               province_slug=province, province_label=site.registry.label(province) if province else "",
               date_iso=date.astimezone(VIETNAM_TZ).date().isoformat() if date else "",
               date_display=format_date(date) if date else "", summary=entry.summary or "",
               body_text=entry.body.text, extra_terms=extra, also_provinces=also, all_provinces=all_provinces)


def offline_files(site: Site, files: Mapping[str, bytes], copies: Mapping[str, Path]) -> dict[str, bytes]:
    """The service worker and its precache manifest (see offline.py)."""
    try:
        from .offline import service_worker_files
    except ImportError:
        return {}
    return service_worker_files(site, files, copies)


def check(config: SiteConfig, *, cwd: Path | None = None) -> tuple[Diagnostic, ...]:
    """Validate everything, drafts included; write nothing."""
    try:
        result = build_site(config, drafts=True, cwd=cwd)
    except CchcError as exc:
        return exc.diagnostics
    return result.diagnostics
