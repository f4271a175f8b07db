"""Edge: `cchc-site serve` — build, serve the output folder, rebuild on save, reload tabs.

Design (after MkDocs' epoch loop and Zola's error overlay):

* `SiteBuilder` owns the output folder: one full build swapped in with
  `writer.replace_output`, then on every change set `rebuild` runs the one
  swappable build call (`SiteBuilder.build`, by default `IncrementalBuild`:
  `build_site` in memory with the cache and last files kept between saves) and
  `writer.update_in_place` writes only files whose bytes
  changed. A failed build writes nothing: the last good site stays served.
* `DevState` is what tabs see: an epoch that changes only after a successful
  build that changed files, and the current diagnostics. Tabs follow it over
  Server-Sent Events (`/__cchc/events`), reload on a new epoch, and draw the
  errors from `/__cchc/errors` as an overlay (`static/livereload.js`).
* `DevHandler` serves only regular files inside the output folder (no `..`,
  no percent-encoded slashes or dots that decode to `..`, no symlink that
  resolves outside) and injects `<script src="/__cchc/livereload.js">` into
  HTML responses only; nothing is injected on disk, so `build` output never
  contains it. The site's service worker is replaced by one that unregisters
  itself, so a preview tab never shows a stale cached page.
* Every rebuild runs inside a catch-all: a bad edit, a broken template or a
  bug in a stage becomes a diagnostic on the overlay, never a dead server.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from cchc_site.core.diagnostics import CchcError, ConfigError, Diagnostic, Severity, count_line, format_all
from cchc_site.edges.devhttp import (  # noqa: F401 - the HTTP side; names re-exported for callers
    PREFIX,
    DevHTTPServer,
    DevState,
    content_type,
    inject_script,
    resolve_request,
)
from cchc_site.edges.watch import ChangeSet, Watcher, roots_for

BuildCall = Callable[..., object]


class IncrementalBuild:
    """The dev server's build: the cache and the previous build's files stay in
    memory between saves, so an edit re-renders only the pages that depend on
    what changed (an article edit: its page, the lists and province pages it
    appears on, the feeds), and every other page is taken from the last build."""

    def __init__(self) -> None:
        from cchc_site.incremental.cache import program_digest

        self.environment = program_digest()
        self.cache: Any = None  # the previous build's Cache, rolled forward on every save
        self.files: Mapping[str, bytes] = {}

    def __call__(self, config, drafts: bool, changes: ChangeSet | None):  # type: ignore[no-untyped-def]
        from cchc_site.build import MemorySink, build_site
        from cchc_site.incremental.cache import Cache

        cache = Cache(None, self.environment) if self.cache is None else self.cache.rolled()
        result = build_site(config, drafts=drafts, cache=cache, sink=MemorySink(self.files))
        if result.ok:
            self.cache, self.files = cache, result.files
        return result


@dataclass
class RebuildReport:
    ok: bool
    seconds: float
    changed: list[str] = field(default_factory=list)
    diagnostics: tuple[Diagnostic, ...] = ()


class SiteBuilder:
    """Owns the output folder while serving."""

    def __init__(
        self,
        config_path: Path,
        *,
        drafts: bool,
        state: DevState,
        config: Any = None,
        build: BuildCall | None = None,
        output: Path | None = None,
    ) -> None:
        from cchc_site.config.settings import load_config

        self.config_path = config_path
        self.config = config or load_config(config_path, output=output)
        self.output = Path(self.config.output_dir)
        self.drafts = drafts
        self.state = state
        self.build = build if build is not None else IncrementalBuild()
        self._written: set[str] = set()
        self._copy_stats: dict[str, tuple[int, int]] = {}
        self._have_full = False
        self._lock = threading.Lock()

    def rebuild(self, changes: ChangeSet | None = None) -> RebuildReport:
        """Build and write what changed; never raises (errors become diagnostics)."""
        with self._lock:
            started = time.monotonic()
            try:
                report = self._rebuild(changes)
            except Exception as exc:  # the server must survive anything
                message = f"internal error while building: {type(exc).__name__}: {exc}"
                if os.environ.get("CCHC_DEBUG"):
                    traceback.print_exc()
                report = RebuildReport(False, 0.0, [], (Diagnostic(str(self.config_path), 0, 0, message),))
            report.seconds = time.monotonic() - started
            errors = any(d.severity is Severity.ERROR for d in report.diagnostics)
            self.state.publish(new_epoch=report.ok and bool(report.changed), diagnostics=report.diagnostics)
            report.ok = report.ok and not errors
            return report

    def _rebuild(self, changes: ChangeSet | None) -> RebuildReport:
        from cchc_site.config.settings import load_config
        from cchc_site.edges.writer import replace_output, update_in_place

        if changes is not None and changes.config_changed:
            try:
                new = load_config(self.config_path, output=self.output)
            except CchcError as exc:
                return RebuildReport(False, 0.0, [], exc.diagnostics)
            if (new.content_dir, new.templates_dir) != (self.config.content_dir, self.config.templates_dir):
                print(
                    "serve: content_dir/templates_dir changed; restart `serve` to watch the new folders",
                    file=sys.stderr,
                )
            self.config = new
        try:
            result: Any = self.build(self.config, self.drafts, changes)
        except CchcError as exc:
            return RebuildReport(False, 0.0, [], exc.diagnostics)
        diagnostics = tuple(result.diagnostics)
        if not result.ok:
            return RebuildReport(False, 0.0, [], diagnostics)
        files: Mapping[str, bytes] = result.files
        copies: Mapping[str, Path] = result.copies
        paths = set(files) | set(copies)
        if not self._have_full:
            replace_output(self.output, files, copies)
            changed = sorted(paths)
            self._copy_stats = {rel: _stat_key(src) for rel, src in copies.items()}
            self._have_full = True
        else:
            to_write = dict(files)
            for rel, src in copies.items():
                key = _stat_key(src)
                if self._copy_stats.get(rel) != key:
                    to_write[rel] = src.read_bytes()
                    self._copy_stats[rel] = key
            removed = sorted(self._written - paths)
            for rel in removed:
                self._copy_stats.pop(rel, None)
            changed = update_in_place(self.output, to_write, removed)
        self._written = paths
        return RebuildReport(True, 0.0, changed, diagnostics)


def _stat_key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


# --- serving --------------------------------------------------------------------------
class DevServer:
    """Builder + watcher + HTTP server, started in threads (used by `run` and tests)."""

    def __init__(
        self,
        config_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        drafts: bool = False,
        quiet: float = 0.06,
        build: BuildCall | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        from cchc_site.config.settings import load_config

        self.config = load_config(config_path)
        self.state = DevState()
        self.builder = SiteBuilder(config_path, drafts=drafts, state=self.state, config=self.config, build=build)
        self.host, self.port = host, port
        self.quiet = quiet
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.reports: list[RebuildReport] = []
        self._threads: list[threading.Thread] = []
        self.httpd: DevHTTPServer | None = None
        self.watcher: Watcher | None = None

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}/"

    def start(self) -> DevServer:
        report = self.builder.rebuild(None)
        self._report(report, first=True)
        self.builder.output.mkdir(parents=True, exist_ok=True)
        try:
            self.httpd = DevHTTPServer((self.host, self.port), self.builder.output, self.state)
        except OSError as exc:
            raise ConfigError(
                [
                    Diagnostic(
                        "--port",
                        0,
                        0,
                        f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}; try another --port",
                    )
                ]
            ) from None
        self.port = self.httpd.server_address[1]
        self.watcher = Watcher(roots_for(self.config), quiet=self.quiet).start()
        for target in (self.httpd.serve_forever, self._build_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _build_loop(self) -> None:
        assert self.watcher is not None
        while True:
            changes = self.watcher.changes()
            if changes is None:
                return
            self._report(self.builder.rebuild(changes))

    def _report(self, report: RebuildReport, first: bool = False) -> None:
        self.reports.append(report)
        try:
            if report.diagnostics:
                self.log(format_all(report.diagnostics, "text"))
            if not report.ok:
                self.log(f"{count_line(report.diagnostics)}; shown in the browser, the last good build is served")
            elif first:
                self.log(
                    f"built {sum(1 for p in self.builder._written if p.endswith('.html'))} pages in "
                    f"{report.seconds:.2f} s"
                )
            else:
                self.log(f"rebuilt in {report.seconds * 1000:.0f} ms: {len(report.changed)} file(s) changed")
        except Exception:  # printing must not stop the loop either
            pass

    def stop(self) -> None:
        self.state.close()
        if self.watcher is not None:
            self.watcher.stop()
        if self.httpd is not None:
            self.httpd.stopping.set()
            self.httpd.shutdown()
            self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=2)

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default ./config.yaml)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 = any free port)")
    # the preview shows what an editor is working on: drafts and future-dated content, with a banner
    parser.add_argument(
        "--drafts",
        dest="drafts",
        action="store_true",
        default=True,
        help="show drafts and future-dated content (the default)",
    )
    parser.add_argument("--no-drafts", dest="drafts", action="store_false", help="show only what a build publishes")


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise ConfigError([Diagnostic("--port", 0, 0, f"port {args.port} is not between 0 and 65535")])
    if not is_loopback(args.host):
        print(
            f"warning: serving on {args.host}: anyone who can reach this machine can read the preview, "
            "drafts included. Use --host 127.0.0.1 unless you mean it.",
            file=sys.stderr,
        )
    server = DevServer(args.config, host=args.host, port=args.port, drafts=args.drafts)
    server.start()
    print(
        f"serving {server.url} (output: {server.builder.output}); watching content, templates and "
        f"{args.config}. Ctrl+C to stop.",
        file=sys.stderr,
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.stop()
    return 0
