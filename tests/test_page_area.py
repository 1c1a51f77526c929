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


RTL = """<html><head><style>
@font-face {{ font-family: Arabic; src: url({fonts}/NotoSansArabic-Regular.ttf); }}
@font-face {{ font-family: Hebrew; src: url({fonts}/NotoSansHebrew-Regular.ttf); }}
@font-face {{ font-family: Latin; src: url({fonts}/Inter-Regular.otf); }}
@page {{ size: 120mm 200mm; margin: 10mm 15mm; }}
body {{ margin: 0; font: 16pt/1.5 Latin, Arabic, Hebrew; }}
p {{ margin: 0 0 4mm; text-align: {align}; }}
.nowrap {{ white-space: nowrap; }}
</style></head><body>{body}</body></html>"""
#: right-to-left blocks whose last line holds a long Latin run, each ending in a line break
#: before </p> as a template writes it
RTL_BLOCKS = """
<p dir="rtl">٢٠ أكتوبر ٢٠٢٥ · بقلم Dr Samuel Okafor, Cureon Editorial Team
</p>
<p dir="rtl">נכתב על ידי Dr Samuel Okafor and the Cureon Editorial Team
</p>
<p dir="rtl">المشي من أجل الصحة كل يوم مع الفريق التحريري كله الان
</p>"""


def _rtl_layout(align: str, body: str):
    import weasyprint

    from .conftest import REPO
    html = RTL.format(fonts=(REPO / "fonts").as_uri(), align=align, body=body)
    return weasyprint.HTML(string=html).render()


@pytest.mark.parametrize("align", ["left", "start"])
def test_right_to_left_lines_are_measured_where_their_glyphs_print(align):
    """The last line of a right-to-left block ending in a space, set flush left (large
    print set it so), printed inside the text area, yet was refused 4 pt into the margin:
    WeasyPrint 70 moves such a line's text box left by the space it takes off, not its
    glyphs (pagearea._inked). Measured where they print, nothing strays; the glyphs are
    inside the area, which pdfplumber reads from the PDF."""
    import io

    import pdfplumber

    from printjournal.render import pagearea

    document = _rtl_layout(align, RTL_BLOCKS)
    assert pagearea.strays(document.pages) == []
    with pdfplumber.open(io.BytesIO(document.write_pdf())) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    mm = 72 / 25.4
    assert {c["text"] for c in chars} >= set("EditorialTeam")
    assert min(c["x0"] for c in chars) >= 15 * mm - 0.5
    assert max(c["x1"] for c in chars) <= 105 * mm + 0.5


def test_a_latin_run_too_long_for_a_right_to_left_line_still_strays():
    """A long Latin run that may not break (``nowrap``) in a right-to-left line runs off
    the line's end, the left: still found, by how far and what it says."""
    from printjournal.render import pagearea

    body = ('<p dir="rtl">بقلم <span class="nowrap">Dr Samuel Okafor and the Cureon '
            'Editorial Team</span> الان</p>')
    [stray] = pagearea.strays(_rtl_layout("start", body).pages)
    assert stray.text.startswith("Dr Samuel") and stray.past > 20
