"""The bundled fonts: which characters they can print, and a fontconfig that sees only them.

In: the project's ``fonts/`` folder (every ``.ttf``/``.otf`` in it) and text.
Out:

* :func:`isolate` points fontconfig (``FONTCONFIG_FILE``) at a generated file that lists
  that folder and nothing else, so no system font can ever reach a PDF, whatever the
  machine has installed. WeasyPrint reads it when it makes a font configuration.
* :func:`coverage` is the set of code points the bundled fonts have glyphs for, read from
  their cmaps once per folder. Fontconfig falls back from any CSS font stack to every
  font it knows, and it knows only the bundled ones: so this union is exactly what can
  be printed, in any stack the layouts use.
* :func:`first_uncovered` (text in, the first character no bundled font has, or None) and
  :func:`check_article` (an article's front matter and body in, a problem per line that
  would print an empty box) turn that into plain errors naming the character.
"""

from __future__ import annotations

import hashlib
import html
import logging
import mmap
import os
import re
import struct
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ..errors import Problem

if TYPE_CHECKING:
    from ..load.yamlsource import YamlDoc

FONT_SUFFIXES = (".ttf", ".otf")
_NOTDEF = re.compile(r"^\.notdef glyph .*\(U\+([0-9A-Fa-f]{4,6})\)$")

#: Characters that print nothing and need no glyph: controls, and Unicode's
#: default-ignorable code points (bidi marks, joiners, variation selectors, soft hyphen).
_INVISIBLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)

#: Generic CSS families resolved to bundled ones (user-agent styles name them).
_GENERIC = {"serif": "Charis SIL", "sans-serif": "Inter", "monospace": "Inter",
            "system-ui": "Inter", "cursive": "Charis SIL", "fantasy": "Inter"}


@dataclass(frozen=True)
class Uncovered:
    """A character that none of the bundled fonts can print."""

    char: str
    column: int     # 1-based, in the text that was checked

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    def describe(self) -> str:
        """``'😀' (U+1F600 GRINNING FACE)``: the character, its code point and name."""
        name = unicodedata.name(self.char, "")
        shown = self.char if unicodedata.category(self.char)[0] not in "CZ" else ""
        label = f"{self.codepoint} {name}".strip()
        return f"'{shown}' ({label})" if shown else f"the character {label}"

    def message(self, others: tuple[Uncovered, ...] = ()) -> str:
        """Why this character (and ``others`` on the same line) cannot be printed."""
        also = ""
        if others:
            shown = ", ".join(o.codepoint for o in others[:5]) + (", ..." if others[5:] else "")
            also = f" and {len(others)} more ({shown})"
        result = "they would print as empty boxes" if others else \
            "it would print as an empty box"
        return (f"{self.describe()}{also} cannot be printed: no bundled font (fonts/) "
                f"has {'them' if others else 'it'}, so {result}")


