"""Part PDFs in, one PDF with one structure tree out: the assembly's conductor.

Each part of an issue (cover, editor's letter, contents, every article, ...) is a
tagged PDF of its own, made by WeasyPrint. Copying their pages with pypdf is the easy
half; what makes a tagged PDF usable is the other half, which no library does for
tagged PDFs today. :class:`Assembler` takes parts in any order, copies each into one
pypdf writer as it comes, and writes the whole once their order is known, through the
package's modules:

- structure.py: one structure tree and one ParentTree (RoleMap, ClassMap, IDs merged);
- anchors.py: named destinations made unique, links to other parts made GoTo actions,
  bookmarks, page labels equal to the printed folios;
- folios.py: page numbers stamped into the parts' slots;
- metadata.py: document info, XMP (dc:title, pdfuaid), Lang, MarkInfo, DisplayDocTitle;
  for print, each page's BleedBox around its TrimBox;
- fonts.py: each font's subsets (one per part) merged into one, once the whole is written.

Objects are numbered in the order parts are added and written: the same parts added
in the same order give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pypdf
from pypdf.generic import DictionaryObject, IndirectObject

from ..errors import AssemblyError as AssemblyError  # raised here, and by the modules below
from . import anchors, folios, fonts
from .anchors import GOTO_PREFIX as GOTO_PREFIX
from .anchors import goto as goto
from .metadata import Metadata as Metadata
from .metadata import bleed_boxes, write_metadata
from .objects import ISSUE
from .structure import StructureTree

PDF_HEADER = "%PDF-1.7"   # the version WeasyPrint writes the parts in


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
class Read:
    """A part whose PDF is parsed (the slower half of adding it), not yet copied."""

    part: Part
    reader: pypdf.PdfReader


def read(part: Part) -> Read:
    """Parse ``part``'s PDF now; :meth:`Assembler.add` copies it later, in its turn."""
    reader = pypdf.PdfReader(io.BytesIO(part.data))
    _ = len(reader.pages), reader.trailer["/Root"].get("/StructTreeRoot")
    return Read(part, reader)


@dataclass
class _Copied:
    """A part's pages and anchors, copied into the writer, waiting for their place."""

    part: Part
    pages: list[Any]
    goto_links: list[DictionaryObject] = field(default_factory=list)
    dests: list[tuple[str, Any]] = field(default_factory=list)
    outline: list[anchors.OutlineItem] = field(default_factory=list)
    slots: list[folios.Slot] = field(default_factory=list)


