"""Pages: each rendered from its template, or linked from the previous output
when nothing it depends on changed (its fingerprint in the cache)."""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Iterable, Mapping

from cchc_site.core.diagnostics import ConfigError
from cchc_site.core.work import FanOut, serial
from cchc_site.domain.glossary import Glossary, glossary_digest
from cchc_site.domain.provinces import registry_digest
from cchc_site.incremental.cache import Cache
from cchc_site.incremental.fingerprint import DependencyKeys, Fingerprinter, digest
from cchc_site.render.assets import AssetPending, Assets
from cchc_site.render.pages import PageSpec, render_page, template_problem
from cchc_site.site.assemble import Site


def templates_digest(env: Any) -> str:
    """Hash of every template the environment can load (built-in and overrides)."""
    parts = []
    for name in sorted(env.loader.list_templates()):
        source, filename, _ = env.loader.get_source(env, name)
        parts.append(f"{name}:{hashlib.sha256(source.encode('utf-8')).hexdigest()}")
    return digest(*parts)


GENERATED = ("search-data.js",)  # assets derived from the content (derived_assets)
COST = {"service.html": 30, "province.html": 20, "news.html": 3, "plan.html": 2}  # relative time per page


def _render_worker(st: Mapping[str, Any], index: int) -> tuple[int, str, frozenset[Any]] | None:
    """Worker: render one page into the sink; return its size, hash and what it read
    (recorded only for the cache: without one, templates see the site itself).
    None: the page asked for a generated asset not made yet (rendered later)."""
    spec: PageSpec = st["specs"][index]
    accesses: set[Any] | None = set() if st["record"] else None
    try:
        data = render_page(st["env"], st["site"], st["assets"], spec, accesses)
    except AssetPending:
        return None
    size, sha = st["sink"].write(spec.path, data)
    return size, sha, frozenset(accesses or ())


def render_pages(
    env: Any,
    site: Site,
    assets: Assets,
    specs: list[PageSpec],
    indexes: Iterable[int],
    sink: Any,
    digests: dict[str, tuple[int, str]],
    entry_keys: Mapping[tuple[str, str], str],
    templates: str,
    glossary: Glossary,
    cache: Cache | None,
    fan_out: FanOut,
    alongside: Callable[[], None] | None,
) -> tuple[tuple[str, ...], int, list[int]]:
    """Render the pages `indexes` of `specs`, or reuse the sink's previous one when nothing
    it depends on changed; `alongside()` runs in this process meanwhile. Returns the
    paths rendered, the number reused and the pages that need a pending asset."""
    fp = Fingerprinter(entry_keys, {id(site.registry): registry_digest(), id(site.config): repr(site.config)})
    global_key = digest(templates, repr(site.config), registry_digest(), glossary_digest(glossary))
    dependencies = DependencyKeys({"site": site, "assets": assets}, fp)  # a pending asset reads as changed
    todo: list[int] = []
    keys: dict[int, str] = {}
    reused = 0
    for i in indexes:
        spec = specs[i]
        if cache is None:  # nothing to compare with or to keep
            todo.append(i)
            continue
        key = keys[i] = digest(global_key, spec.template, spec.path, fp.of(spec.context))
        if take_previous(
            cache,
            "pages",
            spec.path,
            sink,
            digests,
            lambda old: old[0] == key and dependencies.key(old[1]) == old[2],  # noqa: B023
        ):  # noqa: B023 - called now
            reused += 1
        else:
            todo.append(i)
    try:
        for name in sorted({specs[i].template for i in todo}):
            env.get_template(name)  # compile once, before forking
        context = {
            "env": env,
            "site": site,
            "assets": assets,
            "specs": specs,
            "sink": sink,
            "record": cache is not None,
        }
        if not getattr(sink, "parallel_safe", False):
            fan_out = serial  # a sink that keeps files in memory cannot be written from another process
        # the costliest pages first (a service page draws a QR code: 30 articles' time), so that
        # the last chunks handed out are cheap and no worker is left alone with a slow one
        order = sorted(todo, key=lambda i: -COST.get(specs[i].template, 1)) if fan_out is not serial else todo
        done = dict(zip(order, fan_out(_render_worker, context, order, alongside)))
    except OSError:
        raise  # the disk, not a template: the runner names the path (edges.runner.disk_problem)
    except Exception as exc:
        raise ConfigError([template_problem(exc)]) from None
    written = [i for i in todo if done[i] is not None]
    sink.claim(specs[i].path for i in written)
    for i in written:
        size, sha, accesses = done[i]
        spec = specs[i]
        digests[spec.path] = (size, sha)
        if cache is not None:
            cache.put("pages", spec.path, (keys[i], accesses, dependencies.key(accesses), size, sha))
    return tuple(specs[i].path for i in written), reused, [i for i in todo if done[i] is None]


def take_previous(
    cache: Cache,
    table: str,
    path: str,
    sink: Any,
    digests: dict[str, tuple[int, str]],
    unchanged: Callable[[tuple[Any, ...]], bool],
) -> bool:
    """Take `path` from the previous output when the cache's record of it (ending
    with the file's size and hash) is `unchanged` and the sink can link it."""
    old = cache.get(table, path)
    if old is None or not unchanged(old) or not sink.reuse(path, old[-2], old[-1]):
        return False
    digests[path] = (old[-2], old[-1])
    cache.put(table, path, old)
    return True


def install_helpers(env: Any) -> None:
    """Optional derived outputs that templates may call (QR codes)."""
    from cchc_site.domain.vietnamese import slugify

    env.filters["slug"] = slugify
    try:
        from cchc_site.render.qr import qr_svg
    except ImportError:
        return
    env.globals["qr_svg"] = qr_svg