def font_files(folder: Path) -> list[Path]:
    """The bundled font files, in name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES
                  and p.is_file())


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """The bundled font files with their sizes and times: what a cache of them is keyed on."""
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in font_files(folder))


def coverage(folder: Path) -> frozenset[int]:
    """Every code point some bundled font in ``folder`` has a glyph for."""
    return _coverage(_stamp(folder))


def families(folder: Path) -> tuple[str, ...]:
    """The bundled fonts' family names as WeasyPrint writes them into a PDF's BaseFont
    (spaces as hyphens, before any style suffix), sorted: ``("Charis-SIL", "Inter", ...)``."""
    return _families(_stamp(folder))


@lru_cache(maxsize=4)
def _families(stamp: tuple[tuple[str, int, int], ...]) -> tuple[str, ...]:
    from fontTools.ttLib import TTFont

    found: set[str] = set()
    for name, _, _ in stamp:
        with TTFont(name, lazy=True) as font:
            table = font["name"]
            family = table.getDebugName(16) or table.getDebugName(1) or ""
        if family:
            found.add(family.replace(" ", "-"))
    return tuple(sorted(found))


@lru_cache(maxsize=4)
def _coverage(stamp: tuple[tuple[str, int, int], ...]) -> frozenset[int]:
    points: set[int] = set()
    for name, _, _ in stamp:
        with open(name, "rb") as handle, \
                mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            points.update(cmap_points(data))
    return frozenset(points)


def cmap_points(data: bytes | mmap.mmap) -> set[int]:
    """The code points a TrueType/OpenType font maps to a real glyph (not .notdef).

    Reads the font's Unicode cmap subtable (format 12, else format 4) directly:
    fontTools would also name every glyph, ten times slower for a CJK font.
    """
    tables = {data[i:i + 4]: struct.unpack_from(">II", data, i + 8)
              for i in range(12, 12 + 16 * struct.unpack_from(">H", data, 4)[0], 16)}
    if b"cmap" not in tables:
        return set()
    cmap = tables[b"cmap"][0]
    subtables = {}
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        start = cmap + offset
        subtables.setdefault(struct.unpack_from(">H", data, start)[0], []).append(
            ((platform, encoding), start))
    unicode = {(0, 3), (0, 4), (0, 6), (3, 1), (3, 10)}
    for fmt, reader in ((12, _format12), (4, _format4)):
        for kind, start in subtables.get(fmt, []):
            if kind in unicode:
                return reader(data, start)
    return set()


def _format12(data: bytes | mmap.mmap, start: int) -> set[int]:
    points: set[int] = set()
    for i in range(struct.unpack_from(">I", data, start + 12)[0]):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * i)
        points.update(range(first + (glyph == 0), last + 1))
    return points


def _format4(data: bytes | mmap.mmap, start: int) -> set[int]:
    count = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{count}H", data, start + 14)
    starts = struct.unpack_from(f">{count}H", data, start + 16 + 2 * count)
    deltas = struct.unpack_from(f">{count}h", data, start + 16 + 4 * count)
    range_at = start + 16 + 6 * count
    offsets = struct.unpack_from(f">{count}H", data, range_at)
    points: set[int] = set()
    for i, (first, last, delta, offset) in enumerate(zip(starts, ends, deltas, offsets,
                                                         strict=True)):
        for point in range(first, min(last, 0xFFFE) + 1):
            if offset == 0:
                glyph = (point + delta) & 0xFFFF
            else:
                at = range_at + 2 * i + offset + 2 * (point - first)
                glyph = struct.unpack_from(">H", data, at)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                points.add(point)
    return points


def printable(char: str, covered: frozenset[int]) -> bool:
    point = ord(char)
    if point in covered or unicodedata.category(char) == "Cc":
        return True
    return any(low <= point <= high for low, high in _INVISIBLE)


def first_uncovered(text: str, covered: frozenset[int]) -> Uncovered | None:
    """The first character of ``text`` that no bundled font has, or None.

    ``covered`` is :func:`coverage` of the project's fonts folder; e.g. the leaflet
    desk refuses a patient name the fonts cannot print.
    """
    for column, char in enumerate(text, start=1):
        if not printable(char, covered):
            return Uncovered(char, column)
    return None


def uncovered_in(text: str, covered: frozenset[int]) -> list[Uncovered]:
    """Each distinct unprintable character of ``text``, in order of first use."""
    found: dict[str, Uncovered] = {}
    for column, char in enumerate(text, start=1):
        if char not in found and not printable(char, covered):
            found[char] = Uncovered(char, column)
    return list(found.values())


def check_article(front_matter: YamlDoc, body: str, body_line: int,
                  covered: frozenset[int]) -> list[Problem]:
    """A problem for each character of an article that would print as a box.

    Every text value of the front matter (at its line) and every line of the body
    (code blocks too, HTML character references such as ``&#x1F600;`` as the
    characters they print) starting at ``body_line``.
    """
    path = front_matter.path
    if not covered:
        return [Problem(path, 1, "there are no fonts in the project's fonts/ folder: "
                        "nothing can be printed")]
    problems = []
    texts = [(front_matter.line(*key), value) for key, value in _strings(front_matter.data, ())]
    texts += [(number, html.unescape(line))
              for number, line in enumerate(body.split("\n"), start=body_line)]
    for number, text in texts:
        bad = uncovered_in(text, covered)
        if bad:
            problems.append(Problem(path, number, bad[0].message(tuple(bad[1:]))))
    return problems


def _strings(value: Any, key: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...],
                                                                     str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, (*key, str(name)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*key, i))


def is_missing_glyph(record: logging.LogRecord) -> bool:
    """Whether WeasyPrint logged that it printed a .notdef box for a character."""
    return str(record.msg).startswith(".notdef glyph")


def missing_glyph_problem(message: str, name: Path, root: Path) -> Problem | None:
    """WeasyPrint's .notdef warning as our error, at the line of ``name`` (a content file
    of the project at ``root``) that holds the character; None for other messages."""
    match = _NOTDEF.search(message)
    if not match:
        return None
    char = chr(int(match[1], 16))
    return Problem(name, line_of(char, root / name), Uncovered(char, 0).message())


def line_of(char: str, path: Path) -> int:
    """The first line of ``path`` that holds ``char`` (as itself or a character
    reference), or 1: where to point when a render finds a character no font has."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    for number, line in enumerate(text.splitlines(), start=1):
        if char in line or char in html.unescape(line):
            return number
    return 1


def fontconfig_text(folder: Path) -> str:
    """A fontconfig configuration that knows the fonts in ``folder`` and no other."""
    aliases = "".join(
        f"  <alias binding=\"same\"><family>{generic}</family>"
        f"<prefer><family>{escape(family)}</family></prefer></alias>\n"
        for generic, family in _GENERIC.items())
    return ("<?xml version=\"1.0\"?>\n"
            "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
            "<!-- printjournal: only the project's bundled fonts; no system font -->\n"
            "<fontconfig>\n"
            f"  <dir>{escape(str(folder.resolve()))}</dir>\n"
            f"{aliases}"
            "</fontconfig>\n")


def isolate(folder: Path) -> Path:
    """Make fontconfig see only the fonts in ``folder``, from the next font
    configuration WeasyPrint makes on (call it before making one, in every process).

    Writes the configuration to the temporary folder (one file per fonts folder,
    replaced atomically) and sets ``FONTCONFIG_FILE``; returns the file.
    """
    text = fontconfig_text(folder)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"printjournal-fonts-{digest}.conf"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        fd, tmp = tempfile.mkstemp(prefix=".printjournal-fonts-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    os.environ["FONTCONFIG_FILE"] = str(path)
    return path

