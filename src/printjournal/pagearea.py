"""Laid-out pages in, whatever leaves the page area out: words and images past the margins.

The print CSS breaks a long word as a last resort and scales images to the page, so
nothing should leave the text area; :func:`strays` checks that nothing does, after each
layout (render.py) of an article, a leaflet or a part of an issue, on whatever paper. It
walks the boxes WeasyPrint laid out on each page (the page's content box is the page area,
as the layouts' ``@page`` margins make it) and reports each run of text or image that
reaches past that area, sideways or up and down (a line of text by more than half its
height: its box is taller than its glyphs), except in the margin boxes (running heads,
folios), whose place is the margin. :func:`problems` names the line that holds the word
(in the content file, or in printjournal.toml for a clinic's details) and the page.

It reads WeasyPrint's laid-out boxes through ``Page._page_box``, as slots.py and
tagging.py do: WeasyPrint 70 has no public API for them. The walk costs a few
milliseconds a page against hundreds for the layout (``bench/footnote_check.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, relative
from .model import Project

#: How far (in points) a box may reach past the page area: rounding, italic overhang.
SLACK = 1.0
#: How much of a stray word the message quotes.
_QUOTED = 40


@dataclass(frozen=True)
class Stray:
    """A run of text (or an image: ``text`` is empty) that leaves the page area."""

    page: int          # 1-based
    text: str
    past: float        # points past the page area, on its worst side


def strays(pages: Sequence[Any]) -> list[Stray]:
    """Every run of text and image on WeasyPrint's laid-out ``pages`` that leaves its
    page's area by more than :data:`SLACK`."""
    from weasyprint.formatting_structure import boxes

    found: list[Stray] = []
    for number, page in enumerate(pages, start=1):
        area = page._page_box
        x0, y0 = area.content_box_x(), area.content_box_y()
        x1, y1 = x0 + area.width, y0 + area.height
        for child in area.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box in _walk(child):
                if not isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
                    continue
                text = box.text.strip() if isinstance(box, boxes.TextBox) else ""
                if isinstance(box, boxes.TextBox) and not text:
                    continue
                left, top = box.content_box_x(), box.content_box_y()
                sideways = max(x0 - left, left + box.width - x1)
                upright = max(y0 - top, top + box.height - y1)
                if text:     # a line's box is taller than its glyphs: half a line may stick out
                    upright -= box.height / 2
                past = max(sideways, upright)
                if past > SLACK:
                    found.append(Stray(number, text, past))
    return found


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def problems(project: Project, name: Path, found: Sequence[Stray]) -> list[Problem]:
    """One problem per page with strays, at the line that holds its longest stray word: in
    ``name`` (the content file, as shown) or else in printjournal.toml (a clinic's details
    in a leaflet), else at the first line of ``name``."""
    sources = [(name, _lines(project.root / name)),
               (relative(project.config_path, project.root), _lines(project.config_path))]
    by_page: dict[int, Stray] = {}
    for stray in found:    # the longest word of the page: the likeliest cause
        if stray.page not in by_page or len(_word(stray)) > len(_word(by_page[stray.page])):
            by_page[stray.page] = stray
    return [_problem(sources, stray) for stray in by_page.values()]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return []


def _word(stray: Stray) -> str:
    return max(stray.text.split(), key=len) if stray.text else ""


def _problem(sources: list[tuple[Path, list[str]]], stray: Stray) -> Problem:
    word = _word(stray)
    where = next(((path, n) for path, lines in sources
                  for n, text in enumerate(lines, start=1) if word and word in text),
                 (sources[0][0], 1))
    quoted = word if len(word) <= _QUOTED else word[:_QUOTED] + "…"
    what = f"'{quoted}'" if word else "an image"
    return Problem(*where, f"{what} would print {stray.past:.0f} pt outside the text area "
                   f"on page {stray.page} (into the margin or off the paper): break the "
                   "word with a space or hyphen, or make the image smaller")
