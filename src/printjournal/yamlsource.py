"""YAML text in, plain Python values and their line numbers out.

YAML 1.1 has traps for people writing health content: ``title: no`` is the
boolean False, ``date: 2026-13-45`` fails deep inside PyYAML, and a key given
twice silently wins. This loader follows YAML 1.2's core schema for booleans
(only ``true``/``false``), leaves dates as text for the content stage to parse
with a clear message, refuses duplicate keys, and records the line of every
value so that later checks can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem

Key = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and no implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document and where each of its values stands."""

    path: Path
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *key: str | int) -> int:
        """Line of the value at ``key``, or of its nearest parent that has one."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.first_line


def load_yaml(text: str, path: Path, first_line: int = 1) -> YamlDoc:
    """Parse ``text`` (which starts at ``first_line`` of ``path``)."""
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        raise ContentError.at(path, line, f"YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ContentError.at(path, first_line, f"YAML: {exc}") from None
    if node is None:
        return YamlDoc(path, None, {}, first_line)
    lines: dict[Key, int] = {}
    problems: list[Problem] = []
    _walk(node, (), lines, problems, path, offset)
    if problems:
        raise ContentError(problems)
    loader = _Loader("")
    try:
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + offset if mark else first_line
        raise ContentError.at(path, line, f"YAML: {exc}") from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, lines, first_line)


def _walk(node: yaml.Node, key: Key, lines: dict[Key, int], problems: list[Problem],
          path: Path, offset: int) -> None:
    lines[key] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k_node, v_node in node.value:
            name = str(k_node.value)
            if name in seen:
                problems.append(Problem(path, k_node.start_mark.line + 1 + offset,
                                        f"'{name}' is given twice"))
            seen.add(name)
            _walk(v_node, (*key, name), lines, problems, path, offset)
            lines[(*key, name)] = k_node.start_mark.line + 1 + offset
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*key, i), lines, problems, path, offset)
