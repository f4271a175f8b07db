"""An append-only file of cache records, beside the cache's main state.

The big per-entry values (rendered bodies: ~90 % of the cache at 10,000
articles) are kept out of the main pickle: each is written once, as
`marshal` bytes of plain tuples, at the end of a store file, and the state
keeps only its (offset, length, crc32). Saving a build appends the few new
records instead of rewriting everything; loading maps the file and decodes a
record when it is asked for.

Every record carries its own key and is checked against the crc32 kept in
the state: a truncated, overwritten or foreign file gives a miss (the value
is computed again), never a wrong value. When most of a file is garbage
(values no longer used), the live records are copied into a new file.

What it buys, measured (1,000-article corpus: 2,144 records, 9.9 MB):
reading every record and pickling them all cost the same (~10 ms each way),
but a one-article rebuild reads only the records it asks for and appends
one, where one pickle would load and rewrite all of them (~0.1 s and ~100 MB
written per rebuild at 10,000 articles). What it stands beside: `pickle` of
the whole table (the main state still is one). How we know it stays equal:
tests/incremental/test_records.py round-trips every record type, tests/incremental/test_incremental.py
compares cached builds with cold ones, and tests/incremental/test_cache_damage.py damages
random bytes of every cache file and compares the next build with a cold one.
"""

from __future__ import annotations

import marshal
import mmap
import os
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Iterable

# the marshal format is Python's own: a store from another version is not read
MAGIC = f"CCHC-STORE 1 py{sys.version_info[0]}.{sys.version_info[1]}\n".encode()
_HEAD = len(MAGIC)
PREFIX = "store-"
SLACK = 1 << 20  # garbage always tolerated (bytes); beyond it, a file more than half garbage is compacted
Ref = tuple[int, int, int]  # (offset, length, crc32 of the record's bytes)


class StoreReader:
    """Read access to one store file (absent or unreadable: every look-up misses)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._map: mmap.mmap | bytes = b""
        self.damaged = 0  # records whose bytes did not match their checksum
        self._view = memoryview(b"")
        self._end = 0
        if path is None:
            return
        try:
            with path.open("rb") as f:
                if os.fstat(f.fileno()).st_size > len(MAGIC):
                    self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            self._map = b""
        if self._map[: len(MAGIC)] != MAGIC:
            self._map = b""
        self._view = memoryview(self._map)  # sliced for each record: no copy
        self._end = len(self._map)

    @property
    def size(self) -> int:
        return len(self._map)

    def raw(self, ref: Any) -> memoryview | None:
        """The bytes of record `ref` when they are intact."""
        try:
            offset, length, crc = ref
            if offset < _HEAD or length <= 0 or offset + length > self._end:
                return None
            data = self._view[offset : offset + length]
        except (TypeError, ValueError):
            return None
        if zlib.crc32(data) != crc:
            self.damaged += 1
            return None
        return data

    def get(self, key: Any, ref: Any) -> Any:
        """The value stored under `key` at `ref`, or None. A value written ending
        with a `Blob` ends with a read-only view of those bytes (not copied)."""
        data = self.raw(ref)
        if data is None:
            return None
        try:
            stored_key, value, *tail = marshal.loads(data)
            if tail:
                (length,) = tail
                if not (isinstance(value, tuple) and isinstance(length, int) and 0 < length < len(data)):
                    return None
                value = (*value, data[len(data) - length :].toreadonly())
        except Exception:  # corrupt in a way crc32 did not catch
            return None
        return value if stored_key == key else None


class Blob(bytes):
    """The bytes ending a stored tuple that are kept as they are after the record's
    marshal bytes: reading the record does not copy them (a cached body's HTML
    and text, read for a few bodies of a rebuild only)."""


def encode(key: Any, value: Any) -> bytes:
    """The bytes of a record: marshal of (key, value), or, for a tuple ending with
    a Blob, marshal of (key, the rest, the blob's length) followed by the blob."""
    if isinstance(value, tuple) and value and type(value[-1]) is Blob:
        return marshal.dumps((key, value[:-1], len(value[-1]))) + value[-1]
    return marshal.dumps((key, value))


def write(
    folder: Path, reader: StoreReader, keep: Iterable[tuple[Any, Ref]], new: Iterable[tuple[Any, Any]]
) -> tuple[str, dict[Any, Ref]]:
    """Append the `new` (key, value) records to the reader's file, or, when it is
    missing or mostly garbage, copy the `keep` records and the new ones into a
    new file. Returns the file's name and the ref of every record."""
    keep = list(keep)
    encoded = [(key, encode(key, value)) for key, value in new]
    live = sum(ref[1] for _, ref in keep) + sum(len(b) for _, b in encoded)
    refs: dict[Any, Ref] = {}
    path = reader.path
    if path is not None and reader.size and path.parent == folder and reader.size < 2 * live + SLACK:
        try:
            return path.name, _append(path, encoded, refs, dict(keep))
        except OSError:
            pass
    name = f"{PREFIX}{os.getpid()}-{time.time_ns()}.bin"
    tmp = folder / f".{name}.tmp"
    chunks: list[bytes | memoryview] = [MAGIC]
    offset = len(MAGIC)
    for key, ref in keep:
        data = reader.raw(ref)
        if data is None:
            continue
        chunks.append(data)
        refs[key] = (offset, len(data), ref[2])
        offset += len(data)
    for key, blob in encoded:
        chunks.append(blob)
        refs[key] = (offset, len(blob), zlib.crc32(blob))
        offset += len(blob)
    try:
        with tmp.open("wb") as f:
            f.writelines(chunks)
        os.replace(tmp, folder / name)
    except BaseException:
        _remove(tmp)  # a full disk leaves no half-written file behind
        raise
    return name, refs


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _append(path: Path, encoded: list[tuple[Any, bytes]], refs: dict[Any, Ref], keep: dict[Any, Ref]) -> dict[Any, Ref]:
    refs.update(keep)
    if not encoded:
        return refs
    batch = b"".join(data for _, data in encoded)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        written = os.write(fd, batch)  # one write: other builds appending cannot interleave
        end = os.lseek(fd, 0, os.SEEK_CUR)
    finally:
        os.close(fd)
    if written != len(batch):
        raise OSError("short write")
    offset = end - len(batch)
    for key, data in encoded:
        refs[key] = (offset, len(data), zlib.crc32(data))
        offset += len(data)
    return refs


def remove_others(folder: Path, keep: str) -> None:
    """Delete the store files other than `keep` (after a compaction)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith(PREFIX) and name.endswith(".bin") and name != keep:
            try:
                os.unlink(folder / name)
            except OSError:
                pass


def read_side(path: Path, environment: str, damaged: list[str] | None = None) -> Any:
    """The value of a side file written by `write_side` for `environment`, or None
    (a damaged one is named in `damaged`)."""
    try:
        data = path.read_bytes()
    except OSError:  # missing: as if there were none
        return None
    try:
        head, crc, payload = data.split(b"\n", 2)
        if head != MAGIC.rstrip(b"\n") + b" " + environment.encode():
            return None  # another program's: not damage
        if int(crc, 16) != zlib.crc32(payload):
            raise ValueError("checksum")
        return marshal.loads(payload)
    except Exception:  # truncated, damaged
        if damaged is not None:
            damaged.append(path.name)
        return None


def write_side(path: Path, environment: str, value: Any) -> None:
    payload = marshal.dumps(value)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        with tmp.open("wb") as f:
            f.write(MAGIC.rstrip(b"\n") + b" " + environment.encode() + b"\n" + b"%08x\n" % zlib.crc32(payload))
            f.write(payload)
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
