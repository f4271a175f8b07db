"""Tests of the province registry (SPEC §3 `province` field, §4 Provinces)."""

from __future__ import annotations

import copy
import hashlib
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from cchc_site.core.model import NATIONAL, Unit
from cchc_site.domain.provinces import (
    Registry,
    RegistryError,
    load_registry,
    normalise_name,
    registry_digest,
    sort_units,
)
from cchc_site.domain.vietnamese import collation_key

DATA_FILE = Path(__file__).resolve().parents[2] / "cchc_site" / "data" / "provinces.yaml"
UPSTREAM_FILE = Path("/work/shared/provinces.yaml")


def _data() -> dict[str, Any]:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


DATA = _data()
FORMER_MERGES = [(f["slug"], f["merged_into"]) for f in DATA["former"]]


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


# --- the data -----------------------------------------------------------------


def test_counts(reg: Registry) -> None:
    current = reg.current()
    assert len(current) == 34
    assert sum(u.kind == "thành phố" for u in current) == 6
    assert sum(u.kind == "tỉnh" for u in current) == 28
    assert len(DATA["former"]) == 63
    assert len(reg.former_lost()) == 29
    assert len(reg.units) == 34 + 29 + 1  # + trung-uong
    assert sum(len(u.former) for u in current) == 29


def test_current_thanh_pho(reg: Registry) -> None:
    assert {u.slug for u in reg.current() if u.kind == "thành phố"} == {
        "ha-noi",
        "hue",
        "hai-phong",
        "da-nang",
        "ho-chi-minh",
        "can-tho",
    }


@pytest.mark.skipif(not UPSTREAM_FILE.exists(), reason="shared reference list not available")
def test_shipped_data_is_upstream_plus_aliases() -> None:
    upstream = yaml.safe_load(UPSTREAM_FILE.read_text(encoding="utf-8"))
    shipped = _data()
    assert shipped.pop("national")["slug"] == NATIONAL
    for entry in shipped["former"]:
        entry.pop("aliases", None)
    for entry in upstream["former"]:
        entry.pop("aliases", None)
    assert shipped == upstream


def test_package_data_is_read_with_importlib_resources() -> None:
    shipped = resources.files("cchc_site") / "data" / "provinces.yaml"
    assert shipped.read_bytes() == DATA_FILE.read_bytes()
    assert registry_digest() == hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()
    assert len(registry_digest()) == 64


def test_load_registry_is_cached() -> None:
    assert load_registry() is load_registry()


def test_units_are_read_only(reg: Registry) -> None:
    with pytest.raises(TypeError):
        reg.units["x"] = reg.get("ca-mau")  # type: ignore[index]
    reg.current().clear()  # a copy: the registry keeps its list
    assert len(reg.current()) == 34


# --- units ----------------------------------------------------------------------


def test_current_unit(reg: Registry) -> None:
    ca_mau = reg.get("ca-mau")
    assert ca_mau == Unit(
        slug="ca-mau",
        name="Cà Mau",
        kind="tỉnh",
        full_name="tỉnh Cà Mau",
        current=True,
        merged_into="ca-mau",
        former=("bac-lieu",),
        aliases=(),
    )
    hcm = reg.get("ho-chi-minh")
    assert hcm.full_name == "Thành phố Hồ Chí Minh"
    # lost-name former units only, in Vietnamese order (Bà Rịa before Bình)
    assert hcm.former == ("ba-ria-vung-tau", "binh-duong")
    assert reg.get("ninh-binh").former == ("ha-nam", "nam-dinh")
    assert reg.get("can-tho").former == ("hau-giang", "soc-trang")
    assert reg.get("phu-tho").former == ("hoa-binh", "vinh-phuc")
    assert reg.get("lam-dong").former == ("binh-thuan", "dak-nong")
    assert reg.get("vinh-long").former == ("ben-tre", "tra-vinh")
    # unchanged units have none
    assert reg.get("ha-noi").former == ()
    assert reg.get("hue").former == ()


def test_former_lost_unit(reg: Registry) -> None:
    bac_kan = reg.get("bac-kan")
    assert bac_kan.current is False
    assert bac_kan.merged_into == "thai-nguyen"
    assert bac_kan.name == "Bắc Kạn"
    assert bac_kan.full_name == "tỉnh Bắc Kạn"
    assert bac_kan.former == ()
    # a former unit that kept its name is the current unit
    assert reg.get("ca-mau").current is True


def test_national_unit(reg: Registry) -> None:
    tw = reg.get("trung-uong")
    assert tw.slug == NATIONAL
    assert tw.name == "Trung ương"
    assert tw.kind == "trung ương"
    assert tw.current is False
    assert tw.merged_into == "trung-uong"
    assert tw not in reg.current()
    assert tw not in reg.former_lost()
    assert reg.successor("trung-uong") is tw
    assert reg.label("trung-uong") == "Trung ương"


