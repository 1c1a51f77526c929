"""The keys of every YAML file printjournal reads, each declared once: an article's front
matter (with its sources and review), the front matter of an issue's editorial and back
cover, and an issue manifest (with its cover).

Each :class:`~printjournal.load.schema.Key` gives a key's kind, whether it is required, its
limits (characters of a text, items of a list), its default, the rules it must meet
beyond its type and its meaning; :func:`~printjournal.load.schema.read_group` reads a
mapping by them and :mod:`printjournal.load.content` and :mod:`printjournal.issue.manifest`
build the model's dataclasses from what it gives. The README's tables of keys are
:func:`keys_table` of these, and its table of limits is tested against them
(tests/test_keys.py). Limits on text: it must fit the page and the
PDF's metadata, and the desk searches it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ..model import Review, Source
from .schema import Group, InvalidValueError, Key, flag, matches, number

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SOURCE_ID = r"[A-Za-z0-9][\w.:-]*"
LANG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
WEB_ADDRESS = re.compile(r"^https?://\S+$")
MAX_COVER_LINES = 6
Where = tuple[str | int, ...]


def _source(values: dict[str, Any], f: Any, at: Where) -> Source:
    return Source(id=values["id"], number=int(at[-1]) + 1, text=values["text"],
                  url=values["url"] or None, line=f.doc.line(*at))


def _ids_once(f: Any, sources: tuple[Source, ...], at: Where) -> None:
    for n, source in enumerate(sources):
        if any(s.id == source.id for s in sources[:n]):
            f.problem((*at, source.number - 1, "id"), f"source id '{source.id}' is used twice")


SOURCE = Group((
    Key("id", meaning="what citations name: [@id]", required=True, checks=(matches(
        re.compile(rf"^{SOURCE_ID}$"), lambda given: f"source id {given!r} may only use "
        "letters, digits, '-', '_', '.' and ':'"),)),
    Key("text", meaning="the source as the Sources list prints it", required=True,
        limit=500),
    Key("url", meaning="its web address", limit=1000, checks=(
        matches(WEB_ADDRESS, "source 'url' must start with https://"),)),
), "source key", shape="each source needs 'id', 'text' and 'url'", build=_source)


def _after(f: Any, values: dict[str, Any], at: Where) -> None:
    if values["reviewed"] and values["next_review"] and \
            values["next_review"] <= values["reviewed"]:
        f.problem((*at, "next_review"), "'review.next_review' must come after 'reviewed'")


REVIEW = Group((
    Key("version", "version", "the version reviewed, as written (1.10 stays 1.10)",
        required=True),
    Key("reviewed", "date", "the day of the clinical review", required=True),
    Key("next_review", "date", "the day the next review is due", required=True),
    Key("owner", meaning="the named clinical owner", required=True),
), "review key", build=lambda v, f, at: Review(**v) if all(v.values()) else None,
    rules=(_after,))


def _translation(f: Any, values: dict[str, Any], at: Where) -> None:
    """``translation_of`` and ``source_version``: both or neither."""
    of, version = values["translation_of"], values["source_version"]
    if of and not version:
        f.missing(("source_version",) if f.get("source_version") is not None
                  else ("translation_of",), "'source_version' is required with "
                  "'translation_of': the original's review.version you translated")
    if version and not of:
        f.problem(("source_version",), "'source_version' needs 'translation_of': the slug "
                  "of the original article")


FRONT_MATTER = Group((
    Key("title", meaning="the article's title", required=True, limit=150),
    Key("short_title", meaning="running heads and QR captions (a running head's room)",
        limit=48),
    Key("section", meaning="the journal's section", required=True, limit=60),
    Key("date", "date", "the day it was published", required=True,
        default=dt.date(1970, 1, 1)),
    Key("dek", meaning="the standfirst", limit=400),
    Key("slug", meaning="it names files; default: the file name", limit=80, checks=(
        matches(SLUG, lambda slug: f"slug {slug!r} must be lowercase letters, digits and "
                "hyphens"),)),
    Key("lang", meaning="a language tag; default: printjournal.toml's", checks=(matches(
        LANG, lambda lang: f"'lang' is not a language tag like en-GB: {lang!r}"),)),
    Key("url", meaning="default: base_url/journal/<slug>", limit=1000, checks=(
        matches(WEB_ADDRESS, "'url' must be a web address starting with https://"),)),
    Key("authors", "texts", "who wrote it", limit=100, items=10),
    Key("reading_time", "any", "minutes; default: from the word count",
        holds="a whole number, 1 to 999", checks=(
        number(1, 999, "'reading_time' must be a whole number of minutes", whole=True),)),
    Key("sources", "groups", "the evidence, numbered as cited", default=(), group=SOURCE,
        shape="'sources' must be a list, each source starting with '- ': - {id: nhs, "
              "text: \"NHS: Sleep\", url: \"https://www.nhs.uk/\"}", rules=(_ids_once,)),
    Key("review", "group", "clinical governance: version, dates, owner", group=REVIEW,
        shape="'review' must have version, reviewed, next_review and owner"),
    Key("tags", "texts", "what the desk finds it by (`a, b` is refused: write [a, b])",
        limit=40, items=20, commas=True),
    Key("sample", "any", "sample content, marked as such", default=False,
        holds="true or false", checks=(flag("sample"),)),
    Key("feedback", meaning="how readers tell the journal what they think"),
    Key("translation_of", meaning="the slug of the original, for a translation", checks=(
        matches(SLUG, lambda of: "'translation_of' must be the slug of the original "
                f"article, not {of!r}"),)),
    Key("source_version", "version", "the original's review.version translated",
        default=""),
), "front matter key", rules=(_translation,))

NOTE = Group((
    Key("title", meaning="the note's title", required=True, limit=150),
    Key("author", meaning="who signs it"),
    Key("lang", meaning="default: the journal's"),
    Key("sample", "any", "sample content (not read)", holds="any value"),
), "front matter key")


def _cover_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    if len([line for line in lines if line]) > MAX_COVER_LINES:
        raise InvalidValueError(f"at most {MAX_COVER_LINES} cover lines fit the cover")
    return lines


COVER = Group((
    Key("image", meaning="full-bleed, relative to content/", required=True),
    Key("alt", meaning="what the cover shows", required=True, limit=600),
    Key("lines", "list", f"the cover lines, at most {MAX_COVER_LINES}", default=(),
        checks=(_cover_lines,), shape="'cover.lines' must be a list of text"),
), "cover key")

MANIFEST = Group((
    Key("title", meaning="the journal's name on the cover", required=True, limit=150),
    Key("issue", meaning="'Winter 2026'", required=True),
    Key("number", "any", "the issue's number", holds="a whole number from 1", checks=(
        number(1, math.inf, "'number' must be a whole number from 1", whole=True),)),
    Key("date", "date", "the day it appears", required=True),
    Key("lang", meaning="default: the journal's"),
    Key("cover", "group", "the front cover", group=COVER,
        required="'cover' is required: image, alt and (optionally) lines",
        shape="'cover' must have 'image', 'alt' and optional 'lines'"),
    Key("editorial", meaning="the editor's letter, a Markdown file in content/",
        required=True),
    Key("articles", "list", "the slugs of the issue's articles, in order: a list even of "
        "one, `[slug]` (a single text is refused)", default=(),
        required="'articles' is required: the slugs of the issue's articles, in order",
        shape="'articles' must be a list of article slugs"),
    Key("back_cover", meaning="a Markdown file in content/"),
    Key("sample", "any", "sample content", holds="true or false",
        checks=(flag("sample"),)),
), "manifest key")
KINDS = {"text": "text", "date": "a date, YYYY-MM-DD", "texts": "a list of text",
         "list": "a list of text", "version": "text (a number as written)",
         "group": "a group", "groups": "a list of groups"}


def keys_table(group: Group, within: str = "") -> str:
    """The keys of ``group`` as the README's Markdown table (key, what it holds, its
    limit, what it means), a group's keys in rows after its own."""
    rows = [] if within else ["| key | holds | limit | means |", "| --- | --- | --- | --- |"]
    for key in group.keys:
        holds = key.holds or KINDS[key.kind]
        limit = f"{key.limit} characters" if key.kind in ("text", "version") else \
            f"{key.limit} characters each" if key.kind in ("texts", "list") else ""
        if key.items:
            limit = f"at most {key.items} items, {limit}"
        rows.append(f"| `{within}{key.name}` | {holds}{', required' if key.required else ''}"
                    f" | {limit} | {key.meaning} |")
        if key.group is not None:
            rows.append(keys_table(key.group, f"{within}{key.name}"
                                   f"{'[].' if key.kind == 'groups' else '.'}"))
    return "\n".join(rows)
