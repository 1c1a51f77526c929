"""What must not break apart stays together on paper: footnote calls with their word,
phone numbers, "NHS 111", names with their titles, numbers with units, ranges, dates
(keep.py); sources numbered in order of first citation (Vancouver); ``short_title``."""

from __future__ import annotations

import re

import pdfplumber
import pypdf
import pytest

from printjournal import pipeline as build
from printjournal.load.content import load_article
from printjournal.markup import body as markup
from printjournal.markup.keep import runs

from .conftest import SAMPLE_LEAFLETS
from .invariants import parted


def _article(title: str, sources: dict[str, str], body: str, **fields: str) -> str:
    """An article's text: its front matter (``fields`` after the title) and ``body``."""
    lines = [f'title: "{title}"', *(f'{key}: "{value}"' for key, value in fields.items()),
             'section: "Tests"', "date: 2026-03-01", "sources:",
             *(f'  - {{id: {key}, text: "{text}"}}' for key, text in sources.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def _sample_pdfs(samples, sample_leaflet):
    """Every sample article and test_leaflet.py's leaflets but the booklet (imposed two-up:
    its lines are not the leaflet's lines; conftest.SAMPLE_LEAFLETS leaves it out)."""
    pdfs = {f"article {slug}": (s.pdf, s.article.lang, s.article.body)
            for slug, s in samples.items()}
    for name in SAMPLE_LEAFLETS:
        m = sample_leaflet(name)
        body = " ".join(samples[slug].article.body for slug in m.request.slugs)
        pdfs[f"leaflet {name}"] = (m.pdf, "en", body)
    return pdfs


def test_no_call_or_protected_run_of_a_sample_is_parted_by_a_line_break(
        samples, sample_leaflet):
    """No line of a sample article or leaflet begins with a footnote call, and no phone
    number, dose, name, range or date the rules protect is broken across lines."""
    found = {name: parted(pdf, runs(" ".join(body.split()), lang))
             for name, (pdf, lang, body) in _sample_pdfs(samples, sample_leaflet).items()}
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_samples_hold_protected_runs_to_check(samples):
    body = " ".join(s.article.body for s in samples.values())
    held = runs(" ".join(body.split()), "en")
    assert {"NHS 111", "116 123"} <= set(held)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en-GB", "Call NHS 111 or 0800 123 4567, or Samaritans on 116 123.",
     ["NHS 111", "0800 123 4567", "116 123"]),
    ("en", "Dr Amara Nwosu said 10 mg for 5 minutes, ages 13–18, 9 am–5 pm, 135/85 mmHg.",
     ["Dr Amara Nwosu", "10 mg", "5 minutes", "13–18", "9 am–5 pm", "135/85 mmHg"]),
    # never a piece of an id, an address or a compound
    ("en", "Trial NCT0123-4567 8 at nhs.uk/111 2 for 13–18-year-olds.", []),
    ("en", "Printed 29 November 2026; reviewed March 2026.", ["29 November 2026", "March 2026"]),
    ("de-DE", "Am 29. November 2026 um 9 Uhr: Dr. Anna Weber, 116 117, 38,5 °C, 5 Minuten.",
     ["29. November 2026", "9 Uhr", "Dr. Anna Weber", "116 117", "38,5 °C", "5 Minuten"]),
    # a language without rules of its own: the numbers every language shares, no words
    ("fr", "Appelez le 0800 123 4567 : 10 mg, 5 minutes, Dr Martin.", ["0800 123 4567", "10 mg"]),
])
def test_protected_runs_follow_the_language(lang, text, expected):
    assert runs(text, lang) == expected