class Assembler:
    """Collects parts (in any order, as they are rendered) and writes the whole."""

    def __init__(self, metadata: Metadata, dates: dict[str, str] | None = None) -> None:
        self.metadata = metadata
        self.dates = dates or {}   # by language: what a leaflet's date slots print
        self.writer = pypdf.PdfWriter()
        self.writer.pdf_header = PDF_HEADER   # pypdf starts at 1.3; PDF/UA-1 needs 1.7
        self.copied: dict[str, _Copied] = {}
        self.structure = StructureTree(self.writer, metadata.lang, metadata.links)

    def add(self, part: Part | Read) -> None:
        """Copy ``part``'s pages, annotations and structure into the writer.

        Objects are numbered in the order parts are added: add them in an order that
        does not depend on timing, and the issue's bytes do not either.
        """
        reader = part.reader if isinstance(part, Read) else read(part).reader
        part = part.part if isinstance(part, Read) else part
        if part.name in self.copied:
            raise AssemblyError.at(ISSUE, 0, f"part '{part.name}' added twice")
        catalog = reader.trailer["/Root"]
        if "/StructTreeRoot" not in catalog:
            raise AssemblyError.at(ISSUE, 0, f"part '{part.name}' is not tagged")
        tree = catalog["/StructTreeRoot"].get_object()
        self.structure.merge_maps(tree, part.name)
        links = self.metadata.links
        dropped = ("/Parent", "/StructParents") if links \
            else ("/Parent", "/StructParents", "/Annots")
        pages = [(page, page.clone(self.writer, False, dropped)) for page in reader.pages]
        annotations: dict[int, IndirectObject] = {}
        for page, clone in pages if links else ():
            for source, target in zip(page.get("/Annots", []) or [],
                                      clone.get("/Annots", []) or [], strict=True):
                annotations[source.idnum] = target
        self.structure.copy_part(tree, part.name, part.title, part.lang, pages, annotations)
        copied = _Copied(part, [clone for _, clone in pages])
        copied.goto_links = anchors.rename_links(
            (a for _, clone in pages for a in clone.get("/Annots", []) or []), part.name)
        page_ids = {page.indirect_reference.idnum: clone.indirect_reference
                    for page, clone in pages}
        copied.dests = anchors.part_destinations(catalog, page_ids, part.name)
        if part.bookmark is None:
            copied.outline = anchors.part_outline(reader)
        copied.slots = folios.slots_of(catalog)
        self.copied[part.name] = copied
        # pypdf keeps every reader cloned from (and all it parsed) alive for the
        # writer's lifetime; nothing more is cloned from this one, so let it go
        self.writer.reset_translation(reader)

    # ---------- where the parts land ----------

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
        return [(slot.style, text) for _, _, slot, text in self._slot_texts(order)]

    def _slot_texts(self, order: Sequence[str]
                    ) -> Iterable[tuple[str, list[Any], folios.Slot, str]]:
        """(part, its pages, slot, number) for every slot of the parts in ``order``."""
        starts, targets = self.starts(order), self.targets(order)
        total = sum(self.pages(name) for name in order)
        for name in order:
            copied = self.copied[name]
            for slot in copied.slots:
                if slot.kind == "folio":
                    text = slot.printed(starts[name] + slot.page, total)
                elif slot.kind == "date":
                    text = slot.dated(self.dates)
                elif slot.target in targets:
                    text = str(targets[slot.target])
                    if len(text) != len(slot.text):
                        raise AssemblyError.at(ISSUE, 0, f"part '{name}': the page number of "
                                               f"'{slot.target}' ({text}) does not fit its "
                                               f"placeholder {slot.text!r}")
                else:
                    raise AssemblyError.at(ISSUE, 0, f"part '{name}' refers to "
                                           f"'{slot.target}', which is not in the issue")
                yield name, copied.pages, slot, text

    # ---------- the whole ----------

    def write(self, order: Sequence[str], stamps: folios.Stamps | None) -> bytes:
        """The assembled PDF of the parts in ``order``."""
        missing = [n for n in order if n not in self.copied]
        if missing or len(set(order)) != len(order):
            raise AssemblyError.at(ISSUE, 0, f"cannot place parts {order!r}")
        writer, meta = self.writer, self.metadata
        starts, targets = self.starts(order), self.targets(order)
        titles = {self.copied[n].part.target: self.copied[n].part.title for n in order}
        for name in order:
            for page in self.copied[name].pages:
                writer.add_page(page)
        for name in order:
            anchors.resolve_gotos(name, self.copied[name].goto_links, targets, titles,
                                  meta.page_word)
        folios.put_numbers(writer, self._slot_texts(order), stamps)
        self.structure.write(order)
        entries: list[tuple[str, Any]] = []
        for name in order:
            copied = self.copied[name]
            entries += copied.dests
            if copied.part.target:
                entries.append((copied.part.target, anchors.page_top(copied.pages[0])))
        anchors.write_destinations(writer, entries)
        for name in order:
            anchors.write_outline(writer, starts[name], self.copied[name].part.bookmark,
                                  self.copied[name].outline)
        anchors.write_page_labels(writer)
        write_metadata(writer, meta)
        if meta.bleed_mm:
            bleed_boxes(writer.pages, meta.bleed_mm)
        out = io.BytesIO()
        writer.write(out)
        return fonts.merged(out.getvalue())   # each font once, not once per part
