"""What must hold for every PDF printjournal makes: shared by the corpus and sample tests.

Each function opens a PDF (pdfplumber, pypdf) and returns the problems it finds, as
plain sentences (an empty list: all is well), so a test can assert ``== []`` and show
them all. The page area comes from the layouts' own CSS (:class:`PageArea`), never from
numbers copied here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdf

from .parsed import Page, parsed
from .pdfread import destination_pages, fonts, link_pages

MM = 72 / 25.4
#: how far a glyph's box may stick out (accents, italics' overhang, rounding)
SLACK = 1.5
#: what the layouts print in the margins (running heads, footers, page numbers) is
#: set at 8.5 pt (print.css --size-furniture; nothing smaller, issue 12); text larger than
#: it in a margin has overflowed out of the page area
FURNITURE_SIZE = 8.6
FONTS = Path(__file__).resolve().parent.parent / "fonts"


def bundled_fonts(folder: Path = FONTS) -> set[str]:
    """The names a PDF gives the fonts in ``folder``: each font's family and full name with hyphens
    for spaces, as WeasyPrint writes it (``Charis-SIL-Bold-Italic``, ``Noto-Sans-Arabic``),
    and its PostScript name, read from the fonts themselves."""
    from fontTools.ttLib import TTFont

    names: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in {".ttf", ".otf"}:
            with TTFont(path, lazy=True) as font:
                for name_id in (1, 4, 6, 16):
                    name = font["name"].getDebugName(name_id)
                    if name:
                        names.add(name.replace(" ", "-"))
    return names


BUNDLED_FONTS = bundled_fonts()


@dataclass(frozen=True)
class PageArea:
    """The margins (in mm) of a layout's pages, read from its stylesheets' @page rules:
    ``top, right, bottom, left`` of a right-hand page; left-hand pages are mirrored."""

    top: float
    right: float
    bottom: float
    left: float

    @classmethod
    def of(cls, *stylesheets: Path) -> PageArea:
        """Later sheets override earlier ones, as in the cascade of the layouts; an
        ``@page :right`` rule is more specific than ``@page`` and wins over it wherever
        it comes from."""
        top = right = bottom = left = 0.0
        sides: tuple[float, float] | None = None
        for sheet in stylesheets:
            css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
            plain = re.search(r"@page\s*\{[^}]*?\bmargin:\s*([\d.]+)mm\s+([\d.]+)mm\s+"
                              r"([\d.]+)mm\s+([\d.]+)mm", css)
            if plain:
                top, right, bottom, left = (float(v) for v in plain.groups())
            right_page = re.search(r"@page\s*:right\s*\{\s*margin-left:\s*([\d.]+)mm;\s*"
                                   r"margin-right:\s*([\d.]+)mm", css)
            if right_page:
                sides = (float(right_page[1]), float(right_page[2]))
        if sides:
            left, right = sides
        return cls(top, right, bottom, left)

    def box(self, number: int, width: float, height: float, rtl: bool = False
            ) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of page ``number`` (1-based; odd pages are right-hand, but
        left-hand in a right-to-left document, which opens on a left-hand page)."""
        recto = bool(number % 2) != rtl
        left, right = (self.left, self.right) if recto else (self.right, self.left)
        return left * MM, self.top * MM, width - right * MM, height - self.bottom * MM


def glyphs_outside(pdf: Path, area: PageArea, furniture: float = FURNITURE_SIZE,
                   rtl: bool = False) -> list[str]:
    """Glyphs and images that leave the page area: sideways past the margins at all, or
    up or down into the margins when they are not page furniture (text no larger than
    ``furniture`` points)."""
    problems: list[str] = []
    for page in parsed(pdf):
        x0, top, x1, bottom = area.box(page.number, page.width, page.height, rtl)
        stray = [c for c in page.glyphs if c.text.strip() and (
            c.x0 < x0 - SLACK or c.x1 > x1 + SLACK
            or (c.size > furniture and (c.top < top - SLACK or c.bottom > bottom + SLACK)))]
        if stray:
            text = "".join(c.text for c in stray[:40])
            problems.append(f"page {page.number}: {len(stray)} glyphs outside the page area, "
                            f"e.g. {text!r} at x={stray[0].x0:.0f}..{stray[-1].x1:.0f}")
        for image in page.images:
            if image.x0 < x0 - SLACK or image.x1 > x1 + SLACK \
                    or image.top < top - SLACK or image.bottom > bottom + SLACK:
                problems.append(
                    f"page {page.number}: an image at ({image.x0:.0f}, {image.top:.0f})-"
                    f"({image.x1:.0f}, {image.bottom:.0f}) leaves the page area "
                    f"({x0:.0f}, {top:.0f})-({x1:.0f}, {bottom:.0f})")
    return problems


