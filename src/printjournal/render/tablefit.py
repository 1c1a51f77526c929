"""An article's HTML body in, its tables too wide for a product's page out, before layout.

A table cell breaks a word only where the language lets a line break (print.css:
``overflow-wrap: break-word`` in a row of fewer than six cells), so a column is never
narrower than its widest word and the cell's padding. When a table's columns need more
than the measure, the table runs past the text area and every render refuses it
(pagearea.py). :func:`check` tells ``printjournal check`` the same, without WeasyPrint:
it adds up each column's least width from the bundled fonts' advance widths (fontTools)
at the table's type size, for every product an article can go to (:func:`products`:
A4, Letter and A5 pages, and a leaflet in each other style of styles.STYLES, large
print among them, on each), inside whatever holds the table (a list, a quote, a
callout). The sizes and paddings are read from the layouts (print.css, and a style's
block in leaflet.css and its own stylesheet); the measures are those of base.html and
leaflet.html
(tests/test_tablefit.py holds them against real renders of A4 articles and an A5
large-print leaflet).

Too wide on the journal's own paper in standard print (what ``article``, ``issue`` and
``build`` make) is an error; too wide only for a leaflet on other paper or in large print
is a warning naming it (that leaflet's render refuses it). The estimate leaves kerning
out and breaks a word only at a space, a zero-width space, a hyphen between letters and
around ideographs: it errs wide (by 0.4 to 2.5 pt against real renders). Within
:data:`EDGE` points of the measure either way it is a warning, "may make a table".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import styles
from ..errors import Notices, Problem
from ..markup.keep import COMPOUND
from ..model import PAPER_SIZES
from ..styles import STANDARD, LeafletStyle
from .pagearea import line_of, table_message

MM = 72 / 25.4
#: How close (points) to the measure the estimate is too uncertain to refuse or pass.
EDGE = 4.0
#: Spaces a line may break at (not U+00A0, U+2007, U+202F: markup/keep.py's joins).
_BREAKS = frozenset(" \t\n\r\u200b\u2002\u2003\u2009\u200a\u3000")
_HYPHENS = frozenset("-\u2010")


@dataclass(frozen=True)
class Product:
    """Where an article can print: its paper, the margins either side of the text area
    (mm, base.html and leaflet.html) and the leaflet style (styles.py; the standard one
    for the article itself, whose measure a standard leaflet shares)."""

    name: str
    paper: str
    margins: float
    style: LeafletStyle = STANDARD

    @property
    def measure(self) -> float:
        return (PAPER_SIZES[self.paper][0] - self.margins) * MM

    @property
    def large(self) -> bool:
        """Large type: no italics, nothing under the floor size (leaflet.css)."""
        return self.style.large_type


#: Margins either side of the text (mm): base.html's per paper, an A5 leaflet's whatever
#: its style, and leaflet.html's for large type on bigger paper.
_MARGINS = {"A4": 22 + 50, "Letter": 22 + 56, "A5": 12 + 9}
_LARGE_TYPE_MARGINS = 18 + 12


def products() -> tuple[Product, ...]:
    """Every product an article can go to: the article (and a standard leaflet) on each
    paper, then a leaflet in each other style of :data:`styles.STYLES` on each paper."""
    found = [Product(f"on {paper} paper", paper, margins)
             for paper, margins in _MARGINS.items()]
    for style in styles.STYLES:
        if style != STANDARD:
            found += [Product(f"in {'an' if paper[0] == 'A' else 'a'} {paper} {style.name} "
                              "leaflet", paper, _LARGE_TYPE_MARGINS if style.large_type
                              and paper != "A5" else margins, style)
                      for paper, margins in _MARGINS.items()]
    return tuple(found)


@dataclass(frozen=True)
class Sizes:
    """The type sizes and paddings of a table, in points, from the layouts."""

    table: float
    cite: float
    small: float
    body: float
    th_padding: float   # left and right together
    td_padding: float


def sizes(layouts: Path, style: LeafletStyle = STANDARD) -> Sizes:
    """The sizes print.css sets, and those the style's block (``.css_class { ... }``)
    sets over them in leaflet.css and in the style's own stylesheet."""
    css = _read(layouts / "print.css")
    found = {name: _custom(css, name) for name in ("table", "cite", "small", "body")}
    sheets = ["leaflet.css", *([style.stylesheet] if style.stylesheet else [])]
    for sheet in sheets if style.css_class else []:
        block = re.search(rf"(?m)^\.{re.escape(style.css_class)}\s*\{{([^}}]*)\}}",
                          _read(layouts / sheet))
        for name in found:
            found[name] = _custom(block[1], name, found[name]) if block else found[name]
    return Sizes(found["table"], found["cite"], found["small"], found["body"],
                 _padding(css, "th"), _padding(css, "td"))


def _read(path: Path) -> str:
    return re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)


def _custom(css: str, name: str, default: float = 0.0) -> float:
    found = re.search(rf"--size-{name}:\s*([\d.]+)(pt|mm)", css)
    return _points(found[1], found[2]) if found else default


