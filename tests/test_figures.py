"""Figures: numbered per article by the layout, captions that say more than the chart's
title, and a diagram that does not rely on colour alone (figures.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813

import pdfplumber
import pytest

from printjournal import pipeline as build
from printjournal.checks.check import check as check_project
from printjournal.errors import Notices

from .conftest import REPO

CHART = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <text x="10" y="20" font-size="12">{title}</text>
  <rect x="10" y="40" width="{width}" height="20" fill="#0b5563"/>
</svg>
"""
ARTICLE = """\
---
title: "Charts"
section: "Tests"
date: 2026-03-01
---
The first chart.

![A bar for walking](../images/walking.svg "Figure 7. Walking: most of us do more than we think.")

The second chart, whose caption names it twice.

![A bar for sleep](../images/sleep.svg "Hours of sleep")

A picture without a caption is not numbered.

![A bar for nothing](../images/walking.svg)
"""


@pytest.fixture(scope="module")
def charts(tmp_path_factory):
    from .conftest import TmpProject

    project = TmpProject(tmp_path_factory.mktemp("figures") / "project")
    project.write("content/images/walking.svg", CHART.format(title="Steps a day", width=120))
    project.write("content/images/sleep.svg", CHART.format(title="Hours of sleep", width=80))
    path = project.article("charts", ARTICLE)
    notices = Notices()
    problems = check_project(project.project(), notices=notices)
    out = project.root / "charts.pdf"
    build.build_article(build.Pipeline.load(project.project()), path, out)
    with pdfplumber.open(out) as opened:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in opened.pages)
    return problems, [str(n) for n in notices.found], text


def test_figures_are_numbered_by_the_layout_and_a_typed_number_is_dropped(charts):
    _, _, text = charts
    assert re.findall(r"Figure \d+\.", text) == ["Figure 1.", "Figure 2."]
    assert "Figure 1. Walking: most of us do more than we think." in text
    assert "Figure 2. Hours of sleep" in text
    assert "Figure 7" not in text


def test_a_caption_that_only_repeats_the_chart_title_is_a_warning(charts):
    problems, notices, _ = charts
    assert problems == []
    assert notices == ["content/articles/charts.md:12: warning: the caption of "
                       "'../images/sleep.svg' only repeats the chart's own title ('Hours of "
                       "sleep'): say what the picture shows or means"]



def test_a_figure_named_by_its_place_is_a_warning_at_its_line(tmp_project):
    """A figure moves to the next page when the room left is too small (no floats in
    WeasyPrint 70): "the chart below" is warned at its line, a line break inside the
    words too; a table follows its text, and "Figure 1" names a figure wherever it is."""
    tmp_project.article("places", """\
        ---
        title: "Places"
        section: "Tests"
        date: 2026-03-01
        ---
        As the chart below shows, most of us walk more than we think.

        Figure 1 shows the same, and the table below lists it. The picture
        above is a map.
        """)
    notices = Notices()
    assert check_project(tmp_project.project(), notices=notices) == []
    assert [(n.line, n.message.split("'")[1]) for n in notices.found] == [
        (6, "the chart below"), (8, "The picture above")]
    assert "name it by its number ('Figure 1')" in notices.found[0].message

def test_the_blood_pressure_lines_differ_by_style_and_are_labelled_on_the_chart():
    svg = etree.parse(REPO / "content/images/bp-numbers.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    dashes = {line.get("stroke"): line.get("stroke-dasharray")
              for line in svg.iter(f"{ns}line") if line.get("y1") == line.get("y2")
              and line.get("stroke") in ("#b0413e", "#2f7f86")}
    assert len(set(dashes.values())) == 2 and None not in dashes.values()
    texts = [" ".join("".join(t.itertext()).split()) for t in svg.iter(f"{ns}text")]
    assert any(t.startswith("Systolic 128") for t in texts)
    assert any(t.startswith("Diastolic 82") for t in texts)
