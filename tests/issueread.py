"""Reading an issue as its reader does: printed folios, running headers, contents lines.

Everything is read from the trimmed page (the TrimBox), so the print edition with its
bleed and crop marks reads like the digital one.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf

MM = 72 / 25.4


@dataclass(frozen=True)
class IssuePage:
    index: int                 # 0-based
    folio: int | None          # the page number printed in a bottom corner
    folio_side: str | None     # "left" or "right": the corner it stands in
    header: str
    body: str
    footer: str

    @property
    def number(self) -> int:
        return self.index + 1


@functools.lru_cache(maxsize=16)
def _issue_pages(path: Path, digest: str) -> tuple[IssuePage, ...]:
    trims = [page.trimbox for page in pypdf.PdfReader(path).pages]
    result = []
    with pdfplumber.open(path) as pdf:
        for index, (page, trim) in enumerate(zip(pdf.pages, trims, strict=True)):
            # pdfplumber keeps PDF x, and measures "top" as page height minus PDF y
            left = float(trim.left)
            top = page.height - float(trim.top)
            width, height = float(trim.width), float(trim.height)
            band = 20 * MM

            def text(x0: float, y0: float, x1: float, y1: float, _page=page) -> str:
                return (_page.crop((x0, y0, x1, y1)).extract_text() or "").strip()

            header = text(left, top, left + width, top + band)
            footer = text(left, top + height - band, left + width, top + height)
            body = text(left, top + band, left + width, top + height - band)
            folio = side = None
            for word in page.crop((left, top + height - band, left + width,
                                   top + height)).extract_words():
                if re.fullmatch(r"\d+", word["text"]):
                    folio = int(word["text"])
                    side = "left" if word["x0"] - left < width / 2 else "right"
            result.append(IssuePage(index, folio, side, header, body, footer))
    return tuple(result)


def issue_pages(path: Path) -> tuple[IssuePage, ...]:
    """Each page of the issue at ``path``, read once per content (a file rewritten since
    reads as it now is, whatever its time stamp)."""
    return _issue_pages(path, hashlib.sha256(path.read_bytes()).hexdigest())


def squash(text: str) -> str:
    """Whitespace as single spaces (titles break across lines)."""
    return re.sub(r"\s+", " ", text).strip()


def start_page(pages: tuple[IssuePage, ...], title: str, after: int = 0) -> IssuePage:
    """The first page after ``after`` whose text (not its running header) holds ``title``."""
    for page in pages[after:]:
        if squash(title) in squash(page.body):
            return page
    raise AssertionError(f"no page starts {title!r}")


def contents_number(contents: str, title: str) -> int:
    """The page number the contents prints after ``title`` (past its dot leader)."""
    pattern = re.escape(squash(title)).replace(r"\ ", r"\s+") + r"[\s.]*?(\d+)\b"
    match = re.search(pattern, squash(contents))
    assert match, f"{title!r} not in the contents"
    return int(match[1])
