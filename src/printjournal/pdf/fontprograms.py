"""Subsets of one font program (bytes, glyph ids kept) in, one program with all their
glyphs out (fontTools).

HarfBuzz, as WeasyPrint 70 calls it, subsets with the glyph ids kept
(``HB_SUBSET_FLAGS_RETAIN_GIDS``) and without subroutines (``DESUBROUTINIZE``): a
subset is the whole font's glyph table up to the last glyph used, the glyphs not used
empty. So subsets of one font are merged glyph id by glyph id: the first subset with the
most glyphs is the base, and each glyph empty there is taken, outline and metrics, from
the first subset that has it. TrueType (``glyf``) and CFF (name-keyed, as Inter; or
CID-keyed, as Noto Sans CJK, when the subsets' font dictionaries agree) programs are
merged; a glyph id drawn differently by two subsets, or anything else that shows they are
not subsets of one font, raises :class:`ProgramError` and nothing is merged.

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


def merged_program(programs: list[bytes]) -> bytes:
    """One font program with every glyph of ``programs`` (at least one), glyph ids kept.

    Raises ProgramError when they differ in anything but which glyphs are empty."""
    fonts = [TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False)
             for data in programs]
    counts = [int(font["maxp"].numGlyphs) for font in fonts]
    base_index = max(range(len(fonts)), key=lambda i: (counts[i], -i))
    base = fonts[base_index]
    others = [font for i, font in enumerate(fonts) if i != base_index]
    if "glyf" in base:
        taken = _glyf(base, others)
    elif "CFF " in base:
        base.recalcBBoxes = False   # the PDF's FontBBox is what viewers read; CFF's
        taken = _cff(base, others)  # own would cost drawing every glyph
    else:
        raise ProgramError("neither TrueType nor CFF outlines")
    order = base.getGlyphOrder()
    for gid, source in taken:
        for table in ("hmtx", "vmtx"):
            if table in base and table in source:
                base[table].metrics[order[gid]] = \
                    source[table].metrics[source.getGlyphOrder()[gid]]
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


def _glyf(base: TTFont, others: list[TTFont]) -> list[tuple[int, TTFont]]:
    """Copy into ``base`` each glyph it lacks; (glyph id, source) of each copied.

    Glyphs are matched by id: names are made up from ``cmap`` in a font without
    ``post`` names, and a subset's ``cmap`` has only its own characters."""
    table, order = base["glyf"], base.getGlyphOrder()
    taken: list[tuple[int, TTFont]] = []
    for other in others:
        source = other["glyf"]
        for gid, name in enumerate(other.getGlyphOrder()):
            data = _glyph_bytes(source, name)
            if not data:
                continue
            mine = _glyph_bytes(table, order[gid])
            if not mine:
                table.glyphs[order[gid]] = source.glyphs[name]   # as read: not expanded
                taken.append((gid, other))
            elif mine != data:
                raise ProgramError(f"glyph {gid} differs between the subsets")
    return taken


def _glyph_bytes(table: Any, name: str) -> bytes:
    glyph = table.glyphs.get(name)
    if glyph is None:
        return b""
    if hasattr(glyph, "data"):
        return bytes(glyph.data)
    return glyph.compile(table) if glyph.numberOfContours else b""


def _cff(base: TTFont, others: list[TTFont]) -> list[tuple[int, TTFont]]:
    """Copy into ``base`` each charstring it has empty; (glyph id, source) of each.

    A charstring one byte long is ``endchar`` alone: what HarfBuzz leaves for a glyph
    not in the subset. Sizes are read from the CharStrings INDEX, without decoding."""
    top = base["CFF "].cff.topDictIndex[0]
    mine = top.CharStrings.charStringsIndex
    for other in others:
        source = other["CFF "].cff.topDictIndex[0]
        if source.charset != top.charset[:len(source.charset)]:
            raise ProgramError("the subsets' glyphs are named differently")
        if _privates(source) != _privates(top):
            raise ProgramError("the subsets' CFF private dictionaries differ")
    taken: list[tuple[int, TTFont]] = []
    for other in others:
        source = other["CFF "].cff.topDictIndex[0]
        theirs = source.CharStrings.charStringsIndex
        for gid in range(len(theirs)):
            if _size(theirs, gid) <= 1:
                continue
            if _size(mine, gid) <= 1:
                if _fd(source, gid) != _fd(top, gid):
                    raise ProgramError(f"glyph {gid} is in another font dictionary")
                mine[gid] = theirs[gid]
                taken.append((gid, other))
            elif _bytecode(mine[gid]) != _bytecode(theirs[gid]):
                raise ProgramError(f"glyph {gid} differs between the subsets")
    return taken


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


def _privates(top: Any) -> list[dict[str, Any]]:
    """The private dictionaries' values (one; or one per font dictionary of a CID font)."""
    arrays = getattr(top, "FDArray", None)
    privates = [fd.Private for fd in arrays] if arrays is not None else [top.Private]
    return [{key: value for key, value in private.rawDict.items() if key != "Subrs"}
            for private in privates]
