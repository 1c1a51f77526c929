"""Parts' destinations, links and bookmarks in, the assembled PDF's navigation out.

- **named destinations** are made unique (``part/anchor``) together with the links
  that use them (:func:`part_destinations`, :func:`rename_links`);
- a link to another part (an ``https://`` address starting with :data:`GOTO_PREFIX`,
  see :func:`goto`) becomes a GoTo to that part's first page, described as
  "<title>, page N" (:func:`resolve_gotos`);
- bookmarks: one per part, or the part's own headings, nested (:func:`write_outline`);
- page labels equal to the printed folios (:func:`write_page_labels`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pypdf
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from ..errors import AssemblyError
from .objects import ISSUE, add_object, name_tree

#: Links to this address + a part's target name jump to that part's first page.
GOTO_PREFIX = "https://printjournal.invalid/goto/"

#: A part's bookmarks: (depth, title, page index in the part, top or None).
OutlineItem = tuple[int, str, int, float | None]


def goto(target: str) -> str:
    """The href of a link to the first page of the part called ``target``."""
    return GOTO_PREFIX + target


# ---------- reading a part ----------

def rename_links(annotations: Iterable[Any], prefix: str) -> list[DictionaryObject]:
    """Destinations inside a part get the part's ``prefix``; the links to other parts
    (GOTO_PREFIX addresses) are returned, to be resolved when pages are known."""
    gotos = []
    for annotation in annotations:
        annotation = annotation.get_object()
        if isinstance(annotation.get("/Dest"), str):
            annotation[NameObject("/Dest")] = TextStringObject(
                f"{prefix}/{annotation['/Dest']}")
        action = annotation.get("/A")
        if action is None:
            continue
        action = action.get_object()
        if action.get("/S") == "/GoTo" and isinstance(action.get("/D"), str):
            action[NameObject("/D")] = TextStringObject(f"{prefix}/{action['/D']}")
        elif action.get("/S") == "/URI" and str(action.get("/URI", "")).startswith(GOTO_PREFIX):
            gotos.append(annotation)
    return gotos


def part_destinations(catalog: DictionaryObject, pages: dict[int, IndirectObject],
                      prefix: str) -> list[tuple[str, ArrayObject]]:
    """A part's named destinations, renamed ``prefix/name``, on the copied ``pages``."""
    found: list[tuple[str, Any]] = []
    names = catalog.get("/Names")
    if names is not None and "/Dests" in names.get_object():
        found += name_tree(names.get_object()["/Dests"])
    old = catalog.get("/Dests")
    if old is not None:
        found += [(str(k), v) for k, v in old.get_object().items()]
    return [(f"{prefix}/{name}", _mapped_dest(dest, pages)) for name, dest in found]


def _mapped_dest(dest: Any, pages: dict[int, IndirectObject]) -> ArrayObject:
    dest = dest.get_object()
    if isinstance(dest, DictionaryObject):
        dest = dest["/D"].get_object()
    page = dest[0]
    if not isinstance(page, IndirectObject) or page.idnum not in pages:
        raise AssemblyError.at(ISSUE, 0, "a destination points outside its part")
    return ArrayObject([pages[page.idnum], *dest[1:]])


def part_outline(reader: pypdf.PdfReader) -> list[OutlineItem]:
    """A part's bookmarks as (depth, title, page index, top)."""
    result: list[OutlineItem] = []

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


# ---------- writing the whole ----------

def page_top(page: Any) -> ArrayObject:
    """A destination at the top of ``page``."""
    return ArrayObject([page.indirect_reference, NameObject("/XYZ"), NullObject(),
                        FloatObject(float(page.mediabox.top)), NullObject()])


def write_destinations(writer: pypdf.PdfWriter,
                       entries: Iterable[tuple[str, ArrayObject]]) -> None:
    """The catalog's Dests name tree, sorted by name; a name used twice is an error."""
    names = ArrayObject()
    seen: set[str] = set()
    for dest_name, dest in sorted(entries, key=lambda item: item[0].encode("utf-8")):
        if dest_name in seen:
            raise AssemblyError.at(ISSUE, 0, f"destination '{dest_name}' is used twice")
        seen.add(dest_name)
        names += [TextStringObject(dest_name), add_object(writer, dest)]
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"):
        add_object(writer, DictionaryObject({NameObject("/Names"): names}))})


def resolve_gotos(part: str, links: Iterable[DictionaryObject], targets: dict[str, int],
                  titles: dict[str | None, str], page_word: str) -> None:
    """The part's links to other parts become GoTo actions, "<title>, page N"."""
    for annotation in links:
        target = str(annotation["/A"].get_object()["/URI"]).removeprefix(GOTO_PREFIX)
        if target not in targets:
            raise AssemblyError.at(ISSUE, 0, f"part '{part}' links to '{target}', "
                                   "which is not in the issue")
        annotation[NameObject("/A")] = DictionaryObject({
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/GoTo"),
            NameObject("/D"): TextStringObject(target)})
        annotation[NameObject("/Contents")] = TextStringObject(
            f"{titles[target]}, {page_word} {targets[target]}")


def write_outline(writer: pypdf.PdfWriter, start: int, bookmark: str | None,
                  items: Sequence[OutlineItem]) -> None:
    """A part's bookmarks, its first page at folio ``start``: one titled ``bookmark``,
    or (None) the part's own ``items``, nested by depth."""
    if bookmark:
        writer.add_outline_item(title=bookmark, page_number=start - 1,
                                fit=pypdf.generic.Fit.xyz(None, None, None))
        return
    parents: list[Any] = []
    for depth, title, page, top in items:
        del parents[depth:]
        parent = parents[-1] if parents else None
        item = writer.add_outline_item(
            title=title, page_number=start - 1 + page, parent=parent,
            fit=pypdf.generic.Fit.xyz(None, top, None))
        parents.append(item)


def write_page_labels(writer: pypdf.PdfWriter) -> None:
    """Page labels equal to the printed folios: decimal, from 1."""
    writer.root_object[NameObject("/PageLabels")] = DictionaryObject(
        {NameObject("/Nums"): ArrayObject(
            [NumberObject(0), DictionaryObject({NameObject("/S"): NameObject("/D")})])})