def foreign_fonts(pdf: Path) -> list[str]:
    """Fonts that are not the bundled ones, or not embedded."""
    found = fonts(pypdf.PdfReader(pdf))
    return [f"font {name} is {'not bundled' if name not in BUNDLED_FONTS else 'not embedded'}"
            for name, embedded in sorted(found.items())
            if name not in BUNDLED_FONTS or not embedded]


def footnotes_away_from_calls(pdf: Path, prefix: str = "") -> list[str]:
    """Every footnote on the page of its source's first citation."""
    reader = pypdf.PdfReader(pdf)
    calls = link_pages(reader, f"{prefix}source-")
    notes = destination_pages(reader, f"{prefix}note-")
    problems = [f"source {key}: cited first on page {min(pages)}, its footnote on page "
                f"{notes.get(key)}" for key, pages in sorted(calls.items())
                if notes.get(key) != min(pages)]
    problems += [f"footnote {key} has no citation" for key in sorted(set(notes) - set(calls))]
    return problems


def printed_text(pdf: Path) -> str:
    """Every character the PDF prints, in the order it is drawn (cell by cell in a table,
    not across the columns), in one string without spaces, line breaks or hyphens
    (hyphenation undone), ligatures and compatibility forms spelled out."""
    return _spelled("".join(_glyphs(pdf)))


def _glyphs(pdf: Path) -> list[str]:
    """The text of each glyph drawn, in drawing order (a lam-alef ligature is one)."""
    return [glyph.text for page in parsed(pdf) for glyph in page.glyphs]


def _spelled(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-‐]+", "", text).casefold()


def missing_words(pdf: Path, words: list[str]) -> list[str]:
    """``words`` not found in what the PDF prints (long words may be broken anywhere;
    right-to-left words are drawn, and so extracted, from left to right)."""
    glyphs = _glyphs(pdf)
    printed = _spelled("".join(glyphs))
    drawn_backwards = _spelled("".join(glyphs[::-1]))    # glyph by glyph: ligatures whole
    return [w for w in dict.fromkeys(words)
            if (key := unicodedata.normalize("NFKC", w).casefold()) not in printed
            and key not in drawn_backwards]


def markdown_words(text: str) -> list[str]:
    """The words a reader should find on paper for an article's front matter and
    Markdown: title, standfirst, source texts and body, without the markup."""
    front, _, body = text.partition("\n---\n")
    printed = []
    for key in ("title", "dek", "text"):
        printed += re.findall(rf"\b{key}:\s*\"([^\"]*)\"", front)
    body = re.sub(r"\[@[^\]]*\]", " ", body)                       # citations
    body = re.sub(r"!\[[^\]]*\]\(\s*\S+(?:\s+\"([^\"]*)\")?\s*\)", r" \1 ", body)  # images
    body = re.sub(r"\]\([^)]*\)", "] ", body)                      # link targets
    body = re.sub(r"^!!!\s*\w+", " ", body, flags=re.M)            # callout kind
    body = re.sub(r"^(```|~~~).*$", " ", body, flags=re.M)          # fences, info string
    return re.findall(r"\w+", " ".join([*printed, body]))


def parted(pdf: Path, runs: list[str], prefix: str = "") -> list[str]:
    """What a line break parts that must stay together, the PDF read once (its glyphs are
    the cost): footnote calls at the start of a line, parted from their word ("CBT-I /
    ²", "¹, / ⁵"), and each of ``runs`` (text that must stay on one line) printed across
    a line break."""
    problems = []
    for page in parsed(pdf, text=True):
        problems += [f"page {page.number}: the call {call} starts a line"
                     for call in _calls_starting_a_line(page, prefix)]
        text = page.text.replace("\u00a0", " ")
        flat = text.replace("\n", " ")
        problems += [f"page {page.number}: {run!r} is broken across lines"
                     for run in dict.fromkeys(runs) if flat.count(run) > text.count(run)]
    return problems


def _calls_starting_a_line(page: Page, prefix: str) -> list[str]:
    """The calls on ``page`` (links to ``<prefix>source-N``) whose first glyph has no glyph
    of its line just before it (a word space at most) while its line has text (larger
    glyphs) elsewhere."""
    found = []
    chars = [c for c in page.glyphs if c.text.strip()]
    for call in page.links:
        if not call.dest.startswith(f"{prefix}source-"):
            continue
        x0, top, x1, bottom = call.x0, call.top, call.x1, call.bottom
        inside = [c for c in chars if x0 - 0.5 <= (c.x0 + c.x1) / 2 <= x1 + 0.5
                  and c.top - 0.5 <= (top + bottom) / 2 <= c.bottom + 0.5]
        if not inside:
            continue
        first = min(inside, key=lambda c: c.x0)
        middle = (first.top + first.bottom) / 2
        line = [c for c in chars if c not in inside and c.top <= middle <= c.bottom]
        before = [c for c in line if first.x0 - 12 < c.x1 <= first.x0 + 0.5]
        if any(c.size > first.size * 1.2 for c in line) and not before:
            found.append("".join(c.text for c in sorted(inside, key=lambda c: c.x0)))
    return found
