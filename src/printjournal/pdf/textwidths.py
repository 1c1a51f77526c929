"""Content streams (pikepdf) and new glyph widths for some fonts in; the same streams with
every glyph of those fonts left where it was drawn out.

WeasyPrint places each glyph with the font's ``/W`` width plus a TJ adjustment that
brings it to HarfBuzz's advance, and rounds ``/W`` at the size a glyph was first set
in that render: one part may say 562 where another says 563 (1/1000 em). A merged font
(fonts.py) has one width per glyph, so in a part whose width differed, each such glyph
gets the difference back as a TJ number after it (PDF 32000-1 9.4.4: the displacement
is ``(w0 - Tj/1000) * Tfs``, so a width ``d`` larger and a number ``d`` cancel
exactly, whatever the size, character and horizontal spacing). Codes are two bytes,
the glyph id (Identity-H); only TJ and Tj are used by WeasyPrint: a ``'`` or ``"``
showing text in a changed font raises :class:`WidthError` and nothing is changed.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

#: font object (objgen) → glyph id → width to add back after the glyph (1/1000 em)
Deltas = dict[tuple[int, int], dict[int, float]]


class WidthError(ValueError):
    """Text shown in a way that cannot be adjusted."""


def holders(pdf: pikepdf.Pdf) -> Iterator[tuple[Any, Dictionary]]:
    """(page or form XObject, its resources) for every content stream that shows text."""
    done: set[tuple[int, int]] = set()
    stack: list[tuple[Any, Any]] = [(page, page.obj.get("/Resources")) for page in pdf.pages]
    while stack:
        holder, resources = stack.pop(0)
        if not isinstance(resources, Dictionary):
            continue
        yield holder, resources
        for category in ("/XObject", "/Pattern"):
            entries = resources.get(category)
            for value in entries.values() if isinstance(entries, Dictionary) else ():
                if isinstance(value, pikepdf.Stream) and value.objgen not in done \
                        and value.get("/Subtype", Name.Form) == Name.Form \
                        and "/Resources" in value:
                    done.add(value.objgen)
                    stack.append((value, value.Resources))


def adjust(pdf: pikepdf.Pdf, deltas: Deltas) -> None:
    """Put back each changed width of ``deltas`` in every content stream of ``pdf``."""
    if not deltas:
        return
    for holder, resources in list(holders(pdf)):
        fonts = resources.get("/Font")
        if not isinstance(fonts, Dictionary):
            continue
        by_name = {str(name): deltas.get(font.objgen) for name, font in fonts.items()
                   if isinstance(font, Dictionary)}
        if not any(by_name.values()) or not _may_show(holder, by_name):
            continue
        instructions, changed = _adjusted(pikepdf.parse_content_stream(holder), by_name)
        if not changed:
            continue
        data = pikepdf.unparse_content_stream(instructions)
        if isinstance(holder, pikepdf.Page):
            holder.obj.Contents = pdf.make_stream(data)
        else:
            holder.write(data)


def _may_show(holder: Any, by_name: dict[str, dict[int, float] | None]) -> bool:
    """Whether ``holder``'s content may show a changed glyph: WeasyPrint writes glyph
    ids as hexadecimal strings, so a stream without any of their four hex digits
    shows none, and is not parsed (a stream written otherwise is parsed)."""
    streams = holder.obj.get("/Contents") if isinstance(holder, pikepdf.Page) else holder
    streams = streams if isinstance(streams, Array) else [streams]
    data = b"".join(s.read_bytes() for s in streams if isinstance(s, pikepdf.Stream))
    if b"(" in data:          # a literal string: its codes are not spelled in hex
        return True
    data = data.lower()
    return any(f"{glyph:04x}".encode() in data
               for deltas in by_name.values() if deltas for glyph in deltas)


def _adjusted(instructions: list[Any], by_name: dict[str, dict[int, float] | None]
              ) -> tuple[list[Any], bool]:
    out: list[Any] = []
    font: dict[int, float] | None = None
    saved: list[dict[int, float] | None] = []
    changed = False
    for item in instructions:
        operands, operator = item.operands, str(item.operator)
        if operator == "q":
            saved.append(font)
        elif operator == "Q" and saved:
            font = saved.pop()
        elif operator == "Tf":
            font = by_name.get(str(operands[0]))
        elif font and operator in ("TJ", "Tj"):
            shown = operands[0] if operator == "TJ" else Array([operands[0]])
            array = _shown(shown, font)
            if array is not None:
                out.append(pikepdf.ContentStreamInstruction([array], Operator("TJ")))
                changed = True
                continue
        elif font and operator in ("'", '"'):
            raise WidthError(f"text shown with {operator}")
        out.append(item)
    return out, changed


def _shown(shown: Array, deltas: dict[int, float]) -> Array | None:
    """A TJ array with each changed glyph followed by its width back; None: unchanged."""
    items: list[Any] = []
    changed = False
    for element in shown:
        if not isinstance(element, pikepdf.String):
            _number(items, element)
            continue
        codes = bytes(element)
        glyphs = struct.unpack(f">{len(codes) // 2}H", codes[:len(codes) // 2 * 2])
        if deltas.keys().isdisjoint(glyphs):
            items.append(element)
            continue
        start = 0
        for index, glyph in enumerate(glyphs):
            at = 2 * index
            delta = deltas.get(glyph)
            if delta:
                items.append(pikepdf.String(codes[start:at + 2]))
                _number(items, float(delta))
                start, changed = at + 2, True
        if start < len(codes):
            items.append(pikepdf.String(codes[start:]))
    return Array([int(i) if isinstance(i, float) and i.is_integer() else i
                  for i in items]) if changed else None


def _number(items: list[Any], value: Any) -> None:
    """Append a TJ number; one meeting a width put back (a float) is added to it, and
    the numbers WeasyPrint wrote are otherwise kept as they were."""
    if items and isinstance(items[-1], float):
        items[-1] += float(value)
    else:
        items.append(value)
