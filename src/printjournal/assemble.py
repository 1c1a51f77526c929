"""Part PDFs in, one PDF with one structure tree out.

Each part of an issue (cover, editor's letter, contents, every article, ...)
is a tagged PDF of its own, made by WeasyPrint. Copying their pages with pypdf
is the easy half; what makes a tagged PDF usable is the other half, which no
library does for tagged PDFs today, so it is done here, on pypdf's objects:

- **one structure tree**: one StructTreeRoot, a ``Document`` element, and under
  it a ``Part`` element per part (``/T`` its title, ``/Lang`` its language when
  it differs from the issue's) holding the part's own elements, their ``/P``,
  ``/Pg``, MCR and OBJR references pointing at the copied pages and annotations;
- **one ParentTree**: page *i* gets ``/StructParents`` *i*, annotations get
  keys after the pages, every entry pointing at the copied elements;
- RoleMap and ClassMap merged (a clash is an error); element IDs made unique
  per part, with the table-header references that use them, and an IDTree;
- **named destinations** made unique (``part/anchor``) together with the links
  that use them; a link to another part of the issue (an ``https://`` address
  starting with :data:`GOTO_PREFIX`, see :func:`goto`) becomes a GoTo to that
  part's first page;
- **page numbers** stamped into the parts' slots (see slots.py);
- bookmarks (one per part, or the part's own headings, nested), page labels
  equal to the printed folios, MarkInfo, Lang, DisplayDocTitle, document info
  and XMP metadata (dc:title, pdfuaid) for the whole;
- for print, each page's BleedBox set around its TrimBox.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdf
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from . import __version__, slots
from .errors import RenderError

#: Links to this address + a part's target name jump to that part's first page.
GOTO_PREFIX = "https://printjournal.invalid/goto/"
MM = 72 / 25.4
_ISSUE = Path("issue")


def goto(target: str) -> str:
    """The href of a link to the first page of the part called ``target``."""
    return GOTO_PREFIX + target


@dataclass(frozen=True)
class Part:
    """One part placed in the issue (a part placed twice is two Parts)."""

    name: str                  # unique in the issue; prefixes the part's destinations
    data: bytes                # the part's PDF
    title: str                 # its Part element's /T, link descriptions
    lang: str
    bookmark: str | None = None  # one bookmark with this title, or None: the part's own
    target: str | None = None  # the name links and page references use for it


@dataclass(frozen=True)
class Metadata:
    """What the assembled PDF says about itself."""

    title: str
    author: str
    subject: str
    lang: str
    date: dt.date
    keywords: str = ""
    page_word: str = "page"    # link descriptions: "<title>, page 14"
    pdfua: bool = True         # claim PDF/UA-1 in the XMP metadata
    bleed_mm: float | None = None  # print: BleedBox this far around the TrimBox
    links: bool = True         # False (print): no link annotations, and no OBJR for them


@dataclass
class _Copied:
    """A part's objects, copied into the writer, waiting for their place."""

    part: Part
    pages: list[Any] = field(default_factory=list)
    parents: list[ArrayObject] = field(default_factory=list)   # ParentTree entry per page
    annotations: list[tuple[DictionaryObject, IndirectObject | None]] = \
        field(default_factory=list)
    goto_links: list[DictionaryObject] = field(default_factory=list)
    element: IndirectObject | None = None                      # the Part element
    dests: list[tuple[str, ArrayObject]] = field(default_factory=list)
    outline: list[tuple[int, str, int, float | None]] = field(default_factory=list)
    slots: list[slots.Slot] = field(default_factory=list)
    ids: list[tuple[str, IndirectObject]] = field(default_factory=list)


class AssemblyError(RenderError):
    """The parts cannot be put together (a clash, a missing target, ...)."""


@dataclass(frozen=True)
class Read:
    """A part whose PDF is parsed (the slower half of adding it), not yet copied."""

    part: Part
    reader: pypdf.PdfReader


