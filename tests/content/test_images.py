"""Images: `image_alt`, real images only (Pillow), resized variants through <picture>/srcset,
cached like other outputs, and a warning for images too heavy for a phone."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from sitefactory import NOW

from cchc_site.build import MemorySink, build_site
from cchc_site.build import images as variants_module
from cchc_site.core.diagnostics import Severity
from cchc_site.core.model import ImageInfo
from cchc_site.edges.parallel import can_fork
from cchc_site.incremental.cache import Cache, program_digest
from cchc_site.render.images import WIDTHS, plan_variants
from cchc_site.render.offline import is_shell

SITECHECK = Path(__file__).resolve().parents[3] / "shared" / "tools" / "sitecheck.py"


def photo(width: int, height: int, fmt: str = "JPEG", mode: str = "RGB", noise: bool = False) -> bytes:
    if noise:
        im = Image.frombytes(mode, (width, height), os.urandom(width * height * len(mode)))
    else:
        im = Image.new(mode, (width, height))
        for x in range(0, width, max(1, width // 16)):  # some structure, so encoders have work
            for y in range(0, height, max(1, height // 16)):
                im.putpixel((x, y), (x % 256, y % 256, 128) + ((200,) if mode == "RGBA" else ()))
    buffer = io.BytesIO()
    im.save(buffer, fmt)
    return buffer.getvalue()


def article(image: str | None = "../files/anh/hoi-nghi.jpg", alt: str | None = "Quang cảnh hội nghị") -> str:
    lines = ["---", "title: Hội nghị cải cách hành chính", "date: 2024-05-01", "province: ha-tinh"]
    if image is not None:
        lines.append(f"image: {image}")
    if alt is not None:
        lines.append(f"image_alt: {alt}")
    return "\n".join(lines + ["---", "Nội dung tin.", ""])


def errors(result):  # type: ignore[no-untyped-def]
    return [d for d in result.diagnostics if d.severity is Severity.ERROR]


def warnings(result):  # type: ignore[no-untyped-def]
    return [d for d in result.diagnostics if d.severity is Severity.WARNING]


def test_lead_image_gets_picture_with_webp_and_jpeg_variants(tmp_site):
    site = tmp_site({"content/articles/a.md": article(), "content/files/anh/hoi-nghi.jpg": photo(2000, 1000)})
    result = site.build()
    assert result.ok and not warnings(result), result.diagnostics
    page = site.html(result, "tin-tuc/a/index.html")
    picture = re.search(r"<picture>.*?</picture>", page, re.S).group(0)
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="[^"]+">', picture).group(1)
    img = re.search(r"<img [^>]+>", picture).group(0)
    assert 'alt="Quang cảnh hội nghị"' in img and 'width="1600"' in img and 'height="800"' in img
    jpeg = re.search(r'srcset="([^"]+)"', img).group(1)
    for srcset, fmt in ((webp, "WEBP"), (jpeg, "JPEG")):
        listed = [item.rsplit(" ", 1) for item in srcset.split(", ")]
        assert [w for _, w in listed] == [f"{w}w" for w in WIDTHS]
        for url, w in listed:
            path = url.replace("../../", "")
            assert path.startswith("assets/img/hoi-nghi.")
            with Image.open(io.BytesIO(result.files[path])) as im:
                assert (im.format, im.width) == (fmt, int(w[:-1]))
                assert im.height == int(w[:-1]) // 2
                assert not im.getexif()  # no camera metadata (GPS) carried over
    assert "files/anh/hoi-nghi.jpg" in result.copies  # the original is still copied as it is


def test_never_upscaled(tmp_site):
    site = tmp_site({"content/articles/a.md": article(), "content/files/anh/hoi-nghi.jpg": photo(300, 200)})
    result = site.build()
    page = site.html(result, "tin-tuc/a/index.html")
    widths = {int(w) for w in re.findall(r" (\d+)w", page)}
    assert widths == {300}
    info = ImageInfo(1200, 600, "JPEG", False, 1, "ab" * 32)
    assert [v.width for v in plan_variants("files/x.jpg", info) if v.format == "jpeg"] == [480, 1080, 1200]
    for width, expected in ((1600, [480, 1080, 1600]), (1080, [480, 1080]), (5000, [480, 1080, 1600])):
        info = ImageInfo(width, 100, "JPEG", False, 1, "ab" * 32)
        assert [v.width for v in plan_variants("files/x.jpg", info) if v.format == "webp"] == expected


def test_transparent_png_falls_back_to_png(tmp_site):
    site = tmp_site(
        {
            "content/articles/a.md": article("../files/logo.png"),
            "content/files/logo.png": photo(900, 300, "PNG", "RGBA"),
        }
    )
    result = site.build()
    assert result.ok
    paths = [p for p in result.files if p.startswith("assets/img/logo.")]
    assert sorted({p.rsplit(".", 1)[1] for p in paths}) == ["png", "webp"]
    with Image.open(io.BytesIO(result.files[next(p for p in paths if p.endswith(".png"))])) as im:
        assert im.mode == "RGBA"


def test_missing_image_alt_is_a_warning_at_the_image_line(tmp_site):
    site = tmp_site({"content/articles/a.md": article(alt=None), "content/files/anh/hoi-nghi.jpg": photo(800, 400)})
    result = site.build()
    assert result.ok
    [warning] = warnings(result)
    assert (warning.path, warning.line) == ("content/articles/a.md", 5)
    assert "image_alt" in warning.message
    assert 'alt=""' in site.html(result, "tin-tuc/a/index.html")


def test_random_bytes_named_jpg_is_an_error_at_the_image_field(tmp_site):
    site = tmp_site({"content/articles/a.md": article(), "content/files/anh/hoi-nghi.jpg": os.urandom(4096)})
    result = site.build()
    assert not result.ok
    [error] = errors(result)
    assert (error.path, error.line) == ("content/articles/a.md", 5)
    assert "hoi-nghi.jpg" in error.message and "not an image" in error.message


def test_random_bytes_image_nobody_uses_is_an_error_at_the_file(tmp_site):
    site = tmp_site(
        {
            "content/articles/a.md": article(image=None, alt=None),
            "content/files/anh/hong.png": os.urandom(2048),
            "content/files/anh/cut.jpg": photo(400, 300)[:200],
        }
    )  # a real header, cut short
    result = site.build()
    assert sorted(e.path for e in errors(result)) == ["content/files/anh/cut.jpg", "content/files/anh/hong.png"]


def test_image_too_heavy_for_a_phone_is_named(tmp_site):
    heavy = photo(800, 600, "PNG", noise=True)
    assert len(heavy) > 1_000_000
    site = tmp_site({"content/articles/a.md": article("../files/anh/nang.png"), "content/files/anh/nang.png": heavy})
    result = site.build()
    assert result.ok
    [warning] = warnings(result)
    assert warning.path == "content/files/anh/nang.png" and "MB" in warning.message and "phone" in warning.message
    variant = max(
        (p for p in result.files if p.startswith("assets/img/nang.") and p.endswith(".webp")),
        key=lambda p: int(p.split(".")[-2]),
    )
    assert len(result.files[variant]) < len(heavy)


def test_image_alt_without_image_is_a_warning(tmp_site):
    site = tmp_site({"content/articles/a.md": article(image=None)})
    result = site.build()
    assert result.ok and [w.line for w in warnings(result)] == [5]


def test_variants_are_cached_and_follow_the_source(tmp_site, monkeypatch):
    site = tmp_site({"content/articles/a.md": article(), "content/files/anh/hoi-nghi.jpg": photo(1200, 600)})
    made: list[str] = []
    real = variants_module.render_variant
    monkeypatch.setattr(variants_module, "render_variant", lambda src, v: made.append(v.path) or real(src, v))
    cache = Cache(None, program_digest())
    first = build_site(site.config(), now=NOW, cwd=site.root, cache=cache, sink=MemorySink())
    assert len(made) == 6
    made.clear()
    cache = cache.rolled()
    second = build_site(site.config(), now=NOW, cwd=site.root, cache=cache, sink=MemorySink(first.files))
    assert made == [] and second.files == first.files  # linked from the previous build, nothing resized
    assert "tin-tuc/a/index.html" not in second.stats.rendered
    site.write("content/files/anh/hoi-nghi.jpg", photo(1000, 500))  # same name, new picture
    cache = cache.rolled()
    third = build_site(site.config(), now=NOW, cwd=site.root, cache=cache, sink=MemorySink(second.files))
    assert len(made) == 4 and "tin-tuc/a/index.html" in third.stats.rendered  # 480 and 1000, two formats
    page = site.html(third, "tin-tuc/a/index.html")
    assert "1000w" in page and "1200w" not in page
    assert all(p.split("/")[-1] in page for p in made)


def test_variants_are_not_precached_as_shell():
    assert not is_shell("assets/img/x.0123456789.480.webp") and is_shell("assets/style.0123456789.css")


@pytest.mark.skipif(not SITECHECK.is_file(), reason="shared/tools/sitecheck.py not beside the repository")
def test_built_folder_with_images_passes_sitecheck(tmp_site):
    from cchc_site.edges.runner import RunOptions, run_build

    site = tmp_site({"content/articles/a.md": article(), "content/files/anh/hoi-nghi.jpg": photo(1700, 900)})
    out = site.root / "out"
    report = run_build(site.config(output=out), RunOptions(jobs=1, cache_dir=None), NOW)
    assert report.ok, report.diagnostics
    assert len(list((out / "assets" / "img").iterdir())) == 6
    check = subprocess.run([sys.executable, str(SITECHECK), str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_images_in_markdown_bodies_get_pictures_too(tmp_site):
    body = (
        "---\ntitle: Trang giới thiệu\n---\nĐoạn đầu.\n\n![Sơ đồ quy trình một cửa](../files/so-do.png)\n\n"
        "![Ảnh không có trong files](../files/khong-co.txt)\n"
    )
    site = tmp_site(
        {
            "content/pages/gioi-thieu.md": body,
            "content/files/so-do.png": photo(1300, 650, "PNG"),
            "content/files/khong-co.txt": "x",
        }
    )
    result = site.build()
    assert result.ok, result.diagnostics
    page = site.html(result, "gioi-thieu/index.html")
    picture = re.search(r"<picture>.*?</picture>", page, re.S).group(0)
    assert 'alt="Sơ đồ quy trình một cửa"' in picture and 'loading="lazy"' in picture
    assert 'type="image/webp"' in picture and "1300w" in picture and 'width="1300" height="650"' in picture
    for url in re.findall(r'(\.\./assets/img/[^ "]+)', picture):
        assert url[3:] in result.files
    assert (
        '<img alt="Ảnh không có trong files" src="../files/khong-co.txt">' in page
        or 'src="../files/khong-co.txt"' in page
    )  # not an image under files/: left as it is


def test_unchanged_images_are_not_opened_again(tmp_site, monkeypatch):
    from cchc_site.content import images as inspection

    site = tmp_site(
        {
            "content/articles/a.md": article(),
            "content/files/anh/hoi-nghi.jpg": photo(1200, 600),
            "content/files/anh/hong.jpg": os.urandom(999),
        }
    )
    opened: list[str] = []
    real = inspection.inspect
    monkeypatch.setattr(inspection, "inspect", lambda path, sha=None: opened.append(path.name) or real(path, sha))
    cache = Cache(None, program_digest())
    first = build_site(site.config(), now=NOW, cwd=site.root, cache=cache, sink=MemorySink())
    assert sorted(opened) == ["hoi-nghi.jpg", "hong.jpg"] and not first.ok
    opened.clear()
    cache = cache.rolled()
    again = build_site(site.config(), now=NOW, cwd=site.root, cache=cache, sink=MemorySink())
    assert opened == [] and [e.path for e in errors(again)] == ["content/files/anh/hong.jpg"]  # still reported
    (site.root / "content/files/anh/hong.jpg").unlink()
    site.write("content/files/anh/hoi-nghi.jpg", photo(800, 400))
    cache = cache.rolled()
    third = build_site(site.config(), now=NOW, cwd=site.root, cache=cache, sink=MemorySink())
    assert opened == ["hoi-nghi.jpg"] and third.ok
    assert "800w" in site.html(third, "tin-tuc/a/index.html")


@pytest.mark.parametrize("width, height", [(100_000, 100_000), (9_000, 9_500)])
def test_decompression_bomb_is_refused_without_decoding(tmp_path, width, height):
    import struct
    import zlib

    from cchc_site.content.images import inspect

    data = bytearray(photo(8, 8, "PNG"))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(data[ihdr : ihdr + 17])))
    path = tmp_path / "bomb.png"
    path.write_bytes(bytes(data))
    result = inspect(path)
    assert isinstance(result, str) and "too many pixels" in result


def test_exif_orientation_is_applied_and_exif_dropped(tmp_site):
    im = Image.new("RGB", (600, 300), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter: 300 wide, 600 high
    exif[0x010F] = "Máy ảnh thử"
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", exif=exif)
    site = tmp_site({"content/articles/a.md": article(), "content/files/anh/hoi-nghi.jpg": buffer.getvalue()})
    result = site.build()
    assert result.ok
    page = site.html(result, "tin-tuc/a/index.html")
    assert 'width="300" height="600"' in page
    [jpeg] = [p for p in result.files if p.startswith("assets/img/") and p.endswith(".jpg")]
    with Image.open(io.BytesIO(result.files[jpeg])) as variant:
        assert variant.size == (300, 600) and not variant.getexif()


def test_variants_are_byte_identical_from_build_to_build(tmp_site):
    site = tmp_site({"content/articles/a.md": article(), "content/files/anh/hoi-nghi.jpg": photo(1700, 900)})
    one, two = site.build(), site.build()
    variants = sorted(p for p in one.files if p.startswith("assets/img/"))
    assert len(variants) == 6 and all(one.files[p] == two.files[p] for p in variants)


def test_one_message_for_a_lead_image_that_is_missing_or_not_an_image(tmp_site):
    site = tmp_site(
        {
            "content/articles/a.md": article("../files/khong-co.jpg", alt=None),
            "content/articles/b.md": article("../files/ke-hoach.pdf", alt=None).replace("Hội nghị", "Tin"),
            "content/files/ke-hoach.pdf": b"%PDF-1.4",
        }
    )
    result = site.build()
    assert [(d.path, d.line, d.severity) for d in sorted(result.diagnostics)] == [
        ("content/articles/a.md", 5, Severity.ERROR),
        ("content/articles/b.md", 5, Severity.ERROR),
    ]
    first, second = sorted(result.diagnostics)
    assert "not found" in first.message and "not an image" in second.message


def test_variants_resized_over_workers_are_the_same(tmp_site, monkeypatch):
    files = {f"content/files/anh/{i}.jpg": photo(700 + i * 10, 400) for i in range(12)}
    files["content/files/anh/same.jpg"] = files["content/files/anh/0.jpg"]  # the same bytes under another name
    files["content/articles/a.md"] = article("../files/anh/3.jpg")
    site = tmp_site(files)
    one = build_site(site.config(), now=NOW, cwd=site.root, jobs=1)
    here: list[str] = []  # resized in this process (a forked worker's calls are not seen here)
    real = variants_module._resize
    monkeypatch.setattr(variants_module, "_resize", lambda files, task: here.append(task[1].path) or real(files, task))
    two = build_site(site.config(), now=NOW, cwd=site.root, jobs=2)
    if can_fork():
        assert here == []
    variants = sorted(p for p in one.files if p.startswith("assets/img/"))
    assert len(variants) == 13 * 4 and variants == sorted(p for p in two.files if p.startswith("assets/img/"))
    assert all(one.files[p] == two.files[p] for p in variants)


def test_an_image_pillow_cannot_decode_is_used_as_it_is_with_a_warning(tmp_site):
    whole = photo(1200, 800)
    site = tmp_site(
        {"content/articles/a.md": article(), "content/files/anh/hoi-nghi.jpg": whole[: len(whole) * 2 // 3]}
    )
    result = site.build()
    assert result.ok
    [warning] = warnings(result)
    assert warning.path == "content/files/anh/hoi-nghi.jpg" and "could not resize" in warning.message
    page = site.html(result, "tin-tuc/a/index.html")
    assert "<picture>" not in page and 'src="../../files/anh/hoi-nghi.jpg" alt="Quang cảnh hội nghị"' in page
    assert not any(p.startswith("assets/img/") for p in result.files)


def test_check_does_not_resize(tmp_site, monkeypatch):
    from cchc_site.build import check

    site = tmp_site({"content/articles/a.md": article(alt=None), "content/files/anh/hoi-nghi.jpg": photo(1200, 600)})
    made: list[str] = []
    monkeypatch.setattr(variants_module, "_resize", lambda files, task: made.append(task[1].path))
    diagnostics = check(site.config(), cwd=site.root)
    assert made == [] and [d.line for d in diagnostics] == [5]  # the missing image_alt is still found
