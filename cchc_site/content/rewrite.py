"""The one pass over sanitised HTML that follows Markdown rendering.

Links and images to content files become relative URLs (a missing target is
an error at its line and column), external links get rel="noopener
noreferrer", the first use of each glossary abbreviation is wrapped in
`<abbr title=...>`, and the plain text is collected for search and
summaries. Split from `markdown` so each module holds one step.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

from cchc_site.content.fastmd import TAG
from cchc_site.core.diagnostics import Diagnostic, error
from cchc_site.domain.glossary import Glossary
from cchc_site.site import urls

Resolve = Callable[[Path], "str | None"]


_BLOCK_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
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
    "br",
    "hr",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "div",
}
_NO_ABBR_TAGS = {"code", "pre", "kbd", "abbr"}
_VOID = {"br", "hr", "img", "wbr", "area", "base", "col", "embed", "input", "link", "meta", "source", "track", "param"}
_WS = re.compile(r"\s+")


class _Positions:
    """Finds where a link target is written in the body, for diagnostics."""

    def __init__(self, text: str, body_line: int) -> None:
        self.text = text
        self.body_line = body_line
        self.used: set[int] = set()

    def line_col(self, pos: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, pos)
        col = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return self.body_line + line, col

    def find(self, needles: list[str]) -> tuple[int, int]:
        """Line and column of the first unreported place where one of `needles` is written
        as a link target (`](x`, `]: x`, `="x"`), else anywhere; the body start if nowhere."""
        for needle in needles:
            if not needle:
                continue
            escaped = re.escape(needle)
            for pattern in (rf"(?:\]\(\s*<?|^[ \t]*\[[^\]\n]+\]:[ \t]*<?|=\s*[\"']?)({escaped})", f"({escaped})"):
                for m in re.finditer(pattern, self.text, re.MULTILINE):
                    if m.start(1) not in self.used:
                        self.used.add(m.start(1))
                        return self.line_col(m.start(1))
        return self.body_line, 0


_LINK_TAG = re.compile(r"<(a|img)\b([^>]*)>")
_TOKEN = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"]|"[^"]*")*)>|([^<]+)')
_ATTR = re.compile(r'([^\s="/>]+)(?:="([^"]*)")?')


def _attributes(markup: str) -> list[tuple[str, str | None]]:
    """(name, value) of a serialised tag's attributes, values unescaped."""
    return [
        (a.group(1).lower(), None if a.group(2) is None else html.unescape(a.group(2))) for a in _ATTR.finditer(markup)
    ]


