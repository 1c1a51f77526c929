"""Laid-out pages in, whatever leaves the page area out: words and images past the margins.

The print CSS breaks a long word as a last resort and scales images to the page, so
nothing should leave the text area; :func:`strays` checks that nothing does, after each
layout (weasy.py) of an article, a leaflet or a part of an issue, on whatever paper. It
walks the boxes WeasyPrint laid out on each page (the page's content box is the page area,
as the layouts' ``@page`` margins make it) and reports each run of text or image that
reaches past that area, sideways or up and down (a line of text by more than half its
height: its box is taller than its glyphs), except in the margin boxes (running heads,
folios), whose place is the margin. A table wider than the area is one stray, named by
its widest word: a column is never narrower than its longest word (print.css), so that
word is what to break (``check`` estimates the same before any layout: tablefit.py).
:func:`problems` names the line that holds the word (in the content file, or in
printjournal.toml for a clinic's details) and the page.

It reads WeasyPrint's laid-out boxes through :func:`page_box`, the one place that reads
``Page._page_box``. The walk costs a few milliseconds a page against hundreds for the
layout (``bench/footnote_check.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, relative
from ..model import Project

#: How far (in points) a box may reach past the page area: rounding, italic overhang.
SLACK = 1.0
#: WeasyPrint lays out in CSS pixels (96 to the inch); a point is 1/72 inch.
PT_PER_PX = 0.75
#: How much of a stray word the message quotes.
_QUOTED = 40


@dataclass(frozen=True)
class Stray:
    """A run of text (or an image: ``text`` is empty) that leaves the page area."""

    page: int          # 1-based
    text: str
    past: float        # points past the page area, on its worst side
    table: int = 0     # a table wider than the area: which (``text``: its widest line)
    width: float = 0.0   # ... and that line's width


def page_box(page: Any) -> Any:
    """The laid-out box tree of a WeasyPrint page (``document.pages[i]``).

    WeasyPrint's public ``Page`` (its API reference) gives ``width``, ``height`` and
    ``bleed`` (the page's outer size), ``links``, ``anchors`` (the elements with an id)
    and ``bookmarks``: none of its readers can do with those, so they read the private
    ``Page._page_box`` here, and only here:

    - :func:`strays`: every run of text and image against the page's content box (the
      page area inside the ``@page`` margins), which no public attribute gives;
    - placement.py (``_page_end``): the block around a page's last line; paragraphs,
      list items and table rows carry no id, so no anchor marks them;
    - pdf/folios.py: the folio placeholders in the margin boxes and their computed
      style; pdf/finishers.py: where the contents' dot leaders are drawn;
      pdf/roles.py: each footnote's, ``<em>``'s and ``<strong>``'s boxes, to find the
      marked content they drew (WeasyPrint tags them by HTML tag alone).
    """
    return page._page_box


def strays(pages: Sequence[Any]) -> list[Stray]:
    """Every run of text and image on WeasyPrint's laid-out ``pages`` that leaves its
    page's area by more than :data:`SLACK`."""
    from weasyprint.formatting_structure import boxes

    found: list[Stray] = []
    for number, page in enumerate(pages, start=1):
        area = page_box(page)
        x0, y0 = area.content_box_x(), area.content_box_y()
        x1, y1 = x0 + area.width, y0 + area.height
        for child in area.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box, line in _walk(child, x0, x1, found, number, None):
                if not isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
                    continue
                text = box.text.strip() if isinstance(box, boxes.TextBox) else ""
                if isinstance(box, boxes.TextBox) and not text:
                    continue
                left, right = _inked(box, line)
                top = box.content_box_y()
                sideways = max(x0 - left, right - x1)
                upright = max(y0 - top, top + box.height - y1)
                if text:     # a line's box is taller than its glyphs: half a line may stick out
                    upright -= box.height / 2
                past = max(sideways, upright) * PT_PER_PX
                if past > SLACK:
                    found.append(Stray(number, text, past))
    return found


def _inked(box: Any, line: Any) -> tuple[float, float]:
    """Where a text box's glyphs print across the page, left and right (px): the box, within
    the line box that holds it (``line``; None outside a line).

    A line box spans what its line prints, a text box overflowing it too. A text box need
    not: in the last line of a right-to-left block whose text ends in a collapsible space
    (a template's line break before ``</p>``), and in a line that breaks at a space,
    WeasyPrint 70 takes the space off the box's width but moves the box left by it, while
    the glyphs it draws stay where they were (its layout still holds the space, on its left:
    ``remove_last_whitespace`` in weasyprint/layout/inline.py, its fix of Kozea/WeasyPrint
    issue 1111). Read alone, such a box reaches a space's width (4.5 pt at 16 pt) past the
    left edge of a line set flush there; its glyphs do not."""
    left, right = box.content_box_x(), box.content_box_x() + box.width
    if line is None:
        return left, right
    return max(left, line.content_box_x()), min(right, line.content_box_x() + line.width)


