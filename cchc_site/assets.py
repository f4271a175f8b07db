"""The built-in static assets (CSS, JS) with content-hashed output names."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Mapping

# name in cchc_site/static → kept in output as assets/<stem>.<hash>.<ext>
BUILTIN = ("style.css", "app.js", "search.js", "vendor/minisearch.min.js")


@dataclass(frozen=True)
class Assets:
    paths: Mapping[str, str]  # static name → output path
    files: Mapping[str, bytes]  # output path → content

    def path(self, name: str) -> str:
        return self.paths[name]

    def has(self, name: str) -> bool:
        return name in self.paths


def hashed_name(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, _, ext = name.rpartition(".")
    return f"assets/{stem}.{digest}.{ext}"


def load_assets(extra: Mapping[str, bytes] | None = None) -> Assets:
    """Hash every built-in asset that exists, plus generated ones (`extra`)."""
    root = resources.files("cchc_site") / "static"
    paths: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for name in BUILTIN:
        item = root.joinpath(*name.split("/"))
        if not item.is_file():
            continue
        data = item.read_bytes()
        out = hashed_name(name, data)
        paths[name], files[out] = out, data
        licence = root.joinpath(*(name.rsplit(".min.js", 1)[0] + ".LICENSE.txt").split("/"))
        if name.endswith(".min.js") and licence.is_file():
            files["assets/" + name.rsplit(".min.js", 1)[0] + ".LICENSE.txt"] = licence.read_bytes()
    for name, data in sorted((extra or {}).items()):
        out = hashed_name(name, data)
        paths[name], files[out] = out, data
    return Assets(paths, files)
