"""Diagnostics: one problem in the user's input, and the ways to print them."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at a place in a file. `line`/`col` are 1-based; 0 = unknown."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = Severity.ERROR

    def format_text(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}")

    def format_github(self) -> str:
        kind = "error" if self.severity is Severity.ERROR else "warning"
        return (
            f"::{kind} file={printable(_gh_property(self.path))},line={max(self.line, 1)},"
            f"col={max(self.col, 1)}::{printable(_gh_data(self.message))}"
        )

    def as_gitlab(self) -> dict[str, object]:
        """A GitLab Code Quality issue (the Code Climate subset GitLab reads)."""
        key = f"{self.path}\0{self.line}\0{self.col}\0{self.message}".encode("utf-8")
        return {
            "description": self.message,
            "check_name": "cchc-site",
            "fingerprint": hashlib.sha256(key).hexdigest(),
            "severity": "major" if self.severity is Severity.ERROR else "minor",
            "location": {"path": self.path, "lines": {"begin": max(self.line, 1)}},
        }

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["file"] = d.pop("path")
        return d


def _gh_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """A workflow command's property value (file=…): also ':' and ',' which end it."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def printable(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape (\\x1b,
    \\u2028…): a file name or a value quoted in a message can never rewrite the screen.
    Vietnamese letters and every other printable character stay as they are."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class CchcError(Exception):
    """Raised for input problems the user must fix; carries its diagnostics."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format_text() for d in self.diagnostics))


class ConfigError(CchcError):
    """A usage or config problem (exit code 2)."""


def error(path: str | Path, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic(str(path), line, col, message)


def count_line(diagnostics: Iterable[Diagnostic]) -> str:
    ds = list(diagnostics)
    errors = sum(1 for d in ds if d.severity is Severity.ERROR)
    warnings = len(ds) - errors
    parts = [f"{errors} error" + ("" if errors == 1 else "s")]
    if warnings:
        parts.append(f"{warnings} warning" + ("" if warnings == 1 else "s"))
    return ", ".join(parts)


def format_all(diagnostics: Iterable[Diagnostic], fmt: str) -> str:
    ds = sorted(diagnostics, key=lambda d: (d.path, d.line, d.col, d.message))
    if fmt == "json":
        return json.dumps([d.as_dict() for d in ds], ensure_ascii=False, indent=2)
    if fmt == "gitlab":
        return json.dumps([d.as_gitlab() for d in ds], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.format_github() for d in ds)
    return "\n".join(d.format_text() for d in ds)


def shown_path(path: Path, cwd: Path) -> str:
    """Path as printed in messages: relative to the working directory when inside it."""
    if os.sep == "/":  # the common case without Path arithmetic (thousands of files per build)
        text, prefix = str(path), str(cwd).rstrip("/") + "/"
        if text.startswith(prefix) and "/." not in text[len(prefix) - 1 :] and "//" not in text:
            return text[len(prefix) :]
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()
