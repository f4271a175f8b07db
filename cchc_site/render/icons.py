"""The installable web app's icons and short name (manifest.webmanifest). Pure.

Chromium installs a site only when its manifest names a PNG icon of at least
144 px; phones crop "maskable" icons to a circle or squircle, so everything
that matters stays inside the central 80 % (the safe zone). The icons are
drawn from the site's `logo:` (any image Pillow reads) or, without one, from
the initials CCHC on the theme colour; the same inputs give the same bytes.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

SIZES = (192, 512)
MAX_SHORT_NAME = 12  # what a phone's home screen shows without cutting it
DEFAULT_THEME = "#8b1a1a"


def default_short_name(title: str) -> str:
    """The title's first words that fit in MAX_SHORT_NAME characters, never a word cut
    in two; "CCHC" when even the first word is longer."""
    words, out = title.split(), ""
    for word in words:
        longer = f"{out} {word}" if out else word
        if len(longer) > MAX_SHORT_NAME:
            break
        out = longer
    return out or "CCHC"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _default_art(size: int, theme: str) -> Image.Image:
    canvas = Image.new("RGB", (size, size), _rgb(theme))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=size // 4)
    box = draw.textbbox((0, 0), "CCHC", font=font)
    x = (size - (box[2] - box[0])) // 2 - box[0]
    y = (size - (box[3] - box[1])) // 2 - box[1]
    draw.text((x, y), "CCHC", fill=(255, 255, 255), font=font)
    return canvas


def _from_logo(logo: bytes, size: int, theme: str) -> Image.Image:
    with Image.open(io.BytesIO(logo)) as source:
        art = source.convert("RGBA")
    inner = int(size * 0.7)  # inside the maskable safe zone (a circle of 80 % of the width)
    art.thumbnail((inner, inner), Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (size, size), (255, 255, 255, 255))
    canvas.alpha_composite(art, ((size - art.width) // 2, (size - art.height) // 2))
    return canvas.convert("RGB")


def app_icons(logo: bytes | None, theme: str = DEFAULT_THEME) -> dict[int, bytes]:
    """PNG bytes of each icon size, maskable, from the logo or the default art."""
    icons = {}
    for size in SIZES:
        image = _from_logo(logo, size, theme) if logo is not None else _default_art(size, theme)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        icons[size] = out.getvalue()
    return icons