def read(part: Part) -> Read:
    """Parse ``part``'s PDF now; :meth:`Assembler.add` copies it later, in its turn."""
    reader = pypdf.PdfReader(io.BytesIO(part.data))
    _ = len(reader.pages), reader.trailer["/Root"].get("/StructTreeRoot")
    return Read(part, reader)


class Assembler:
    """Collects parts (in any order, as they are rendered) and writes the whole."""

    def __init__(self, metadata: Metadata) -> None:
        self.metadata = metadata
        self.writer = pypdf.PdfWriter()
        self.copied: dict[str, _Copied] = {}
        self.role_map: dict[str, str] = {}
        self.class_map = DictionaryObject()

    # ---------- reading a part ----------

    def add(self, part: Part | Read) -> None:
        """Copy ``part``'s pages, annotations and structure into the writer.

        Objects are numbered in the order parts are added: add them in an order that
        does not depend on timing, and the issue's bytes do not either.
        """
        reader = part.reader if isinstance(part, Read) else read(part).reader
        part = part.part if isinstance(part, Read) else part
        if part.name in self.copied:
            raise AssemblyError.at(_ISSUE, 0, f"part '{part.name}' added twice")
        copied = _Copied(part)
        catalog = reader.trailer["/Root"]
        if "/StructTreeRoot" not in catalog:
            raise AssemblyError.at(_ISSUE, 0, f"part '{part.name}' is not tagged")
        tree = catalog["/StructTreeRoot"].get_object()
        self._merge_maps(tree, part)
        page_ids: dict[int, IndirectObject] = {}
        annot_ids: dict[int, IndirectObject] = {}
        dropped = ("/Parent", "/StructParents") if self.metadata.links \
            else ("/Parent", "/StructParents", "/Annots")
        for page in reader.pages:
            clone = page.clone(self.writer, False, dropped)
            copied.pages.append(clone)
            page_ids[page.indirect_reference.idnum] = clone.indirect_reference
            if self.metadata.links:
                for source, target in zip(page.get("/Annots", []) or [],
                                          clone.get("/Annots", []) or [], strict=True):
                    annot_ids[source.idnum] = target
        elements = _StructCopy(self.writer, page_ids, annot_ids, part.name, copied.ids,
                               links=self.metadata.links)
        part_element = DictionaryObject({
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Part"),
            NameObject("/T"): TextStringObject(part.title),
        })
        if part.lang and part.lang.lower() != self.metadata.lang.lower():
            part_element[NameObject("/Lang")] = TextStringObject(part.lang)
        copied.element = self.writer._add_object(part_element)
        part_element[NameObject("/K")] = ArrayObject(
            elements.copy(kid, copied.element) for kid in _top_elements(tree))
        parent_tree = _number_tree(tree.get("/ParentTree"))
        for page, clone in zip(reader.pages, copied.pages, strict=True):
            entry = parent_tree.get(int(page.get("/StructParents", -1)))
            entries = entry.get_object() if entry is not None else ArrayObject()
            copied.parents.append(ArrayObject(
                elements.mapped(ref) for ref in entries))
            for annotation in clone.get("/Annots", []) or []:
                annotation = annotation.get_object()
                key = annotation.get("/StructParent")
                owner = parent_tree.get(int(key)) if key is not None else None
                copied.annotations.append(
                    (annotation, elements.mapped(owner) if owner is not None else None))
                self._rename_link(annotation, part.name, copied)
        copied.dests = [(f"{part.name}/{name}", _mapped_dest(dest, page_ids))
                        for name, dest in _dest_entries(catalog)]
        if part.bookmark is None:
            copied.outline = _outline(reader)
        copied.slots = slots.slots_of(catalog)
        self.copied[part.name] = copied
        # pypdf keeps every reader cloned from (and all it parsed) alive for the
        # writer's lifetime; nothing more is cloned from this one, so let it go
        self.writer.reset_translation(reader)

    def _merge_maps(self, tree: DictionaryObject, part: Part) -> None:
        """The part's RoleMap and ClassMap join the issue's; a clash is an error."""
        role_map = tree.get("/RoleMap")
        for key, value in (role_map.get_object() if role_map is not None else {}).items():
            if self.role_map.setdefault(str(key), str(value)) != str(value):
                raise AssemblyError.at(_ISSUE, 0, f"part '{part.name}' maps structure type "
                                       f"{key} to {value}, another part to "
                                       f"{self.role_map[str(key)]}")
        class_map = tree.get("/ClassMap")
        for key, value in (class_map.get_object() if class_map is not None else {}).items():
            copy = value.clone(self.writer)
            if key in self.class_map and self.class_map[key].get_object() != copy.get_object():
                raise AssemblyError.at(_ISSUE, 0, f"part '{part.name}' defines attribute "
                                       f"class {key} differently from another part")
            self.class_map[NameObject(key)] = copy

    @staticmethod
    def _rename_link(annotation: DictionaryObject, prefix: str, copied: _Copied) -> None:
        """Destinations inside a part get the part's prefix; GOTO links are noted."""
        if isinstance(annotation.get("/Dest"), str):
            annotation[NameObject("/Dest")] = TextStringObject(
                f"{prefix}/{annotation['/Dest']}")
        action = annotation.get("/A")
        if action is None:
            return
        action = action.get_object()
        if action.get("/S") == "/GoTo" and isinstance(action.get("/D"), str):
            action[NameObject("/D")] = TextStringObject(f"{prefix}/{action['/D']}")
        elif action.get("/S") == "/URI" and str(action.get("/URI", "")).startswith(GOTO_PREFIX):
            copied.goto_links.append(annotation)

    # ---------- the whole ----------

    def pages(self, name: str) -> int:
        return len(self.copied[name].pages)

    def starts(self, order: Sequence[str]) -> dict[str, int]:
        """The folio (1-based page number) each part in ``order`` starts on."""
        folio, starts = 1, {}
        for name in order:
            starts[name] = folio
            folio += self.pages(name)
        return starts

    def targets(self, order: Sequence[str]) -> dict[str, int]:
        """Start folios by target name (what links and page references point at)."""
        starts = self.starts(order)
        return {self.copied[n].part.target: starts[n] for n in order  # type: ignore[misc]
                if self.copied[n].part.target}

    def numbers(self, order: Sequence[str]) -> list[tuple[str, str]]:
        """Every (font style, number) the slots of the parts in ``order`` will show."""
        return [(slot.style, text) for _, slot, text in self._slot_texts(order)]

    def _slot_texts(self, order: Sequence[str]
                    ) -> Iterable[tuple[_Copied, slots.Slot, str]]:
        starts, targets = self.starts(order), self.targets(order)
        for name in order:
            copied = self.copied[name]
            for slot in copied.slots:
                if slot.kind == "folio":
                    text = str(starts[name] + slot.page)
                elif slot.target in targets:
                    text = str(targets[slot.target])
                    if len(text) != len(slot.text):
                        raise AssemblyError.at(_ISSUE, 0, f"part '{name}': the page number of "
                                               f"'{slot.target}' ({text}) does not fit its "
                                               f"placeholder {slot.text!r}")
                else:
                    raise AssemblyError.at(_ISSUE, 0, f"part '{name}' refers to "
                                           f"'{slot.target}', which is not in the issue")
                yield copied, slot, text

    def write(self, order: Sequence[str], stamps: slots.Stamps | None) -> bytes:
        """The assembled PDF of the parts in ``order``."""
        missing = [n for n in order if n not in self.copied]
        if missing or len(set(order)) != len(order):
            raise AssemblyError.at(_ISSUE, 0, f"cannot place parts {order!r}")
        writer = self.writer
        starts, targets = self.starts(order), self.targets(order)
        titles = {self.copied[n].part.target: self.copied[n].part.title for n in order}
        for name in order:
            for page in self.copied[name].pages:
                writer.add_page(page)
        self._links(order, targets, titles)
        self._stamp(order, stamps)
        self._structure(order)
        self._destinations(order, starts)
        self._outline(order, starts)
        catalog = writer._root_object
        catalog[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): ArrayObject(
            [NumberObject(0), DictionaryObject({NameObject("/S"): NameObject("/D")})])})
        self._metadata()
        if self.metadata.bleed_mm:
            _bleed_boxes(writer.pages, self.metadata.bleed_mm * MM)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def _stamp(self, order: Sequence[str], stamps: slots.Stamps | None) -> None:
        texts: dict[tuple[str, int], dict[int, tuple[bytes, float]]] = {}
        fonts: dict[str, IndirectObject] = {}
        font_source = None
        for copied, slot, text in self._slot_texts(order):
            if stamps is None:
                raise AssemblyError.at(_ISSUE, 0, "page numbers are needed but were not drawn")
            stamp = stamps.stamps[(slot.style, text)]
            operators = stamp.operators
            for font in stamp.fonts:
                operators = operators.replace(f"/{font} ".encode(), f"/Pj{font} ".encode())
                if font not in fonts:
                    if font_source is None:
                        font_source = pypdf.PdfReader(io.BytesIO(stamps.pdf)).pages[0]
                    source = font_source["/Resources"]["/Font"].raw_get(f"/{font}")
                    clone = source.clone(self.writer)
                    fonts[font] = clone if isinstance(clone, IndirectObject) \
                        else self.writer._add_object(clone)
            texts.setdefault((copied.part.name, slot.page), {})[slot.number] = \
                (operators, slot.position(stamp.width))
        for (name, index), page_texts in texts.items():
            page = self.copied[name].pages[index]
            contents = page["/Contents"].get_object()
            contents.set_data(slots.stamp(contents.get_data(), page_texts))
            resources = page["/Resources"].get_object()
            if "/Font" not in resources:
                resources[NameObject("/Font")] = DictionaryObject()
            font_dict = resources["/Font"].get_object()
            for font, ref in fonts.items():
                font_dict[NameObject(f"/Pj{font}")] = ref

    def _structure(self, order: Sequence[str]) -> None:
        writer = self.writer
        root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        root_ref = writer._add_object(root)
        document = DictionaryObject({
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): root_ref,
            NameObject("/K"): ArrayObject(),
        })
        document_ref = writer._add_object(document)
        nums = ArrayObject()
        annotations: list[tuple[DictionaryObject, IndirectObject | None]] = []
        key = 0
        ids: list[tuple[str, IndirectObject]] = []
        for name in order:
            copied = self.copied[name]
            assert copied.element is not None
            copied.element.get_object()[NameObject("/P")] = document_ref
            document["/K"].append(copied.element)
            for page, entry in zip(copied.pages, copied.parents, strict=True):
                page[NameObject("/StructParents")] = NumberObject(key)
                nums += [NumberObject(key), writer._add_object(entry)]
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
        root[NameObject("/ParentTree")] = writer._add_object(
            DictionaryObject({NameObject("/Nums"): nums}))
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
        writer._root_object[NameObject("/StructTreeRoot")] = root_ref

    def _destinations(self, order: Sequence[str], starts: dict[str, int]) -> None:
        entries: list[tuple[str, ArrayObject]] = []
        for name in order:
            copied = self.copied[name]
            entries += copied.dests
            if copied.part.target:
                first = copied.pages[0]
                top = float(first.mediabox.top)
                entries.append((copied.part.target, ArrayObject([
                    first.indirect_reference, NameObject("/XYZ"), NullObject(),
                    FloatObject(top), NullObject()])))
        names = ArrayObject()
        seen: set[str] = set()
        for dest_name, dest in sorted(entries, key=lambda item: item[0].encode("utf-8")):
            if dest_name in seen:
                raise AssemblyError.at(_ISSUE, 0, f"destination '{dest_name}' is used twice")
            seen.add(dest_name)
            names += [TextStringObject(dest_name), self.writer._add_object(dest)]
        catalog = self.writer._root_object
        catalog[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"):
            self.writer._add_object(DictionaryObject({NameObject("/Names"): names}))})

    def _links(self, order: Sequence[str], targets: dict[str, int],
               titles: dict[str | None, str]) -> None:
        for name in order:
            for annotation in self.copied[name].goto_links:
                target = str(annotation["/A"].get_object()["/URI"]).removeprefix(GOTO_PREFIX)
                if target not in targets:
                    raise AssemblyError.at(_ISSUE, 0, f"part '{name}' links to '{target}', "
                                           "which is not in the issue")
                annotation[NameObject("/A")] = DictionaryObject({
                    NameObject("/Type"): NameObject("/Action"),
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): TextStringObject(target)})
                annotation[NameObject("/Contents")] = TextStringObject(
                    f"{titles[target]}, {self.metadata.page_word} {targets[target]}")

    def _outline(self, order: Sequence[str], starts: dict[str, int]) -> None:
        writer = self.writer
        for name in order:
            copied = self.copied[name]
            if copied.part.bookmark:
                writer.add_outline_item(title=copied.part.bookmark,
                                        page_number=starts[name] - 1,
                                        fit=pypdf.generic.Fit.xyz(None, None, None))
                continue
            parents: list[Any] = []
            for depth, title, page, top in copied.outline:
                del parents[depth:]
                parent = parents[-1] if parents else None
                item = writer.add_outline_item(
                    title=title, page_number=starts[name] - 1 + page, parent=parent,
                    fit=pypdf.generic.Fit.xyz(None, top, None))
                parents.append(item)

    def _metadata(self) -> None:
        meta, writer = self.metadata, self.writer
        stamp = meta.date.strftime("D:%Y%m%d000000Z")
        producer = f"printjournal {__version__} (WeasyPrint, pypdf {pypdf.__version__})"
        writer.add_metadata({
            "/Title": meta.title, "/Author": meta.author, "/Subject": meta.subject,
            "/Keywords": meta.keywords, "/Creator": "printjournal", "/Producer": producer,
            "/CreationDate": stamp, "/ModDate": stamp})
        catalog = writer._root_object
        catalog[NameObject("/Lang")] = TextStringObject(meta.lang)
        catalog[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): pypdf.generic.BooleanObject(True)})
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): pypdf.generic.BooleanObject(True)})
        xmp = DecodedStreamObject()
        xmp.set_data(xmp_packet(meta, producer))
        xmp[NameObject("/Type")] = NameObject("/Metadata")
        xmp[NameObject("/Subtype")] = NameObject("/XML")
        catalog[NameObject("/Metadata")] = writer._add_object(xmp)


