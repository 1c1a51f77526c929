"""Nothing prints outside the page area: the renderer checks every layout (pagearea.py),
for articles, leaflets and issue parts alike, on any paper, and refuses what would run
into the margin or off the paper, at the line that holds it."""

from __future__ import annotations

import datetime as dt

import pytest

from printjournal import leaflet
from printjournal import pipeline as build
from printjournal.errors import RenderError

HEAD = "---\ntitle: One\nsection: Tables\ndate: 2026-01-01\n---\n"
TOKEN = "NCT" + "0123456789" * 15          # an id no column of a table can hold
PHONE = "0100 000 0000 extension 1234, mornings only, ask-for-the-practice-nurse-please"


@pytest.fixture
def wide(tmp_project):
    tmp_project.article("wide", HEAD + "Short text.\n\n| Trial | Phase | Status |\n"
                        f"|---|---|---|\n| {TOKEN} | 3 | open |\n")
    with (tmp_project.root / "printjournal.toml").open("a") as toml:
        toml.write(f'\n[[clinics]]\nid = "north"\nname = "North"\naddress = "1 Road"\n'
                   f'phone = "{PHONE}"\ndefault = true\n')
    tmp_project.article("fine", HEAD + "Short text.\n")
    return tmp_project


def test_a_table_word_wider_than_the_page_is_refused_at_its_line(wide):
    """A table of three columns does not break a word that fits no column (print.css
    keeps `anywhere` for tables of six columns or more): refused, not printed past the
    paper's edge."""
    project = wide.project()
    out = wide.root / "wide.pdf"
    with pytest.raises(RenderError) as caught:
        build.build_article(build.Pipeline.load(project),
                            project.articles_dir / "wide.md", out)
    [problem] = caught.value.problems
    assert (str(problem.path), problem.line) == ("content/articles/wide.md", 10)
    assert problem.message.startswith(f"'{TOKEN[:40]}…' would print ")
    assert " pt outside the text area on page 1 (into the margin or off the paper)" \
        in problem.message
    assert not out.exists()


def test_a_clinic_detail_too_long_for_an_a5_leaflet_names_printjournal_toml(wide):
    """The clinic's phone is set without breaks ("Questions? Call ..."): one too long
    for the closing panel of an A5 leaflet is refused at its line in printjournal.toml."""
    project = wide.project()
    request = leaflet.LeafletRequest(("fine",), paper="A5")
    with pytest.raises(RenderError) as caught:
        leaflet.leaflet(build.Pipeline.load(project), request, dt.date(2026, 11, 1))
    [problem] = caught.value.problems
    line = (wide.root / "printjournal.toml").read_text().splitlines().index(
        f'phone = "{PHONE}"') + 1
    assert (str(problem.path), problem.line) == ("printjournal.toml", line)
    assert problem.message.startswith("'ask-for-the-practice-nurse-please' would print ")
