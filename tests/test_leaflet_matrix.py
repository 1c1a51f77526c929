"""Every sample article as a one-article leaflet, in every style, on A4 and A5.

Each case is printed, or refused only for a reason ``check`` already warns about at the
same line (a table too wide for an A5 large-print page: tablefit.py); a large-print one
with no two lines printed into each other (tests/overprint.py). A fault found by
looking at pages (an Arabic article in large print refused for a byline that printed
inside the text area) must never again hide in a case nobody printed.

The date printed is conftest.LEAFLET_DAY: every sample inside its review date but
walking-for-health's three.

Cost: one render per case (a one-article leaflet is one part; the closing panel, with
that article's QR code, is its own), each made once a run by conftest's
``one_article_leaflet`` (a module reading one of these leaflets reads the same render),
their parts and the sheets the dates are drawn on in one render cache: about 170 s of
CPU for the file (A4 about 70 s, A5 about 80 s, ``check`` and reading the PDFs the rest),
well over the 60 s a file may take, so the A5 half is ``slow``; ``./run.sh test`` runs
it. Letter is left out: its measure is between A4's and A5's, and it would cost as much
again.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pdfplumber
import pytest

from printjournal import styles
from printjournal.checks.check import check
from printjournal.errors import Notices, Problem

from . import overprint
from .conftest import REPO

ARTICLES = sorted(p.stem for p in (REPO / "content" / "articles").glob("*.md"))
PAPERS = ("A4", "A5")

#: Refusals that are faults still open, each with what it is (strict: a fixed one fails
#: here until it is taken off this list).
OPEN: dict[tuple[str, str, str], str] = {}


@dataclass(frozen=True)
class Outcome:
    """One case: the leaflet's bytes, or the problems it was refused for."""

    data: bytes | None
    problems: tuple[Problem, ...] = ()


@pytest.fixture(scope="module")
def warned(fresh_sample_project) -> set[tuple[str, int, str]]:
    """``check``'s warnings as (file, line, message)."""
    notices = Notices()
    assert check(fresh_sample_project, notices=notices) == []
    return {(str(n.path), n.line, n.message) for n in notices.found}


@pytest.fixture(scope="module")
def printed(one_article_leaflet) -> Callable[[str, str, str], Outcome]:
    """``printed(slug, style, paper)``: that one-article leaflet (conftest's
    ``one_article_leaflet``: made once a run, its parts in a render cache of their own,
    not the project's, whose renders the desk's tests count)."""
    def one(slug: str, style: str, paper: str) -> Outcome:
        made = one_article_leaflet(slug, style, paper)
        return Outcome(made.pdf.read_bytes() if made.pdf else None, made.problems)
    return one


def _cases() -> list:
    cases = []
    for paper in PAPERS:
        for style in styles.STYLES:
            for slug in ARTICLES:
                marks = [pytest.mark.slow] if paper == "A5" else []
                if (slug, style.name, paper) in OPEN:
                    marks.append(pytest.mark.xfail(reason=OPEN[slug, style.name, paper],
                                                   strict=True))
                cases.append(pytest.param(slug, style.name, paper, marks=marks,
                                          id=f"{slug}-{style.name}-{paper}"))
    return cases


@pytest.mark.parametrize(("slug", "style", "paper"), _cases())
def test_every_sample_prints_or_is_refused_only_as_check_warns(printed, warned, slug,
                                                               style, paper):
    outcome = printed(slug, style, paper)
    if outcome.data is not None:
        with pdfplumber.open(io.BytesIO(outcome.data)) as pdf:
            assert len(pdf.pages) >= 2
            assert any(page.extract_words() for page in pdf.pages[1:])
        # no two lines print into each other: notes, body, stamp and flag (tests/overprint.py);
        # read where the type is large (16 pt furniture and notes: where lines met), as
        # reading every page's glyphs costs about 0.1 s of CPU a page (test_overprint.py
        # reads the standard sample leaflets and articles)
        if styles.style(style).large_type:
            assert overprint.overprinted(outcome.data) == []
        return
    unwarned = [str(p) for p in outcome.problems
                if not any(path == str(p.path) and line == p.line and paper in message
                           for path, line, message in warned)]
    assert outcome.problems and not unwarned, unwarned


MM = 72 / 25.4
AR = "walking-for-health-ar"


def _rule(page) -> tuple[float, float]:
    """The text area's left and right edges: those of the widest box drawn on the page
    (the masthead's rule and the review flag's box span the text area)."""
    rules = [(r["x0"], r["x1"]) for r in [*page.rects, *page.lines]
             if r["width"] > page.width / 2]
    assert rules
    return max(rules, key=lambda r: r[1] - r[0])


@pytest.mark.parametrize("style", [s.name for s in styles.STYLES])
@pytest.mark.parametrize("paper", PAPERS)
def test_an_arabic_byline_with_latin_names_prints_inside_and_reads_right(printed, style,
                                                                         paper):
    """The byline's Latin names ("Dr Samuel Okafor, Cureon Editorial Team") in an Arabic
    masthead: printed (large print refused it, on A4 and A5), inside the text area, and
    set as Arabic is, from the right edge of the text area."""
    outcome = printed(AR, style, paper)
    assert outcome.data is not None, [str(p) for p in outcome.problems]
    with pdfplumber.open(io.BytesIO(outcome.data)) as pdf:
        [page] = [p for p in pdf.pages if any(w["text"] == "Editorial"
                                              for w in p.extract_words())]
        left, right = _rule(page)
        words = page.extract_words(extra_attrs=["size"])
        title = [w for w in words if w["size"] > 20]     # the title: 25 pt, 30 in large
        [editorial] = [w for w in words if w["text"] == "Editorial"]
        names = [w for w in words if w["text"] in ("Dr", "Samuel", "Okafor,", "Cureon",
                                                  "Editorial", "Team")
                 and 0 <= editorial["top"] - w["top"] < 30]     # the byline's lines
    assert len(names) == 6
    for word in names:
        assert left - 1 <= word["x0"] and word["x1"] <= right + 1, word
    # each name reads left to right: on one line, "Dr" left of "Samuel" left of "Okafor,"
    by = {w["text"]: w for w in names}
    if abs(by["Dr"]["top"] - by["Okafor,"]["top"]) < 2:
        assert by["Dr"]["x1"] < by["Samuel"]["x0"] < by["Okafor,"]["x0"]
    # right to left: the title and the byline's first line start at the right edge
    byline_top = min(w["top"] for w in names)
    first_line = [w for w in words if abs(w["top"] - byline_top) < 3]
    assert title and max(w["x1"] for w in title) == pytest.approx(right, abs=2)
    assert max(w["x1"] for w in first_line) == pytest.approx(right, abs=2)