def _padding(css: str, selector: str) -> float:
    """Left plus right padding of the rule ``selector { ... padding: v h }``."""
    rule = re.search(rf"(?m)^{selector}\s*\{{([^}}]*)\}}", css)
    values = re.search(r"padding:\s*([^;]+);", rule[1]) if rule else None
    parts = re.findall(r"([\d.]+)(pt|mm)", values[1]) if values else []
    if not parts:
        return 0.0
    right = parts[1] if len(parts) > 1 else parts[0]
    left = parts[3] if len(parts) > 3 else right
    return _points(*right) + _points(*left)


def _points(value: str, unit: str) -> float:
    return float(value) * (MM if unit == "mm" else 1.0)


@dataclass(frozen=True)
class Style:
    """What sets a run's width: weight (400, 600, 700), italic, size in points, and
    whether it may break anywhere (an id: print.css ``.address.id``)."""

    weight: int
    italic: bool
    size: float
    anywhere: bool = False


@dataclass(frozen=True)
class Word:
    """A cell's widest unbreakable piece and its width in points."""

    text: str
    width: float


class Faces:
    """Advance widths from the bundled fonts: Inter for tables, then the other sans fonts
    for what Inter lacks (an ideograph: one em)."""

    def __init__(self, fonts: Path) -> None:
        self.fonts = fonts
        self.known: dict[tuple[str, int, bool], float] = {}

    def advance(self, char: str, style: Style) -> float:
        """``char``'s advance at 1 pt."""
        key = (char, style.weight, style.italic)
        if key not in self.known:
            self.known[key] = self._advance(char, style)
        return self.known[key]

    def _advance(self, char: str, style: Style) -> float:
        if unicodedata.east_asian_width(char) in "WF":
            return 1.0
        name = {700: "Bold", 600: "SemiBold"}.get(style.weight, "Regular")
        name = "Italic" if style.italic and style.weight < 600 else name
        for path in (self.fonts / f"Inter-{name}.otf", *_fallbacks(self.fonts, style.weight)):
            width = _widths(path).get(ord(char))
            if width is not None:
                return width
        return 1.0


@lru_cache(maxsize=8)
def _fallbacks(fonts: Path, weight: int) -> tuple[Path, ...]:
    bold = weight >= 600
    return tuple(sorted(p for p in fonts.glob("NotoSans*-*.*") if "CJK" not in p.name
                        and ("-Bold." in p.name) == bold and p.suffix in (".ttf", ".otf")))


@lru_cache(maxsize=64)
def _widths(path: Path) -> dict[int, float]:
    """Code point → advance width at 1 pt, for the font at ``path``."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        per_em = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        return {code: metrics[glyph][0] / per_em
                for code, glyph in font.getBestCmap().items() if glyph in metrics}


def _tag(element: Any) -> str:
    return element.tag if isinstance(element.tag, str) else ""


def _runs(element: Any, style: Style, sizes: Sizes, large: bool
          ) -> Iterator[tuple[str, Style]]:
    """The text of ``element`` in reading order, each piece with its style; footnotes
    (which float to the page foot) left out."""
    classes = set((element.get("class") or "").split())
    if "footnote" in classes:
        return
    tag = _tag(element)
    if tag in ("strong", "b"):
        style = Style(700, style.italic, style.size, style.anywhere)
    elif tag in ("em", "i") and not large:
        style = Style(style.weight, True, style.size, style.anywhere)
    elif tag == "code":
        style = Style(style.weight, style.italic,
                      sizes.small if large else style.size * 0.9, style.anywhere)
    elif tag == "sup" and "cite" in classes:
        style = Style(600, False, sizes.cite, style.anywhere)
    elif "link-address" in classes:
        style = Style(style.weight, style.italic, sizes.small, style.anywhere)
    if {"address", "id"} <= classes:
        style = Style(style.weight, style.italic, style.size, True)
    if element.text:
        yield element.text, style
    for child in element:
        yield from _runs(child, style, sizes, large)
        if child.tail:
            yield child.tail, style


def widest(runs: Sequence[tuple[str, Style]], faces: Faces) -> Word:
    """The widest piece of ``runs`` no line may break inside, with its width in points."""
    best, text, width, previous = Word("", 0.0), "", 0.0, ""
    chars = [(char, style) for run, style in runs for char in run]
    for index, (char, style) in enumerate(chars):
        following = chars[index + 1][0] if index + 1 < len(chars) else ""
        if char in _BREAKS:
            text, width = "", 0.0
        else:
            alone = style.anywhere or unicodedata.east_asian_width(char) in "WF"
            if alone:
                text, width = "", 0.0
            if char != "\u2060":
                text, width = text + char, width + faces.advance(char, style) * style.size
            if width > best.width:
                best = Word(text, width)
            after_hyphen = char in _HYPHENS and previous.isalpha() and following.isalpha()
            if alone or after_hyphen:
                text, width = "", 0.0
        previous = char
    return best


@dataclass(frozen=True)
class Overflow:
    """A table wider than a product's text area: by ``past`` points, because of ``word``."""

    word: str
    past: float
    product: Product


