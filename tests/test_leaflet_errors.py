"""`printjournal leaflet` with wrong input: a clear message, exit status, nothing written."""

from __future__ import annotations

import logging
from pathlib import Path

import pypdf
import pytest

from printjournal import cli

CLINICS = """
[[clinics]]
id = "north"
name = "North Test Clinic"
address = "1 Test Road"
phone = "0100 000 0000"
default = true

[[clinics]]
id = "south"
name = "South Test Clinic"
address = "2 Test Road"
phone = "0100 000 0001"
"""

OVERDUE = """\
---
title: "An old article"
section: "Testing"
date: 2020-03-01
review:
  version: "2.0"
  reviewed: 2020-03-01
  next_review: 2021-03-01
  owner: "Dr Test"
---
Some text.
"""

NAME = "Philippa Xanthe-Ruddock"


@pytest.fixture
def project(tmp_project):
    config = tmp_project.root / "printjournal.toml"
    config.write_text(config.read_text() + CLINICS)
    tmp_project.article("small")
    tmp_project.article("old", OVERDUE)
    return tmp_project


def run(project, *args: str, verbose: bool = False) -> int:
    return cli.main(["-C", str(project.root), *(["-v"] if verbose else []), "leaflet", *args])


def written(project) -> list[Path]:
    return [p for p in project.root.rglob("*.pdf") if ".printjournal-cache" not in p.parts]


def test_unknown_slug(project, capsys):
    assert run(project, "small", "nope") == 1
    err = capsys.readouterr().err
    assert "content/articles/: no article with slug 'nope'" in err
    assert ":0:" not in err
    assert written(project) == []


def test_unknown_clinic_lists_the_clinics(project, capsys):
    assert run(project, "small", "--clinic", "east") == 1
    assert "printjournal.toml: no clinic 'east' (clinics: north, south)" in \
        capsys.readouterr().err
    assert written(project) == []


def test_a_project_without_clinics(tmp_project, capsys):
    tmp_project.article("small")
    assert cli.main(["-C", str(tmp_project.root), "leaflet", "small"]) == 1
    assert "no [[clinics]] configured" in capsys.readouterr().err


def test_overdue_is_refused_naming_the_article_and_printed_when_allowed(project, capsys):
    assert run(project, "small", "old") == 1
    err = capsys.readouterr().err
    assert "content/articles/old.md:8: 'An old article' is past its clinical review" in err
    assert "2021-03-01" in err and "--allow-overdue" in err
    assert written(project) == []
    assert run(project, "small", "old", "--allow-overdue") == 0
    [out] = written(project)
    assert out == project.root / "dist/leaflets/small-old-north-a4-overdue-marked.pdf"


def test_bad_paper_is_a_usage_error(project, capsys):
    with pytest.raises(SystemExit) as caught:
        run(project, "small", "--paper", "b5")
    assert caught.value.code == 2
    assert "invalid choice: 'b5'" in capsys.readouterr().err


def test_booklet_is_a5_only(project, capsys):
    assert run(project, "small", "--booklet", "--paper", "letter") == 2
    assert "--booklet prints A5 pages on A4 sheets" in capsys.readouterr().err
    assert written(project) == []


def test_duplicate_and_empty_names(project, capsys):
    assert run(project, "small", "small") == 2
    assert "named twice" in capsys.readouterr().err
    assert run(project, "small", "--for", "x" * 61) == 2
    assert "--for takes at most 60 characters" in capsys.readouterr().err
    assert run(project, "small", "--note", "line one\nline two") == 2
    assert "--note must be one line" in capsys.readouterr().err
    assert written(project) == []


def test_too_long_a_note_for_the_box_is_refused_without_repeating_it(project, capsys):
    note = "Take one tablet every morning with food, and another at night: " + "M" * 200
    name = f"{NAME} Montgomery-Fairweather Smythe"
    assert run(project, "small", "--paper", "a5", "--large-print", "--for", name,
               "--note", note[:200], "--printouts") == 2
    captured = capsys.readouterr()
    assert "do not fit in the box on the front" in captured.err
    assert "Philippa" not in captured.err + captured.out and "tablet" not in captured.err
    assert written(project) == []


