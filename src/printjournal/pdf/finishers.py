"""WeasyPrint's PDF structure tree in, one a screen reader can trust out: finishers.

A *finisher* is a function WeasyPrint calls with the document and its pydyf PDF just
before writing it; these edit the PDF's objects there.

WeasyPrint 70 tags the text of page margin boxes (running headers, the
disclaimer footer, "Page X of Y") as ``NonStruct`` elements that it leaves out
of the document's tree on purpose, so that each marked-content id still has
an owner. That leaves orphan elements whose page content no reader reaches,
and a ParentTree pointing at them. Page furniture is what PDF/UA calls a
pagination artifact, so :func:`margins_as_artifacts`, a WeasyPrint
*finisher*, turns that content into ``/Artifact`` marked content and drops
the orphans from the ParentTree before the PDF is written. It also runs markup/notes.py's
spoken call descriptions and roles.py's Note, Em and Strong elements, so every product
gets them.
"""

from __future__ import annotations

from typing import Any

import pydyf

from ..markup.notes import describe_links
from ..render.pagearea import page_box
from .objects import (
    as_list,
    marked_content_by_position,
    object_map,
    reference_number,
    resolve,
)
from .roles import tag_roles


def margins_as_artifacts(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher: margin-box content becomes artifacts; orphan elements go."""
    describe_links(document, pdf)   # markup/notes.py: footnote calls get their spoken description
    tag_roles(document, pdf)        # roles.py: footnotes as Note, emphasis as Em/Strong
    objects = object_map(pdf)
    root_number = reference_number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return
    root = objects[root_number]
    _list_bodies(objects, pdf)
    reachable: set[int] = set()
    stack = [n for n in map(reference_number, as_list(root["K"])) if n is not None]
    while stack:
        number = stack.pop()
        if number in reachable:
            continue
        reachable.add(number)
        element = objects.get(number)
        if isinstance(element, pydyf.Dictionary) and "K" in element:
            stack.extend(n for n in map(reference_number, as_list(element["K"])) if n is not None)
    parent_tree = resolve(objects, root["ParentTree"])
    nums = parent_tree["Nums"]
    for index in range(0, len(nums), 2):
        page_number, elements = nums[index], resolve(objects, nums[index + 1])
        if not isinstance(elements, list):
            continue  # an annotation's entry, not a page's
        orphans = {mcid for mcid, ref in enumerate(elements)
                   if reference_number(ref) not in reachable}
        if not orphans:
            continue
        for mcid in orphans:
            elements[mcid] = "null"
        page = resolve(objects, pdf.page_references[page_number])
        _rewrite(resolve(objects, page["Contents"]).stream, orphans)


def _list_bodies(objects: dict[int, Any], pdf: pydyf.PDF) -> None:
    """Each list item holds only its label and one body (PDF/UA-1 7.2-20).

    WeasyPrint puts an item's block children (the paragraphs of a loose list, a
    nested list, code) straight into the ``LI``; they move into the item's
    ``LBody`` before them, or a new one.
    """
    for item in list(objects.values()):
        if not isinstance(item, pydyf.Dictionary) or item.get("S") != "/LI":
            continue
        kids, body = [], None
        for kid in as_list(item["K"]):
            child = objects.get(reference_number(kid))  # type: ignore[arg-type]
            role = child.get("S") if isinstance(child, pydyf.Dictionary) else None
            if role in (None, "/Lbl", "/LBody"):
                kids.append(kid)
                body = child if role == "/LBody" else body if role is None else None
                continue
            if body is None:
                body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody",
                                         "K": pydyf.Array([]), "P": item.reference})
                if "Pg" in item:
                    body["Pg"] = item["Pg"]
                pdf.add_object(body)
                kids.append(body.reference)
            body["K"] = pydyf.Array([*as_list(body["K"]), kid])
            child["P"] = body.reference
        item["K"] = pydyf.Array(kids)


def _rewrite(operations: list[Any], mcids: set[int], kind: str = "Pagination") -> None:
    """``/Tag <</MCID n>> BDC`` → ``/Artifact <</Type /Pagination>> BDC`` for ``mcids``."""
    for i in range(len(operations) - 2):
        properties = operations[i + 1]
        if operations[i + 2] == b"BDC" and isinstance(properties, pydyf.Dictionary) \
                and properties.get("MCID") in mcids:
            operations[i] = "/Artifact"
            operations[i + 1] = pydyf.Dictionary({"Type": f"/{kind}"})



def text_as_artifacts(pdf: pydyf.PDF, positions: dict[int, list[tuple[float, float]]],
                      kind: str = "Layout") -> None:
    """Text drawn at ``positions`` (by page index) becomes artifacts, out of the tree."""
    objects = object_map(pdf)
    root_number = reference_number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return
    nums = resolve(objects, objects[root_number]["ParentTree"])["Nums"]
    parents = {nums[i]: resolve(objects, nums[i + 1]) for i in range(0, len(nums), 2)}
    for index, points in positions.items():
        page_dict = resolve(objects, pdf.page_references[index])
        operations = resolve(objects, page_dict["Contents"]).stream
        where = marked_content_by_position(operations)
        mcids = {operations[where[point] - 1].get("MCID") for x, y in points
                 if (point := (round(x, 2), round(y, 2))) in where}
        mcids.discard(None)
        elements = parents.get(index)
        if not isinstance(elements, list):
            continue
        for mcid in mcids:
            _drop_content(objects, elements[mcid], mcid)
            elements[mcid] = "null"
        _rewrite(operations, mcids, kind)


def leaders_as_artifacts(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher: the dots of CSS ``leader()`` become layout artifacts, not text to read.

    A screen reader should read a contents line as "Title, 14", not "Title dot dot
    dot … 14". The leader's text is marked ``/Artifact`` and its marked-content id
    leaves the structure tree (an element left empty goes with it).
    """
    text_as_artifacts(pdf, {index: leader_positions(page_box(page))
                            for index, page in enumerate(document.pages)})


