"""search_index: folding/tokenising parity, the data file, its determinism and size."""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_site.domain.vietnamese import fold
from cchc_site.render import search_index
from cchc_site.render.search_index import (
    FIELDS,
    SNIPPET_CHARS,
    SearchDoc,
    build_search_data,
    encode_number,
    encode_postings,
    tokens,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "js"))
from synthetic_corpus import synthetic_docs  # noqa: E402

BUDGET_BYTES = 8_000_000
PREFIX = "window.CCHC_SEARCH_DATA = "
GLOSSARY = {"CCHC": "cải cách hành chính", "TTHC": "thủ tục hành chính", "HĐND": "Hội đồng nhân dân"}
TOKEN = re.compile(r"[^\W_]+")


def parse(text: str) -> dict:
    assert text.startswith(PREFIX) and text.endswith(";\n")
    return json.loads(text[len(PREFIX) : -2])


# --- decoding helpers (what search.js does) -----------------------------------
FINAL = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
MORE = "WXYZabcdefghijklmnopqrstuvwxyz-_"


def decode_numbers(text: str) -> list[int]:
    out, value = [], 0
    for ch in text:
        if ch in MORE:
            value = value * 32 + MORE.index(ch)
        else:
            out.append(value * 32 + FINAL.index(ch))
            value = 0
    return out


def decode_postings(text: str) -> dict[int, int]:
    if text.startswith("."):
        bits = FINAL + MORE
        return {6 * i + b: 1 for i, ch in enumerate(text[1:]) for b in range(6) if bits.index(ch) >> b & 1}
    values, out, doc, k = decode_numbers(text), {}, -1, 0
    while k < len(values):
        doc += (values[k] >> 1) + 1
        if values[k] & 1:
            out[doc] = values[k + 1] + 2
            k += 2
        else:
            out[doc] = 1
            k += 1
    return out


def postings_of(data: dict, term: str, field: str) -> dict[int, int]:
    terms = data["index"]["terms"].split(" ")
    lists = data["index"]["postings"][FIELDS.index(field)].split(",")
    assert len(lists) == len(terms)
    return decode_postings(lists[terms.index(term)]) if term in terms else {}


# --- folding and tokens ----------------------------------------------------------

TRICKY = [
    "Đăng ký",
    "ĐĂNG KÝ 493/KH-UBND",
    "Cải cách “hành chính” … – x",
    "ư ơ Ư Ơ ướ",
    unicodedata.normalize("NFD", "Thừa Thiên Huế"),
    "a\u034fb",
    "a\u20d0b",
    "x_y",
    "ﬁ ² ½ Ⅻ",
    "Straße ΑΣ İ",
    "\u00a0nbsp\u3000",
    "",
    "Trường\u00a0Sa",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_are_folded_words(text: str) -> None:
    assert tokens(text) == TOKEN.findall(fold(text))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("aăâđĐeêoôơuưy ĂÂÊÔƠƯ.,-_/…“”–\u0300\u0301\u0303\u0309\u0323\u034f\u20d0ßİ²1"))
        | st.characters(),
        max_size=40,
    )
)
def test_tokens_match_fold_on_random_text(text: str) -> None:
    assert tokens(text) == TOKEN.findall(fold(text))


def test_fold_examples() -> None:
    assert tokens("Đăng ký khai sinh") == ["dang", "ky", "khai", "sinh"]
    assert tokens("CẢI CÁCH hành chính") == ["cai", "cach", "hanh", "chinh"]
    assert tokens("Kế hoạch 493/KH-UBND") == ["ke", "hoach", "493", "kh", "ubnd"]


@pytest.mark.parametrize("n", [0, 1, 31, 32, 33, 1023, 1024, 32767, 32768, 10**7])
def test_number_code_round_trips(n: int) -> None:
    assert decode_numbers(encode_number(n)) == [n]
    assert decode_numbers(encode_number(n) + encode_number(5)) == [n, 5]


