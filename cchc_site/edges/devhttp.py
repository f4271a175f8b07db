"""Edge: the dev server's HTTP side — what tabs see (DevState), which file a request names
(resolve_request: no `..`, no symlinks out of the output), the live-reload script injected
into HTML responses, and the request handler (Host check, sandboxed attachments)."""

from __future__ import annotations

import json
import mimetypes
import os
import re
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote, urlsplit

from cchc_site.core.diagnostics import Diagnostic, Severity
from cchc_site.edges.hostcheck import host_allowed
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
