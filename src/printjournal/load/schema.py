"""Declared keys in, checked values and their problems out: printjournal.toml's tables,
front matter and issue manifests, each key declared once.

A table (``[journal]``, each ``[[clinics]]``, ``[print]``, ...) is a tuple of
:class:`Option`: the key, the checks its value passes in turn (each converts it or raises
:class:`InvalidValueError` with the plain words to print), its default, whether it is required.
:func:`read` checks a parsed table against them and gives every value, collecting every
problem at its line (a key the table does not declare, a wrong value, a missing required
key) rather than stopping at the first, in the spirit of MkDocs' config options. The
frozen dataclasses of :mod:`printjournal.model` are built from what it returns
(config.py).

A YAML mapping (front matter, a manifest, a source, a review) is a :class:`Group` of
:class:`Key`: the key, its kind (text, date, a list of text, a version, a group, a list
of groups, any value), whether it is required, its length limits, the same checks as
an :class:`Option` for the rules that are more than a type, and what it means (the
README's limits are tested against these: tests/test_keys.py). :func:`read_group`
reads one through a :class:`~printjournal.load.fields.Fields`, which words each problem at
its line; a misspelt key is named ("did you mean 'sources'?") and not also reported
missing. The declarations: :mod:`printjournal.load.yamlkeys`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from .fields import MAX_TEXT, Fields

Check = Callable[[Any], Any]


class InvalidValueError(ValueError):
    """A value a check refuses; its text is the problem, in plain words."""


@dataclass(frozen=True)
class Option:
    """One key of a table: its checks (in turn), its default, whether it is required."""

    key: str
    checks: tuple[Check, ...] = ()
    default: Any = None
    required: bool = False


class Lines:
    """printjournal.toml's text: the line of a key, problems collected with their lines."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def line_of(self, key: str, after: int = 0) -> int:
        pattern = re.compile(rf"^\s*(\[+\s*)?{re.escape(key)}\b")
        for number, line in enumerate(self.lines[after:], start=after + 1):
            if pattern.match(line):
                return number
        return after + 1 if after else 1

    def problem(self, key: str, message: str, after: int = 0) -> None:
        self.problems.append(Problem(self.path, self.line_of(key, after), message))


def read(lines: Lines, table: Mapping[str, Any], options: Sequence[Option], name: str,
         start: int = 0) -> dict[str, Any]:
    """Every option's value in ``table`` (the table ``name``, whose header is on line
    ``start``; 0: not in the file); each problem goes to ``lines``, the value then its
    default."""
    keys = {o.key for o in options}
    for key in table.keys() - keys:
        lines.problem(key, f"unknown key '{key}' in {name}", start)
    values: dict[str, Any] = {}
    for option in options:
        value = table.get(option.key)
        if value is None:
            if option.required:   # point at the table that lacks it
                lines.problems.append(Problem(lines.path, start or 1,
                                              f"'{option.key}' is required"))
            values[option.key] = option.default
            continue
        try:
            for check in option.checks:
                value = check(value)
        except InvalidValueError as exc:
            lines.problem(option.key, str(exc), start)
            value = option.default
        values[option.key] = value
    return values


# ---------- checks ----------

def text(key: str) -> Check:
    """Non-empty text, stripped."""
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError(f"'{key}' must be non-empty text")
        return value.strip()
    return check


def matches(pattern: re.Pattern[str], message: str | Callable[[Any], str]) -> Check:
    """Text that ``pattern`` matches."""
    def check(value: Any) -> Any:
        if not (isinstance(value, str) and pattern.match(value)):
            raise InvalidValueError(message(value) if callable(message) else message)
        return value
    return check


def one_of(choices: Mapping[str, Any] | Sequence[Any], message: str) -> Check:
    """One of ``choices``; a mapping's keys are what may be written (lowercase: any case),
    its values what is kept."""
    def check(value: Any) -> Any:
        if isinstance(choices, Mapping):
            if isinstance(value, str) and value.lower() in choices:
                return choices[value.lower()]
        elif value in choices:
            return value
        raise InvalidValueError(message)
    return check


def flag(key: str) -> Check:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise InvalidValueError(f"'{key}' must be true or false")
        return value
    return check


def number(low: float, high: float, message: str, whole: bool = False) -> Check:
    """A number from ``low`` to ``high`` (``whole``: an integer); true and false are not."""
    kinds = (int,) if whole else (int, float)
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
            raise InvalidValueError(message)
        return value
    return check


# ---------- YAML mappings: front matter, manifests ----------

Rule = Callable[["Fields", Any, tuple[str | int, ...]], None]