def test_postings_code_round_trips() -> None:
    flat = [0, 1, 3, 2, 4, 1, 40, 7, 2000, 1]
    assert decode_postings(encode_postings(flat, 10)) == {0: 1, 3: 2, 4: 1, 40: 7, 2000: 1}
    dense = [d for i in range(0, 300, 2) for d in (i, 3)]
    assert decode_postings(encode_postings(dense, 300)) == {i: 1 for i in range(0, 300, 2)}


# --- the data file -------------------------------------------------------------------


def sample_docs() -> list[SearchDoc]:
    return [
        SearchDoc(
            "plan",
            "Kế hoạch tuyên truyền cải cách hành chính năm 2021",
            "ke-hoach/kh-493/index.html",
            "ha-tinh",
            "Hà Tĩnh",
            "2020-12-21",
            "21/12/2020",
            "Tuyên truyền CCHC.",
            "Nâng cao nhận thức về cải cách hành chính, cải cách thủ tục.",
            ("493/KH-UBND", "UBND tỉnh"),
        ),
        SearchDoc(
            "article",
            "Đăng ký khai sinh trực tuyến",
            "tin-tuc/dang-ky/index.html",
            "ca-mau",
            "Cà Mau",
            "2024-01-02",
            "02/01/2024",
            "",
            "Người dân đăng ký khai sinh. " * 40,
        ),
        SearchDoc(
            "service",
            "Đăng ký kết hôn",
            "dich-vu-cong/ket-hon/index.html",
            "",
            "Toàn quốc",
            summary="Thủ tục đăng ký kết hôn.",
            extra_terms=("1.000894", "Hộ tịch"),
            all_provinces=True,
        ),
        SearchDoc(
            "article",
            "Sáp nhập tỉnh",
            "tin-tuc/sap-nhap/index.html",
            "bac-kan",
            "Bắc Kạn (cũ)",
            "2025-06-30",
            "30/06/2025",
            also_provinces=(("thai-nguyen", "Thái Nguyên"),),
        ),
        SearchDoc("page", "Giới thiệu", "gioi-thieu/index.html"),
        SearchDoc(
            "article",
            "Tin Điện Biên",
            "tin-tuc/dien-bien/index.html",
            "dien-bien",
            "Điện Biên",
            "2023-05-05",
            "5/5/2023",
        ),
        SearchDoc(
            "article", "Tin Cao Bằng", "tin-tuc/cao-bang/index.html", "cao-bang", "Cao Bằng", "2023-05-05", "05/05/2023"
        ),
        SearchDoc("article", "Tin Cần Thơ", "tin-tuc/can-tho/index.html", "can-tho", "Cần Thơ"),
    ]


def test_documents_rows() -> None:
    data = parse(build_search_data(sample_docs(), GLOSSARY))
    assert data["kinds"] == [
        ["article", "Tin tức"],
        ["plan", "Kế hoạch"],
        ["service", "Dịch vụ công"],
        ["page", "Trang"],
    ]
    units = data["units"]
    plan = data["docs"][0]
    assert plan[:3] == [1, "Kế hoạch tuyên truyền cải cách hành chính năm 2021", "ke-hoach/kh-493/"]
    assert units[plan[3]] == ["ha-tinh", "Hà Tĩnh"]
    assert plan[4:] == ["2020-12-21", "", "Tuyên truyền CCHC.", "493/KH-UBND", []]
    service = data["docs"][2]
    assert service[3] == "Toàn quốc" and service[8] == -1 and service[7] == "1.000894"
    merged = data["docs"][3]
    assert units[merged[3]] == ["bac-kan", "Bắc Kạn (cũ)"]
    assert [units[k] for k in merged[8]] == [["thai-nguyen", "Thái Nguyên"]]
    assert data["docs"][5][5] == "5/5/2023"  # a display date that differs from the ISO one is kept
    snippet = data["docs"][1][6]
    assert snippet.startswith("Người dân đăng ký khai sinh.") and snippet.endswith("…")
    assert len(snippet) <= SNIPPET_CHARS + 1


