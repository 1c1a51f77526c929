"""Lines of text printed into each other, read from a PDF (issue 12, large print).

A reader's invariant for every page: no glyph of one line stands on a glyph of another,
whatever prints it (body text, footnotes, the governance stamp and review flag in the
page margins, captions). :func:`overprinted` returns the places where that fails, as
plain sentences (an empty list: all is well), like tests/invariants.py.

A glyph's box is its em square on its baseline: ``size`` tall, :data:`ASCENT` of it above
the baseline (the share of the em above the baseline in Inter and Charis SIL, the
bundled text faces; the body of a Latin, Arabic or Hebrew letter stands in it). Lines
set solid (leading = size) touch and do not overlap. pdfplumber's own ``top``/``bottom``
are not used: they come from each font's descriptor, and Noto Sans Arabic's puts its box
8 pt lower than Inter's on the same baseline (a line of the Arabic stamp would read as
two lines overlapping). A line is the glyphs on one baseline; superscript citation
numbers stand on a baseline of their own, beside (never over) the words of their line.

:data:`TOLERANCE` is measured, not guessed: on the sample articles and leaflets and the
leaflet matrix's A5 large-print walking-for-health cases (en, ar, pl) no two lines meet
at all (0.0 pt, :func:`deepest`); a citation number stands beside its word's last letter
by 0.06 pt at most (:data:`BESIDE`). The faults it finds: 16 pt notes on a 12 pt leading
overprint by 4.0 pt, the A5 stamp and the review flag by 10 to 11 pt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .parsed import Glyph, Page, parsed

#: the share of a glyph's em square above its baseline (Inter: ascender 0.97, descender
#: 0.24 of its 1.21 em line; set solid, the em divides 0.8 / 0.2)
ASCENT = 0.8
#: how far (pt) a glyph may reach over one of another line beside it and still stand
#: beside it: a citation number raised after its word's last letter
BESIDE = 0.5
#: how deep (pt) two lines' glyph boxes may reach into each other: rounding
TOLERANCE = 1.0


@dataclass(frozen=True)
class _Line:
    baseline: float        # from the page's top (pt)
    size: float            # the largest glyph's size (pt)
    spans: tuple[tuple[float, float], ...]    # each glyph's left and right (pt)
    text: str

    @property
    def top(self) -> float:
        return self.baseline - ASCENT * self.size

    @property
    def bottom(self) -> float:
        return self.baseline + (1 - ASCENT) * self.size


def _lines(page: Page) -> list[_Line]:
    """The page's glyphs (not spaces) grouped by baseline (to 0.1 pt), top to bottom."""
    rows: dict[float, list[Glyph]] = {}
    for char in page.glyphs:
        if not char.text.strip() or not char.upright:
            continue
        baseline = round(page.height - char.y, 1)
        rows.setdefault(baseline, []).append(char)
    return [_Line(baseline, max(c.size for c in chars),
                  tuple(sorted((c.x0, c.x1) for c in chars)),
                  "".join(c.text for c in sorted(chars, key=lambda c: c.x0)))
            for baseline, chars in sorted(rows.items())]


def _meet(upper: _Line, lower: _Line) -> float:
    """How deep (pt) the glyphs of two lines reach into each other where they stand over
    each other: 0 when no glyph of one is above or below a glyph of the other."""
    depth = min(upper.bottom, lower.bottom) - max(upper.top, lower.top)
    if depth <= 0:
        return 0.0
    across = max((min(right, r0) - max(left, l0) for left, right in upper.spans
                  for l0, r0 in lower.spans), default=0.0)
    return depth if across > BESIDE else 0.0


def deepest(pdf: bytes | Path) -> Iterable[tuple[int, float, str, str]]:
    """(page, depth in pt, upper line's text, lower line's text) for each pair of lines
    on a page whose glyph boxes meet at all; ``pdf``: the PDF's bytes or its path."""
    for page in parsed(pdf):
        lines = _lines(page)
        for index, upper in enumerate(lines):
            for lower in lines[index + 1:]:
                if lower.top >= upper.bottom:
                    if lower.baseline - upper.baseline > 2 * max(upper.size, lower.size):
                        break
                    continue
                depth = _meet(upper, lower)
                if depth > 0:
                    yield page.number, depth, upper.text, lower.text


def overprinted(pdf: bytes | Path, tolerance: float = TOLERANCE) -> list[str]:
    """Each place where two lines of text on a page print into each other by more than
    ``tolerance`` pt, in plain words; ``pdf``: the PDF's bytes or its path."""
    return [f"page {page}: {upper[:40]!r} and {lower[:40]!r} overprint by {depth:.1f} pt"
            for page, depth, upper, lower in deepest(pdf) if depth > tolerance]
