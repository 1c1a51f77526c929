"""``check`` sees a table too wide for the text area (tablefit.py) as the render does
(pagearea.py): a word that just fits its column passes both, one that just does not is
refused by both, at the same line, naming the same word, by about the same points.

Each word is found with the estimate itself (the longest that it says fits, the shortest
that it says does not, by more than tablefit.EDGE), then rendered for real: one short
article per case, all in one project, rendered once for the module.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from printjournal import styles
from printjournal.checks.check import check
from printjournal.errors import Notices, PrintjournalError, Problem
from printjournal.leaflet import build as leaflet
from printjournal.load import content
from printjournal.markup import body as markup
from printjournal.pipeline import Pipeline, build_article
from printjournal.render import tablefit

from .conftest import REPO, TmpProject

LETTERS = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
SHORT = ("dose", "when", "who", "note")      # the other columns' words
A4 = next(p for p in tablefit.products() if p.paper == "A4" and not p.large)
A5_LARGE = next(p for p in tablefit.products() if p.paper == "A5" and p.large)


def _article(columns: int, word: str, holder: str = "") -> str:
    """An article whose table's row is on line 10 (unless in a ``holder``)."""
    names = ["Name", *SHORT[:columns - 1]]
    row = [word, *(f"{w} {w}" for w in SHORT[:columns - 1])]
    indent = "    " if holder else ""
    table = "\n".join(indent + "| " + " | ".join(cells) + " |"
                      for cells in (names, ["---"] * columns, row))
    return ('---\ntitle: "A table"\nsection: "Tables"\ndate: 2026-01-01\n---\n'
            f"Short text.\n\n{holder}{table}\n")


def _estimate(project, text: str, product: tablefit.Product) -> float:
    path = project.articles_dir / "probe.md"
    path.write_text(text, encoding="utf-8")
    article = content.load_article(path, project)
    path.unlink()
    from lxml import html as lxml_html

    html = markup.to_html(article, project).html
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    [(table, inset)] = tablefit.tables(root)
    sizes = tablefit.sizes(project.layouts_dir, product.style)
    found = tablefit.overflows(table, inset, product, sizes, tablefit.Faces(project.fonts_dir))
    return found.past if found else float("-inf")


def _edge_words(project, columns: int) -> tuple[str, str]:
    """The longest word the estimate says fits A4 and the shortest it says does not."""
    fits = over = ""
    for length in range(4, len(LETTERS)):
        word = LETTERS[:length]
        past = _estimate(project, _article(columns, word), A4)
        if past <= -tablefit.EDGE:
            fits = word
        elif past > tablefit.EDGE:
            over = word
            break
    assert fits and over
    return fits, over


def _clinic(tmp: TmpProject) -> None:
    """A clinic for leaflets."""
    with (tmp.root / "printjournal.toml").open("a") as toml:
        toml.write('\n[[clinics]]\nid = "north"\nname = "North"\naddress = "1 Road"\n'
                   'phone = "0100 000 0000"\ndefault = true\n')


@dataclass(frozen=True)
class Case:
    word: str
    checked: tuple[Problem, ...]
    warned: tuple[Problem, ...]
    rendered: tuple[Problem, ...]


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, Case]:
    tmp = TmpProject(tmp_path_factory.mktemp("tablefit") / "project")
    project = tmp.project()
    words: dict[str, str] = {}
    for columns in (2, 3, 5):
        words[f"fits-{columns}"], words[f"over-{columns}"] = _edge_words(project, columns)
    for name, word in words.items():
        tmp.article(name, _article(int(name[-1]), word))
    notices = Notices()
    checked = check(project, notices=notices)
    pipeline = Pipeline.load(project)
    cases = {}
    for name, word in words.items():
        try:
            build_article(pipeline, project.articles_dir / f"{name}.md", tmp.root / "out.pdf")
            rendered: tuple[Problem, ...] = ()
        except PrintjournalError as exc:
            rendered = exc.problems
        cases[name] = Case(word, *(tuple(p for p in found if Path(p.path).stem == name)
                                   for found in (checked, notices.found)), rendered)
    return cases


