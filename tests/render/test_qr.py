"""QR codes of service links: inline SVG fit for a CSP page, and one that really
decodes back to the address (module grid → PNG → zbarimg)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_site.render.qr import BORDER, qr_matrix, qr_svg

URLS = [
    "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-dung-chung.html?ma_thu_tuc=1.001193",
    "https://dichvucong.hochiminhcity.gov.vn/?ma=1.000494.000.00.00.H29&kenh=truc-tuyen",
    "https://dichvucong.gov.vn/",
]


def svg_grid(svg: str) -> list[list[bool]]:
    """Read our SVG back into a module grid (the inverse of qr._path)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    grid = [[False] * size for _ in range(size)]
    d = re.search(r'<path fill="#000" d="([^"]*)"', svg).group(1)
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", d):
        for i in range(int(n)):
            assert not grid[int(y)][int(x) + i], "modules drawn twice"
            grid[int(y)][int(x) + i] = True
    assert re.sub(r"M\d+ \d+h\d+v1h-\d+z", "", d) == "", "unexpected path commands"
    return grid


def png(grid: list[list[bool]], scale: int = 8) -> bytes:
    """A greyscale PNG of the grid (dark = 0), written without Pillow."""
    raw = b""
    for row in grid:
        line = bytes(0 if dark else 255 for dark in row for _ in range(scale))
        raw += (b"\x00" + line) * scale
    width = height = len(grid) * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def zbar_decode(png_path: Path) -> str:
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg is missing (apt-get install -y zbar-tools)")
    out = subprocess.run(
        [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png_path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
    return out.stdout.decode("utf-8").rstrip("\n")


def test_svg_is_inline_and_csp_safe() -> None:
    svg = qr_svg(URLS[0])
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "style" not in svg, "inline styles are blocked by the pages' CSP"
    assert 'role="img"' in svg
    assert re.search(r'aria-label="[^"]+"', svg)
    assert "<title>" in svg
    head = svg[: svg.index(">")]
    assert " width=" not in head and " height=" not in head, "CSS sizes the code"
    assert "\n" not in svg


def test_label_is_escaped_and_used_for_title_and_aria_label() -> None:
    svg = qr_svg(URLS[1], 'Mã QR của "Đăng ký" <khai sinh> & hộ tịch')
    assert 'aria-label="Mã QR của &quot;Đăng ký&quot; &lt;khai sinh&gt; &amp; hộ tịch"' in svg
    assert "<title>Mã QR của &quot;Đăng ký&quot; &lt;khai sinh&gt; &amp; hộ tịch</title>" in svg
    default = qr_svg(URLS[1])
    assert "&amp;kenh=truc-tuyen" in default and "&kenh" not in default.replace("&amp;", "")


@pytest.mark.parametrize("url", URLS)
def test_svg_draws_exactly_segnos_symbol_with_quiet_zone(url: str) -> None:
    grid = svg_grid(qr_svg(url))
    code = segno.make(url, error="m", micro=False, boost_error=False)
    assert code.error in ("M", "Q")
    assert not code.is_micro
    expected = [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=BORDER)]
    assert grid == expected == qr_matrix(url)
    size = len(grid)
    assert size == code.symbol_size(border=0)[0] + 2 * BORDER
    for i in range(BORDER):  # quiet zone of 4 light modules on every side
        assert not any(grid[i]) and not any(grid[size - 1 - i])
        assert not any(row[i] or row[size - 1 - i] for row in grid)


def test_output_is_deterministic() -> None:
    qr_svg.cache_clear()
    first = qr_svg(URLS[0])
    qr_svg.cache_clear()
    assert qr_svg(URLS[0]) == first


@pytest.mark.parametrize("url", URLS)
def test_qr_decodes_back_to_the_url(url: str, tmp_path: Path) -> None:
    path = tmp_path / "qr.png"
    path.write_bytes(png(svg_grid(qr_svg(url))))
    assert zbar_decode(path) == url


# --- the fast mask choice (cchc_site/qr_mask.py) ------------------------------
def _stock_and_fast(data: str, **kw: object) -> tuple[object, object]:
    from cchc_site.render import qr_mask

    qr_mask.uninstall()
    try:
        stock = segno.make(data, error="m", micro=False, boost_error=False, **kw)
    finally:
        assert qr_mask.install()
    fast = segno.make(data, error="m", micro=False, boost_error=False, **kw)
    return stock, fast


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_fast_mask_choice_gives_segno_symbols(data: str) -> None:
    stock, fast = _stock_and_fast(data)
    assert (fast.mask, fast.version, fast.matrix) == (stock.mask, stock.version, stock.matrix)


@pytest.mark.parametrize("version", [1, 2, 6, 7, 10, 20, 40])
def test_fast_mask_choice_every_size_class(version: int) -> None:
    stock, fast = _stock_and_fast("https://x.vn", version=version)
    assert (fast.mask, fast.matrix) == (stock.mask, stock.matrix)
    stock, fast = _stock_and_fast("https://x.vn/", version=version, mask=5)
    assert (fast.mask, fast.matrix) == (stock.mask, stock.matrix)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=2**32), st.sampled_from([2, 5, 50]))
def test_fast_mask_scores_equal_segno_scores(k: int, seed: int, dark: int) -> None:
    """Random matrices of every size class; drawn from a seed, not byte by byte (a
    181×181 matrix of drawn bytes overran Hypothesis' data limit now and then)."""
    import random

    from segno import encoder

    from cchc_site.render.qr_mask import mask_scores

    rng = random.Random(seed)
    side = 21 + 4 * k
    # modules 0/1 (`dark` % of them 1, so long runs and blocks occur too), some 2 (function patterns)
    rows = [
        bytes(2 if rng.random() < 0.1 else int(rng.random() * 100 < dark) for _ in range(side)) for _ in range(side)
    ]
    size = len(rows)
    assert mask_scores(rows, size) == tuple(encoder.mask_scores([bytearray(r) for r in rows], size, size))


def test_fast_mask_choice_installed_for_tested_segno_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from segno import encoder

    from cchc_site.render import qr_mask
    from cchc_site.render.qr import _segno

    _segno()  # segno is imported, and the fast mask installed, with the first QR code
    assert encoder.find_and_apply_best_mask is qr_mask.find_and_apply_best_mask
    qr_mask.uninstall()
    try:
        monkeypatch.setattr(segno, "__version__", "9.0.0")
        assert qr_mask.install() is False
        assert encoder.find_and_apply_best_mask is not qr_mask.find_and_apply_best_mask
    finally:
        monkeypatch.undo()
        assert qr_mask.install()
