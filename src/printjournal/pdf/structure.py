"""Parts' structure trees in, one structure tree for the assembled PDF out.

Each part of an issue is a tagged PDF of its own. :class:`StructureTree` copies each
part's elements into the assembly's writer as the part is added, and writes the whole
when the order of the parts is known:

- **one tree**: one StructTreeRoot, a ``Document`` element, and under it a ``Part``
  element per part (``/T`` its title, ``/Lang`` its language when it differs from the
  issue's) holding the part's own elements, their ``/P``, ``/Pg``, MCR and OBJR
  references pointing at the copied pages and annotations;
- **one ParentTree**: page *i* gets ``/StructParents`` *i*, annotations get keys after
  the pages, every entry pointing at the copied elements;
- RoleMap and ClassMap merged (a clash is an error); element IDs made unique per part
  (``part/id``), with the table-header references that use them, and an IDTree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pypdf
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from ..errors import AssemblyError
from .objects import ISSUE, add_object, number_tree

Annotation = tuple[DictionaryObject, IndirectObject | None]   # with its owner element


@dataclass
class _PartElements:
    """A part's elements, copied into the writer, waiting for their place."""

    element: IndirectObject                       # the Part element
    pages: list[Any]                              # the copied pages
    parents: list[ArrayObject] = field(default_factory=list)   # ParentTree entry per page
    annotations: list[Annotation] = field(default_factory=list)
    ids: list[tuple[str, IndirectObject]] = field(default_factory=list)


class StructureTree:
    """The assembly's structure: parts copied in as they come, written in their order."""

    def __init__(self, writer: pypdf.PdfWriter, lang: str, links: bool) -> None:
        self.writer = writer
        self.lang = lang
        self.links = links                        # False: no annotations, no OBJR
        self.parts: dict[str, _PartElements] = {}
        self.role_map: dict[str, str] = {}
        self.class_map = DictionaryObject()

    def merge_maps(self, tree: DictionaryObject, name: str) -> None:
        """The part's RoleMap and ClassMap join the issue's; a clash is an error."""
        role_map = tree.get("/RoleMap")
        for key, value in (role_map.get_object() if role_map is not None else {}).items():
            if self.role_map.setdefault(str(key), str(value)) != str(value):
                raise AssemblyError.at(ISSUE, 0, f"part '{name}' maps structure type "
                                       f"{key} to {value}, another part to "
                                       f"{self.role_map[str(key)]}")
        class_map = tree.get("/ClassMap")
        for key, value in (class_map.get_object() if class_map is not None else {}).items():
            copy = value.clone(self.writer)
            if key in self.class_map and self.class_map[key].get_object() != copy.get_object():
                raise AssemblyError.at(ISSUE, 0, f"part '{name}' defines attribute "
                                       f"class {key} differently from another part")
            self.class_map[NameObject(key)] = copy

    def copy_part(self, tree: DictionaryObject, name: str, title: str, lang: str,
                  pages: Sequence[tuple[Any, Any]], annotations: dict[int, IndirectObject]
                  ) -> None:
        """Copy the elements of the part ``name`` (its ``tree``) under a new Part element.

        ``pages`` pairs each page of the part with its copy in the writer; ``annotations``
        maps the part's annotation object numbers to their copies.
        """
        page_ids = {page.indirect_reference.idnum: clone.indirect_reference
                    for page, clone in pages}
        elements = _StructCopy(self.writer, page_ids, annotations, name, links=self.links)
        part_element = DictionaryObject({
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Part"),
            NameObject("/T"): TextStringObject(title),
        })
        if lang and lang.lower() != self.lang.lower():
            part_element[NameObject("/Lang")] = TextStringObject(lang)
        copied = _PartElements(add_object(self.writer, part_element),
                               [clone for _, clone in pages], ids=elements.ids)
        part_element = copied.element.get_object()      # the writer's copy
        part_element[NameObject("/K")] = ArrayObject(
            elements.copy(kid, copied.element) for kid in _top_elements(tree))
        parent_tree = number_tree(tree.get("/ParentTree"))
        for page, clone in pages:
            entry = parent_tree.get(int(page.get("/StructParents", -1)))
            entries = entry.get_object() if entry is not None else ArrayObject()
            copied.parents.append(ArrayObject(elements.mapped(ref) for ref in entries))
            for annotation in clone.get("/Annots", []) or []:
                annotation = annotation.get_object()
                key = annotation.get("/StructParent")
                owner = parent_tree.get(int(key)) if key is not None else None
                copied.annotations.append(
                    (annotation, elements.mapped(owner) if owner is not None else None))
        self.parts[name] = copied

    def write(self, order: Sequence[str]) -> None:
        """The tree of the parts in ``order`` into the writer's catalog."""
        writer = self.writer
        root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        root_ref = add_object(writer, root)
        root = root_ref.get_object()                     # the writer's copy
        document = DictionaryObject({
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): root_ref,
            NameObject("/K"): ArrayObject(),
        })
        document_ref = add_object(writer, document)
        document = document_ref.get_object()
        nums = ArrayObject()
        annotations: list[Annotation] = []
        key = 0
        ids: list[tuple[str, IndirectObject]] = []
        for name in order:
            copied = self.parts[name]
            copied.element.get_object()[NameObject("/P")] = document_ref
            document["/K"].append(copied.element)
            for page, entry in zip(copied.pages, copied.parents, strict=True):
                page[NameObject("/StructParents")] = NumberObject(key)
                nums += [NumberObject(key), add_object(writer, entry)]
                key += 1
            annotations += copied.annotations
            ids += copied.ids
        for annotation, owner in annotations:
            if owner is None:
                annotation.pop("/StructParent", None)
                continue
            annotation[NameObject("/StructParent")] = NumberObject(key)
            nums += [NumberObject(key), owner]
            key += 1
        root[NameObject("/K")] = document_ref
        root[NameObject("/ParentTree")] = add_object(
            writer, DictionaryObject({NameObject("/Nums"): nums}))
        root[NameObject("/ParentTreeNextKey")] = NumberObject(key)
        if self.role_map:
            root[NameObject("/RoleMap")] = DictionaryObject(
                {NameObject(k): NameObject(v) for k, v in self.role_map.items()})
        if self.class_map:
            root[NameObject("/ClassMap")] = self.class_map
        if ids:
            names = ArrayObject()
            for element_id, ref in sorted(ids, key=lambda item: item[0].encode("utf-8")):
                names += [TextStringObject(element_id), ref]
            root[NameObject("/IDTree")] = DictionaryObject({NameObject("/Names"): names})
        writer.root_object[NameObject("/StructTreeRoot")] = root_ref


