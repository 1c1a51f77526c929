"""An article body's text in, its block structure out: fences, nesting, callouts.

Editors nest lists by 2 spaces (3 under ``1.``), the CommonMark habit, as often
as by Python-Markdown's 4; they indent a callout's body by 2 as often as by 4.
(An answer, ``:   ...``, holds what is indented under it, as in def_list.)
:func:`normalise` rewrites that indentation to Python-Markdown's 4 spaces a
level, line for line (line numbers stay), so body.py parses what the editor
meant. The same pass gives :func:`structure_problems`, for ``check`` and every
render alike: lists and quotes nested deeper than :data:`MAX_DEPTH` levels are
refused at their line (100 levels end in a RecursionError inside WeasyPrint,
or text silently dropped), and a callout type that no stylesheet in layouts/
styles is a warning. Fenced code is found with Python-Markdown's own pattern
and left as it is. Two kinds Python-Markdown alone prints wrong are rewritten too: a
quote's inside is normalised as Markdown of its own (a 2-space list in a quote nests),
and fenced code inside a list item, which fenced_code (fences at column 0 only) does not
see, becomes the item's indented code, its fence lines blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

#: Deepest nesting of lists and quotes together, in levels.
MAX_DEPTH = 8
_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}\.)( +|$)")
_CALLOUT = re.compile(r"^( *)!!! *([\w-]+)")
_ANSWER = re.compile(r"^( *):( +)")        # a definition list's answer
_QUOTE = re.compile(r"^ {0,3}((?:> ?)+)")
_BREAK = re.compile(r"^ *(#|\||>|:)")     # a heading, table, quote or answer: no lazy text
_QUOTED = re.compile(r"^( *)> ?")
_FENCE = re.compile(r"^( *)(`{3,}|~{3,})")
_STYLED = re.compile(r"\.admonition\.([a-z][\w-]*)")


@dataclass(frozen=True)
class Line:
    """One line of the body as the parser is to see it, with what holds it."""

    index: int          # 0-based line of the body
    text: str           # the line, its indentation rewritten
    lists: int          # list levels it is inside (an item line: its own included)
    quotes: int         # ">" levels
    callout: str | None  # the type of a callout that starts on this line
    code: bool = False  # fenced or indented code: printed as typed


@dataclass
class _Block:
    marker: int         # column of the item's marker or of "!!!"
    content: int        # column where its text starts (-1: not yet seen)
    new: int            # column the text moves to
    is_list: bool


@dataclass(frozen=True)
class _InnerFence:
    """Fenced code inside a list item, which Python-Markdown's fenced_code (fences at
    column 0 only) does not see: it becomes the item's indented code block."""

    fence: str          # the opening ``` or ~~~
    column: int         # where the fence starts; the code's indentation counts from there
    new: int            # the column the code moves to: the item's text, and 4 more


def fenced_lines(body: str) -> set[int]:
    """0-based lines of ``body`` inside fenced code (fences included)."""
    from markdown.extensions.fenced_code import FencedBlockPreprocessor

    fenced: set[int] = set()
    for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(body):
        first = body.count("\n", 0, match.start())
        fenced.update(range(first, first + match[0].count("\n") + 1))
    return fenced


def lines(body: str) -> Iterator[Line]:
    """Every line of ``body``, indentation rewritten, with its nesting."""
    fenced = fenced_lines(body)
    stack: list[_Block] = []
    blank = code = True
    inner: _InnerFence | None = None
    for index, raw in enumerate(body.split("\n")):
        text = raw.expandtabs(4)
        if index in fenced:          # fences start at column 0: they end every block
            stack.clear()
        if index in fenced or not text.strip():
            blank = index not in fenced
            yield Line(index, raw, sum(b.is_list for b in stack), 0, None, index in fenced)
            continue
        indent = len(text) - len(text.lstrip(" "))
        fence = _FENCE.match(text)
        if inner is None and fence and stack and indent >= stack[-1].content >= 0:
            inner = _InnerFence(fence[2], indent, stack[-1].new + 4)
        elif inner is not None and fence and fence[2][0] == inner.fence[0] \
                and len(fence[2]) >= len(inner.fence) and not text[fence.end():].strip():
            inner = None                 # the closing fence
        elif inner is not None:
            fence = None                 # a line of the code
        if inner is not None or fence:   # fenced code in a list item: the item's
            blank = True                 # indented code, its fences blank lines
            moved = "" if fence else " " * inner.new + text[min(inner.column, indent):]
            yield Line(index, moved, sum(b.is_list for b in stack), 0, None, True)
            continue
        code = not stack and indent >= 4 and (blank or code)   # an indented code block
        if code:
            blank = False
            yield Line(index, raw, 0, 0, None, True)
            continue
        item, callout, answer = _ITEM.match(text), _CALLOUT.match(text), _ANSWER.match(text)
        opener = item or callout or answer
        lazy = not blank and not opener and not _BREAK.match(text)
        while stack and indent < stack[-1].marker + 2 and not lazy:
            stack.pop()
        quotes = _QUOTE.match(text)
        depth = quotes[1].count(">") if quotes else 0
        if opener:
            new = 4 * len(stack)
            stack.append(_Block(indent, -1, new + 4, item is not None))
            text = " " * new + text.lstrip(" ")
            if item or answer:
                stack[-1].content = indent + len((item or answer)[0])
        elif stack:
            top = stack[-1]
            if top.content < 0:
                top.content = indent
            text = " " * (top.new + max(0, indent - top.content)) + text.lstrip(" ")
        blank = False
        yield Line(index, text, sum(b.is_list for b in stack), depth,
                   callout[2].lower() if callout else None)


def nested_lines(body: str) -> list[Line]:
    """:func:`lines`, with what each quote holds read as Markdown of its own (as
    Python-Markdown parses it): rewritten the same way, its lists counted."""
    found = list(lines(body))
    out: list[Line] = []
    start = 0
    while start < len(found):
        quoted = None if found[start].code else _QUOTED.match(found[start].text)
        if quoted is None:
            out.append(found[start])
            start += 1
            continue
        end, inside = start, []
        while end < len(found) and not found[end].code and \
                (more := _QUOTED.match(found[end].text)) and more[1] == quoted[1]:
            inside.append(found[end].text[more.end():])
            end += 1
        for line, inner in zip(found[start:end], nested_lines("\n".join(inside)), strict=True):
            out.append(replace(line, text=f"{quoted[1]}> {inner.text}" if inner.text
                               else f"{quoted[1]}>", lists=line.lists + inner.lists,
                               quotes=1 + inner.quotes))
        start = end
    return out


def normalise(body: str) -> str:
    """``body`` with list and callout indentation as Python-Markdown reads it, inside
    quotes too."""
    return "\n".join(line.text for line in nested_lines(body))


def styled_callouts(layouts: Path) -> set[str]:
    """The callout types (``!!! type``) the stylesheets in ``layouts`` give a style."""
    return {m[1] for css in sorted(layouts.glob("*.css"))
            for m in _STYLED.finditer(css.read_text(encoding="utf-8", errors="replace"))}


def structure_problems(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line, message) for each list or quote nested too deep (the first line)."""
    too_deep = False
    for line in nested_lines(body):
        depth = line.lists + line.quotes
        if depth > MAX_DEPTH and not too_deep:
            what = "lists and quotes" if line.lists and line.quotes else \
                "lists" if line.lists else "quotes"
            yield line.index, (f"{what} nested {depth} levels deep here: at most "
                               f"{MAX_DEPTH} are printed")
        too_deep = depth > MAX_DEPTH
