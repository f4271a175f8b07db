"""Edge: watch the site's sources and hand out debounced change sets.

The watchdog handler only records paths (like MkDocs' watcher, which only sets
a flag); `Debouncer.wait` returns them as one `ChangeSet` once the folder has
been quiet for `quiet` seconds (or `max_wait` after the first event, so a
process that writes forever still gets builds). A burst of saves, and the
temp-file-then-rename dance of many editors (vim, gedit, JetBrains "safe
write"), become one change set naming the real file: editor scratch files are
ignored, the destination of a move is kept.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

# Names editors write next to the real file while saving.
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".part", ".bak", ".crdownload", ".kate-swp")
_IGNORED_NAMES = {"4913", ".DS_Store", "Thumbs.db"}  # 4913: vim's "can I write here" probe

KINDS = ("content", "templates", "config")


@dataclass(frozen=True)
class ChangeSet:
    """The files changed since the last build, and which kinds of source they are."""

    paths: frozenset[Path]
    kinds: frozenset[str]  # subset of KINDS

    @property
    def config_changed(self) -> bool:
        return "config" in self.kinds

    def __bool__(self) -> bool:
        return bool(self.paths)


def is_scratch(path: Path) -> bool:
    """An editor's temporary, swap or backup file (never a source)."""
    name = path.name
    return (
        name in _IGNORED_NAMES
        or name.startswith((".#", ".goutputstream"))
        or (name.startswith("#") and name.endswith("#"))
        or name.endswith(_IGNORED_SUFFIXES)
        or (name.startswith(".") and name != ".htaccess")
    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@dataclass(frozen=True)
class Roots:
    """What the dev server watches: the content and template folders and the config file."""

    content: Path
    templates: Path
    config: Path
    ignore: tuple[Path, ...] = ()  # e.g. the output folder

    def classify(self, path: Path) -> str | None:
        """'content', 'templates', 'config', or None for a path that does not matter."""
        path = Path(path).absolute()
        if any(_inside(path, folder) for folder in self.ignore):
            return None
        if path == self.config:
            return "config"
        if is_scratch(path):
            return None
        if _inside(path, self.content) and path != self.content:
            return "content"
        if _inside(path, self.templates):
            return "templates"
        return None


class Debouncer:
    """Collects paths from any thread; `wait` returns them as one ChangeSet."""

    def __init__(self, roots: Roots, quiet: float = 0.1, max_wait: float = 1.0) -> None:
        self.roots = roots
        self.quiet = quiet
        self.max_wait = max_wait
        self._cond = threading.Condition()
        self._paths: dict[Path, str] = {}
        self._first = 0.0
        self._last = 0.0
        self._closed = False

    def add(self, *paths: str | Path) -> bool:
        """Record changed paths; returns True if any of them matters."""
        now = time.monotonic()
        added = False
        with self._cond:
            for raw in paths:
                if not raw:
                    continue
                path = Path(raw).absolute()
                kind = self.roots.classify(path)
                if kind is None:
                    continue
                if not self._paths:
                    self._first = now
                self._paths[path] = kind
                self._last = now
                added = True
            if added:
                self._cond.notify_all()
        return added

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> ChangeSet | None:
        """Block until a change set is ready (quiet period over); None on timeout or close."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                if self._closed:
                    return None
                now = time.monotonic()
                if self._paths:
                    ready_at = min(self._last + self.quiet, self._first + self.max_wait)
                    if now >= ready_at:
                        return self._take()
                    delay = ready_at - now
                else:
                    delay = None
                if deadline is not None:
                    if now >= deadline:
                        return None
                    delay = deadline - now if delay is None else min(delay, deadline - now)
                self._cond.wait(delay)

    def _take(self) -> ChangeSet:
        paths, self._paths = self._paths, {}
        return ChangeSet(frozenset(paths), frozenset(paths.values()))


class Watcher:
    """watchdog observer feeding a Debouncer. Use as a context manager."""

    def __init__(self, roots: Roots, quiet: float = 0.1, max_wait: float = 1.0) -> None:
        self.roots = roots
        self.debouncer = Debouncer(roots, quiet, max_wait)
        self._observer: Any = None

    def folders(self) -> list[tuple[Path, bool]]:
        """(folder, recursive) pairs to schedule; the config's folder non-recursively."""
        out: list[tuple[Path, bool]] = []
        for folder in (self.roots.content, self.roots.templates):
            if folder.is_dir():
                out.append((folder, True))
        parent = self.roots.config.parent
        if not any(_inside(parent, f) for f, rec in out if rec):
            out.append((parent, False))
        return out

    def start(self) -> Watcher:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        debouncer = self.debouncer

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                if event.is_directory and event.event_type == "modified":
                    return  # a child's own event says what changed
                debouncer.add(_text(event.src_path), _text(getattr(event, "dest_path", "") or ""))

        observer = Observer()
        handler = Handler()
        for folder, recursive in self.folders():
            observer.schedule(handler, str(folder), recursive=recursive)
        observer.daemon = True
        observer.start()
        self._observer = observer
        return self

    def stop(self) -> None:
        self.debouncer.close()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=2)
            self._observer = None

    def __enter__(self) -> Watcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def changes(self, timeout: float | None = None) -> ChangeSet | None:
        return self.debouncer.wait(timeout)


def _text(path: str | bytes) -> str:
    return path.decode("utf-8", "surrogateescape") if isinstance(path, bytes) else path


def roots_for(config: object, extra_ignore: Iterable[Path] = ()) -> Roots:
    """Roots of a SiteConfig: content, templates, config file; the output folder ignored."""
    return Roots(
        content=Path(config.content_dir).absolute(),  # type: ignore[attr-defined]
        templates=Path(config.templates_dir).absolute(),  # type: ignore[attr-defined]
        config=Path(config.path).absolute(),  # type: ignore[attr-defined]
        ignore=(Path(config.output_dir).absolute(), *extra_ignore),  # type: ignore[attr-defined]
    )
