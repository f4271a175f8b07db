"""`cchc-site schema [--output DIR]`: one JSON Schema (draft 2020-12) per content
type, made from the loader's own field table (frontmatter.SCHEMAS) and the
province registry, for editors' YAML completion and underlines.

Province enums list the spellings the registry holds (slugs, names, full names,
aliases); the loader also accepts case, diacritic and prefix variants of them,
which the schema does not enumerate, so it leads editors to a listed spelling.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from cchc_site.content import frontmatter as fm
from cchc_site.domain.provinces import Registry, load_registry

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = (
    r"^(\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}/\d{1,2}/\d{4})$"
)
NON_EMPTY = {"type": "string", "minLength": 1, "pattern": r"\S"}


def _plain(text: str) -> str:
    """Without diacritics, case kept: "Bắc Kạn" → "Bac Kan" (as typed on a keyboard without Telex)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def province_names(registry: Registry) -> list[str]:
    """The listed spellings of every unit and their everyday variants; only ones lookup accepts."""
    names: list[str] = []
    for unit in registry.units.values():
        spelled = [unit.slug, unit.name, unit.full_name, *unit.aliases]
        for name in spelled:  # as listed, capitalised ("Tỉnh Cà Mau"), lower case, and each without diacritics
            for form in (name, name[:1].upper() + name[1:], name.lower()):
                names += [form, _plain(form)]
    return sorted(dict.fromkeys(n for n in names if n and registry.lookup(n) is not None))


def known_checkers(registry: Registry) -> set[Any]:
    return set(_fragments(registry))


def _fragments(registry: Registry) -> dict[Any, dict[str, Any]]:
    province = {"type": "string", "enum": province_names(registry)}
    text_list = {"anyOf": [NON_EMPTY, {"type": "array", "items": NON_EMPTY}]}
    amount = {"anyOf": [NON_EMPTY, {"type": "integer", "minimum": 0}]}
    channels = {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {name: amount for name in ("trực tiếp", "trực tuyến", "bưu chính")},
    }
    levels = sorted({*(k for k in fm.LEVELS if not k[0].isdigit()), "một phần", "toàn trình"})
    return {
        fm.text: NON_EMPTY,
        fm.label: {**NON_EMPTY, "maxLength": fm.MAX_LABEL},
        fm.boolean: {"type": "boolean"},
        fm.integer: {"type": "integer"},
        fm.year: {"type": "integer", "minimum": 1945, "maximum": 2200},
        # YAML reads an unquoted 2024-05-01 as a date; the YAML extension validates it as this string
        fm.date: {"type": "string", "pattern": DATE_PATTERN},
        fm.slug: {**NON_EMPTY, "maxLength": fm.MAX_SLUG},
        fm.text_list: text_list,
        fm.province: province,
        fm.province_list: {
            "anyOf": [{"enum": ["all", "tất cả"]}, {"type": "array", "minItems": 1, "items": province}, province]
        },
        fm.level: {"anyOf": [{"enum": [3, 4, "3", "4"]}, {"type": "string", "enum": levels}]},
        fm.https_url: {"type": "string", "pattern": r"^https://[A-Za-z0-9.-]+(:\d+)?(/\S*)?$"},
        fm.code: {"type": "string", "pattern": fm.CODE_RE.pattern},
        fm.per_channel: {"anyOf": [amount, channels]},
        fm.source_link: {
            "anyOf": [
                NON_EMPTY,
                {
                    "type": "object",
                    "required": ["name"],
                    "additionalProperties": False,
                    "properties": {
                        "name": NON_EMPTY,
                        "url": {"type": "string", "pattern": r"^https?://[A-Za-z0-9.-]+(:\d+)?(/\S*)?$"},
                    },
                },
            ]
        },
        fm.attachments: {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["file"],
                "additionalProperties": False,
                "properties": {"title": NON_EMPTY, "file": NON_EMPTY},
            },
        },
    }


def schema_for(kind: str, registry: Registry) -> dict[str, Any]:
    required, optional = fm.SCHEMAS[kind]
    parts = _fragments(registry)
    # a checker this table does not know yet accepts anything here; `check` still validates it
    properties = {key: parts.get(check, {}) for key, check in {**required, **optional}.items()}
    return {
        "$schema": DRAFT,
        "$id": f"cchc-site/{kind}.schema.json",
        "title": f"cchc-site {kind} front matter",
        "type": "object",
        "required": sorted(required),
        "properties": properties,
        "patternProperties": {"^x-": {}},  # the editor's own keys
        "additionalProperties": False,
    }


def all_schemas(registry: Registry) -> dict[str, dict[str, Any]]:
    return {f"{kind}.schema.json": schema_for(kind, registry) for kind in fm.SCHEMAS}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, default=Path("schemas"), help="folder to write to (default schemas)")


def run(args: argparse.Namespace) -> int:
    try:
        args.output.mkdir(parents=True, exist_ok=True)
        for name, schema in all_schemas(load_registry()).items():
            (args.output / name).write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", "utf-8")
    except OSError as exc:
        print(f"cchc-site schema: error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {len(fm.SCHEMAS)} schemas into {args.output}")
    return 0
