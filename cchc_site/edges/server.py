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
import json
import mimetypes
import os
import re
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import unquote, urlsplit

from cchc_site.core.diagnostics import CchcError, ConfigError, Diagnostic, Severity, count_line, format_all
from cchc_site.edges.hostcheck import host_allowed
from cchc_site.edges.watch import ChangeSet, Watcher, roots_for
from cchc_site.render.publish import ATTACHMENT_HEADERS, FILES_FOLDER

PREFIX = "/__cchc/"
SCRIPT_TAG = b'<script src="/__cchc/livereload.js"></script>'
OVERLAY_CSS = b"""\
.cchc-dev-overlay{position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.72);overflow:auto;
  padding:2rem 1rem;font:16px/1.5 system-ui,sans-serif}
.cchc-dev-overlay__box{max-width:60rem;margin:0 auto;background:#fff;color:#1b1b1b;border-top:.5rem solid #b00020;
  border-radius:.25rem;padding:1.25rem 1.5rem;box-shadow:0 .5rem 2rem rgba(0,0,0,.4)}
.cchc-dev-overlay__title{margin:0 0 .75rem;font-size:1.25rem;color:#b00020}
.cchc-dev-overlay__list{margin:0;padding-left:1.5rem}
.cchc-dev-overlay__item{margin:.5rem 0;word-break:break-word}
.cchc-dev-overlay__item--warning .cchc-dev-overlay__where{background:#fff3cd}
.cchc-dev-overlay__where{font:600 .95em ui-monospace,monospace;background:#fde8ea;padding:.1rem .3rem}
.cchc-dev-overlay__hint{margin:1rem 0 .5rem;color:#444}
.cchc-dev-overlay__close{min-width:48px;min-height:48px;font:inherit;padding:.5rem 1rem;cursor:pointer}
"""
# Served at /sw.js while previewing: clears caches and unregisters any worker.
DEV_SERVICE_WORKER = b"""\
// cchc-site dev server: the real service worker is not used while previewing.
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.registration.unregister(); }));
});
"""
TYPES = {
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".json": "application/json",
    ".md": "text/plain",
}


