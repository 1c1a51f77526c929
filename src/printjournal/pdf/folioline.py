"""A laid-out folio line in ("Page 2 of 5"), its form ("Page {page} of {pages}") and the
CSS that draws it again (its font: :func:`style_of`) out.

A leaflet's parts are rendered on their own (leaflet/parts.py), so the page numbers a part
prints are its own; folios.py records each such line as a slot with this form, and the
assembly prints the whole document's numbers in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import LayoutError, Problem

_SOURCE = Path("layouts")   # slot problems are layout problems
_STYLE_PROPERTIES = (
    "font_family", "font_size", "font_weight", "font_style", "font_stretch",
    "font_variant_numeric", "font_variant_caps", "font_variant_position",
    "font_variant_ligatures", "font_variant_alternates", "font_variant_east_asian",
    "font_feature_settings", "font_variation_settings", "font_kerning",
    "font_language_override", "letter_spacing",
)


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


def style_of(style: Any) -> str:
    """CSS declarations that draw text in the font of a computed ``style``."""
    declarations = []
    for name in _STYLE_PROPERTIES:
        value = style[name]
        if name == "font_family":
            text = ", ".join(json.dumps(family) for family in value)
        elif name in ("font_feature_settings", "font_variation_settings") \
                and isinstance(value, tuple):
            text = ", ".join(f"{json.dumps(tag)} {number}" for tag, number in value)
        elif isinstance(value, tuple):
            text = " ".join(str(v) for v in value)
        elif isinstance(value, float | int) and name in ("font_size", "letter_spacing"):
            text = f"{value:.4f}px"
        else:
            text = str(value)
        declarations.append(f"{name.replace('_', '-')}: {text}")
    return "; ".join(declarations)
