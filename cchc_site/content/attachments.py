"""The attachment policy: no file under content/files/ may run script at the site's origin.

Attachments are published byte for byte, so a browser that opens one runs
whatever it holds at the site's origin (reading drafts on `serve`, the kiosk's
storage, the service worker's cache). Three layers, each enough on its own
for the common hosts:

1. active types are refused: HTML, XHTML, XML (it can carry XHTML script),
   XSLT, JavaScript, compressed SVG (`.svgz`, not inspectable), MHTML, HTA;
2. an SVG is read and refused if it holds script, an event handler,
   `foreignObject`, embedded frames, an entity declaration, a stylesheet
   processing instruction or a `javascript:`/`vbscript:` URL anywhere
   (`<set to="javascript:…">` included). Refused rather than sanitised: the
   editor sees the reason and the published file is the one they gave;
3. a file whose name gives no known type but whose bytes begin like HTML
   (a host may sniff it as HTML) is refused too;

and the publishing side (`render.publish`, `serve`) sends
`Content-Security-Policy: sandbox` and `X-Content-Type-Options: nosniff`
for `files/`, so a host that serves these headers never runs script there
even if one slips past the checks above.
"""

from __future__ import annotations

import html
import mimetypes
import re
from pathlib import Path

ACTIVE_SUFFIXES = frozenset(
    {
        ".html",
        ".htm",
        ".xhtml",
        ".xht",
        ".shtml",
        ".shtm",
        ".phtml",
        ".xml",
        ".xsl",
        ".xslt",
        ".rdf",
        ".js",
        ".mjs",
        ".cjs",
        ".jsm",
        ".svgz",
        ".mht",
        ".mhtml",
        ".hta",
        ".swf",
        ".xbl",
        ".htc",
        ".wasm",
    }
)
SVG_LIMIT = 16 * 1024 * 1024  # the same bound as a content file
SNIFF_BYTES = 512

_SVG_ELEMENTS = re.compile(
    rb"<\s*(?:[\w.-]+:)?(script|foreignobject|iframe|embed|object|handler|listener)\b", re.IGNORECASE
)
_SVG_HANDLER = re.compile(rb"[\s\"'/](on[a-z]+)\s*=", re.IGNORECASE)
_SVG_MARKUP = re.compile(rb"<!ENTITY|<\?xml-stylesheet", re.IGNORECASE)
_ACTIVE_URL = re.compile(r"(javascript|vbscript|livescript):")
_BLANKS = re.compile(r"[\x00-\x20\x7f]+")
_HTML_START = re.compile(  # the WHATWG MIME-sniffing HTML signatures, after leading whitespace
    rb"[\t\n\x0c\r ]*(?:<!doctype html|<html|<head|<script|<iframe|<h1|<div|<font|<table|<a|<style|<title|<b|"
    rb"<body|<br|<p|<!--|<\?xml)(?:[ >]|$)",
    re.IGNORECASE,
)


def attachment_problem(rel: str, path: Path) -> str | None:
    """Why the attachment at `path` (`rel` below files/) may not be published, or None."""
    suffix = Path(rel).suffix.lower()
    if suffix in ACTIVE_SUFFIXES:
        return (
            f"'{suffix}' files can run script in the reader's browser and are not published; "
            "attach a PDF or an image instead"
        )
    if suffix == ".svg":
        return _svg_problem(path)
    if mimetypes.guess_type("x" + suffix)[0] is None:
        try:
            with path.open("rb") as stream:
                head = stream.read(SNIFF_BYTES)
        except OSError as exc:
            return f"cannot read the file: {exc.strerror or exc}"
        if _HTML_START.match(head):
            return (
                "the file has no known type and begins like a web page, which a browser may run; "
                "give it the extension of its real type (.pdf, .docx, .txt …)"
            )
    return None


def _svg_problem(path: Path) -> str | None:
    try:
        with path.open("rb") as stream:
            data = stream.read(SVG_LIMIT + 1)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if len(data) > SVG_LIMIT:
        return "the SVG is over 16 MB; export it smaller or as PNG"
    found = _SVG_ELEMENTS.search(data)
    if found:
        return _svg_refusal(f"a <{found.group(1).decode('ascii', 'replace')}> element")
    found = _SVG_HANDLER.search(data)
    if found:
        return _svg_refusal(f"an event handler ({found.group(1).decode('ascii', 'replace')}=)")
    found = _SVG_MARKUP.search(data)
    if found:
        return _svg_refusal(f"'{found.group(0).decode('ascii', 'replace')}'")
    text = _BLANKS.sub("", html.unescape(data.decode("utf-8", "replace"))).lower()
    found_url = _ACTIVE_URL.search(text)
    if found_url:
        return _svg_refusal(f"a '{found_url.group(0)}' address")
    return None


def _svg_refusal(what: str) -> str:
    return (
        f"the SVG holds {what}, which runs script when the file is opened; remove it "
        "(or export the drawing as plain SVG or PNG)"
    )
