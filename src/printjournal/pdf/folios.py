"""Placeholder numbers in rendered parts in, the issue's real page numbers out.

Every part of an issue (an article, the contents, the editor's letter) is
rendered on its own, before anyone knows on which page of the issue it will
start: that is what lets parts render in parallel and be reused when they
have not changed. Two kinds of text depend on where parts land, and both are
*slots*, placeholders that WeasyPrint lays out and draws like any text:

- **folio**: a page-margin box whose content is ``counter(page)`` (alone) —
  the page number in the corner; with :func:`mark_lines` (leaflets), also a line
  around the numbers, such as ``string(page-label) " " counter(page) " "
  string(of-label) " " counter(pages)``: "Page 3 of 12", its total the whole
  document's (the slot's ``form`` is the line with ``{page}`` and ``{pages}``);
- **ref**: an element ``<span data-page-ref="PART">88</span>`` — "p. 14"
  after a link to another article of the issue, a page number in the
  contents. The placeholder has as many digits as the real number will have,
  and the layouts print these digits as tabular figures, so the real number
  takes exactly the placeholder's room.

At render time :func:`mark_slots` (a WeasyPrint *finisher*) finds each
placeholder's text in the page's content stream, labels its marked-content
sequence ``/PjSlot n`` and records the slot (page, baseline position, box,
alignment, font) in the part PDF itself (catalog key ``/PjSlots``).

At assembly, the ten digits are drawn once by WeasyPrint in each slot style on
one small sheet (:func:`digit_requests`, :func:`stamp_sheet_html`,
:func:`capture_stamps`); each number is set from its digits, glyph after glyph
(:func:`numbers_from_digits`: tabular figures have one advance and no kerning,
so this is how WeasyPrint sets the number too, and a test holds it to that);
and :func:`stamp` puts the number's text-showing operators in place of the
placeholder's, on the same baseline and inside the same marked-content sequence:
the structure tree is untouched and a screen reader, a search and a copy all get
the real number. The sheet depends only on the slot styles, so it is drawn once
and then taken from the render cache, whatever the page numbers become. A leaflet's
printed date is a third kind of slot, ``date`` (dateslot.py), stamped the same way.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pydyf
import pypdf
from pypdf.generic import DictionaryObject, IndirectObject, NameObject
from weasyprint.formatting_structure import boxes

from ..errors import AssemblyError, LayoutError, Problem
from ..render.pagearea import page_box
from . import dateslot
from .finishers import (
    compact_structure,
    leader_positions,
    margins_as_artifacts,
    marked_content_by_position,
    text_as_artifacts,
)
from .folioline import line_form, style_of
from .objects import ISSUE, add_object, object_map, page_stream

SLOTS_KEY = "PjSlots"
STAMPS_KEY = "PjStamps"
FOLIO_CONTENT = (("counter()", ("page", "decimal")),)
_SOURCE = Path("layouts")   # slot problems are layout problems
_SLOT = re.compile(rb"/PjSlot (\d+)")
_TEXT_OBJECT = re.compile(rb"\bBT\b(.*?)\bET\b", re.DOTALL)


@dataclass(frozen=True)
class Slot:
    """One placeholder in a rendered part: where it is and how it looks."""

    number: int        # its /PjSlot label
    page: int          # 0-based page of the part
    kind: str          # "folio", "ref" or "date" (dateslot.py)
    target: str        # the part a ref points at, a date's language ("" for folios)
    x: float           # baseline start of the placeholder text (page units, as in Tm)
    y: float
    left: float        # the box the text is aligned in
    right: float
    align: str         # "left", "right" or "center"
    style: str         # CSS declarations giving the placeholder's font
    text: str          # the placeholder text
    form: str = ""     # a folio line: its text with "{page}" and "{pages}"; "": the number

    def printed(self, page: int, pages: int) -> str:
        """What the slot of a folio prints on page ``page`` of ``pages``."""
        return self.form.format(page=page, pages=pages) if self.form else str(page)

    def dated(self, dates: dict[str, str]) -> str:
        """What a date slot prints, ``dates`` giving the date by language."""
        if self.target not in dates:
            raise AssemblyError.at(ISSUE, 0, f"no printed date in '{self.target}'")
        return self.form.format(date=dates[self.target])

    def position(self, width: float) -> float:
        """Where a text ``width`` wide starts, aligned as the placeholder was."""
        if self.align == "right":
            return self.right - width
        if self.align == "center":
            return (self.left + self.right - width) / 2
        return self.x


# ---------- at render time: a WeasyPrint finisher ----------

def mark_slots(document: Any, pdf: pydyf.PDF, lines: bool = False) -> None:
    """Finisher: margins and leader dots become artifacts, every slot is labelled, and
    the structure tree is compacted (the part is merged afterwards). ``lines``: folios
    may be lines around ``counter(page)`` and ``counter(pages)`` (:func:`mark_lines`), and
    the printed date is a slot too (a leaflet's: dateslot.py)."""
    margins_as_artifacts(document, pdf)
    total = len(document.pages)
    units = dateslot.placeholders(b for page in document.pages
                                  for b in _walk(page_box(page))) if lines else {}
    found = [(list(_placeholders(page_box(page), (index + 1, total) if lines else None,
                                 units)),
              leader_positions(page_box(page)))
             for index, page in enumerate(document.pages)]
    text_as_artifacts(pdf, {index: leaders for index, (_, leaders) in enumerate(found)
                            if leaders})
    objects = object_map(pdf)
    slots: list[Slot] = []
    for index, (placeholders, _) in enumerate(found):
        if not placeholders:
            continue
        operations = page_stream(objects, pdf, index)
        where = marked_content_by_position(operations)
        for kind, target, text_box, align, left, right, form in placeholders:
            x, y = text_box.position_x, text_box.position_y + text_box.baseline
            at = where.get((round(x, 2), round(y, 2)))
            properties = operations[at - 1] if at is not None else None
            if not isinstance(properties, pydyf.Dictionary) or "PjSlot" in properties:
                raise LayoutError([Problem(_SOURCE, 0, f"page {index + 1}: the {kind} "
                                           f"placeholder {text_box.text!r} was not drawn")])
            properties["PjSlot"] = len(slots)
            style = style_of(text_box.style)
            if form:     # a line's words and numbers in the order its direction sets them
                style += f"; direction: {text_box.style['direction']}"
            slots.append(Slot(len(slots), index, kind, target, x, y, left, right, align,
                              style, text_box.text, form))
    pdf.catalog[SLOTS_KEY] = pydyf.String(json.dumps([asdict(s) for s in slots]))
    compact_structure(document, pdf)


def mark_lines(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher of a part whose folios are lines ("Page 3 of 12"): :func:`mark_slots`."""
    mark_slots(document, pdf, lines=True)


def _placeholders(page_box: boxes.PageBox, numbers: tuple[int, int] | None,
                  units: dict[str, tuple[str, str]]
                  ) -> Iterator[tuple[str, str, boxes.TextBox, str, float, float, str]]:
    """Each slot of a page; ``numbers`` (this page's number and the part's page count)
    when folios may be lines around them; ``units``: the date placeholders' (dateslot.py)."""
    for box in _walk(page_box):
        if isinstance(box, boxes.MarginBox):
            content = box.style["content"]
            pages = [value for kind, value in content
                     if kind in ("counter()", "counters()") and value[0] in ("page", "pages")] \
                if isinstance(content, tuple) else []
            if not pages:
                continue
            if content != FOLIO_CONTENT and numbers is None:
                raise LayoutError([Problem(_SOURCE, 0, f"{box.at_keyword}: in an issue, the "
                                           "page number stands alone in its margin box "
                                           "(content: counter(page)), printed as the issue's "
                                           "folio; counter(pages) and text around it are not "
                                           "supported")])
            texts = [b for b in _walk(box) if isinstance(b, boxes.TextBox)]
            if len(texts) != 1:
                if numbers is None:
                    continue
                raise LayoutError([Problem(_SOURCE, 0, f"{box.at_keyword}: a line with "
                                           "page numbers must be one line of text")])
            form = "" if content == FOLIO_CONTENT else \
                line_form(texts[0].text, [(v[0], v[-1]) for v in pages], numbers)
            align = str(box.style["text_align_all"])
            align = {"start": "left", "end": "right"}.get(align, align)
            left = box.content_box_x()
            yield "folio", "", texts[0], align, left, left + box.width, form
        elif isinstance(box, boxes.TextBox) and box.element is not None \
                and box.element.get("data-page-ref") and box.element_tag.find("::") < 0:
            if not box.text.isdigit():
                raise LayoutError([Problem(_SOURCE, 0, "a page reference placeholder must be "
                                           f"digits on one line, not {box.text!r}")])
            yield ("ref", box.element.get("data-page-ref"), box, "left", box.position_x,
                   box.position_x + box.width, "")
        elif isinstance(box, boxes.TextBox) and units and \
                (line := dateslot.date_line(box, units)) is not None:
            yield (dateslot.KIND, line[0], box, *line[1:])


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def slots_of(catalog: Any) -> list[Slot]:
    """The slots a part recorded (read from its catalog with pypdf)."""
    raw = catalog.get("/" + SLOTS_KEY)
    return [Slot(**item) for item in json.loads(str(raw))] if raw is not None else []


# ---------- at assembly: the numbers, drawn by WeasyPrint, put in place ----------

@dataclass(frozen=True)
class Stamp:
    """One number as WeasyPrint draws it: text operators (font names as rendered)."""

    operators: bytes       # Tf and TJ operators, without BT/ET and text matrix
    width: float           # advance width, page units
    fonts: tuple[str, ...]  # resource names of the fonts the operators use


@dataclass(frozen=True)
class Stamps:
    """Rendered numbers by (style, text), and the PDF that holds their fonts."""

    pdf: bytes
    stamps: dict[tuple[str, str], Stamp]


DIGITS = "0123456789"


def digit_requests(requests: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ten digits in every style of ``requests``: what the numbers are set from."""
    styles = dict.fromkeys(style for style, _ in requests)
    return [(style, digit) for style in styles for digit in DIGITS]


def numbers_from_digits(digits: Stamps, requests: Sequence[tuple[str, str]]) -> Stamps:
    """Each (style, number) of ``requests``, set from the ``digits`` of its style."""
    numbers = {}
    for style, text in dict.fromkeys(requests):
        if not text or any(c not in DIGITS for c in text):
            raise LayoutError([Problem(_SOURCE, 0, f"a page number must be decimal digits, "
                                       f"not {text!r}")])
        parts = [digits.stamps[(style, c)] for c in text]
        numbers[(style, text)] = Stamp(
            b"\n".join(part.operators for part in parts),
            sum(part.width for part in parts),
            tuple(dict.fromkeys(font for part in parts for font in part.fonts)))
    return Stamps(digits.pdf, numbers)


def stamp_sheet_html(requests: Sequence[tuple[str, str]], lang: str,
                     sheets: Sequence[str] = ("fonts.css",)) -> str:
    """One document printing every (style, text), one per line, with the stylesheets
    ``sheets`` of layouts/ (whose custom properties the styles may use)."""
    requests = list(dict.fromkeys(requests))
    links = "".join(f'<link rel="stylesheet" href="{html.escape(s)}">' for s in sheets)
    lines = "\n".join(
        f'<p><span data-stamp="{i}" style="{html.escape(style)}">{html.escape(text)}</span></p>'
        for i, (style, text) in enumerate(requests))
    return (f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            f'<title>Page numbers</title>{links}<style>'
            "@page { size: 400mm 2000mm; margin: 5mm }"
            " p { margin: 0; line-height: 2; white-space: nowrap }</style></head>"
            f"<body>{lines}</body></html>")


def capture_stamps(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher of the sheet: record each number's text operators in the PDF itself."""
    found: dict[str, dict[str, Any]] = {}
    objects = object_map(pdf)
    for index, page in enumerate(document.pages):
        operations = page_stream(objects, pdf, index)
        for box in _walk(page_box(page)):
            if isinstance(box, boxes.TextBox) and box.element is not None \
                    and box.element.get("data-stamp"):
                stamp = _text_operators(operations, box.position_x,
                                        box.position_y + box.baseline, box.width)
                found[box.element.get("data-stamp")] = {
                    "operators": stamp.operators.decode("latin-1"), "width": stamp.width,
                    "fonts": list(stamp.fonts)}
    pdf.catalog[STAMPS_KEY] = pydyf.String(json.dumps(found))


def read_stamps(data: bytes, requests: Sequence[tuple[str, str]]) -> Stamps:
    """The numbers of a sheet made from ``requests`` by :func:`capture_stamps`."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = json.loads(str(reader.trailer["/Root"].get("/" + STAMPS_KEY, "{}")))
    requests = list(dict.fromkeys(requests))
    missing = [text for i, (_, text) in enumerate(requests) if str(i) not in found]
    if missing:
        raise LayoutError([Problem(_SOURCE, 0, f"page numbers not drawn: {missing}")])
    return Stamps(data, {request: Stamp(found[str(i)]["operators"].encode("latin-1"),
                                        found[str(i)]["width"], tuple(found[str(i)]["fonts"]))
                         for i, request in enumerate(requests)})


def _text_operators(operations: list[Any], x: float, y: float, width: float) -> Stamp:
    for index, operation in enumerate(operations):
        if isinstance(operation, bytes) and operation.endswith(b" Tm"):
            values = operation.split()[:-1]
            if abs(float(values[4]) - x) < 0.01 and abs(float(values[5]) - y) < 0.01:
                end = operations.index(b"ET", index)
                ops = [op for op in operations[index + 1:end] if isinstance(op, bytes)]
                fonts = tuple(dict.fromkeys(
                    op.split()[0].decode()[1:] for op in ops if op.endswith(b" Tf")))
                return Stamp(b"\n".join(ops), width, fonts)
    raise LayoutError([Problem(_SOURCE, 0, "a page number was not drawn")])


def put_numbers(writer: pypdf.PdfWriter, slots: Iterable[tuple[str, list[Any], Slot, str]],
                stamps: Stamps | None) -> None:
    """Each slot's number, drawn in ``stamps``, in place of its placeholder.

    ``slots`` gives (part name, the part's pages in ``writer``, slot, number); the fonts
    the numbers use are copied into the writer once and named ``/Pj<font>`` on the pages.
    """
    texts: dict[tuple[str, int], dict[int, tuple[bytes, float]]] = {}
    pages: dict[tuple[str, int], Any] = {}
    fonts: dict[str, IndirectObject] = {}
    font_source = None
    for name, part_pages, slot, text in slots:
        if stamps is None:
            raise AssemblyError.at(ISSUE, 0, "page numbers are needed but were not drawn")
        number = stamps.stamps[(slot.style, text)]
        operators = number.operators
        for font in number.fonts:
            operators = operators.replace(f"/{font} ".encode(), f"/Pj{font} ".encode())
            if font not in fonts:
                if font_source is None:
                    font_source = pypdf.PdfReader(io.BytesIO(stamps.pdf)).pages[0]
                source = font_source["/Resources"]["/Font"].raw_get(f"/{font}")
                clone = source.clone(writer)
                fonts[font] = clone if isinstance(clone, IndirectObject) \
                    else add_object(writer, clone)
        texts.setdefault((name, slot.page), {})[slot.number] = \
            (operators, slot.position(number.width))
        pages[(name, slot.page)] = part_pages[slot.page]
    for where, page_texts in texts.items():
        page = pages[where]
        contents = page["/Contents"].get_object()
        contents.set_data(stamp(contents.get_data(), page_texts))
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        font_dict = resources["/Font"].get_object()
        for font, ref in fonts.items():
            font_dict[NameObject(f"/Pj{font}")] = ref


def stamp(data: bytes, texts: dict[int, tuple[bytes, float]]) -> bytes:
    """Content stream ``data`` with each slot's text replaced.

    ``texts`` maps a slot label to (text operators, x where the text starts); the
    operators are placed on the slot's own baseline, inside its marked content.
    """
    out = bytearray()
    position = 0
    for match in _SLOT.finditer(data):
        number = int(match[1])
        if number not in texts:
            raise LayoutError([Problem(_SOURCE, 0, f"no page number for slot {number}")])
        operators, x = texts[number]
        text = _TEXT_OBJECT.search(data, match.end())
        emc = data.find(b"EMC", match.end())
        if text is None or (emc != -1 and emc < text.start()):
            raise LayoutError([Problem(_SOURCE, 0, f"slot {number} has no text to replace")])
        matrix = re.search(rb"([-\d.]+) Tm", text[1])
        if matrix is None:
            raise LayoutError([Problem(_SOURCE, 0, f"slot {number} has no text position")])
        y = matrix[1]
        out += data[position:match.start()].rstrip(b" ")  # drop the label
        out += data[match.end():text.start()]
        out += b"BT\n1 0 0 -1 " + _number_bytes(float(x)) + b" " + y + b" Tm\n"
        out += operators + b"\nET"
        position = text.end()
    out += data[position:]
    return bytes(out)


def _number_bytes(value: float) -> bytes:
    """A number as WeasyPrint's pydyf writes it into a content stream."""
    if value.is_integer():
        return str(int(value)).encode("ascii")
    return f"{value:f}".rstrip("0").encode("ascii")
