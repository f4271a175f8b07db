"""Edge: which folders a build may replace.

A build replaces its output folder whole, so it must never take a folder
that holds someone's work. It may replace only a folder that is absent,
empty, or marked as an earlier build's output: every output, and every
temporary folder a build makes beside it, holds the file `MARKER_NAME` whose
first line is `MARKER_MAGIC`. A folder does not get that file with that line
by accident; anything else is refused before a byte is written.

The same test decides which leftovers beside the output (temporary folders
of a killed build, the spare output) may be deleted or reused.
"""

from __future__ import annotations

import os
from pathlib import Path

from cchc_site.core.diagnostics import ConfigError, Diagnostic

MARKER_NAME = ".cchc-site-output"
MARKER_MAGIC = "cchc-site output folder, format 1"
MARKER_TEXT = (
    f"{MARKER_MAGIC}\n"
    "This folder is written by `cchc-site build` and replaced whole by the next build.\n"
    "Do not keep files of your own in it.\n"
).encode()


def mark(folder: Path | str) -> None:
    """Record in `folder` that a build made it (written last, so a folder is marked
    only once it is one of ours: a crash before leaves an empty or unmarked one)."""
    path = os.path.join(folder, MARKER_NAME)
    try:
        with open(path, "rb") as f:
            if f.read(len(MARKER_TEXT) + 1) == MARKER_TEXT:
                return
    except OSError:
        pass
    with open(path, "wb") as f:
        f.write(MARKER_TEXT)


def is_marked(folder: Path | str) -> bool:
    try:
        with open(os.path.join(folder, MARKER_NAME), "rb") as f:
            return f.readline().rstrip(b"\r\n") == MARKER_MAGIC.encode()
    except OSError:
        return False


def is_ours(folder: Path | str) -> bool:
    """An empty folder or one an earlier build marked (a symlink never is)."""
    if os.path.islink(folder) or not os.path.isdir(folder):
        return False
    try:
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                return True
    except OSError:
        return False
    return is_marked(folder)


def refusal(output: Path, *, cache_dir: Path | None = None, protected: tuple[tuple[str, Path], ...] = ()) -> str | None:
    """Why `output` may not be replaced, or None. `protected`: (name, folder) pairs
    that the output may neither be nor lie inside (content, templates)."""
    output = output.absolute()
    if ".git" in output.parts:
        return f"output folder '{output}' is inside a git folder; refusing to replace it"
    named = list(protected)
    if cache_dir is not None:
        named.append(("the cache folder", cache_dir.absolute()))
    for name, folder in named:
        folder = folder.absolute()
        if output == folder or folder in output.parents:
            return f"output folder '{output}' is inside {name} ('{folder}'); refusing to replace it"
        if output in folder.parents:
            return f"output folder '{output}' contains {name} ('{folder}'); refusing to replace it"
    for parent in output.parents:
        if os.path.lexists(parent) and not parent.is_dir():
            return f"output folder '{output}' is under '{parent}', which is a file, not a folder"
    if os.path.islink(output):
        return f"output folder '{output}' is a symlink; refusing to replace it: use a real folder"
    if not os.path.lexists(output):
        return None
    if not output.is_dir():
        return f"output folder '{output}' is a file, not a folder; refusing to replace it"
    if not is_ours(output):
        return (
            f"output folder '{output}' is not empty and was not made by cchc-site build "
            f"(it has no {MARKER_NAME} file); refusing to replace it: choose another folder, "
            "or empty this one yourself if nothing in it is needed"
        )
    return None


def check_output(
    output: Path, *, config_path: Path, cache_dir: Path | None = None, protected: tuple[tuple[str, Path], ...] = ()
) -> None:
    """ConfigError (exit 2) naming the folder and why, when the build may not replace it."""
    problem = refusal(output, cache_dir=cache_dir, protected=protected)
    if problem is not None:
        raise ConfigError([Diagnostic(str(config_path), 0, 0, problem)])
