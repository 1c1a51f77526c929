"""WeasyPrint's generic structure elements in, the roles the HTML meant out.

WeasyPrint 70 tags an element by its HTML tag alone: a footnote (``span.footnote``)
becomes a ``Span``, ``<em>`` and ``<strong>`` become ``NonStruct``. A screen reader
then reads a footnote as a bare "5" running into the text, and no emphasis at all.
:func:`tag_roles`, a finisher step (pdf/finishers.py runs it for every product),
finds each such element through the laid-out boxes and gives it its role:

- each footnote becomes a ``Note`` with an ``/ID`` unique in the file (ISO 14289-1
  7.9; the HTML id, ``note-5``, or ``note-5-2`` when a leaflet's second article has a
  ``note-5`` too). An issue's merge keeps them unique (pdf/structure.py prefixes the
  part's name). Its calls are ``Link`` elements whose annotation speaks "source 5: …"
  (markup/notes.py); PDF 1.7, on which PDF/UA-1 rests, has no key for a Link to point at its
  Note (``/Ref`` is PDF 2.0), so none is written;
- ``<em>`` and ``<strong>`` become ``Em`` and ``Strong``, which the RoleMap maps to
  ``Span`` (PDF 1.7 has no such standard types; PDF/UA wants them mapped);
- a link inside a link's text (emphasis in a link: WeasyPrint annotates both) is
  dropped, so each annotation has a ``Link`` element;
- the StructTreeRoot gets the ``/IDTree`` every file with element IDs needs (the
  Notes', and WeasyPrint's table headers').

An element is found as WeasyPrint made it: each text box's marked content (found by
where it is drawn, as finishers.py finds leader dots) is owned by an element of its
own whose parent is the element of the box that holds the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf

from ..render.pagearea import page_box
from .objects import marked_content_by_position, object_map, page_stream, resolve

#: HTML tags whose element gets a role of its own, and the standard type it maps to.
EMPHASIS = {"em": ("Em", "Span"), "strong": ("Strong", "Span")}
_FOOTNOTE = "footnote"


def tag_roles(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher step: footnotes as ``Note`` with unique IDs, emphasis as Em/Strong."""

    objects = object_map(pdf)
    root = resolve(objects, pdf.catalog.get("StructTreeRoot"))
    if not isinstance(root, pydyf.Dictionary):
        return
    nums = resolve(objects, root["ParentTree"])["Nums"]
    owners = {nums[i]: resolve(objects, nums[i + 1]) for i in range(0, len(nums), 2)}
    ids: dict[str, Any] = {}
    used_roles: set[str] = set()
    for index, page in enumerate(document.pages):
        elements = owners.get(index)
        if not isinstance(elements, list):
            continue
        operations = page_stream(objects, pdf, index)
        drawn = marked_content_by_position(operations)
        finder = _ElementFinder(objects, elements, operations, drawn)
        for box in _walk(page_box(page)):
            tag = getattr(box, "element_tag", None)
            if tag in EMPHASIS and not _is_footnote(box):
                element = finder.element_of(box)
                if element is not None and element.get("S") == "/NonStruct":
                    element["S"] = f"/{EMPHASIS[tag][0]}"
                    used_roles.add(tag)
            elif _is_footnote(box):
                element = finder.element_of(box)
                if element is not None and element.get("S") != "/Note":
                    element["S"] = "/Note"
                    element["ID"] = pydyf.String(_unique(ids, box.element.get("id") or "note"))
    _links_inside_links(objects, pdf, nums)
    if used_roles:
        role_map = resolve(objects, root.get("RoleMap")) if "RoleMap" in root else None
        if not isinstance(role_map, pydyf.Dictionary):
            role_map = root["RoleMap"] = pydyf.Dictionary()
        for tag in sorted(used_roles):
            role_map[EMPHASIS[tag][0]] = f"/{EMPHASIS[tag][1]}"
    _id_tree(objects, root)


