"""`printjournal leaflet` with wrong input: a clear message, exit status, nothing written."""

from __future__ import annotations

import logging
from pathlib import Path

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
    assert "content/articles:0: no article with slug 'nope'" in err
    assert written(project) == []


def test_unknown_clinic_lists_the_clinics(project, capsys):
    assert run(project, "small", "--clinic", "east") == 1
    assert "printjournal.toml:0: no clinic 'east' (clinics: north, south)" in \
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
    assert out == project.root / "dist/leaflets/small-old-north.pdf"


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
    note = "Take one tablet every morning with food, and another at night. " * 3
    name = f"{NAME} Montgomery-Fairweather Smythe"
    assert run(project, "small", "--paper", "a5", "--large-print", "--for", name,
               "--note", note[:200]) == 2
    captured = capsys.readouterr()
    assert "do not fit in the box on the front" in captured.err
    assert "Philippa" not in captured.err + captured.out and "tablet" not in captured.err
    assert written(project) == []


def test_the_name_is_not_in_the_output_or_its_file_name(project, capsys, caplog):
    with caplog.at_level(logging.DEBUG):
        assert run(project, "small", "--for", NAME, "--note", "Rest.", verbose=True) == 0
    captured = capsys.readouterr()
    [out] = written(project)
    assert out.name == "small-north.pdf"
    for text in (captured.out, captured.err, caplog.text, *map(str, project.root.rglob("*"))):
        assert "Philippa" not in text and "Xanthe" not in text
