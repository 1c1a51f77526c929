"""Leaflet styles are data: a new style (easy read) is one row of styles.STYLES and its
stylesheet, and the CLI, the file name, the desk and the layouts follow."""

from __future__ import annotations

import pdfplumber
import pytest
from werkzeug.datastructures import MultiDict

from printjournal import cli, styles
from printjournal.desk import form as deskform
from printjournal.errors import OptionError
from printjournal.leaflet.build import LeafletRequest, file_name, find_clinic
from printjournal.styles import LeafletStyle

from .test_leaflet_errors import CLINICS

EASY_READ = LeafletStyle("easy-read", "Easy read", "short sentences in 15 pt type",
                         css_class="easy-read", stylesheet="leaflet-easy-read.css")
EASY_READ_CSS = """\
.easy-read .body p { font-size: 15pt; }
.easy-read .personal .patient-name { font-size: 19pt; }
"""
NAME = "Ada Example"


@pytest.fixture
def with_easy_read(tmp_project, monkeypatch):
    config = tmp_project.root / "printjournal.toml"
    config.write_text(config.read_text() + CLINICS)
    tmp_project.article("small")
    tmp_project.write("layouts/leaflet-easy-read.css", EASY_READ_CSS)
    monkeypatch.setattr(styles, "STYLES", (*styles.STYLES, EASY_READ))
    return tmp_project


def sizes(page, text: str) -> set[float]:
    """The font sizes of the letters of the first line that holds ``text`` (not its
    citation's superscript number)."""
    for line in page.extract_text_lines(return_chars=True):
        if text in line["text"]:
            return {round(c["size"], 1) for c in line["chars"] if c["text"].isalpha()}
    raise AssertionError(f"{text!r} is not on the page")


def test_an_easy_read_style_is_one_table_row_and_its_stylesheet(with_easy_read):
    root = with_easy_read.root
    out = root / "printouts" / "easy.pdf"
    assert cli.main(["-C", str(root), "leaflet", "small", "--easy-read", "--for", NAME,
                     "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        front = pdf.pages[0]
        assert sizes(front, "Some text that cites") == {15.0}      # its stylesheet
        assert sizes(front, NAME) == {19.0}        # the personal layer: in its style too
    project = with_easy_read.project()
    request = LeafletRequest(("small",), style="easy-read")
    assert file_name(project, request, find_clinic(project, None)) == \
        "small-north-a4-easy-read.pdf"
    choices = deskform.read(MultiDict({"slug": "small", "style": "easy-read"}))
    assert deskform.problems(project, [], choices, None, str) == \
        [deskform.FormProblem("articles", "There is no article 'small'.")]   # style: fine
    assert deskform.leaflet_fields(choices)["style"] == "easy-read"
    assert "style=easy-read" in choices.link()


def test_the_standard_style_is_not_the_new_one(with_easy_read):
    """The check above can fail: without --easy-read the body is not set in 15 pt."""
    root = with_easy_read.root
    out = root / "standard.pdf"
    assert cli.main(["-C", str(root), "leaflet", "small", "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        assert 15.0 not in sizes(pdf.pages[0], "Some text that cites")


def test_an_unknown_style_names_the_known_ones(with_easy_read):
    with pytest.raises(OptionError, match="unknown leaflet style 'huge': "
                       "standard or large-print or easy-read"):
        styles.style("huge")
    choices = deskform.read(MultiDict({"style": "huge"}))
    found = deskform.problems(with_easy_read.project(), [], choices, None, str)
    assert deskform.FormProblem("style", "There is no leaflet style 'huge'.") in found


def test_one_option_per_style_and_only_one_at_a_time(with_easy_read, capsys):
    parser = cli._parser()
    assert parser.parse_args(["leaflet", "small"]).style == "standard"
    assert parser.parse_args(["leaflet", "small", "--large-print"]).style == "large-print"
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["leaflet", "small", "--large-print", "--easy-read"])
    assert stopped.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
