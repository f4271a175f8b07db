"""The folder tree is the map: each package imports only what its docstring allows.

Read from the source (every import statement, those inside functions too),
so a lazy import cannot slip past. The table below is the architecture; a
package's `__init__` docstring says the same in words.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cchc_site"
STAGES = ("core", "domain", "config", "content", "site", "render")

# package → the packages of cchc_site it may import (itself always)
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "domain": {"core"},
    "config": {"core", "domain"},
    "site": {"core", "domain", "config"},
    "content": {"core", "domain", "config", "site", "render", "incremental"},
    "render": {"core", "domain", "config", "site", "incremental"},
    "incremental": {"core", "domain", "config", "content", "render"},
    "build": {"core", "domain", "config", "content", "site", "render", "incremental", "edges"},
    "tools": {"core", "domain", "config", "content", "site", "render", "build", "edges"},
    "edges": {"core", "domain", "config", "content", "site", "render", "incremental", "build", "tools"},
}
# narrower doors into a package than "all of it"
ONLY_MODULES: dict[tuple[str, str], set[str]] = {
    **{(stage, "incremental"): {"incremental.api"} for stage in STAGES},
    ("content", "render"): {"render.search_index"},
    ("build", "edges"): {"edges.parallel"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "cchc_site" else [f"cchc_site.{a.name}" for a in node.names]
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "<relative import>"))
    return [(line, name) for line, name in found if name.startswith("cchc_site") or name == "<relative import>"]


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts and "static" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_follow_the_map(path: Path) -> None:
    rel = path.relative_to(PACKAGE)
    if len(rel.parts) == 1:  # cchc_site/__init__.py, __main__.py: the entry points
        return
    package = rel.parts[0]
    assert package in ALLOWED, f"{rel}: a new package needs its row in ALLOWED and an __init__ docstring"
    problems = []
    for line, name in _imports(path):
        if name == "<relative import>":
            problems.append(f"{rel}:{line}: use absolute imports (cchc_site.<package>.<module>)")
            continue
        parts = name.split(".")
        if len(parts) < 2 or parts[1] in ("__version__",):
            continue
        target = parts[1]
        if target == package:
            continue
        if target not in ALLOWED[package]:
            problems.append(f"{rel}:{line}: {package} may not import {target} ({name})")
            continue
        door = ONLY_MODULES.get((package, target))
        if door is not None and ".".join(parts[1:3]) not in door:
            problems.append(f"{rel}:{line}: {package} reaches {target} only through {sorted(door)}, not {name}")
    assert not problems, "\n".join(problems)


def test_no_stage_imports_an_edge_the_pipeline_or_a_tool() -> None:
    for stage in STAGES:
        assert not ALLOWED[stage] & {"edges", "build", "tools"}, stage


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_every_package_says_its_job_and_what_it_may_import(package: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text("utf-8"))) or ""
    assert len(doc.split("\n\n")[0]) > 40 and "May import" in doc, package


def test_the_map_finds_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself: a stage importing an edge inside a function is caught."""
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from cchc_site.edges.writer import swap_in\n", "utf-8")
    assert _imports(bad) == [(2, "cchc_site.edges.writer")]