def test_units_in_vietnamese_order_and_filter() -> None:
    data = parse(build_search_data(sample_docs(), GLOSSARY))
    labels = [label for _, label in data["units"]]
    assert labels.index("Cà Mau") < labels.index("Cao Bằng") < labels.index("Cần Thơ") < labels.index("Điện Biên")
    assert [data["units"][k][0] for k in data["filter"]] == [slug for slug, _ in data["units"]]
    chosen = parse(build_search_data(sample_docs(), GLOSSARY, [("thai-nguyen", "Thái Nguyên"), ("ha-noi", "Hà Nội")]))
    assert [chosen["units"][k] for k in chosen["filter"]] == [["thai-nguyen", "Thái Nguyên"], ["ha-noi", "Hà Nội"]]


def test_glossary_is_folded_both_sides() -> None:
    data = parse(build_search_data(sample_docs(), GLOSSARY))
    assert ["cchc", "cai cach hanh chinh"] in data["glossary"]
    assert ["hdnd", "hoi dong nhan dan"] in data["glossary"]
    assert data["glossary"] == sorted(data["glossary"])
    pairs = parse(build_search_data([], [("UBND", "Ủy ban nhân dân")]))["glossary"]
    assert pairs == [["ubnd", "uy ban nhan dan"]]


def test_index_holds_every_field() -> None:
    data = parse(build_search_data(sample_docs(), GLOSSARY))
    assert data["index"]["fields"] == list(FIELDS)
    assert postings_of(data, "cai", "title") == {0: 1}
    assert postings_of(data, "cai", "body") == {0: 2}
    assert postings_of(data, "cchc", "summary") == {0: 1}
    assert postings_of(data, "ubnd", "meta") == {0: 2}
    assert postings_of(data, "1", "meta") == {2: 1} and postings_of(data, "000894", "meta") == {2: 1}
    assert postings_of(data, "khai", "body") == {1: 40}
    assert postings_of(data, "dang", "title") == {1: 1, 2: 1}
    lengths = [decode_numbers(s) for s in data["index"]["lengths"]]
    assert lengths[FIELDS.index("body")][1] == 240
    terms = data["index"]["terms"].split(" ")
    assert terms == sorted(terms, key=lambda t: t.encode("utf-16-be"))
    assert "" not in terms


def test_output_is_deterministic() -> None:
    docs = sample_docs() + synthetic_docs(120, words_per_doc=80)
    a = build_search_data(docs, GLOSSARY)
    b = build_search_data(list(docs), dict(reversed(list(GLOSSARY.items()))))
    assert a == b
    assert "\u2028" not in build_search_data([SearchDoc("page", "a\u2028b", "x/index.html")], {})


def test_ten_thousand_articles_fit_the_budget() -> None:
    docs = synthetic_docs(10_000)
    words = sum(len(d.body_text.split()) for d in docs[:100]) / 100
    assert words >= 450
    started = time.perf_counter()
    text = build_search_data(docs, GLOSSARY)
    seconds = time.perf_counter() - started
    size = len(text.encode("utf-8"))
    data = parse(text)
    parts = {
        "docs": len(json.dumps(data["docs"], ensure_ascii=False).encode()),
        **{f"postings.{f}": len(p) for f, p in zip(FIELDS, data["index"]["postings"])},
        "terms": len(data["index"]["terms"]),
    }
    print(f"\nsearch data for 10,000 articles: {size / 1e6:.2f} MB in {seconds:.1f} s; {parts}")
    assert size <= BUDGET_BYTES
    assert len(data["docs"]) == 10_000


def test_module_documents_the_markup_contract() -> None:
    doc = search_index.__doc__ or ""
    for needle in [
        'id="search-form"',
        'id="search-q"',
        'id="search-province"',
        'id="search-type"',
        'id="search-status"',
        'id="search-results"',
        'name="tinh"',
        'name="loai"',
    ]:
        assert needle in doc
