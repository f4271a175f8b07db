"""Edge: one build of an output folder at a time.

Two builds of one site at once raced on the temporary folder, the spare and
the swap. A build takes an exclusive `flock` on `.<output>.lock` beside the
output for its whole run; a second one says it is waiting and waits. The
lock file stays (removing it would race with a waiting build); the kernel
releases the lock when the process ends, however it ends.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock
    fcntl = None  # type: ignore[assignment]


def lock_path(output: Path) -> Path:
    output = output.absolute()
    return output.parent / f".{output.name}.lock"


@contextmanager
def output_lock(output: Path, err: TextIO) -> Iterator[None]:
    """Hold the build lock of `output` (waiting, with one line, while another build has it)."""
    if fcntl is None:
        yield
        return
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            err.write(f"another build of {output} is running; waiting for it to finish\n")
            err.flush()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
