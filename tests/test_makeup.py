"""Page make-up (issue 12), measured on the rendered samples: nothing stranded at a page
foot, pages filled, a split table never leaves one row, each issue advert once.

The measures are tests/makeup.py's; leaflets are checked in tests/test_leaflet.py (its
session leaflets), the issue here on the session's issue PDFs."""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path

import pypdf
import pytest

from printjournal import pipeline as build
from printjournal.issue import fillers
from printjournal.load import content

from . import makeup

#: a short article, one whose chart cannot share a page with its text, one with a table
ARTICLES = ("sleep-and-immunity", "fibre-everyday-guide", "eating-for-your-heart")


@pytest.fixture(scope="module")
def article_pages(samples) -> dict[str, tuple[Path, list[makeup.Page], str]]:
    return {slug: (samples[slug].pdf, makeup.read_pages(samples[slug].pdf),
                   samples[slug].article.section) for slug in ARTICLES}


def test_no_article_page_ends_with_a_heading_or_section_label(article_pages):
    for slug, (pdf, pages, section) in article_pages.items():
        assert makeup.stranded_headings(pdf, [section], pages) == [], slug


def test_every_article_page_but_the_last_is_filled(article_pages):
    for slug, (pdf, pages, _) in article_pages.items():
        assert makeup.underfilled(pdf, pages) == [], slug


LONG_TABLE = """\
---
title: "A long table"
section: "Testing"
date: 2026-03-01
---
{filler}

## The table

| Food | Portion | Fibre |
| --- | --- | --- |
{rows}

A line after the table.
"""


@pytest.fixture(scope="module")
def long_tables(tmp_path_factory) -> list[Path]:
    """Tables too long for one page, starting at two depths of the page: wherever the
    page breaks, each page must hold two rows of the table or none."""
    from .conftest import TmpProject

    made = []
    for number, (lines, rows) in enumerate(((20, 47),)):
        project = TmpProject(tmp_path_factory.mktemp("tables") / "project")
        filler = "\n\n".join(f"Paragraph {i}, words to fill a line." for i in range(lines))
        body = "\n".join(f"| Food {i} | one portion | {i % 9} g |" for i in range(rows))
        project.article("table", LONG_TABLE.format(filler=filler, rows=body))
        loaded = project.project()
        pipeline = build.Pipeline.load(loaded)
        article = content.load_article(loaded.articles_dir / "table.md", loaded)
        pdf = project.root / f"table-{number}.pdf"
        pdf.write_bytes(pipeline.renderer.pdf(pipeline.article_html(article), article.path).data)
        made.append(pdf)
    return made


def test_a_split_table_leaves_at_least_two_rows_on_each_page(long_tables):
    for pdf in long_tables:
        assert len(pypdf.PdfReader(pdf).pages) > 1
        assert makeup.table_fragments(pdf) == [], pdf.name
        assert makeup.stranded_headings(pdf, ["Testing"]) == [], pdf.name


def _fillers(pdf: Path) -> list[tuple[int, str]]:
    """(page, kind) of each notes or advert page, by the words each kind prints. Only
    the pages a filler can stand on are read (text extraction is slow): the page before
    each part that opens on a page of its own, and the three before the back cover."""
    words = (("reviewed", "written by clinicians"), ("online", "journal online"),
             ("notes", "questions for your next appointment"))
    reader = pypdf.PdfReader(pdf)
    last = len(reader.pages)
    opens = {page for depth, _, page in makeup.outline(reader) if depth == 0}
    found = []
    for number in sorted({p - 1 for p in opens} | set(range(last - 3, last)) - {0}):
        text = re.sub(r"\s+", " ", reader.pages[number - 1].extract_text() or "").casefold()
        kind = next((kind for kind, said in words if said in text), None)
        if kind and len(text) < 800:      # a page of its own, not an article quoting it
            found.append((number, kind))
    return found