@pytest.mark.parametrize("columns", [2, 3, 5])
def test_a_word_that_just_fits_passes_check_and_render(cases, columns):
    case = cases[f"fits-{columns}"]
    assert (case.checked, case.rendered) == ((), ())


def _points(message: str) -> float:
    return float(re.search(r"makes a table (?:about )?(\d+) pt", message)[1])


@pytest.mark.parametrize("columns", [2, 3, 5])
def test_a_word_that_just_does_not_fit_is_refused_by_both_alike(cases, columns):
    """Same line, same word, and the estimate errs wide, by at most 3 pt."""
    case = cases[f"over-{columns}"]
    [checked], [rendered] = case.checked, case.rendered
    assert (checked.path, checked.line) == (rendered.path, rendered.line) == (
        Path(f"content/articles/over-{columns}.md"), 10)
    quoted = f"'{case.word[:40]}"
    assert checked.message.startswith(quoted) and rendered.message.startswith(quoted)
    assert "on A4 paper" in checked.message and "on page 1" in rendered.message
    assert 0 <= _points(checked.message) - _points(rendered.message) <= 3
    assert "a table column is never narrower than its longest word" in rendered.message


def test_a_table_near_the_edge_is_a_warning_not_an_error(tmp_project):
    project = tmp_project.project()
    fits, over = _edge_words(project, 3)
    near = next(LETTERS[:n] for n in range(len(fits) + 1, len(over))
                if abs(_estimate(project, _article(3, LETTERS[:n]), A4)) <= tablefit.EDGE)
    tmp_project.article("near", _article(3, near))
    notices = Notices()
    assert check(project, notices=notices) == []
    [warned] = [n for n in notices.found if "on A4 paper" in n.message]
    assert warned.line == 10 and warned.message.startswith(f"'{near[:40]}…' may make a table")


def test_a_table_that_fits_a4_but_not_a_large_print_a5_leaflet(cases, tmp_path_factory):
    """Check warns, naming the leaflet; that leaflet's render refuses the same word."""
    case = cases["fits-2"]
    [warned] = case.warned
    assert "in an A5 large-print leaflet" in warned.message and warned.line == 10
    tmp = TmpProject(tmp_path_factory.mktemp("large") / "project")
    _clinic(tmp)
    tmp.article("wide", _article(2, case.word))
    pipeline = Pipeline.load(tmp.project())
    request = leaflet.LeafletRequest(("wide",), paper="A5", style="large-print")
    with pytest.raises(PrintjournalError) as caught:
        leaflet.leaflet(pipeline, request, dt.date(2026, 1, 2))
    [rendered] = [p for p in caught.value.problems if "makes a table" in p.message]
    assert (rendered.path.name, rendered.line) == ("wide.md", warned.line)
    assert rendered.message.startswith(f"'{case.word[:40]}")
    assert 0 <= _points(warned.message) - _points(rendered.message) <= 3


@pytest.mark.parametrize("holder", ["- Item:\n\n", "!!! note\n"])
def test_what_holds_a_table_narrows_it(tmp_project, holder):
    """A table in a list item or a callout has less room than the measure."""
    project = tmp_project.project()
    fits, _ = _edge_words(project, 2)
    alone = _estimate(project, _article(2, fits), A4)
    assert _estimate(project, _article(2, fits, holder), A4) > alone + 10


def test_sizes_come_from_the_layouts():
    standard, large = (tablefit.sizes(REPO / "layouts", style) for style in styles.STYLES)
    assert (standard.table, large.table) == (10, 16)
    assert round(standard.td_padding / tablefit.MM, 1) == 4.0
    assert round(A5_LARGE.measure / tablefit.MM) == 127 and round(A4.measure / tablefit.MM) == 138


