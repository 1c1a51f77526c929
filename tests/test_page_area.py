"""Nothing prints outside the page area: the renderer checks every layout (pagearea.py),
for articles, leaflets and issue parts alike, on any paper, and refuses what would run
into the margin or off the paper, at the line that holds it."""

from __future__ import annotations

import datetime as dt

import pytest

from printjournal import pipeline as build
from printjournal.errors import RenderError
from printjournal.leaflet import build as leaflet

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


def test_a_table_id_wider_than_its_column_breaks_inside_it(wide):
    """An id of digits that no column of a three-column table can hold (a trial number)
    may break anywhere, in a table cell too (breaks.py): it prints whole and inside the
    text area, which the renderer's page-area check proves (it refused this id, 28 pt
    into the margin, before ids broke in cells)."""
    import pypdf

    project = wide.project()
    out = wide.root / "wide.pdf"
    build.build_article(build.Pipeline.load(project), project.articles_dir / "wide.md", out)
    text = "".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    assert TOKEN in text.replace("\u200b", "").replace("\u2060", "")


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
