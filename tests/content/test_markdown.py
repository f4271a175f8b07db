"""Tests for the one Markdown configuration: links, headings, abbr, sanitising, guards."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cchc_site.content.markdown import render_markdown
from cchc_site.core.diagnostics import Diagnostic
from cchc_site.core.model import Body
from cchc_site.domain.glossary import load_glossary

ROOT = Path("/site/content").resolve()
TARGETS = {
    ROOT / "plans" / "kh-493.md": "ke-hoach/kh-493/index.html",
    ROOT / "plans" / "2024" / "kh-12.md": "ke-hoach/kh-12/index.html",
    ROOT / "articles" / "tin-a.md": "tin-tuc/tin-a/index.html",
    ROOT / "files" / "a.png": "files/a.png",
    ROOT / "files" / "kh-493.pdf": "files/kh-493.pdf",
}
GLOSSARY = load_glossary()


def render(
    text: str, *, source: str = "articles/tin-b.md", page: str = "tin-tuc/tin-b/index.html", body_line: int = 1
) -> tuple[Body, list[Diagnostic]]:
    return render_markdown(
        text,
        page_path=page,
        source_path=ROOT / source,
        source_rel="content/" + source,
        body_line=body_line,
        resolve=TARGETS.get,
        glossary=GLOSSARY,
    )


def ok(text: str, **kw: str) -> Body:
    body, diags = render(text, **kw)  # type: ignore[arg-type]
    assert diags == []
    return body


class _Elements(HTMLParser):
    """All (tag, attrs) of a fragment, as a browser would see them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def elements(markup: str, tag: str | None = None) -> list[tuple[str, dict[str, str | None]]]:
    return [e for e in _Elements(markup).elements if tag is None or e[0] == tag]


# --- links -------------------------------------------------------------------
def test_link_to_content_file_becomes_relative_page_link_with_fragment() -> None:
    body = ok("Xem [kế hoạch](../plans/kh-493.md#muc-tieu) và [tin](tin-a.md).")
    hrefs = [a["href"] for _, a in elements(body.html, "a")]
    assert hrefs == ["../../ke-hoach/kh-493/index.html#muc-tieu", "../tin-a/index.html"]
    assert body.links == ("ke-hoach/kh-493/index.html", "tin-tuc/tin-a/index.html")


def test_link_from_nested_folder_and_to_nested_folder() -> None:
    body = ok(
        "[a](../../articles/tin-a.md) [b](../2024/kh-12.md)",
        source="plans/2023/kh-1.md",
        page="ke-hoach/kh-1/index.html",
    )
    hrefs = [a["href"] for _, a in elements(body.html, "a")]
    assert hrefs == ["../../tin-tuc/tin-a/index.html", "../kh-12/index.html"]


def test_reference_style_link_is_rewritten() -> None:
    body = ok("Xem [kế hoạch][kh].\n\n[kh]: ../plans/kh-493.md")
    assert elements(body.html, "a")[0][1]["href"] == "../../ke-hoach/kh-493/index.html"


def test_images_and_files_link_to_files_folder_but_not_to_links() -> None:
    body = ok("![Sơ đồ](../files/a.png)\n\n[Tải về](../files/kh-493.pdf)")
    assert elements(body.html, "img")[0][1]["src"] == "../../files/a.png"
    assert elements(body.html, "img")[0][1]["alt"] == "Sơ đồ"
    assert elements(body.html, "a")[0][1]["href"] == "../../files/kh-493.pdf"
    assert body.links == ()


def test_urls_and_fragments_are_left_alone() -> None:
    body = ok("[a](https://dichvucong.gov.vn/p/x?a=1) [b](mailto:a@b.vn) [c](tel:0123) [d](#muc-1)")
    anchors = elements(body.html, "a")
    assert [a["href"] for _, a in anchors] == [
        "https://dichvucong.gov.vn/p/x?a=1",
        "mailto:a@b.vn",
        "tel:0123",
        "#muc-1",
    ]
    assert anchors[0][1]["rel"] == "noopener noreferrer"
    assert "rel" not in anchors[3][1]


def test_missing_link_target_is_error_at_its_line_and_column() -> None:
    text = "Đoạn một.\n\nĐoạn hai có [liên kết hỏng](../plans/kh-999.md) ở đây.\n"
    body, diags = render(text, body_line=8)
    assert len(diags) == 1
    d = diags[0]
    assert (d.path, d.line, d.col) == ("content/articles/tin-b.md", 9 + 1, 29)
    assert "../plans/kh-999.md" in d.message
    assert isinstance(body, Body)


def test_two_missing_targets_each_get_their_own_position() -> None:
    text = "[a](x.md)\n\n- [b](x.md)\n- ![c](../files/none.png)\n"
    _, diags = render(text, body_line=3)
    assert [(d.line, d.col) for d in diags] == [(3, 5), (5, 7), (6, 8)]
    assert "image" in diags[2].message