def test_calls_and_runs_in_the_html_keep_their_text_whole(tmp_project):
    tmp_project.article("runs", _article(
        "Runs", {"a": "Source A", "b": "Source B"},
        "Sleep problems [@a; @b] are common. Call NHS 111 or see Dr Amara Nwosu (`NHS 111`).\n"
        "Or call [NHS 111](https://111.nhs.uk/). Eczema-prone skin, trial NCT0123-4567.\n"))
    project = tmp_project.project()
    article = load_article(tmp_project.root / "content/articles/runs.md", project)
    html = markup.to_html(article, project, compounds=True).html
    assert 'problems<span class="citation"><sup class="cite">\u2060<a' in html
    assert '>1</a>,\u2060<a' in html
    assert '<span class="keep">NHS 111</span> or see <span class="keep">Dr Amara Nwosu</span>' \
        in html
    assert "<code>NHS 111</code>" in html      # code prints as typed
    # a link's text: no span inside the link (it would own the link's tag), a word joiner
    assert '<a href="https://111.nhs.uk/">NHS \u2060111</a>' in html
    # a compound is marked where asked (large print keeps it whole), an id is not one
    assert '<span class="compound">Eczema-prone</span> skin, trial NCT' in html
    assert html.count('class="compound"') == 1


def _footnote_order(pdf) -> dict[int, list[int]]:
    """Per page, the footnote numbers from the top of the page down."""
    reader = pypdf.PdfReader(pdf)
    pages: dict[int, list[tuple[float, int]]] = {}
    for name, dest in reader.named_destinations.items():
        if re.fullmatch(r"note-\d+", name):
            page = reader.get_page_number(dest.page) + 1
            pages.setdefault(page, []).append((-float(dest.top), int(name[5:])))
    return {page: [n for _, n in sorted(notes)] for page, notes in pages.items()}


def test_footnotes_on_every_sample_page_read_in_ascending_order(samples):
    orders = {slug: _footnote_order(s.pdf) for slug, s in samples.items()}
    assert any(len(notes) > 1 for order in orders.values() for notes in order.values())
    assert {slug: order for slug, order in orders.items()
            if any(notes != sorted(notes) for notes in order.values())} == {}


VANCOUVER = _article(
    "Sleep, immunity and the long winter months: what the evidence says today",
    {"zeta": "Zeta, listed first, cited last", "beta": "Beta, listed second, never cited",
     "alpha": "Alpha, listed third, cited first", "gamma": "Gamma, listed fourth, cited second"},
    "Alpha comes first in the text [@alpha], then gamma with it [@gamma; @alpha].\n\n"
    + "\n\n".join(["A paragraph of filler text, long enough to take its room on the page "
                   "and push the rest of the article on to a second page. " * 4] * 8)
    + "\n\nZeta is cited last of all [@zeta].\n",
    short_title="Sleep and immunity")


def _rendered(tmp_path_factory, slug: str, text: str, paper: str = "A4"):
    """A project holding the one article ``text``, and its PDF on ``paper``."""
    from .conftest import TmpProject

    project = TmpProject(tmp_path_factory.mktemp(slug) / "project")
    project.write("printjournal.toml", (project.root / "printjournal.toml").read_text()
                  + f'paper = "{paper}"\n')
    path = project.article(slug, text)
    out = project.root / f"{slug}.pdf"
    build.build_article(build.Pipeline.load(project.project()), path, out)
    return project, out


@pytest.fixture(scope="module")
def vancouver(tmp_path_factory):
    return _rendered(tmp_path_factory, "vancouver", VANCOUVER)


def test_the_sources_list_is_numbered_in_order_of_first_citation(vancouver):
    _, pdf = vancouver
    with pdfplumber.open(pdf) as opened:
        text = "\n".join(page.extract_text() for page in opened.pages)
    listed = re.findall(r"^(\d)\. (\w+), listed", text, re.MULTILINE)   # the Sources list
    assert listed == [("1", "Alpha"), ("2", "Gamma"), ("3", "Zeta"), ("4", "Beta")]


def test_sources_are_numbered_in_order_of_first_citation(vancouver):
    """The notes read 1, 2 on page 1 and 3 later; page 1 keeps its text with its
    masthead (the remedy for WeasyPrint's misplaced note 2 ends page 1 one block early
    rather than moving the citing paragraph, the article's first, to page 2)."""
    _, pdf = vancouver
    order = _footnote_order(pdf)
    assert order[1] == [1, 2] and [n for page in sorted(order) for n in order[page]] == [1, 2, 3]
    with pdfplumber.open(pdf) as opened:
        first = " ".join(opened.pages[0].extract_text().split())
    assert "Alpha comes first in the text" in first
    assert first.count("A paragraph of filler text") >= 6   # a page of text, not a few lines


