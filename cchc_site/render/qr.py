"""QR codes of service links, made at build time as inline SVG (segno).

The SVG is written by hand from segno's module matrix, so that it carries no
XML declaration, no inline `style` (the pages' CSP forbids it), no fixed
width/height (CSS sizes it), and the accessibility attributes we want. One
`<path>` draws every dark module as horizontal runs, so a code stays small
(a few kB) and identical input gives byte-identical output.
"""

from __future__ import annotations

import functools
import importlib.util
from html import escape
from types import ModuleType

if importlib.util.find_spec("segno") is None:  # as the import would: build.py then leaves QR codes out
    raise ImportError("No module named 'segno'")


@functools.lru_cache(maxsize=1)
def _segno() -> ModuleType:
    """segno, imported when the first QR code is drawn (with its imports, ~40 ms of
    a rebuild that draws none)."""
    import segno

    from cchc_site.render import qr_mask

    qr_mask.install()  # segno's own mask choice is most of a service page's time; same symbols
    return segno


ERROR = "m"  # 15 % recovery: enough for a screen or paper, keeps the symbol small
BORDER = 4  # the quiet zone the QR standard asks for, in modules
DEFAULT_LABEL = "Mã QR mở địa chỉ {url}"


def qr_matrix(data: str, *, error: str = ERROR) -> list[list[bool]]:
    """The symbol's modules (True = dark), quiet zone included."""
    code = _segno().make(data, error=error, micro=False, boost_error=False)
    return [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=BORDER)]


def _path(matrix: list[list[bool]]) -> str:
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def qr_svg(data: str, label: str | None = None, *, error: str = ERROR) -> str:
    """Inline `<svg>` of a QR code encoding `data` (e.g. a service's portal_url).

    `label` becomes both the aria-label and the <title> (what a screen reader
    says and a mouse hover shows); by default it names the address.
    """
    matrix = qr_matrix(data, error=error)
    size = len(matrix)
    text = escape(label if label is not None else DEFAULT_LABEL.format(url=data), quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="{text}" shape-rendering="crispEdges" focusable="false">'
        f"<title>{text}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{_path(matrix)}"/>'
        "</svg>"
    )


__all__ = ["qr_svg", "qr_matrix", "BORDER", "ERROR"]
