"""Bytes with their own checksum: what the build cache writes, and checks before
it unpickles or unmarshals anything.

A damaged compiled template (marshal) can crash the interpreter or change a
constant of a page; a damaged pickle can build any object. So every cache
file that is decoded that way is written `seal`ed (a SHA-256 of the payload
in a one-line header) and read through `unseal`, which gives None for
anything not exactly as written: the caller drops it and builds again.
"""
from __future__ import annotations

import hashlib

HEADER = b"cchc-sealed 1 "


def seal(payload: bytes) -> bytes:
    return HEADER + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of sealed `data`, or None when it is not intact."""
    if not data.startswith(HEADER):
        return None
    end = len(HEADER) + 64
    if data[end:end + 1] != b"\n":
        return None
    payload = data[end + 1:]
    if hashlib.sha256(payload).hexdigest().encode() != data[len(HEADER):end]:
        return None
    return payload
