"""Printed addresses, DOIs and ids break at their punctuation, never with a hyphen added."""

from __future__ import annotations

import html
import itertools
import re

import pdfplumber
import pytest

from printjournal.markup.breaks import BREAK, address_lines, breakable_url, pieces
from printjournal.pipeline import Pipeline, build_article

ADDRESS = ("https://www.example.org/guidance/long-term-conditions/management/adults/"
           "full_guideline-with-appendices.pdf?edition=2026&format=print")
SOURCE = ("https://doi.example.org/10.1056/NEJMoa2308917/supplementary-appendix/"
          "tables-and-figures/tables.pdf")   # longer than a line of the Sources list
TRIAL = "NCT0123456789-0123456789-0123456789-0123456789-0123456789-0123456789"
DOI = "10.1056/NEJMoa2308917.supplement.0123456789.appendix-tables.0123456789"
ARTICLE = f"""\
---
title: "Where to read more"
section: "Tests"
date: 2026-05-04
sources:
  - {{id: g, text: "A guideline", url: "{SOURCE}"}}
---
Read the [full guideline]({ADDRESS}).

The trial {TRIAL} and its data set {DOI} are registered.

Both are in the guideline [@g].
"""


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    from .conftest import TmpProject

    project = TmpProject(tmp_path_factory.mktemp("breaks") / "project")
    project.write("printjournal.toml", """\
        [journal]
        name = "Test Journal"
        publisher = "Test Clinic"
        base_url = "https://test.example"
        paper = "A5"
        """)
    path = project.article("addresses", ARTICLE)
    out = project.root / "addresses.pdf"
    build_article(Pipeline.load(project.project()), path, out)
    with pdfplumber.open(out) as opened:
        yield [page.extract_text() for page in opened.pages], \
            [a.get("uri") for page in opened.pages for a in page.annots if a.get("uri")]


def _lines_of(text: str, printed: str) -> list[str]:
    """The printed lines that hold a part of ``printed``, in order (the whole of it
    must be found in the text with the line breaks taken out)."""
    lines = text.splitlines()
    for first in range(len(lines)):
        for last in range(first, len(lines)):
            joined = "".join(lines[first:last + 1])
            if printed in joined and printed not in "".join(lines[first + 1:last + 1]) \
                    and printed not in "".join(lines[first:last]):
                return lines[first:last + 1]
    raise AssertionError(f"{printed!r} is not printed whole:\n{text}")


def _breaks_at(lines: list[str], printed: str) -> list[int]:
    """The offsets in ``printed`` where the printed lines part it."""
    start = "".join(lines).index(printed)
    offsets, total = [], 0
    for line in lines[:-1]:
        total += len(line)
        if start < total < start + len(printed):
            offsets.append(total - start)
    return offsets


@pytest.mark.parametrize("printed", [
    ADDRESS.removeprefix("https://www."),   # a link's printed address, after its text
    SOURCE,                                 # the Sources list
    TRIAL, DOI])                            # ids in running text
def test_an_address_or_id_breaks_only_at_its_punctuation(pdf, printed):
    text = "\n".join(pdf[0])
    assert "\u200b" not in text and "\u00ad" not in text  # nothing added to the text
    lines = _lines_of(text, printed)
    breaks = _breaks_at(lines, printed)
    assert breaks, f"{printed!r} fits one line: the test shows nothing\n{text}"
    url = printed in (ADDRESS.removeprefix("https://www."), SOURCE)
    for at in breaks:   # each line ends after / (an address), after punctuation (an id)
        assert printed[at - 1] in ("/" if url else "/.-_?&=:"), (at, lines)


def test_the_link_targets_stay_the_addresses(pdf):
    assert set(pdf[1]) >= {ADDRESS, SOURCE}
    assert all("\u200b" not in uri for uri in pdf[1])


def test_break_points_follow_the_rules():
    assert pieces("see https://a.org/b-c_d?e=1&f=2 now") == [
        "see https://", "a.org/", "b-c_d?e=1&f=2 now"]
    assert pieces("id NCT0123-4567/89.1, then") == ["id NCT0123-", "4567/", "89.", "1, then"]
    assert pieces("a long word like Herz-Kreislauf-Erkrankungen") == [
        "a long word like Herz-Kreislauf-Erkrankungen"]
    assert pieces("short 10.1/2") == ["short 10.1/2"]


def test_python_markdowns_placeholders_stay_whole():
    text = "before \x02wzxhzdk:12\x03-0123456789/abcdef after"
    assert "".join(pieces(text)) == text
    assert all("\x02" not in part or "\x03" in part for part in pieces(text))


@pytest.mark.parametrize("url", [ADDRESS, SOURCE, "https://cureon.example/journal/winter-low-mood-sad",
                                 "cureon.example/journal/understanding-blood-pressure/"])
def test_every_printed_address_breaks_by_one_rule(url):
    """An address in running text (Sources: ``breakable_url``) and in a QR code's caption
    (``address_lines``) part into the same pieces: after a "/", never inside "//", never
    at its own dots. Only the caption's piece too wide for its line may break inside,
    before one of its own hyphens and never after one ("understanding" / "-blood")."""
    in_text = breakable_url(url).replace("\u2060", "").split(BREAK)
    caption = html.unescape(str(address_lines(url)))
    spans = re.findall(r'<span class="piece">(.*?)</span>', caption)
    assert BREAK.join(f'<span class="piece">{s}</span>' for s in spans) == caption
    assert in_text == [s.replace(BREAK, "").replace("\u2060", "") for s in spans] \
        == pieces(url, url=True)
    for span in spans:
        runs = span.split(BREAK)
        assert all(run.startswith("-\u2060") for run in runs[1:]), runs
        assert not any(re.search(r"-(?!\u2060)", run) for run in runs), runs
    assert "".join(in_text) == url and len(in_text) > 2
    assert all(piece.endswith("/") and not after.startswith("/")
               for piece, after in itertools.pairwise(in_text))
