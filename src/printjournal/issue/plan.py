"""Parts with their page counts and sides in, the issue's page order out.

Pure functions, no rendering: the cover on page 1, the editor's letter on page 2, the
contents and every article on a right-hand (odd) page, a notes or advert page (a
*filler*) where a gap would be, the back cover last on a left-hand page; before the
back cover, fillers until the page count is a multiple of the edition's (2 for the
digital edition, 4 for print, where sheets fold in fours).

Page references print as many digits as the page they point at needs ("p. 9",
"p. 11"); :func:`predict_digits` makes a first guess from word counts, before anything
is rendered.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ..model import Article
from . import fillers
from .manifest import Manifest

FILLERS = fillers.KINDS   # the kinds of filler page (fillers.py: each advert once)
WORDS_PER_PAGE = 380        # only to predict how many digits page numbers have
CONTENTS_LINES = 14         # contents lines that fit a page


class Placeable(Protocol):
    """What the plan needs of a part."""

    @property
    def name(self) -> str: ...       # unique in the issue
    @property
    def side(self) -> str: ...       # "left" or "right": where its first page must fall
    @property
    def target(self) -> str | None: ...  # what page references call it


P = TypeVar("P", bound=Placeable)


@dataclass(frozen=True)
class Sketch:
    """A part as the plan sees it before anything is rendered."""

    name: str
    side: str
    target: str | None = None


def plan(sequence: Sequence[P], pages: Mapping[str, int], filler: Callable[[str, str], P],
         multiple: int) -> list[P]:
    """The parts of ``sequence`` (the back cover last) in page order, with fillers
    (``filler(kind, side)``) where gaps would be and before the back cover until the
    page count is a multiple of ``multiple``. ``pages`` gives each part's page count."""
    order: list[P] = []
    folio = 1
    kinds = fillers.kinds()   # each advert once in the issue, then notes pages

    def fill() -> None:
        nonlocal folio
        order.append(filler(next(kinds), "right" if folio % 2 else "left"))
        folio += 1

    for part in sequence[:-1]:
        if (folio % 2 == 1) != (part.side == "right"):
            fill()
        order.append(part)
        folio += pages[part.name]
    while folio % multiple:
        fill()
    order.append(sequence[-1])
    return order


def starts(order: Sequence[Placeable], pages: Mapping[str, int]) -> list[int]:
    """The folio each part of ``order`` starts on."""
    folio, found = 1, []
    for part in order:
        found.append(folio)
        folio += pages[part.name]
    return found


def digits(order: Sequence[Placeable], pages: Mapping[str, int]) -> dict[str, int]:
    """The digits of each target's first folio."""
    return {part.target: len(str(start))
            for part, start in zip(order, starts(order, pages), strict=True) if part.target}


def predict_digits(manifest: Manifest, multiple: int) -> dict[str, int]:
    """Digits of every part's first page, from word counts: a first guess."""
    sequence = [Sketch("cover", "right", "cover"), Sketch("letter", "left", "letter"),
                Sketch("contents", "right", "contents"),
                *(Sketch(f"article:{a.slug}", "right", a.slug) for a in manifest.articles),
                Sketch("back-cover", "left")]
    pages = {"cover": 1, "letter": estimate(manifest.editorial),
             "contents": contents_pages(manifest), "back-cover": 1,
             **{f"article:{a.slug}": estimate(a) for a in manifest.articles}}
    order = plan(sequence, pages, lambda kind, side: Sketch(f"filler:{kind}:{side}", side),
                 multiple)
    return digits(order, pages | {s.name: 1 for s in order if s.name not in pages})


def contents_pages(manifest: Manifest) -> int:
    """Pages the contents will take: a guess from the number of lines."""
    return 1 + (len(manifest.articles) + 1) // CONTENTS_LINES


def estimate(article: Article) -> int:
    """Pages an article (or the letter, the back cover) will take: a guess from words."""
    words = len(article.body.split()) + 12 * len(article.sources)
    return max(1, math.ceil(words / WORDS_PER_PAGE))
