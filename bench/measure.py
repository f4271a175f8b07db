"""Run one command and report its wall time and memory as JSON on stdout.

Usage: python bench/measure.py [--log FILE] [--timeout S] -- CMD ARGS...

Run as a fresh process per measurement so that RUSAGE_CHILDREN covers exactly
one build. Reports:

- wall_s: elapsed time from spawn to exit (time.perf_counter);
- cpu_s: user + system CPU time of the whole waited-for process tree;
- maxrss_mb: ru_maxrss of RUSAGE_CHILDREN, i.e. the peak RSS of the largest
  single process in the tree (the kernel keeps a maximum, not a sum);
- tree_rss_mb: peak of the summed RSS of the command and all its descendants,
  sampled from /proc every 50 ms (what a multi-process build really holds at
  once; short spikes between samples can be missed, so it is never reported
  below maxrss_mb);
- rc: the command's exit code (124 when it was killed after --timeout seconds).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Summed RSS in bytes of root and all its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the comm field may hold spaces or parentheses: split after the last ')'
        fields = stat[stat.rindex(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def main(argv: list[str]) -> int:
    log: Path | None = None
    timeout = float("inf")
    while argv[:1] in (["--log"], ["--timeout"]):
        if argv[0] == "--log":
            log = Path(argv[1])
        else:
            timeout = float(argv[1])
        argv = argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    sink = open(log, "wb") if log else subprocess.DEVNULL
    peak = 0
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(
            argv, stdout=sink, stderr=subprocess.STDOUT if log else subprocess.DEVNULL, start_new_session=True
        )
    except OSError as exc:
        print(json.dumps({"rc": 127, "error": str(exc)}))
        return 0
    while True:
        try:
            rc = proc.wait(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            peak = max(peak, tree_rss(proc.pid))
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)  # the build's own process group only
                proc.wait()
                rc = 124
                break
    wall = time.perf_counter() - start
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    if log:
        sink.close()  # type: ignore[union-attr]
    print(
        json.dumps(
            {
                "rc": rc,
                "wall_s": round(wall, 4),
                "cpu_s": round(ru.ru_utime + ru.ru_stime, 4),
                "maxrss_mb": round(ru.ru_maxrss / 1024, 1),
                # sampling can miss the peak of a short run: never report less than the largest process
                "tree_rss_mb": round(max(peak / 2**20, ru.ru_maxrss / 1024), 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