@dataclass(frozen=True)
class Key:
    """One key of a YAML mapping.

    ``kind``: "text" (stripped; empty means absent), "date" (YYYY-MM-DD), "texts" (a
    top-level key only: one text or a list, each item at most ``limit`` characters, at
    most ``items`` items, ``commas``: one text with commas is refused), "list" (a list
    of non-empty text, items that fail kept as "" in their place), "version" (text, or a
    number as written: 1.10 stays "1.10"), "group" (a mapping, ``group`` its keys;
    ``shape``: the problem when it is not one), "groups" (a list of them) or "any".
    ``required``: True, or the message that says it is missing. ``checks``: as
    :class:`Option`'s, run on a given value (a text's also on its default); a text keeps
    its value when one fails, any other kind takes its default. ``rules``: checks that
    add their own problems, given the value and where it stands. ``holds``: what an
    "any" value is, in words (the README's table of keys).
    """

    name: str
    kind: str = "text"
    meaning: str = ""
    required: bool | str = False
    limit: int = MAX_TEXT
    items: int = 0
    commas: bool = False
    default: Any = None
    checks: tuple[Check, ...] = ()
    rules: tuple[Rule, ...] = ()
    group: Group | None = None
    shape: str = ""
    holds: str = ""


@dataclass(frozen=True)
class Group:
    """The keys of one YAML mapping; ``what`` names an unknown one ("review key");
    ``shape``: the problem when an item of a list of groups is not a mapping;
    ``build`` makes the value (a model dataclass) from the values read, where it
    stands; ``rules`` check the values together."""

    keys: tuple[Key, ...]
    what: str
    shape: str = ""
    build: Callable[[dict[str, Any], Fields, tuple[str | int, ...]], Any] | None = None
    rules: tuple[Rule, ...] = ()

    def __getitem__(self, name: str) -> Key:
        return next(key for key in self.keys if key.name == name)


def read_group(f: Fields, group: Group, at: tuple[str | int, ...] = (),
               defaults: Mapping[str, Any] | None = None) -> Any:
    """The mapping at ``at`` read by ``group``'s keys: its built value (without
    ``build``: the values by key). ``defaults`` replace declared ones; a callable is
    given the values read so far. Unknown keys are listed sorted at the top, in their
    declared order inside."""
    names = [key.name for key in group.keys]
    f.unknown_keys(at, names if at else sorted(names), group.what)
    values: dict[str, Any] = {}
    for key in group.keys:
        default = (defaults or {}).get(key.name, key.default)
        values[key.name] = read_key(f, key, (*at, key.name),
                                    default(values) if callable(default) else default)
    for rule in group.rules:
        rule(f, values, at)
    return group.build(values, f, at) if group.build else values


def read_key(f: Fields, key: Key, at: tuple[str | int, ...], default: Any = None) -> Any:
    """The value of ``key`` at ``at`` (``default`` when absent or wrong), every problem
    to ``f``."""
    given = f.get(*at)
    value = _typed(f, key, at, given, default)
    if key.checks and (value if key.kind == "text" else given is not None):
        try:
            for check in key.checks:
                value = check(value)
        except InvalidValueError as exc:
            f.problem(at, str(exc))
            value = value if key.kind == "text" else default
    for rule in key.rules:
        rule(f, value, at)
    return value


def _typed(f: Fields, key: Key, at: tuple[str | int, ...], given: Any, default: Any) -> Any:
    kind, dotted = key.kind, ".".join(str(k) for k in at)
    if kind == "text":
        return f.text(*at, required=bool(key.required), limit=key.limit) or default or ""
    if kind == "date":
        return f.date(*at, required=bool(key.required)) or default
    if kind == "texts":
        return f.text_list(str(at[-1]), key.limit, key.items, key.commas) or default or ()
    if given is None or (key.kind == "list" and key.required and given == []):
        if key.required:
            f.missing(at, key.required if isinstance(key.required, str)
                      else f"'{dotted}' is required")
        return default
    if kind == "version":
        if isinstance(given, (int, float)) and not isinstance(given, bool):
            return f.doc.written.get(at, str(given))    # 1.10, not 1.1
        return f.text(*at, limit=key.limit)
    if kind == "any":
        return given
    if not isinstance(given, dict if kind == "group" else list):
        f.problem(at, key.shape)
        return default
    if kind == "list":
        return tuple(f.text(*at, i, required=True, limit=key.limit) for i in range(len(given)))
    assert key.group is not None
    if kind == "group":
        return read_group(f, key.group, at)
    items = []
    for i, item in enumerate(given):
        if isinstance(item, dict):
            items.append(read_group(f, key.group, (*at, i)))
        else:
            f.problem((*at, i), key.group.shape)
    return tuple(items)
