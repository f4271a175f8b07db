"""Every kind of bad front matter gives its message at the right file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_site.content.frontmatter import Context, parse, split
from cchc_site.core.model import Source
from cchc_site.domain.provinces import load_registry

CTX = Context(load_registry())


def src(text: str, kind: str = "article") -> Source:
    return Source(path=Path("/site/content/x.md"), rel="content/articles/x.md", kind=kind, text=text)  # type: ignore[arg-type]


def one_error(text: str, kind: str = "article") -> tuple[int, int, str]:
    front, diags = parse(src(text, kind), CTX)
    assert front is None
    assert len(diags) == 1, diags
    d = diags[0]
    assert d.path == "content/articles/x.md"
    return d.line, d.col, d.message


GOOD = "---\ntitle: Tin\ndate: 2024-05-01\nprovince: ha-tinh\n---\nBody\n"


def test_valid_article_fields_and_body_line() -> None:
    front, diags = parse(src(GOOD), CTX)
    assert diags == [] and front is not None
    assert front.fields["title"] == "Tin"
    assert front.fields["province"] == "ha-tinh"
    assert front.fields["date"].isoformat() == "2024-05-01T00:00:00+07:00"
    assert front.body == "Body\n" and front.body_line == 6


@pytest.mark.parametrize(
    "text, line, col, fragment",
    [
        ("---\ntitle: Tin\ndate: 2023-02-30\nprovince: ha-tinh\n---\n", 3, 7, "not a real date"),
        ("---\ntitle: Tin\ndate: 30/02/2023\nprovince: ha-tinh\n---\n", 3, 7, "not a real date"),
        ("---\ntitle: Tin\ndate: hôm qua\nprovince: ha-tinh\n---\n", 3, 7, "is not a date"),
        ("---\ntitle: Tin\ndate: true\nprovince: ha-tinh\n---\n", 3, 7, "expected a date"),
        ("---\ntitle: 123\ndate: 2024-01-01\nprovince: ha-tinh\n---\n", 2, 8, "must be text, not the number 123"),
        ("---\ntitle: [a, b]\ndate: 2024-01-01\nprovince: ha-tinh\n---\n", 2, 8, "must be text, not a list"),
        ("---\ntitle: Tin\ndate: 2024-01-01\nprovince: Ca Mao\n---\n", 4, 11, "did you mean: Cà Mau"),
        ("---\ntitle: Tin\ndate: 2024-01-01\nprovince: ha-tinh\ntilte: x\n---\n", 5, 1, "unknown key 'tilte'"),
        ("---\ntitle: Tin\ndate: 2024-01-01\nprovince: ha-tinh\ndraft: maybe\n---\n", 5, 8, "true or false"),
        ("---\ntitle: Tin\ndate: 2024-01-01\n---\n", 2, 1, "missing required key 'province'"),
        ("---\ntitle: Tin\ndate: 2024-01-01\nprovince: ha-tinh\ntitle: again\n---\n", 5, 1, "duplicate key 'title'"),
        ("---\ntitle: Tin\ndate: [2024\nprovince: ha-tinh\n---\n", 4, 9, "YAML syntax error"),
        (
            "---\ntitle: !!python/object:os.system x\ndate: 2024-01-01\nprovince: ha-tinh\n---\n",
            2,
            8,
            "YAML tag '!!python/object:os.system' is not allowed",
        ),
        ("---\na: &x [1]\nb: *x\n---\n", 3, 4, "aliases"),
        ("---\n- a\n- b\n---\n", 2, 1, "must be a mapping"),
        ("---\nplain text\n---\n", 2, 1, "must be a mapping"),
        ("no front matter here\n", 1, 1, "no front matter"),
        ("---\ntitle: Tin\n", 1, 1, "not closed"),
        ("", 1, 1, "no front matter"),
        (
            "---\ntitle: Tin\ndate: 2024-01-01\nprovince: ha-tinh\nsource:\n  name: Báo\n  url: ftp://x\n---\n",
            7,
            8,
            "http:// or https://",
        ),
    ],
)
def test_bad_article_front_matter(text: str, line: int, col: int, fragment: str) -> None:
    got_line, got_col, message = one_error(text)
    assert fragment in message
    assert (got_line, got_col) == (line, col), message


def test_all_errors_of_a_file_at_once() -> None:
    text = "---\ntitle: 5\ndate: 2023-02-30\nprovince: Atlantis\nfoo: 1\n---\n"
    front, diags = parse(src(text), CTX)
    assert front is None
    assert sorted(d.line for d in diags) == [2, 3, 4, 5]


def test_x_prefixed_keys_are_allowed() -> None:
    front, diags = parse(src(GOOD.replace("---\nBody", "x-note: anything\n---\nBody")), CTX)
    assert diags == [] and front is not None and "x-note" not in front.fields


def test_dates_accept_iso_offset_and_dmy() -> None:
    for value, iso in [
        ("2023-12-23T21:35:00+07:00", "2023-12-23T21:35:00+07:00"),
        ("21/12/2020", "2020-12-21T00:00:00+07:00"),
        ("2020-12-21T08:00:00Z", "2020-12-21T08:00:00+00:00"),
        ("2020-12-21 08:00", "2020-12-21T08:00:00+07:00"),
    ]:
        front, diags = parse(src(GOOD.replace("2024-05-01", value)), CTX)
        assert diags == [], value
        assert front is not None and front.fields["date"].isoformat() == iso


@pytest.mark.parametrize(
    "value, slug",
    [
        ("Cà Mau", "ca-mau"),
        ("tỉnh Cà Mau", "ca-mau"),
        ("ca mau", "ca-mau"),
        ("Bac Kan", "bac-kan"),
        ("TP.HCM", "ho-chi-minh"),
        ("Thừa Thiên Huế", "hue"),
        ("trung-uong", "trung-uong"),
        ("Bà Rịa – Vũng Tàu", "ba-ria-vung-tau"),
    ],
)
def test_province_by_name_variant(value: str, slug: str) -> None:
    front, diags = parse(src(GOOD.replace("ha-tinh", value)), CTX)
    assert diags == [] and front is not None
    assert front.fields["province"] == slug


def test_strings_are_nfc_normalised() -> None:
    nfd = "Tin ca\u0323\u0302p nha\u0323\u0302t"  # decomposed
    front, _ = parse(src(GOOD.replace("title: Tin", f"title: {nfd}")), CTX)
    assert front is not None and front.fields["title"] == "Tin cập nhật"


SERVICE = (
    "---\ntitle: Đăng ký khai sinh\nlevel: {level}\nfield: Hộ tịch\nagency: UBND cấp xã\n"
    "portal_url: https://dichvucong.gov.vn/p/home/x.html\n{extra}---\nBước 1.\n"
)


@pytest.mark.parametrize(
    "level, want",
    [
        (3, 3),
        (4, 4),
        ("'3'", 3),
        ("một phần", 3),
        ("Toàn trình", 4),
        ("TOAN TRINH", 4),
        ("mot phan", 3),
        ("Mức độ 4", 4),
    ],
)
def test_service_levels(level: object, want: int) -> None:
    front, diags = parse(src(SERVICE.format(level=level, extra=""), "service"), CTX)
    assert diags == [] and front is not None and front.fields["level"] == want


def test_bad_service_level_names_accepted_values() -> None:
    line, col, message = one_error(SERVICE.format(level=5, extra=""), "service")
    assert (line, col) == (3, 8)
    assert "một phần" in message and "toàn trình" in message and "3, 4" in message


@pytest.mark.parametrize(
    "extra, line, fragment",
    [
        ("code: 12345\n", 7, "not a procedure code"),
        ("code: 1.00123\n", 7, "not a procedure code"),
        ("processing_time:\n  qua mạng: 3 ngày\n", 8, "unknown channel"),
        ("provinces: [ha-tinh, Narnia]\n", 7, "unknown province 'Narnia'"),
    ],
)
def test_bad_service_fields(extra: str, line: int, fragment: str) -> None:
    got_line, _, message = one_error(SERVICE.format(level=4, extra=extra), "service")
    assert fragment in message and got_line == line


def test_service_per_channel_and_codes() -> None:
    extra = (
        "code: 1.001230.000.00.00.H29\nprocessing_time:\n  trực tiếp: 3 ngày\n  Truc tuyen: 1 ngày\n"
        "fee: 0\nprovinces: all\n"
    )
    front, diags = parse(src(SERVICE.format(level=4, extra=extra), "service"), CTX)
    assert diags == [] and front is not None
    assert front.fields["code"] == "1.001230.000.00.00.H29"
    assert [(c.channel, c.value) for c in front.fields["processing_time"]] == [
        ("Trực tiếp", "3 ngày"),
        ("Trực tuyến", "1 ngày"),
    ]
    assert front.fields["fee"][0].value == "Miễn phí"
    assert front.fields["provinces"] is None


def test_service_portal_url_must_be_https() -> None:
    text = SERVICE.format(level=4, extra="").replace("https://dichvucong", "http://dichvucong")
    line, _, message = one_error(text, "service")
    assert line == 6 and "https://" in message


def test_plan_requires_its_fields() -> None:
    front, diags = parse(src("---\ntitle: KH\nnumber: 493/KH-UBND\n---\n", "plan"), CTX)
    assert front is None
    assert {d.message.split("'")[1] for d in diags} == {"issued", "issuer", "province"}


def test_split_handles_dots_terminator() -> None:
    parts = split("---\na: 1\n...\nbody")
    assert parts == ("a: 1", 2, "body", 4)
