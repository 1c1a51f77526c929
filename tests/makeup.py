"""Page make-up read from a PDF: what ends a page, how full it is, table fragments, lines
broken early.

Each function opens a PDF (pdfplumber, pypdf) and returns the problems it finds as plain
sentences (an empty list: all is well), like tests/invariants.py. Nothing is taken from
the layouts' CSS: the text area of a document is where its text stands on its pages (the
highest and lowest line of any page), so the measures hold whatever the margins and
sizes. Page furniture (running heads, stamps, folios) is what the PDF marks as an
artifact; footnotes are what stands below a page's first footnote (its destination).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf

from .pdfread import outline

NOTE = re.compile(r"(^|-)note-\d+$")
#: a page is full enough when its text reaches this share of the text area's height
FILL = 0.60


@dataclass(frozen=True)
class Line:
    text: str
    top: float
    bottom: float
    size: float            # the largest glyph's size
    bold: bool             # every letter set in a bold or semibold face
    x0: float = 0.0
    x1: float = 0.0
    first_word: float = 0.0    # the width of its first word
    ink: tuple[object, object] = (None, None)   # colour of its first and last glyph


def _line(line: dict) -> Line:
    chars = line["chars"]
    word = chars[0]
    for before, char in itertools.pairwise(chars):
        if not char["text"].strip() or char["x0"] - before["x1"] > 0.15 * char["size"]:
            break
        word = char
    return Line(line["text"], line["top"], line["bottom"], max(c["size"] for c in chars),
                _bold(chars), chars[0]["x0"], chars[-1]["x1"], word["x1"] - chars[0]["x0"],
                (str(chars[0]["non_stroking_color"]), str(chars[-1]["non_stroking_color"])))


@dataclass(frozen=True)
class Page:
    number: int            # 1-based
    lines: tuple[Line, ...]    # the main text flow, top to bottom (no furniture, no notes)
    images: tuple[tuple[float, float], ...]   # (top, bottom) of each figure in the flow
    flow_bottom: float     # the lowest text, image or rule of the flow
    notes_top: float | None    # where its footnotes begin, None: no footnotes
    frames: tuple[tuple[float, float, float, float], ...] = ()   # drawn boxes (x0, top, x1, bottom)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\-\u2010\u00ad]+", "", text)


def _note_tops(reader: pypdf.PdfReader) -> dict[int, float]:
    """Page number → the top (from the page's top) of its highest footnote."""
    tops: dict[int, float] = {}
    for name, dest in reader.named_destinations.items():
        if NOTE.search(str(name)) and dest.top is not None:
            number = reader.get_page_number(dest.page) + 1
            height = float(reader.pages[number - 1].mediabox.height)
            top = height - float(dest.top)
            tops[number] = min(tops.get(number, top), top)
    return tops


def _bold(chars: list[dict]) -> bool:
    letters = [c for c in chars if c["text"].isalnum()]
    return bool(letters) and all(re.search(r"Bold|Semi|Black|Heavy", c["fontname"])
                                 for c in letters)


def read_pages(pdf: Path, only: int | None = None) -> list[Page]:
    """The main text flow of every page of a tagged PDF (of page ``only`` alone)."""
    reader = pypdf.PdfReader(pdf)
    notes = _note_tops(reader)
    result = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            if only is not None and number != only:
                continue
            notes_top = notes.get(number)
            limit = notes_top - 1 if notes_top is not None else page.height

            def flow(obj: dict, limit: float = limit) -> bool:
                if obj.get("tag") == "Artifact":
                    return False
                if obj["object_type"] == "char":
                    return bool(obj["text"].strip()) and obj.get("mcid") is not None \
                        and obj["top"] < limit
                return obj["object_type"] == "image" and obj["top"] < limit

            text = page.filter(flow)
            lines = tuple(_line(line) for line in text.extract_text_lines(return_chars=True)
                          if line["text"].strip())
            images = tuple((i["top"], i["bottom"]) for i in text.images)
            drawn = [o for o in (*page.rects, *page.curves)
                     if o.get("tag") == "Figure" and o["top"] < limit]
            if drawn:     # a vector figure (SVG): the box of its drawing
                images += ((min(o["top"] for o in drawn), max(o["bottom"] for o in drawn)),)
            bottoms = [line.bottom for line in lines] + [b for _, b in images]
            frames = tuple((r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects
                           if r["width"] > page.width / 4 and r["height"] > 10)
            result.append(Page(number, lines, images, max(bottoms, default=0.0), notes_top,
                               frames))
    return result


def headings(pdf: Path, labels: Iterable[str] = ()) -> set[str]:
    """The texts a page must not end with: every bookmarked heading of ``pdf`` (titles,
    section headings, Sources) and ``labels`` (section labels above a title)."""
    titles = {title for _, title, _ in outline(pypdf.PdfReader(pdf))}
    return {_key(t) for t in (*titles, *labels) if _key(t)}


def stranded_headings(pdf: Path, labels: Iterable[str] = (),
                      pages: list[Page] | None = None) -> list[str]:
    """Pages (but the last) whose main text ends with a heading or a section label: a
    bold line whose words belong to one of :func:`headings`."""
    keys = headings(pdf, labels)
    pages = pages if pages is not None else read_pages(pdf)
    problems = []
    for page in pages[:-1]:
        if not page.lines:
            continue
        last = page.lines[-1]
        below = [i for i in page.images if i[0] >= last.bottom]
        if last.bold and not below and len(_key(last.text)) > 1 \
                and any(_key(last.text) in key for key in keys):
            problems.append(f"page {page.number} ends with the heading {last.text!r}")
    return problems


def underfilled(pdf: Path, pages: list[Page] | None = None,
                fill: float = FILL) -> list[str]:
    """Pages whose main text and footnotes fill less than ``fill`` of the text area, but
    an article's last page (the page before a top-level bookmark: the next article, a
    leaflet's closing panel) and a page followed by a figure taller than the room left."""
    pages = pages if pages is not None else read_pages(pdf)
    starts = {page for depth, _, page in outline(pypdf.PdfReader(pdf)) if depth == 0}
    lines = [line for page in pages for line in page.lines]
    if not lines:
        return []
    area_top = min(line.top for line in lines)
    area_bottom = max([line.bottom for line in lines] +
                      [p.flow_bottom for p in pages])
    height = area_bottom - area_top
    problems = []
    for page, after in itertools.pairwise(pages):
        if not page.lines:
            continue
        floor = page.notes_top if page.notes_top is not None else area_bottom
        empty = floor - page.flow_bottom
        if empty <= (1 - fill) * height or after.number in starts:
            continue
        first = after.lines[0].top if after.lines else area_bottom
        if any(top <= first and bottom - top > empty for top, bottom in after.images):
            continue      # a figure that could not fit opens the next page
        problems.append(f"page {page.number} is {1 - empty / height:.0%} full "
                        f"({empty / height:.0%} of the text area left empty before "
                        f"page {after.number})")
    return problems


def table_fragments(pdf: Path) -> list[str]:
    """Tables split across pages leaving fewer than two body rows on a page: the rows
    are the TR elements of the PDF's tag structure (adjacent Table elements being one
    table's fragments), header rows (all TH) not counted."""
    reader = pypdf.PdfReader(pdf)
    page_of = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, start=1)}
    problems: list[str] = []
    tree = reader.trailer["/Root"].get("/StructTreeRoot")
    if tree is None:
        return problems
    tables: list[list[set[int]]] = []

    def kids(element) -> list:
        k = element.get_object().get("/K")
        if k is None:
            return []
        k = k.get_object() if hasattr(k, "get_object") else k
        return list(k) if isinstance(k, list) else [k]

    def pages_of(element, page: int | None) -> set[int]:
        element = element.get_object()
        if "/Pg" in element:
            page = page_of.get(element.raw_get("/Pg").idnum, page)
        found: set[int] = set()
        for kid in kids(element):
            if isinstance(kid, int):
                if page is not None:
                    found.add(page)
                continue
            obj = kid.get_object()
            if not isinstance(obj, dict):
                continue
            if obj.get("/Type") == "/MCR":
                where = obj.raw_get("/Pg").idnum if "/Pg" in obj else None
                found.add(page_of.get(where, page) if where else page)
            elif "/S" in obj:
                found |= pages_of(kid, page)
        return {p for p in found if p is not None}

    def is_header(row) -> bool:
        cells = [k.get_object() for k in kids(row) if not isinstance(k, int)]
        return bool(cells) and all(c.get("/S") == "/TH" for c in cells)

    def rows(element, page: int | None) -> list:
        found = []
        for kid in kids(element):
            obj = kid.get_object() if not isinstance(kid, int) else None
            if not isinstance(obj, dict) or "/S" not in obj:
                continue
            if obj["/S"] == "/TR":
                found.append(kid)
            elif obj["/S"] in ("/TBody", "/THead", "/TFoot"):
                found += rows(kid, page)
        return found

    def walk(element, page: int | None) -> None:
        # a table split across pages may be tagged as one Table per page: adjacent
        # Table elements are the fragments of one table
        run: list[set[int]] | None = None
        for kid in kids(element.get_object()):
            obj = kid.get_object() if not isinstance(kid, int) else None
            if not isinstance(obj, dict) or "/S" not in obj:
                continue
            if obj["/S"] == "/Table":
                if run is None:
                    run = []
                    tables.append(run)
                run += [pages_of(row, page) for row in rows(kid, page) if not is_header(row)]
                continue
            run = None
            walk(kid, page)

    walk(tree, None)
    for number, table in enumerate(tables, start=1):
        spread = sorted({p for row in table for p in row})
        if len(spread) < 2:
            continue
        for page in spread:
            count = sum(1 for row in table if min(row, default=0) == page)
            if count < 2:
                problems.append(f"table {number}: page {page} holds {count} of its "
                                f"{len(table)} rows")
    return problems