class _StructCopy:
    """Copies one part's structure elements, remapping what they point at."""

    def __init__(self, writer: pypdf.PdfWriter, pages: dict[int, IndirectObject],
                 annotations: dict[int, IndirectObject], prefix: str,
                 ids: list[tuple[str, IndirectObject]], links: bool = True) -> None:
        self.writer = writer
        self.links = links
        self.pages = pages
        self.annotations = annotations
        self.prefix = prefix
        self.ids = ids
        self.elements: dict[int, IndirectObject] = {}

    def mapped(self, reference: Any) -> PdfObject:
        """The copy of the element at ``reference`` (null for one not in the tree)."""
        if isinstance(reference, IndirectObject) and reference.idnum in self.elements:
            return self.elements[reference.idnum]
        return NullObject()

    def copy(self, reference: Any, parent: IndirectObject) -> IndirectObject:
        source = reference.get_object()
        element = DictionaryObject()
        ref = self.writer._add_object(element)
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
            raise AssemblyError.at(_ISSUE, 0, f"part '{self.prefix}': a structure element "
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
                raise AssemblyError.at(_ISSUE, 0, f"part '{self.prefix}': a structure "
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


def _number_tree(node: Any) -> dict[int, Any]:
    result: dict[int, Any] = {}
    if node is None:
        return result
    node = node.get_object()
    nums = node.get("/Nums") or []
    for i in range(0, len(nums), 2):
        result[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids") or []:
        result.update(_number_tree(kid))
    return result


def _dest_entries(catalog: DictionaryObject) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        names = node.get("/Names") or []
        for i in range(0, len(names), 2):
            found.append((str(names[i]), names[i + 1]))
        for kid in node.get("/Kids") or []:
            walk(kid)

    names = catalog.get("/Names")
    if names is not None and "/Dests" in names.get_object():
        walk(names.get_object()["/Dests"])
    old = catalog.get("/Dests")
    if old is not None:
        found += [(str(k), v) for k, v in old.get_object().items()]
    return found


def _mapped_dest(dest: Any, pages: dict[int, IndirectObject]) -> ArrayObject:
    dest = dest.get_object()
    if isinstance(dest, DictionaryObject):
        dest = dest["/D"].get_object()
    page = dest[0]
    if not isinstance(page, IndirectObject) or page.idnum not in pages:
        raise AssemblyError.at(_ISSUE, 0, "a destination points outside its part")
    return ArrayObject([pages[page.idnum], *dest[1:]])


def _outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int, float | None]]:
    """A part's bookmarks as (depth, title, page index, top)."""
    result: list[tuple[int, str, int, float | None]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                top = item.get("/Top")
                result.append((depth, str(item.title), page,
                               float(top) if top is not None else None))

    walk(reader.outline, 0)
    return result


def _bleed_boxes(pages: Iterable[Any], bleed: float) -> None:
    for page in pages:
        trim = page.trimbox
        media = page.mediabox
        page[NameObject("/BleedBox")] = ArrayObject(FloatObject(round(v, 4)) for v in (
            max(float(media.left), float(trim.left) - bleed),
            max(float(media.bottom), float(trim.bottom) - bleed),
            min(float(media.right), float(trim.right) + bleed),
            min(float(media.top), float(trim.top) + bleed)))


_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def xmp_packet(meta: Metadata, producer: str) -> bytes:
    """XMP metadata: title, creator, description, language, dates, producer, PDF/UA."""
    for prefix, uri in _NS.items():
        ET.register_namespace(prefix, uri)

    def q(prefix: str, name: str) -> str:
        return f"{{{_NS[prefix]}}}{name}"

    xmpmeta = ET.Element(q("x", "xmpmeta"))
    rdf = ET.SubElement(xmpmeta, q("rdf", "RDF"))
    about = {q("rdf", "about"): ""}
    description = ET.SubElement(rdf, q("rdf", "Description"), about)

    def alt(name: str, text: str) -> None:
        box = ET.SubElement(ET.SubElement(description, q("dc", name)), q("rdf", "Alt"))
        li = ET.SubElement(box, q("rdf", "li"))
        li.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
        li.text = text

    def seq(name: str, kind: str, items: Sequence[str]) -> None:
        box = ET.SubElement(ET.SubElement(description, q("dc", name)), q("rdf", kind))
        for item in items:
            ET.SubElement(box, q("rdf", "li")).text = item

    alt("title", meta.title)
    alt("description", meta.subject)
    seq("creator", "Seq", [meta.author])
    seq("language", "Bag", [meta.lang])
    ET.SubElement(description, q("dc", "format")).text = "application/pdf"
    ET.SubElement(description, q("xmp", "CreateDate")).text = meta.date.isoformat()
    ET.SubElement(description, q("xmp", "ModifyDate")).text = meta.date.isoformat()
    ET.SubElement(description, q("xmp", "CreatorTool")).text = "printjournal"
    ET.SubElement(description, q("pdf", "Producer")).text = producer
    if meta.keywords:
        ET.SubElement(description, q("pdf", "Keywords")).text = meta.keywords
    if meta.pdfua:
        ET.SubElement(description, q("pdfuaid", "part")).text = "1"
    body = ET.tostring(xmpmeta, encoding="unicode")
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}\n'
            '<?xpacket end="w"?>').encode()

