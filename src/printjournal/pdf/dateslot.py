"""A leaflet part's laid-out boxes in, the lines that print its date placeholder out.

A leaflet's governance stamp says "Printed <date>" on every page and in the article's
"About this information" box. So that a part (leaflet/parts.py) does not depend on the
day, the part prints a *placeholder* there: the widest date of the year in the
article's language (leafletparts.widest_date measures every date of the year, drawn by
WeasyPrint in ``--font-display``, the family of the stamp and the box, and takes the
widest), so any day's date of that year fits the room the placeholder took, never
clipped, and the lines around it break as they would around any date.

The layout marks each element that prints a date with ``data-date-slot`` (the printed
unit, "Printed 28 September 2026" with no-break spaces), ``data-date`` (the placeholder
date) and ``data-date-lang`` (the language the date is printed in). At render time,
folios.py's finisher makes each line holding such a unit (in the stamp's margin box or
in the box's paragraph) a slot of kind ``"date"`` (:func:`date_line`): its form is the
line with ``{date}`` for the placeholder, its target the date's language, aligned at the
line's start (left to right: its left end; right to left: its right end), where a date
of any width starts. At assembly the line is drawn again with the day's date and put
in place of the placeholder's line, inside the same marked content: the text layer and
the tags read the day's date where it is printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from weasyprint.formatting_structure import boxes

KIND = "date"


def placeholders(every_box: Iterable[Any]) -> dict[str, tuple[str, str]]:
    """The printed units of the date placeholders among ``every_box`` (the boxes of
    every page): unit -> (placeholder date, the date's language)."""
    found = {}
    for box in every_box:
        element = getattr(box, "element", None)
        if element is not None and element.get("data-date-slot"):
            found[element.get("data-date-slot")] = (element.get("data-date", ""),
                                                    element.get("data-date-lang", ""))
    return found


def date_line(box: boxes.TextBox, units: dict[str, tuple[str, str]]
              ) -> tuple[str, str, float, float, str] | None:
    """(language, align, left, right, form) of a line ``box`` that prints one of
    ``units`` (:func:`placeholders`), else None."""
    for unit, (date, lang) in units.items():
        at = box.text.rfind(unit)
        if at < 0 or not unit.endswith(date) or not date:
            continue
        start = at + len(unit) - len(date)
        form = (_escaped(box.text[:start]) + "{date}" +
                _escaped(box.text[start + len(date):]))
        align = "right" if box.style["direction"] == "rtl" else "left"
        return lang, align, box.position_x, box.position_x + box.width, form
    return None


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")
