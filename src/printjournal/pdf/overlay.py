"""A tagged PDF with a reserved box, and a one-page tagged layer in; one tagged PDF out.

The leaflet's personal front box (who it is for, the clinician's note) is rendered on
its own and must never be cached, while the rest of the leaflet is. :func:`graft` lays the
layer's page into the box and keeps PDF/UA intact:

- the layer's marked-content ids are renumbered to follow the page's own, so that no id
  is used twice on the page;
- the layer's resources (fonts, graphics states, ...) are added to the page's under new
  names, and its content, with those names, is appended to the page's, moved into the box;
- the layer's structure elements are copied under the empty structure element of the box
  (the first element on the page without kids: WeasyPrint tags the empty ``<div>`` that
  reserves the box as an empty ``Div``), pointing at the page, and the page's ParentTree
  entry gets their ids, so reading order puts the layer where the box stands.

The box is found by two named destinations that WeasyPrint writes for element ids: one at
its top-left corner and one (an empty element after it) at its bottom-right.

pikepdf (qpdf) does the work: it reads only the objects it is asked for, so grafting a
one-page layer onto a long cached leaflet costs milliseconds, not a parse of the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..errors import LayoutError

_OWN_KEYS = {"/P", "/Pg", "/K", "/Type"}
# operators whose operand at this index names a resource (the layer's names are renamed)
_NAMED = {"Tf": 0, "Do": 0, "gs": 0, "cs": 0, "CS": 0, "sh": 0, "BDC": 1, "DP": 1}
_SUFFIX = "-personal"


@dataclass(frozen=True)
class Rect:
    """A rectangle in PDF points, from its lower-left corner."""

    x: float
    y: float
    width: float
    height: float


class OverlayError(LayoutError):
    """The PDF has no place for the layer (a layout that lost the reserved box)."""


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(BytesIO(data))


def page_count(data: bytes) -> int:
    """The number of pages of a PDF, read from its page tree alone."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def named_rect(pdf: pikepdf.Pdf, top_left: str, bottom_right: str) -> tuple[int, Rect]:
    """The page index and rectangle between two named destinations."""
    names = pdf.Root.get("/Names")
    dests = pikepdf.NameTree(names.Dests) if names is not None and "/Dests" in names \
        else None
    if dests is None or top_left not in dests or bottom_right not in dests:
        raise OverlayError(f"the PDF has no destinations '{top_left}' and '{bottom_right}'")
    start, end = _dest_array(dests[top_left]), _dest_array(dests[bottom_right])
    if start[0].objgen != end[0].objgen:
        raise OverlayError(f"'{top_left}' and '{bottom_right}' are on different pages")
    page = next(i for i, p in enumerate(pdf.pages) if p.obj.objgen == start[0].objgen)
    left, top = float(start[2]), float(start[3])
    right, bottom = float(end[2]), float(end[3])
    if right <= left or top <= bottom:
        raise OverlayError(f"'{top_left}' to '{bottom_right}' is not a box")
    return page, Rect(left, bottom, right - left, top - bottom)


def _dest_array(dest: Any) -> Array:
    return dest.D if isinstance(dest, Dictionary) else dest


