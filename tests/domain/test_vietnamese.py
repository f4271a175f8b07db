"""Tests of the Vietnamese text helpers: folding, slugs, collation, dates (SPEC §3, §4, §8)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta, timezone

import pytest

from cchc_site.domain.vietnamese import (
    VIETNAM_TZ,
    DateError,
    collation_key,
    fold,
    format_date,
    heading_slug,
    nfc,
    parse_date,
    slugify,
)

# --- folding and slugs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký", "dang ky"),
        ("ĐẨY", "day"),
        ("đ", "d"),
        ("cải cách hành chính", "cai cach hanh chinh"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Ưu tiên Ơn", "uu tien on"),
        ("Hoà", "hoa"),
        ("Hòa", "hoa"),
        ("CCHC", "cchc"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_is_independent_of_normal_form() -> None:
    text = "Đẩy mạnh tuyên truyền cải cách hành chính"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == "day manh tuyen truyen cai cach hanh chinh"


def test_old_and_new_tone_placement_fold_the_same() -> None:
    for old, new in (("Hòa", "Hoà"), ("Thanh Hóa", "Thanh Hoá"), ("thủy", "thuỷ"), ("Khánh Hòa", "Khánh Hoà")):
        assert old != new
        assert fold(old) == fold(new)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đẩy mạnh tuyên truyền", "day-manh-tuyen-truyen"),
        ("Kế hoạch 493/KH-UBND", "ke-hoach-493-kh-ubnd"),
        ("  --Cải cách, hành chính!! 2024 ", "cai-cach-hanh-chinh-2024"),
        ("Bà Rịa – Vũng Tàu", "ba-ria-vung-tau"),
        ("Huế", "hue"),
        ("!!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_heading_slug_keeps_d() -> None:
    # Python-Markdown's default gives "ay-manh-chuyen-oi-so"
    assert heading_slug("Đẩy mạnh chuyển đổi số") == "day-manh-chuyen-doi-so"
    assert heading_slug("Đẩy mạnh chuyển đổi số", "_") == "day_manh_chuyen_doi_so"


def test_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Cà Mau")
    assert decomposed != "Cà Mau"
    assert nfc(decomposed) == "Cà Mau"


# --- collation ----------------------------------------------------------------------


def test_collation_spec_example() -> None:
    names = ["Điện Biên", "Cần Thơ", "Cao Bằng", "Cà Mau"]
    assert sorted(names, key=collation_key) == ["Cà Mau", "Cao Bằng", "Cần Thơ", "Điện Biên"]


def test_collation_alphabet() -> None:
    alphabet = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    assert sorted(reversed(alphabet), key=collation_key) == alphabet
    assert sorted([c.upper() for c in reversed(alphabet)], key=collation_key) == [c.upper() for c in alphabet]


def test_collation_tones_after_letters() -> None:
    # tones: none, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng)
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=collation_key) == tones
    # letters decide before tones: "Bạc" (a) before "Bắc" (ă), "Má" before "Mai"
    assert sorted(["Bắc Giang", "Bạc Liêu"], key=collation_key) == ["Bạc Liêu", "Bắc Giang"]
    assert sorted(["Mai", "Má"], key=collation_key) == ["Má", "Mai"]


def test_collation_case_and_separators() -> None:
    assert sorted(["b", "A", "a", "B"], key=collation_key) == ["A", "a", "B", "b"]
    # a word boundary sorts before any letter: "Hà Nội" < "Hải Phòng"
    assert sorted(["Hải Phòng", "Hà Nội"], key=collation_key) == ["Hà Nội", "Hải Phòng"]
    assert sorted(["Kế hoạch 10", "Kế hoạch 2", "Kế hoạch a"], key=collation_key) == [
        "Kế hoạch 10",
        "Kế hoạch 2",
        "Kế hoạch a",
    ]
    # NFD input sorts like NFC input
    assert collation_key(unicodedata.normalize("NFD", "Cần Thơ"))[:2] == collation_key("Cần Thơ")[:2]


def test_collation_never_raises_on_odd_characters() -> None:
    # "²".isdigit() is True but int("²") fails: the key must still be total
    odd = ["m²", "①", "٣", "x", "Ω", "😀", "(cũ)", ""]
    assert len(sorted(odd, key=collation_key)) == len(odd)


# --- dates ----------------------------------------------------------------------------


def test_parse_iso_date_is_vietnam_midnight() -> None:
    dt = parse_date("2020-12-21")
    assert dt == datetime(2020, 12, 21, tzinfo=VIETNAM_TZ)
    assert dt.utcoffset() == timedelta(hours=7)


def test_parse_iso_with_offset() -> None:
    dt = parse_date("2023-12-23T21:35:00+07:00")
    assert dt == datetime(2023, 12, 23, 14, 35, tzinfo=timezone.utc)
    assert parse_date("2023-12-23T14:35:00Z") == dt
    assert parse_date("2023-12-23T16:35:00+02:00") == dt


def test_parse_naive_time_is_vietnam_time() -> None:
    dt = parse_date("2023-12-23T21:35:00")
    assert dt.utcoffset() == timedelta(hours=7)
    assert dt == datetime(2023, 12, 23, 14, 35, tzinfo=timezone.utc)
    assert parse_date("2023-12-23 21:35") == dt


@pytest.mark.parametrize(("text", "expected"), [("21/12/2020", date(2020, 12, 21)), ("1/2/2023", date(2023, 2, 1))])
def test_parse_dd_mm_yyyy(text: str, expected: date) -> None:
    dt = parse_date(text)
    assert dt.date() == expected
    assert dt.utcoffset() == timedelta(hours=7)


def test_parse_yaml_values() -> None:
    # YAML gives date / datetime objects
    assert parse_date(date(2020, 12, 21)) == datetime(2020, 12, 21, tzinfo=VIETNAM_TZ)
    assert parse_date(datetime(2020, 12, 21, 8, 0)).utcoffset() == timedelta(hours=7)
    aware = datetime(2020, 12, 21, 8, 0, tzinfo=timezone.utc)
    assert parse_date(aware) == aware


@pytest.mark.parametrize(
    "value",
    [
        "2023-02-30",
        "30/02/2023",
        "29/02/2023",
        "2023-13-01",
        "2023-12-23T25:00",
        "2023/12/23",
        "23-12-2023",
        "21.12.2020",
        "hôm qua",
        "",
        True,
        False,
        None,
        20231223,
        12.5,
    ],
)
def test_parse_rejects(value: object) -> None:
    with pytest.raises(DateError):
        parse_date(value)


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


def test_leap_day_accepted() -> None:
    assert parse_date("29/02/2024").date() == date(2024, 2, 29)
    assert parse_date("2024-02-29").date() == date(2024, 2, 29)


def test_format_date() -> None:
    assert format_date(datetime(2020, 12, 21, tzinfo=VIETNAM_TZ)) == "21/12/2020"
    assert format_date(date(2020, 12, 21)) == "21/12/2020"
    assert format_date(parse_date("2020-12-21")) == "21/12/2020"
    assert format_date(date(2021, 3, 5)) == "05/03/2021"
    # shown in Vietnam time: 20:00 UTC on the 20th is 03:00 on the 21st in Vietnam
    assert format_date(datetime(2020, 12, 20, 20, 0, tzinfo=timezone.utc)) == "21/12/2020"


def test_format_parse_round_trip() -> None:
    assert format_date(parse_date("21/12/2020")) == "21/12/2020"
    assert parse_date(format_date(parse_date("2023-12-23T21:35:00+07:00"))).date() == date(2023, 12, 23)
