"""YAML text in, plain Python values and their line numbers out.

YAML 1.1 has traps for people writing health content: ``title: no`` is the
boolean False, ``number: 012`` is ten, ``date: 2026-13-45`` fails deep inside
PyYAML, and a key given twice silently wins. This loader follows YAML 1.2's
core schema for booleans and numbers, leaves dates as text for the content
stage to parse with a clear message, refuses duplicate keys, and records the
line (and the written text) of every value so that later checks can point at it.

Every YAML file printjournal reads comes through here, so here it is kept safe:
anchors, aliases and tags are refused, nesting is capped, and so is the length,
each before anything is expanded (a "billion laughs" costs milliseconds). A
mistake is told in plain words at its line (see :mod:`yamlwords`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Problem
from . import yamlwords

Key = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and numbers, no implicit timestamps, and
    no anchors, aliases, tags or nesting deeper than MAX_DEPTH: each refused as the
    composer meets it, before anything is expanded or nested further."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        for refusal in yamlwords.REFUSALS:
            value = getattr(event, refusal.attribute, None)
            if isinstance(event, refusal.event) and value:
                raise _RefusedError(event.start_mark, refusal.message.format(value=value))
        if isinstance(event, yaml.CollectionStartEvent):
            if self.depth >= yamlwords.MAX_DEPTH:
                raise _RefusedError(event.start_mark, yamlwords.TOO_DEEP)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        return int(node.value)   # YAML 1.2: 012 is twelve, not octal ten


class _RefusedError(Exception):
    """A YAML feature printjournal does not accept, at ``mark``."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


_REPLACED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp",
             "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
_Loader.add_implicit_resolver(  # at most 18 digits: longer runs stay text
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]{1,18}$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document, where each of its values stands, and the text of
    each scalar as written (``version: 1.10`` is the number 1.1, written "1.10")."""

    path: Path
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)
    first_line: int = 1
    written: dict[Key, str] = field(default_factory=dict)

    def line(self, *key: str | int) -> int:
        """Line of the value at ``key``, or of its nearest parent that has one."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.first_line


def load_yaml(text: str, path: Path, first_line: int = 1) -> YamlDoc:
    """Parse ``text`` (which starts at ``first_line`` of ``path``).

    Every mistake is a :class:`ContentError` in plain words at its line; a
    refused feature (anchor, alias, tag, deep nesting, too long a text) is found
    before anything is expanded, so a YAML bomb costs milliseconds.
    """
    offset = first_line - 1
    if len(text) > yamlwords.MAX_YAML_CHARS:
        line = text[: yamlwords.MAX_YAML_CHARS].count("\n") + first_line
        raise ContentError.at(path, line, yamlwords.TOO_LONG)
    flood = yamlwords.bracket_flood(text)
    if flood is not None:
        raise ContentError.at(path, flood + 1 + offset, yamlwords.TOO_DEEP)
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(path, None, {}, first_line)
        lines: dict[Key, int] = {}
        written: dict[Key, str] = {}
        problems: list[Problem] = []
        _walk(node, (), _Walk(path, offset, text.split("\n"), lines, written, problems))
        if problems:
            raise ContentError(problems)
        data = loader.construct_document(node)
    except _RefusedError as exc:
        raise ContentError.at(path, exc.mark.line + 1 + offset, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        line, message = yamlwords.explain(exc, text)
        raise ContentError.at(path, line + 1 + offset, message) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise ContentError.at(path, line, yamlwords.CONTROL.format(code=exc.character)) \
            from None
    except yaml.YAMLError as exc:
        raise ContentError.at(path, first_line, f"cannot be read as YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(path, data, lines, first_line, written)


@dataclass(frozen=True)
class _Walk:
    """What :func:`_walk` needs about the document and where it puts what it finds."""

    path: Path
    offset: int
    text_lines: list[str]
    lines: dict[Key, int]
    written: dict[Key, str]
    problems: list[Problem]

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + 1 + self.offset, message))


def _walk(node: yaml.Node, key: Key, walk: _Walk) -> None:
    walk.lines[key] = node.start_mark.line + 1 + walk.offset
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k_node, v_node in node.value:
            name = str(k_node.value)
            if name in seen:
                walk.problem(k_node.start_mark.line, f"'{name}' is given twice")
            seen.add(name)
            _walk(v_node, (*key, name), walk)
            walk.lines[(*key, name)] = k_node.start_mark.line + 1 + walk.offset
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*key, i), walk)
    elif isinstance(node, yaml.ScalarNode):
        walk.written[key] = node.value
        if node.style is None:
            _plain_mistakes(node, walk)


def _plain_mistakes(node: yaml.ScalarNode, walk: _Walk) -> None:
    """The mistakes PyYAML reads without complaint in an unquoted value."""
    start, end = node.start_mark, node.end_mark
    first = walk.text_lines[start.line]
    pattern, message = yamlwords.NO_SPACE_AFTER_DASH
    if pattern.match(first) and not first[: start.column].strip():
        walk.problem(start.line, message.format(rest=first.strip()[1:40]))
        return
    pattern, message = yamlwords.LIST_UNDER_VALUE
    if re.match(r"^\s*- ", first):
        message = yamlwords.LIST_ITEM_INDENT
    for number in range(start.line + 1, end.line + 1):
        if pattern.match(walk.text_lines[number]):
            walk.problem(number, message.format(what=yamlwords.what(first),
                                                start=start.line + 1 + walk.offset))
            return
    pattern, message = yamlwords.COMMENT_CUTS
    if pattern.match(walk.text_lines[end.line][end.column:]):
        walk.problem(end.line, message.format(what=yamlwords.what(first)))
