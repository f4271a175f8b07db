"""Tests for the abbreviation glossary (defaults, site overrides, whole-word matching)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_site.domain.glossary import Glossary, GlossaryError, glossary_digest, load_glossary


def test_defaults_have_vietnamese_expansions() -> None:
    g = load_glossary()
    assert g["CCHC"] == "cải cách hành chính"
    assert g["TTHC"] == "thủ tục hành chính"
    assert g["UBND"] == "Ủy ban nhân dân"
    assert g["HĐND"] == "Hội đồng nhân dân"
    assert g["CBCCVC"] == "cán bộ, công chức, viên chức"
    assert g["PAR Index"] == "Chỉ số cải cách hành chính"
    assert g["SIPAS"].startswith("Chỉ số hài lòng của người dân, tổ chức")
    assert g["VNeID"] == "tài khoản định danh điện tử"
    for key in ("DVC", "DVCTT", "DN", "PAPI", "CNTT", "TT&TT", "KH", "QĐ", "NĐ-CP", "CSDL"):
        assert key in g


def test_site_entries_override_in_place_and_extend_in_order() -> None:
    g = load_glossary({"DN": "doanh nghiệp nhỏ", "ZZ": "thử"})
    keys = list(g)
    assert g["DN"] == "doanh nghiệp nhỏ"
    assert keys.index("DN") == list(load_glossary()).index("DN")
    assert keys[-1] == "ZZ" and g.items()[-1] == ("ZZ", "thử")
    assert load_glossary()["DN"] == "doanh nghiệp"  # defaults untouched


def test_glossary_is_frozen_and_hashable() -> None:
    g = load_glossary()
    with pytest.raises(AttributeError):
        g.entries = ()  # type: ignore[misc]
    assert isinstance(g.items(), tuple)
    assert dict(g.items())["CCHC"] == "cải cách hành chính"


@pytest.mark.parametrize("extra", [{"": "x"}, {"AB": ""}, {"AB": 3}, {5: "x"}])
def test_bad_site_entries_are_errors(extra: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(GlossaryError):
        load_glossary(extra)


def test_digest_changes_with_entries() -> None:
    assert glossary_digest() == load_glossary().digest
    assert load_glossary({"ZZ": "thử"}).digest != glossary_digest()
    assert load_glossary({"ZZ": "thử"}).digest == load_glossary({"ZZ": "thử"}).digest


@pytest.mark.parametrize(
    "text, found",
    [
        ("HĐND tỉnh", ["HĐND"]),
        ("ĐHĐND", []),  # Đ is a letter: no boundary before H
        ("HĐNDđ", []),
        ("CCHCX và XCCHC", []),
        ("CCHC2025", []),
        ("493/KH-UBND", []),  # part of a document number
        ("Nghị định 42/2022/NĐ-CP", ["NĐ-CP"]),
        ("Sở TT&TT", ["TT&TT"]),
        ("PAR\nIndex năm 2024", ["PAR\nIndex"]),
        ("(UBND), UBND.", ["UBND", "UBND"]),
        ("ubnd", []),
    ],
)
def test_pattern_matches_whole_words_only(text: str, found: list[str]) -> None:
    pattern = load_glossary().pattern
    assert pattern is not None
    assert [m.group() for m in pattern.finditer(text)] == found
    assert [m.group() for m in load_glossary().finditer(text)] == found


WORDS = [
    "UBND",
    "HĐND",
    "CSDL",
    "CSDLQG",
    "QG",
    "PAR",
    "Index",
    "NĐ-CP",
    "NĐ",
    "TT&TT",
    "TT",
    "KH",
    "x",
    "đ",
    "-",
    "_",
    " ",
    "\n",
    "\u00a0",
    "/",
    "(",
    ")",
    ".",
    "2025",
    "\u0301",
    "<",
    ">",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25).map("".join))
def test_fast_finditer_gives_the_pattern_matches(text: str) -> None:
    glossary = load_glossary()
    assert glossary.pattern is not None
    expected = [(m.start(), m.group()) for m in glossary.pattern.finditer(text)]
    assert [(m.start(), m.group()) for m in glossary.finditer(text)] == expected


def test_empty_glossary_has_no_pattern() -> None:
    assert Glossary().pattern is None
    assert list(Glossary().finditer("UBND")) == []