def test_a_new_leaflet_style_has_its_tables_measured(tmp_project, monkeypatch):
    """Products come from styles.STYLES: a style added there (easy read, with tables set
    at 20 pt by its own stylesheet) is checked, on each paper, by its row alone."""
    tmp_project.write("layouts/leaflet-easy-read.css", ".easy-read {\n  --size-table: 20pt;\n}\n")
    project = tmp_project.project()
    known = tablefit.products()
    fits, over = 4, len(LETTERS)          # the longest word every known product fits
    while over - fits > 1:
        n = (fits + over) // 2
        if max(_estimate(project, _article(2, LETTERS[:n]), p) for p in known) > -tablefit.EDGE:
            over = n
        else:
            fits = n
    word = LETTERS[:fits]
    tmp_project.article("wide", _article(2, word))
    notices = Notices()
    assert check(project, notices=notices) == [] and not notices.found

    easy_read = styles.LeafletStyle("easy-read", "Easy read", "short sentences",
                                    css_class="easy-read", stylesheet="leaflet-easy-read.css")
    monkeypatch.setattr(styles, "STYLES", (*styles.STYLES, easy_read))
    assert [p.name for p in tablefit.products()][len(known):] == [
        "in an A4 easy-read leaflet", "in a Letter easy-read leaflet",
        "in an A5 easy-read leaflet"]
    assert check(project, notices=notices) == []
    [warned] = notices.found
    assert "in an A5 easy-read leaflet" in warned.message and warned.line == 10
    assert warned.message.startswith(f"'{word[:40]}")


def test_the_line_named_is_the_table_row_even_when_the_title_has_the_word(tmp_project):
    """The render (pagearea.line_of) and check name the row, not the title above it."""
    from printjournal.render.pagearea import line_of

    word = LETTERS[:90]
    text = _article(3, word).replace('title: "A table"', f'title: "About {word}"')
    tmp_project.article("titled", text)
    [problem] = check(tmp_project.project())
    assert problem.line == 10 and "on A4 paper" in problem.message
    lines = text.splitlines()
    assert line_of(word, [(Path("a.md"), lines)], table=True) == (Path("a.md"), 10)
    assert line_of(word, [(Path("a.md"), lines)]) == (Path("a.md"), 2)


def test_a_long_word_outside_a_table_breaks_even_in_a_large_print_a5_leaflet(tmp_path):
    """Outside tables a word too long for its line breaks anywhere (print.css), so
    ``check`` rightly says nothing: the narrowest page there is prints it inside the area
    in the title, standfirst, text, a list, a quote, a callout, an answer, a heading."""
    word = LETTERS[:70]
    tmp = TmpProject(tmp_path / "project")
    _clinic(tmp)
    tmp.article("words", f'---\ntitle: "On {word}"\nsection: "Words"\ndate: 2026-01-01\n'
                f'dek: "A {word} standfirst."\n---\nText {word} here.\n\n- item {word}\n'
                f'  - nested {word}\n\n> quoted {word}\n\n!!! warning "Title {word}"\n'
                f"    Callout {word}.\n\nAsked {word}?\n:   Answer {word}.\n\n"
                f"## Heading {word}\n")
    project = tmp.project()
    notices = Notices()
    assert check(project, notices=notices) == []
    assert not [n for n in notices.found if "table" in n.message]
    request = leaflet.LeafletRequest(("words",), paper="A5", style="large-print")
    made = leaflet.leaflet(Pipeline.load(project), request, dt.date(2026, 1, 2))
    assert made.pages >= 2


@pytest.mark.parametrize("product", [p for p in tablefit.products() if p not in (A4, A5_LARGE)],
                         ids=lambda p: p.name)
def test_each_products_measure_against_its_leaflet(tmp_path, product):
    """The other papers and large print (A4 and A5 large print: above): a word that
    makes the table about 10 pt too wide for that product's leaflet is refused by its
    render by the points the estimate says, less at most 3."""
    tmp = TmpProject(tmp_path / "project")
    _clinic(tmp)
    project = tmp.project()
    word = next(LETTERS[:n] for n in range(4, len(LETTERS))
                if _estimate(project, _article(2, LETTERS[:n]), product) > 10)
    estimate = _estimate(project, _article(2, word), product)
    tmp.article("wide", _article(2, word))
    request = leaflet.LeafletRequest(("wide",), paper=product.paper,
                                     style=product.style.name)
    with pytest.raises(PrintjournalError) as caught:
        leaflet.leaflet(Pipeline.load(project), request, dt.date(2026, 1, 2))
    [rendered] = [p for p in caught.value.problems if "makes a table" in p.message]
    assert rendered.line == 10 and rendered.message.startswith(f"'{word[:40]}")
    assert -0.5 <= estimate - _points(rendered.message) <= 3
