"""The pipeline, top to bottom: config → content → site → render → files.

`build_site` runs the stages in order, each a named function below it, and
hands every output file to a sink: in memory (`MemorySink`: tests, `check`,
the dev server) or a folder (`edges.sinks.FolderSink`: the CLI writes into a
temporary folder that the writer swaps in). With a Cache, unchanged bodies
and pages are reused; with `jobs` > 1, bodies and pages are rendered over
forked processes. Either way the bytes are the same.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from cchc_site.build.derived import derived_assets, icon_assets, offline_files, publish_headers, write_feeds
from cchc_site.build.images import write_image_variants
from cchc_site.build.pages import GENERATED, install_helpers, render_pages, templates_digest
from cchc_site.build.timing import Timings
from cchc_site.config.settings import SiteConfig
from cchc_site.content.loader import Content, load_content
from cchc_site.content.sources import ContentFiles, read_content
from cchc_site.core.diagnostics import CchcError, ConfigError, Diagnostic, Severity, shown_path
from cchc_site.core.work import FanOut, serial
from cchc_site.domain.glossary import Glossary, load_glossary
from cchc_site.domain.provinces import Registry, load_registry
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.incremental.cache import Cache
from cchc_site.render.assets import Assets, load_assets
from cchc_site.render.outputs import collisions
from cchc_site.render.pages import PageSpec, bytecode_folder, make_environment, page_specs, template_problem
from cchc_site.render.sitefiles import feed_paths, render_manifest, render_robots, render_sitemap
from cchc_site.site import urls
from cchc_site.site.assemble import Site, assemble

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Digests = dict[str, tuple[int, str]]  # output path → (size, sha256)


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

    def claim(self, paths: Any) -> None:
        """Nothing to keep: every file is in `files`."""


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
    published_since: datetime | None = None  # the output is as it is only for a "now" from here to next_due
    left_out: tuple[int, int] = (0, 0)  # (drafts, entries dated in the future) a build without --drafts left out

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def page_count(self) -> int:
        return sum(1 for p in self.digests if p.endswith(".html"))


@dataclass
class Run:
    """What the stages of one build share: its inputs, where its files go, what it wrote."""

    config: SiteConfig
    sink: Any
    cache: Cache | None
    fan_out: FanOut
    timings: Timings
    registry: Registry
    glossary: Glossary
    digests: Digests = field(default_factory=dict)


def build_time(now: datetime | None = None) -> datetime:
    """'Now' for draft/future filtering: SOURCE_DATE_EPOCH when set (reproducible CI)."""
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(VIETNAM_TZ)
    # Set but unusable (often `$(git log …)` in an image without git): refusing beats a silent
    # wall clock, which would make the build irreproducible and judge drafts by the wrong day.
    if not epoch.strip().isdigit():
        shown = repr(epoch) if epoch else "empty"
        raise ConfigError(
            [
                Diagnostic(
                    "SOURCE_DATE_EPOCH",
                    0,
                    0,
                    f"SOURCE_DATE_EPOCH is {shown}: it must be whole seconds since 1970 "
                    "(e.g. $(git log -1 --format=%ct); is git installed and the history "
                    "fetched?), or unset",
                )
            ]
        )
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).astimezone(VIETNAM_TZ)
    except (OverflowError, OSError, ValueError):
        raise ConfigError(
            [Diagnostic("SOURCE_DATE_EPOCH", 0, 0, f"SOURCE_DATE_EPOCH {epoch.strip()} is out of range")]
        ) from None


def build_site(
    config: SiteConfig,
    *,
    drafts: bool = False,
    now: datetime | None = None,
    cwd: Path | None = None,
    jobs: int = 1,
    cache: Cache | None = None,
    sink: Any = None,
    progress: Progress | None = None,
    resize_images: bool = True,
) -> BuildResult:
    """Run every stage. With a `cache`, pages whose inputs did not change are
    taken from the sink's previous build instead of rendered. `resize_images=False`
    (`check`) plans the image variants without making them."""
    run = Run(
        config,
        sink if sink is not None else MemorySink(),
        cache,
        _fan_out(jobs),
        Timings(),
        load_registry(),
        load_glossary(config.glossary),
    )
    with run.timings("read"):
        read = read_content(config.content_dir, cwd, cache, lazy=cache is None or cache.empty)
    with run.timings("content"):
        content, diagnostics = load_entries(run, read, build_time(now), drafts, cwd)
    del read  # the sources (all the Markdown text) are not needed past this point
    if _failed(diagnostics):
        return BuildResult({}, {}, diagnostics, None)
    if progress:
        progress("nội dung", len(content.entries), len(content.entries))
    with run.timings("assemble"):
        site = assemble(config, run.registry, content.entries)
        specs = page_specs(site)
        diagnostics += tuple(collisions(specs, feed_paths(site), content.files))
    if _failed(diagnostics):
        return BuildResult({}, {}, diagnostics, None)
    with run.timings("images"):
        here = (cwd or Path.cwd()).resolve()
        images, image_problems = write_image_variants(
            content.images,
            content.files,
            run.sink,
            run.digests,
            run.cache,
            run.fan_out,
            lambda path: shown_path(path, here),
            resize=resize_images,
        )
        diagnostics += image_problems
    with run.timings("pages"):
        rendered, reused, search_seconds = pages_with_derived_outputs(run, site, content, specs, images)
    if progress:
        progress("trang", len(specs), len(specs))
    with run.timings("offline"):
        offline_and_headers(run, site, content)
    run.timings.seconds["alongside: search"] = search_seconds
    stats = BuildStats(
        rendered,
        len(rendered),
        reused,
        content.bodies_rendered,
        len(content.entries) - content.bodies_rendered,
        run.timings.elapsed(),
        tuple(run.timings.seconds.items()),
    )
    files = run.sink.files if isinstance(run.sink, MemorySink) else {}
    return BuildResult(
        files,
        dict(content.files),
        diagnostics,
        site,
        run.digests,
        stats,
        content.next_due,
        content.published_since,
        (content.drafts_left_out, content.future_left_out),
    )


def _fan_out(jobs: int) -> FanOut:
    if jobs <= 1:
        return serial
    from cchc_site.edges.parallel import Workers

    return Workers(jobs)


def _failed(diagnostics: tuple[Diagnostic, ...]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def load_entries(
    run: Run, read: ContentFiles, now: datetime, drafts: bool, cwd: Path | None = None
) -> tuple[Content, tuple[Diagnostic, ...]]:
    """Content files → validated entries with rendered bodies, and every problem found.
    (With nothing in the cache to reuse, `read` was lazy: the workers read the files.)"""
    cache = run.cache
    content = load_content(
        read.sources,
        read.files,
        run.config.content_dir,
        run.registry,
        run.glossary,
        now=now,
        drafts=drafts,
        cache=cache,
        fan_out=run.fan_out,
        cwd=cwd,
        site_provinces=run.config.provinces,
    )
    if cache is not None:
        read.record_unread(cache)
    return content, read.diagnostics + content.diagnostics


def template_environment(run: Run) -> tuple[Any, str]:
    """The Jinja environment (built-in templates and the site's overrides) and its digest."""
    cache = run.cache
    try:
        env = make_environment(run.config.templates_dir, bytecode_folder(cache.folder if cache is not None else None))
        install_helpers(env)
        return env, templates_digest(env)
    except Exception as exc:  # a broken override must not crash the program
        raise ConfigError([template_problem(exc)]) from None


@dataclass
class Alongside:
    """The derived outputs, made in this process while workers render the pages:
    the search data, feeds, sitemap, robots.txt and web manifest. An error is kept
    and raised once the workers are done."""

    run: Run
    site: Site
    content: Content
    env: Any
    templates: str
    partial: Assets
    specs: list[PageSpec]
    assets: Assets | None = None
    error: BaseException | None = None
    search_seconds: float = 0.0

    def __call__(self) -> None:
        try:
            self.assets = self._make()
        except Exception as exc:
            self.error = exc

    def _make(self) -> Assets:
        run, site, content, sink = self.run, self.site, self.content, self.run.sink
        since = time.monotonic()
        assets = load_assets(
            {**derived_assets(site, run.glossary, content.terms, run.cache, content.keys), **icon_assets(run.config)},
            images=self.partial.images,
        )
        for path, data in sorted(assets.files.items()):
            if path not in self.partial.files:
                run.digests[path] = sink.write(path, data)
        self.search_seconds = time.monotonic() - since
        try:
            write_feeds(
                self.env, site, assets, sink, run.digests, content.keys, self.templates, run.glossary, run.cache
            )
            extra = [
                (urls.SITEMAP, render_sitemap(site, self.specs)),
                ("robots.txt", render_robots(site)),
                ("manifest.webmanifest", render_manifest(site, assets)),
            ]
        except OSError:
            raise
        except Exception as exc:
            raise ConfigError([template_problem(exc)]) from None
        for path, data in extra:
            run.digests[path] = sink.write(path, data)
        if run.cache is not None:
            run.cache.save_records()  # bodies, front matter and search state are complete
        return assets


def pages_with_derived_outputs(
    run: Run, site: Site, content: Content, specs: list[PageSpec], images: Mapping[str, Any] | None = None
) -> tuple[tuple[str, ...], int, float]:
    """Every page, rendered over the workers while this process makes the derived
    outputs (`Alongside`); a page that asks for the search data before it exists
    (the search page) is rendered once it is there. Returns the pages rendered,
    the number reused and the seconds the search data took."""
    env, templates = template_environment(run)
    partial = load_assets(pending=GENERATED, images=images)
    for path, data in sorted(partial.files.items()):
        run.digests[path] = run.sink.write(path, data)
    alongside = Alongside(run, site, content, env, templates, partial, specs)
    rendered, reused, deferred = render_pages(
        env,
        site,
        partial,
        specs,
        range(len(specs)),
        run.sink,
        run.digests,
        content.keys,
        templates,
        run.glossary,
        run.cache,
        run.fan_out,
        alongside,
    )
    if run.cache is not None:  # compiled templates found damaged (and compiled again)
        run.cache.damaged.extend(getattr(env.bytecode_cache, "damaged", ()))
    if alongside.error is not None:
        raise alongside.error
    assert alongside.assets is not None
    if deferred:
        more, more_reused, _ = render_pages(
            env,
            site,
            alongside.assets,
            specs,
            deferred,
            run.sink,
            run.digests,
            content.keys,
            templates,
            run.glossary,
            run.cache,
            serial,
            None,
        )
        rendered, reused = rendered + more, reused + more_reused
    return rendered, reused, alongside.search_seconds


def offline_and_headers(run: Run, site: Site, content: Content) -> None:
    """The attachments' digests, then what needs every output's digest: the
    service worker's precache manifest and the static host's `_headers`."""
    cache = run.cache
    for path, source in sorted(content.files.items()):
        run.digests[path] = (source.stat().st_size, cache.file_hash(source) if cache else _sha_file(source))
    for path, data in sorted(offline_files(site, run.digests).items()):
        run.digests[path] = run.sink.write(path, data)
    headers = publish_headers(run.digests)
    if headers is not None:
        run.digests["_headers"] = run.sink.write("_headers", headers)


def _sha_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(config: SiteConfig, *, cwd: Path | None = None) -> tuple[Diagnostic, ...]:
    """Validate everything, drafts included; write nothing."""
    try:
        result = build_site(config, drafts=True, cwd=cwd, resize_images=False)  # nothing is written
    except ConfigError:  # e.g. SOURCE_DATE_EPOCH: exit 2, as for build
        raise
    except CchcError as exc:
        return exc.diagnostics
    return result.diagnostics
