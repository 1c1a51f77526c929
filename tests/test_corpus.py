"""The corpus of tricky articles: each renders right, or is refused at its line.

The convention, the same for everyone who adds a case (one file per case, in your own
words):

- ``tests/corpus/<case>.md``: a whole article (front matter and Markdown) that must
  render to a PDF meeting every invariant of tests/invariants.py: ``check`` finds
  nothing; no glyph or image outside the page area; only the bundled fonts, embedded;
  every footnote on the page of its source's first citation; every word of the article
  printed (hyphenation aside); veraPDF PDF/UA-1.
- ``tests/corpus/refused/<case>.md``: an article that must be refused, by ``check`` and
  by rendering, with a ``path:line: message`` error (line > 0) containing the text after
  ``# expect-error:`` in a YAML comment of its front matter; no PDF is written.
- Images the cases use go in ``tests/corpus/images/`` and are referenced as
  ``../images/<file>``: the whole folder is copied to ``content/images/``.

All cases live in one project (the sample printjournal.toml, layouts/, fonts/) and are
rendered once per run, with one pipeline (fonts loaded once): ``corpus_outcomes`` in
conftest.py.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .conftest import CORPUS, REPO, CorpusOutcome
from .conftest import CORPUS_CASES as CASES
from .conftest import CORPUS_REFUSED as REFUSED
from .invariants import (
    PageArea,
    footnotes_away_from_calls,
    foreign_fonts,
    glyphs_outside,
    markdown_words,
    missing_words,
    parted,
)
from .tagread import marked_text, note_problems, read_tags
from .test_accessibility import vera  # noqa: F401 (the veraPDF fixture)

pytestmark = pytest.mark.slow

EXPECT = re.compile(r"^#\s*expect-error:\s*(.+?)\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def corpus(corpus_outcomes) -> dict[str, CorpusOutcome]:
    """Every case checked and rendered (conftest.py: once per run, shared with
    test_fonts.py, which reads the script cases)."""
    return corpus_outcomes


@pytest.fixture(scope="module")
def area() -> PageArea:
    return PageArea.of(REPO / "layouts" / "print.css")


def _pdf(corpus: dict[str, CorpusOutcome], case: str) -> Path:
    outcome = corpus[case]
    assert outcome.checked == () and outcome.rendered == (), \
        [str(p) for p in outcome.checked + outcome.rendered]
    assert outcome.pdf is not None
    return outcome.pdf


def test_the_corpus_is_large_enough():
    assert len(CASES) + len(REFUSED) >= 30


RTL = re.compile(r"^lang:\s*[\"']?(ar|ur|he|fa)\b", re.MULTILINE)


def _rtl(case: str) -> bool:
    return bool(RTL.search((CORPUS / f"{case}.md").read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", CASES)
def test_renders_with_nothing_outside_the_text_area(corpus, area, case):
    assert glyphs_outside(_pdf(corpus, case), area, rtl=_rtl(case)) == []


#: WeasyPrint maps each glyph to one piece of text, so a vowel sign drawn before its
#: consonant (Devanagari, Bengali, Gurmukhi) is extracted out of order: the page is right,
#: its text layer is not (tests/test_fonts.py records the same). Strict: a fix shows.
INDIC_TEXT = pytest.mark.xfail(strict=True, reason="Indic vowel signs extract out of order")


def _words_case(case: str):
    indic = case in {"script-hindi", "script-bengali", "script-punjabi"}
    return pytest.param(case, marks=INDIC_TEXT) if indic else case


@pytest.mark.parametrize("case", CASES)
def test_only_bundled_fonts(corpus, case):
    assert foreign_fonts(_pdf(corpus, case)) == []


@pytest.mark.parametrize("case", CASES)
def test_footnotes_are_notes_on_the_page_of_their_call(corpus, case):
    """Footnotes in headings, tables, callouts, lists, answers: each a Note (roles.py)."""
    pdf = _pdf(corpus, case)
    assert note_problems(pdf, read_tags(pdf)) == []


def test_emphasis_reaches_the_tags_in_every_block(corpus):
    """``*x*`` and ``**x**`` in a paragraph, list, table, callout, link and answer are
    Em and Strong elements holding exactly those words (roles.py)."""
    pdf = _pdf(corpus, "emphasis-and-notes-in-every-block")
    tags = read_tags(pdf)
    text = marked_text(pdf, {page for _, mcids in tags.emphasis for page, _ in mcids})
    found = [(role, "".join(text.get(m, "") for m in mcids).strip())
             for role, mcids in tags.emphasis]
    assert sorted(found) == sorted(
        [("Em", w) for w in ("important", "often", "Walking", "straight away", "full",
                             "enough")]
        + [("Strong", w) for w in ("never", "written", "every", "much worse",
                                   "a short walk")])


@pytest.mark.parametrize("case", CASES)
def test_footnotes_on_the_page_of_their_first_call(corpus, case):
    assert footnotes_away_from_calls(_pdf(corpus, case)) == []


def _runs(case: str) -> list[str]:
    """The protected runs (keep.py) in the body of ``case``, by its language."""
    from printjournal.markup.keep import runs

    text = (CORPUS / f"{case}.md").read_text(encoding="utf-8")
    lang = re.search(r"^lang:\s*[\"']?([\w-]+)", text, re.MULTILINE)
    body = text.partition("\n---\n")[2]
    # code prints as typed, line by line, and keep.py leaves it alone: no runs in it
    # ("## log 14 May" / "07:30" in a fence are two lines, not the run "14 May 07:30")
    body = _FENCE.sub("\n", body)
    return runs(" ".join(body.split()), lang[1] if lang else "en")


_FENCE = re.compile(r"^([ \t]*)(```|~~~)[^\n]*\n.*?^\1\2[ \t]*$", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("case", [c for c in CASES if _runs(c)
                                  or "[@" in (CORPUS / f"{c}.md").read_text(encoding="utf-8")])
def test_no_footnote_call_or_protected_run_is_parted(corpus, case):
    assert parted(_pdf(corpus, case), _runs(case)) == []


@pytest.mark.parametrize("case", [_words_case(c) for c in CASES])
def test_every_word_is_printed(corpus, case):
    words = markdown_words((CORPUS / f"{case}.md").read_text(encoding="utf-8"))
    assert words
    assert missing_words(_pdf(corpus, case), words) == []


def test_every_case_passes_verapdf_ua1(vera, corpus):  # noqa: F811
    pdfs = [str(_pdf(corpus, case)) for case in CASES]
    result = subprocess.run([vera, "ua1", *pdfs], capture_output=True, text=True, timeout=900)
    verdicts = re.findall(r"^(\S+) \[ua1\] compliant=(\w+)", result.stdout, re.MULTILINE)
    assert len(verdicts) == len(pdfs), result.stdout + result.stderr
    assert [name for name, ok in verdicts if ok != "true"] == []


@pytest.mark.parametrize("case", REFUSED)
def test_refused_by_check_and_render_at_its_line(corpus, case):
    text = (CORPUS / "refused" / f"{case}.md").read_text(encoding="utf-8")
    expected = EXPECT.search(text.partition("\n---\n")[0])
    assert expected, f"{case}: no '# expect-error: ...' comment in its front matter"
    outcome = corpus[case]
    assert outcome.pdf is None
    for reported in (outcome.checked, outcome.rendered):
        matching = [p for p in reported if expected[1] in p.message]
        assert matching, [str(p) for p in reported]
        assert all(p.line > 0 and str(p).startswith(f"content/articles/{case}.md:{p.line}: ")
                   for p in matching), [str(p) for p in matching]


@pytest.mark.parametrize("case", ["table-long-with-tall-rows", "table-row-taller-than-a-page"])
def test_a_table_repeats_its_header_on_every_page_it_continues_onto(corpus, case):
    import pdfplumber

    with pdfplumber.open(_pdf(corpus, case)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    header = {"table-long-with-tall-rows": "What was checked",
              "table-row-taller-than-a-page": "Notes"}[case]
    body = "Blood pressure" if case == "table-long-with-tall-rows" else "The nurse explained"
    with_rows = [n for n, text in enumerate(pages, start=1) if body in text]
    assert len(with_rows) >= 2, "the table no longer runs over several pages"
    for number in with_rows:
        assert header in pages[number - 1], f"page {number} has rows but no header"
