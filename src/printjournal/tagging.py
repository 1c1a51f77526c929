"""WeasyPrint's PDF structure tree in, one a screen reader can trust out.

WeasyPrint 70 tags the text of page margin boxes (running headers, the
disclaimer footer, "Page X of Y") as ``NonStruct`` elements that it leaves out
of the document's tree on purpose, so that each marked-content id still has
an owner. That leaves orphan elements whose page content no reader reaches,
and a ParentTree pointing at them. Page furniture is what PDF/UA calls a
pagination artifact, so :func:`margins_as_artifacts`, a WeasyPrint
*finisher*, turns that content into ``/Artifact`` marked content and drops
the orphans from the ParentTree before the PDF is written.
"""

from __future__ import annotations

import re
from typing import Any

import pydyf

_REF = re.compile(rb"^(\d+) 0 R$")


def _number(reference: Any) -> int | None:
    if isinstance(reference, bytes):
        match = _REF.match(reference)
        return int(match[1]) if match else None
    return None


def margins_as_artifacts(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher: margin-box content becomes artifacts; orphan elements go."""
    objects = {obj.number: obj for obj in pdf.objects if hasattr(obj, "number")}
    root_number = _number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return
    root = objects[root_number]
    reachable: set[int] = set()
    stack = [n for n in map(_number, _array(root["K"])) if n is not None]
    while stack:
        number = stack.pop()
        if number in reachable:
            continue
        reachable.add(number)
        element = objects.get(number)
        if isinstance(element, pydyf.Dictionary) and "K" in element:
            stack.extend(n for n in map(_number, _array(element["K"])) if n is not None)
    parent_tree = _resolve(objects, root["ParentTree"])
    nums = parent_tree["Nums"]
    for index in range(0, len(nums), 2):
        page_number, elements = nums[index], _resolve(objects, nums[index + 1])
        if not isinstance(elements, list):
            continue  # an annotation's entry, not a page's
        orphans = {mcid for mcid, ref in enumerate(elements)
                   if _number(ref) not in reachable}
        if not orphans:
            continue
        for mcid in orphans:
            elements[mcid] = "null"
        page = _resolve(objects, pdf.page_references[page_number])
        _rewrite(_resolve(objects, page["Contents"]).stream, orphans)


def _resolve(objects: dict[int, Any], value: Any) -> Any:
    number = _number(value)
    return objects[number] if number is not None else value


def _array(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _rewrite(operations: list[Any], mcids: set[int], kind: str = "Pagination") -> None:
    """``/Tag <</MCID n>> BDC`` → ``/Artifact <</Type /Pagination>> BDC`` for ``mcids``."""
    for i in range(len(operations) - 2):
        properties = operations[i + 1]
        if operations[i + 2] == b"BDC" and isinstance(properties, pydyf.Dictionary) \
                and properties.get("MCID") in mcids:
            operations[i] = "/Artifact"
            operations[i + 1] = pydyf.Dictionary({"Type": f"/{kind}"})


def leaders_as_artifacts(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher: the dots of CSS ``leader()`` become layout artifacts, not text to read.

    A screen reader should read a contents line as "Title, 14", not "Title dot dot
    dot … 14". The leader's text is marked ``/Artifact`` and its marked-content id
    leaves the structure tree (an element left empty goes with it).
    """
    from weasyprint.formatting_structure import boxes

    objects = {obj.number: obj for obj in pdf.objects if hasattr(obj, "number")}
    root_number = _number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return
    nums = _resolve(objects, objects[root_number]["ParentTree"])["Nums"]
    parents = {nums[i]: _resolve(objects, nums[i + 1]) for i in range(0, len(nums), 2)}
    for index, page in enumerate(document.pages):
        leaders = [(child.position_x, child.position_y + child.baseline)
                   for box in _descendants(page._page_box) if getattr(box, "is_leader", False)
                   for child in box.children if isinstance(child, boxes.TextBox)]
        if not leaders:
            continue
        page_dict = _resolve(objects, pdf.page_references[index])
        operations = _resolve(objects, page_dict["Contents"]).stream
        mcids = {mcid for x, y in leaders if (mcid := _mcid_at(operations, x, y)) is not None}
        elements = parents.get(index)
        if not isinstance(elements, list):
            continue
        for mcid in mcids:
            _drop_content(objects, elements[mcid], mcid)
            elements[mcid] = "null"
        _rewrite(operations, mcids, "Layout")


def _descendants(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _descendants(child)


def _mcid_at(operations: list[Any], x: float, y: float) -> int | None:
    """The MCID of the marked content that draws text at (x, y)."""
    for index, operation in enumerate(operations):
        if isinstance(operation, bytes) and operation.endswith(b" Tm"):
            values = operation.split()
            if abs(float(values[4]) - x) < 0.01 and abs(float(values[5]) - y) < 0.01:
                for back in range(index - 1, 0, -1):
                    if operations[back] == b"BDC":
                        return operations[back - 1].get("MCID")
                    if operations[back] == b"EMC":
                        return None
    return None


def _drop_content(objects: dict[int, Any], reference: Any, mcid: int) -> None:
    """Take ``mcid`` out of its element; an element left empty leaves its parent."""
    element = _resolve(objects, reference)
    if not isinstance(element, pydyf.Dictionary):
        return
    kids = element["K"] if isinstance(element["K"], list) else [element["K"]]
    element["K"] = pydyf.Array(k for k in kids if k != mcid)
    while not element["K"] and "P" in element:
        parent = _resolve(objects, element["P"])
        if not isinstance(parent, pydyf.Dictionary) or "K" not in parent:
            break
        siblings = parent["K"] if isinstance(parent["K"], list) else [parent["K"]]
        parent["K"] = pydyf.Array(k for k in siblings if _number(k) != element.number)
        element = parent
