"""Parsed YAML (a :class:`~printjournal.load.yamlsource.YamlDoc`) in, typed values and
every problem with its line out.

:class:`Fields` reads front matter and manifests alike: text, dates, lists of
text, each checked for its type and its length (the limits a key declares:
:mod:`printjournal.load.yamlkeys`), and unknown keys reported with the known key they
are likely a misspelling of, so that a misspelt key is not also reported missing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from typing import Any

from ..errors import Problem
from .yamlsource import YamlDoc

MAX_TEXT = 300     # characters of a text whose key declares no limit
_ONE_TEXT = "write one text on the line of its key, in quotes if it holds ': ' or ' #'"
NOT_TEXT = {bool: "true/false (put it in quotes)", int: "a number (put it in quotes)",
            float: "a number (put it in quotes)", list: f"a list: {_ONE_TEXT}",
            dict: f"a group of 'key: value' lines: {_ONE_TEXT}"}


class Fields:
    """Typed access to front matter values, collecting every problem."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.misspelt: set[str] = set()   # 'sources' when 'sorces' was given

    def unknown_keys(self, key: tuple[str | int, ...], known: Sequence[str], what: str) -> None:
        """Report each key of the mapping at ``key`` that is not ``known``, naming the
        known key it is likely a misspelling of (which is then not also reported
        missing), else listing the known keys."""
        given = self.get(*key)
        for name in sorted(given.keys() - set(known), key=str):
            close = difflib.get_close_matches(str(name).lower(),
                                              [k for k in known if k not in given],
                                              n=1, cutoff=0.6)
            if close:
                self.misspelt.add(".".join(str(k) for k in (*key, close[0])))
                hint = f": did you mean '{close[0]}'?"
            elif " " in str(name).strip() and what == "front matter key":
                hint = ": a key is one word; if this line is body text, the front matter " \
                       "needs its closing '---' line above it"
            else:
                hint = f" (known: {', '.join(known)})"
            self.problem((*key, str(name)), f"unknown {what} '{str(name)[:60]}'{hint}")

    def missing(self, key: tuple[str | int, ...], message: str) -> None:
        """Report a required value as missing, unless it was given under a misspelt key."""
        if ".".join(str(k) for k in key) not in self.misspelt:
            self.problem(key, message)

    def problem(self, key: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line(*key), message))

    def get(self, *key: str | int) -> Any:
        value: Any = self.doc.data
        for part in key:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def text(self, *key: str | int, required: bool = False, limit: int = MAX_TEXT) -> str:
        """The text at ``key``, stripped; at most ``limit`` characters."""
        value = self.get(*key)
        name = ".".join(str(k) for k in key)
        if value is None:
            if required:
                self.missing(key, f"'{name}' is required")
            return ""
        if isinstance(value, bool) or not isinstance(value, str):
            kind = NOT_TEXT.get(type(value), NOT_TEXT[int])
            self.problem(key, f"'{name}' must be text, not {kind}")
            return ""
        if required and not value.strip():
            self.problem(key, f"'{name}' must not be empty")
        if len(value.strip()) > limit:
            self.problem(key, f"'{name}' is {len(value.strip())} characters long; at most "
                         f"{limit} fit: shorten it")
        return value.strip()

    def date(self, *key: str | int, required: bool = False) -> dt.date | None:
        value = self.get(*key)
        name = ".".join(str(k) for k in key)
        if value is None:
            if required:
                self.missing(key, f"'{name}' is required")
            return None
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.problem(key, f"'{name}' must be a date as YYYY-MM-DD, not {text[:40]!r}")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            self.problem(key, f"'{name}' is not a real date: {text} ({exc})")
            return None

    def text_list(self, key: str, limit: int = MAX_TEXT, most: int = 0,
                  commas: bool = False) -> tuple[str, ...]:
        """The top-level ``key``'s text, or list of text (at most ``most`` items, 0: any;
        ``commas``: one text with commas is refused as a list written wrong)."""
        value = self.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            if commas and "," in value:
                items = ", ".join(t.strip() for t in value.split(","))
                self.problem((key,), f"'{key}' is one text with commas: write a list, "
                             f"[{items[:60]}]")
                return ()
            value = [value]
        if not isinstance(value, list):
            self.problem((key,), f"'{key}' must be a list of text")
            return ()
        if most and len(value) > most:
            self.problem((key,), f"'{key}' has {len(value)} items; at most "
                         f"{most} are allowed")
            return ()
        items = []
        for i in range(len(value)):
            item = self.text(key, i, limit=limit)
            if item:
                items.append(item)
        return tuple(items)