def test_the_name_is_not_in_the_output_or_its_file_name(project, capsys, caplog):
    with caplog.at_level(logging.DEBUG):
        assert run(project, "small", "--for", NAME, "--note", "Rest.", "--printouts",
                   verbose=True) == 0
    captured = capsys.readouterr()
    [out] = written(project)
    assert out == project.root / "printouts" / "small-north-a4.pdf"
    for text in (captured.out, captured.err, caplog.text, *map(str, project.root.rglob("*"))):
        assert "Philippa" not in text and "Xanthe" not in text


# ---------- where a leaflet with personal details may go ----------

def test_a_personal_leaflet_needs_a_place_and_is_never_written_under_dist(project, capsys):
    assert run(project, "small", "--for", NAME) == 2
    err = capsys.readouterr().err
    assert "give -o FILE, or --printouts for printouts/small-north-a4.pdf" in err
    for inside in ("dist/x.pdf", "dist/leaflets/small-north-a4.pdf", "dist/../dist/y.pdf"):
        assert run(project, "small", "--note", "Rest.", "-o",
                   str(project.root / inside)) == 2
        assert "which the website publishes" in capsys.readouterr().err
    assert written(project) == []
    assert run(project, "small", "--for", NAME, "--printouts") == 0
    assert written(project) == [project.root / "printouts/small-north-a4.pdf"]
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(written(project)[0]).pages)
    assert NAME in " ".join(text.split())


def test_a_second_patient_never_replaces_the_first_without_force(project, capsys):
    first = project.root / "printouts/small-north-a4.pdf"
    assert run(project, "small", "--for", "First Patient", "--printouts") == 0
    before = first.read_bytes()
    assert run(project, "small", "--for", "Second Patient", "--printouts") == 2
    err = capsys.readouterr().err
    assert "printouts/small-north-a4.pdf already exists" in err and "--force" in err
    assert first.read_bytes() == before
    mine = project.root / "mine.pdf"
    mine.write_bytes(b"someone's leaflet")
    assert run(project, "small", "--for", "Second Patient", "-o", str(mine)) == 2
    assert mine.read_bytes() == b"someone's leaflet"
    assert run(project, "small", "--for", "Second Patient", "--printouts", "--force") == 0
    assert first.read_bytes() != before


@pytest.mark.parametrize(("options", "name"), [
    ((), "small-north-a4.pdf"),
    (("--paper", "letter"), "small-north-letter.pdf"),
    (("--paper", "a5", "--large-print"), "small-north-a5-large-print.pdf"),
    (("--booklet",), "small-north-a5-booklet.pdf"),
    (("--clinic", "south"), "small-south-a4.pdf"),
])
def test_file_names_carry_every_option_that_shapes_the_file(project, options, name):
    from printjournal.leaflet.build import LeafletRequest, file_name, find_clinic
    parsed = cli._parser().parse_args(["leaflet", "small", *options])
    request = LeafletRequest(slugs=("small",), clinic=parsed.clinic,
                             paper=parsed.paper, style=parsed.style,
                             booklet=parsed.booklet)
    assert file_name(project.project(), request, find_clinic(project.project(), parsed.clinic)) \
        == name


def test_many_articles_get_distinct_names(project):
    from printjournal.leaflet.build import LeafletRequest, file_name, find_clinic
    clinic = find_clinic(project.project(), None)
    one = file_name(project.project(), LeafletRequest(slugs=("a", "b", "c", "d")), clinic)
    two = file_name(project.project(), LeafletRequest(slugs=("a", "b", "c", "e")), clinic)
    assert one != two and one.startswith("a-and-3-more-")
