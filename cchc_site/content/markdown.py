"""The one Markdown configuration: body text → sanitised HTML, headings, links.

Pipeline of `render_markdown`, per body:

1. guard: block nesting deeper than MAX_NESTING is refused before rendering;
2. Python-Markdown (tables, fenced code, sane lists, toc with Vietnamese heading
   ids, footnotes; no attr_list, no raw attributes from authors). A
   treeprocessor demotes `#` headings to h2 (the page title is the h1), turns
   table alignment into classes and refuses paragraphs whose inline parsing
   would be quadratic (thousands of `[` or `<`);
3. nh3 allow-list sanitising of the whole HTML (raw HTML included);
4. one pass over the clean HTML (module `rewrite`): links and images to content files are
   rewritten to relative URLs (a missing target is an error at its line and
   column), external links get rel="noopener noreferrer", the first use of
   each glossary abbreviation is wrapped in `<abbr title=...>`, and the plain
   text is collected;
5. `{` and `}` are written as character references, so body text can never
   be read as template syntax.

Any exception from the renderer becomes a Diagnostic, never a traceback.
"""

from __future__ import annotations

import bisect
import html
import re
import signal
import threading
import xml.etree.ElementTree as etree
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

import markdown as pymarkdown
import nh3
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from cchc_site.content.allowlist import ALLOWED_CLASSES, ATTRIBUTES, CLEAN_CONTENT_TAGS, TAGS, URL_SCHEMES
from cchc_site.content.fastmd import render_fast, unique_anchor
from cchc_site.content.rewrite import _VOID, _WS, Resolve, _Positions, _Rewriter
from cchc_site.core.diagnostics import Diagnostic, error
from cchc_site.core.model import Body, Heading
from cchc_site.domain.glossary import Glossary, as_glossary
from cchc_site.domain.vietnamese import heading_slug

MAX_NESTING = 100  # block quotes / list levels on one line
MAX_HTML_DEPTH = 1000  # open elements in the rendered HTML
# Inline parsing in Python-Markdown is quadratic in the number of `[`, `<`
# and `&` of one paragraph. Cost = count², summed; about 3e-7 s per unit.
MAX_INLINE_COST = 2_500_000  # one paragraph (about 1,500 unmatched `[`)
MAX_BODY_INLINE_COST = 8_000_000  # a whole body
MAX_INDENT = 4 * MAX_NESTING  # columns of leading white space
# The raw-HTML scanner of Python-Markdown re-reads the rest of the body for every
# `<tag` that is not closed by `>`: sum of those distances, in characters.
MAX_OPEN_TAG_SCAN = 20_000_000
TIME_LIMIT = 10.0  # seconds per body (backstop; only on the main thread, where signals work)
TOO_DEEP = "body too deeply nested"
USE_FAST_PATH = True  # fastmd for bodies in its subset (tests switch it off to compare)
TOO_COMPLEX = "body too complex to render"