def test_root_absolute_link_is_error() -> None:
    _, diags = render("[a](/ke-hoach/kh-1/)")
    assert len(diags) == 1 and "relative" in diags[0].message


# --- headings ----------------------------------------------------------------
def test_heading_ids_fold_like_slugs() -> None:
    body = ok("## Đẩy mạnh chuyển đổi số\n\n### Mục tiêu & yêu cầu\n\n## Đẩy mạnh chuyển đổi số\n")
    ids = [a["id"] for _, a in elements(body.html) if "id" in a]
    assert ids[:2] == ["day-manh-chuyen-doi-so", "muc-tieu-yeu-cau"]
    assert ids[2] != ids[0]
    assert [(h.level, h.text, h.anchor) for h in body.headings[:2]] == [
        (2, "Đẩy mạnh chuyển đổi số", "day-manh-chuyen-doi-so"),
        (3, "Mục tiêu & yêu cầu", "muc-tieu-yeu-cau"),
    ]


def test_h1_becomes_h2() -> None:
    body = ok("# Điều 1\n\nNội dung")
    assert elements(body.html)[0] == ("h2", {"id": "dieu-1"})
    assert body.headings[0].level == 2


# --- abbreviations -------------------------------------------------------------
def test_first_use_only_is_wrapped() -> None:
    body = ok("Công tác CCHC năm nay.\n\nTiếp tục CCHC và TTHC.")
    assert body.html.count("<abbr") == 2
    assert '<abbr title="cải cách hành chính">CCHC</abbr> năm nay' in body.html
    assert "Tiếp tục CCHC và <abbr" in body.html
    assert body.text == "Công tác CCHC năm nay. Tiếp tục CCHC và TTHC."


def test_abbr_respects_vietnamese_word_boundaries() -> None:
    body = ok("CCHCX, ĐHĐND, 493/KH-UBND; HĐND tỉnh")
    assert re.findall(r"<abbr[^>]*>([^<]*)</abbr>", body.html) == ["HĐND"]


def test_abbr_never_inside_code_or_existing_abbr_or_href() -> None:
    body = ok('`CCHC` và\n\n    UBND\n\n<abbr title="riêng">DN</abbr> rồi DN, [xem](https://x.vn/CCHC) rồi CCHC')
    assert "<code>CCHC</code>" in body.html
    assert "<code>UBND\n</code>" in body.html
    assert body.html.count("<abbr") == 2  # the author's DN and the prose CCHC
    assert '<abbr title="riêng">DN</abbr> rồi DN' in body.html
    assert 'href="https://x.vn/CCHC"' in body.html
    assert body.html.rstrip().endswith('rồi <abbr title="cải cách hành chính">CCHC</abbr></p>')


def test_site_glossary_extends_defaults_and_plain_mapping_is_accepted() -> None:
    body, _ = render_markdown(
        "Dự án ABC.",
        page_path="a/index.html",
        source_path=ROOT / "pages/a.md",
        resolve=TARGETS.get,
        glossary={"ABC": "thử nghiệm"},
    )
    assert '<abbr title="thử nghiệm">ABC</abbr>' in body.html


# --- sanitising ----------------------------------------------------------------
ATTACKS = [
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    '<a href="jav&#x61;script:alert(1)">x</a>',
    "[x](jav&#x61;script:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"></svg>',
    '<p style="position:fixed" onclick="alert(1)">x</p>',
    '<form action="https://evil.example"><input name="a"></form>',
    '<div onmouseover="alert(1)">x</div>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<sup id="a" onclick="alert(1)">1</sup> <abbr title="x" onmouseover="alert(1)">y</abbr>',
    '<h2 id="x" onfocus="alert(1)" tabindex="1">z</h2> <td onclick="alert(1)">q</td>',
    '<a href="https://a.vn" target="_blank" rel="opener" style="color:red">x</a>',
]
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "form", "input", "math"}


@pytest.mark.parametrize("attack", ATTACKS)
def test_dangerous_html_is_removed(attack: str) -> None:
    body, _ = render(f"Trước\n\n{attack}\n\nSau")
    for tag, attrs in elements(body.html):
        assert tag not in FORBIDDEN_TAGS
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in ("style", "tabindex", "target")
            if name == "rel":
                assert value == "noopener noreferrer"
            if name in ("href", "src") and value:
                assert re.sub(r"[\s\x00-\x1f]", "", value).lower().split(":")[0] not in (
                    "javascript",
                    "data",
                    "vbscript",
                )
    assert "alert(1)</script>" not in body.html
    assert "Trước" in body.html and "Sau" in body.html


