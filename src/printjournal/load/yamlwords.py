"""A YAML mistake in, plain words at the line to fix out.

PyYAML reports what its parser expected (``expected <block end>, but found
'<scalar>'``), often a line after the real mistake. The common mistakes of
people who write articles are listed here as data: each row pairs what PyYAML
says, and what the tokens just before the error look like, with a message in
plain words and the line the editor must change. :func:`explain` picks the
first row that fits. The same module lists the mistakes PyYAML does *not*
report (a list item under a value, a ``#`` that cuts a title short) and the
YAML features printjournal refuses (anchors, aliases, tags, deep nesting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

MAX_DEPTH = 6               # front matter needs 3 levels (sources: - {id: ...})
MAX_YAML_CHARS = 32_000     # 17 sources make ~3,200 characters
MAX_BRACKETS = 50           # open '[' '{' anywhere: PyYAML's scanner is quadratic in them

# What the token before the error looks like (see _situation).
ANY, OPEN_QUOTE, AFTER_QUOTE, VALUE_SPILLS, KEY_SPILLS = (
    "any", "open-quote", "after-quote", "value-spills", "key-spills")
# Which line to report: PyYAML's problem mark, its context mark, or the start of
# the token before the error.
PROBLEM, CONTEXT, TOKEN = "problem", "context", "token"


@dataclass(frozen=True)
class Mistake:
    """One common mistake: how PyYAML reports it and what to tell the editor."""

    said: str           # regex on PyYAML's "context: problem" text
    situation: str      # what the token before the error looks like
    line: str           # PROBLEM, CONTEXT or TOKEN
    message: str        # plain words; {what}: 'key' or "the value", {char}: a character


_QUOTES = "{what} has an opening quote ({char}) but no closing one: end the text with " \
          "{char} on the same line"
_COLON = "a colon followed by a space inside a value: put the whole value in quotes"
_START = "a value cannot start with '{char}': put the whole value in quotes"
_INDENT = "this line does not line up with the lines above it: keys of one group start " \
          "in the same column, and what belongs to a key is indented under it, with spaces"

MISTAKES: tuple[Mistake, ...] = (
    Mistake(r".", OPEN_QUOTE, TOKEN, _QUOTES),   # whatever PyYAML trips on next
    Mistake(r"found character '\\t'", ANY, PROBLEM,
            "a tab character: YAML is indented and separated with spaces only; replace "
            "the tab with spaces"),
    Mistake(r"found character '(?P<char>.)' that cannot start any token", ANY, PROBLEM,
            _START),
    Mistake(r"scanning an? (alias|anchor|directive|tag)|parsing a tag", ANY, CONTEXT, _START),
    Mistake(r"expected the node content, but found '(?P<char>.)'", ANY, PROBLEM, _START),
    Mistake(r"scanning a block scalar", ANY, CONTEXT,
            "'{char}' at the start of a value means 'the text follows on the lines "
            "below': put the whole value in quotes"),
    Mistake(r"scanning a quoted scalar", ANY, CONTEXT, _QUOTES),
    Mistake(r"expected <block end>, but found '<scalar>'", AFTER_QUOTE, PROBLEM,
            "the text of {what} goes on after its closing quote: put the whole value in "
            "one pair of quotes, and for quotes inside it use the other kind outside: "
            "'The \"best\" sleep', \"Don't panic\""),
    Mistake(r"mapping values are not allowed", VALUE_SPILLS, PROBLEM, _INDENT),
    Mistake(r"mapping values are not allowed", KEY_SPILLS, TOKEN,
            "this line has no colon and space after its key: write 'key: value'"),
    Mistake(r"mapping values are not allowed", ANY, PROBLEM, _COLON),
    Mistake(r"could not find expected ':'", ANY, CONTEXT,
            "this line has no colon after its key: write 'key: value'"),
    Mistake(r"expected <block end>, but found '-'", ANY, PROBLEM,
            "a list item ('- ') where a key was expected: a list goes under a 'key:' line "
            "with nothing after its colon, one indented '- item' line each"),
    Mistake(r"expected <block end>", ANY, PROBLEM, _INDENT),
    Mistake(r"flow sequence", ANY, CONTEXT,
            "the list opened with '[' here is not closed: end it with ']' (and put items "
            "that hold ':' or ',' in quotes)"),
    Mistake(r"flow mapping", ANY, CONTEXT,
            "the '{{' opened here is not closed: end it with '}}' (and put values that "
            "hold ':' or ',' in quotes)"),
    Mistake(r"mapping keys are not allowed", ANY, PROBLEM, _START),
    Mistake(r"another document", ANY, PROBLEM,
            "a second '---' line: the file holds one block of 'key: value' lines"),
    Mistake(r"unhashable key", ANY, CONTEXT,
            "a key must be a plain word, not a list or a group: write 'key: value'"),
)
FALLBACK = "this line cannot be read as 'key: value' lines: check its quotes, colons " \
           "and indentation"


@dataclass(frozen=True)
class Refusal:
    """A YAML feature printjournal does not accept, found among the parse events."""

    event: type[yaml.Event]
    attribute: str      # the event's attribute that shows the feature
    message: str


_REFUSED = "'{shown}' is a YAML {name}, which printjournal does not accept{why}: " \
            "if '{sign}' belongs to the text, put the whole value in quotes"
_EXPANDS = " (editors never need one, and a few can make a file expand without limit)"
REFUSALS: tuple[Refusal, ...] = (   # AliasEvent first: it is a NodeEvent with an anchor
    Refusal(yaml.AliasEvent, "anchor",
            _REFUSED.format(shown="*{value}", sign="*", name="alias", why=_EXPANDS)),
    Refusal(yaml.NodeEvent, "anchor",
            _REFUSED.format(shown="&{value}", sign="&", name="anchor", why=_EXPANDS)),
    Refusal(yaml.NodeEvent, "tag",
            _REFUSED.format(shown="{value}", sign="!", name="type tag", why="")),
)
TOO_DEEP = f"lists and groups are nested more than {MAX_DEPTH} deep here; printjournal " \
           f"reads at most {MAX_DEPTH} levels"
TOO_LONG = f"the YAML is longer than {MAX_YAML_CHARS:,} characters (it runs past this line); " \
           "is a closing '---' line missing?"
CONTROL = "an invisible control character (U+{code:04X}) that cannot be printed: delete it"

# Mistakes PyYAML reads without complaint, in plain (unquoted) values: a regex on
# a line the value runs on to, or on the rest of the line after the value.
LIST_UNDER_VALUE = (re.compile(r"^\s*- "),
                    "a list item under {what}, which already has a value on line {start}: "
                    "either leave {what} with nothing after its colon and put each item on "
                    "its own '- ' line, or write [item, item]")
LIST_ITEM_INDENT = "this list item is indented more than the one on line {start}: items " \
                   "of one list start in the same column"
NO_SPACE_AFTER_DASH = (re.compile(r"^\s*-[^\s\-]"),
                       "a list item needs a space after its '-': write '- {rest}'")
COMMENT_CUTS = (re.compile(r"^\s+#\S"),
                "' #' starts a comment in YAML, so {what} stops before it: put the whole "
                "value in quotes")

_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")
_BRACKET = re.compile(r"[\[\]{}]")


def bracket_flood(text: str) -> int | None:
    """The 0-based line where more than MAX_BRACKETS '[' or '{' are open (outside
    quotes), or None: found in one linear pass, before PyYAML's scanner, which
    looks ahead through every open bracket for every token."""
    depth = 0
    for number, line in enumerate(text.split("\n")):
        for match in _BRACKET.finditer(_QUOTED.sub("", line)):
            depth = depth + 1 if match[0] in "[{" else max(0, depth - 1)
            if depth > MAX_BRACKETS:
                return number
    return None


_KEY = re.compile(r"^\s*(?:-\s+)*(?P<key>[^\s\"'#:\[{][^:#]*?|\"[^\"]*\"|'[^']*'):(?:\s|$)")


def what(line: str) -> str:
    """'title' for a line ``title: ...``, else 'the value'."""
    match = _KEY.match(line)
    return f"'{match['key'].strip(chr(34) + chr(39))}'" if match else "the value"


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The 0-based line of ``text`` to fix, and what to do there."""
    said = f"{exc.context or ''}: {exc.problem or ''}"
    end = exc.problem_mark.index if exc.problem_mark else len(text)
    situation, token = _situation(text, end)
    lines = text.split("\n")
    for mistake in MISTAKES:
        match = re.search(mistake.said, said)
        if match and mistake.situation in (ANY, situation):
            mark = {PROBLEM: exc.problem_mark, CONTEXT: exc.context_mark,
                    TOKEN: token and token.start_mark}[mistake.line] or exc.problem_mark
            line = mark.line if mark else 0
            source = lines[line] if line < len(lines) else ""
            char = match.groupdict().get("char") or (
                source[mark.column] if mark and mark.column < len(source) else "")
            return line, mistake.message.format(what=what(source), char=char)
    mark = exc.problem_mark or exc.context_mark
    return (mark.line if mark else 0), FALLBACK


def _situation(text: str, end: int) -> tuple[str, yaml.Token | None]:
    """What the last scalar before ``end`` (the error) looks like, and that scalar."""
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= end:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    scalars = [i for i, t in enumerate(tokens) if isinstance(t, yaml.ScalarToken)]
    if not scalars:
        return ANY, None
    i = scalars[-1]
    last = tokens[i]
    spans = last.end_mark.line > last.start_mark.line
    if last.style in ("'", '"'):
        return (OPEN_QUOTE if spans else AFTER_QUOTE), last
    if spans:
        is_value = i > 0 and isinstance(tokens[i - 1], yaml.ValueToken)
        return (VALUE_SPILLS if is_value else KEY_SPILLS), last
    return ANY, last
