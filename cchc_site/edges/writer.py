"""Edge: write a build into a temporary folder, then swap it in atomically.

The previous output stays as it was until the new one is complete; on Linux
the swap is a single renameat2(RENAME_EXCHANGE), elsewhere two renames.
Leftovers of a killed build are removed by the next one.

A big site's output swapped out is kept beside it as `.<output>.spare`, and the
next build starts from it instead of an empty folder (`Recycled`): its ten
thousand folders are already there (creating a folder or a file, an inode, is
the costly part of writing a page), a page it holds as a hard link to the
current output's file costs one `lstat`, and a page to write over a file that
is its only link is written in place. What the build does not write again is
removed before the swap (`Recycled.prune`). Once there is a spare, every build
(with or without the cache) keeps the output it replaces as the next one.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping

from cchc_site.edges.ownership import MARKER_NAME, is_ours, mark

AT_FDCWD = -100
RENAME_EXCHANGE = 2


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def safe_relative(path: str) -> PurePosixPath:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in path or not pure.parts or path.startswith("~"):
        raise UnsafePath(f"refusing to write outside the output folder: {path!r}")
    return pure


def check_relative(path: str) -> str:
    """`path` if it is a plain relative '/'-separated path inside the folder; else UnsafePath.
    (String checks only: this runs for every output file.)"""
    if (
        not path
        or path[0] in "/~"
        or "\x00" in path
        or "\\" in path
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise UnsafePath(f"refusing to write outside the output folder: {path!r}")
    return path


def _temp_names(output: Path) -> tuple[str, str]:
    return f".{output.name}.tmp-", f".{output.name}.old-"


def spare_of(output: Path) -> Path:
    """Where a big site's previous output is kept for the next build to start from."""
    return output.parent / f".{output.name}.spare"


@dataclass
class Recycled:
    """A spare output taken as a build's temporary folder: what it held when taken
    (`files`: path → inode, `dirs`), and what this build put there (`kept`).

    Its files may be hard links shared with the current output, so a sink never
    writes into one in place unless it is the file's only link (`make_room`)."""

    spare: Path
    files: dict[str, int]
    dirs: set[str]
    kept: set[str] = field(default_factory=set)

    def make_room(self, root: str, path: str, overwrite: bool = True) -> None:
        """Before `path` is written (`overwrite`: in place, when the spare's file is its
        only link) or linked: clear what the spare has in its way."""
        parent = path.rpartition("/")[0]
        if parent and parent not in self.dirs:  # a file where a folder is now needed
            parts = parent.split("/")
            for i in range(1, len(parts) + 1):
                if "/".join(parts[:i]) in self.files:
                    _unlink(os.path.join(root, *parts[:i]))
        if path in self.dirs:  # a folder where the file goes
            shutil.rmtree(os.path.join(root, path), ignore_errors=True)
        elif path in self.files:
            target = os.path.join(root, path)
            try:
                st = os.lstat(target)
            except FileNotFoundError:
                return
            if not overwrite or st.st_nlink > 1 or not stat.S_ISREG(st.st_mode):
                os.unlink(target)

    def prune(self, root: Path) -> None:
        """Remove every file this build did not write, and the folders left empty."""
        for path in self.files.keys() - self.kept:
            _unlink(os.path.join(root, path))
        needed = set()
        for path in self.kept:
            parent = path.rpartition("/")[0]
            while parent and parent not in needed:
                needed.add(parent)
                parent = parent.rpartition("/")[0]
        for path in sorted(self.dirs - needed, key=lambda d: -d.count("/")):
            try:
                os.rmdir(os.path.join(root, path))
            except OSError:
                pass  # not empty: a folder this build wrote into


class TempFolder(type(Path())):  # type: ignore[misc]
    """The temporary folder a build writes into (a Path), carrying what `new_temp`
    knows of it: `recycled`, the spare's state when it was the spare output. The
    state travels with the folder from `new_temp` to the sink and to `swap_in` or
    `discard`, instead of through a module-level table."""

    recycled: Recycled | None = None


def recycled(root: Path | str) -> Recycled | None:
    """The spare state of a temporary folder made by `new_temp`, if it was one."""
    return getattr(root, "recycled", None)


def _take_recycled(tmp: Path | str) -> Recycled | None:
    state = recycled(tmp)
    if isinstance(tmp, TempFolder):
        tmp.recycled = None  # handed over once: to swap_in or discard
    return state


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError):
        pass


def _inventory(root: Path) -> tuple[dict[str, int], set[str]]:
    """Files (path → inode) and folders below `root`; anything else (a symlink
    planted in the served output) is removed, so nothing is written through it."""
    files: dict[str, int] = {}
    dirs: set[str] = set()
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(os.path.join(root, rel) if rel else root) as entries:
            for entry in entries:
                path = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    dirs.add(path)
                    stack.append(path)
                elif entry.is_file(follow_symlinks=False):
                    files[path] = entry.inode()
                else:
                    os.unlink(entry.path)
    return files, dirs


def clean_leftovers(output: Path) -> None:
    """Remove temporary folders left by a build that was killed."""
    parent = output.parent
    if not parent.is_dir():
        return
    tmp, old = _temp_names(output)
    for item in parent.iterdir():
        if item.name.startswith((tmp, old)) and item.is_dir() and not item.is_symlink():
            if item.name.startswith(old) and not output.exists():
                item.rename(output)  # killed between the two renames: restore the previous output
                continue
            if is_ours(item):  # a folder that only looks like a leftover is never deleted
                shutil.rmtree(item, ignore_errors=True)