def test_allowed_markup_survives() -> None:
    body = ok(
        '<figure><img src="https://a.vn/x.png" alt="a" width="10"><figcaption>Chú thích</figcaption>'
        "</figure>\n\n<p>H<sub>2</sub>O x<sup>2</sup> <span>s</span></p>\n\n"
        '<table><tr><td colspan="2">a</td></tr></table>'
    )
    tags = [t for t, _ in elements(body.html)]
    for tag in ("figure", "img", "figcaption", "sub", "sup", "span", "table", "td"):
        assert tag in tags
    assert elements(body.html, "td")[0][1] == {"colspan": "2"}


def test_tables_render_with_alignment_as_class() -> None:
    body = ok("| Tỉnh | Điểm |\n|:--|--:|\n| Cà Mau | 85,5 |\n")
    tags = [t for t, _ in elements(body.html)]
    assert tags.count("table") == 1 and tags.count("th") == 2 and tags.count("td") == 2
    assert elements(body.html, "td")[1][1] == {"class": "align-right"}
    assert "style" not in body.html


def test_fenced_code_keeps_html_as_text() -> None:
    body = ok("```html\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;" in body.html
    assert elements(body.html, "script") == []


def test_attr_list_is_not_enabled() -> None:
    body = ok('## Mục {: onclick="alert(1)" #x }\n\n[a](https://a.vn){: style="color:red"}')
    for _, attrs in elements(body.html):
        assert "onclick" not in attrs and "style" not in attrs


def test_footnotes_render() -> None:
    body = ok("Theo kế hoạch[^1].\n\n[^1]: Kế hoạch 493/KH-UBND.")
    assert elements(body.html, "sup")[0][1] == {"id": "fnref:1"}
    assert body.text.startswith("Theo kế hoạch.")


# --- template syntax, text -----------------------------------------------------
def test_template_syntax_is_literal_text() -> None:
    jinja2 = pytest.importorskip("jinja2")
    body = ok("Giá trị {{ config.secret }} và {% include 'x' %} {# c #}")
    assert "{{" not in body.html and "{%" not in body.html
    rendered = jinja2.Environment(autoescape=True).from_string(body.html).render()
    assert "".join(_Elements(rendered).data) == "Giá trị {{ config.secret }} và {% include 'x' %} {# c #}"
    assert body.text == "Giá trị {{ config.secret }} và {% include 'x' %} {# c #}"


def test_plain_text_strips_tags_decodes_entities_collapses_space() -> None:
    body = ok("## Mục 1\n\nA &amp; B **đậm**\n\n- một\n- hai")
    assert body.text == "Mục 1 A & B đậm một hai"


# --- guards ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        ">" * 5000 + " x",
        "- " * 5000 + "x",
        "1. " * 5000 + "x",
        "> - " * 3000 + "x",
        "\n".join("    " * i + "- x" for i in range(400)),
        "*" * 5000 + "a" + "*" * 5000,
        "[" * 20000,
        "<div>" * 50000,
        "<a " * 20000,
        "<![CDATA[" * 5000,
    ],
)
def test_pathological_input_is_a_diagnostic_in_bounded_time(text: str) -> None:
    start = time.monotonic()
    body, diags = render("Mở đầu\n\n" + text, body_line=4)
    assert time.monotonic() - start < 3
    assert len(diags) == 1 and diags[0].line >= 4
    assert "nested" in diags[0].message or "complex" in diags[0].message
    assert body.html == ""


def test_deep_nesting_reports_its_line() -> None:
    _, diags = render("a\n\nb\n\n" + ">" * 500 + " x", body_line=10)
    assert (diags[0].line, diags[0].message.split(" (")[0]) == (14, "body too deeply nested")


def test_renderer_recovers_after_a_failure() -> None:
    render("*" * 5000 + "a" + "*" * 5000)
    assert elements(ok("[a](../plans/kh-493.md)").html, "a")[0][1]["href"] == "../../ke-hoach/kh-493/index.html"


def test_resolver_exception_becomes_diagnostic() -> None:
    def broken(path: Path) -> str | None:
        raise OSError("disk gone")

    body, diags = render_markdown(
        "[a](b.md)", page_path="a/index.html", source_path=ROOT / "pages/a.md", resolve=broken, glossary=GLOSSARY
    )
    assert len(diags) == 1 and "disk gone" in diags[0].message


def test_many_bodies_are_fast_and_independent() -> None:
    start = time.monotonic()
    for i in range(300):
        body = ok(f"## Mục {i}\n\nCCHC lần {i}[^1].\n\n[^1]: chú thích")
        assert body.headings[0].anchor == f"muc-{i}"
        assert body.html.count("<abbr") == 1
    assert time.monotonic() - start < 10