class _Rewriter:
    """One pass over sanitised HTML: links, abbreviations, plain text.

    The input is nh3's serialisation (well-formed, attributes double-quoted,
    text escaped, no comments), so a regular-expression tokenizer reads it
    exactly and far faster than html.parser; tags other than a/img and text
    without abbreviations are copied as they are."""

    def __init__(
        self,
        *,
        page_path: str,
        source_path: Path,
        resolve: Resolve,
        glossary: Glossary,
        positions: _Positions,
        source_rel: str,
    ) -> None:
        self.page_path = page_path
        self.base = os.path.dirname(source_path)  # a string: joined with each link's path
        self.resolve = resolve
        self.glossary = glossary
        self.pattern = glossary.pattern
        self.positions = positions
        self.source_rel = source_rel
        self.out: list[str] = []
        self.text: list[str] = []
        self.links: dict[str, None] = {}
        self.diagnostics: list[Diagnostic] = []
        self.explained: set[str] = set()
        self.no_abbr = 0
        self.no_text = 0
        self.abbr_text: list[str] | None = None
        self.open: list[str] = []

    # --- links -----------------------------------------------------------
    def _rewrite(self, tag: str, attr: str, value: str) -> tuple[str, bool]:
        """The target as the page links it, and whether it is a web address (http, https)."""
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not parts.path:
            return value, parts.scheme in ("http", "https")  # a URL (scheme allowed by nh3), //host, "#frag" or "?q"
        kind = "image" if tag == "img" else "link"
        if parts.path.startswith("/"):
            line, col = self.positions.find([value])
            self.diagnostics.append(
                error(
                    self.source_rel,
                    line,
                    col,
                    f"{kind} '{value}' starts with '/': write the path relative to "
                    "this file (e.g. ../plans/kh-493.md) so the site works offline",
                )
            )
            return value, False
        target = Path(os.path.normpath(os.path.join(self.base, unquote(parts.path))))
        out = self.resolve(target)
        if out is None:
            line, col = self.positions.find([value, parts.path, unquote(parts.path)])
            self.diagnostics.append(
                error(
                    self.source_rel,
                    line,
                    col,
                    f"{kind} to a missing file: '{value}' (no content file or file under content/files at that path)",
                )
            )
            return value, False
        if target.suffix.lower() == ".md":
            self.links[out] = None
        href = quote(urls.relative(self.page_path, out), safe="/:@!$&'()*+,;=-._~")
        if parts.query:
            href += "?" + parts.query
        if parts.fragment:
            href += "#" + parts.fragment
        return href, False

    def _link_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        """An a or img start tag with its target rewritten (and rel for external links)."""
        out: list[tuple[str, str | None]] = []
        external = False
        for name, value in attrs:
            if value is not None and ((tag == "a" and name == "href") or (tag == "img" and name == "src")):
                value, web = self._rewrite(tag, name, value)
                external = tag == "a" and web
            out.append((name, value))
        if external:
            out.append(("rel", "noopener noreferrer"))
        rendered = "".join(f" {n}" if v is None else f' {n}="{html.escape(v, quote=True)}"' for n, v in out)
        return f"<{tag}{rendered}>"

    def _abbr(self, key: str, shown: str) -> str:
        """The first use of abbreviation `key` (written `shown`, already escaped), explained."""
        self.explained.add(key)
        return f'<abbr title="{html.escape(self.glossary[key], quote=True)}">{shown}</abbr>'

    # --- tokens -------------------------------------------------------------
    def feed(self, markup: str) -> None:
        for m in _TOKEN.finditer(markup):
            raw = m.group(4)
            if raw is not None:
                self.handle_data(html.unescape(raw) if "&" in raw else raw, raw)
                continue
            closing, tag, rest = m.group(1), m.group(2).lower(), m.group(3)
            if closing:
                self.handle_endtag(tag)
                continue
            self._raw_tag = m.group(0)
            attrs: list[tuple[str, str | None]] = []
            if tag in ("a", "img"):
                attrs = _attributes(rest.rstrip().rstrip("/"))
            if rest.rstrip().endswith("/"):
                self.handle_startendtag(tag, attrs)
            else:
                self.handle_starttag(tag, attrs)

    def close(self) -> None:
        pass

    def feed_simple(self, markup: str) -> str:
        """`feed` for fastmd's output; returns the text.

        That output has no code, pre, kbd, abbr, footnotes or `&nbsp;`, and a
        newline between any two block elements, so the text is the markup
        without its tags, and abbreviations can be found in the escaped text
        (skipping matches inside a tag). Only a/img tags are parsed.
        """
        edits: list[tuple[int, int, str]] = []
        for m in _LINK_TAG.finditer(markup):
            edits.append((m.start(), m.end(), self._link_tag(m.group(1), _attributes(m.group(2)))))
        explained, lookup = self.explained, self.glossary.lookup
        for m in self.glossary.finditer(markup):
            shown = m.group()
            key = lookup(shown)
            if key is None or key in explained:  # most matches: an abbreviation explained already
                continue
            start = m.start()
            if markup.rfind("<", 0, start) > markup.rfind(">", 0, start):
                continue  # inside a tag's attributes
            edits.append((start, m.end(), self._abbr(key, shown)))
        pos = 0
        for start, end, replacement in sorted(edits):
            self.out.append(markup[pos:start])
            self.out.append(replacement)
            pos = end
        self.out.append(markup[pos:])
        return html.unescape(TAG.sub("", markup))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "img"):
            self.out.append(self._link_tag(tag, attrs))
        else:
            self.out.append(self._raw_tag)
        if tag in _BLOCK_TAGS:
            self.text.append(" ")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_startendtag(tag, attrs)
        if tag in _VOID:
            return
        self.open.append(tag)
        if tag in _NO_ABBR_TAGS:
            self.no_abbr += 1
        if tag == "abbr":
            self.abbr_text = []
        if tag == "a" and (dict(attrs).get("href") or "").startswith(("#fnref:", "#fn:")):
            self.no_text += 1  # footnote numbers and back-link arrows are not text

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in _BLOCK_TAGS:
            self.text.append(" ")
        if tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            if top in _NO_ABBR_TAGS:
                self.no_abbr -= 1
            if top == "abbr" and self.abbr_text is not None:
                key = self.glossary.lookup(_WS.sub(" ", "".join(self.abbr_text)).strip())
                if key:
                    self.explained.add(key)  # an author's own <abbr> counts as the first use
                self.abbr_text = None
            if top == "a" and self.no_text:
                self.no_text -= 1
            if top == tag:
                break

    def handle_data(self, data: str, raw: str | None = None) -> None:
        if self.abbr_text is not None:
            self.abbr_text.append(data)
        if not self.no_text:
            self.text.append(data)
        if self.no_abbr or self.pattern is None or not self.pattern.search(data):
            self.out.append(raw if raw is not None else html.escape(data, quote=False))
            return
        pos = 0
        for m in self.pattern.finditer(data):
            key = self.glossary.lookup(m.group())
            if key is None or key in self.explained:
                continue
            self.out.append(html.escape(data[pos : m.start()], quote=False))
            self.out.append(self._abbr(key, html.escape(m.group(), quote=False)))
            pos = m.end()
        self.out.append(html.escape(data[pos:], quote=False))