def test_get_unknown(reg: Registry) -> None:
    with pytest.raises(KeyError):
        reg.get("ca-mao")
    with pytest.raises(KeyError):
        reg.successor("Cà Mau")  # get/successor take slugs; lookup takes names
    assert "ca-mau" in reg
    assert "ca-mao" not in reg


@pytest.mark.parametrize(("slug", "current"), FORMER_MERGES)
def test_every_former_unit_resolves_to_its_current_unit(reg: Registry, slug: str, current: str) -> None:
    assert reg.successor(slug).slug == current
    assert reg.successor(slug).current
    unit = reg.lookup(slug)
    assert unit is not None and unit.slug == slug
    name = next(f["name"] for f in DATA["former"] if f["slug"] == slug)
    by_name = reg.lookup(name)
    assert by_name is not None and by_name.slug == slug
    assert reg.successor(by_name.slug).slug == current
    if slug != current:
        assert slug in reg.get(current).former
        assert reg.label(slug) == f"{name} (cũ)"
    else:
        assert reg.label(slug) == name


@pytest.mark.parametrize(
    ("former", "current"),
    [
        ("bac-kan", "thai-nguyen"),
        ("bac-lieu", "ca-mau"),
        ("binh-duong", "ho-chi-minh"),
        ("ba-ria-vung-tau", "ho-chi-minh"),
        ("ha-giang", "tuyen-quang"),
        ("yen-bai", "lao-cai"),
        ("quang-nam", "da-nang"),
        ("kon-tum", "quang-ngai"),
        ("binh-dinh", "gia-lai"),
        ("dak-nong", "lam-dong"),
        ("phu-yen", "dak-lak"),
        ("long-an", "tay-ninh"),
        ("kien-giang", "an-giang"),
        ("tien-giang", "dong-thap"),
        ("hai-duong", "hai-phong"),
        ("ca-mau", "ca-mau"),
    ],
)
def test_known_merges(reg: Registry, former: str, current: str) -> None:
    assert reg.successor(former).slug == current


def test_labels(reg: Registry) -> None:
    assert reg.label("bac-kan") == "Bắc Kạn (cũ)"
    assert reg.label("ba-ria-vung-tau") == "Bà Rịa - Vũng Tàu (cũ)"
    assert reg.label("ca-mau") == "Cà Mau"
    assert reg.label("thai-nguyen") == "Thái Nguyên"
    with pytest.raises(KeyError):
        reg.label("nowhere")


# --- collation ----------------------------------------------------------------

CURRENT_IN_ORDER = [
    "An Giang",
    "Bắc Ninh",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Phòng",
    "Hồ Chí Minh",
    "Huế",
    "Hưng Yên",
    "Khánh Hòa",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Nghệ An",
    "Ninh Bình",
    "Phú Thọ",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sơn La",
    "Tây Ninh",
    "Thái Nguyên",
    "Thanh Hóa",
    "Tuyên Quang",
    "Vĩnh Long",
]

FORMER_LOST_IN_ORDER = [
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",  # a < ă: Bạc before Bắc
    "Bắc Giang",
    "Bắc Kạn",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",  # d < đ
    "Bình Phước",
    "Bình Thuận",
    "Đắk Nông",
    "Hà Giang",
    "Hà Nam",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Kiên Giang",
    "Kon Tum",
    "Long An",
    "Nam Định",
    "Ninh Thuận",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Sóc Trăng",
    "Thái Bình",
    "Tiền Giang",
    "Trà Vinh",
    "Vĩnh Phúc",
    "Yên Bái",
]


def test_collation_spec_example() -> None:
    names = ["Điện Biên", "Cần Thơ", "Cao Bằng", "Cà Mau"]
    assert sorted(names, key=collation_key) == ["Cà Mau", "Cao Bằng", "Cần Thơ", "Điện Biên"]
    assert sorted(names) != ["Cà Mau", "Cao Bằng", "Cần Thơ", "Điện Biên"]  # not code-point order


def test_current_in_vietnamese_order(reg: Registry) -> None:
    assert len(CURRENT_IN_ORDER) == 34
    assert [u.name for u in reg.current()] == CURRENT_IN_ORDER
    assert sorted(reversed(CURRENT_IN_ORDER), key=collation_key) == CURRENT_IN_ORDER


def test_former_lost_in_vietnamese_order(reg: Registry) -> None:
    assert len(FORMER_LOST_IN_ORDER) == 29
    assert [u.name for u in reg.former_lost()] == FORMER_LOST_IN_ORDER


