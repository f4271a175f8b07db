"""Seconds per build stage, measured around the stages instead of between them."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Iterator


class Timings:
    """`with timings("read"): ...` adds the block's seconds to stage "read".
    With CCHC_TIMINGS=2 each stage's end is printed with the peak memory so far."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.seconds: dict[str, float] = {}
        self.verbose = os.environ.get("CCHC_TIMINGS") == "2"

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        since = time.monotonic()
        try:
            yield
        finally:
            self.add(stage, time.monotonic() - since)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        if self.verbose:
            import resource

            print(
                f"  {stage}: {time.monotonic() - self.started:.2f} s, peak RSS "
                f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB",
                flush=True,
            )

    def elapsed(self) -> float:
        return time.monotonic() - self.started