# --- what tabs see ----------------------------------------------------------------
class DevState:
    """Epoch of the last successful build and the current diagnostics; thread-safe."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._server_id = f"{os.getpid():x}{time.time_ns() & 0xFFFFFF:x}"
        self._builds = 0
        self.generation = 0  # bumps on every change of epoch or diagnostics
        self.diagnostics: tuple[Diagnostic, ...] = ()
        self.closed = False

    @property
    def epoch(self) -> str:
        return f"{self._server_id}-{self._builds}"

    def publish(self, *, new_epoch: bool, diagnostics: tuple[Diagnostic, ...]) -> None:
        with self._cond:
            if not new_epoch and diagnostics == self.diagnostics:
                return
            if new_epoch:
                self._builds += 1
            self.diagnostics = diagnostics
            self.generation += 1
            self._cond.notify_all()

    def snapshot(self) -> dict[str, object]:
        with self._cond:
            return {"epoch": self.epoch, "errors": len(self.diagnostics)}

    def errors_json(self) -> dict[str, object]:
        with self._cond:
            return {
                "epoch": self.epoch,
                "ok": not any(d.severity is Severity.ERROR for d in self.diagnostics),
                "errors": [d.as_dict() for d in sorted(self.diagnostics)],
            }

    def wait(self, generation: int, timeout: float) -> int:
        """Wait until the generation differs from `generation` (or timeout); return the current one."""
        with self._cond:
            if self.generation == generation and not self.closed:
                self._cond.wait(timeout)
            return self.generation

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


# --- building -----------------------------------------------------------------------
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
@dataclass(frozen=True)
class Resolved:
    status: int
    path: Path | None = None
    location: str | None = None  # for a redirect


_ENCODED_SEPARATOR = re.compile(r"%(2f|5c|00)", re.IGNORECASE)


def resolve_request(root: Path, target: str) -> Resolved:
    """Map a request target to a regular file inside `root`, or a refusal status.

    403 for traversal attempts (`..` segments, encoded / \\ or NUL, symlinks out of
    `root`); 404 for what does not exist; 301 for a folder without its slash.
    """
    raw = target.split("#", 1)[0]
    raw_path, _, query = raw.partition("?")
    if raw_path.startswith(("http://", "https://")):  # absolute-form request target
        raw_path = urlsplit(raw_path).path or "/"
    if not raw_path.startswith("/"):
        return Resolved(HTTPStatus.BAD_REQUEST)
    if _ENCODED_SEPARATOR.search(raw_path):
        return Resolved(HTTPStatus.FORBIDDEN)
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Resolved(HTTPStatus.BAD_REQUEST)
    if "\\" in path or "\x00" in path:
        return Resolved(HTTPStatus.FORBIDDEN)
    parts = path.split("/")
    if any(part in ("..", ".") for part in parts):
        return Resolved(HTTPStatus.FORBIDDEN)
    real_root = root.resolve()
    candidate = real_root.joinpath(*[p for p in parts if p])
    try:
        real = candidate.resolve(strict=False)
    except (OSError, RuntimeError):
        return Resolved(HTTPStatus.FORBIDDEN)
    if real != real_root and real_root not in real.parents:
        return Resolved(HTTPStatus.FORBIDDEN)
    if real.is_dir():
        if not path.endswith("/"):
            return Resolved(HTTPStatus.MOVED_PERMANENTLY, location=raw_path + "/" + (f"?{query}" if query else ""))
        index = (real / "index.html").resolve()
        if real_root not in index.parents:
            return Resolved(HTTPStatus.FORBIDDEN)
        real = index
    if not real.is_file():
        return Resolved(HTTPStatus.NOT_FOUND)
    return Resolved(HTTPStatus.OK, real)


def inject_script(html: bytes) -> bytes:
    """Insert the livereload script tag before the last </body> (or at the end)."""
    at = html.lower().rfind(b"</body>")
    if at < 0:
        return html + SCRIPT_TAG
    return html[:at] + SCRIPT_TAG + html[at:]


def content_type(path: Path) -> str:
    kind = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in (
        "application/json",
        "application/xml",
        "application/manifest+json",
        "image/svg+xml",
        "application/atom+xml",
    ):
        kind += "; charset=utf-8"
    return kind


def _is_attachment(root: Path, path: Path) -> bool:
    try:
        rel = path.relative_to(root.resolve())
    except ValueError:
        return False
    return rel.parts[:1] == (FILES_FOLDER,)


class DevHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], root: Path, state: DevState) -> None:
        self.bound = address[0]
        self.root = root
        self.state = state
        self.stopping = threading.Event()
        super().__init__(address, DevHandler)


class DevHandler(BaseHTTPRequestHandler):
    server: DevHTTPServer
    server_version = "cchc-site-dev"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 — quiet by default
        if os.environ.get("CCHC_SERVE_LOG"):
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._handle(head=False)

    def _handle(self, head: bool) -> None:
        try:
            if not host_allowed(self.headers.get("Host"), self.server.bound):
                self._send(
                    400,
                    b"400 Bad Request: unknown Host; open the preview at the address serve printed",
                    "text/plain; charset=utf-8",
                    head,
                )
                return
            if self.path.startswith(PREFIX):
                self._internal(self.path.split("?", 1)[0][len(PREFIX) :], head)
            else:
                self._static(head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass

    def _send(self, status: int, body: bytes, kind: str, head: bool, extra: Mapping[str, str] = {}) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _internal(self, name: str, head: bool) -> None:
        if name == "events":
            self._events()
        elif name == "errors":
            body = json.dumps(self.server.state.errors_json(), ensure_ascii=False).encode("utf-8")
            self._send(200, body, "application/json; charset=utf-8", head)
        elif name == "livereload.js":
            data = resources.files("cchc_site").joinpath("static", "livereload.js").read_bytes()
            self._send(200, data, "text/javascript; charset=utf-8", head)
        elif name == "overlay.css":
            self._send(200, OVERLAY_CSS, "text/css; charset=utf-8", head)
        else:
            self._send(404, b"not found", "text/plain; charset=utf-8", head)

    def _events(self) -> None:
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        generation = state.generation
        self._event(state.snapshot(), retry=True)
        while not self.server.stopping.is_set() and not state.closed:
            current = state.wait(generation, timeout=10.0)
            if current != generation:
                generation = current
                self._event(state.snapshot())
            else:
                self.wfile.write(b": ping\n\n")
                self.wfile.flush()

    def _event(self, data: dict[str, object], retry: bool = False) -> None:
        text = ("retry: 1000\n" if retry else "") + f"event: state\ndata: {json.dumps(data)}\n\n"
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()

    def _static(self, head: bool) -> None:
        resolved = resolve_request(self.server.root, self.path)
        if resolved.status == HTTPStatus.MOVED_PERMANENTLY:
            self._send(301, b"", "text/plain; charset=utf-8", head, {"Location": resolved.location or "/"})
            return
        if resolved.status != HTTPStatus.OK or resolved.path is None:
            self._error_page(resolved.status, head)
            return
        path = resolved.path
        if path == self.server.root.resolve() / "sw.js":
            self._send(200, DEV_SERVICE_WORKER, "text/javascript; charset=utf-8", head)
            return
        try:
            data = path.read_bytes()
        except OSError:  # replaced between resolve and read (a rebuild): let the tab retry
            self._error_page(HTTPStatus.NOT_FOUND, head)
            return
        kind = content_type(path)
        if _is_attachment(self.server.root, path):  # never runs script, whatever the file holds
            self._send(200, data, kind, head, dict(ATTACHMENT_HEADERS))
            return
        if kind.startswith("text/html"):
            data = inject_script(data)
        self._send(200, data, kind, head)

    def _error_page(self, status: int, head: bool) -> None:
        page = self.server.root / "404.html"
        if status == HTTPStatus.NOT_FOUND and page.is_file():
            body = page.read_bytes()
        else:
            phrase = HTTPStatus(status).phrase
            body = (
                f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{int(status)} {phrase}'
                f"</title></head><body><h1>{int(status)} {phrase}</h1></body></html>"
            ).encode("utf-8")
        self._send(status, inject_script(body), "text/html; charset=utf-8", head)


# --- the command ----------------------------------------------------------------------
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
