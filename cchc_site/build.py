"""The pipeline, top to bottom: config → content → site → render → files.

`build_site` runs every stage and hands each output file to a sink: in memory
(`MemorySink`: tests, `check`, the dev server) or a folder (`FolderSink`: the
CLI writes into a temporary folder that writer.py swaps in). With a Cache,
unchanged bodies and pages are reused; with `jobs` > 1, bodies and pages are
rendered over forked processes. Either way the bytes are the same.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from cchc_site.edges import parallel
from cchc_site.site import urls
from cchc_site.site.assemble import Site, assemble
from cchc_site.render.assets import AssetPending, Assets, load_assets
from cchc_site.incremental.cache import Cache
from cchc_site.config.settings import SiteConfig
from cchc_site.content.loader import load_content
from cchc_site.core.diagnostics import CchcError, ConfigError, Diagnostic, Severity
from cchc_site.incremental.fingerprint import DependencyKeys, Fingerprinter, digest
from cchc_site.domain.glossary import Glossary, glossary_digest, load_glossary
from cchc_site.core.model import Entry, Plan, Service
from cchc_site.domain.provinces import load_registry, registry_digest
from cchc_site.render.pages import (PageSpec, bytecode_folder, feed_specs, make_environment, page_specs, render_feed,
                     render_manifest, render_page, render_robots, render_sitemap, template_problem)
from cchc_site.content.sources import read_content
from cchc_site.domain.vietnamese import VIETNAM_TZ, format_date

Progress = Callable[[str, int, int], None]  # (stage, done, total)


# --- sinks -----------------------------------------------------------------------
class MemorySink:
    """Output files kept in memory: path → bytes. With the `previous` build's
    files (the dev server), unchanged pages are taken from there."""

    parallel_safe = False

    def __init__(self, previous: Mapping[str, bytes] | None = None) -> None:
        self.files: dict[str, bytes] = {}
        self.previous = previous or {}

    def write(self, path: str, data: bytes) -> tuple[int, str]:
        self.files[path] = data
        return len(data), hashlib.sha256(data).hexdigest()

    def reuse(self, path: str, size: int, sha: str) -> bool:
        data = self.previous.get(path)
        if data is None or len(data) != size:
            return False
        self.files[path] = data
        return True


class FolderSink:
    """Output files written under `root` (a temporary folder); unchanged pages
    are hard-linked from the previous output instead of written again. When
    `root` is a recycled spare output (writer.Recycled), its folders are used as
    they are, and a page it already holds as a link to the previous output's
    file costs nothing."""

    parallel_safe = True

    def __init__(self, root: Path, previous: Path | None = None,
                 manifest: Mapping[str, tuple[int, int]] | None = None) -> None:
        from cchc_site.edges.writer import check_relative, recycled

        self.root = str(root)
        self._check = check_relative
        self._made: set[str] = {self.root}
        self.previous = str(previous) if previous is not None else None
        self.manifest = manifest or {}  # what the last build wrote there: path → (size, mtime_ns)
        self.recycled = recycled(root)
        if self.recycled is not None:
            self._made.update(os.path.join(self.root, d) for d in self.recycled.dirs)

    def _target(self, path: str, overwrite: bool = True) -> str:
        target = os.path.join(self.root, self._check(path))  # never outside the folder
        if self.recycled is not None:
            self.recycled.make_room(self.root, path, overwrite)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return target

    def claim(self, paths: Iterable[str]) -> None:
        """Pages written by forked workers: keep them when the spare is pruned."""
        if self.recycled is not None:
            self.recycled.kept.update(paths)

    def write(self, path: str, data: bytes) -> tuple[int, str]:
        with open(self._target(path), "wb") as f:
            f.write(data)
        self.claim((path,))
        return len(data), hashlib.sha256(data).hexdigest()

    def reuse(self, path: str, size: int, sha: str) -> bool:
        """Link the previous build's file when it is still exactly as that build wrote it."""
        known = self.manifest.get(path)
        if self.previous is None or known is None or known[0] != size:
            return False
        source = os.path.join(self.previous, path)
        try:
            st = os.lstat(source)  # a symlink planted in the output is never carried over
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != known or not stat.S_ISREG(st.st_mode):
            return False
        if self.recycled is not None and self.recycled.files.get(path) == st.st_ino:
            self.claim((path,))  # the spare holds this very file already (same inode, same device)
            return True
        target = self._target(path, overwrite=False)
        try:
            os.link(source, target)
        except OSError:
            try:
                shutil.copyfile(source, target)
            except OSError:
                return False
        self.claim((path,))
        return True

    def copy(self, path: str, source: Path) -> None:
        shutil.copyfile(source, self._target(path))
        self.claim((path,))


