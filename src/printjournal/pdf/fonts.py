"""An assembled PDF in (pikepdf), the same PDF with each font's subsets merged into one out.

A leaflet or an issue is assembled from parts WeasyPrint rendered on their own, and each
part embeds its own subset of every font it uses: ten parts, ten copies of Inter Bold
(issue 11: a ten-article leaflet 574 KiB as one render, 1,995 KiB from parts). How
WeasyPrint 70 writes a font (``weasyprint/pdf/fonts.py``) is what makes them mergeable:

- a Type0 font, ``/Encoding /Identity-H``, over one CIDFont (CIDFontType2 for TrueType
  with ``/CIDToGIDMap /Identity``; CIDFontType0 over a CFF ``/OpenType`` program for
  OpenType/CFF): the codes in the content streams are glyph ids;
- subset by HarfBuzz with ``HB_SUBSET_FLAGS_RETAIN_GIDS`` and ``DESUBROUTINIZE``: every
  subset keeps the font's own glyph ids, unused glyphs left empty, no subroutines;
- ``/W`` gives each used glyph's width, ``/ToUnicode`` each used glyph's text, the first
  text it was seen with in that render; the subset is named from a hash of the font's
  description (family, weight, style, variations), so a font's subsets share a name.

So the subsets of one font are merged without touching a content stream: one program
holding every glyph any of them has (glyph data copied by glyph id), ``/W`` and
``/ToUnicode`` united, and every resource dictionary that named a subset pointed at the
merged font. Subsets are merged only where the result is exactly what each part drew and
read: the same glyph data wherever two have a glyph, the same width and the same text
for each glyph id. Where two parts disagree (a width rounded once up, once down at
another size; a shaped glyph first seen alone in one part and inside a cluster in the
other, mapped to other text) they go to separate merged fonts, so the drawing and the
text layer stay those of the part. Fonts WeasyPrint writes otherwise (bitmap Type3, an
encoding for missing glyphs) are left alone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from .textwidths import Deltas, WidthError, adjust

_FIXED_PITCH = 1   # FontDescriptor /Flags bit 1
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


@dataclass
class _Subset:
    """One Type0 font of the PDF as WeasyPrint wrote it, read."""

    font: Dictionary                # the Type0 font dictionary
    widths: dict[int, float]        # glyph id → /W width (1/1000 em)
    text: dict[int, str]            # glyph id → /ToUnicode text
    program: bytes                  # the font program (FontFile2 or FontFile3)

    @property
    def descendant(self) -> Dictionary:
        return self.font.DescendantFonts[0]

    def agrees(self, other: _Subset) -> bool:
        """Whether no glyph id has another text in ``other`` (widths may differ:
        textwidths.py puts the difference back)."""
        return all(other.text.get(g, t) == t for g, t in self.text.items())


def merge_subsets(pdf: pikepdf.Pdf) -> int:
    """Merge the subsets of each font of ``pdf`` (in place); returns how many font
    objects are no longer used. The same PDF in gives the same PDF out."""
    from .fontprograms import ProgramError, merged_program

    uses = list(_font_uses(pdf))
    deltas: Deltas = {}
    groups: dict[tuple[str, str], list[_Subset]] = {}
    seen: set[tuple[int, int]] = set()
    for _, _, font in uses:
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        subset = _read(font)
        if subset is not None:
            key = (str(font.BaseFont), str(subset.descendant.Subtype))
            groups.setdefault(key, []).append(subset)
    replaced: dict[tuple[int, int], Dictionary] = {}
    for subsets in groups.values():
        waiting = [cluster for cluster in _clusters(subsets) if len(cluster) > 1]
        while waiting:
            cluster = waiting.pop(0)
            try:
                program, held = merged_program([s.program for s in cluster])
            except ProgramError:
                continue        # not a font we merge: each part keeps its own subset
            rest = [s for i, s in enumerate(cluster) if i not in held]
            if len(rest) > 1:   # drawn otherwise by the merged ones: merged apart
                waiting.append(rest)
            cluster = [cluster[i] for i in held]
            if len(cluster) < 2:
                continue
            base = cluster[0]
            widths = _write_merged(pdf, base, cluster, program)
            for member in cluster:
                changed = {g: widths[g] - w for g, w in member.widths.items()
                           if widths[g] != w}
                if changed:
                    deltas[member.font.objgen] = changed
            for other in cluster[1:]:
                replaced[other.font.objgen] = base.font
    adjust(pdf, deltas)          # before the fonts change: streams name the old ones
    for resources, name, font in uses:
        if font.objgen in replaced:
            resources[name] = replaced[font.objgen]
    return len(replaced)


def _clusters(subsets: list[_Subset]) -> list[list[_Subset]]:
    """``subsets`` of one font in groups that agree on every glyph's width and text,
    each in the order of the PDF (the first of each group its base)."""
    clusters: list[list[_Subset]] = []
    for subset in subsets:
        for cluster in clusters:
            if all(subset.agrees(member) for member in cluster):
                cluster.append(subset)
                break
        else:
            clusters.append([subset])
    return clusters


def _font_uses(pdf: pikepdf.Pdf) -> Iterator[tuple[Dictionary, str, Dictionary]]:
    """(resource font dictionary, name, font) for every font every page, form XObject,
    tiling pattern and annotation appearance uses."""
    done: set[tuple[int, int]] = set()
    stack: list[Any] = []
    for page in pdf.pages:
        stack.append(page.obj.get("/Resources"))
        for annotation in page.obj.get("/Annots", None) or ():
            appearance = annotation.get("/AP") if isinstance(annotation, Dictionary) else None
            for state in (appearance or {}).values() if isinstance(appearance, Dictionary) \
                    else ():
                stack.extend(state.values() if isinstance(state, Dictionary)
                             and not isinstance(state, pikepdf.Stream) else [state])
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Stream):
            if item.objgen in done:
                continue
            done.add(item.objgen)
            item = item.get("/Resources")
        if not isinstance(item, Dictionary):
            continue
        fonts = item.get("/Font")
        if isinstance(fonts, Dictionary):
            for name, font in fonts.items():
                if isinstance(font, Dictionary) and font.is_indirect:
                    yield fonts, name, font
        for category in ("/XObject", "/Pattern"):
            entries = item.get(category)
            if isinstance(entries, Dictionary):
                stack.extend(v for v in entries.values() if isinstance(v, pikepdf.Stream))


def _read(font: Dictionary) -> _Subset | None:
    """A Type0 font as WeasyPrint writes it, read; None for any other font."""
    if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H") \
            or not isinstance(font.get("/ToUnicode"), pikepdf.Stream):
        return None
    descendants = font.get("/DescendantFonts")
    if not isinstance(descendants, Array) or len(descendants) != 1:
        return None
    cid = descendants[0]
    descriptor = cid.get("/FontDescriptor")
    if not isinstance(descriptor, Dictionary) or "/CIDSet" in descriptor \
            or cid.get("/CIDToGIDMap", Name.Identity) != Name.Identity \
            or not isinstance(cid.get("/W"), Array):
        return None
    if cid.get("/Subtype") == Name.CIDFontType2:
        program = descriptor.get("/FontFile2")
    elif cid.get("/Subtype") == Name.CIDFontType0:
        program = descriptor.get("/FontFile3")
        if program is not None and program.get("/Subtype") != Name.OpenType:
            return None
    else:
        return None
    if not isinstance(program, pikepdf.Stream):
        return None
    return _Subset(font, read_widths(cid.W), read_text(font.ToUnicode), program.read_bytes())


def read_widths(array: Array) -> dict[int, float]:
    """A CIDFont's ``/W`` as glyph id → width (both forms: ``c [w ...]``, ``c1 c2 w``)."""
    items, widths, index = list(array), {}, 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], Array):
            for offset, width in enumerate(items[index + 1]):
                widths[first + offset] = float(width)
            index += 2
        else:
            for glyph in range(first, int(items[index + 1]) + 1):
                widths[glyph] = float(items[index + 2])
            index += 3
    return widths


