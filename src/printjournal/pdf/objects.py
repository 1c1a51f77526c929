"""PDF objects in, the pieces the other modules of the package need out.

Two libraries hold our PDFs at two moments, and both need the same few walks:

- while WeasyPrint writes a PDF (a *finisher*), its objects are pydyf's: references are
  bytes like ``b"12 0 R"``; :func:`reference_number`, :func:`object_map`,
  :func:`resolve` and :func:`as_list` read them; :func:`marked_content_by_position`
  finds where a page's marked texts are drawn (finishers.py, roles.py, folios.py);
- once a PDF is written, pypdf reads it: :func:`number_tree` and :func:`name_tree`
  flatten the PDF's two kinds of tree (ParentTree, Dests) into Python values, and
  :func:`add_object` adds a new object to a writer (through pypdf's public ``clone``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pydyf
import pypdf
from pypdf.generic import IndirectObject, PdfObject

#: What assembly errors name as their file: the issue being put together.
ISSUE = Path("issue")
_REF = re.compile(rb"^(\d+) 0 R$")


# ---------- pydyf: a PDF being written ----------

def reference_number(reference: Any) -> int | None:
    """The object number of a pydyf reference (``b"12 0 R"``), None for anything else."""
    if isinstance(reference, bytes):
        match = _REF.match(reference)
        return int(match[1]) if match else None
    return None


def object_map(pdf: pydyf.PDF) -> dict[int, Any]:
    """Every numbered object of ``pdf`` by its number."""
    return {obj.number: obj for obj in pdf.objects if hasattr(obj, "number")}


def resolve(objects: dict[int, Any], value: Any) -> Any:
    """The object a reference points at; any other value as it is."""
    number = reference_number(value)
    return objects[number] if number is not None else value


def as_list(value: Any) -> list[Any]:
    """A PDF value that may be one item or an array, as a list."""
    return list(value) if isinstance(value, list) else [value]


def page_stream(objects: dict[int, Any], pdf: pydyf.PDF, index: int) -> list[Any]:
    """The content stream operations of page ``index`` (0-based)."""
    page = resolve(objects, pdf.page_references[index])
    return resolve(objects, page["Contents"]).stream


def marked_content_by_position(operations: list[Any]) -> dict[tuple[float, float], int]:
    """Where each text is drawn (its Tm x, y, rounded) → index of its ``BDC`` operator."""
    found: dict[tuple[float, float], int] = {}
    opened: int | None = None
    for index, operation in enumerate(operations):
        if operation == b"BDC":
            opened = index
        elif operation == b"EMC":
            opened = None
        elif opened is not None and isinstance(operation, bytes) \
                and operation.endswith(b" Tm"):
            values = operation.split()
            found.setdefault((round(float(values[4]), 2), round(float(values[5]), 2)), opened)
    return found


# ---------- pypdf: a PDF read back ----------

def number_tree(node: Any) -> dict[int, Any]:
    """A number tree (``/Nums`` and ``/Kids``) as a dict."""
    result: dict[int, Any] = {}
    if node is None:
        return result
    node = node.get_object()
    nums = node.get("/Nums") or []
    for i in range(0, len(nums), 2):
        result[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids") or []:
        result.update(number_tree(kid))
    return result


def name_tree(node: Any) -> list[tuple[str, Any]]:
    """A name tree (``/Names`` and ``/Kids``) as (name, value) pairs, in tree order."""
    found: list[tuple[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        names = node.get("/Names") or []
        for i in range(0, len(names), 2):
            found.append((str(names[i]), names[i + 1]))
        for kid in node.get("/Kids") or []:
            walk(kid)

    walk(node)
    return found


def add_object(writer: pypdf.PdfWriter, obj: PdfObject) -> IndirectObject:
    """A copy of ``obj`` as a new indirect object of ``writer``: its reference. The
    writer holds the copy, not ``obj``: what is filled in after goes into
    ``reference.get_object()``.

    pypdf (7.1.1) has no public call that adds an object as it is (``PdfWriter.
    _add_object`` is private). Its public ``PdfObject.clone(writer)`` adds the copy of an
    object whose ``indirect_reference`` is None as a new object (pypdf's own tests hold
    it: py-pdf/pypdf pull request 1371, "Add Cloning"), copying direct values and keeping
    references to the writer's objects as they are.
    """
    obj.indirect_reference = None
    reference = obj.clone(writer).indirect_reference
    assert reference is not None      # clone adds what has a (None) indirect reference
    return reference
