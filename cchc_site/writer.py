"""Edge: write a build into a temporary folder, then swap it in atomically.

The previous output stays as it was until the new one is complete; on Linux
the swap is a single renameat2(RENAME_EXCHANGE), elsewhere two renames.
Leftovers of a killed build are removed by the next one.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import uuid
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping

AT_FDCWD = -100
RENAME_EXCHANGE = 2


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def safe_relative(path: str) -> PurePosixPath:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in path or not pure.parts or path.startswith("~"):
        raise UnsafePath(f"refusing to write outside the output folder: {path!r}")
    return pure


def _temp_names(output: Path) -> tuple[str, str]:
    return f".{output.name}.tmp-", f".{output.name}.old-"


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


def replace_output(output: Path, files: Mapping[str, bytes], copies: Mapping[str, Path]) -> None:
    """Write the whole site beside `output`, then swap it in."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(output)
    tmp_prefix, old_prefix = _temp_names(output)
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = output.parent / (tmp_prefix + token)
    tmp.mkdir()
    try:
        write_tree(tmp, files, copies)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if output.is_symlink():
        raise UnsafePath(f"output folder {output} is a symlink; refusing to replace it")
    if output.exists():
        if _exchange(tmp, output):
            shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous output
            return
        old = output.parent / (old_prefix + token)
        output.rename(old)
        tmp.rename(output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(output)


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
