"""Links between content files: a target path (a .md file or an attachment) → the output
path of its page or file, as the Markdown renderer asks for each link. Pure."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from cchc_site.core.model import Source
from cchc_site.domain.vietnamese import slugify
from cchc_site.site import urls

if TYPE_CHECKING:
    from cchc_site.content.loader import Parsed, StandIn


def guessing_resolver(sources: Sequence[Source], files: Mapping[str, Path]) -> Callable[[Path | str], str | None]:
    """`make_resolver` before any front matter is known: a content file's slug is taken
    from its file name, and every file counts as published."""
    by_path = {os.path.normpath(path): out for out, path in files.items()}
    by_source = {os.path.normpath(source.path): source for source in sources}

    def guess(target: Path | str) -> str | None:
        key = os.path.normpath(target)
        out = by_path.get(key)
        if out is None and key in by_source:
            source = by_source[key]
            out = urls.for_entry(source.kind, slugify(PurePosixPath(source.rel).stem))
        return out

    return guess


def make_resolver(
    parsed: Sequence[Parsed],
    files: Mapping[str, Path],
    content_dir: Path,
    include: Callable[[Parsed], bool],
    stand_ins: Sequence[StandIn] = (),
) -> Callable[[Path | str], str | None]:
    """Map an absolute target path (a .md file or an attachment) to its output path.

    Paths are compared normalised as strings (the content walk gives absolute
    paths below the resolved content folder): no file-system call per link."""
    by_path: dict[str, str] = {os.path.normpath(p.source.path): p.output for p in parsed if include(p)}
    by_path.update({os.path.normpath(path): out for out, path in files.items()})
    for stand_in in stand_ins:  # present, though its front matter failed (its error is reported already)
        by_path.setdefault(os.path.normpath(stand_in.source.path), stand_in.output)

    def resolve(target: Path | str) -> str | None:
        return by_path.get(os.path.normpath(target))

    return resolve
