"""A skeleton made by `new` cannot be published by accident: its placeholders are errors
at their lines once `draft: false`; the plan's attachment example works as written."""

from __future__ import annotations

import re

import pytest

from cchc_site.build import check
from cchc_site.edges.cli import main


@pytest.mark.parametrize(
    "kind, keys",
    [
        ("article", {"summary"}),
        ("plan", {"number", "summary"}),
        ("service", {"field", "agency", "portal_url", "processing_time", "fee", "documents", "result", "legal_basis"}),
        ("page", {"summary"}),
    ],
)
def test_placeholders_are_errors_once_not_a_draft(tmp_site, monkeypatch, kind: str, keys: set[str]) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site()
    monkeypatch.chdir(site.root)
    assert main(["new", kind, "Bản thử", "--province", "Hà Tĩnh"]) == 0
    (path,) = (site.root / "content").rglob("*.md")
    assert check(site.config(), cwd=site.root) == ()  # a draft: fine as it is
    path.write_text(path.read_text("utf-8").replace("draft: true", "draft: false"), "utf-8")
    errors = [d for d in check(site.config(), cwd=site.root) if d.severity.value == "error"]
    named = {re.match(r"'([a-z_]+)'", d.message).group(1) for d in errors if d.message.startswith("'")}
    assert keys <= named, (keys, [d.message for d in errors])
    assert any("skeleton's line" in d.message for d in errors) == (kind != "plan")
    text = path.read_text("utf-8").split("\n")
    for d in errors:
        if d.message.startswith("'"):
            key = re.match(r"'([a-z_]+)'", d.message).group(1)
            assert text[d.line - 1].lstrip(" -").startswith((key, '"')), (d.line, text[d.line - 1])


def test_the_plan_skeletons_attachment_example_works_as_written(tmp_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site()
    monkeypatch.chdir(site.root)
    assert main(["new", "plan", "Kế hoạch thử", "--province", "Hà Tĩnh"]) == 0
    (path,) = (site.root / "content").rglob("*.md")
    text = path.read_text("utf-8")
    text = re.sub(r"^# (attachments:)", r"\1", text, flags=re.M)
    text = re.sub(r"^#( +- title:| +file:)", r"\1", text, flags=re.M)
    path.write_text(text, "utf-8")
    site.write("content/files/ke-hoach/ten-tep.pdf", b"%PDF-1.4 thu")
    assert check(site.config(), cwd=site.root) == ()
