"""The only reader of content: walk the content folder → sorted Sources.

Decoding problems (not UTF-8, UTF-16, NUL bytes) and links that leave the
site become diagnostics here; everything after works on decoded text.
"""

from __future__ import annotations

import codecs
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cchc_site.content.attachments import attachment_problem
from cchc_site.core.diagnostics import Diagnostic, shown_path
from cchc_site.core.model import FOLDERS, ContentKind, Source

if TYPE_CHECKING:
    from cchc_site.incremental.api import Cache

MAX_FILE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ContentFiles:
    sources: tuple[Source, ...]
    files: tuple[tuple[str, Path], ...]  # attachments: (path below files/, absolute path)
    diagnostics: tuple[Diagnostic, ...]
    # sources left unread (see read_content), with their stat and when it was taken
    unread: tuple[tuple[Source, os.stat_result, int], ...] = ()

    def record_unread(self, cache: "Cache") -> None:
        """Give the cache the stat and hash of every unread source that was read since."""
        for source, st, when in self.unread:
            if not source.unread:
                cache.record_source(str(source.path), st, source.sha, when)


def read_content(
    content_dir: Path, cwd: Path | None = None, cache: Cache | None = None, lazy: bool = False
) -> ContentFiles:
    """With a `cache`, a file whose stat is as the cache recorded it is not read
    (see Cache.vouch): its Source reads it only if its text is asked for.

    `lazy`: a file the cache does not vouch for is not read here either: its
    Source is `unread`, and the build's worker processes read it (content.py),
    which at 10,000 files takes half a second off the one-process part of a
    cold build. A problem reading or decoding it then surfaces as SourceChanged,
    and `Source.reloaded` gives the diagnostic."""
    cwd = (cwd or Path.cwd()).resolve()
    root = content_dir.resolve()
    sources: list[Source] = []
    files: list[tuple[str, Path]] = []
    problems: list[Diagnostic] = []
    unread: list[tuple[Source, os.stat_result, int]] = []
    if not root.is_dir():
        problems.append(Diagnostic(shown_path(root, cwd), 0, 0, "content folder not found"))
        return ContentFiles((), (), tuple(problems))
    for folder, kind in FOLDERS.items():
        for path in _walk(root / folder, root, cwd, problems):
            if path.suffix.lower() != ".md":
                continue
            shown = shown_path(path, cwd)
            source = _read_source(cache, path, shown, kind, problems, unread if lazy else None)
            if source is not None:
                sources.append(source)
    for path in _walk(root / "files", root, cwd, problems):
        rel = path.relative_to(root / "files").as_posix()
        if "\\" in rel:  # copied under its own name: the writer refuses a backslash in an output path
            problems.append(
                Diagnostic(
                    shown_path(path, cwd), 0, 0, "file name contains a backslash; rename it (web addresses use '/')"
                )
            )
            continue
        refused = attachment_problem(rel, path)
        if refused is not None:
            problems.append(Diagnostic(shown_path(path, cwd), 0, 0, refused))
            continue
        files.append((rel, path))
    return ContentFiles(tuple(sources), tuple(files), tuple(problems), tuple(unread))


def _read_source(
    cache: Cache | None,
    path: Path,
    shown: str,
    kind: ContentKind,
    problems: list[Diagnostic],
    unread: list[tuple[Source, os.stat_result, int]] | None,
) -> Source | None:
    """A Source vouched for by the cache, left unread (when `unread` collects them), or read
    now (and recorded in the cache, when there is one)."""
    key = str(path)
    when = time.time_ns()  # before the stat: a later edit is never older than the record
    try:
        st = os.stat(path)
    except OSError:
        st = None
    sha = cache.vouch(key, st) if st is not None and cache is not None else ""
    if sha:
        return Source(path, shown, kind, sha=sha, load=lambda: _reread(path, shown))
    if unread is not None and st is not None:
        source = Source(path, shown, kind, load=lambda: _reread(path, shown))
        unread.append((source, st, when))
        return source
    text = _decode(path, shown, problems)
    if text is None:
        return None
    source = Source(path, shown, kind, text)
    if st is not None and cache is not None:
        cache.record_source(key, st, source.sha, when)
    return source


def _reread(path: Path, shown: str) -> str | Diagnostic:
    """The text of a vouched-for file, read when it is needed after all."""
    problems: list[Diagnostic] = []
    text = _decode(path, shown, problems)
    return text if text is not None else problems[0]


def _walk(folder: Path, root: Path, cwd: Path, problems: list[Diagnostic]) -> list[Path]:
    """Regular files below `folder`, sorted (a folder's files, then its subfolders);
    symlinks that leave `root` are errors. `os.scandir` tells symlinks apart without a call per file."""
    found: list[Path] = []
    if not folder.is_dir():
        return found

    def visit(here: str) -> None:
        try:
            with os.scandir(here) as it:
                entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError:
            return
        folders: list[str] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                folders.append(entry.path)
            else:
                files.append(entry)
        for sub in list(folders):
            if os.path.islink(sub):
                folders.remove(sub)
                problems.append(
                    Diagnostic(
                        shown_path(Path(sub), cwd), 0, 0, "symlinked folders are not followed; copy the content instead"
                    )
                )
        for entry in files:
            path = Path(entry.path)
            if entry.is_symlink():
                target = path.resolve()
                if root not in target.parents:
                    problems.append(
                        Diagnostic(
                            shown_path(path, cwd),
                            0,
                            0,
                            "symlink points outside the content folder; refusing to read it",
                        )
                    )
                    continue
                if not target.is_file():
                    problems.append(Diagnostic(shown_path(path, cwd), 0, 0, "broken symlink"))
                    continue
            found.append(path)
        for sub in folders:
            visit(sub)

    visit(str(folder))
    return found


def _decode(path: Path, shown: str, problems: list[Diagnostic]) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Diagnostic(
                    shown, 1, 1, f"file is {size // 1024 // 1024} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB"
                )
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Diagnostic(shown, 0, 0, f"cannot read file: {exc.strerror}"))
        return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(Diagnostic(shown, 1, 1, "file is UTF-16; save it as UTF-8"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.append(
            Diagnostic(
                shown,
                line,
                col,
                "file is not valid UTF-8 (saved as Windows-1258 or another legacy encoding?); save it as UTF-8",
            )
        )
        return None
    if "\x00" in text:
        prefix = text[: text.index("\x00")]
        problems.append(
            Diagnostic(
                shown, prefix.count("\n") + 1, len(prefix) - (prefix.rfind("\n") + 1) + 1, "file contains a NUL byte"
            )
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
