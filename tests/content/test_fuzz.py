"""Issue 6, class 5: property tests over the three readers of user text.

- `yamlload.load` returns data or raises YamlProblem, nothing else;
- `frontmatter.parse` returns a FrontMatter or diagnostics, never raises;
- `render_markdown` returns a body and diagnostics, never raises, never hides a
  crash behind its catch-all diagnostic ("could not render the body"), and its
  HTML never holds a script, an event handler or a javascript:/vbscript:/data:
  URL, whatever the input.

Inputs: random Unicode (combining marks, right-to-left text and controls,
Vietnamese), random YAML documents (dumped from random values, and token soup),
and Markdown token soup mixed with HTML attack fragments.

CI runs CCHC_FUZZ_EXAMPLES examples per property (default 200). A long run:

    CCHC_FUZZ_EXAMPLES=20000 python -m pytest tests/content/test_fuzz.py -q

(about 10 minutes on a laptop; see docs/security.md).
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_site.content.frontmatter import Context, FrontMatter, parse
from cchc_site.content.markdown import render_markdown
from cchc_site.core.model import Source
from cchc_site.core.yamlload import YamlProblem, load
from cchc_site.domain.glossary import load_glossary
from cchc_site.domain.provinces import load_registry

EXAMPLES = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CTX = Context(load_registry())
GLOSSARY = load_glossary()
ROOT = Path("/site/content").resolve()
TARGETS = {ROOT / "plans" / "kh-493.md": "ke-hoach/kh-493/index.html", ROOT / "files" / "a.png": "files/a.png"}

# --- alphabets -------------------------------------------------------------------------
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠàáảãạĐđƯưƠơẤầẩẫậếềểễệốồổỗộớờởỡợứừửữựýỳỷỹỵ"
COMBINING = "".join(chr(c) for c in (0x300, 0x301, 0x303, 0x309, 0x323, 0x302, 0x306, 0x31B, 0x20DD, 0x0489))
RTL = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "אבגדהוזחטיכלמנסעפצקרשת" + "\u200f\u202b\u202e\u2067\u061c"
CONTROLS = "\t\u200b\u200c\u200d\u2028\u2029\ufeff\u00a0\u3000\x0b\x0c\x1b\x7f\x85"
unicode_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        st.sampled_from(VIETNAMESE + COMBINING + RTL + CONTROLS),
    ),
    max_size=200,
)

# --- YAML ------------------------------------------------------------------------------
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    unicode_text,
    st.dates().map(str),
    st.sampled_from(
        [
            "ha-tinh",
            "Cà Mau",
            "all",
            "3",
            "toàn trình",
            "1.001234",
            "2024-02-30",
            "31/12/2024",
            "2023-12-23T21:35:00+07:00",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(unicode_text, inner, max_size=4)),
    max_leaves=12,
)
KEYS = [
    "title",
    "date",
    "province",
    "summary",
    "tags",
    "plan",
    "source",
    "author",
    "draft",
    "slug",
    "image",
    "number",
    "issued",
    "issuer",
    "year",
    "attachments",
    "level",
    "field",
    "agency",
    "portal_url",
    "code",
    "provinces",
    "processing_time",
    "fee",
    "documents",
    "result",
    "legal_basis",
    "order",
    "x-note",
    "tittle",
]
front_dicts = st.dictionaries(st.one_of(st.sampled_from(KEYS), unicode_text), values, max_size=10)
YAML_TOKENS = [
    "\n",
    "  ",
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!!str ",
    "!tag ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "---",
    "...",
    "%YAML 1.1\n",
    "\t",
    "<<: ",
    "~",
    "title",
    "date",
    "2024-01-01",
    "1.001230",
    "0x1F",
    "1e3",
    ".inf",
    "yes",
    "on",
    "=",
    "\\",
    "\\x00",
    "@",
    "`",
]


def dumped(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None, sort_keys=False)


yaml_documents = st.one_of(
    unicode_text,
    front_dicts.map(dumped),
    st.lists(st.one_of(st.sampled_from(YAML_TOKENS), unicode_text), max_size=40).map("".join),
)

# --- Markdown --------------------------------------------------------------------------
MD_TOKENS = [
    "\n",
    "\n\n",
    "    ",
    "> ",
    "- ",
    "* ",
    "1. ",
    "# ",
    "## ",
    "**",
    "_",
    "`",
    "```",
    "~~~",
    "|",
    "---",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "[^1]",
    "[^1]: ",
    "<",
    ">",
    "/",
    '"',
    "'",
    "=",
    "&",
    ";",
    "#",
    "\\",
    "&#x6A;",
    "&#106;",
    "&colon;",
    "&lt;",
    "&#0000097;",
    "\t",
    "\r",
    " on",
    "onerror=",
    'onclick="',
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "vbscript:",
    "data:text/html,",
    "alert(1)",
    "<script>",
    "</script>",
    "<scr",
    "ipt>",
    "<style>",
    "<iframe src=",
    "<object data=",
    "<embed src=",
    "<svg onload=",
    "<svg><script>",
    "<math>",
    "<a href=",
    "<img src=",
    "<img src=x onerror=",
    "<p ",
    "<div>",
    "</div>",
    "<details ontoggle=",
    "<base href=",
    "<meta http-equiv=refresh content=",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "{{",
    "}}",
    "{%",
    "%}",
    "UBND",
    "CCHC",
    "TTHC",
    "../plans/kh-493.md",
    "../files/a.png",
    "https://a.vn/",
    "<https://a.vn>",
    "<javascript:alert(1)>",
    "\u202e",
    "\u200b",
    "\u0301",
    "\u0323",
    "ư",
    "đ",
    "ا",
    "ש",
]
markdown_bodies = st.one_of(
    unicode_text,
    st.lists(st.one_of(st.sampled_from(MD_TOKENS), unicode_text), max_size=60).map("".join),
)


# --- checks ----------------------------------------------------------------------------
class _Html(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "iframe", "object", "embed", "svg", "math", "base", "meta", "link", "form"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
                self.problems.append(f"{tag} {name}")
            if value and name in ("href", "src", "action", "poster", "xlink:href", "data", "srcset", "cite"):
                cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if cleaned.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag


def assert_inert(markup: str) -> None:
    assert "<script" not in markup.lower(), markup
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", markup, re.I), markup
    assert _Html(markup).problems == [], (_Html(markup).problems, markup)


def source(text: str, kind: str) -> Source:
    return Source(path=ROOT / f"{kind}s/x.md", rel=f"content/{kind}s/x.md", kind=kind, text=text)  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------
@FUZZ
@given(yaml_documents)
def test_yaml_load_returns_data_or_its_own_problem(text: str) -> None:
    try:
        data, positions = load(text, line_offset=1)
    except YamlProblem as exc:
        assert exc.line >= 1 and exc.col >= 0 and exc.message
        return
    assert isinstance(positions, dict)
    if isinstance(data, dict):
        for key in data:
            if isinstance(key, str):  # (a null or complex key has no name to report it by)
                assert (key,) in positions


@FUZZ
@given(front_dicts, markdown_bodies, st.sampled_from(["article", "plan", "service", "page"]))
def test_front_matter_of_random_values_is_parsed_or_diagnosed(data: dict, body: str, kind: str) -> None:
    text = "---\n" + dumped(data) + "---\n" + body
    front, diags = parse(source(text, kind), CTX)
    assert (front is None) == bool(diags)
    if front is not None:
        assert isinstance(front, FrontMatter) and front.body_line >= 2
    for d in diags:
        assert d.path == f"content/{kind}s/x.md" and d.line >= 0 and d.message


@FUZZ
@given(
    yaml_documents,
    unicode_text,
    st.sampled_from(["article", "plan", "service", "page"]),
    st.sampled_from(["---\n", "---\r\n", "\ufeff---\n", "", "--- \n"]),
)
def test_any_text_as_a_content_file_is_parsed_or_diagnosed(yaml_text: str, body: str, kind: str, opening: str) -> None:
    for text in (opening + yaml_text + "\n---\n" + body, opening + yaml_text, yaml_text):
        front, diags = parse(source(text, kind), CTX)
        assert (front is None) == bool(diags)


@FUZZ
@given(markdown_bodies)
def test_rendered_markdown_is_inert_and_never_crashes(text: str) -> None:
    body, diags = render_markdown(
        text,
        page_path="tin-tuc/x/index.html",
        source_path=ROOT / "articles/x.md",
        source_rel="content/articles/x.md",
        body_line=6,
        resolve=TARGETS.get,
        glossary=GLOSSARY,
    )
    for d in diags:
        assert "could not render the body" not in d.message, (d, text)  # a renderer crash, not the user's error
        assert d.path == "content/articles/x.md" and d.line >= 6
    assert_inert(body.html)
    assert "<" not in body.text or "<" in text or "&lt;" in text or "&#" in text


@FUZZ
@given(
    st.lists(st.sampled_from([t for t in MD_TOKENS if "<" in t or ":" in t or "&" in t]), min_size=1, max_size=30).map(
        "".join
    )
)
def test_html_attack_soup_is_inert(text: str) -> None:
    body, _ = render_markdown(
        text, page_path="x/index.html", source_path=ROOT / "pages/x.md", resolve=TARGETS.get, glossary=GLOSSARY
    )
    assert_inert(body.html)


def test_checks_are_not_vacuous() -> None:
    for bad in (
        "<script>x</script>",
        '<a href="java&#x09;script:x">',
        '<p onclick="x">',
        '<img src="data:x">',
        "<svg></svg>",
    ):
        try:
            assert_inert(bad)
        except AssertionError:
            continue
        raise AssertionError(f"not caught: {bad}")
