"""Each PDF parsed with pdfplumber once, its result shared by every test that reads it.

In: a PDF, as a path or as its bytes. Out: :func:`parsed`, a tuple of frozen
:class:`Page` (size in pt, glyphs with their boxes in pt from the page's top-left,
images, link rectangles and their destinations, on request the page's text as
pdfplumber's ``extract_text`` gives it), all read-only, so no test can change another's view.

pdfplumber (pdfminer) takes seconds per sample PDF, and the sample articles, leaflets
and issue are read by many test files (tests/invariants.py, tests/overprint.py, ...).
The cache is keyed by the SHA-256 of the PDF's bytes, never by its path alone: a copy a
test has changed reads as what it now holds. A PDF in a ``built_once`` folder (conftest,
named ``once-*``, shared by the run's pytest-xdist workers) is also kept parsed, pickled,
in the ``parsed-pdfs`` folder beside it, so the run's other worker loads it instead of
parsing it again; a PDF anywhere else is parsed once per test process.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Glyph:
    """One character pdfplumber reads, positions in pt from the page's top-left corner
    except ``y``: its origin's height from the page's bottom (its matrix's f)."""

    text: str
    fontname: str
    size: float
    x0: float
    x1: float
    top: float
    bottom: float
    x: float             # origin, from the page's left (matrix e)
    y: float             # origin, from the page's bottom (matrix f)
    upright: bool


@dataclass(frozen=True)
class Box:
    """An image's or a link's rectangle (pt from the page's top-left); ``dest``: the named
    destination a link goes to ("" for an image or a link with none)."""

    x0: float
    top: float
    x1: float
    bottom: float
    dest: str = ""


@dataclass(frozen=True)
class Page:
    number: int                  # 1-based
    width: float                 # pt
    height: float                # pt
    glyphs: tuple[Glyph, ...]    # in drawing order
    images: tuple[Box, ...]
    links: tuple[Box, ...]
    text: str | None             # pdfplumber's extract_text() of the whole page


def parsed(pdf: Path | bytes, text: bool = False) -> tuple[Page, ...]:
    """The pages of ``pdf`` (a path or the PDF's bytes), parsed once per content;
    ``text``: with each page's ``text`` read too (a tenth more of the parse's time;
    without it, ``text`` may be None). A PDF read from a shared folder always has it."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    found = _PARSED.get(digest)
    if found is not None and (not text or not found or found[0].text is not None):
        _PARSED.move_to_end(digest)
        return found
    shared = None
    if not isinstance(pdf, bytes) and Path(pdf).parent.name.startswith("once-"):
        shared = Path(pdf).parent.parent / "parsed-pdfs" / f"{digest}.pickle"
    if shared is not None and shared.exists():
        with shared.open("rb") as file:
            found = pickle.load(file)
    else:
        found = _parse(data, text or shared is not None)
        if shared is not None:     # whole or not at all: another worker may be reading
            shared.parent.mkdir(exist_ok=True)
            part = shared.with_suffix(f".{os.getpid()}.part")
            part.write_bytes(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
            part.replace(shared)
    _PARSED[digest] = found
    while len(_PARSED) > 64:
        _PARSED.popitem(last=False)
    return found


#: this process's parsed PDFs by the SHA-256 of their bytes, least recently used first
_PARSED: OrderedDict[str, tuple[Page, ...]] = OrderedDict()


def _parse(data: bytes, text: bool) -> tuple[Page, ...]:
    import io

    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            glyphs = tuple(Glyph(c["text"], c["fontname"], c["size"], c["x0"], c["x1"],
                                 c["top"], c["bottom"], c["matrix"][4], c["matrix"][5],
                                 c.get("upright", True)) for c in page.chars)
            images = tuple(Box(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images)
            links = tuple(Box(a["x0"], a["top"], a["x1"], a["bottom"], _dest(a))
                          for a in page.annots)
            pages.append(Page(number, float(page.width), float(page.height), glyphs, images,
                              links, (page.extract_text() or "") if text else None))
            page.close()
    return tuple(pages)


def _dest(annot: dict) -> str:
    """The named destination of a pdfplumber annotation ("" if it has none)."""
    data = annot.get("data") or {}
    action = data.get("A") or {}
    dest = action.get("D") if isinstance(action, dict) else None
    dest = dest or data.get("Dest")
    return dest.decode() if isinstance(dest, bytes) else str(dest or "")
