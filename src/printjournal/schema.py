"""Declared keys in, a table's checked values and its problems out: printjournal.toml's
tables, each key declared once.

A table (``[journal]``, each ``[[clinics]]``, ``[print]``, ...) is a tuple of
:class:`Option`: the key, the checks its value passes in turn (each converts it or raises
:class:`InvalidValueError` with the plain words to print), its default, whether it is required.
:func:`read` checks a parsed table against them and gives every value, collecting every
problem at its line (a key the table does not declare, a wrong value, a missing required
key) rather than stopping at the first, in the spirit of MkDocs' config options. The
frozen dataclasses of :mod:`printjournal.model` are built from what it returns
(config.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem

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
