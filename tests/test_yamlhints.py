"""YAML parser jargon becomes the fix, at the right line, through the real loader."""
import pytest

from cchc_site.core.yamlload import YamlProblem, load

CASES = [
    ("title: Kế hoạch: cải cách năm 2025\n", 1, "needs quotes"),
    ("summary: Bước 1: nộp hồ sơ\n", 1, "needs quotes"),
    ("title: a\n\tsummary: b\n", 2, "tab"),
    ("title: “Kế hoạch: năm”\n", 1, "curly quotes"),
    ("title: \"Kế hoạch\nsummary: b\n", 3, "quote is not closed"),
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