def test_sort_units(reg: Registry) -> None:
    units = [reg.get(s) for s in ("dien-bien", "can-tho", "cao-bang", "ca-mau", "bac-lieu", "bac-kan")]
    assert [u.name for u in sort_units(units)] == [
        "Bạc Liêu",
        "Bắc Kạn",
        "Cà Mau",
        "Cao Bằng",
        "Cần Thơ",
        "Điện Biên",
    ]
    assert sort_units(iter(units)) == sort_units(reversed(units))


# --- lookup ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        # slug, name, diacritics, case, prefixes
        ("ca-mau", "ca-mau"),
        ("Cà Mau", "ca-mau"),
        ("tỉnh Cà Mau", "ca-mau"),
        ("Tỉnh Cà Mau", "ca-mau"),
        ("ca mau", "ca-mau"),
        ("CÀ MAU", "ca-mau"),
        ("  Cà   Mau ", "ca-mau"),
        ("Ca-Mau", "ca-mau"),
        ("camau", "ca-mau"),
        ("Thành phố Hà Nội", "ha-noi"),
        ("thành phố Hà Nội", "ha-noi"),
        ("TP Hà Nội", "ha-noi"),
        ("Hanoi", "ha-noi"),
        ("Thủ đô Hà Nội", "ha-noi"),
        ("TP. Hồ Chí Minh", "ho-chi-minh"),
        ("Tp.Hồ Chí Minh", "ho-chi-minh"),
        ("Thành phố Hồ Chí Minh", "ho-chi-minh"),
        ("Ho Chi Minh City", "ho-chi-minh"),
        ("TP.HCM", "ho-chi-minh"),
        ("TPHCM", "ho-chi-minh"),
        ("TP HCM", "ho-chi-minh"),
        ("tp hcm", "ho-chi-minh"),
        ("Tp.HCM", "ho-chi-minh"),
        ("HCM", "ho-chi-minh"),
        ("HCMC", "ho-chi-minh"),
        ("Sài Gòn", "ho-chi-minh"),
        ("Saigon", "ho-chi-minh"),
        ("sai gon", "ho-chi-minh"),
        ("TP Cần Thơ", "can-tho"),
        ("Thành phố Cần Thơ", "can-tho"),
        # Huế
        ("Thừa Thiên Huế", "hue"),
        ("tỉnh Thừa Thiên Huế", "hue"),
        ("Thừa Thiên - Huế", "hue"),
        ("TT-Huế", "hue"),
        ("Thành phố Huế", "hue"),
        ("Hue", "hue"),
        # Đắk Lắk, Đắk Nông, Kon Tum
        ("Đắk Lắk", "dak-lak"),
        ("Đăk Lăk", "dak-lak"),
        ("Đắc Lắc", "dak-lak"),
        ("Daklak", "dak-lak"),
        ("Dak Lak", "dak-lak"),
        ("tỉnh Đắk Lắk", "dak-lak"),
        ("Đăk Nông", "dak-nong"),
        ("Dak Nong", "dak-nong"),
        ("Đắc Nông", "dak-nong"),
        ("Kontum", "kon-tum"),
        ("Kon Tum", "kon-tum"),
        # Bà Rịa - Vũng Tàu, any dash
        ("Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
        ("Bà Rịa – Vũng Tàu", "ba-ria-vung-tau"),
        ("Bà Rịa — Vũng Tàu", "ba-ria-vung-tau"),
        ("Bà Rịa-Vũng Tàu", "ba-ria-vung-tau"),
        ("Bà Rịa–Vũng Tàu", "ba-ria-vung-tau"),
        ("Bà Rịa Vũng Tàu", "ba-ria-vung-tau"),
        ("tỉnh Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
        ("ba-ria-vung-tau", "ba-ria-vung-tau"),
        ("BR-VT", "ba-ria-vung-tau"),
        ("BRVT", "ba-ria-vung-tau"),
        ("Vũng Tàu", "ba-ria-vung-tau"),
        # old names and spellings
        ("Bắc Cạn", "bac-kan"),
        ("Hà Tây", "ha-noi"),
        # old vs new tone placement
        ("Thanh Hoá", "thanh-hoa"),
        ("Thanh Hóa", "thanh-hoa"),
        ("Khánh Hoà", "khanh-hoa"),
        ("Hoà Bình", "hoa-binh"),
        ("Hòa Bình", "hoa-binh"),
        # decomposed (NFD) input and a look-alike of Đ
        (unicodedata.normalize("NFD", "Đà Nẵng"), "da-nang"),
        ("\u00d0iện Biên", "dien-bien"),
        # Đ folds to D (plain Unicode decomposition would lose it)
        ("Điện Biên", "dien-bien"),
        ("dien bien", "dien-bien"),
        # national
        ("trung-uong", "trung-uong"),
        ("Trung ương", "trung-uong"),
        ("TRUNG ƯƠNG", "trung-uong"),
        ("Toàn quốc", "trung-uong"),
    ],
)
def test_lookup(reg: Registry, value: str, slug: str) -> None:
    unit = reg.lookup(value)
    assert unit is not None, value
    assert unit.slug == slug