@pytest.mark.parametrize("edition", ["digital", "print"])
def test_no_advert_repeats_and_fillers_stand_in_gaps(edition, sample_issue,
                                                    sample_print_issue):
    pdf = (sample_issue if edition == "digital" else sample_print_issue).pdf
    reader = pypdf.PdfReader(pdf)
    found = _fillers(pdf)
    # the gaps take fillers.kinds() in page order: a notes page, each advert once (as many
    # as there are gaps for), then notes pages; so no advert repeats
    assert [kind for _, kind in found] == list(itertools.islice(fillers.kinds(), len(found)))
    adverts = [kind for _, kind in found if kind in fillers.ADVERTS]
    assert len(adverts) == len(set(adverts)) and adverts, found
    # a filler stands before a part that must open on a right-hand page, or before the
    # back cover (the digital edition: one page at most; print: up to three, to a
    # multiple of 4)
    opens = {page for depth, _, page in makeup.outline(reader) if depth == 0}
    last = len(reader.pages)
    trailing = [page for page, _ in found if page + 1 not in opens]
    assert all(page % 2 == 0 for page in {p for p, _ in found} - set(trailing)), found
    assert trailing == list(range(last - len(trailing), last)), found
    assert len(trailing) <= (1 if edition == "digital" else 3), found


def test_the_print_advert_asks_nothing_paper_cannot_do(sample_print_issue):
    reader = pypdf.PdfReader(sample_print_issue.pdf)
    online = [page for page, kind in _fillers(sample_print_issue.pdf) if kind == "online"]
    assert len(online) == 1
    text = re.sub(r"\s+", " ", reader.pages[online[0] - 1].extract_text() or "")
    assert "follow the links" not in text
    assert "Type the address below" in text


@pytest.fixture(scope="module")
def large_print_sleep(one_article_leaflet) -> Path:
    """The large-print leaflet where WeasyPrint 70 left "Because" alone on a line (on A4,
    the sample's paper, printed 21 November 2026: test_leaflet_matrix.py's case)."""
    pdf = one_article_leaflet("sleep-and-immunity", "large-print", "A4").pdf
    assert pdf is not None
    return pdf


def test_no_line_of_text_ends_before_a_word_that_would_fit(large_print_sleep):
    pages = makeup.read_pages(large_print_sleep)
    # contact details are set a line each: in the front band on page 1 (above the
    # article's section label) and in the closing panel on the last page
    # and so are the governance stamp's items ("About this information": each item
    # whole, the stamp wraps between them), wherever the article's end puts it
    first = pages[0]
    label = next(i for i, line in enumerate(first.lines) if line.text.strip().lower() == "sleep")
    text = [dataclasses.replace(first, lines=first.lines[label:]), *pages[1:-1]]
    text = [dataclasses.replace(page, lines=page.lines[:next(
        (i for i, line in enumerate(page.lines) if line.text.strip() == "About this information"),
        len(page.lines))]) for page in text]
    assert makeup.early_breaks(large_print_sleep, text) == []
    assert makeup.stranded_headings(large_print_sleep, ["Sleep"], pages) == []
    assert makeup.underfilled(large_print_sleep, pages) == []


def test_the_editors_letter_is_one_ragged_column_on_page_2(sample_print_issue):
    reader = pypdf.PdfReader(sample_print_issue.pdf)
    opens = {title: page for depth, title, page in makeup.outline(reader) if depth == 0}
    assert opens["Contents"] == 3          # the letter keeps to page 2
    lines = [line for line in makeup.read_pages(sample_print_issue.pdf, only=2)[0].lines
             if not line.bold and len(line.text) > 30]
    lefts = {round(line.x0) for line in lines}
    assert len(lines) > 10 and max(lefts) - min(lefts) <= 1, lefts      # one column
    rights = sorted(line.x1 for line in lines[:-1])
    assert rights[-1] - rights[len(rights) // 2] > 10, rights     # ragged, not justified