def read_text(stream: pikepdf.Stream) -> dict[int, str]:
    """A ToUnicode CMap's ``bfchar`` entries as glyph id → text (WeasyPrint writes no
    ranges)."""
    text = {}
    for block in _BFCHAR.findall(stream.read_bytes()):
        for glyph, utf16 in _PAIR.findall(block):
            text[int(glyph, 16)] = bytes.fromhex(utf16.decode()).decode("utf-16-be")
    return text


def _write_merged(pdf: pikepdf.Pdf, base: _Subset, cluster: list[_Subset],
                  program: bytes) -> dict[int, float]:
    """Make ``base``'s font the merged font of ``cluster`` (new objects for what
    changes: the other parts' fonts are left as they were); returns its widths, each
    glyph's from the first subset of ``cluster`` that has it."""
    widths: dict[int, float] = {}
    text: dict[int, str] = {}
    for subset in reversed(cluster):
        widths.update(subset.widths)
        text.update(subset.text)
    cid = Dictionary(base.descendant)
    descriptor = Dictionary(cid.FontDescriptor)
    key = "/FontFile2" if cid.Subtype == Name.CIDFontType2 else "/FontFile3"
    stream = pdf.make_stream(program)
    if key == "/FontFile3":
        stream.Subtype = Name.OpenType
    else:
        stream.Length1 = len(program)
    descriptor[key] = stream
    boxes = [[float(v) for v in s.descendant.FontDescriptor.FontBBox] for s in cluster]
    descriptor.FontBBox = Array([_number(min(b[0] for b in boxes)),
                                 _number(min(b[1] for b in boxes)),
                                 _number(max(max(b[2] for b in boxes), *widths.values())),
                                 _number(max(b[3] for b in boxes))])
    for key, pick in (("/Ascent", max), ("/Descent", min), ("/CapHeight", max)):
        values = [float(s.descendant.FontDescriptor[key]) for s in cluster
                  if key in s.descendant.FontDescriptor]
        if values:
            descriptor[key] = _number(pick(values))
    flags = int(descriptor.Flags) & ~_FIXED_PITCH
    if len(widths) > 1 and len(set(widths.values())) == 1:
        flags |= _FIXED_PITCH
    descriptor.Flags = flags
    cid.FontDescriptor = pdf.make_indirect(descriptor)
    cid.W = _width_array(widths)
    base.font.DescendantFonts = Array([pdf.make_indirect(cid)])
    base.font.ToUnicode = pdf.make_stream(to_unicode(text))
    return widths


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _width_array(widths: dict[int, float]) -> Array:
    """``/W`` as WeasyPrint writes it: runs of consecutive glyph ids."""
    out: list[Any] = []
    run: list[Any] = []
    for glyph in sorted(widths):
        if glyph - 1 not in widths:
            run = []
            out += [glyph, run]
        width = widths[glyph]
        run.append(int(width) if width.is_integer() else width)
    return Array([Array(item) if isinstance(item, list) else item for item in out])


def to_unicode(text: dict[int, str]) -> bytes:
    """A ToUnicode CMap of glyph id → text, as WeasyPrint writes one."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)",
             b"/Supplement 0", b">> def", b"/CMapName /Adobe-Identity-UCS def",
             b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(text.items())
    for batch in range(ceil(len(items) / 100)):
        chunk = items[batch * 100:(batch + 1) * 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines += [f"<{glyph:04x}> <{value.encode('utf-16-be').hex()}>".encode()
                  for glyph, value in chunk]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def merged(data: bytes) -> bytes:
    """The PDF ``data`` with its fonts' subsets merged (:func:`merge_subsets`)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        try:
            if not merge_subsets(pdf):
                return data
        except WidthError:       # text WeasyPrint does not write: left as it is
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return out.getvalue()
