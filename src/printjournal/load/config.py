"""printjournal.toml in, a validated :class:`~printjournal.model.Project` out.

The project folder is found by looking upward from the working directory for
``printjournal.toml``, as MkDocs finds ``mkdocs.yml``. Each table's keys are declared
once, as :class:`~printjournal.load.schema.Option` tuples (name, checks, default, required),
and read by :func:`~printjournal.load.schema.read`: every problem in the file is reported
together, each with its line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Problem
from ..model import (
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
from .content import raster_problem
from .schema import InvalidValueError, Lines, Option, flag, matches, number, one_of, read, text

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
    checker = Lines(path, text)
    journal = _journal(checker, data)
    clinics = _clinics(checker, data, root)
    validation = _validation(checker, data)
    require, governance = _governance(checker, data)
    editorial = Editorial(plain=_plain_language(checker, data), require=require)
    source_order = _source_order(checker, data)
    press = _print(checker, data, root)
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


def _choices(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _disclaimers(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip()
                                              for v in value.values()):
        raise InvalidValueError("'disclaimers' must map languages to text")
    return tuple(sorted((k, v.strip()) for k, v in value.items()))


JOURNAL = (
    Option("name", (text("name"),), "", required=True),
    Option("publisher", (text("publisher"),), "", required=True),
    Option("base_url", (text("base_url"), lambda url: url.rstrip("/"),
                        matches(re.compile(r"^https?://[^/\s]+"),
                                "'base_url' must start with http:// or https://")),
           "", required=True),
    Option("paper", (text("paper"), one_of({n.lower(): n for n in PAPER_SIZES},
                                           f"'paper' must be one of {', '.join(PAPER_SIZES)}")),
           "A4"),
    Option("lang", (text("lang"), matches(
        _LANG, lambda lang: f"'lang' is not a language tag like en-GB: {lang!r}")), "en-GB"),
    Option("disclaimer", (text("disclaimer"),),
           "For general information and education only — not medical advice."),
    Option("disclaimers", (_disclaimers,), ()),
)


def _journal(c: Lines, data: dict[str, Any]) -> Journal | None:
    table = data.get("journal")
    if not isinstance(table, dict):
        c.problems.append(Problem(c.path, 1, "a [journal] section is required"))
        return None
    return Journal(**read(c, table, JOURNAL, "[journal]", c.line_of("journal")))


def _clinic_options(root: Path) -> tuple[Option, ...]:
    """The keys of a ``[[clinics]]`` table (``logo``: a file in the project ``root``)."""
    def logo(name: str) -> Path:
        path = (root / name).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            raise InvalidValueError(f"clinic logo not found in the project: {name}")
        if path.suffix.lower() != ".svg" and (problem := raster_problem(path, name)):
            raise InvalidValueError(f"clinic logo {problem}")   # a bomb, an unreadable file
        return path

    return (
        Option("id", (text("id"), matches(_ID, "clinic 'id' must be lowercase letters, "
                                               "digits and hyphens")), "", required=True),
        *(Option(key, (text(key),), "", required=True) for key in ("name", "address", "phone")),
        Option("logo", (text("logo"), logo)),
        *(Option(key, (text(key),), "") for key in ("email", "hours", "website")),
        Option("default", (flag("default"),), False),
    )


def _clinics(c: Lines, data: dict[str, Any], root: Path) -> tuple[Clinic, ...]:
    tables = data.get("clinics", [])
    if not isinstance(tables, list):
        c.problem("clinics", "clinics must be given as [[clinics]] tables")
        return ()
    options = _clinic_options(root)
    clinics: list[Clinic] = []
    after = 0
    for table in tables:
        after = c.line_of("clinics", after)
        clinic = Clinic(**read(c, table, options, "[[clinics]]", after))
        if any(k.id == clinic.id for k in clinics):
            c.problem("id", f"clinic id '{clinic.id}' is used twice", after)
        clinics.append(clinic)
        after += 1
    if clinics and sum(k.default for k in clinics) != 1:
        c.problem("clinics", "exactly one clinic must have default = true")
    return tuple(clinics)


def _section(c: Lines, data: dict[str, Any], section: str, options: Sequence[Option],
             shape: str | None = None) -> dict[str, Any] | None:
    """The values of the table ``[section]`` (absent: the defaults); None, said as a
    problem, when it is not a table."""
    table = data.get(section, {})
    if not isinstance(table, dict):
        c.problem(section, shape or f"{section} must be given as a [{section}] table")
        return None
    start = c.line_of(section) if section in data else 0
    return read(c, table, options, f"[{section}]", start)


def _validation(c: Lines, data: dict[str, Any]) -> Validation:
    option = Option("unknown_links", (one_of(SEVERITIES, "'unknown_links' must be one of "
                                             + _choices(SEVERITIES)),), SEVERITIES[0])
    values = _section(c, data, "validation", [option])
    return Validation(**values) if values else Validation(SEVERITIES[0])


def _plain_language(c: Lines, data: dict[str, Any]) -> tuple[tuple[str, PlainLimits], ...]:
    """``[plain_language.article]`` and ``[plain_language.leaflet]``."""
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
        options = [Option(key, (number(low, high, f"'{key}' in {name} must be a number "
                                       f"from {low} to {high}"),), getattr(default, key))
                   for key, low, high in (("max_grade", 1, 20), ("sentence_words", 5, 100),
                                          ("long_sentence_percent", 0, 100))]
        limits.append((product, PlainLimits(**read(c, table, options, name, start))))
    return tuple(limits)


def _source_order(c: Lines, data: dict[str, Any]) -> str:
    """``[sources] order``: "citation" (numbered in order of first citation) or "list"."""
    option = Option("order", (one_of(SOURCE_ORDERS, "'order' in [sources] must be one of "
                                     + _choices(SOURCE_ORDERS)),), SOURCE_ORDERS[0])
    values = _section(c, data, "sources", [option])
    return values["order"] if values else SOURCE_ORDERS[0]


def _print(c: Lines, data: dict[str, Any], root: Path) -> PrintSettings:
    """[print]: the press profile and condition, the ink limit, the bleed."""
    def profile(name: str) -> Path:
        path = (root / name).resolve()
        if not path.is_file():
            raise InvalidValueError(
                f"the press profile {name} is not there (name the printer's CMYK .icc file, "
                "from the project folder; without 'profile', the FOGRA39 profile ./run.sh "
                "makes is used)")
        if path.read_bytes()[16:20] != b"CMYK":
            raise InvalidValueError(f"{name} is not a CMYK press profile (an ICC profile for "
                                    "four inks, as the printer supplies)")
        return path

    default = PrintSettings()
    values = _section(c, data, "print", [
        Option("profile", (text("profile"), profile)),
        Option("condition", (text("condition"),), default.condition),
        Option("ink_limit", (number(200, 400, "'ink_limit' must be a whole percentage from "
                                    "200 to 400", whole=True),), default.ink_limit),
        Option("bleed_mm", (number(0, 10, "'bleed_mm' must be a number of millimetres from "
                                   "0 to 10"), float), default.bleed_mm),
    ])
    return PrintSettings(**values) if values else default


def _governance(c: Lines, data: dict[str, Any]) -> tuple[tuple[str, ...], Governance]:
    """``[governance]``: ``require`` (the elements every article must carry) and
    ``overdue``: "mark" (the default) or "withhold"."""
    def require(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(r in GOVERNANCE_ELEMENTS for r in value):
            raise InvalidValueError("'require' in [governance] must be a list of "
                          + _choices(GOVERNANCE_ELEMENTS))
        return tuple(value)

    values = _section(c, data, "governance", [
        Option("require", (require,), ()),
        Option("overdue", (one_of(OVERDUE_RULES, "'overdue' must be one of "
                                  + _choices(OVERDUE_RULES)),), OVERDUE_RULES[0]),
    ], "governance must be given as a [governance] table")
    if values is None:
        return (), Governance()
    return values["require"], Governance(overdue=values["overdue"])


SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls)://[^/\s:]+:\d{1,5}$")


def _build(c: Lines, data: dict[str, Any]) -> BuildSettings:
    """``[build] scheduler``: the address of a Dask scheduler, "tcp://host:port";
    ``[build] cache``: where render cache entries live, a folder or "s3://bucket/prefix"."""
    values = _section(c, data, "build", [
        Option("scheduler", (matches(
            SCHEDULER_ADDRESS, "'scheduler' in [build] must be a Dask scheduler's address, "
            'such as "tcp://10.0.0.5:8786"'),)),
        Option("cache", (_cache_place,))])
    return BuildSettings(**values) if values else BuildSettings()


CACHE_URL = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[\w.~/-]*)?$")


def _cache_place(place: Any) -> str:
    """A folder (relative to the project) or an S3 address; credentials are refused."""
    if not isinstance(place, str) or not place.strip():
        raise InvalidValueError("'cache' in [build] must be a folder or an address such as "
                                '"s3://bucket/prefix"')
    if "://" in place and "@" in place.split("://", 1)[1].split("/", 1)[0]:
        raise InvalidValueError("'cache' in [build] must not hold credentials: give them in "
                                "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
    if "://" in place and not CACHE_URL.match(place):
        raise InvalidValueError("'cache' in [build] must be a folder or an S3 address such as "
                                f'"s3://bucket/prefix" (a lower-case bucket name), not "{place}"')
    return place
