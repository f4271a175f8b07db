"""What authors' HTML may keep: the nh3 allow-list of tags, attributes, classes and URL schemes.

One table for the renderer (content/markdown.py) and its fast path (fastmd.py), which
must emit exactly what nh3 keeps with it. Pure data.
"""

from __future__ import annotations

TAGS = {
    "p",
    "a",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "mark",
    "small",
    "kbd",
    "code",
    "pre",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "img",
    "br",
    "hr",
    "abbr",
    "sup",
    "sub",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "span",
    "div",
}
# Dropped together with their content (everything else not allowed keeps its text).
CLEAN_CONTENT_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "noscript",
    "template",
    "textarea",
    "select",
    "button",
    "frame",
    "frameset",
    "noembed",
    "noframes",
    "xmp",
    "applet",
    "title",
    "head",
}
ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
    "sup": {"id"},  # footnote references
    "li": {"id"},  # footnote definitions
}
_ALIGN = {"align-left", "align-center", "align-right"}
ALLOWED_CLASSES: dict[str, set[str]] = {
    "td": _ALIGN,
    "th": _ALIGN,
    "div": {"footnote"},
    "a": {"footnote-ref", "footnote-backref"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
