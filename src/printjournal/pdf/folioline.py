"""A laid-out folio line in ("Page 2 of 5"), its form out ("Page {page} of {pages}").

A leaflet's parts are rendered on their own (leaflet/parts.py), so the page numbers a part
prints are its own; folios.py records each such line as a slot with this form, and the
assembly prints the whole document's numbers in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import LayoutError, Problem

_SOURCE = Path("layouts")   # slot problems are layout problems
def line_form(text: str, counters: Sequence[tuple[str, str]],
              numbers: tuple[int, int]) -> str:
    """``text`` (a laid-out folio line of a page, say "Page 2 of 5") with its last
    numbers, those of ``counters`` ((name, style) of each ``counter()``, in order), as
    ``{page}`` and ``{pages}``. ``numbers``: the page's number and the page count."""
    values = {"page": numbers[0], "pages": numbers[1]}
    runs = list(re.finditer(r"\d+", text))[-len(counters):]
    if len(runs) != len(counters) or any(
            style != "decimal" or int(run[0]) != values[name]
            for run, (name, style) in zip(runs, counters, strict=True)):
        raise LayoutError([Problem(_SOURCE, 0, f"the page number line {text!r} must print "
                                   "counter(page) and counter(pages) as decimal numbers")])
    form, at = [], 0
    for run, (name, _) in zip(runs, counters, strict=True):
        form += [text[at:run.start()].replace("{", "{{").replace("}", "}}"), f"{{{name}}}"]
        at = run.end()
    form.append(text[at:].replace("{", "{{").replace("}", "}}"))
    return "".join(form)
