"""The resized variants of the site's images (render/images.py), written or reused."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

from cchc_site.build.pages import take_previous
from cchc_site.core.diagnostics import Diagnostic, Severity
from cchc_site.core.model import ImageInfo
from cchc_site.core.work import FanOut, serial
from cchc_site.incremental.cache import Cache
from cchc_site.incremental.fingerprint import digest
from cchc_site.render.images import ImageSet, Variant, image_set, render_variant, settings_key


def _resize(files: Mapping[str, Path], task: tuple[str, Variant]) -> bytes | str:
    """Worker: one variant's bytes, or why Pillow could not make it."""
    source, variant = task
    try:
        return render_variant(files[source], variant)
    except Exception as exc:  # Pillow read the header but not the pixels (a truncated file, ...)
        return f"could not resize the image ({exc}); it is used as it is"


def write_image_variants(
    infos: Mapping[str, ImageInfo],
    files: Mapping[str, Path],
    sink: Any,
    digests: dict[str, tuple[int, str]],
    cache: Cache | None,
    fan_out: FanOut = serial,
    shown: Callable[[Path], str] = str,
    resize: bool = True,
) -> tuple[dict[str, ImageSet], tuple[Diagnostic, ...]]:
    """Every image under files/ → its variants; lead images and images in bodies use them.
    A variant made from the same source bytes with the same settings is linked from the
    previous output (cache table "images"); the others are resized by `fan_out` (a 12
    megapixel photo takes about 0.8 s for its six variants). Every image, not only those
    pages show: finding those would mean reading every cached body. Without `resize`
    (`check`: nothing is written), only the plan: the pages' <picture>s."""
    settings = settings_key()
    sets = {path: image_set(path, info) for path, info in sorted(infos.items())}
    if not resize:
        return sets, ()
    keys: dict[str, str] = {}
    todo: list[tuple[str, Variant]] = []
    planned: set[str] = set()
    for path, chosen in sets.items():
        for v in chosen.variants:
            key = keys[v.path] = digest(infos[path].sha, v.width, v.height, v.format, settings)
            if (
                v.path in digests
                or v.path in planned
                or (
                    cache is not None
                    and take_previous(cache, "images", v.path, sink, digests, lambda old: old[0] == key)  # noqa: B023 - called at once
                )
            ):  # noqa: B023
                continue  # made already (the same bytes under two names), or the previous build's
            planned.add(v.path)
            todo.append((path, v))
    results = fan_out(_resize, files, todo)
    failed = {path: result for (path, _), result in zip(todo, results, strict=True) if isinstance(result, str)}
    for (path, v), data in zip(todo, results, strict=True):
        if path in failed or isinstance(data, str):
            continue
        digests[v.path] = sink.write(v.path, data)  # a failure to write is the output folder's: the runner says
        if cache is not None:
            cache.put("images", v.path, (keys[v.path], *digests[v.path]))
    problems = tuple(
        Diagnostic(shown(files[path]), 0, 0, why, Severity.WARNING) for path, why in sorted(failed.items())
    )
    return {path: chosen for path, chosen in sets.items() if path not in failed}, problems