def write_tree(root: Path, files: Mapping[str, bytes], copies: Mapping[str, Path]) -> None:
    root_resolved = root.resolve()
    made: set[Path] = set()
    for rel, data in sorted(files.items()):
        _write(root, root_resolved, rel, made).write_bytes(data)
    for rel, source in sorted(copies.items()):
        shutil.copyfile(source, _write(root, root_resolved, rel, made), follow_symlinks=True)


def _write(root: Path, root_resolved: Path, rel: str, made: set[Path]) -> Path:
    target = root / safe_relative(rel)
    parent = target.parent
    if parent not in made:
        parent.mkdir(parents=True, exist_ok=True)
        made.add(parent)
    if root_resolved not in target.resolve().parents:
        raise UnsafePath(f"refusing to write outside the output folder: {rel!r}")
    return target


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def new_temp(output: Path, *, recycle: bool = True) -> TempFolder:
    """A temporary folder beside `output` (after removing a killed build's leftovers):
    the spare output when there is one and `recycle` (only for a sink that knows
    about it: FolderSink), else a fresh empty one."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(output)
    tmp = output.parent / (_temp_names(output)[0] + f"{os.getpid()}-{uuid.uuid4().hex[:8]}")
    spare = spare_of(output)
    if recycle and os.path.lexists(spare) and is_ours(spare):
        try:
            os.rename(spare, tmp)  # atomic: of two builds started together, one gets it
        except OSError:
            pass
        else:
            try:
                if not stat.S_ISDIR(os.lstat(tmp).st_mode):
                    raise NotADirectoryError(str(tmp))
                files, dirs = _inventory(tmp)
            except OSError:
                discard(tmp)
            else:
                folder = TempFolder(tmp)
                folder.recycled = Recycled(spare, files, dirs)
                return folder
    tmp.mkdir()
    mark(tmp)  # from its first moment, so a killed build's leftover is recognised as ours
    return TempFolder(tmp)


def discard(tmp: Path) -> None:
    """Remove a temporary folder (a failed build's); a recycled one goes back to being the spare."""
    state = _take_recycled(tmp)
    if state is not None and not os.path.lexists(state.spare):
        try:
            os.rename(tmp, state.spare)
            return
        except OSError:
            pass
    if os.path.islink(tmp):
        os.unlink(tmp)
        return
    shutil.rmtree(tmp, ignore_errors=True)


def _keep_as_spare(previous: Path, output: Path) -> bool:
    try:
        if os.path.lexists(spare_of(output)):
            return False
        os.rename(previous, spare_of(output))
        return True
    except OSError:
        return False


def discard_in_background(folder: Path) -> None:
    """Delete a large previous output without making the user wait for it.

    A detached process removes it; if that is interrupted, the folder keeps
    its temporary name and the next build's `clean_leftovers` finishes the job."""
    import subprocess
    import sys

    try:
        subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        discard(folder)


def swap_in(tmp: Path, output: Path, *, background: bool = False) -> None:
    """Make the complete build in `tmp` the output, atomically where the OS allows.
    With `background` (a big site), or when `tmp` was itself the spare, the previous
    output is kept as the spare the next build starts from (or, if there already is
    one, deleted: by a detached process with `background`)."""
    output = output.absolute()
    state = _take_recycled(tmp)
    if output.is_symlink():
        discard(tmp)
        raise UnsafePath(f"output folder {output} is a symlink; refusing to replace it")
    if state is not None:
        state.prune(tmp)
    mark(tmp)
    keep = background or state is not None
    if output.exists():
        if _exchange(tmp, output):
            # tmp now holds the previous output
            if not (keep and _keep_as_spare(tmp, output)):
                (discard_in_background if background else discard)(tmp)
            return
        old = output.parent / (_temp_names(output)[1] + tmp.name.rsplit("-", 2)[-2] + "-" + uuid.uuid4().hex[:8])
        output.rename(old)
        tmp.rename(output)
        if not (keep and _keep_as_spare(old, output)):
            discard(old)
    else:
        tmp.rename(output)


def replace_output(output: Path, files: Mapping[str, bytes], copies: Mapping[str, Path]) -> None:
    """Write the whole site beside `output`, then swap it in (only over a folder
    that is ours: ownership.refusal)."""
    from cchc_site.core.diagnostics import ConfigError, Diagnostic
    from cchc_site.edges.ownership import refusal

    problem = refusal(output)
    if problem is not None:
        raise ConfigError([Diagnostic(str(output), 0, 0, problem)])
    tmp = new_temp(output, recycle=False)  # write_tree writes files in place
    try:
        write_tree(tmp, files, copies)
    except BaseException:
        discard(tmp)
        raise
    swap_in(tmp, output)


def manifest(output: Path) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file of a built output (what the next build may reuse)."""
    result: dict[str, tuple[int, int]] = {}
    root = str(output)
    for dirpath, _, filenames in os.walk(output):
        rel = os.path.relpath(dirpath, root)
        for name in filenames:
            if rel == "." and name == MARKER_NAME:
                continue  # not an output of the site: written by every build as it is
            st = os.stat(os.path.join(dirpath, name))
            result[name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")] = (st.st_size, st.st_mtime_ns)
    return result


def update_in_place(output: Path, files: Mapping[str, bytes], removed: Iterable[str] = ()) -> list[str]:
    """Dev server: write only files whose bytes changed; return their paths."""
    changed = []
    root_resolved = output.resolve()
    made: set[Path] = set()
    for rel, data in sorted(files.items()):
        target = _write(output, root_resolved, rel, made)
        try:
            if target.read_bytes() == data:
                continue
        except FileNotFoundError:
            pass
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        changed.append(rel)
    for rel in removed:
        target = output / safe_relative(rel)
        if target.is_file() and root_resolved in target.resolve().parents:
            target.unlink()
            changed.append(rel)
    return changed