def _walk(box: Any, x0: float, x1: float, found: list[Stray], page: int,
          line: Any) -> Iterator[tuple[Any, Any]]:
    """``box`` and what it holds, each with the line box it is in (``line`` for ``box``),
    except a table wider than ``x0``..``x1``: that is one stray in ``found``, named by its
    widest word, not each of its words past the edge."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TableBox):
        left = box.border_box_x()
        past = max(x0 - left, left + box.border_width() - x1) * PT_PER_PX
        if past > SLACK:
            line = _widest_line(box)
            found.append(Stray(page, line.text.strip() if line else "", past,
                               id(getattr(box, "element", None) or box),
                               line.width if line else 0.0))
            return
    yield box, line
    line = box if isinstance(box, boxes.LineBox) else line
    for child in getattr(box, "children", None) or ():
        yield from _walk(child, x0, x1, found, page, line)


def _widest_line(table: Any) -> Any:
    """The table's widest line of text: at its least width, each column is as wide as
    its widest word, so the widest line holds the widest word of all."""
    from weasyprint.formatting_structure import boxes

    def lines(box: Any) -> Iterator[Any]:
        if isinstance(box, boxes.TextBox) and box.text.strip():
            yield box
        for child in getattr(box, "children", None) or ():
            yield from lines(child)

    return max(lines(table), key=lambda box: box.width, default=None)


def problems(project: Project, name: Path, found: Sequence[Stray]) -> list[Problem]:
    """One problem per table too wide, at the line that holds its widest word (on
    whichever page), and one per page with other strays, at the line that holds its
    longest stray word: in ``name`` (the content file, as shown) or else in
    printjournal.toml (a clinic's details in a leaflet), else at the first line of
    ``name``."""
    sources = [(name, _lines(project.root / name)),
               (relative(project.config_path, project.root), _lines(project.config_path))]
    by_page: dict[int, Stray] = {}
    tables: dict[int, list[Stray]] = {}
    for stray in found:    # the longest word of the page: the likeliest cause
        if stray.table:
            tables.setdefault(stray.table, []).append(stray)
        elif stray.page not in by_page or len(_word(stray)) > len(_word(by_page[stray.page])):
            by_page[stray.page] = stray
    return [*(_table_problem(sources, parts) for parts in tables.values()),
            *(_problem(sources, stray) for stray in by_page.values())]


def _table_problem(sources: list[tuple[Path, list[str]]], parts: list[Stray]) -> Problem:
    word = _word(max(parts, key=lambda part: part.width))
    pages = sorted({part.page for part in parts})
    where = f"on page {pages[0]}" if len(pages) == 1 else f"on pages {pages[0]}–{pages[-1]}"
    past = max(part.past for part in parts)
    return Problem(*line_of(word, sources, table=True),
                   table_message(word, f"{past:.0f}", where))


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return []


def _word(stray: Stray) -> str:
    return max(stray.text.split(), key=len) if stray.text else ""


def line_of(word: str, sources: Sequence[tuple[Path, Sequence[str]]],
            table: bool = False) -> tuple[Path, int]:
    """The first file and line of ``sources`` (a file, its lines) that holds ``word``
    (a table row's first, when ``table``: not the title that has it too); else the
    first line of the first file."""
    found = next(((path, n) for path, lines in sources
                  for n, text in enumerate(lines, start=1) if word and word in text
                  and (not table or "|" in text)), None)
    if found is None and table:
        return line_of(word, sources)
    return found or (sources[0][0], 1)


def quoted(word: str) -> str:
    return f"'{word}'" if len(word) <= _QUOTED else f"'{word[:_QUOTED]}…'"


def table_message(word: str, past: str, where: str) -> str:
    """Why a table leaves the text area, in the words of both the render and ``check``:
    ``past`` its points past the area, ``where`` the page or the product."""
    return (f"{quoted(word)} makes a table {past} pt wider than the text area {where} "
            "(a table column is never narrower than its longest word): break the word "
            "with a space or hyphen, or shorten it")


def _problem(sources: list[tuple[Path, list[str]]], stray: Stray) -> Problem:
    word = _word(stray)
    what = quoted(word) if word else "an image"
    return Problem(*line_of(word, sources), f"{what} would print {stray.past:.0f} pt outside "
                   f"the text area on page {stray.page} (into the margin or off the paper): "
                   "break the word with a space or hyphen, or make the image smaller")
