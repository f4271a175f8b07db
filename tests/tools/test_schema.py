"""schema: JSON Schemas made from the loader's field table accept the sample site
and reject what the loader rejects; province enums come from the registry."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from sitefactory import REPO

from cchc_site.content.frontmatter import SCHEMAS
from cchc_site.domain.provinces import load_registry
from cchc_site.edges.cli import main
from cchc_site.tools.schema import all_schemas

jsonschema = pytest.importorskip("jsonschema")
REGISTRY = load_registry()
SCHEMA = all_schemas(REGISTRY)
KIND_OF = {"articles": "article", "plans": "plan", "services": "service", "pages": "page"}


def as_editor_sees(value):  # type: ignore[no-untyped-def]
    """YAML 1.2 (the editor extension) keeps dates as text; PyYAML makes them objects."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    return value


def front(text: str) -> dict:
    return as_editor_sees(yaml.safe_load(text.split("---\n")[1]) or {})


def validator(kind: str):  # type: ignore[no-untyped-def]
    schema = SCHEMA[f"{kind}.schema.json"]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_sample_site_front_matter_is_valid() -> None:
    files = sorted((REPO / "content").rglob("*.md"))
    seen = set()
    for path in files:
        kind = KIND_OF[path.relative_to(REPO / "content").parts[0]]
        seen.add(kind)
        errors = [e.message for e in validator(kind).iter_errors(front(path.read_text("utf-8")))]
        assert errors == [], (path, errors)
    assert seen == set(KIND_OF.values())


@pytest.mark.parametrize(
    "kind,text",
    [
        ("article", "---\ntitle: A\ndate: 2024-01-01\nprovince: Atlantis\n---\n"),
        ("article", "---\ntitle: A\ndate: 2024-01-01\nprovince: ha-tinh\ntitel: x\n---\n"),
        ("article", "---\ntitle: A\nprovince: ha-tinh\n---\n"),
        ("article", "---\ntitle: A\ndate: hôm qua\nprovince: ha-tinh\n---\n"),
        ("article", '---\ntitle: ""\ndate: 2024-01-01\nprovince: ha-tinh\n---\n'),
        ("service", "---\ntitle: S\nlevel: 2\nfield: F\nagency: A\nportal_url: https://a.gov.vn/\n---\n"),
        ("service", "---\ntitle: S\nlevel: 4\nfield: F\nagency: A\nportal_url: http://a.gov.vn/\n---\n"),
        (
            "service",
            "---\ntitle: S\nlevel: 4\nfield: F\nagency: A\nportal_url: https://a.gov.vn/\ncode: 1.00119\n---\n",
        ),
        ("plan", "---\ntitle: P\nnumber: 1/KH\nissued: 2024-01-01\nissuer: U\nprovince: ha-tinh\nyear: 1800\n---\n"),
        ("page", "---\ntitle: P\norder: một\n---\n"),
    ],
)
def test_bad_front_matter_fails(kind: str, text: str, tmp_site) -> None:
    assert list(validator(kind).iter_errors(front(text))), text
    # and the loader agrees it is bad
    from cchc_site.build import check

    site = tmp_site({f"content/{kind}s/x.md": text + "x\n"})
    assert any(d.severity.value == "error" for d in check(site.config(), cwd=site.root))


def test_every_field_checker_has_a_schema() -> None:
    """A checker added to the loader's table must get its schema here, or its key validates nothing."""
    from cchc_site.tools.schema import known_checkers

    used = {check for required, optional in SCHEMAS.values() for check in (*required.values(), *optional.values())}
    assert used <= known_checkers(REGISTRY), sorted(c.__name__ for c in used - known_checkers(REGISTRY))


def test_keys_and_enums_come_from_the_model_and_registry() -> None:
    for kind, (required, optional) in SCHEMAS.items():
        schema = SCHEMA[f"{kind}.schema.json"]
        assert schema["required"] == sorted(required)
        assert set(schema["properties"]) == set(required) | set(optional)
        assert schema["additionalProperties"] is False
    enum = set(SCHEMA["article.schema.json"]["properties"]["province"]["enum"])
    for unit in REGISTRY.units.values():
        assert {unit.slug, unit.name, unit.full_name} <= enum
    assert len(enum) >= 2 * len(REGISTRY.units)
    assert all(REGISTRY.lookup(name) is not None for name in enum)  # nothing the loader would refuse
    valid = validator("article")
    base = {"title": "A", "date": "21/12/2020"}
    for unit in list(REGISTRY.units.values())[::7]:  # every spelling listed is one the loader accepts
        for name in (unit.slug, unit.name, unit.full_name):
            assert not list(valid.iter_errors({**base, "province": name}))
            assert REGISTRY.lookup(name) is not None
    assert not list(valid.iter_errors({**base, "province": "ha-tinh", "x-reviewer": "Phòng CCHC"}))


def test_cli_writes_one_file_per_type(tmp_path: Path, capsys) -> None:
    assert main(["schema", "--output", str(tmp_path / "s")]) == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == sorted(f"{k}.schema.json" for k in SCHEMAS)
    data = json.loads((tmp_path / "s/service.schema.json").read_text("utf-8"))
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
