"""Translations kept in step with their original: check warns with both versions, a
leaflet refuses a stale one unless --allow-stale, which prints the note on its pages;
and the editor's report (terminal table, report.html in Chromium)."""

from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest

from printjournal import pipeline as build
from printjournal.checks import report
from printjournal.checks.check import check as check_project
from printjournal.errors import ContentError, Notices
from printjournal.leaflet import build as leaflet

from .pdfread import MM, pages
from .test_cli import run
from .test_issue_manifest import issue_project  # noqa: F401  (a fixture)

TODAY = dt.date(2026, 11, 29)
ORIGINAL = """\
---
title: "Washing your hands"
section: Infections
date: 2026-01-01
review: {{version: "{version}", reviewed: 2026-01-01, next_review: 2027-06-01, owner: "Dr A"}}
sources: [{{id: who, text: "WHO hand hygiene", url: "https://www.who.int/"}}]
---
Wash your hands with soap for twenty seconds [@who]. Dry them well.
"""
GERMAN = """\
---
title: "Händewaschen"
section: Infektionen
date: 2026-02-01
lang: de-DE
translation_of: hands
source_version: "1.0"
---
Waschen Sie Ihre Hände zwanzig Sekunden lang mit Seife. Trocknen Sie sie gut ab.
"""
NOTE = "Translation of version 1.0; the English original is now version 1.1"
#: as the German translation's pages print it (layouts/labels.toml [de])
NOTE_DE = "Übersetzung von Version 1.0; das Original (Englisch) ist jetzt Version 1.1"


@pytest.fixture
def translated(tmp_project):
    tmp_project.article("hands", ORIGINAL.format(version="1.1"))
    tmp_project.article("haende", GERMAN)
    with (tmp_project.root / "printjournal.toml").open("a") as toml:
        # a German article prints a German disclaimer (check warns of one that lacks it)
        toml.write('\n[journal.disclaimers]\nde = "Nur zur allgemeinen Information."\n')
        toml.write('\n[[clinics]]\nid = "c"\nname = "Clinic"\naddress = "1 Road"\n'
                   'phone = "0100 000000"\ndefault = true\n')
    return tmp_project


def test_check_warns_of_a_stale_translation_with_both_versions(translated):
    notices = Notices()
    assert check_project(translated.project(), None, notices) == []
    assert [str(n) for n in notices.found] == [
        "content/articles/haende.md:7: warning: stale translation: translated from version "
        "1.0 of 'hands', which is now version 1.1: update the translation and its "
        "source_version"]
    translated.article("hands", ORIGINAL.format(version="1.0"))
    notices = Notices()
    assert check_project(translated.project(), None, notices) == []
    assert notices.found == ()


@pytest.mark.parametrize(("front", "expected"), [
    ("translation_of: nowhere\nsource_version: '1'\n",
     "content/articles/bad.md:6: 'translation_of: nowhere': no article has this slug"),
    ("translation_of: hands\n",
     "content/articles/bad.md:5: 'source_version' is required with 'translation_of': the "
     "original's review.version you translated"),
    ("source_version: '1.0'\n",
     "content/articles/bad.md:5: 'source_version' needs 'translation_of': the slug of the "
     "original article"),
])
def test_broken_translations_are_errors_at_their_lines(translated, problems_of, front,
                                                       expected):
    text = f"---\ntitle: t\nsection: s\ndate: 2026-01-01\n{front}---\nWords.\n"
    assert problems_of(text) == [expected]


def test_a_leaflet_refuses_a_stale_translation(translated):
    pipeline = build.Pipeline.load(translated.project())
    with pytest.raises(ContentError) as caught:
        leaflet.leaflet(pipeline, leaflet.LeafletRequest(("haende",)), TODAY)
    assert [str(p) for p in caught.value.problems] == [
        f"content/articles/haende.md:7: 'Händewaschen' is a stale translation: {NOTE}. "
        "Update it, or print it marked as such with --allow-stale"]