def graft(pdf: pikepdf.Pdf, layer: bytes, page_index: int, rect: Rect) -> bytes:
    """The PDF ``pdf`` with the first page of ``layer`` laid into ``rect``, as bytes."""
    page = pdf.pages[page_index]
    tree = pdf.Root.StructTreeRoot
    owners = pikepdf.NumberTree(tree.ParentTree)[int(page.obj.StructParents)]
    offset = len(owners)
    with pikepdf.open(BytesIO(layer)) as source:
        layer_page = source.pages[0]
        renamed = _add_resources(pdf, source, page, layer_page)
        content = _moved_content(layer_page, renamed, offset, rect)
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ\n" + content))
        slot = _empty_element(tree, page.obj)
        kids = Array()
        for top in _kids(source.Root.StructTreeRoot):     # the layer's Document element(s)
            for kid in _kids(top):
                if isinstance(kid, Dictionary):
                    kids.append(_copy(pdf, source, kid, slot, page.obj, offset, owners))
        slot.K = kids
    out = BytesIO()
    # streams already compressed are copied as they are, not decoded and compressed again
    pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _add_resources(pdf: pikepdf.Pdf, source: pikepdf.Pdf, page: pikepdf.Page,
                   layer_page: pikepdf.Page) -> dict[str, Name]:
    """Copy the layer's resources into the page's, under new names: old name → new."""
    if "/Resources" not in page.obj:
        page.obj.Resources = Dictionary()
    resources = page.obj.Resources
    renamed: dict[str, Name] = {}
    for category, entries in layer_page.obj.get("/Resources", Dictionary()).items():
        if not isinstance(entries, Dictionary):
            continue
        if category not in resources:
            resources[category] = Dictionary()
        target = resources[category]
        for name, value in entries.items():
            new = name + _SUFFIX
            while new in target:
                new += "x"
            target[new] = _foreign(pdf, source, value)
            renamed[name] = Name(new)
    return renamed


def _moved_content(layer_page: pikepdf.Page, renamed: dict[str, Name], offset: int,
                   rect: Rect) -> bytes:
    """The layer's content with resources renamed, MCIDs moved past ``offset``, and the
    whole placed at the box's lower-left corner."""
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(layer_page):
        operands = list(operands)
        index = _NAMED.get(str(operator))
        if index is not None and index < len(operands) and isinstance(operands[index], Name) \
                and str(operands[index]) in renamed:
            operands[index] = renamed[str(operands[index])]
        if str(operator) == "BDC" and isinstance(operands[1], Dictionary) \
                and "/MCID" in operands[1]:
            properties = Dictionary(operands[1])
            properties.MCID = int(properties.MCID) + offset
            operands[1] = properties
        instructions.append((operands, operator))
    move = f"1 0 0 1 {rect.x:.4f} {rect.y:.4f} cm\n".encode()
    return b"q\n" + move + pikepdf.unparse_content_stream(instructions) + b"\nQ\n"


def _foreign(pdf: pikepdf.Pdf, source: pikepdf.Pdf, value: Any) -> Any:
    """``value`` of the layer's PDF ``source``, as an object of ``pdf``."""
    if not isinstance(value, Dictionary | Array | pikepdf.Stream):
        return value                        # a name, number or string: used as it is
    return pdf.copy_foreign(value if value.is_indirect else source.make_indirect(value))


def _kids(element: Dictionary) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _empty_element(tree: Dictionary, page: Dictionary) -> Dictionary:
    """The first structure element on the page without kids: the reserved box."""
    stack = list(reversed(_kids(tree)))
    while stack:
        element = stack.pop()
        if not isinstance(element, Dictionary):
            continue
        pg = element.get("/Pg")
        kids = _kids(element)
        if pg is not None and pg.objgen == page.objgen and not kids \
                and element.get("/S") == "/Div":
            return element
        stack.extend(reversed(kids))
    raise OverlayError("no empty Div on the page to hold the layer's tags")


def _copy(pdf: pikepdf.Pdf, source: pikepdf.Pdf, element: Dictionary, parent: Dictionary,
          page: Dictionary, offset: int, owners: Array) -> Dictionary:
    """Copy a layer structure element (and its kids) into ``pdf`` under ``parent``."""
    new = pdf.make_indirect(Dictionary(Type=Name.StructElem))
    for name, value in element.items():
        if name not in _OWN_KEYS:
            new[name] = _foreign(pdf, source, value)
    new.P = parent
    new.Pg = page
    kids = Array()
    for kid in _kids(element):
        if isinstance(kid, int):
            mcid = int(kid) + offset
            while len(owners) <= mcid:
                owners.append(None)
            owners[mcid] = new
            kids.append(mcid)
        elif isinstance(kid, Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
            kids.append(_copy(pdf, source, kid, new, page, offset, owners))
    new.K = kids
    return new
