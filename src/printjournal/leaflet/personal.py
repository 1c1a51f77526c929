"""A patient's name and note and the size of the leaflet's front box in; the one-page
personal layer (a tagged PDF) out, fitted to the box, or refused in plain words.

A name that cannot be printed whole must not print partly. So:

- every character must be one the bundled fonts have (:func:`first_unprintable`), checked
  before anything is rendered: a name in a script they lack (CJK, Arabic, emoji ...) is
  refused, not printed as empty boxes or in whatever font the system has;
- the layer is laid out, then measured: one page (the box's height), every character
  and the box's border inside the page (the box's width), only bundled fonts. A long
  word wraps at any character (``overflow-wrap: anywhere`` in leaflet.css); what still
  does not fit is laid out again a step smaller (``fit-1``, ``fit-2``: the sizes are the
  designers', in leaflet.css), and past the last step refused.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PrintjournalError
from ..styles import LeafletStyle

FIT_STEPS = 3          # fit-0 (as designed), fit-1, fit-2 (the floor)


class UnprintableError(PrintjournalError, ValueError):
    """The personal text cannot be printed whole (the CLI reports it as a usage error)."""

    usage = True


class DoesNotFitError(UnprintableError):
    """The text does not fit in the box even at the smallest step."""


@dataclass(frozen=True)
class Box:
    """The front box's size in points."""

    width: float
    height: float


def first_unprintable(fonts_dir: Path, text: str) -> str | None:
    """The first character of ``text`` that no bundled font has (spaces aside), or None.

    The one place the leaflet asks "can our fonts print this?"."""
    from ..render.fonts import coverage, first_uncovered

    bad = first_uncovered(text, coverage(fonts_dir))
    return None if bad is None else bad.char


def describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"“{char}” (U+{ord(char):04X}{', ' + name.lower() if name else ''})"


def check_printable(fonts_dir: Path, label: str, text: str) -> None:
    char = first_unprintable(fonts_dir, text)
    if char is not None:
        raise UnprintableError(f"{label} has a character the journal's fonts cannot print: "
                               f"{describe(char)}. Write it in letters the fonts have, or "
                               "leave it out")


def render_layer(pipeline: Any, for_name: str, note: str, lang: str, box: Box,
                 style: LeafletStyle) -> bytes:
    """The personal layer for ``box`` in the leaflet's ``style``, fitted (see the module's
    docstring)."""
    fonts_dir = pipeline.project.fonts_dir
    check_printable(fonts_dir, "The patient's name", for_name)
    check_printable(fonts_dir, "The note", note)
    layouts = pipeline.layouts
    for fit in range(FIT_STEPS):
        html = layouts.render(
            "leaflet-personal.html", for_name=for_name, note=note,
            labels=layouts.labels(lang), lang=lang, width=round(box.width, 3),
            height=round(box.height, 3), style=style, fit=fit)
        layer = pipeline.renderer.pdf(html, Path("layouts/leaflet-personal.html"),
                                      page_area=False)     # measured here, to fit it
        if layer.pages == 1 and _inside(layer.data, box):
            _check_fonts(layer.data, fonts_dir)
            return layer.data
    raise DoesNotFitError("the name and note do not fit in the box on the front, even in "
                           "smaller type: shorten the note")


def _inside(data: bytes, box: Box, slack: float = 0.5) -> bool:
    """Whether everything drawn on the one-page ``data`` lies inside ``box``: every
    character, and every path (the box's own border: a note that fills the box must not
    push its bottom edge off the box, where the page's next lines or the trim cut it)."""
    import pypdfium2
    import pypdfium2.raw as pdfium

    def outside(left: float, bottom: float, right: float, top: float) -> bool:
        return left < -slack or bottom < -slack or right > box.width + slack \
            or top > box.height + slack

    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        text = page.get_textpage()
        if any(outside(*text.get_charbox(i)) for i in range(text.count_chars())):
            return False
        paths = page.get_objects(filter=(pdfium.FPDF_PAGEOBJ_PATH,))
        return not any(outside(*path.get_bounds()) for path in paths)
    finally:
        document.close()


def _check_fonts(data: bytes, fonts_dir: Path) -> None:
    """Refuse a layer that uses a font not bundled (a system font filling in)."""
    from ..pdf.overlay import open_pdf
    from ..render.fonts import families as bundled_families

    families = bundled_families(fonts_dir)
    with open_pdf(data) as pdf:
        for font in pdf.pages[0].obj.get("/Resources", {}).get("/Font", {}).values():
            name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
            if not any(name.startswith(family) for family in families):
                raise UnprintableError("the name or note needs a font the journal does not "
                                       f"have ({name}): write it in letters the fonts have")
