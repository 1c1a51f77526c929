"""A leaflet's footnote no page can hold is an error in the article that cites it."""

from __future__ import annotations

from printjournal import cli

from .test_leaflet_errors import CLINICS

SECOND = """\
---
title: "A second article"
section: "Testing"
date: 2026-03-01
sources:
  - {id: long, text: "LONG"}
---
A first paragraph without citations.

Some more text.

A claim from a source no page can hold [@long].
"""


def test_a_note_no_page_can_hold_names_the_second_articles_file_and_line(tmp_project,
                                                                          capsys):
    config = tmp_project.root / "printjournal.toml"
    config.write_text(config.read_text() + CLINICS)
    # footnotes set so large that the second article's note is taller than a page
    css = tmp_project.root / "layouts" / "print.css"
    # (notes are 9 pt on a fixed 12 pt line, --leading-footnote: the line must grow with
    # them; fail loudly if the rules move again)
    rules = css.read_text()
    assert "--size-footnote: 9pt;" in rules and "--leading-footnote: 12pt;" in rules
    css.write_text(rules.replace("--size-footnote: 9pt;", "--size-footnote: 60pt;")
                   .replace("--leading-footnote: 12pt;", "--leading-footnote: 81pt;"))
    tmp_project.article("first")            # its one short note has room
    tmp_project.article("second", SECOND.replace("LONG", "A very long source. " * 24))
    out = tmp_project.root / "leaflet.pdf"
    status = cli.main(["-C", str(tmp_project.root), "leaflet", "first", "second",
                       "-o", str(out)])
    error = capsys.readouterr().err
    assert status == 1
    line = next(n for n, text in enumerate(SECOND.splitlines(), start=1) if "[@long]" in text)
    assert f"content/articles/second.md:{line}: the footnote of source 1 would print on" \
        in error, error
    assert "first.md" not in error
    assert not out.exists()
