"""An edition's name in, everything that makes that edition of an issue out: a table.

An issue is made in editions: the digital one readers download (PDF/UA-1, live links,
images no finer than 200 dpi) and the print one for the print shop (3 mm bleed, crop
marks, no live links, full-resolution images, a page count the sheets fold in). Every
difference between them is a column of :data:`EDITIONS`; the code reads the columns and
never compares names, so a new edition is one row here and its stylesheet in layouts/.
:func:`output_name` is the one place an edition's file name is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PrintjournalError, Problem


@dataclass(frozen=True)
class Edition:
    """One edition of an issue: what differs from the others."""

    name: str                      # as on the command line: --edition NAME
    suffix: str                    # of the file name: <issue><suffix>.pdf
    pdfua: bool                    # claims PDF/UA-1 (an accessible file for readers)
    links: bool                    # live links and their tags (False: printed addresses)
    bleed_mm: float | None         # BleedBox this far around the TrimBox (None: none)
    page_multiple: int             # the page count is a multiple of this (sheets fold)
    stylesheet: str | None         # layouts/ file added after issue.css
    press_ready: bool = False      # PDF/X-4 in CMYK for a print shop, preflighted (press/)
    render_options: dict[str, Any] = field(default_factory=dict)   # WeasyPrint's write_pdf


EDITIONS: tuple[Edition, ...] = (
    Edition("digital", "", pdfua=True, links=True, bleed_mm=None, page_multiple=2,
            stylesheet=None, render_options={"dpi": 200}),
    Edition("print", "-print", pdfua=True, links=False, bleed_mm=3.0, page_multiple=4,
            stylesheet="issue-print.css", press_ready=True),
)


def edition(name: str, source: Path) -> Edition:
    """The edition called ``name``; another name is an error at ``source``."""
    for found in EDITIONS:
        if found.name == name:
            return found
    raise PrintjournalError([Problem(source, 0, f"unknown edition '{name}': "
                                     + " or ".join(e.name for e in EDITIONS))])


def output_name(stem: str, edition: Edition) -> str:
    """The file name of an issue's edition: ``winter-2026.pdf``, ``winter-2026-print.pdf``."""
    return f"{stem}{edition.suffix}.pdf"