def _whole_compounds(text: str) -> str:
    """``text`` with a WORD JOINER after each hyphen of a hyphenated compound that large
    print keeps whole (markup/keep.py's ``COMPOUND``, set ``nowrap`` by leaflet.css), so that
    :func:`widest` measures the compound as one piece, as the render sets it."""
    return COMPOUND.sub(lambda m: re.sub("([-\u2010])", "\\1\u2060", m[0]), text)


def least_width(table: Any, sizes: Sizes, large: bool, faces: Faces) -> tuple[float, str]:
    """The least width of ``table`` (points: its columns' widest words and paddings) and
    its widest word."""
    columns: dict[int, float] = {}
    best = Word("", 0.0)
    for row in (e for e in table.iter() if _tag(e) == "tr"):
        cells = [c for c in row if _tag(c) in ("th", "td")]
        for number, cell in enumerate(cells):
            head = _tag(cell) == "th"
            style = Style(600 if head else 400, False, sizes.table, len(cells) >= 6)
            runs = _runs(cell, style, sizes, large)
            word = widest([(_whole_compounds(t), s) for t, s in runs] if large else list(runs),
                          faces)
            padding = sizes.th_padding if head else sizes.td_padding
            columns[number] = max(columns.get(number, 0.0), word.width + padding)
            best = max(best, word, key=lambda w: w.width)
    return sum(columns.values()), best.text


def overflows(table: Any, inset: tuple[float, float], product: Product, sizes: Sizes,
              faces: Faces, least: tuple[float, str] | None = None) -> Overflow | None:
    """How far ``table`` (inside holders taking ``inset``: ems of the body size, points;
    ``least``: its least width, if known) reaches past ``product``'s text area, if it
    comes within :data:`EDGE` of it."""
    width, word = least or least_width(table, sizes, product.large, faces)
    past = width + inset[0] * sizes.body + inset[1] - product.measure
    return Overflow(word, past, product) if past > -EDGE else None


#: What each kind of holder takes from the measure: ems of the body size and points
#: (print.css: lists 1.3em, a definition 1em; a quote the default 40px each side; a
#: callout 4 mm of padding each side and its rules, 7.5 pt at most: a warning's).
_INSETS = {"li": (1.3, 0.0), "dd": (1.0, 0.0), "blockquote": (0.0, 60.0)}
_CALLOUT = (0.0, 8 * MM + 7.5)


def tables(root: Any) -> Iterator[tuple[Any, tuple[float, float]]]:
    """Each table under ``root`` with what its holders take: (ems of body size, points)."""
    def walk(element: Any, ems: float, points: float) -> Iterator[Any]:
        tag = _tag(element)
        if tag == "table":
            yield element, (ems, points)
            return
        more = _INSETS.get(tag, (0.0, 0.0))
        if "admonition" in (element.get("class") or "").split():
            more = _CALLOUT
        for child in element:
            yield from walk(child, ems + more[0], points + more[1])
    yield from walk(root, 0.0, 0.0)


def check(path: Path, html: str, source: Sequence[str], paper: str, layouts: Path,
          fonts: Path, notices: Notices) -> list[Problem]:
    """Each table of an article (``path``, its ``html`` body, the lines of its file)
    too wide for a product's text area: an error when it is wider by more than
    :data:`EDGE` points on the journal's ``paper`` in standard print (what ``article``,
    ``issue`` and ``build`` make), else a warning naming the product (a leaflet on other
    paper or in large print, or an estimate too near the edge to tell)."""
    if "<table" not in html:
        return []
    from lxml import html as lxml_html

    faces = Faces(fonts)
    every = products()
    measured = {p.style: sizes(layouts, p.style) for p in every}
    problems: list[Problem] = []
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for table, inset in tables(root):
        least = {style: least_width(table, size, style.large_type, faces)
                 for style, size in measured.items()}
        found = sorted((o for product in every if (o := overflows(
            table, inset, product, measured[product.style], faces, least[product.style]))
            is not None), key=lambda o: -o.past)
        if not found:
            continue
        own = [o for o in found if o.product.paper == paper and o.product.style == STANDARD]
        worst = own[0] if own else found[0]     # the journal's own paper comes first
        others = len([o for o in found if o.past > EDGE and o is not worst])
        where = worst.product.name + (f" and {others} other product{'s' * (others > 1)}"
                                      if others else "")
        at = line_of(worst.word, [(path, source)], table=True)
        if worst.past <= EDGE:
            notices.warn(problems, *at, table_message(
                worst.word, f"perhaps {max(worst.past, 0):.0f}", where).replace(
                "makes a table", "may make a table", 1))
        elif own:
            problems.append(Problem(*at, table_message(worst.word, f"about {worst.past:.0f}",
                                                       where)))
        else:
            notices.warn(problems, *at, table_message(worst.word, f"about {worst.past:.0f}",
                                                      where))
    return problems
