"""printjournal.toml in, a validated :class:`~printjournal.model.Project` out.

The project folder is found by looking upward from the working directory for
``printjournal.toml``, as MkDocs finds ``mkdocs.yml``. Every problem in the
file is reported together, each with its line.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .content import raster_problem
from .errors import ConfigError, Problem
from .model import (
    GOVERNANCE_ELEMENTS,
    OVERDUE_RULES,
    PAPER_SIZES,
    PLAIN_DEFAULTS,
    SEVERITIES,
    SOURCE_ORDERS,
    BuildSettings,
    Clinic,
    Editorial,
    Governance,
    Journal,
    PlainLimits,
    PrintSettings,
    Project,
    Validation,
)

CONFIG_NAME = "printjournal.toml"
_LANG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds printjournal.toml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError.at(start, 0, f"no {CONFIG_NAME} here or in any folder above")


def load_project(root: Path) -> Project:
    """Read and validate ``root/printjournal.toml``."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError.at(path, 0, f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError.at(path, 1, "not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError.at(path, int(match[1]) if match else 1, f"TOML: {exc}") from None
    checker = _Checker(path, text)
    journal = _journal(checker, data)
    clinics = _clinics(checker, data, root)
    validation = _validation(checker, data)
    editorial = _editorial(checker, data)
    source_order = _source_order(checker, data)
    press = _print(checker, data, root)
    governance = _governance(checker, data)
    build = _build(checker, data)
    for key in data.keys() - {"journal", "clinics", "validation", "plain_language",
                              "governance", "sources", "print", "build"}:
        checker.problem(key, f"unknown section [{key}]")
    if checker.problems:
        raise ConfigError(sorted(checker.problems))
    assert journal is not None
    return Project(root=root.resolve(), journal=journal, clinics=clinics,
                   validation=validation, editorial=editorial,
                   source_order=source_order, press=press, governance=governance,
                   build=build)


class _Checker:
    """Collects problems, finding the line of a key by reading the text."""

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

    def text(self, table: dict[str, Any], key: str, *, required: bool = True,
             default: str = "", after: int = 0) -> str:
        value = table.get(key)
        if value is None:
            if required:  # point at the table that lacks it
                self.problems.append(Problem(self.path, after or 1, f"'{key}' is required"))
            return default
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"'{key}' must be non-empty text", after)
            return default
        return value.strip()


def _journal(c: _Checker, data: dict[str, Any]) -> Journal | None:
    table = data.get("journal")
    if not isinstance(table, dict):
        c.problems.append(Problem(c.path, 1, "a [journal] section is required"))
        return None
    start = c.line_of("journal")
    known = {"name", "publisher", "base_url", "paper", "lang", "disclaimer", "disclaimers"}
    for key in table.keys() - known:
        c.problem(key, f"unknown key '{key}' in [journal]", start)
    base_url = c.text(table, "base_url", after=start).rstrip("/")
    if base_url and not re.match(r"^https?://[^/\s]+", base_url):
        c.problem("base_url", "'base_url' must start with http:// or https://", start)
    paper = c.text(table, "paper", required=False, default="A4", after=start)
    sizes = {name.lower(): name for name in PAPER_SIZES}
    if paper.lower() not in sizes:
        c.problem("paper", f"'paper' must be one of {', '.join(PAPER_SIZES)}", start)
    lang = c.text(table, "lang", required=False, default="en-GB", after=start)
    if not _LANG.match(lang):
        c.problem("lang", f"'lang' is not a language tag like en-GB: {lang!r}", start)
    disclaimers = table.get("disclaimers", {})
    if not isinstance(disclaimers, dict) or not all(
            isinstance(v, str) and v.strip() for v in disclaimers.values()):
        c.problem("disclaimers", "'disclaimers' must map languages to text", start)
        disclaimers = {}
    return Journal(
        name=c.text(table, "name", after=start),
        publisher=c.text(table, "publisher", after=start),
        base_url=base_url,
        paper=sizes.get(paper.lower(), "A4"),
        lang=lang,
        disclaimer=c.text(
            table, "disclaimer", required=False, after=start,
            default="For general information and education only — not medical advice."),
        disclaimers=tuple(sorted((k, v.strip()) for k, v in disclaimers.items())),
    )


