"""Edge: fan work out over forked processes (`--jobs`), with the results of one process.

The work's context (the site, the Jinja environment, the sources) is handed
to the workers at fork time, as an argument of the worker processes: a
forked process inherits it without pickling, and no module holds it. Only
chunk numbers go to the workers and only results come back. Where fork is
not available, or the work is too small to be worth a fork, everything runs
in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import traceback
from multiprocessing.connection import wait
from multiprocessing.pool import ExceptionWithTraceback  # type: ignore[attr-defined]
from typing import Any, Callable, Sequence, TypeVar

from cchc_site.core.work import serial

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_JOB = 24  # below this, forking costs more than it saves


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


class WorkerFailed(RuntimeError):
    """A worker process died without sending its results (killed, out of memory)."""


class Workers:
    """A fan-out over `jobs` forked processes (core.work.FanOut): `workers(fn, context,
    items, meanwhile)` is `[fn(context, x) for x in items]`, order kept, while
    `meanwhile()` runs in this process on what would be an idle core."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def __call__(
        self, fn: Callable[[C, T], R], context: C, items: Sequence[T], meanwhile: Callable[[], None] | None = None
    ) -> list[R]:
        jobs = min(self.jobs, max(1, len(items) // MIN_ITEMS_PER_JOB))
        if jobs <= 1 or not can_fork():
            return serial(fn, context, items, meanwhile)
        size = max(1, min(64, len(items) // (jobs * 8)))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        return _fork(fn, context, chunks, jobs, meanwhile)


def _work(
    fn: Callable[[Any, Any], Any], context: Any, chunks: Sequence[Sequence[Any]], tasks: Any, results: Any
) -> None:
    """A worker process: render the chunks it is given until told to stop."""
    gc.enable()  # the parent may have paused its collector for the build (runner.py); a worker makes garbage
    while True:
        number = tasks.get()
        if number is None:
            return
        try:
            results.put((number, True, [fn(context, x) for x in chunks[number]]))
        except BaseException as exc:  # sent back and raised in the parent, with the worker's traceback as cause
            try:
                results.put((number, False, ExceptionWithTraceback(exc, exc.__traceback__)))
            except Exception:  # not picklable
                results.put((number, False, RuntimeError("".join(traceback.format_exception(exc)))))


def _fork(
    fn: Callable[[C, T], R], context: C, chunks: list[Sequence[T]], jobs: int, meanwhile: Callable[[], None] | None
) -> list[R]:
    ctx = multiprocessing.get_context("fork")
    tasks, results = ctx.SimpleQueue(), ctx.SimpleQueue()
    for number in range(len(chunks)):
        tasks.put(number)
    for _ in range(jobs):
        tasks.put(None)
    # Freeze the parent's objects: a worker's garbage collector would otherwise
    # walk (and so write to) every object it inherited, copying every page of
    # the parent's memory: on a 10,000-article site that made the workers 3×
    # slower and doubled their memory. A build that paused the collector
    # (runner.py) skips the collection before freezing (0.1-0.15 s per fork at
    # 10,000 articles, for little).
    if gc.isenabled():
        gc.collect()
    gc.freeze()
    procs = []
    try:
        for _ in range(jobs):
            proc = ctx.Process(target=_work, args=(fn, context, chunks, tasks, results), daemon=True)
            proc.start()
            procs.append(proc)
        if meanwhile is not None:
            meanwhile()
        got: dict[int, list[R]] = {}
        failure: BaseException | None = None
        reader = results._reader  # type: ignore[attr-defined]
        while len(got) < len(chunks):
            if not reader.poll():
                wait([reader, *(p.sentinel for p in procs)])
                if not reader.poll():
                    if any(p.exitcode not in (None, 0) for p in procs) or all(p.exitcode is not None for p in procs):
                        raise WorkerFailed(
                            "a worker process stopped before finishing its pages "
                            f"(exit code {[p.exitcode for p in procs if p.exitcode]})"
                        )
                    continue
            number, ok, value = results.get()
            if ok:
                got[number] = value
            elif failure is None:
                failure = value
                got[number] = []
            else:
                got[number] = []
        if failure is not None:
            raise failure
        return [r for number in range(len(chunks)) for r in got[number]]
    finally:
        gc.unfreeze()
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
