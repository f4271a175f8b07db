"""Offline over HTTP: the service worker `sw.js` and its precache manifest.

`build.py` calls :func:`service_worker_files` with the size and hash of every
output file written so far (hashed assets and attachments included). It returns two files:

- ``assets/precache.<hash>.js`` — the manifest, a classic script setting
  ``self.CCHC_PRECACHE = {version, bytes, budget, overBudget, offline, files}``
  where ``files`` lists ``[url, size, sha256[:12], shell]`` for every file of
  the build (URLs relative to the site root, percent-encoded);
- ``sw.js`` at the site root (never hashed, so its URL is stable and its scope
  covers the whole site), ``static/sw.template.js`` with the manifest's URL
  filled in. Any change to the build changes the manifest's name and so the
  bytes of ``sw.js``: that is how browsers notice a new deployment.

``version`` is the SHA-256 of every output path and its bytes (attachments
included), so identical input gives identical bytes. The worker names its
cache after the scope and the version, precaches into a new cache at
install, verifies each file against its hash (a file of another build is never
stored), and at activation deletes every other cache of its scope: a device
always holds exactly one whole build.

Size budget (SPEC §8): when the build is larger than ``offline_budget_mb``, an
ordinary visitor's worker precaches only the shell (:data:`SHELL_PAGES`, every
file under ``assets/`` but the image variants, and the offline page) and caches other files of the
build as they are visited; a device in kiosk mode (the page tells its worker)
precaches everything.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote

from cchc_site.site import urls

SW_PATH = "sw.js"
OFFLINE_PAGE = "offline.html"
MANIFEST_NAME = "precache.js"  # → assets/precache.<hash>.js
# Pages an ordinary visitor always gets, whatever the size of the site.
SHELL_PAGES = (
    urls.HOME,
    urls.PROVINCES,
    urls.SERVICES,
    urls.service_level(3),
    urls.service_level(4),
    urls.SEARCH,
    urls.NOT_FOUND,
    OFFLINE_PAGE,
    "manifest.webmanifest",
)
PLACEHOLDER = '"__CCHC_PRECACHE_URL__"'


def is_shell(path: str) -> bool:
    """Image variants (assets/img/) are not shell: a phone fetches the one width it shows."""
    return path in SHELL_PAGES or (path.startswith("assets/") and not path.startswith("assets/img/"))


def manifest(site: Any, digests: Mapping[str, Any], copies: Mapping[str, Path] | None = None) -> dict[str, Any]:
    """The precache manifest of a build (deterministic).

    `digests` maps every output path to (size, sha256 hex) — or to its bytes;
    `copies` (attachments: path → source) are hashed here when not in `digests`."""
    build = hashlib.sha256()
    entries: list[list[Any]] = []
    total = 0
    items: dict[str, tuple[int, str]] = {}
    for path, value in digests.items():
        if path == SW_PATH:
            continue
        if isinstance(value, (bytes, bytearray)):
            value = (len(value), hashlib.sha256(value).hexdigest())
        items[path] = value
    for path, src in (copies or {}).items():
        if path not in items:
            data = Path(src).read_bytes()
            items[path] = (len(data), hashlib.sha256(data).hexdigest())
    for path, (size, digest) in sorted(items.items()):
        build.update(path.encode("utf-8") + b"\0" + digest.encode("ascii") + b"\n")
        entries.append([quote(path, safe="/-._~"), size, digest[:12], int(is_shell(path))])
        total += size
    budget = int(float(getattr(site.config, "offline_budget_mb", 10.0)) * 1_000_000)
    return {
        "version": build.hexdigest()[:16],
        "bytes": total,
        "budget": budget,
        "overBudget": total > budget,
        "offline": OFFLINE_PAGE,
        "files": entries,
    }


def service_worker_files(
    site: Any, digests: Mapping[str, Any], copies: Mapping[str, Path] | None = None
) -> dict[str, bytes]:
    data = manifest(site, digests, copies)
    script = (
        "/* cchc-site precache manifest (generated) */\nself.CCHC_PRECACHE = "
        + json.dumps(data, separators=(",", ":"), ensure_ascii=True)
        + ";\n"
    ).encode("ascii")
    from cchc_site.render.assets import hashed_name

    manifest_path = hashed_name(MANIFEST_NAME, script)
    template = (resources.files("cchc_site") / "static" / "sw.template.js").read_text(encoding="utf-8")
    if PLACEHOLDER not in template:
        raise RuntimeError("sw.template.js lost its manifest placeholder")
    worker = template.replace(PLACEHOLDER, json.dumps(manifest_path))
    return {manifest_path: script, SW_PATH: worker.encode("utf-8")}
