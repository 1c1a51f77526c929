"""Subsets of one font program (bytes, glyph ids kept) in, one program with all their
glyphs out (fontTools).

HarfBuzz, as WeasyPrint 70 calls it, subsets with the glyph ids kept
(``HB_SUBSET_FLAGS_RETAIN_GIDS``) and without subroutines (``DESUBROUTINIZE``): a
subset is the whole font's glyph table up to the last glyph used, the glyphs not used
empty, with advance 0. So subsets of one font are merged glyph id by glyph id: the
first subset with the most glyphs is the base, and each glyph empty there is taken,
outline and metrics, from the first subset that has it (a glyph without outline, as a
space, from the first that gives it an advance). TrueType (``glyf``) and CFF
(name-keyed, as Inter; or CID-keyed, as Noto Sans CJK, when the font dictionaries the
subsets share agree, matched by name: a subset keeps only those up to its last glyph)
programs are merged; a glyph id drawn differently by two subsets, or anything else that
shows they are not subsets of one font, raises :class:`ProgramError` and nothing is merged.

A TrueType composite glyph names its components by glyph id, and so do the copied
bytes: with the ids kept, a component is the same glyph in every subset (and is in the
subset whenever the composite is: HarfBuzz closes the glyph set over components).
"""

from __future__ import annotations

import io
from typing import Any

from fontTools.ttLib import TTFont


class ProgramError(ValueError):
    """The programs are not subsets of one font with the glyph ids kept."""


def merged_program(programs: list[bytes]) -> tuple[bytes, list[int]]:
    """One font program with every glyph of those ``programs`` (at least one) that agree
    with the first with the most glyphs, glyph ids kept; and the indexes of the programs
    it holds (the base's among them). A program that draws a glyph id otherwise is left
    out whole: its part keeps its own subset.

    Raises ProgramError for programs that are neither TrueType nor CFF."""
    # HarfBuzz keeps the whole font's head, hhea and maxp values (its bounding box,
    # its largest glyph): right for the merged font too, and what the parts were drawn
    # with (Poppler sizes its glyph bitmaps from the head bounding box): not recomputed
    fonts = [TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False,
                    recalcBBoxes=False) for data in programs]
    counts = [int(font["maxp"].numGlyphs) for font in fonts]
    base_index = max(range(len(fonts)), key=lambda i: (counts[i], -i))
    base = fonts[base_index]
    if "glyf" in base:
        merge = _glyf
    elif "CFF " in base:
        merge = _cff
    else:
        raise ProgramError("neither TrueType nor CFF outlines")
    order = base.getGlyphOrder()
    held = [base_index]
    for index, source in enumerate(fonts):
        if index == base_index:
            continue
        try:
            spaced = _advances_taken(base, source)
            taken = merge(base, source)
        except ProgramError:
            continue
        held.append(index)
        for gid in sorted(set(taken) | set(spaced)):
            for table in ("hmtx", "vmtx"):
                if table in base and table in source:
                    base[table].metrics[order[gid]] = \
                        source[table].metrics[source.getGlyphOrder()[gid]]
    out = io.BytesIO()
    base.save(out)
    return out.getvalue(), sorted(held)


def _advances_taken(base: TTFont, other: TTFont) -> list[int]:
    """The glyph ids whose advance ``base`` lacks and ``other`` has (a glyph with no
    outline, as a space, is used only for its advance: HarfBuzz leaves a glyph not in
    the subset with advance 0); ProgramError if a glyph id advances otherwise in each."""
    mine, theirs = base["hmtx"].metrics, other["hmtx"].metrics
    order, names = base.getGlyphOrder(), other.getGlyphOrder()
    taken = []
    for gid, name in enumerate(names):
        advance = theirs[name][0]
        if not advance:
            continue
        if gid >= len(order):
            raise ProgramError(f"glyph {gid} is past the base's last glyph")
        if not mine[order[gid]][0]:
            taken.append(gid)
        elif mine[order[gid]][0] != advance:
            raise ProgramError(f"glyph {gid} advances otherwise in the subsets")
    return taken