def test_the_project_may_keep_the_listed_order(vancouver):
    project, _ = vancouver
    project.write("printjournal.toml", (project.root / "printjournal.toml").read_text()
                  + '\n[sources]\norder = "list"\n')
    loaded = project.project()
    article = load_article(project.root / "content/articles/vancouver.md", loaded)
    assert [(s.number, s.id) for s in article.sources] == \
        [(1, "zeta"), (2, "beta"), (3, "alpha"), (4, "gamma")]


def test_a_wrong_source_order_is_an_error_at_its_line(tmp_project):
    from printjournal.errors import ConfigError

    tmp_project.write("printjournal.toml", (tmp_project.root / "printjournal.toml").read_text()
                      + '\n[sources]\norder = "alphabetical"\n')
    with pytest.raises(ConfigError) as caught:
        tmp_project.project()
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_project.root / 'printjournal.toml'}:7: 'order' in [sources] must be one of "
        '"citation", "list"']


def test_the_running_head_uses_the_short_title_and_the_outline_the_full_one(vancouver):
    _, pdf = vancouver
    with pdfplumber.open(pdf) as opened:
        assert len(opened.pages) >= 2
        head = opened.pages[1].crop((0, 0, opened.pages[1].width, 60)).extract_text()
    assert "Sleep and immunity" in head and "winter" not in head
    outline = [item.title for item in pypdf.PdfReader(pdf).outline
               if not isinstance(item, list)]
    assert outline[0] == "Sleep, immunity and the long winter months: what the evidence " \
                         "says today"


def test_without_a_short_title_the_running_head_ends_at_a_word():
    from printjournal.template.layouts import shorten

    title = "Impfschutz für Erwachsene: Welche Impfungen Sie jetzt brauchen"
    assert shorten(title) == "Impfschutz für Erwachsene: Welche Impfungen Sie…"
    assert shorten("Sleep and immunity in the winter months", 30) == "Sleep and immunity in the…"
    assert shorten("Sleep and immunity", 30) == "Sleep and immunity"


def test_a_short_title_too_long_is_an_error_at_its_line(problems_of):
    problems = problems_of("""\
        ---
        title: "Title"
        short_title: "A short title that is not short at all, since it runs on and on"
        section: "Tests"
        date: 2026-03-01
        ---
        Text.
        """)
    assert len(problems) == 1 and problems[0].startswith("content/articles/bad.md:3: ")
    assert "short_title" in problems[0] and "48" in problems[0]


@pytest.fixture(scope="module")
def narrow(tmp_path_factory):
    """The corpus case packed with protected runs and calls, set on A5 pages."""
    from .conftest import REPO

    text = (REPO / "tests/corpus/protected-runs-and-calls.md").read_text(encoding="utf-8")
    return _rendered(tmp_path_factory, "narrow", text, paper="A5")[1], text


def test_on_a_narrow_page_no_run_or_call_is_parted(narrow):
    pdf, text = narrow
    wanted = runs(" ".join(text.partition("\n---\n")[2].split()), "en-GB")
    assert len(wanted) >= 30
    assert parted(pdf, wanted) == []
    with pdfplumber.open(pdf) as opened:
        printed = " ".join(" ".join(page.extract_text().split()) for page in opened.pages)
    assert "\u2060" not in printed                 # the word joiner adds nothing to the text
    assert "Samaritans free on 116 123" in printed and "the one after in March 2027" in printed


def test_each_call_link_says_which_source_it_calls(vancouver):
    _, pdf = vancouver
    spoken = [str(annot.get_object()["/Contents"]) for page in pypdf.PdfReader(pdf).pages
              for annot in page.get("/Annots", []) or []
              if str(annot.get_object().get("/Dest", "")).startswith("source-")]
    assert spoken == ["source 1: Alpha, listed third, cited first",
                      "source 1: Alpha, listed third, cited first",
                      "source 2: Gamma, listed fourth, cited second",
                      "source 3: Zeta, listed first, cited last"]


def test_compounds_are_marked_for_large_print_only(tmp_project):
    tmp_project.article("compound", _article("Compound", {}, "Eczema-prone skin.\n"))
    project = tmp_project.project()
    article = load_article(tmp_project.root / "content/articles/compound.md", project)
    assert "compound" not in markup.to_html(article, project).html