def test_allow_stale_prints_the_note_on_each_of_its_pages(translated, tmp_path):
    # long enough for two pages: the note must be on both
    translated.article("haende", GERMAN + ("\n\nWaschen Sie Ihre Hände oft. " * 60 + "\n")
                       * 3)
    result = run("leaflet", "haende", "hands", "--allow-stale", "-o",
                 str(tmp_path / "l.pdf"), cwd=translated.root)
    assert result.returncode == 0, result.stderr
    read = pages(tmp_path / "l.pdf")
    text = [" ".join((p.header + " " + p.body).split()) for p in read]
    german = [t for t in text if "Waschen Sie" in t]
    assert len(german) >= 2
    # the flag (top right, in the page's top margin) wraps where its box's width says and
    # its lines interleave with the stamp's in the page's text: read the flag's corner alone
    with pdfplumber.open(tmp_path / "l.pdf") as pdf:
        flags = [" ".join((page.crop(_flag_box(page)).extract_text() or "").split())
                 for page in pdf.pages]
    assert all(NOTE_DE in flags[n] for n, t in enumerate(text) if "Waschen Sie" in t), flags
    first = NOTE_DE.split(" ist ")[0]
    assert NOTE_DE in " ".join(read[0].body.split())     # the flag above the article, whole
    assert not any(first in t for t in text if "Wash your" in t)


def _flag_box(page) -> tuple[float, float, float, float]:
    """The flag's ruled box in the page's top margin (the widest one there), else the
    whole top margin."""
    box = max((r for r in page.rects if r["bottom"] < 26 * MM), key=lambda r: r["width"],
              default={"x0": 0, "top": 0, "x1": page.width, "bottom": 26 * MM})
    return box["x0"], box["top"], box["x1"], box["bottom"]


def test_report_table_lists_grades_reviews_and_translations(translated):
    result = run("report", cwd=translated.root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["article", "lang", "grade", "words", "long", "review", "due",
                                "owner", "sources", "translations"]
    rows = {line.split()[0]: line.split() for line in lines[1:3]}
    assert rows["hands"] == ["hands", "en-GB", "—", "11", "0", "reviewed", "2027-06-01",
                             "Dr", "A", "1", "de-DE", "stale"]
    assert rows["haende"][:5] == ["haende", "de-DE", "—", "14", "0"]
    assert " ".join(rows["haende"][5:]) == "not reviewed 0 of hands: stale (1.0 → 1.1)"
    assert lines[-1] == str(translated.root / "dist" / "report.html")


def test_report_grades_the_sample_articles(sample_project, tmp_path):
    table, _ = report.report(sample_project, tmp_path, TODAY)
    rows = {line.split()[0]: line.split() for line in table.splitlines()[1:]}
    assert len(rows) == 13
    # every sample is graded but the translations: Polish has no formula in textstat,
    # Arabic's (Osman) no grade scale
    assert {slug for slug, row in rows.items() if row[2] == "—"} == {
        "walking-for-health-ar", "walking-for-health-pl"}
    assert all(float(row[2]) > 3 for row in rows.values() if row[2] != "—")
    assert rows["walking-for-health"][5] == "overdue"
    assert " ".join(rows["walking-for-health"]).endswith("5 ar current, pl current")


def test_report_page_in_chromium(translated, browser, tmp_path):
    run("report", "-o", str(tmp_path), cwd=translated.root)
    page = browser.new_page()
    try:
        page.goto((tmp_path / "report.html").as_uri())
        assert page.title() == "Editorial report — Test Journal"
        row = page.locator("tr#haende")
        assert row.locator("th").inner_text().startswith("Händewaschen")
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == "de-DE"
        assert cells[-1] == "of hands: stale (1.0 → 1.1)"
        stale = row.locator("td").last
        assert stale.evaluate("e => getComputedStyle(e).fontWeight") == "600"   # marked
        assert page.locator("tr#hands td").nth(4).inner_text() == "reviewed"
    finally:
        page.close()


def test_an_issue_refuses_a_stale_translation_at_its_manifest_line(issue_project):  # noqa: F811
    issue_project.article("drei", GERMAN.replace("translation_of: hands",
                                                 "translation_of: three")
                          .replace('source_version: "1.0"', "source_version: '0.9'"))
    manifest = issue_project.root / "content/issues/spring.yaml"
    text = manifest.read_text().replace("articles: [one, two, three]",
                                        "articles: [one, two, drei]")
    manifest.write_text(text)
    problems = [str(p) for p in check_project(issue_project.project())]
    assert problems == [
        "content/issues/spring.yaml:10: article 'drei' is a stale translation (Translation "
        "of version 0.9; the English original is now version 1): update it first"]
