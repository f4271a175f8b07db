"""One mistake, one message: a file whose front matter fails still counts as present for
links and `plan:` keys, so the files that name it get no second, false error."""

from __future__ import annotations

from cchc_site.build import check

BROKEN_PLAN = "---\ntitle: Kế hoạch: năm 2025\nnumber: 1/KH-UBND\nissued: 2025-01-15\nissuer: UBND tỉnh\nprovince: ha-tinh\n---\nx\n"
ARTICLE = (
    "---\ntitle: Tin\ndate: 2025-02-01\nprovince: ha-tinh\nplan: ke-hoach-2025\n---\n"
    "Xem [kế hoạch](../plans/ke-hoach-2025.md) và [tệp thiếu](../files/khong-co.pdf).\n"
)


def test_a_broken_front_matter_gives_its_own_error_and_no_false_ones(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/plans/ke-hoach-2025.md": BROKEN_PLAN, "content/articles/tin.md": ARTICLE})
    problems = [d for d in check(site.config(), cwd=site.root) if d.severity.value == "error"]
    by_file: dict[str, list[str]] = {}
    for d in problems:
        by_file.setdefault(d.path, []).append(d.message)
    assert len(by_file["content/plans/ke-hoach-2025.md"]) == 1  # the one real mistake
    article = by_file.get("content/articles/tin.md", [])
    assert not any("no plan has" in m or "ke-hoach-2025" in m for m in article), article
    assert any("khong-co.pdf" in m for m in article)  # a real broken link is still reported


def test_diagnostics_are_ordered_by_file_then_line(tmp_site) -> None:  # type: ignore[no-untyped-def]
    from cchc_site.core.diagnostics import format_all

    site = tmp_site({"content/plans/ke-hoach-2025.md": BROKEN_PLAN, "content/articles/tin.md": ARTICLE})
    lines = format_all(check(site.config(), cwd=site.root), "text").splitlines()
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert keys == sorted(keys)
