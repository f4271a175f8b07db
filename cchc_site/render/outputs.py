"""Every output path a build will write, and who asked for it: one path, one writer.

Pelican's guard, for every kind of output: pages, feeds, attachments and the
site's own files. The loader already reports the collisions it can place at
a line (duplicate slugs, reserved slugs, field spellings that fold alike);
this is the backstop that makes any other one a content error naming both
sources instead of a page silently written twice. Pure.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from cchc_site.core.diagnostics import Diagnostic
from cchc_site.render.pages import PageSpec

SITE_FILES = ("sitemap.xml", "robots.txt", "manifest.webmanifest", "sw.js", "_headers", "feed.xml")


def _origin(spec: PageSpec) -> str:
    """The content file(s) a page comes from ('the site' for its own pages)."""
    entry = spec.context.get("entry")
    if entry is not None:
        return str(entry.source_rel)
    group = spec.context.get("group")
    if group is not None and group.services:
        return ", ".join(sorted({s.source_rel for s in group.services}))
    return f"the site's own page ({spec.template})"


def collisions(pages: Iterable[PageSpec], feeds: Iterable[str], attachments: Mapping[str, object]) -> list[Diagnostic]:
    """A diagnostic at each source of an output path that two outputs share."""
    pages = list(pages)
    feeds = list(feeds)
    paths = [spec.path for spec in pages] + feeds + list(attachments)
    if len(set(paths)) == len(paths) and not set(SITE_FILES[:-1]) & set(paths):
        return []  # the common case, decided without looking at where each output comes from
    writers: dict[str, list[str]] = {}
    for spec in pages:
        writers.setdefault(spec.path, []).append(_origin(spec))
    for feed in feeds:
        writers.setdefault(feed, []).append(f"the feed {feed}")
    for path in attachments:
        writers.setdefault(path, []).append(f"content/{path}")
    for name in SITE_FILES:
        if name in writers and not (name == "feed.xml" and writers[name] == [f"the feed {name}"]):
            writers[name].append(f"the site's own file {name}")
    problems = []
    for path, who in sorted(writers.items()):
        if len(who) < 2:
            continue
        for i, origin in enumerate(who):
            others = "; ".join(o for j, o in enumerate(who) if j != i)
            where = origin if origin.endswith(".md") or origin.startswith("content/") else "config.yaml"
            problems.append(
                Diagnostic(
                    where.split(", ")[0],
                    0,
                    0,
                    f"two outputs at one path '{path}': {origin} and {others}; rename one of them",
                )
            )
    return problems
