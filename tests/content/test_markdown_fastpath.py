"""The fast inline processor gives exactly Python-Markdown's output."""

from __future__ import annotations

import markdown as pymarkdown
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_site.content.markdown import _INLINE_TRIGGER, _FastInline

EXTENSIONS = ["sane_lists", "tables", "fenced_code", "footnotes"]

PIECES = [
    "Cải cách hành chính",
    "UBND tỉnh",
    " ",
    "  \n",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "__",
    "`",
    "``",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "![",
    "[^1]",
    "[^1]: chú thích",
    "<",
    ">",
    "&",
    "&amp;",
    "&#123;",
    "<b>",
    "</b>",
    "<http://x.vn>",
    "<a@b.vn>",
    "# ",
    "## Đẩy mạnh",
    "- ",
    "1. ",
    "> ",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```\ncode\n```",
    "    mã",
    "http://x.vn",
    "đ",
    "Đ",
    "ư",
    "~",
    "=",
    "-",
    "+",
    ":",
    "'",
    '"',
]


def pair() -> tuple[pymarkdown.Markdown, pymarkdown.Markdown]:
    stock = pymarkdown.Markdown(extensions=EXTENSIONS)
    fast = pymarkdown.Markdown(extensions=EXTENSIONS)
    fast.treeprocessors.register(_FastInline(fast), "inline", 20)
    return stock, fast


STOCK, FAST = pair()


def same(text: str) -> None:
    STOCK.reset()
    FAST.reset()
    assert FAST.convert(text) == STOCK.convert(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_same_output_on_markdown_like_text(text: str) -> None:
    same(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_same_output_on_any_text(text: str) -> None:
    same(text)


def test_skips_only_text_without_triggers() -> None:
    assert _INLINE_TRIGGER.search("Cải cách hành chính năm 2025, giai đoạn 2021–2030.") is None
    for trigger in ["`", "\\", "[", "<", "&", "*", "_", "  \n"]:
        assert _INLINE_TRIGGER.search(f"chữ {trigger} chữ"), trigger


def test_every_stock_inline_pattern_needs_a_trigger() -> None:
    """If Python-Markdown gains an inline pattern, this fails until the trigger set is reviewed."""
    md = pymarkdown.Markdown(extensions=EXTENSIONS)
    assert set(md.inlinePatterns._data) == {
        "backtick",
        "escape",
        "reference",
        "link",
        "image_link",
        "image_reference",
        "short_reference",
        "short_image_ref",
        "autolink",
        "automail",
        "linebreak",
        "html",
        "entity",
        "em_strong",
        "footnote",
    }
