"""search.js under node: folding parity with Python, search behaviour, the page, timings.

Skipped when `node` is not installed. `pytest -s` shows the timings measured on
the 10,000-article synthetic corpus.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from cchc_site.domain.vietnamese import fold
from cchc_site.render.search_index import SearchDoc, build_search_data, tokens

HERE = Path(__file__).resolve().parent.parent
JS = HERE / "js"
SEARCH_JS = HERE.parent / "cchc_site" / "static" / "search.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

sys.path.insert(0, str(JS))
from synthetic_corpus import synthetic_docs  # noqa: E402

GLOSSARY = {
    "CCHC": "cải cách hành chính",
    "TTHC": "thủ tục hành chính",
    "UBND": "Ủy ban nhân dân",
    "DVC": "dịch vụ công",
    "HĐND": "Hội đồng nhân dân",
}

TRICKY = [
    "Đăng ký",
    "đăng KÝ",
    "ĐĂNG KÝ",
    "Cải Cách Hành Chính",
    "CẢI CÁCH",
    "cai cach",
    "Thừa Thiên Huế",
    "Đắk Lắk",
    "Đăk Lăk",
    "Bà Rịa – Vũng Tàu",
    "TP.HCM",
    "Sài Gòn",
    "ư ơ Ư Ơ ươ ƯỚ ừ ự ờ ợ",
    "ă â ê ô Ă Â Ê Ô ằ ẩ ễ ộ",
    "ỹ Ỹ ỳ ý ỷ ỵ",
    "Đ\u0103\u0300ng",
    "D\u0306\u0300 combining on d",
    "e\u0301\u0302\u0323 stacked marks",
    unicodedata.normalize("NFD", "Nghị định 42/2022/NĐ-CP về dịch vụ công trực tuyến"),
    unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Cà Mau"),
    "Uỷ ban",
    "hoà hòa",
    "493/KH-UBND",
    "1.001234",
    "x_y",
    "a\u034fb",
    "a\u20d0b",
    "ﬁ ﬂ ǅ Ⅻ ½ ²",
    "Straße İstanbul ΑΣ ΟΔΟΣ",
    "Ǆ",
    "\u00a0nbsp\u2009thin\u3000ideo",
    "“trích dẫn” … –",
    "한국어 \u1100\u1161",
    "日本語テキスト",
    "Ђорђе",
    "ḍ ṃ ṇ",
    "e\u0308\u0332",
    "🙂 emoji",
    "",
]


def run_fold_cli(strings: list[str]) -> dict:
    out = subprocess.run(
        [NODE, str(JS / "fold_cli.js")],
        input=json.dumps(strings),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout)


def test_fold_and_tokens_match_python_on_tricky_strings() -> None:
    got = run_fold_cli(TRICKY)
    for s, (js_fold, js_tokens) in zip(TRICKY, got["results"]):
        assert js_fold == fold(s), s
        assert js_tokens == tokens(s), s
        assert js_tokens == re.findall(r"[^\W_]+", fold(s)), s


def test_fold_matches_python_on_every_bmp_character() -> None:
    chars = [chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn"]
    # each character alone, and after a base letter (marks attach to it)
    strings = chars + ["a" + c for c in chars]
    got = run_fold_cli(strings)["results"]
    bad = [(s, js, fold(s)) for s, (js, _) in zip(strings, got) if js != fold(s)]
    assert not bad[:20], f"{len(bad)} differences"


def test_combining_table_is_pythons_for_its_unicode_version() -> None:
    text = SEARCH_JS.read_text(encoding="utf-8")
    version = re.search(r"var UNICODE_VERSION = '([\d.]+)';", text)
    table = re.search(r"var COMBINING_MARKS = /\[(.*?)\]/gu;", text)
    assert version and table
    if version.group(1) != unicodedata.unidata_version:
        pytest.skip(f"Python has Unicode {unicodedata.unidata_version}, search.js {version.group(1)}")
    ranges = re.findall(r"\\u\{?([0-9A-F]+)\}?(?:-\\u\{?([0-9A-F]+)\}?)?", table.group(1))
    listed = set()
    for start, end in ranges:
        listed.update(range(int(start, 16), int(end or start, 16) + 1))
    expected = {c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))}
    assert listed == expected


def fixture_docs() -> list[SearchDoc]:
    special = [
        SearchDoc(
            "article",
            "Đẩy mạnh cải cách hành chính năm 2024",
            "tin-tuc/day-manh-cchc/index.html",
            "ca-mau",
            "Cà Mau",
            "2024-03-05",
            "05/03/2024",
            "Tỉnh tiếp tục đẩy mạnh công tác cải cách hành chính.",
            "Nội dung kế hoạch năm.",
        ),
        SearchDoc(
            "article",
            "Báo cáo quý I",
            "tin-tuc/bao-cao-quy/index.html",
            "ha-tinh",
            "Hà Tĩnh",
            "2024-04-01",
            "01/04/2024",
            "",
            "Kết quả thực hiện CCHC trong quý I của tỉnh.",
        ),
        SearchDoc(
            "service",
            "Đăng ký khai sinh",
            "dich-vu-cong/dang-ky-khai-sinh/index.html",
            "",
            "Toàn quốc",
            summary="Thủ tục cấp giấy khai sinh cho trẻ em.",
            body_text="Nộp hồ sơ trực tuyến.",
            extra_terms=("1.001193", "Hộ tịch"),
            all_provinces=True,
        ),
        SearchDoc(
            "plan",
            "Kế hoạch tuyên truyền năm 2021",
            "ke-hoach/kh-493/index.html",
            "ha-tinh",
            "Hà Tĩnh",
            "2020-12-21",
            "21/12/2020",
            "Tuyên truyền về công tác năm 2021.",
            "Nâng cao nhận thức về cải cách hành chính của cán bộ.",
            extra_terms=("493/KH-UBND",),
        ),
        SearchDoc(
            "article",
            "Chuyển đổi số ở Bắc Kạn",
            "tin-tuc/chuyen-doi-so-bac-kan/index.html",
            "bac-kan",
            "Bắc Kạn (cũ)",
            "2022-06-01",
            "01/06/2022",
            "",
            "Ứng dụng công nghệ.",
            also_provinces=(("thai-nguyen", "Thái Nguyên"),),
        ),
        SearchDoc("page", "Giới thiệu", "gioi-thieu/index.html", summary="Về trang thông tin."),
        SearchDoc(
            "article",
            "Rà soát thủ tục hành chính",
            "tin-tuc/tthc-day-du/index.html",
            "ca-mau",
            "Cà Mau",
            "2023-01-10",
            "10/01/2023",
            "",
            "Rà soát các quy định.",
        ),
        SearchDoc(
            "article",
            "Lịch tiếp dân tháng 5",
            "tin-tuc/tthc-trong-bai/index.html",
            "ca-mau",
            "Cà Mau",
            "2023-05-02",
            "02/05/2023",
            "",
            " ".join(["thủ tục hành chính"] * 8),
        ),
        SearchDoc(
            "article",
            "Rà soát quy định",
            "tin-tuc/tthc-viet-tat/index.html",
            "ha-tinh",
            "Hà Tĩnh",
            "2023-02-01",
            "01/02/2023",
            "",
            "Cắt giảm TTHC rườm rà.",
        ),
        SearchDoc(
            "article",
            "Lịch tiếp công dân",
            "tin-tuc/lich-tiep-dan/index.html",
            "ha-tinh",
            "Hà Tĩnh",
            "2023-06-01",
            "01/06/2023",
            "",
            " ".join(["khai sinh"] * 12) + " hướng dẫn làm giấy tờ.",
        ),
    ]
    return special + synthetic_docs(150, words_per_doc=120, seed=7)


def run_node_tests(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **env_extra)
    return subprocess.run(
        [NODE, "--test", "--test-reporter=spec", str(JS / "search.test.js")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=600,
    )


def test_search_js_behaviour_and_timings(tmp_path: Path) -> None:
    fixture = tmp_path / "fixture.js"
    fixture.write_text(build_search_data(fixture_docs(), GLOSSARY), encoding="utf-8")
    bench = tmp_path / "bench.js"
    bench.write_text(build_search_data(synthetic_docs(10_000), GLOSSARY), encoding="utf-8")
    result = run_node_tests({"CCHC_FIXTURE": str(fixture), "CCHC_BENCH": str(bench)})
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