def _clinics(c: _Checker, data: dict[str, Any], root: Path) -> tuple[Clinic, ...]:
    tables = data.get("clinics", [])
    if not isinstance(tables, list):
        c.problem("clinics", "clinics must be given as [[clinics]] tables")
        return ()
    clinics: list[Clinic] = []
    after = 0
    for table in tables:
        after = c.line_of("[[clinics]]".strip("[]"), after)
        known = {"id", "name", "logo", "address", "phone", "email", "hours", "website", "default"}
        for key in table.keys() - known:
            c.problem(key, f"unknown key '{key}' in [[clinics]]", after)
        clinic_id = c.text(table, "id", after=after)
        if clinic_id and not _ID.match(clinic_id):
            c.problem("id", "clinic 'id' must be lowercase letters, digits and hyphens", after)
        if any(k.id == clinic_id for k in clinics):
            c.problem("id", f"clinic id '{clinic_id}' is used twice", after)
        logo = None
        if "logo" in table:
            logo = (root / c.text(table, "logo", after=after)).resolve()
            if not logo.is_relative_to(root.resolve()) or not logo.is_file():
                c.problem("logo", f"clinic logo not found in the project: {table['logo']}", after)
            elif logo.suffix.lower() != ".svg" and (
                    problem := raster_problem(logo, str(table["logo"]))):
                c.problem("logo", f"clinic logo {problem}", after)   # a bomb, an unreadable file
        default = table.get("default", False)
        if not isinstance(default, bool):
            c.problem("default", "'default' must be true or false", after)
        clinics.append(Clinic(
            id=clinic_id, name=c.text(table, "name", after=after), logo=logo,
            address=c.text(table, "address", after=after),
            phone=c.text(table, "phone", after=after),
            email=c.text(table, "email", required=False, after=after),
            hours=c.text(table, "hours", required=False, after=after),
            website=c.text(table, "website", required=False, after=after),
            default=default is True))
        after += 1
    if clinics and sum(k.default for k in clinics) != 1:
        c.problem("clinics", "exactly one clinic must have default = true")
    return tuple(clinics)


def _validation(c: _Checker, data: dict[str, Any]) -> Validation:
    unknown_links = _one_of(c, data, "validation", "unknown_links", SEVERITIES,
                            "'unknown_links' must be one of ")
    return Validation(unknown_links=unknown_links)


def _editorial(c: _Checker, data: dict[str, Any]) -> Editorial:
    """``[plain_language.article]``, ``[plain_language.leaflet]`` and ``[governance]``."""
    plain = data.get("plain_language", {})
    if not isinstance(plain, dict):
        c.problem("plain_language", "plain_language must be given as [plain_language.article] "
                  "and [plain_language.leaflet] tables")
        plain = {}
    for key in plain.keys() - PLAIN_DEFAULTS.keys():
        c.problem(f"plain_language.{key}", f"unknown table [plain_language.{key}] (known: "
                  f"{', '.join(PLAIN_DEFAULTS)})")
    limits = []
    for product, default in PLAIN_DEFAULTS.items():
        table = plain.get(product, {})
        start = c.line_of(f"plain_language.{product}") if product in plain else 0
        name = f"[plain_language.{product}]"
        if not isinstance(table, dict):
            c.problem(f"plain_language.{product}", f"{name} must be a table")
            table = {}
        for key in table.keys() - {"max_grade", "sentence_words", "long_sentence_percent"}:
            c.problem(key, f"unknown key '{key}' in {name}", start)
        values = {}
        for key, low, high in (("max_grade", 1, 20), ("sentence_words", 5, 100),
                               ("long_sentence_percent", 0, 100)):
            value = table.get(key, getattr(default, key))
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not low <= value <= high:
                c.problem(key, f"'{key}' in {name} must be a number from {low} to {high}",
                          start)
                value = getattr(default, key)
            values[key] = value
        limits.append((product, PlainLimits(**values)))
    table = data.get("governance", {})
    if not isinstance(table, dict):
        c.problem("governance", "governance must be given as a [governance] table")
        table = {}
    start = c.line_of("governance") if "governance" in data else 0
    for key in table.keys() - {"require", "overdue"}:
        c.problem(key, f"unknown key '{key}' in [governance]", start)
    require = table.get("require", [])
    if not isinstance(require, list) or not all(r in GOVERNANCE_ELEMENTS for r in require):
        c.problem("require", "'require' in [governance] must be a list of "
                  + ", ".join(f'"{e}"' for e in GOVERNANCE_ELEMENTS), start)
        require = []
    return Editorial(plain=tuple(limits), require=tuple(require))


def _source_order(c: _Checker, data: dict[str, Any]) -> str:
    """``[sources] order``: "citation" (numbered in order of first citation) or "list"."""
    return _one_of(c, data, "sources", "order", SOURCE_ORDERS,
                   "'order' in [sources] must be one of ")


def _one_of(c: _Checker, data: dict[str, Any], section: str, key: str,
            choices: tuple[str, ...], message: str) -> str:
    """The value of the one ``key`` of the table ``[section]``, one of ``choices`` (the
    first is the default); a wrong value, another key or no table are problems."""
    table = data.get(section, {})
    if not isinstance(table, dict):
        c.problem(section, f"{section} must be given as a [{section}] table")
        return choices[0]
    start = c.line_of(section) if section in data else 0
    for other in table.keys() - {key}:
        c.problem(other, f"unknown key '{other}' in [{section}]", start)
    value = table.get(key, choices[0])
    if value not in choices:
        c.problem(key, message + ", ".join(f'"{s}"' for s in choices), start)
        return choices[0]
    return value