def _glyf(base: TTFont, other: TTFont) -> list[int]:
    """Copy into ``base`` each glyph of ``other`` it lacks, or nothing if a glyph id is
    drawn otherwise (ProgramError); the glyph ids copied.

    Glyphs are matched by id: names are made up from ``cmap`` in a font without
    ``post`` names, and a subset's ``cmap`` has only its own characters. Past the last
    glyph a part uses, HarfBuzz numbers the components of its composite glyphs anew,
    so two subsets can hold other glyphs there: that is a glyph drawn otherwise."""
    table, order = base["glyf"], base.getGlyphOrder()
    source = other["glyf"]
    copies: list[tuple[int, str]] = []
    for gid, name in enumerate(other.getGlyphOrder()):
        data = _glyph_bytes(source, name)
        if not data:
            continue
        if gid >= len(order):
            raise ProgramError(f"glyph {gid} is past the base's last glyph")
        mine = _glyph_bytes(table, order[gid])
        if not mine:
            copies.append((gid, name))
        elif mine != data:
            raise ProgramError(f"glyph {gid} differs between the subsets")
    for gid, name in copies:
        table.glyphs[order[gid]] = source.glyphs[name]   # as read: not expanded
    return [gid for gid, _ in copies]


def _glyph_bytes(table: Any, name: str) -> bytes:
    glyph = table.glyphs.get(name)
    if glyph is None:
        return b""
    if hasattr(glyph, "data"):
        return bytes(glyph.data)
    return glyph.compile(table) if glyph.numberOfContours else b""


def _cff(base: TTFont, other: TTFont) -> list[int]:
    """Copy into ``base`` each charstring of ``other`` it has empty, or nothing if a
    glyph id is drawn otherwise (ProgramError); the glyph ids copied.

    A charstring one byte long is ``endchar`` alone: what HarfBuzz leaves for a glyph
    not in the subset. Sizes are read from the CharStrings INDEX, without decoding.
    A CID-keyed font's font dictionaries are matched by name and private values, not
    by index: HarfBuzz drops those no glyph up to a subset's last one uses, so one
    dictionary has other indexes in two subsets (a copied glyph is pointed at the
    base's)."""
    top = base["CFF "].cff.topDictIndex[0]
    mine = top.CharStrings.charStringsIndex
    source = other["CFF "].cff.topDictIndex[0]
    if source.charset != top.charset[:len(source.charset)]:
        raise ProgramError("the subsets' glyphs are named differently")
    dictionaries, theirs_fd = _dictionaries(top), _dictionaries(source)
    if not set(theirs_fd) <= set(dictionaries):
        raise ProgramError("the subsets' CFF private dictionaries differ")
    theirs = source.CharStrings.charStringsIndex
    copies: list[tuple[int, int | None]] = []
    for gid in range(len(theirs)):
        if _size(theirs, gid) <= 1:
            continue
        fd = theirs_fd[_fd(source, gid)] if _fd(source, gid) is not None else None
        if _size(mine, gid) <= 1:
            copies.append((gid, dictionaries.index(fd) if fd is not None else None))
        elif _bytecode(mine[gid]) != _bytecode(theirs[gid]) or (
                fd is not None and dictionaries[_fd(top, gid)] != fd):
            raise ProgramError(f"glyph {gid} differs between the subsets")
    for gid, fd in copies:
        mine[gid] = theirs[gid]
        if fd is not None:
            top.FDSelect[gid] = fd
    return [gid for gid, _ in copies]


def _size(index: Any, gid: int) -> int:
    item = index.items[gid]
    if item is not None:
        return len(_bytecode(item))
    return int(index.offsets[gid + 1] - index.offsets[gid])


def _bytecode(charstring: Any) -> bytes:
    if charstring.bytecode is None:
        charstring.compile()
    return bytes(charstring.bytecode)


def _fd(top: Any, index: int) -> int | None:
    select = getattr(top, "FDSelect", None)
    return None if select is None else select[index]


def _dictionaries(top: Any) -> list[str]:
    """Each font dictionary's name and private values (one for a name-keyed font)."""
    arrays = getattr(top, "FDArray", None)
    tops = list(arrays) if arrays is not None else [top]
    return [repr((getattr(fd, "FontName", None) if arrays is not None else None,
                  sorted((key, value) for key, value in fd.Private.rawDict.items()
                         if key != "Subrs")))
            for fd in tops]
