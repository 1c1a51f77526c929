"""The date a leaflet prints is the day's, stamped at assembly: its parts do not depend on
the day (leaflet/parts.py, pdf/dateslot.py).

A leaflet made one day and again the next renders no part the second time, and each
reads its own day's date on every page (governance stamp and "About this information"),
in English and in Arabic (right to left), where the layout prints it: every glyph of
every page where the part rendered with that day's date in its text (as leaflets were
made before the date became a slot) puts it, within 0.5 pt. The placeholder is the
widest date of the year, so no date is wider than the room it took.

Two short articles of the sample (their first paragraphs), so each render is a page or two.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from printjournal import cache
from printjournal.leaflet import build as leaflet
from printjournal.leaflet import parts as leafletparts
from printjournal.markup.makeup import unbroken
from printjournal.model import ReviewState
from printjournal.pipeline import Pipeline
from printjournal.styles import STANDARD
from printjournal.template.layouts import direction

from .conftest import REPO, TmpProject, count_renders
from .pdfread import structure_check
from .tagread import marked_text
from .test_accessibility import vera  # noqa: F401 (the veraPDF fixture)
from .test_leaflet_parts import CLINIC

#: two days of a month whose dates are narrower than the widest of the year (in English
#: "30 September 2026", in Arabic "30 أغسطس 2026"): a date must not take the
#: placeholder's room, it must start where the line starts
DAYS = (dt.date(2026, 6, 14), dt.date(2026, 6, 15))
SLUGS = {"en": "walking-for-health", "ar": "walking-for-health-ar"}


def _short(slug: str) -> str:
    """The sample article ``slug`` up to its second heading."""
    text = (REPO / "content" / "articles" / f"{slug}.md").read_text(encoding="utf-8")
    return re.split(r"\n## ", text)[0] + "\n"


@dataclass
class Dated:
    pipeline: Pipeline
    leaflets: dict[tuple[str, dt.date], Path]     # (lang, day): the leaflet made that day
    references: dict[tuple[str, dt.date], Path]   # the part rendered with the day's date
    renders: dict[tuple[str, dt.date], list[str]]  # what WeasyPrint rendered for each


@pytest.fixture(scope="module")
def dated(tmp_path_factory) -> Dated:
    root = tmp_path_factory.mktemp("dated")
    project = TmpProject(root / "project")
    config = (project.root / "printjournal.toml").read_text()
    project.write("printjournal.toml", config + CLINIC)
    for slug in SLUGS.values():
        project.article(slug, _short(slug))
    pipeline = Pipeline.load(project.project())
    store = cache.RenderCache(root / "cache")
    found = Dated(pipeline, {}, {}, {})
    with pytest.MonkeyPatch.context() as patch:
        renders = count_renders(patch)
        for lang, slug in SLUGS.items():
            for day in DAYS:
                before = len(renders)
                made = leaflet.leaflet(pipeline, leaflet.LeafletRequest((slug,)), day,
                                       None, store)
                path = root / f"{lang}-{day}.pdf"
                path.write_bytes(made.data)
                found.leaflets[lang, day] = path
                found.renders[lang, day] = [Path(r).stem for r in renders[before:]]
                found.references[lang, day] = _reference(pipeline, slug, day, root)
    return found


def _reference(pipeline: Pipeline, slug: str, day: dt.date, root: Path) -> Path:
    """The one-article leaflet's part as it was rendered before the date was a slot:
    with ``day``'s date in its text."""
    project = pipeline.project
    article = leaflet.select_articles(project, [slug])[0]
    html = leafletparts.leaflet_html(
        pipeline, [article], [ReviewState.REVIEWED], leaflet.find_clinic(project, None),
        "A4", lambda lang: unbroken(pipeline.layouts.labels(lang).date(day)),
        style=STANDARD, personal_slot="", part=0,
        side=leafletparts.first_side(1, article.lang, direction))
    path = root / f"reference-{slug}-{day}.pdf"
    path.write_bytes(pipeline.renderer.pdf(html, article.path).data)
    return path


def _chars(path: Path) -> list[list[tuple[str, float, float]]]:
    with pdfplumber.open(path) as pdf:
        return [[(c["text"], c["x0"], c["top"]) for c in page.chars] for page in pdf.pages]


MM = 72 / 25.4


