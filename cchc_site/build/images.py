"""The resized variants of the site's images (render/images.py), written or reused."""
from __future__ import annotations

from typing import Any, Mapping

from cchc_site.build.pages import take_previous
from cchc_site.core.diagnostics import Diagnostic, Severity
from cchc_site.core.model import ImageInfo
from cchc_site.incremental.cache import Cache
from cchc_site.incremental.fingerprint import digest
from cchc_site.render.images import ImageSet, image_set, render_variant, settings_key


def write_image_variants(infos: Mapping[str, ImageInfo], files: Mapping[str, Any], sink: Any,
                         digests: dict[str, tuple[int, str]], cache: Cache | None
                         ) -> tuple[dict[str, ImageSet], tuple[Diagnostic, ...]]:
    """Every image under files/ → its variants; lead images and images in bodies use them.
    A variant made from the same source bytes with the same settings is linked from the
    previous output (cache table "images"). Every image, not only those pages show:
    finding those would mean reading every cached body."""
    sets: dict[str, ImageSet] = {}
    problems: list[Diagnostic] = []
    settings = settings_key()
    for path in sorted(infos):
        info = infos[path]
        chosen = image_set(path, info)
        made: list[tuple[str, str, bytes]] = []  # (path, key, bytes) of variants not in the previous output
        try:
            for v in chosen.variants:
                key = digest(info.sha, v.width, v.height, v.format, settings)
                if v.path in digests or (cache is not None and take_previous(
                        cache, "images", v.path, sink, digests, lambda old: old[0] == key)):  # noqa: B023
                    continue
                made.append((v.path, key, render_variant(files[path], v)))
        except Exception as exc:  # Pillow read the header but not the pixels: keep the original
            problems.append(Diagnostic(path, 0, 0, f"could not resize the image ({exc}); it is used as it is",
                                       Severity.WARNING))
            continue
        for out, key, data in made:  # a failure to write is the output folder's: the runner reports it
            digests[out] = sink.write(out, data)
            if cache is not None:
                cache.put("images", out, (key, *digests[out]))
        sets[path] = chosen
    return sets, tuple(problems)
