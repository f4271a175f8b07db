"""YAML parser jargon becomes the fix, at the right line, through the real loader."""

import pytest

from cchc_site.core.yamlload import YamlProblem, load

CASES = [
    ("title: Kế hoạch: cải cách năm 2025\n", 1, "needs quotes"),
    ("summary: Bước 1: nộp hồ sơ\n", 1, "needs quotes"),
    ("title: a\n\tsummary: b\n", 2, "tab"),
    ("title: “Kế hoạch: năm”\n", 1, "curly quotes"),
    ('title: "Kế hoạch\nsummary: b\n', 3, "quote is not closed"),
    ("a: b\ntitle: 'abc\n", 3, "quote is not closed"),
    ("title: a\n  summary: b\n", 2, "indented deeper"),
    ("source:\n  url: a\n name: b\n", 3, "indentation does not match"),
]


@pytest.mark.parametrize("text,line,words", CASES)
def test_common_yaml_mistakes_name_the_fix(text, line, words):
    with pytest.raises(YamlProblem) as exc:
        load(text, line_offset=10)
    assert exc.value.line == line + 10
    assert words in exc.value.message
    for jargon in ("mapping values", "cannot start any token", "end of stream", "<block end>"):
        assert jargon not in exc.value.message


def test_unclosed_quote_line_counts_the_offset():
    with pytest.raises(YamlProblem) as exc:
        load("a: b\ntitle: 'abc\n", line_offset=10)
    assert "opened on line 12" in exc.value.message


def test_unknown_problems_keep_the_parser_words():
    with pytest.raises(YamlProblem) as exc:
        load("a: [1, 2\n")
    assert exc.value.message.startswith("YAML syntax error: ")


def _front(text: str, kind: str):
    from pathlib import Path

    from cchc_site.content.frontmatter import Context, parse
    from cchc_site.core.model import Source
    from cchc_site.domain.provinces import load_registry

    source = Source(path=Path("/site/x.md"), rel="content/x.md", kind=kind, text=text)  # type: ignore[arg-type]
    return parse(source, Context(load_registry()))


@pytest.mark.parametrize("quote", ["“", "”", "‘", "’"])
def test_curly_quotes_in_a_date_are_named(quote):
    front, diags = _front(f"---\ntitle: Tin\ndate: {quote}2024-05-01{quote}\nprovince: ha-tinh\n---\nB\n", "article")
    assert front is None
    assert [d.line for d in diags] == [3]
    assert "curly quotes" in diags[0].message


def test_a_plain_bad_date_does_not_mention_curly_quotes():
    front, diags = _front("---\ntitle: Tin\ndate: 2024-02-30\nprovince: ha-tinh\n---\nB\n", "article")
    assert front is None and diags
    assert "curly" not in diags[0].message


SERVICE = (
    "---\ntitle: Đăng ký khai sinh\nlevel: {level}\nfield: Hộ tịch\nagency: UBND cấp xã\n"
    "portal_url: https://dichvucong.gov.vn/p/home/x.html\n{extra}---\nBước 1.\n"
)


@pytest.mark.parametrize(
    "level,extra,line",
    [
        ("“toàn trình”", "", 3),
        ("4", "code: ‘1.001230.000.00.00.H29’\n", 7),
    ],
)
def test_curly_quotes_in_a_level_or_code_are_named(level, extra, line):
    front, diags = _front(SERVICE.format(level=level, extra=extra), "service")
    assert front is None
    assert [d.line for d in diags] == [line]
    assert "curly quotes" in diags[0].message