class _StructCopy:
    """Copies one part's structure elements, remapping what they point at."""

    def __init__(self, writer: pypdf.PdfWriter, pages: dict[int, IndirectObject],
                 annotations: dict[int, IndirectObject], prefix: str,
                 links: bool = True) -> None:
        self.writer = writer
        self.links = links
        self.pages = pages
        self.annotations = annotations
        self.prefix = prefix
        self.ids: list[tuple[str, IndirectObject]] = []
        self.elements: dict[int, IndirectObject] = {}

    def mapped(self, reference: Any) -> PdfObject:
        """The copy of the element at ``reference`` (null for one not in the tree)."""
        if isinstance(reference, IndirectObject) and reference.idnum in self.elements:
            return self.elements[reference.idnum]
        return NullObject()

    def copy(self, reference: Any, parent: IndirectObject) -> IndirectObject:
        source = reference.get_object()
        ref = add_object(self.writer, DictionaryObject())
        element = ref.get_object()                       # the writer's copy, to fill
        self.elements[reference.idnum] = ref
        for key, value in source.items():
            if key == "/P":
                element[NameObject(key)] = parent
            elif key == "/K":
                element[NameObject(key)] = self._kids(value, ref)
            elif key == "/Pg":
                element[NameObject(key)] = self._page(value)
            elif key == "/ID":
                element[NameObject(key)] = TextStringObject(f"{self.prefix}/{value}")
                self.ids.append((f"{self.prefix}/{value}", ref))
            elif key == "/A":
                element[NameObject(key)] = self._attributes(value)
            else:
                element[NameObject(key)] = value.clone(self.writer)
        return ref

    def _page(self, reference: Any) -> IndirectObject:
        if not isinstance(reference, IndirectObject) or reference.idnum not in self.pages:
            raise AssemblyError.at(ISSUE, 0, f"part '{self.prefix}': a structure element "
                                   "claims a page that is not in the part")
        return self.pages[reference.idnum]

    def _kids(self, value: Any, parent: IndirectObject) -> PdfObject:
        kids = [self._kid(kid, parent) for kid in
                (value if isinstance(value, ArrayObject) else [value])]
        return ArrayObject(kid for kid in kids if kid is not None)

    def _kid(self, kid: Any, parent: IndirectObject) -> PdfObject | None:
        if isinstance(kid, NumberObject | int):
            return NumberObject(kid)
        obj = kid.get_object()
        kind = obj.get("/Type")
        if kind == "/MCR":
            mcr = DictionaryObject({NameObject("/Type"): NameObject("/MCR"),
                                    NameObject("/MCID"): NumberObject(obj["/MCID"])})
            if "/Pg" in obj:
                mcr[NameObject("/Pg")] = self._page(obj["/Pg"])
            if "/Stm" in obj:
                mcr[NameObject("/Stm")] = obj.raw_get("/Stm").clone(self.writer)
            return mcr
        if kind == "/OBJR":
            if not self.links:
                return None   # its annotation is not copied
            target = obj.raw_get("/Obj")
            if target.idnum not in self.annotations:
                raise AssemblyError.at(ISSUE, 0, f"part '{self.prefix}': a structure "
                                       "element owns an annotation not on its pages")
            objr = DictionaryObject({NameObject("/Type"): NameObject("/OBJR"),
                                     NameObject("/Obj"): self.annotations[target.idnum]})
            if "/Pg" in obj:
                objr[NameObject("/Pg")] = self._page(obj.raw_get("/Pg"))
            return objr
        return self.copy(kid, parent)

    def _attributes(self, value: Any) -> PdfObject:
        """Attribute dictionaries, with table cells' /Headers IDs renamed with theirs."""
        if isinstance(value.get_object(), ArrayObject):
            return ArrayObject(self._attributes(v) for v in value.get_object())
        if isinstance(value.get_object(), NumberObject):
            return value.clone(self.writer)
        attributes = value.get_object().clone(self.writer, force_duplicate=True)
        headers = attributes.get("/Headers")
        if isinstance(headers, ArrayObject):
            attributes[NameObject("/Headers")] = ArrayObject(
                TextStringObject(f"{self.prefix}/{h}") for h in headers)
        return attributes


def _top_elements(tree: DictionaryObject) -> list[Any]:
    """The elements under a part's root: the children of its Document element."""
    kids = tree.get("/K")
    kids = list(kids) if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
    if len(kids) == 1 and kids[0].get_object().get("/S") == "/Document":
        inner = kids[0].get_object().get("/K")
        return list(inner) if isinstance(inner, ArrayObject) else [inner] if inner else []
    return kids
