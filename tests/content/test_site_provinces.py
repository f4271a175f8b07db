"""Single-province sites stay single; a former unit named after the merger is pointed out."""

from __future__ import annotations

from cchc_site.build import check

CA_MAU = "---\ntitle: Tin Cà Mau\ndate: 2024-05-01\nprovince: ca-mau\n---\nx\n"
QUANG_BINH_OLD = "---\ntitle: Tin Quảng Bình\ndate: 2024-05-01\nprovince: quang-binh\n---\nx\n"
QUANG_BINH_NEW = "---\ntitle: Tin mới\ndate: 2025-07-20\nprovince: Quảng Bình\n---\nx\n"
NATIONAL = "---\ntitle: Tin chung\ndate: 2024-05-01\nprovince: trung-uong\n---\nx\n"


def _errors(site):  # type: ignore[no-untyped-def]
    return check(site.config(), cwd=site.root)


def test_content_of_another_province_is_an_error_at_its_line(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site(
        {
            "content/articles/ca-mau.md": CA_MAU,
            "content/articles/qb.md": QUANG_BINH_OLD,
            "content/articles/chung.md": NATIONAL,
        },
        {"provinces": ["quang-tri"]},
    )
    errors = [d for d in _errors(site) if d.severity.value == "error"]
    assert [(d.path, d.line) for d in errors] == [("content/articles/ca-mau.md", 4)]
    assert "Cà Mau" in errors[0].message and "Quảng Trị" in errors[0].message


def test_all_provinces_sites_accept_every_province(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/articles/ca-mau.md": CA_MAU, "content/articles/qb.md": QUANG_BINH_OLD})
    assert not [d for d in _errors(site) if d.severity.value == "error"]


def test_a_former_unit_after_the_merger_is_a_warning_naming_the_current_one(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/articles/moi.md": QUANG_BINH_NEW, "content/articles/cu.md": QUANG_BINH_OLD})
    warnings = [d for d in _errors(site) if d.severity.value == "warning"]
    assert [(d.path, d.line) for d in warnings] == [("content/articles/moi.md", 4)]
    assert "Quảng Trị" in warnings[0].message and "2025-07-20" in warnings[0].message