@dataclass(frozen=True)
class BuildStats:
    rendered: tuple[str, ...] = ()  # the pages rendered (not reused)
    pages_rendered: int = 0
    pages_reused: int = 0
    bodies_rendered: int = 0
    bodies_reused: int = 0
    seconds: float = 0.0
    timings: tuple[tuple[str, float], ...] = ()  # seconds per stage


@dataclass(frozen=True)
class BuildResult:
    files: Mapping[str, bytes]  # output path → bytes (MemorySink builds; empty for folder builds)
    copies: Mapping[str, Path]  # output path → attachment to copy as it is
    diagnostics: tuple[Diagnostic, ...]
    site: Site | None
    digests: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # every output: (size, sha256)
    stats: BuildStats = BuildStats()
    next_due: datetime | None = None  # when a future entry left out becomes due

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def page_count(self) -> int:
        return sum(1 for p in self.digests if p.endswith(".html"))


def build_time(now: datetime | None = None) -> datetime:
    """'Now' for draft/future filtering: SOURCE_DATE_EPOCH when set (reproducible CI)."""
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).astimezone(VIETNAM_TZ)
    return datetime.now(VIETNAM_TZ)


def build_site(config: SiteConfig, *, drafts: bool = False, now: datetime | None = None,
               cwd: Path | None = None, jobs: int = 1, cache: Cache | None = None,
               sink: MemorySink | FolderSink | None = None, progress: Progress | None = None) -> BuildResult:
    """Run every stage. With a `cache`, pages whose inputs did not change are
    taken from the sink's previous build instead of rendered."""
    started = time.monotonic()
    timings: dict[str, float] = {}
    mark = [started]

    def lap(stage: str) -> None:
        now_ = time.monotonic()
        timings[stage] = timings.get(stage, 0.0) + now_ - mark[0]
        mark[0] = now_
        if os.environ.get("CCHC_TIMINGS") == "2":
            import resource
            print(f"  {stage}: {now_ - started:.2f} s, peak RSS "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB", flush=True)

    sink = sink if sink is not None else MemorySink()
    registry = load_registry()
    glossary = load_glossary(config.glossary)
    # with nothing in the cache to reuse, the workers read the files (sources.py)
    read = read_content(config.content_dir, cwd, cache, lazy=cache is None or cache.empty)
    lap("read")
    content = load_content(read.sources, read.files, config.content_dir, registry, glossary,
                           now=build_time(now), drafts=drafts, cache=cache, jobs=jobs)
    if cache is not None:
        read.record_unread(cache)
    lap("content")
    diagnostics = read.diagnostics + content.diagnostics
    del read  # the sources (all the Markdown text) are not needed past this point
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return BuildResult({}, {}, diagnostics, None)
    if progress:
        progress("nội dung", len(content.entries), len(content.entries))
    site = assemble(config, registry, content.entries)
    lap("assemble")
    try:
        env = make_environment(config.templates_dir, bytecode_folder(cache.folder if cache is not None else None))
        _install_helpers(env)
        templates = templates_digest(env)
    except Exception as exc:  # a broken override must not crash the program
        raise ConfigError([template_problem(exc)]) from None

    digests: dict[str, tuple[int, str]] = {}
    # pages are rendered while this process builds the search data, the feeds and
    # the sitemap (`alongside`); a page that asks for the search data meanwhile
    # (the search page) is rendered once it is there
    partial = load_assets(pending=GENERATED)
    for path, data in sorted(partial.files.items()):
        digests[path] = sink.write(path, data)
    specs = page_specs(site)
    done: dict[str, Any] = {}

    def alongside() -> None:
        try:
            since = time.monotonic()
            assets = load_assets(derived_assets(site, glossary, content.terms, cache, content.keys))
            for path, data in sorted(assets.files.items()):
                if path not in partial.files:
                    digests[path] = sink.write(path, data)
            done["search"] = time.monotonic() - since
            try:
                _write_feeds(env, site, assets, sink, digests, content.keys, templates, glossary, cache)
                extra = [(urls.SITEMAP, render_sitemap(site, specs)), ("robots.txt", render_robots(site)),
                         ("manifest.webmanifest", render_manifest(site, assets))]
            except Exception as exc:
                raise ConfigError([template_problem(exc)]) from None
            for path, data in extra:
                digests[path] = sink.write(path, data)
            done["assets"] = assets
            if cache is not None:
                cache.save_records()  # bodies, front matter and search state are complete
        except Exception as exc:  # raised below, once the workers are done
            done["error"] = exc

    lap("assemble")
    rendered, reused, deferred = _render_pages(env, site, partial, specs, range(len(specs)), sink, digests,
                                               content.keys, templates, glossary, cache, jobs, alongside)
    if "error" in done:
        raise done["error"]
    assets = done["assets"]
    if deferred:
        more, more_reused, _ = _render_pages(env, site, assets, specs, deferred, sink, digests, content.keys,
                                             templates, glossary, cache, 1, None)
        rendered, reused = rendered + more, reused + more_reused
    if progress:
        progress("trang", len(specs), len(specs))
    lap("pages")
    timings["alongside: search"] = done["search"]
    for path, source in sorted(content.files.items()):
        digests[path] = (source.stat().st_size, cache.file_hash(source) if cache else _sha_file(source))
    for path, data in sorted(offline_files(site, digests).items()):
        digests[path] = sink.write(path, data)
    headers = publish_headers(digests)
    if headers is not None:
        digests["_headers"] = sink.write("_headers", headers)
    lap("offline")
    stats = BuildStats(rendered, len(rendered), reused, content.bodies_rendered, len(content.entries) - content.bodies_rendered,
                       time.monotonic() - started, tuple(timings.items()))
    files = sink.files if isinstance(sink, MemorySink) else {}
    return BuildResult(files, dict(content.files), diagnostics, site, digests, stats, content.next_due)


def _sha_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- pages ----------------------------------------------------------------------
def templates_digest(env: Any) -> str:
    """Hash of every template the environment can load (built-in and overrides)."""
    parts = []
    for name in sorted(env.loader.list_templates()):
        source, filename, _ = env.loader.get_source(env, name)
        parts.append(f"{name}:{hashlib.sha256(source.encode('utf-8')).hexdigest()}")
    return digest(*parts)


GENERATED = ("search-data.js",)  # assets derived from the content (derived_assets)
COST = {"service.html": 30, "province.html": 20, "news.html": 3, "plan.html": 2}  # relative time per page


def _render_worker(index: int) -> tuple[int, str, frozenset] | None:
    """Worker: render one page into the sink; return its size, hash and what it read
    (recorded only for the cache: without one, templates see the site itself).
    None: the page asked for a generated asset not made yet (rendered later)."""
    st = parallel.state()
    spec: PageSpec = st["specs"][index]
    accesses: set | None = set() if st["record"] else None
    try:
        data = render_page(st["env"], st["site"], st["assets"], spec, accesses)
    except AssetPending:
        return None
    size, sha = st["sink"].write(spec.path, data)
    return size, sha, frozenset(accesses or ())


def _render_pages(env: Any, site: Site, assets: Assets, specs: list[PageSpec], indexes: Iterable[int], sink: Any,
                  digests: dict[str, tuple[int, str]], entry_keys: Mapping[tuple[str, str], str],
                  templates: str, glossary: Glossary, cache: Cache | None, jobs: int,
                  alongside: Callable[[], None] | None) -> tuple[tuple[str, ...], int, list[int]]:
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
        if _reused(cache, "pages", spec.path, sink, digests,
                   lambda old: old[0] == key and dependencies.key(old[1]) == old[2]):  # noqa: B023 - called now
            reused += 1
        else:
            todo.append(i)
    try:
        for name in sorted({specs[i].template for i in todo}):
            env.get_template(name)  # compile once, before forking
        parallel.set_state(env=env, site=site, assets=assets, specs=specs, sink=sink, record=cache is not None)
        workers = jobs if getattr(sink, "parallel_safe", False) else 1
        # the costliest pages first (a service page draws a QR code: 30 articles' time), so that
        # the last chunks handed out are cheap and no worker is left alone with a slow one
        order = sorted(todo, key=lambda i: -COST.get(specs[i].template, 1)) if workers > 1 else todo
        done = dict(zip(order, parallel.fork_map(_render_worker, order, workers, alongside)))
    except Exception as exc:
        raise ConfigError([template_problem(exc)]) from None
    finally:
        parallel.set_state()
    written = [i for i in todo if done[i] is not None]
    if isinstance(sink, FolderSink):
        sink.claim(specs[i].path for i in written)
    for i in written:
        size, sha, accesses = done[i]  # type: ignore[misc]
        spec = specs[i]
        digests[spec.path] = (size, sha)
        if cache is not None:
            cache.put("pages", spec.path, (keys[i], accesses, dependencies.key(accesses), size, sha))
    return tuple(specs[i].path for i in written), reused, [i for i in todo if done[i] is None]


# --- derived outputs --------------------------------------------------------------
def _reused(cache: Cache, table: str, path: str, sink: Any, digests: dict[str, tuple[int, str]],
            unchanged: Callable[[tuple], bool]) -> bool:
    """Take `path` from the previous output when the cache's record of it (ending
    with the file's size and hash) is `unchanged` and the sink can link it."""
    old = cache.get(table, path)
    if old is None or not unchanged(old) or not sink.reuse(path, old[-2], old[-1]):
        return False
    digests[path] = (old[-2], old[-1])
    cache.put(table, path, old)
    return True


def _write_feeds(env: Any, site: Site, assets: Assets, sink: Any, digests: dict[str, tuple[int, str]],
                 entry_keys: Mapping[tuple[str, str], str], templates: str, glossary: Glossary,
                 cache: Cache | None) -> None:
    """The Atom feeds; one whose entries (each by what it was built from), title,
    date, templates, config and registry are as last time is linked from the
    previous output (a feed holds 30 bodies: rendering all 64 again took ~0.2 s)."""
    common = digest(templates, repr(site.config), registry_digest(), glossary_digest(glossary))
    for spec in feed_specs(site):
        key = ""
        if cache is not None and all((e.kind, e.slug) in entry_keys for e in spec.entries):
            key = digest(common, spec.path, spec.title, spec.url, spec.updated.isoformat(),
                         *(f"{e.kind}/{e.slug}/{entry_keys[(e.kind, e.slug)]}" for e in spec.entries))
            if _reused(cache, "feeds", spec.path, sink, digests, lambda old: old[0] == key):  # noqa: B023
                continue
        digests[spec.path] = sink.write(spec.path, render_feed(env, site, assets, spec))
        if key:
            cache.put("feeds", spec.path, (key, *digests[spec.path]))  # type: ignore[union-attr]


def _install_helpers(env: Any) -> None:
    """Optional derived outputs that templates may call (QR codes)."""
    from cchc_site.domain.vietnamese import slugify

    env.filters["slug"] = slugify
    try:
        from cchc_site.render.qr import qr_svg
    except ImportError:
        return
    env.globals["qr_svg"] = qr_svg


def derived_assets(site: Site, glossary: Glossary,
                   terms: Mapping[tuple[str, str], tuple[tuple[tuple[str, int], ...], int]] | None = None,
                   cache: Cache | None = None, keys: Mapping[tuple[str, str], str] | None = None) -> dict[str, bytes]:
    """Generated assets with hashed names: the search data (updated from the cache's;
    an entry whose key in `keys` is unchanged is not looked at again)."""
    try:
        from cchc_site.render.search_index import SearchDoc
        from cchc_site.incremental.search_state import search_script
    except ImportError:
        return {}
    entries = [*site.articles, *site.plans, *site.services, *site.pages]
    salt = glossary_digest(glossary)[:16]  # what an entry was built from (its key) says the rest
    ids = [salt + keys[(e.kind, e.slug)] if keys and (e.kind, e.slug) in keys else None for e in entries]
    provinces = [(l.unit.slug, site.registry.label(l.unit.slug)) for l in site.current + site.former]
    data = search_script(ids, lambda i: search_doc(SearchDoc, site, entries[i], (terms or {}).get(
        (entries[i].kind, entries[i].slug))), dict(glossary.items()), provinces, cache)
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
    return cls(kind=entry.kind, title=entry.title, url=urls.for_entry(entry.kind, entry.slug),
               province_slug=province,
               province_label=site.registry.label(province) if province else ("Toàn quốc" if all_provinces else ""),
               date_iso=date.astimezone(VIETNAM_TZ).date().isoformat() if date else "",
               date_display=format_date(date) if date else "", summary=entry.summary or "",
               body_text=entry.body.text, extra_terms=extra, also_provinces=also, all_provinces=all_provinces,
               body_terms=terms[0] if terms else None, body_length=terms[1] if terms else 0)


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
    return headers_file(digests)


def check(config: SiteConfig, *, cwd: Path | None = None) -> tuple[Diagnostic, ...]:
    """Validate everything, drafts included; write nothing."""
    try:
        result = build_site(config, drafts=True, cwd=cwd)
    except CchcError as exc:
        return exc.diagnostics
    return result.diagnostics
