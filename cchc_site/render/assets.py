"""The built-in static assets (CSS, JS) with content-hashed output names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable, Mapping

# name in cchc_site/static → kept in output as assets/<stem>.<hash>.<ext>
BUILTIN = ("style.css", "app.js", "search.js", "vendor/minisearch.min.js", "vendor/qrcode.js")


class AssetPending(Exception):
    """A page asked for a generated asset that is still being made (see `Assets.pending`)."""


@dataclass(frozen=True)
class Assets:
    paths: Mapping[str, str]  # static name → output path
    files: Mapping[str, bytes]  # output path → content
    # generated assets not made yet: the build renders pages while the search data
    # is built, and a page that asks for it is rendered again once it is there
    pending: frozenset[str] = frozenset()
    images: Mapping[str, Any] = field(default_factory=dict)  # image output path → images.ImageSet

    def path(self, name: str) -> str:
        if name in self.pending:
            raise AssetPending(name)
        return self.paths[name]

    def image(self, path: str) -> Any:
        """The resized variants of an image under files/ (render/images.py), or None."""
        return self.images.get(path)

    def has(self, name: str) -> bool:
        if name in self.pending:
            raise AssetPending(name)
        return name in self.paths


def hashed_name(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, _, ext = name.rpartition(".")
    return f"assets/{stem}.{digest}.{ext}"


def load_assets(
    extra: Mapping[str, bytes] | None = None, pending: Iterable[str] = (), images: Mapping[str, Any] | None = None
) -> Assets:
    """Hash every built-in asset that exists, plus generated ones (`extra`);
    `pending` names generated assets that are not made yet."""
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
        stem = name.removesuffix(".js").removesuffix(".min")  # vendor/x.min.js, vendor/x.js → vendor/x
        licence = root.joinpath(*(stem + ".LICENSE.txt").split("/"))
        if name.startswith("vendor/") and licence.is_file():  # a vendored library's licence beside it
            files["assets/" + stem + ".LICENSE.txt"] = licence.read_bytes()
    for name, data in sorted((extra or {}).items()):
        out = hashed_name(name, data)
        paths[name], files[out] = out, data
    return Assets(paths, files, frozenset(pending), dict(images or {}))
