"""Edge: build the output folder as `cchc-site build` does.

Adds to build.py what touches the disk: the persistent cache, the no-change
fast path (every input and output file is exactly as the last build left it:
stop after the `stat` calls, before importing the renderers), a temporary
folder that is swapped in only on success, and the progress line.
"""

from __future__ import annotations

import errno
import gc
import os
import pickle
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TextIO

from cchc_site.config.settings import SiteConfig
from cchc_site.core.diagnostics import CchcError, ConfigError, Diagnostic
from cchc_site.core.sealed import dump_sealed, load_sealed
from cchc_site.incremental.cache import program_digest
from cchc_site.incremental.fingerprint import digest

if TYPE_CHECKING:
    from cchc_site.build import BuildResult
    from cchc_site.incremental.cache import Cache

FAST_FILE = "fast.pickle"
BACKGROUND_DELETE = 2000  # files in the previous output above which it is deleted in the background


@dataclass(frozen=True)
class RunOptions:
    drafts: bool = False
    jobs: int = 1
    cache_dir: Path | None = None  # None: no cache
    quiet: bool = False
    progress: bool = False  # a live progress line (terminals only)
    command_line: str = ""  # the options that change output (base_url, output) for the fast path


@dataclass(frozen=True)
class RunReport:
    ok: bool
    up_to_date: bool
    pages: int
    pages_rendered: int
    pages_reused: int
    files: int
    seconds: float
    diagnostics: tuple[Diagnostic, ...]
    left_out: tuple[int, int] = (0, 0)  # drafts, entries dated in the future
    next_due: datetime | None = None  # the nearest future date left out


def inputs_fingerprint(config: SiteConfig, options: RunOptions) -> str:
    """Stat of every input (content, templates, config) and the program itself."""
    parts = [program_digest(), options.command_line, str(options.drafts), str(config.output_dir)]
    parts.append(config.path.read_bytes().hex())
    if config.logo is not None:  # an input outside content/ and templates/
        try:
            st = os.stat(config.logo)
            parts.append(f"logo:{config.logo}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
        except OSError:
            parts.append("logo:missing")
    for folder in (config.content_dir, config.templates_dir):
        if not folder.is_dir():
            parts.append(f"{folder}:none")
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                st = os.lstat(path)
                # ctime and inode too: an edit that keeps the size and sets the mtime back still moves ctime
                parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_mode}")
    return digest(*parts)


def _fast_state(options: RunOptions) -> dict[str, Any] | None:
    if options.cache_dir is None:
        return None
    try:
        state = load_sealed(options.cache_dir / FAST_FILE, pickle.loads)[1]  # unpickled only when intact
        return state if isinstance(state, dict) else None
    except Exception:
        return None


def up_to_date(config: SiteConfig, options: RunOptions, now: datetime, inputs: str) -> bool:
    """True when nothing the last build read has changed (`inputs`, the fingerprint
    taken now) and its output is intact, and no draft or future entry has come due."""
    state = _fast_state(options)
    if not state or not config.output_dir.is_dir():
        return False
    # the output holds exactly the entries dated up to "now": it stands for a "now" after the
    # latest of them and before the first one left out (a SOURCE_DATE_EPOCH moved back, or on)
    due, since = state.get("next_due"), state.get("published_since")
    if (due is not None and now.timestamp() >= due) or (since is not None and now.timestamp() < since):
        return False
    if state.get("inputs") != inputs:
        return False
    from cchc_site.edges.writer import manifest

    return manifest(config.output_dir) == state.get("outputs")


def run_build(config: SiteConfig, options: RunOptions, now: datetime, err: TextIO | None = None) -> RunReport:
    started = time.monotonic()
    err = err if err is not None else sys.stderr
    from cchc_site.edges.ownership import check_output

    check_output(
        config.output_dir,
        config_path=config.path,
        cache_dir=options.cache_dir,
        protected=(("content_dir", config.content_dir), ("templates_dir", config.templates_dir)),
    )
    from cchc_site.edges.lock import output_lock

    try:
        lock = output_lock(config.output_dir, err)
        lock.__enter__()
    except OSError as exc:
        raise disk_problem(exc, config.output_dir.parent) from None
    try:
        # taken before building: an edit saved while the build runs must not count as built
        inputs = inputs_fingerprint(config, options) if options.cache_dir is not None else ""
        if options.cache_dir is not None and up_to_date(config, options, now, inputs):
            return RunReport(True, True, 0, 0, 0, 0, time.monotonic() - started, ())
        collecting = _pause_gc()
        try:
            return _run(config, options, now, err, started, inputs)
        finally:
            if collecting:
                gc.enable()
    finally:
        lock.__exit__(None, None, None)


def _pause_gc() -> bool:
    """Turn the cyclic garbage collector off in this process for the build (it
    makes few cycles, and loading the cache and building the entries create
    millions of objects that the collector would walk again and again: ~10 %
    of a rebuild). Forked workers turn it back on (parallel.py). Returns
    whether it was on."""
    collecting = gc.isenabled()
    gc.disable()
    return collecting