def leader_positions(box: Any) -> list[tuple[float, float]]:
    """Where the text of the leaders under ``box`` is drawn."""
    from weasyprint.formatting_structure import boxes

    if getattr(box, "is_leader", False):
        return [(c.position_x, c.position_y + c.baseline) for c in box.children
                if isinstance(c, boxes.TextBox)]
    return [p for child in getattr(box, "children", None) or () for p in leader_positions(child)]


def _drop_content(objects: dict[int, Any], reference: Any, mcid: int) -> None:
    """Take ``mcid`` out of its element; an element left empty leaves its parent."""
    element = resolve(objects, reference)
    if not isinstance(element, pydyf.Dictionary):
        return
    kids = element["K"] if isinstance(element["K"], list) else [element["K"]]
    element["K"] = pydyf.Array(k for k in kids if k != mcid)
    while not element["K"] and "P" in element:
        parent = resolve(objects, element["P"])
        if not isinstance(parent, pydyf.Dictionary) or "K" not in parent:
            break
        siblings = parent["K"] if isinstance(parent["K"], list) else [parent["K"]]
        parent["K"] = pydyf.Array(k for k in siblings if reference_number(k) != element.number)
        element = parent


_PLAIN_SPAN = {"Type", "S", "K", "Pg", "P"}


def compact_structure(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher: the same tree in fewer objects, for files that are merged afterwards.

    WeasyPrint wraps every run of text in a ``Span`` element of its own; a plain one
    (one marked-content id, no attributes, on its parent's page) says nothing its
    parent does not, so its id moves into the parent. Elements no longer in the tree
    (these, and page furniture left out of it) are emptied: the tree reads the same,
    and a file merged afterwards has far fewer objects to parse and copy.
    """
    objects = object_map(pdf)
    root_number = reference_number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return
    root = objects[root_number]
    nums = resolve(objects, root["ParentTree"])["Nums"]
    parents = {nums[i]: resolve(objects, nums[i + 1]) for i in range(0, len(nums), 2)}
    pages = {reference: index for index, reference in enumerate(pdf.page_references)}
    reachable: set[int] = set()
    stack = [n for n in map(reference_number, as_list(root["K"])) if n is not None]
    while stack:
        number = stack.pop()
        element = objects.get(number)
        if number in reachable or not isinstance(element, pydyf.Dictionary):
            continue
        reachable.add(number)
        if "K" not in element:
            continue
        kids = []
        for kid in as_list(element["K"]):
            child = objects.get(reference_number(kid))  # type: ignore[arg-type]
            if isinstance(child, pydyf.Dictionary) and child.get("S") == "/Span" \
                    and set(child) <= _PLAIN_SPAN and isinstance(child["K"], list) \
                    and len(child["K"]) == 1 and isinstance(child["K"][0], int) \
                    and child.get("Pg") == element.get("Pg") and child["Pg"] in pages:
                mcid = child["K"][0]
                parents[pages[child["Pg"]]][mcid] = element.reference
                kids.append(mcid)
            else:
                kids.append(kid)
                if reference_number(kid) is not None:
                    stack.append(reference_number(kid))
        element["K"] = pydyf.Array(kids)
    owned = {reference_number(ref) for entry in parents.values()
             for ref in (entry if isinstance(entry, list) else [entry])}
    for number, obj in objects.items():
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem" \
                and number not in reachable and number not in owned:
            obj.clear()
