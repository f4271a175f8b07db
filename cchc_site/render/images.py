"""Resized variants of the site's images, for `<picture>`/`srcset` (like Hugo's image processing).

For each image under files/, widths for a phone, a kiosk and a desktop
(`WIDTHS`, never wider than the source: no upscaling) in WebP and in JPEG (PNG for
images with transparency). Names carry a digest of the source and the settings, and the width
(`assets/img/<name>.<digest10>.<width>.webp`), so a changed source (or Pillow) gets
new names and an unchanged one keeps its bytes: the build links them from the previous output
(cache table "images", keyed by the digest, the width, the format and the settings).
EXIF is dropped (phones write the place a photo was taken into it) after the
orientation it records is applied. Pure: bytes in, bytes out; the build writes them.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping

from cchc_site.core.model import ImageInfo
from cchc_site.site import urls

WIDTHS = (480, 1080, 1600)  # phone, kiosk (portrait 1080 px screens), desktop
QUALITY = {"webp": 80, "jpeg": 82, "png": 0}
MIME = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
SIZES = "(max-width: 720px) 100vw, 720px"  # the article column is at most ~720 CSS px wide


@dataclass(frozen=True)
class Variant:
    path: str  # output path
    width: int
    height: int
    format: str  # webp, jpeg, png


@dataclass(frozen=True)
class ImageSet:
    """What a template needs for one image: `<source>` lists and the fallback `<img>`."""

    src: str  # output path of the fallback image (the widest fallback variant)
    width: int
    height: int
    sources: tuple[tuple[str, tuple[Variant, ...]], ...]  # (mime, variants), modern formats first
    fallback: tuple[Variant, ...]  # JPEG (PNG with transparency), narrowest first
    sizes: str = SIZES

    @property
    def variants(self) -> tuple[Variant, ...]:
        return tuple(v for _, vs in self.sources for v in vs) + self.fallback


def settings_key() -> str:
    """What, besides the source, decides a variant's bytes."""
    try:
        import PIL

        version = PIL.__version__
    except ImportError:  # pragma: no cover
        version = "none"
    return f"pillow={version};q={sorted(QUALITY.items())};widths={WIDTHS}"


def plan_variants(out: str, info: ImageInfo) -> tuple[Variant, ...]:
    """The variants of one image: each width below the source's, and the source's own width
    (at most the widest), in a modern and a fallback format."""
    widths = sorted({w for w in WIDTHS if w < info.width} | {min(info.width, WIDTHS[-1])})
    stem = PurePosixPath(out).stem
    # the source's digest and what else decides the bytes: the same name never holds other bytes,
    # which /assets/ being cached as immutable (publish.py) and the offline precache rely on
    name = hashlib.sha256(f"{info.sha}/{settings_key()}".encode()).hexdigest()[:10]
    fallback = "png" if info.alpha else "jpeg"
    variants = []
    for fmt in ("webp", fallback):
        ext = "jpg" if fmt == "jpeg" else fmt
        for w in widths:
            h = max(1, round(info.height * w / info.width))
            variants.append(Variant(f"assets/img/{stem}.{name}.{w}.{ext}", w, h, fmt))
    return tuple(variants)


def image_set(out: str, info: ImageInfo) -> ImageSet:
    variants = plan_variants(out, info)
    fallback = tuple(v for v in variants if v.format != "webp")
    modern = tuple(v for v in variants if v.format == "webp")
    largest = fallback[-1]
    return ImageSet(largest.path, largest.width, largest.height, ((MIME["webp"], modern),), fallback)


def render_variant(source: Path, variant: Variant) -> bytes:
    """The bytes of one variant (deterministic for the same source, Pillow and settings)."""
    from PIL import Image, ImageOps

    with Image.open(source) as opened:
        if opened.format == "JPEG":
            side = max(variant.width, variant.height)  # either orientation: never below the size wanted
            opened.draft("RGB", (side, side))  # decode at a smaller scale: much faster
        if getattr(opened, "n_frames", 1) > 1:
            opened.seek(0)  # an animated GIF: its first frame
        im: Image.Image = ImageOps.exif_transpose(opened) or opened
        keep_alpha = variant.format in ("png", "webp") and im.mode in ("RGBA", "LA", "P", "PA")
        im = im.convert("RGBA" if keep_alpha else "RGB")
        if im.width != variant.width:
            im = im.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if variant.format == "jpeg":
            im.save(buffer, "JPEG", quality=QUALITY["jpeg"], optimize=True, progressive=True)
        elif variant.format == "webp":
            im.save(buffer, "WEBP", quality=QUALITY["webp"], method=4)
        else:
            im.save(buffer, "PNG", optimize=True)
        return buffer.getvalue()


_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


def picture_html(image: ImageSet, url: Callable[[str], str], attrs: Mapping[str, str], *, lazy: bool) -> str:
    """One <picture>: the modern formats as <source>s, the fallback <img> with its size."""

    def srcset(variants: tuple[Variant, ...]) -> str:
        return ", ".join(f"{url(v.path)} {v.width}w" for v in variants)

    parts = ["<picture>"]
    for mime, variants in image.sources:
        parts.append(f'<source type="{mime}" srcset="{srcset(variants)}" sizes="{image.sizes}">')
    kept = "".join(f' {k}="{v}"' for k, v in attrs.items() if k in ("alt", "title", "class"))
    loading = ' loading="lazy"' if lazy else ""
    parts.append(
        f'<img src="{url(image.src)}" srcset="{srcset(image.fallback)}" sizes="{image.sizes}" '
        f'width="{image.width}" height="{image.height}"{kept}{loading} decoding="async">'
    )
    parts.append("</picture>")
    return "".join(parts)


def body_pictures(html: str, page: str, lookup: Callable[[str], ImageSet | None]) -> str:
    """A body's <img>s of files/ images turned into <picture>s of their variants. `html` is
    sanitised body HTML whose URLs are relative to `page` (the output path it is shown at);
    other images stay as they are."""
    if "<img" not in html:
        return html

    def url(path: str) -> str:
        return urls.relative(page, path)

    def swap(match: re.Match[str]) -> str:
        attrs = {k.lower(): v for k, v in _ATTR.findall(match.group(1))}
        src = attrs.get("src", "")
        if not src or "://" in src or src.startswith(("/", "data:", "#")):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), src.split("#")[0].split("?")[0]))
        image = lookup(target) if target.startswith("files/") else None
        return picture_html(image, url, attrs, lazy=True) if image is not None else match.group(0)

    return _IMG.sub(swap, html)
