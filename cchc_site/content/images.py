"""Images under content/files/: are they real images, how big, and does every lead image say what it shows.

Pillow reads each image's header (and `verify()`s it) without decoding the pixels, so a
file of random bytes named `.jpg` is an error, at the `image` field of the article that
uses it, or at the file itself when only a Markdown body or nothing refers to it. The
findings (`ImageInfo`: size in pixels, alpha, source digest) are what render/images.py
makes the resized variants from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from cchc_site.core.diagnostics import Diagnostic, Severity, shown_path
from cchc_site.core.model import ImageInfo

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
HEAVY_BYTES = 1_000_000  # above this, a phone on mobile data should not download the file
MAX_PIXELS = 80_000_000  # more than a 10,000 × 8,000 photo: refuse rather than exhaust memory


def file_output(path: Path, content_dir: Path) -> str | None:
    """The output path ("files/…") of a file under content/files/, or None when it is not under it."""
    try:
        rel = path.resolve().relative_to((content_dir / "files").resolve())
    except ValueError:
        return None
    return "files/" + rel.as_posix()


def check_images(
    items: Sequence[Any], files: Mapping[str, Path], content_dir: Path, cache: Any = None, cwd: Path | None = None
) -> tuple[dict[str, ImageInfo], list[Diagnostic]]:
    """Every image under files/ read (`inspect_images`) and every problem with them and with the
    lead images of the parsed articles among `items`."""
    infos, broken = inspect_images(files, cache)
    where = (cwd or Path.cwd()).resolve()
    articles = [
        (
            p,
            file_output(p.source.path.parent / str(p.front.fields["image"]), content_dir)
            if "image" in p.front.fields
            else None,
        )
        for p in items
        if p.source.kind == "article"
    ]
    return infos, image_diagnostics(articles, infos, broken, files, lambda path: shown_path(path, where))


def is_image_path(path: str) -> bool:
    return path.lower().endswith(IMAGE_SUFFIXES)


def inspect(path: Path, sha: str | None = None) -> ImageInfo | str:
    """The image's header facts, or why it is not an image Pillow can read."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow is a dependency
        return "Pillow is not installed"
    try:
        size = path.stat().st_size
        with Image.open(path) as im:  # the header only
            width, height, fmt = im.width, im.height, im.format or ""
            if width * height > MAX_PIXELS:
                return f"has too many pixels ({width} × {height}); resize it below 10,000 px wide"
            if im.getexif().get(0x0112) in (5, 6, 7, 8):  # EXIF orientation: shown turned a quarter
                width, height = height, width
            alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
        with Image.open(path) as im:
            im.verify()  # the structure (on an image just opened: it leaves it unusable)
    except UnidentifiedImageError:
        return "is not an image (its bytes are not JPEG, PNG, WebP or GIF)"
    except Image.DecompressionBombError:
        return "has too many pixels to process safely"
    except OSError as exc:
        return f"is not a readable image ({exc})"
    except Exception as exc:  # Pillow raises many kinds on broken data
        return f"is a broken image ({type(exc).__name__}: {exc})"
    if sha is None:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return ImageInfo(width, height, fmt, alpha, size, sha)


def inspect_images(files: Mapping[str, Path], cache: Any = None) -> tuple[dict[str, ImageInfo], dict[str, str]]:
    """Every image under files/: output path → info, and output path → what is wrong.
    With a `cache` (incremental.api.Cache), an image whose bytes are as last time (its
    digest, vouched for by its stat) is not opened again."""
    infos: dict[str, ImageInfo] = {}
    broken: dict[str, str] = {}
    for out, path in sorted(files.items()):
        if not is_image_path(out):
            continue
        try:
            sha = cache.file_hash(path) if cache is not None else None
            old = cache.get("image_info", out) if cache is not None else None
            result: ImageInfo | str = old[1] if old is not None and old[0] == sha else inspect(path, sha)
            if cache is not None:
                cache.put("image_info", out, (sha, result))
        except OSError as exc:
            result = f"cannot be read ({exc.strerror})"
        if isinstance(result, str):
            broken[out] = result
        else:
            infos[out] = result
    return infos, broken


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def image_diagnostics(
    articles: Iterable[tuple[Any, str | None]],
    infos: Mapping[str, ImageInfo],
    broken: Mapping[str, str],
    files: Mapping[str, Path],
    shown: Callable[[Path], str],
) -> list[Diagnostic]:
    """Problems with images. `articles`: (parsed article, output path of its `image`) pairs;
    `shown` prints a file's path as messages do."""
    problems: list[Diagnostic] = []
    at_field: set[str] = set()
    for item, target in articles:
        fields = item.front.fields
        if "image" not in fields:
            if "image_alt" in fields:
                line, col = item.front.line_of("image_alt")
                problems.append(
                    Diagnostic(
                        item.source.rel,
                        line,
                        col,
                        "'image_alt' without 'image': add the image or remove the text",
                        Severity.WARNING,
                    )
                )
            continue
        line, col = item.front.line_of("image")
        if target is None or target not in files:
            continue  # not found: the loader says so, once
        if target not in broken and target not in infos:
            problems.append(
                Diagnostic(
                    item.source.rel,
                    line,
                    col,
                    f"'image' file '{fields['image']}' is not an image file: use a JPEG, PNG or WebP file",
                )
            )
            continue
        if target in broken:
            at_field.add(target)
            problems.append(
                Diagnostic(
                    item.source.rel,
                    line,
                    col,
                    f"'image' file '{fields['image']}' {broken[target]}: replace it with a JPEG, PNG or WebP file",
                )
            )
            continue
        if not str(fields.get("image_alt") or "").strip():
            problems.append(
                Diagnostic(
                    item.source.rel,
                    line,
                    col,
                    "the image has no 'image_alt': add a short text saying what it shows, for people who cannot see it",
                    Severity.WARNING,
                )
            )
    for out, why in sorted(broken.items()):
        if out not in at_field:
            problems.append(Diagnostic(shown(files[out]), 0, 0, f"{why}: replace it with a JPEG, PNG or WebP file"))
    for out, info in sorted(infos.items()):
        if info.size > HEAVY_BYTES:
            problems.append(
                Diagnostic(
                    shown(files[out]),
                    0,
                    0,
                    f"the image is {_megabytes(info.size)} "
                    f"({info.width} × {info.height} px): too heavy for a phone to download; "
                    "save it at most 1600 px wide, under 1 MB",
                    Severity.WARNING,
                )
            )
    return problems