@pytest.mark.parametrize(
    "value", ["", "   ", "-", "tỉnh", "TP", "Thành phố", "Ca Mao", "Hà Nội Cà Mau", "xyz", "ca-mau-x"]
)
def test_lookup_unknown(reg: Registry, value: str) -> None:
    assert reg.lookup(value) is None


def test_lookup_non_string(reg: Registry) -> None:
    assert reg.lookup(None) is None  # type: ignore[arg-type]
    assert reg.lookup(42) is None  # type: ignore[arg-type]


def test_every_current_unit_by_name_slug_and_full_name(reg: Registry) -> None:
    for unit in reg.current():
        for value in (unit.slug, unit.name, unit.full_name, unit.name.upper(), unit.slug.replace("-", " ")):
            found = reg.lookup(value)
            assert found is unit, value


def test_every_alias_resolves_to_its_unit(reg: Registry) -> None:
    seen = 0
    for unit in reg.units.values():
        for alias in unit.aliases:
            assert reg.lookup(alias) is unit, alias
            seen += 1
    assert seen >= 30


def test_normalise_name() -> None:
    assert normalise_name("TP. Hồ Chí Minh") == "ho chi minh"
    assert normalise_name("Bà Rịa – Vũng Tàu") == "ba ria vung tau"
    assert normalise_name("tỉnh Cà Mau") == "ca mau"
    assert normalise_name("ca-mau") == "ca mau"
    assert normalise_name("Thanh Hoá") == normalise_name("Thanh Hóa")
    assert normalise_name("tỉnh") == "tinh"  # a prefix alone is kept


# --- suggestions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "first"),
    [
        ("Ca Mao", "Cà Mau"),
        ("Cà Maau", "Cà Mau"),
        ("tỉnh Ca Mao", "Cà Mau"),
        ("Bac Kann", "Bắc Kạn"),
        ("Dak Lat", "Đắk Lắk"),
        ("Ha Nôii", "Hà Nội"),
        ("Thua Thien Hueee", "Huế"),
        ("Quang Ngai x", "Quảng Ngãi"),
        ("Hồ Chí Mnh", "Hồ Chí Minh"),
        ("Binh Duong x", "Bình Dương"),
    ],
)
def test_suggest_first(reg: Registry, value: str, first: str) -> None:
    assert reg.lookup(value) is None
    suggestions = reg.suggest(value)
    assert suggestions and suggestions[0] == first


def test_suggest_limits_and_nonsense(reg: Registry) -> None:
    assert len(reg.suggest("Quang", n=3)) <= 3
    assert len(reg.suggest("Binh", n=10)) <= 10
    assert reg.suggest("Ca Mao", n=0) == []
    assert reg.suggest("qqqqqqqq") == []
    assert reg.suggest("") == []
    assert "Cần Thơ" not in reg.suggest("Ca Mao")
    # each unit once, even when several of its aliases are close
    s = reg.suggest("TP HCMM", n=5)
    assert len(s) == len(set(s))
    assert s[0] == "Hồ Chí Minh"


def test_suggest_is_deterministic(reg: Registry) -> None:
    assert reg.suggest("Quang Nga") == reg.suggest("Quang Nga")
    assert reg.suggest("Quang Nga")[0] == "Quảng Ngãi"


# --- validation of the data -------------------------------------------------------


def _mutated(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(DATA)
    change(data)
    return data


def test_from_data_accepts_shipped_data() -> None:
    assert len(Registry.from_data(copy.deepcopy(DATA)).current()) == 34


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["former"].pop(),  # a former unit missing (counts.former)
        lambda d: d["former"].append(dict(d["former"][0])),  # listed twice
        lambda d: d["former"][16].update(merged_into="nowhere"),  # bac-kan
        lambda d: d["former"][16].update(merged_into="ca-mau"),  # disagrees with current[].former
        lambda d: d["current"][0].update(kind="quận"),
        lambda d: d["current"][0].update(slug="hanoi"),
        lambda d: d["counts"].update(current_tinh=27),
        lambda d: d["former"][16].setdefault("aliases", []).append("Cà Mau"),  # alias clash
        lambda d: d["former"][0].setdefault("aliases", []).append("– . –"),  # empty once folded
    ],
)
def test_from_data_rejects_inconsistent_data(change: Any) -> None:
    assert DATA["former"][16]["slug"] == "bac-kan"
    with pytest.raises(RegistryError):
        Registry.from_data(_mutated(change))
