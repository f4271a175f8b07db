"""Edge: the sink that writes a build's output files into a folder.

`build_site` hands every output file to a sink (the in-memory one is
`cchc_site.build.MemorySink`). This one writes under a temporary folder that
writer.py swaps in, links unchanged pages from the previous output instead of
writing them again, and never writes through a link: a file that the previous
output shares (a reused page, or a spare's file) is replaced by a new inode,
so a failing build cannot change a byte of the live site.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path
from typing import Iterable, Mapping

from cchc_site.edges.writer import check_relative, recycled

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _open_own(target: str) -> int:
    """A descriptor to write `target` through, never one that reaches another link
    of the same file: a new file, or the existing one only when it is its only link."""
    try:
        return os.open(target, _CREATE, 0o666)
    except FileExistsError:
        pass
    st = os.lstat(target)
    if st.st_nlink > 1 or not stat.S_ISREG(st.st_mode):
        os.unlink(target)
        return os.open(target, _CREATE, 0o666)
    return os.open(target, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))


class FolderSink:
    """Output files written under `root` (a temporary folder); unchanged pages
    are hard-linked from the previous output instead of written again. When
    `root` is a recycled spare output (writer.Recycled), its folders are used as
    they are, and a page it already holds as a link to the previous output's
    file costs nothing."""

    parallel_safe = True

    def __init__(
        self, root: Path, previous: Path | None = None, manifest: Mapping[str, tuple[int, int]] | None = None
    ) -> None:
        self.root = str(root)
        self._check = check_relative
        self._made: set[str] = {self.root}
        self.previous = str(previous) if previous is not None else None
        self.manifest = manifest or {}  # what the last build wrote there: path → (size, mtime_ns)
        self.recycled = recycled(root)
        if self.recycled is not None:
            self._made.update(os.path.join(self.root, d) for d in self.recycled.dirs)

    def _target(self, path: str, overwrite: bool = True) -> str:
        target = os.path.join(self.root, self._check(path))  # never outside the folder
        if self.recycled is not None:
            self.recycled.make_room(self.root, path, overwrite)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return target

    def claim(self, paths: Iterable[str]) -> None:
        """Pages written by forked workers: keep them when the spare is pruned."""
        if self.recycled is not None:
            self.recycled.kept.update(paths)

    def write(self, path: str, data: bytes) -> tuple[int, str]:
        fd = _open_own(self._target(path))
        with open(fd, "wb", closefd=True) as f:
            f.write(data)
        self.claim((path,))
        return len(data), hashlib.sha256(data).hexdigest()

    def reuse(self, path: str, size: int, sha: str) -> bool:
        """Link the previous build's file when it is still exactly as that build wrote it."""
        known = self.manifest.get(path)
        if self.previous is None or known is None or known[0] != size:
            return False
        source = os.path.join(self.previous, path)
        try:
            st = os.lstat(source)  # a symlink planted in the output is never carried over
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != known or not stat.S_ISREG(st.st_mode):
            return False
        if self.recycled is not None and self.recycled.files.get(path) == st.st_ino:
            self.claim((path,))  # the spare holds this very file already (same inode, same device)
            return True
        target = self._target(path, overwrite=False)
        try:
            os.link(source, target)
        except OSError:
            try:
                with open(source, "rb") as src, open(_open_own(target), "wb", closefd=True) as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            except OSError:
                return False
        self.claim((path,))
        return True

    def copy(self, path: str, source: Path) -> None:
        with open(source, "rb") as src, open(_open_own(self._target(path)), "wb", closefd=True) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        self.claim((path,))
