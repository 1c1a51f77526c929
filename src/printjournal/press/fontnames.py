"""A PDF (pikepdf) in, the same PDF with one subset name per embedded font out.

An issue is merged from parts rendered on their own, and each part embeds its own
subset of a font under a tag WeasyPrint picked ("QUWLDS+Inter-Bold"): seventeen
different fonts then share one name, and a RIP that caches fonts by name prints
wrong or missing characters. Each subset's tag is made from the bytes of its font
program (as the tag is meant to be: the same subset, the same tag), and subsets
whose bytes are equal but which are distinct objects get tags made from the next
hash, so no two font objects share a BaseFont. The names are rewritten in the
font, its descendant CIDFont and their FontDescriptor together.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterator

import pikepdf
from pikepdf import Dictionary, Name

_SUBSET = re.compile(r"^[A-Z]{6}\+(.+)$")
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def unique_font_names(pdf: pikepdf.Pdf) -> int:
    """Give every embedded subset font of ``pdf`` a name of its own; returns how
    many fonts were renamed."""
    taken: set[str] = set()
    renamed = 0
    for font in _top_fonts(pdf):
        old = str(font.BaseFont)
        match = _SUBSET.match(old.lstrip("/"))
        if not match:
            taken.add(old)
            continue
        seed = _program(font)
        name = _tagged(seed, match[1])
        while name in taken:
            seed = hashlib.sha256(seed).digest()
            name = _tagged(seed, match[1])
        taken.add(name)
        if name != old:
            _rename(font, Name(name))
            renamed += 1
    return renamed


def font_names(pdf: pikepdf.Pdf) -> dict[str, int]:
    """How many distinct font objects carry each BaseFont (the Type0 or simple fonts)."""
    counts: dict[str, int] = {}
    for font in _top_fonts(pdf):
        counts[str(font.BaseFont)] = counts.get(str(font.BaseFont), 0) + 1
    return counts


def _top_fonts(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    """Every font dictionary but CIDFonts (named with their Type0 parent), in object order."""
    for obj in pdf.objects:
        if (isinstance(obj, Dictionary) and obj.get("/Type") == Name.Font
                and "/BaseFont" in obj
                and obj.get("/Subtype") not in (Name.CIDFontType0, Name.CIDFontType2)):
            yield obj


def _descriptors(font: Dictionary) -> Iterator[Dictionary]:
    for member in [font, *font.get("/DescendantFonts", [])]:
        if "/FontDescriptor" in member:
            yield member.FontDescriptor


def _program(font: Dictionary) -> bytes:
    """The bytes that tell this subset apart: its font program, else its dictionary."""
    digest = hashlib.sha256()
    for descriptor in _descriptors(font):
        for key in _FONT_FILES:
            if key in descriptor:
                digest.update(descriptor[key].read_raw_bytes())
    for key in ("/Widths", "/ToUnicode"):
        if key in font:
            value = font[key]
            digest.update(value.read_raw_bytes() if isinstance(value, pikepdf.Stream)
                          else repr(value).encode())
    return digest.digest()


def _tagged(seed: bytes, family: str) -> str:
    letters = "".join(string.ascii_uppercase[b % 26] for b in seed[:6])
    return f"/{letters}+{family}"


def _rename(font: Dictionary, name: Name) -> None:
    font.BaseFont = name
    for member in font.get("/DescendantFonts", []):
        member.BaseFont = name
    for descriptor in _descriptors(font):
        descriptor.FontName = name