def _links_inside_links(objects: dict[int, Any], pdf: pydyf.PDF, nums: list[Any]) -> None:
    """One annotation per link: WeasyPrint gives a box inside a link's text (``[the *full*
    guide](...)``) an annotation of its own, owned by that box's element, not a ``Link``
    (PDF/UA-1 7.18.5). The enclosing link's annotation covers its whole text, so the
    inner one goes: out of its element, its page and the ParentTree."""
    for index in range(len(nums) - 2, -1, -2):
        owner = resolve(objects, nums[index + 1])
        if not isinstance(owner, pydyf.Dictionary) or owner.get("S") == "/Link" \
                or not _inside_link(objects, owner):
            continue
        kids = []
        for kid in owner["K"]:
            reference = resolve(objects, kid)
            if isinstance(reference, pydyf.Dictionary) and reference.get("Type") == "/OBJR":
                page = resolve(objects, reference["Pg"])
                page["Annots"] = pydyf.Array(a for a in page.get("Annots", [])
                                             if a != reference["Obj"])
            else:
                kids.append(kid)
        owner["K"] = pydyf.Array(kids)
        del nums[index:index + 2]


def _inside_link(objects: dict[int, Any], element: pydyf.Dictionary) -> bool:
    parent = resolve(objects, element.get("P"))
    while isinstance(parent, pydyf.Dictionary) and parent.get("Type") == "/StructElem":
        if parent.get("S") == "/Link":
            return True
        parent = resolve(objects, parent.get("P"))
    return False


def _is_footnote(box: Any) -> bool:
    """The block a footnote is laid out as, in the page's footnote area."""
    from weasyprint.formatting_structure import boxes

    element = getattr(box, "element", None)
    return isinstance(box, boxes.BlockBox) and box.element_tag == "span" \
        and element is not None and _FOOTNOTE in (element.get("class") or "").split()


def _unique(ids: dict[str, Any], wanted: str) -> str:
    name, count = wanted, 1
    while name in ids:
        count += 1
        name = f"{wanted}-{count}"
    ids[name] = True
    return name


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


class _ElementFinder:
    """The structure element WeasyPrint made for a box of one page."""

    def __init__(self, objects: dict[int, Any], elements: list[Any],
                 operations: list[Any], drawn: dict[tuple[float, float], int]) -> None:
        self.objects = objects
        self.elements = elements
        self.operations = operations
        self.drawn = drawn

    def element_of(self, box: Any) -> pydyf.Dictionary | None:
        """The element of ``box``: the parent of its text's own elements, or of its
        first child's element (None when nothing of it is drawn)."""
        from weasyprint.formatting_structure import boxes

        for child in _children(box):
            if isinstance(child, boxes.TextBox):
                owner = self._owner(child)
                if owner is not None:   # a link owns its text itself
                    return owner if _is_link(box) else self._parent(owner)
        for child in _children(box):
            if not isinstance(child, boxes.TextBox):
                inner = self.element_of(child)
                if inner is not None:
                    return self._parent(inner)
        return None

    def _owner(self, text: Any) -> pydyf.Dictionary | None:
        point = (round(text.position_x, 2), round(text.position_y + text.baseline, 2))
        at = self.drawn.get(point)
        properties = self.operations[at - 1] if at is not None else None
        mcid = properties.get("MCID") if isinstance(properties, pydyf.Dictionary) else None
        if mcid is None or mcid >= len(self.elements):
            return None
        owner = resolve(self.objects, self.elements[mcid])
        return owner if isinstance(owner, pydyf.Dictionary) else None

    def _parent(self, element: pydyf.Dictionary) -> pydyf.Dictionary | None:
        parent = resolve(self.objects, element.get("P"))
        if isinstance(parent, pydyf.Dictionary) and parent.get("Type") == "/StructElem":
            return parent
        return None


def _is_link(box: Any) -> bool:
    tag = getattr(box, "element_tag", None)
    return isinstance(tag, str) and tag.split(":")[0] == "a"


def _children(box: Any) -> Iterator[Any]:
    """A box's children as WeasyPrint tags them: a line's boxes stand for the line."""
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", None) or ():
        yield from child.children if isinstance(child, boxes.LineBox) else (child,)


def _id_tree(objects: dict[int, Any], root: pydyf.Dictionary) -> None:
    """Every element ID in the file, in the StructTreeRoot's IDTree (sorted names)."""
    found = []
    for number, obj in objects.items():
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem" \
                and "ID" in obj:
            found.append((_text(obj["ID"]), number))
    if not found:
        return
    names = pydyf.Array()
    for name, number in sorted(found, key=lambda item: item[0].encode("utf-8")):
        names.extend([pydyf.String(name), objects[number].reference])
    root["IDTree"] = pydyf.Dictionary({"Names": names})


def _text(value: Any) -> str:
    return value.string if isinstance(value, pydyf.String) else str(value)