def _frame(page: Page, line: Line) -> int:
    """The innermost drawn box of ``page`` around ``line`` (its index; -1: none)."""
    around = [(x1 - x0, n) for n, (x0, top, x1, bottom) in enumerate(page.frames)
              if x0 <= line.x0 and line.x1 <= x1 and top <= line.top and line.bottom <= bottom]
    return min(around)[1] if around else -1


def early_breaks(pdf: Path, pages: list[Page] | None = None) -> list[str]:
    """Lines of body text that end although the next line's first word would have fitted
    on them: within one block (same left edge, size and colour, at the block's own
    leading), a line shorter than the column by more than that word and a space. Body
    text is what is set in the document's commonest size (not bold) at the page's
    commonest left edge."""
    pages = pages if pages is not None else read_pages(pdf)
    sizes = Counter(round(line.size, 1) for page in pages for line in page.lines)
    body = sizes.most_common(1)[0][0] if sizes else 0
    problems = []
    for page in pages:
        if not page.lines:
            continue
        # the text column: the page's commonest left edge (not a callout, panel or cell:
        # a line inside a drawn box is measured against that box's lines, never against
        # the page's, even where its left edge is that of an indented answer)
        frame = {line: _frame(page, line) for line in page.lines}
        left = Counter(round(line.x0) for line in page.lines).most_common(1)[0][0]
        rights = {}
        for line in page.lines:
            if round(line.x0) == left:
                rights[frame[line]] = max(rights.get(frame[line], 0.0), line.x1)
        for line, after in itertools.pairwise(page.lines):
            right = rights.get(frame[line], 0.0)
            step = after.top - line.top
            same_block = abs(line.x0 - after.x0) < 1 and abs(line.size - after.size) < 0.1 \
                and line.ink[1] == after.ink[0] and 0 < step < 1.6 * line.size
            room = right - line.x1 - 0.5 * line.size      # a space, and some slack
            if same_block and round(line.size, 1) == body and not line.bold \
                    and round(line.x0) == left \
                    and after.first_word < room:
                problems.append(f"page {page.number}: {line.text!r} ends its line although "
                                f"{after.text.split()[0]!r} would fit after it")
    return problems
