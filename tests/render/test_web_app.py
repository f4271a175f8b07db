"""The installable web app: icons drawn at build time, a short name that is never a cut word."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from cchc_site.config.settings import load_config
from cchc_site.core.diagnostics import ConfigError
from cchc_site.render.icons import MAX_SHORT_NAME, default_short_name

WORDS = st.text(alphabet="abcdđeêghiklmnoôơpqrstuưvxyàáạảãâầấậẩẫăằắặẳẵ", min_size=1, max_size=14)


@given(st.lists(WORDS, min_size=1, max_size=8))
def test_the_default_short_name_is_whole_words_that_fit(words: list[str]) -> None:
    name = default_short_name(" ".join(words))
    assert 0 < len(name) <= MAX_SHORT_NAME
    if name != "CCHC":
        assert name.split() == words[: len(name.split())]  # whole words, from the start


def _manifest(site) -> dict:  # type: ignore[no-untyped-def]
    result = site.build()
    assert result.ok, result.diagnostics
    return json.loads(result.files["manifest.webmanifest"]), result.files


def test_the_manifest_has_maskable_png_icons_of_192_and_512(tmp_site) -> None:  # type: ignore[no-untyped-def]
    manifest, files = _manifest(tmp_site({}, {"title": "Thông tin cải cách hành chính tỉnh Quảng Trị"}))
    assert manifest["short_name"] == "Thông tin"
    sizes = []
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png" and "maskable" in icon["purpose"]
        with Image.open(io.BytesIO(files[icon["src"]])) as image:
            assert image.size == tuple(int(n) for n in icon["sizes"].split("x"))
            sizes.append(image.size[0])
    assert sorted(sizes) == [192, 512]


def test_a_logo_short_name_and_theme_colour_from_the_config(tmp_site) -> None:  # type: ignore[no-untyped-def]
    logo = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 90, 160)).save(logo, format="PNG")
    site = tmp_site(
        {"logo.png": logo.getvalue()}, {"logo": "logo.png", "short_name": "CCHC Q.Trị", "theme_color": "#005AA0"}
    )
    manifest, files = _manifest(site)
    assert manifest["short_name"] == "CCHC Q.Trị" and manifest["theme_color"] == "#005aa0"
    big = next(i for i in manifest["icons"] if i["sizes"] == "512x512")
    with Image.open(io.BytesIO(files[big["src"]])) as image:
        assert image.getpixel((256, 256)) == (0, 90, 160)  # the logo, centred
        assert image.getpixel((5, 5)) == (255, 255, 255)  # padded inside the safe zone


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("short_name", "Cổng thông tin CCHC", "12"),
        ("theme_color", "red", "#rrggbb"),
        ("logo", "content/articles/a.md", "not an image"),
        ("logo", "missing.png", "not a file"),
    ],
)
def test_bad_web_app_settings_are_config_errors_at_their_line(tmp_site, key, value, words) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\nprovince: ha-tinh\n---\nx\n"}, {key: value}
    )
    with pytest.raises(ConfigError) as info:
        load_config(site.root / "config.yaml")
    (problem,) = info.value.diagnostics
    assert words in problem.message and problem.line > 0


def test_every_page_has_a_meta_description_cut_between_words(tmp_site) -> None:  # type: ignore[no-untyped-def]
    import re

    long_body = "Nội dung " + "cải cách hành chính " * 40
    site = tmp_site(
        {
            "content/articles/a.md": f"---\ntitle: A\ndate: 2024-01-01\nprovince: bac-kan\n---\n{long_body}\n",
            "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nTrang giới thiệu.\n",
        },
        {"description": "Trang thông tin cải cách hành chính của tỉnh."},
    )
    result = site.build()
    pages = {p: d.decode() for p, d in result.files.items() if p.endswith(".html")}
    assert len(pages) > 20
    for path, html in pages.items():
        found = re.findall(r'<meta name="description" content="([^"]*)">', html)
        assert len(found) == 1 and found[0].strip(), path
        assert len(found[0]) <= 160, path
    home = re.search(r'name="description" content="([^"]*)"', pages["index.html"]).group(1)
    assert home == "Trang thông tin cải cách hành chính của tỉnh."
    article = re.search(r'name="description" content="([^"]*)"', pages["tin-tuc/a/index.html"]).group(1)
    assert article.endswith("…") and article[:-1] == article[:-1].rstrip() and long_body.startswith(article[:-1])
    assert "(nay thuộc Thái Nguyên)" in pages["tinh/bac-kan/index.html"]
