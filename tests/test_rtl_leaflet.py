"""Right-to-left leaflets and the label tables of more languages.

An Urdu leaflet mirrors its furniture: the governance stamp starts on the right and the
review flag goes left, the front band has the clinic's name on the right and its contact
on the left, phone numbers still read left to right; its words are Urdu. The label tables
for Urdu, Hebrew and Chinese have every label English has, all printable."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tomllib

import pdfplumber
import pypdf
import pytest

from printjournal import pipeline as build
from printjournal.leaflet import build as leaflet
from printjournal.render import fonts

from .conftest import REPO, TmpProject

MM = 72 / 25.4
PHONE = "0100 000 0000"


@pytest.fixture(scope="module")
def urdu(tmp_path_factory) -> bytes:
    project = TmpProject(tmp_path_factory.mktemp("urdu") / "project")
    shutil.copy(REPO / "tests/corpus/script-urdu.md", project.root / "content/articles")
    with (project.root / "printjournal.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[[clinics]]\nid = "north"\nname = "North Clinic"\naddress = "1 Road"\n'
                   f'phone = "{PHONE}"\ndefault = true\n')
    made = leaflet.leaflet(build.Pipeline.load(project.project()),
                           leaflet.LeafletRequest(("script-urdu",)), dt.date(2026, 11, 1),
                           leaflet.Personal("Ada Example"))
    return made.data


def test_an_urdu_leaflet_mirrors_its_furniture(urdu):
    with pdfplumber.open(io.BytesIO(urdu)) as pdf:
        page = pdf.pages[0]
        middle = page.width / 2
        top = [c for c in page.chars if c["top"] < 26 * MM and c["text"].strip()]
        stamp = [c for c in top if "2026" in "".join(x["text"] for x in top)
                 and c["x0"] > middle]
        flag = [c for c in top if c["x1"] < middle]
        words = page.extract_words(keep_blank_chars=True)
    [name] = [w for w in words if w["text"] == "North Clinic"]
    [phone] = [w for w in words if w["text"] == PHONE]                  # read in order
    assert name["x0"] > middle and phone["x1"] < middle
    # the stamp ends where the clinic's name does, at the text area's right edge
    assert stamp and max(c["x1"] for c in stamp) == pytest.approx(name["x1"], abs=2)
    # the flag, left: its ruled box starts at the text area's left edge, where the phone
    # number does (its words inside the box's 1.5 pt border and 3 mm padding)
    assert flag and min(c["x0"] for c in flag) == pytest.approx(phone["x0"] + 1.5 + 3 * MM,
                                                                abs=2)


def test_an_urdu_leaflet_speaks_urdu(urdu):
    reader = pypdf.PdfReader(io.BytesIO(urdu))
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert "Page" not in first and "Prepared for" not in first
    assert "نومبر" in first                         # the date printed, in Urdu
    assert PHONE in last


@pytest.mark.parametrize("lang", sorted(set(tomllib.loads(
    (REPO / "layouts/labels.toml").read_text(encoding="utf-8"))) - {"en"}))
def test_label_tables_are_whole_and_printable(lang):
    tables = tomllib.loads((REPO / "layouts/labels.toml").read_text(encoding="utf-8"))
    english = {k for k in tables["en"] if k != "site"}
    assert set(tables[lang]) - {"site"} == english
    covered = fonts.coverage(REPO / "fonts")
    text = " ".join(str(v) for v in tables[lang].values())
    assert fonts.first_uncovered(text, covered) is None
    assert len(tables[lang]["months"]) == 12
