"""Fan work out over processes (`--jobs`), with identical results to one process.

Workers are forked, so they inherit the build's state (the site, the Jinja
environment) without pickling it: the caller stores that state with
`set_state` before calling `fork_map`, and the worker function reads it with
`state()`. Only small arguments (indexes) and results cross the pipe. Where
fork is not available, everything runs in this process.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_STATE: dict[str, Any] = {}
MIN_ITEMS_PER_JOB = 24  # below this, forking costs more than it saves


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def set_state(**values: Any) -> None:
    _STATE.clear()
    _STATE.update(values)


def state() -> dict[str, Any]:
    return _STATE


def can_fork() -> bool:
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


def fork_map(fn: Callable[[T], R], items: Sequence[T], jobs: int,
             meanwhile: Callable[[], None] | None = None) -> list[R]:
    """`[fn(x) for x in items]`, over `jobs` forked processes when worth it; order kept.

    `meanwhile()` runs in this process while the workers work (before them when
    there are none): other work that does not need their results, done on what
    would otherwise be an idle core whenever a worker waits on the disk."""
    jobs = min(jobs, max(1, len(items) // MIN_ITEMS_PER_JOB))
    if jobs <= 1 or not can_fork():
        if meanwhile is not None:
            meanwhile()
        return [fn(x) for x in items]
    chunk = max(1, min(64, len(items) // (jobs * 8)))
    ctx = multiprocessing.get_context("fork")
    # Freeze the parent's objects: a worker's garbage collector would otherwise
    # walk (and so write to) every object it inherited, copying every page of
    # the parent's memory: on a 10,000-article site that made the workers 3×
    # slower and doubled their memory.
    # A build that paused the collector (runner.py) skips the collection before
    # freezing: it took 0.1-0.15 s per fork at 10,000 articles and frees little.
    if gc.isenabled():
        gc.collect()
    gc.freeze()
    try:
        with ctx.Pool(jobs) as pool:
            results = pool.map_async(fn, items, chunksize=chunk)
            if meanwhile is not None:
                meanwhile()
            return results.get()
    finally:
        gc.unfreeze()