def _has(text: str, word: str) -> bool:
    """``word`` in ``text``, in reading order or (right to left, as pdfplumber gives the
    letters in the order they are seen) reversed."""
    return word in text or word[::-1] in text


def _date(pipeline: Pipeline, lang: str, day: dt.date) -> str:
    labels = pipeline.layouts.labels(lang)
    return unbroken(f"{labels.printed} {labels.date(day)}")


def test_the_next_day_renders_no_part(dated):
    for lang in SLUGS:
        first, following = (dated.renders[lang, day] for day in DAYS)
        assert SLUGS[lang] in first                     # the part, made the first day
        # the next day: only the sheet the day's date and page numbers are drawn on
        assert following == ["layouts"], (lang, following)


@pytest.mark.parametrize("lang", list(SLUGS))
def test_every_glyph_where_the_days_date_puts_it_on_every_page(dated, lang):
    for day in DAYS:
        made, reference = (_chars(p[lang, day]) for p in (dated.leaflets, dated.references))
        assert len(made) == len(reference) > 0
        for page, (ours, theirs) in enumerate(zip(made, reference, strict=True), start=1):
            assert [c[0] for c in ours] == [c[0] for c in theirs], (lang, day, page)
            moved = [(a, b) for a, b in zip(ours, theirs, strict=True)
                     if abs(a[1] - b[1]) > 0.5 or abs(a[2] - b[2]) > 0.5]
            assert not moved, (lang, day, page, moved[:3])


@pytest.mark.parametrize("lang", list(SLUGS))
def test_each_day_reads_its_own_date_on_every_page_in_text_and_tags(dated, lang):
    placeholder = leafletparts.widest_date(dated.pipeline, None, lang, 2026)
    months = dated.pipeline.layouts.labels(lang).months
    wide = months.index(placeholder.split("\u00a0")[1])
    for day in DAYS:
        path = dated.leaflets[lang, day]
        with pdfplumber.open(path) as pdf:     # the stamp: the page's top margin
            stamps = [page.crop((0, 0, page.width, 26 * MM)).extract_text() or ""
                      for page in pdf.pages]
            texts = [page.extract_text() or "" for page in pdf.pages]
        for page, text in enumerate(stamps, start=1):   # (Arabic: as seen, right to left)
            assert _has(text, months[day.month - 1]) and _has(text, str(day.day)), \
                (lang, day, page, text)
            assert not _has(text, months[wide]), (lang, day, page, text)
        if lang == "en":   # left to right, the text layer reads the unit as printed
            assert all(_date(dated.pipeline, lang, day).replace("\u00a0", " ")
                       in t.replace("\u00a0", " ") for t in texts)
        # the "About this information" box is tagged content: its marked content reads
        # the day's date as the part rendered with that date does
        last = len(texts) - 1
        ours = marked_text(path, {last})
        theirs = marked_text(dated.references[lang, day], {last})
        assert sorted(ours.values()) == sorted(theirs.values())
        assert not structure_check(pypdf.PdfReader(path))


def test_no_date_of_the_year_is_wider_than_the_placeholder(dated):
    """Every date of 2026, drawn as the stamp draws it, fits the placeholder's room."""
    pipeline = dated.pipeline
    for lang in SLUGS:
        labels = pipeline.layouts.labels(lang)
        style = leafletparts._MEASURED
        dates = [unbroken(labels.date(dt.date(2026, 1, 1) + dt.timedelta(days=n)))
                 for n in range(365)]
        placeholder = leafletparts.widest_date(pipeline, None, lang, 2026)
        requests = [(style, d) for d in [placeholder, *dates]]
        drawn = leafletparts.drawn_stamps(pipeline, None, requests, lang, "test",
                                          sheets=("fonts.css", "print.css"))
        room = drawn.stamps[(style, placeholder)].width
        widest = max(dates, key=lambda d: drawn.stamps[(style, d)].width)
        assert drawn.stamps[(style, widest)].width <= room + 1e-6, (lang, widest)
        assert placeholder in dates     # a date of the year itself, as wide as the widest


def test_the_leaflets_of_both_days_are_pdf_ua(dated, vera):  # noqa: F811
    pdfs = [str(dated.leaflets[lang, DAYS[1]]) for lang in SLUGS]
    result = subprocess.run([vera, "ua1", *pdfs], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("compliant=true") == len(pdfs)
