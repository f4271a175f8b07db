"""Safe YAML loading that keeps the line of every key and value.

Dates stay strings (we parse them ourselves, so `2023-02-30` becomes our own
message instead of a PyYAML ValueError); aliases, custom tags and deep
nesting are refused before anything is constructed.

It is PyYAML, not a parser of our own: ordinary input goes through libyaml's
CSafeLoader (42 µs per front matter instead of 327 µs with the pure-Python
SafeLoader, 7.7×, on the benchmark corpus), deep or odd input and every
error through the pure-Python loader, so messages and positions are always
the same. tests/core/test_yamlload_paths.py checks that both loaders give the same
data and positions on the benchmark corpus and the sample site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from cchc_site.core.yamlhints import explain

MAX_DEPTH = 20


class YamlProblem(Exception):
    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamp resolution, aliases or deep nesting."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlProblem("YAML aliases (*name) are not allowed here", mark.line + 1, mark.column + 1)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlProblem(f"YAML nested more than {MAX_DEPTH} levels deep", mark.line + 1, mark.column + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _CLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser for ordinary input (10× faster); see `_fast_enough`."""


# Drop the timestamp and float resolvers: dates are parsed by us, and a procedure
# code such as 1.001230 must keep its trailing zero.
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
FAST_LIMIT = 200  # libyaml's composer recurses in C: deep input must never reach it


def _fast_enough(text: str) -> bool:
    """True when `text` cannot nest deeper than FAST_LIMIT (libyaml crashes on
    ~100,000 levels). Flow depth ≤ the number of `[`/`{`; block depth ≤ the
    indentation (with `-`, `?`, `:` markers) of the deepest line."""
    if not hasattr(yaml, "CSafeLoader") or text.count("[") + text.count("{") > FAST_LIMIT:
        return False
    return all(len(line) - len(line.lstrip(" -?:")) <= FAST_LIMIT for line in text.split("\n"))


@dataclass(frozen=True)
class Located:
    """Where a mapping key and its value start (1-based line and column)."""

    key_line: int
    key_col: int
    value_line: int
    value_col: int


def load(text: str, line_offset: int = 0) -> tuple[Any, dict[tuple[str, ...], Located]]:
    """Parse one YAML document; return its data and the position of every mapping key.

    Positions are keyed by the path of keys from the top (`("source", "url")`).
    `line_offset` is added to every line (front matter starts below `---`).
    Raises YamlProblem with a line/col for any error.
    """
    if _fast_enough(text):
        try:
            return _load(_CLoader, text, line_offset)
        except YamlProblem:
            pass  # the pure-Python parser words every problem the same way, with its exact place
    return _load(_Loader, text, line_offset)


def _load(loader_class: type, text: str, line_offset: int) -> tuple[Any, dict[tuple[str, ...], Located]]:
    try:
        loader = loader_class(text)  # checks every character first
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        raise YamlProblem(
            f"character U+{exc.character:04X} is not allowed in YAML (a control character); remove it",
            line + line_offset,
            col,
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        positions: dict[tuple[str, ...], Located] = {}
        _walk(node, (), positions, line_offset, set(), 0)
        data = loader.construct_document(node)
    except YamlProblem as exc:
        raise YamlProblem(exc.message, exc.line + line_offset, exc.col) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark else 1
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        tag = re.search(r"tag '([^']+)'", problem)
        if isinstance(exc, yaml.constructor.ConstructorError) and tag:
            message = f"YAML tag '{tag.group(1).replace('tag:yaml.org,2002:', '!!')}' is not allowed"
        else:
            hint = explain(problem, text, line, col, line_offset)
            message = f"YAML syntax error: {hint or problem}"
        raise YamlProblem(message, line + line_offset, col) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML error: {exc}", 1 + line_offset, 1) from None
    except RecursionError:
        raise YamlProblem("YAML nested too deeply", 1 + line_offset, 1) from None
    finally:
        loader.dispose()
    return data, positions


def _walk(
    node: yaml.Node,
    path: tuple[str, ...],
    out: dict[tuple[str, ...], Located],
    offset: int,
    seen_nodes: set[int],
    depth: int,
) -> None:
    """Record positions; refuse aliases (a collection met twice) and deep nesting.

    The pure-Python loader refuses both while composing; libyaml's composer
    resolves aliases to shared nodes, which this walk finds before anything is
    constructed (so an alias bomb never expands)."""
    mark = node.start_mark
    if id(node) in seen_nodes:
        raise YamlProblem("YAML aliases (*name) are not allowed here", mark.line + 1, mark.column + 1)
    seen_nodes.add(id(node))
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if depth >= MAX_DEPTH:
            raise YamlProblem(f"YAML nested more than {MAX_DEPTH} levels deep", mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
            km, vm = key_node.start_mark, value_node.start_mark
            if key in seen:
                raise YamlProblem(
                    f"duplicate key '{key}' (first given on line {seen[key] + offset})", km.line + 1, km.column + 1
                )
            seen[key] = km.line + 1
            out[path + (key,)] = Located(km.line + 1 + offset, km.column + 1, vm.line + 1 + offset, vm.column + 1)
            _walk(value_node, path + (key,), out, offset, seen_nodes, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            m = item.start_mark
            out[path + (str(i),)] = Located(m.line + 1 + offset, m.column + 1, m.line + 1 + offset, m.column + 1)
            _walk(item, path + (str(i),), out, offset, seen_nodes, depth + 1)
