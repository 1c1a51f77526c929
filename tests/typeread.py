"""Reading type as a print designer measures it: characters per line, glyph sizes, fonts.

Shared by the typography tests; every function opens a PDF with pdfplumber and reports
facts about the glyphs as set, never about the HTML that made them.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4


@dataclass(frozen=True)
class Line:
    page: int            # 1-based
    top: float           # points from the top of the page
    x0: float
    x1: float
    size: float          # the size most of its glyphs have
    text: str            # with a space wherever the glyphs leave a word gap
    full: bool           # not the last line of its paragraph (the next line follows it)


def _split_columns(chars: list[dict], gap: float) -> list[list[dict]]:
    """One row of glyphs → runs separated by a gutter wider than ``gap`` points."""
    runs: list[list[dict]] = [[chars[0]]]
    for char in chars[1:]:
        if char["x0"] - runs[-1][-1]["x1"] > gap:
            runs.append([])
        runs[-1].append(char)
    return runs


def _text(chars: list[dict]) -> str:
    out = ""
    for before, char in zip([None, *chars[:-1]], chars, strict=True):
        if before is not None and char["x0"] - before["x1"] > 0.15 * char["size"] \
                and not before["text"].isspace() and not char["text"].isspace():
            out += " "
        out += char["text"]
    return " ".join(out.split())


def text_lines(pdf: Path, size: float, fonts: Sequence[str],
               top_mm: float = 20, bottom_mm: float = 20) -> list[Line]:
    """The lines of running text set at ``size`` pt in one of ``fonts`` (name fragments),
    between the page margins, in reading order per page and column."""
    lines: list[Line] = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            top, bottom = top_mm * MM, page.height - bottom_mm * MM
            rows: dict[float, list[dict]] = {}
            for char in page.chars:
                if top < char["top"] < bottom and char.get("upright", True):
                    rows.setdefault(round(char["bottom"], 0), []).append(char)
            found = []
            for _, chars in sorted(rows.items()):
                chars.sort(key=lambda c: c["x0"])
                for run in _split_columns(chars, 4 * MM):
                    glyphs = [c for c in run if not c["text"].isspace()]
                    body = [c for c in glyphs if abs(c["size"] - size) < 0.05
                            and any(f in c["fontname"] for f in fonts)]
                    if len(glyphs) < 2 or len(body) < 0.8 * len(glyphs):
                        continue
                    found.append((run[0]["x0"], run[-1]["x1"], run[0]["top"], _text(run)))
            found.sort(key=lambda f: (round(f[0] / (20 * MM)), f[2]))
            leading = size * 1.2
            for index, (x0, x1, line_top, text) in enumerate(found):
                following = found[index + 1] if index + 1 < len(found) else None
                full = following is not None and abs(following[0] - x0) < 6 * MM \
                    and leading < following[2] - line_top < size * 1.75
                lines.append(Line(number, line_top, x0, x1, size, text, full))
    return lines


def median_full_line(lines: Sequence[Line]) -> float:
    """The median number of characters (spaces counted) in the full lines."""
    full = [len(line.text) for line in lines if line.full]
    assert len(full) >= 10, f"only {len(full)} full lines of running text found"
    return statistics.median(full)


def smallest_glyph(pdf: Path, top_mm: float = 0, bottom_mm: float = 0,
                   pages: Sequence[int] | None = None) -> list[tuple[float, str]]:
    """Per page: the size of its smallest visible glyph and the words around it."""
    result = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            if pages is not None and number not in pages:
                continue
            top, bottom = top_mm * MM, page.height - bottom_mm * MM
            chars = [c for c in page.chars if c["text"].strip() and top <= c["top"] <= bottom]
            if not chars:
                continue
            small = min(chars, key=lambda c: c["size"])
            near = "".join(c["text"] for c in chars if abs(c["top"] - small["top"]) < 1)
            result.append((round(small["size"], 2), near[:60]))
    return result
