"""Bytes with their own checksum: what the build cache writes, and checks before
it unpickles or unmarshals anything.

A damaged compiled template (marshal) can crash the interpreter or change a
constant of a page; a damaged pickle can build any object. So every cache
file that is decoded that way is written `seal`ed (the payload's length and
CRC-32 in a one-line header) and read through `unseal`, which gives None for
anything not exactly as written: the caller drops it and builds again.

CRC-32 rather than a cryptographic hash: the threat is damage (a flipped
bit, a torn write, a truncated file), which CRC-32 catches (every burst up
to 32 bits, anything else but for one chance in 4 billion), at 2 ms for the
7 MB state of a 10,000-article site where SHA-256 took 8 ms on each load and
save. Someone who can write the cache can write any program into it anyway.
"""

from __future__ import annotations

import mmap
import zlib
from pathlib import Path
from typing import Any, Callable

HEADER = b"cchc-sealed 2 "


def header(payload: bytes) -> bytes:
    """The line written before `payload` (write both, without joining them: no copy)."""
    return HEADER + b"%d %08x\n" % (len(payload), zlib.crc32(payload))


class _Summing:
    """A file wrapper that counts and checksums what goes through it."""

    def __init__(self, f: Any) -> None:
        self.f, self.length, self.crc = f, 0, 0

    def write(self, data: Any) -> int:
        self.length += len(data)
        self.crc = zlib.crc32(data, self.crc)
        return int(self.f.write(data))


def dump_sealed(f: Any, dump: Callable[[Any], None]) -> None:
    """Write a sealed file whose payload `dump(file)` streams (pickle.dump): no copy of
    the payload in memory; the fixed-width header is written first and filled in last."""
    start = f.tell()
    f.write(HEADER + b"%020d %08x\n" % (0, 0))
    summing = _Summing(f)
    dump(summing)
    end = f.tell()
    f.seek(start)
    f.write(HEADER + b"%020d %08x\n" % (summing.length, summing.crc))
    f.seek(end)


def seal(payload: bytes) -> bytes:
    return header(payload) + payload


def unseal(data: bytes) -> memoryview | None:
    """The payload of sealed `data` (a view, not a copy), or None when it is not intact."""
    if data[: len(HEADER)] != HEADER:
        return None
    end = data.find(b"\n", len(HEADER), len(HEADER) + 40)
    if end < 0:
        return None
    try:
        length_text, crc_text = data[len(HEADER) : end].split(b" ")
        length, crc = int(length_text), int(crc_text, 16)
    except ValueError:
        return None
    payload = memoryview(data)[end + 1 :]
    if len(payload) != length or zlib.crc32(payload) != crc:
        return None
    return payload


def load_sealed(path: Path, decode: Callable[[memoryview], Any]) -> tuple[bool, Any]:
    """(found, value): `decode` of the payload of the sealed file at `path`, read through
    a memory map (no copy of a big state on the heap); found is False when the file is
    missing, value None when it is damaged."""
    try:
        f = path.open("rb")
    except OSError:
        return False, None
    with f:
        if f.read(len(HEADER) - 2) != HEADER[:-2]:  # not a sealed file at all (an older format): not damage
            return False, None
        f.seek(0)
        try:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # empty or unmappable: read it
            data: Any = f.read()
            payload = unseal(data)
            return True, (None if payload is None else decode(payload))
        try:
            view = unseal(mapped)  # type: ignore[arg-type]
            try:
                return True, (None if view is None else decode(view))
            finally:
                if view is not None:
                    view.release()
        finally:
            mapped.close()