def _run(config: SiteConfig, options: RunOptions, now: datetime, err: TextIO, started: float, inputs: str) -> RunReport:
    from cchc_site.build import build_site
    from cchc_site.edges.sinks import FolderSink
    from cchc_site.edges.writer import discard, manifest, new_temp, swap_in
    from cchc_site.incremental.cache import Cache

    cache = Cache(options.cache_dir, program_digest()) if options.cache_dir is not None else None
    marks = [("load cache", time.monotonic())]
    try:
        tmp = new_temp(config.output_dir)
    except OSError as exc:
        raise disk_problem(exc, config.output_dir.parent) from None
    progress = _progress_line(err, started) if options.progress and not options.quiet else None
    try:
        previous = cache is not None and cache.old.output_dir == str(config.output_dir)
        sink = FolderSink(
            tmp, config.output_dir if previous else None, cache.old.outputs if cache is not None and previous else None
        )
        result = build_site(
            config, drafts=options.drafts, now=now, jobs=options.jobs, cache=cache, sink=sink, progress=progress
        )
        if result.ok:
            for path, source in sorted(result.copies.items()):
                sink.copy(path, source)  # the same sink: one per file would take the spare's inventory each time
    except OSError as exc:
        discard(tmp)
        raise disk_problem(exc, tmp) from None
    except BaseException:
        discard(tmp)
        raise
    marks.append(("build", time.monotonic()))
    if progress:
        err.write("\r\033[K")
    if not result.ok:
        discard(tmp)
        return RunReport(False, False, 0, 0, 0, 0, time.monotonic() - started, result.diagnostics)
    # a big previous output (thousands of folders) is deleted while the user gets on with things
    try:
        swap_in(tmp, config.output_dir, background=cache is not None and len(cache.old.outputs) > BACKGROUND_DELETE)
    except OSError as exc:
        discard(tmp)
        raise disk_problem(exc, config.output_dir) from None
    marks.append(("swap", time.monotonic()))
    notes = []
    if cache is not None and options.cache_dir is not None:
        outputs = _outputs(config.output_dir, result, cache, previous) or manifest(config.output_dir)
        cache.new.outputs = outputs
        cache.new.output_dir = str(config.output_dir)
        cache.save()
        try:
            _save_fast(
                options.cache_dir,
                {
                    "inputs": inputs,
                    "outputs": outputs,
                    "next_due": result.next_due.timestamp() if result.next_due else None,
                    "published_since": result.published_since.timestamp() if result.published_since else None,
                },
            )
        except OSError as exc:  # the output is complete: a cache that cannot be written never fails the build
            notes.append(
                f"cache: could not be saved in '{options.cache_dir}' ({exc.strerror or exc}); "
                "the next build starts without it"
            )
        marks.append(("save cache", time.monotonic()))
        note = cache.damage_note()
        if note:
            notes.append(note)
    for note in notes:
        err.write(note + "\n")
    stats = result.stats
    if os.environ.get("CCHC_TIMINGS"):
        err.write("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in stats.timings) + "\n")
        err.write("runner: " + ", ".join(f"{name} {when - started:.2f} s" for name, when in marks) + "\n")
    return RunReport(
        True,
        False,
        result.page_count,
        stats.pages_rendered,
        stats.pages_reused,
        len(result.digests),
        time.monotonic() - started,
        result.diagnostics,
        result.left_out,
        result.next_due,
    )


def disk_problem(exc: OSError, where: Path) -> CchcError:
    """A disk, permission or read-only problem as a diagnostic naming the path and what to do
    (exit 2 when it is about where the build may write, 1 otherwise)."""
    path = exc.filename or where
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return CchcError(
            [
                Diagnostic(
                    str(path),
                    0,
                    0,
                    "the disk is full: free some space (or build into a "
                    "folder on another disk with --output) and build again",
                )
            ]
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ConfigError(
            [
                Diagnostic(
                    str(path),
                    0,
                    0,
                    "cannot write here (read-only or no permission): build "
                    "into a folder you can write with --output, or fix its "
                    "permissions",
                )
            ]
        )
    return CchcError([Diagnostic(str(path), 0, 0, f"cannot write: {exc.strerror or exc}")])


def _outputs(output: Path, result: "BuildResult", cache: "Cache", previous: bool) -> dict[str, tuple[int, int]]:
    """The output manifest (size, mtime of every file) without walking the output:
    a page linked from the previous output has the (size, mtime) the sink checked
    against the previous manifest; only the files written are asked for theirs.
    {} when a file is missing (then the caller walks the output)."""
    rendered = set(result.stats.rendered)
    pages = cache.new.pages
    old = cache.old.outputs if previous else {}
    outputs: dict[str, tuple[int, int]] = {}
    root = str(output)
    for path in result.digests:
        known = old.get(path) if path in pages and path not in rendered else None
        if known is None:
            try:
                st = os.stat(os.path.join(root, path))
            except OSError:
                return {}
            known = (st.st_size, st.st_mtime_ns)
        outputs[path] = known
    return outputs


def _save_fast(folder: Path, state: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{FAST_FILE}.{os.getpid()}.tmp"
    try:
        with tmp.open("wb") as f:
            dump_sealed(f, lambda out: pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, folder / FAST_FILE)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def _progress_line(err: TextIO, started: float) -> Callable[[str, int, int], None]:
    def show(stage: str, done: int, total: int) -> None:
        err.write(f"\r\033[K{stage}: {done}/{total} ({time.monotonic() - started:.1f} s)")
        err.flush()

    return show
