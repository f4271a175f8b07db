"""Whole-site files besides the pages: the Atom feeds (the site's and one per province),
the sitemap, robots.txt and the web app manifest. Pure: site → bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

import jinja2

from cchc_site.core.model import Article, Plan
from cchc_site.render.assets import Assets
from cchc_site.render.pages import PageSpec, base_context
from cchc_site.site import urls
from cchc_site.site.assemble import Site


@dataclass(frozen=True)
class FeedSpec:
    """One Atom feed: the site's, or a province's."""

    path: str
    title: str
    url: str
    entries: tuple[Article | Plan, ...]
    updated: Any  # datetime


def feed_paths(site: Site) -> list[str]:
    """Where the feeds go: the site's, then one per province page (as `feed_specs`)."""
    return [urls.FEED, *(urls.province_feed(listing.unit.slug) for listing in site.current + site.former)]


def feed_specs(site: Site) -> list[FeedSpec]:
    base = site.config.base_url
    paths = feed_paths(site)
    specs = [
        FeedSpec(
            paths[0],
            site.config.title,
            urls.absolute(base, urls.FEED),
            tuple(_feed_entries(site.articles, site.plans)),
            site.updated,
        )
    ]
    for listing, path in zip(site.current + site.former, paths[1:]):
        entries = tuple(_feed_entries(listing.articles, listing.plans))
        specs.append(
            FeedSpec(
                path,
                f"{site.config.title} — {site.registry.label(listing.unit.slug)}",
                urls.absolute(base, path),
                entries,
                entries[0].date if entries else site.updated,
            )
        )
    return specs


def render_feed(env: jinja2.Environment, site: Site, assets: Assets, spec: FeedSpec) -> bytes:
    return (
        env.get_template("feed.xml")
        .render(
            base_context(site, assets, spec.path),
            feed_title=spec.title,
            feed_url=spec.url,
            entries=list(spec.entries),
            updated=spec.updated,
        )
        .encode("utf-8")
    )


def _feed_entries(articles: Iterable[Article], plans: Iterable[Plan], limit: int = 30) -> list[Article | Plan]:
    merged: list[Article | Plan] = [*articles, *plans]
    merged.sort(key=lambda e: (-e.date.timestamp(), e.kind, e.slug))
    return merged[:limit]


def render_sitemap(site: Site, specs: Iterable[PageSpec]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    base = site.config.base_url
    for spec in sorted(specs, key=lambda s: s.path):
        if spec.sitemap:
            loc = urls.absolute(base, spec.path)
            if "&" in loc or "<" in loc or ">" in loc:  # xml.sax.saxutils.escape (which imports urllib.request)
                loc = loc.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            lines.append(f"  <url><loc>{loc}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(site.config.base_url, urls.SITEMAP)}\n".encode()


def render_manifest(site: Site, assets: Assets) -> bytes:
    """The web app manifest: installable (PNG icons of 192 and 512 px, maskable, made by
    render.icons and hashed like every asset), a short name that is never a cut word."""
    from cchc_site.render.icons import SIZES, default_short_name

    config = site.config
    icons = [
        {
            "src": assets.path(f"icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in SIZES
        if f"icon-{size}.png" in assets.paths
    ]
    manifest = {
        "name": config.title,
        "short_name": config.short_name or default_short_name(config.title),
        "description": config.description or config.title,
        "lang": "vi",
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": config.theme_color,
        "icons": icons,
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