_OPTIONAL_END = {
    "p",
    "li",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "option",
    "colgroup",
    "caption",
    "rt",
    "rp",
    "optgroup",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>")
_NESTING = re.compile(r"[ \t]*(?:>[ \t]*|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))+")
_HR = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# A line _prescan could refuse starts with more than MAX_NESTING characters that
# nesting markers or indentation are made of (both checks need that many): the
# line-by-line checks run only when some line does (most bodies: none). Searched
# on the text after a newline: a literal first character is found at C speed,
# where `^` with re.M is tried at every position (7x slower than the loop).
_DEEP_LINE = re.compile(rf"\n[ \t>*+0-9.)-]{{{MAX_NESTING + 1}}}")
_TAG_START = re.compile(r"<[A-Za-z!?/]")
_TEXT_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


class _Refused(Exception):
    """Input the renderer refuses (too deep, too costly); carries the message and source text."""

    def __init__(self, message: str, near: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.near = near


class _Prepare(Treeprocessor):
    """Before inline parsing: h1 → h2, table alignment → class, inline cost guard."""

    def run(self, root: etree.Element) -> None:
        total = 0
        stack = [root]
        while stack:
            el = stack.pop()
            stack.extend(el)
            if el.tag == "h1":
                el.tag = "h2"
            style = el.get("style")
            if style is not None:
                del el.attrib["style"]
                m = _TEXT_ALIGN.search(style)
                if m and el.tag in ("td", "th"):
                    el.set("class", "align-" + m.group(1))
            for text in (el.text, el.tail):
                if not text or isinstance(text, AtomicString):
                    continue
                cost = text.count("[") ** 2 + text.count("<") ** 2 + text.count("&") ** 2 // 50
                total += cost
                if cost > MAX_INLINE_COST or total > MAX_BODY_INLINE_COST:
                    raise _Refused(
                        "paragraph too complex to render (thousands of '[', '<' or '&'); split it with blank lines",
                        near=text,
                    )


# Every inline pattern of our Markdown configuration needs one of these to match:
# backticks, backslash escapes, [links] / ![images] / [^footnotes], <autolinks> /
# <inline html>, &entities;, * and _ emphasis, and the two-space line break.
_INLINE_TRIGGER = re.compile(r"[`\\\[<&*_]|  \n")


class _FastInline(InlineProcessor):
    """Python-Markdown's inline processor, skipping text in which no inline
    pattern can match (most Vietnamese prose): it would try all twenty
    patterns and give the text back unchanged. Same output, ~40% less time
    per body (tests/content/test_markdown_fastpath.py proves the sameness)."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        if patternIndex == 0 and not _INLINE_TRIGGER.search(data):
            return data
        return str(InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex))


class _HeadingIds(Treeprocessor):
    """After inline parsing: ids on h2–h6 that fold like slugs ("Đẩy mạnh" → day-manh),
    unique within the body; the list of headings. (Python-Markdown's toc extension
    does this too, but also builds a table of contents we do not use, at a third
    of the cost of the whole conversion.)"""

    def run(self, root: etree.Element) -> None:
        found: list[Heading] = []
        used: set[str] = set()
        for el in root.iter():
            if el.tag in _HEADINGS:
                text = _WS.sub(" ", _stash_free("".join(el.itertext()), self.md)).strip()
                anchor = unique_anchor(heading_slug(text), used)
                el.set("id", anchor)
                found.append(Heading(level=int(el.tag[1]), text=text, anchor=anchor))
        self.md.cchc_headings = tuple(found)


_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_STASH = re.compile("\x02wzxhzdk:(\\d+)\x03")


def _stash_free(text: str, md: pymarkdown.Markdown) -> str:
    """Heading text with stashed inline HTML replaced by its text."""
    if "\x02" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        index = int(m.group(1))
        stash = md.htmlStash.rawHtmlBlocks
        raw = str(stash[index]) if index < len(stash) else ""
        return html.unescape(re.sub(r"<[^>]*>", "", raw))

    return _STASH.sub(sub, text)


class _Local(threading.local):
    instances: dict[tuple[bool, bool, bool], pymarkdown.Markdown] | None = None


_local = _Local()


def _features(text: str) -> tuple[bool, bool, bool]:
    """Which optional syntaxes the body may use. An extension only acts on its own
    syntax, so leaving it out where that syntax cannot occur changes nothing but speed."""
    return ("|" in text, "```" in text or "~~~" in text, "[^" in text)


def _markdown(text: str = "|```[^") -> pymarkdown.Markdown:
    """The per-thread Markdown instance for the features of `text` (built once, reset per body)."""
    if _local.instances is None:
        _local.instances = {}
    key = _features(text)
    md = _local.instances.get(key)
    if md is None:
        tables, fences, footnotes = key
        extensions = ["sane_lists"] + ["tables"] * tables + ["fenced_code"] * fences + ["footnotes"] * footnotes
        md = pymarkdown.Markdown(
            extensions=extensions,
            extension_configs={"footnotes": {"BACKLINK_TITLE": "Quay lại chỗ dẫn chú thích %d"}},
            output_format="html",
        )
        md.treeprocessors.register(_FastInline(md), "inline", 20)  # replaces the stock one
        md.treeprocessors.register(_Prepare(md), "cchc-prepare", 30)
        md.treeprocessors.register(_HeadingIds(md), "cchc-heading-ids", 4)
        _local.instances[key] = md
    md.reset()
    md.cchc_headings = ()
    return md


def _forget_instances() -> None:
    """After a failure the instance may hold half a document: build new ones."""
    _local.instances = None


def _sanitise(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _html_depth(markup: str) -> int:
    """Deepest element nesting, counting tags that must be closed (a cheap upper bound)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(markup):
        name = name.lower()
        if name in _VOID or name in _OPTIONAL_END or self_closing:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


_RAW_TEXT = re.compile(r"<(/?)(style|script|textarea|title)\b[^>]*>", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[ \t]*$|`[^`\n]*`", re.MULTILINE | re.DOTALL)


def _unclosed_raw(text: str) -> tuple[int, int, str] | None:
    """(line index, column, message) of a <style>, <script>, <textarea> or <title> that is
    never closed: the HTML parser would read the rest of the body as its text and drop it,
    broken links included, without a word. Code spans and fenced code do not count. Linear."""
    if "<" not in text:
        return None
    plain = _FENCE.sub(lambda m: " " * len(m.group()), text) if "`" in text or "~~~" in text else text
    open_at: dict[str, int] = {}
    for m in _RAW_TEXT.finditer(plain):
        name = m.group(2).lower()
        if m.group(1):
            open_at.pop(name, None)
        elif name not in open_at:
            open_at[name] = m.start()
    if not open_at:
        return None
    name, at = min(open_at.items(), key=lambda kv: kv[1])
    line = text.count("\n", 0, at)
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return (
        line,
        col,
        (f"<{name}> is never closed: everything after it would vanish from the page; add </{name}> or remove the tag"),
    )


def _prescan(text: str) -> tuple[int, int, str] | None:
    """(line index, column, message) of input the renderer would choke on, if any.

    Linear-time checks for what is exponential, recursive or quadratic in
    Python-Markdown: deep block nesting, huge indentation, unterminated tags.
    """
    for index, line in enumerate(text.split("\n") if _DEEP_LINE.search("\n" + text) else ()):
        m = _NESTING.match(line)
        if m and m.end() > MAX_NESTING and not _HR.match(line):
            depth = len(re.findall(r">|[-*+]|\d{1,9}[.)]", m.group()))
            if depth > MAX_NESTING:
                return index, 1, f"{TOO_DEEP} ({depth} levels; at most {MAX_NESTING})"
        indent = len(line) - len(line.lstrip(" \t"))
        if indent and len(line[:indent].expandtabs(4)) > MAX_INDENT:
            return index, 1, f"{TOO_DEEP} (indented more than {MAX_INDENT} columns)"
    if "<" not in text:
        return None
    closers = [m.start() for m in re.finditer(">", text)]
    scanned = 0
    for m in _TAG_START.finditer(text):
        at = bisect.bisect_left(closers, m.start())
        scanned += (closers[at] if at < len(closers) else len(text)) - m.start()
        if scanned > MAX_OPEN_TAG_SCAN:
            at_line = text.count("\n", 0, m.start())
            return at_line, 1, f"{TOO_COMPLEX}: too many '<' without a closing '>'"
    return None


class _Timeout(BaseException):
    """Raised by the SIGALRM backstop; BaseException so no library handler swallows it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the body after `seconds` when we may (main thread, no other timer running)."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_markdown(
    text: str,
    *,
    page_path: str,
    source_path: Path,
    body_line: int = 1,
    resolve: Resolve,
    glossary: Glossary | Mapping[str, str] | None = None,
    source_rel: str | None = None,
) -> tuple[Body, list[Diagnostic]]:
    """Render one Markdown body shown on the page at `page_path`.

    `body_line` is the line of the file where `text` starts; diagnostics name
    `source_rel` (default: `source_path`). `resolve` maps the absolute path of
    a link target (a .md content file or a file under content/files) to its
    output path, or None when there is no such content.
    """
    rel = source_rel if source_rel is not None else str(source_path)
    positions = _Positions(text, body_line)
    refused = _prescan(text) or _unclosed_raw(text)
    if refused is not None:
        index, col, message = refused
        return Body(html="", text=""), [error(rel, body_line + index, col, message)]
    try:
        with _time_limit(TIME_LIMIT):
            return _render(
                text,
                page_path=page_path,
                source_path=source_path,
                resolve=resolve,
                glossary=as_glossary(glossary),
                positions=positions,
                rel=rel,
            )
    except _Refused as exc:
        _forget_instances()
        near = exc.near.strip().split("\n", 1)[0][:60]
        line, col = positions.find([near]) if near else (body_line, 0)
        return Body(html="", text=""), [error(rel, line, col, exc.message)]
    except _Timeout:
        _forget_instances()
        return Body(html="", text=""), [error(rel, body_line, 0, f"{TOO_COMPLEX} in {TIME_LIMIT:g} seconds")]
    except RecursionError:
        _forget_instances()
        return Body(html="", text=""), [error(rel, body_line, 0, TOO_DEEP)]
    except Exception as exc:  # noqa: BLE001 - any renderer failure is the user's diagnostic
        _forget_instances()
        return Body(html="", text=""), [
            error(rel, body_line, 0, f"could not render the body: {type(exc).__name__}: {exc}")
        ]


def _render(
    text: str,
    *,
    page_path: str,
    source_path: Path,
    resolve: Resolve,
    glossary: Glossary,
    positions: _Positions,
    rel: str,
) -> tuple[Body, list[Diagnostic]]:
    """Markdown → sanitised HTML → links, abbreviations and text in one pass."""
    fast = render_fast(text) if USE_FAST_PATH else None
    if fast is not None:
        clean, headings = fast
    else:
        md = _markdown(text)
        raw = md.convert(text)
        headings = md.cchc_headings
        if _html_depth(raw) > MAX_HTML_DEPTH:
            raise _Refused(f"{TOO_DEEP} (more than {MAX_HTML_DEPTH} open HTML elements)")
        clean = _sanitise(raw)
    rewriter = _Rewriter(
        page_path=page_path,
        source_path=source_path,
        resolve=resolve,
        glossary=glossary,
        positions=positions,
        source_rel=rel,
    )
    if fast is not None and "&nbsp;" not in clean and "&amp;" not in clean:
        # (escaped text would hide "PAR\xa0Index" and "TT&TT" from the glossary)
        text_only = rewriter.feed_simple(clean)
    else:
        rewriter.feed(clean)
        text_only = "".join(rewriter.text)
    out = "".join(rewriter.out).replace("{", "&#123;").replace("}", "&#125;")
    plain = " ".join(text_only.split())  # = _WS.sub(" ", text_only).strip(), faster
    return Body(html=out, text=plain, headings=headings, links=tuple(rewriter.links)), rewriter.diagnostics
