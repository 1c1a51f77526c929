"""A tagged PDF with a reserved box, and a one-page tagged layer in; one tagged PDF out.

The leaflet's personal front box (who it is for, the clinician's note) is rendered on
its own and must never be cached, while the rest of the leaflet is. :func:`graft` lays the
layer's page into the box and keeps PDF/UA intact:

- the layer's marked-content ids are renumbered to follow the page's own, so that no id
  is used twice on the page;
- the layer's content is placed on the page with pypdf (which renames resources that
  would clash, such as the fonts);
- the layer's structure elements are copied under the empty structure element of the box
  (the first element on the page without kids: WeasyPrint tags the empty ``<div>`` that
  reserves the box as an empty ``Div``), pointing at the page, and the page's ParentTree
  entry gets their ids, so reading order puts the layer where the box stands.

The box is found by two named destinations that WeasyPrint writes for element ids: one at
its top-left corner and one (an empty element after it) at its bottom-right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pypdf
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

_MCID = re.compile(rb"/MCID\s+(\d+)")
_OWN_KEYS = {"/P", "/Pg", "/K", "/Type"}


@dataclass(frozen=True)
class Rect:
    """A rectangle in PDF points, from its lower-left corner."""

    x: float
    y: float
    width: float
    height: float


class OverlayError(RuntimeError):
    """The PDF has no place for the layer (a layout that lost the reserved box)."""


def named_rect(reader: pypdf.PdfReader, top_left: str, bottom_right: str) -> tuple[int, Rect]:
    """The page index and rectangle between two named destinations."""
    dests = reader.named_destinations
    if top_left not in dests or bottom_right not in dests:
        raise OverlayError(f"the PDF has no destinations '{top_left}' and '{bottom_right}'")
    start, end = dests[top_left], dests[bottom_right]
    page = reader.get_destination_page_number(start)
    if reader.get_destination_page_number(end) != page:
        raise OverlayError(f"'{top_left}' and '{bottom_right}' are on different pages")
    left, top = float(start.left), float(start.top)
    right, bottom = float(end.left), float(end.top)
    if right <= left or top <= bottom:
        raise OverlayError(f"'{top_left}' to '{bottom_right}' is not a box")
    return page, Rect(left, bottom, right - left, top - bottom)


def graft(reader: pypdf.PdfReader, layer: bytes, page_index: int, rect: Rect) -> bytes:
    """The PDF of ``reader`` with the first page of ``layer`` laid into ``rect``."""
    writer = pypdf.PdfWriter(clone_from=reader)
    page = writer.pages[page_index]
    tree = writer.root_object["/StructTreeRoot"].get_object()
    owners = _parent_tree_entry(tree, int(page["/StructParents"]))
    offset = len(owners)

    layer_writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(BytesIO(layer)))
    layer_page = layer_writer.pages[0]
    stream = DecodedStreamObject()
    stream.set_data(_MCID.sub(lambda m: b"/MCID %d" % (int(m[1]) + offset),
                              layer_page.get_contents().get_data()))
    layer_page.replace_contents(stream)
    page.merge_transformed_page(
        layer_page, pypdf.Transformation().translate(rect.x, rect.y), over=True)
    page.compress_content_streams()

    slot = _empty_element(tree, page.indirect_reference)
    layer_tree = layer_writer.root_object["/StructTreeRoot"].get_object()
    kids = ArrayObject()
    for top in _kids(layer_tree):           # the layer's Document element(s)
        for kid in _kids(top.get_object()):
            if isinstance(kid, IndirectObject):
                kids.append(_copy(writer, kid.get_object(), slot, page, offset, owners))
    slot[NameObject("/K")] = kids
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _kids(element: DictionaryObject) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
    return list(kids) if isinstance(kids, list) else [kids]


def _parent_tree_entry(tree: DictionaryObject, key: int) -> ArrayObject:
    """The ParentTree array of a page's marked-content owners (flat or nested tree)."""
    nodes = [tree["/ParentTree"].get_object()]
    while nodes:
        node = nodes.pop()
        nums = node.get("/Nums") or []
        for i in range(0, len(nums), 2):
            if int(nums[i]) == key:
                return nums[i + 1].get_object()
        nodes.extend(kid.get_object() for kid in node.get("/Kids") or [])
    raise OverlayError(f"StructParents {key} is not in the ParentTree")


def _empty_element(tree: DictionaryObject, page_ref: IndirectObject) -> DictionaryObject:
    """The first structure element on the page without kids: the reserved box."""
    stack = list(reversed(_kids(tree)))
    while stack:
        ref = stack.pop()
        if not isinstance(ref, IndirectObject):
            continue
        element = ref.get_object()
        pg = element.get("/Pg")
        if pg is not None and pg.idnum == page_ref.idnum and not _kids(element) \
                and element.get("/S") == "/Div":
            return element
        stack.extend(reversed(_kids(element)))
    raise OverlayError("no empty Div on the page to hold the layer's tags")


def _copy(writer: pypdf.PdfWriter, element: DictionaryObject, parent: DictionaryObject,
          page: pypdf.PageObject, offset: int, owners: ArrayObject) -> IndirectObject:
    """Copy a layer structure element (and its kids) into ``writer`` under ``parent``."""
    new = DictionaryObject({NameObject("/Type"): NameObject("/StructElem")})
    ref = writer._add_object(new)   # pypdf has no public name for adding an object
    for name, value in element.items():
        if name not in _OWN_KEYS:
            new[NameObject(name)] = value.clone(writer)
    new[NameObject("/P")] = parent.indirect_reference or writer._add_object(parent)
    new[NameObject("/Pg")] = page.indirect_reference
    kids = ArrayObject()
    for kid in _kids(element):
        if isinstance(kid, int):
            mcid = int(kid) + offset
            while len(owners) <= mcid:
                owners.append(pypdf.generic.NullObject())
            owners[mcid] = ref
            kids.append(NumberObject(mcid))
        elif isinstance(kid, IndirectObject) and kid.get_object().get("/Type") \
                not in ("/MCR", "/OBJR"):
            kids.append(_copy(writer, kid.get_object(), new, page, offset, owners))
    new[NameObject("/K")] = kids
    return ref