def _print(c: _Checker, data: dict[str, Any], root: Path) -> PrintSettings:
    """[print]: the press profile and condition, the ink limit, the bleed."""
    table = data.get("print", {})
    if not isinstance(table, dict):
        c.problem("print", "print must be given as a [print] table")
        return PrintSettings()
    start = c.line_of("print") if "print" in data else 0
    for key in table.keys() - {"profile", "condition", "ink_limit", "bleed_mm"}:
        c.problem(key, f"unknown key '{key}' in [print]", start)
    default = PrintSettings()
    profile = None
    if "profile" in table:
        profile = (root / c.text(table, "profile", after=start)).resolve()
        if not profile.is_file():
            c.problem("profile", f"the press profile {table['profile']} is not there "
                      "(name the printer's CMYK .icc file, from the project folder; without "
                      "'profile', the FOGRA39 profile ./run.sh makes is used)", start)
        elif profile.read_bytes()[16:20] != b"CMYK":
            c.problem("profile", f"{table['profile']} is not a CMYK press profile (an ICC "
                      "profile for four inks, as the printer supplies)", start)
    ink_limit = table.get("ink_limit", default.ink_limit)
    if not isinstance(ink_limit, int) or isinstance(ink_limit, bool) or \
            not 200 <= ink_limit <= 400:
        c.problem("ink_limit", "'ink_limit' must be a whole percentage from 200 to 400", start)
        ink_limit = default.ink_limit
    bleed = table.get("bleed_mm", default.bleed_mm)
    if isinstance(bleed, bool) or not isinstance(bleed, int | float) or not 0 <= bleed <= 10:
        c.problem("bleed_mm", "'bleed_mm' must be a number of millimetres from 0 to 10", start)
        bleed = default.bleed_mm
    return PrintSettings(
        profile=profile,
        condition=c.text(table, "condition", required=False, default=default.condition,
                         after=start),
        ink_limit=ink_limit, bleed_mm=float(bleed))


def _governance(c: _Checker, data: dict[str, Any]) -> Governance:
    """``[governance] overdue``: "mark" (the default) or "withhold" (its other key,
    ``require``, and the table's shape are checked by :func:`_editorial`)."""
    table = data.get("governance", {})
    if not isinstance(table, dict):
        return Governance()
    value = table.get("overdue", OVERDUE_RULES[0])
    if value not in OVERDUE_RULES:
        c.problem("overdue", "'overdue' must be one of "
                  + ", ".join(f'"{s}"' for s in OVERDUE_RULES), c.line_of("governance"))
        return Governance()
    return Governance(overdue=value)


SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls)://[^/\s:]+:\d{1,5}$")


def _build(c: _Checker, data: dict[str, Any]) -> BuildSettings:
    """``[build] scheduler``: the address of a Dask scheduler, "tcp://host:port";
    ``[build] cache``: where render cache entries live, a folder or "s3://bucket/prefix"."""
    table = data.get("build", {})
    if not isinstance(table, dict):
        c.problem("build", "build must be given as a [build] table")
        return BuildSettings()
    start = c.line_of("build") if "build" in data else 0
    for key in table.keys() - {"scheduler", "cache"}:
        c.problem(key, f"unknown key '{key}' in [build]", start)
    scheduler = table.get("scheduler")
    if scheduler is not None and not (isinstance(scheduler, str) and
                                      SCHEDULER_ADDRESS.match(scheduler)):
        c.problem("scheduler", "'scheduler' in [build] must be a Dask scheduler's address, "
                  'such as "tcp://10.0.0.5:8786"', start)
        scheduler = None
    return BuildSettings(scheduler=scheduler, cache=_cache_place(c, table.get("cache"), start))


CACHE_URL = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[\w.~/-]*)?$")


def _cache_place(c: _Checker, place: object, start: int) -> str | None:
    """A folder (relative to the project) or an S3 address; credentials are refused."""
    if place is None:
        return None
    if not isinstance(place, str) or not place.strip():
        c.problem("cache", "'cache' in [build] must be a folder or an address such as "
                  '"s3://bucket/prefix"', start)
    elif "://" in place and "@" in place.split("://", 1)[1].split("/", 1)[0]:
        c.problem("cache", "'cache' in [build] must not hold credentials: give them in the "
                  "environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)", start)
    elif "://" in place and not CACHE_URL.match(place):
        c.problem("cache", "'cache' in [build] must be a folder or an S3 address such as "
                  f'"s3://bucket/prefix" (a lower-case bucket name), not "{place}"', start)
    else:
        return place
    return None
