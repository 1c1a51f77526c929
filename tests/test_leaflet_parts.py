"""A leaflet assembled from parts: each article rendered once for each way it can look and
kept, a warm leaflet rendered not at all, "Page X of Y" filled in after assembly, and
errors naming the article they come from.

Small articles of a throwaway project on A5 (whose left and right pages have other
margins): every render here is a page or two.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from printjournal import cache
from printjournal.errors import RenderError
from printjournal.leaflet import build as leaflet
from printjournal.pipeline import Pipeline
from printjournal.render.weasy import Renderer

from .conftest import ARTICLE, TmpProject
from .pdfread import outline

TODAY = dt.date(2026, 11, 21)
CLINIC = """
[[clinics]]
id = "test"
name = "Test Clinic"
address = "1 Test Street"
phone = "0100 000 0000"
default = true
"""
PARAGRAPH = ("Walking most days keeps the heart and the mind in good shape, and it needs no "
             "equipment beyond comfortable shoes and a little time set aside for it. ")


def _article(title: str, paragraphs: int) -> str:
    body = "\n\n".join(PARAGRAPH * 3 for _ in range(paragraphs))
    return ARTICLE.replace("A small article", title) + "\n" + body + "\n"


@dataclass
class Parts:
    """The throwaway project, its render cache, and what WeasyPrint rendered."""

    pipeline: Pipeline
    store: cache.RenderCache
    renders: list[str]
    out: Path

    def make(self, slugs: str, name: str, **options) -> tuple[Path, list[str]]:
        """The leaflet of comma-separated ``slugs`` (A5) and the renders it took."""
        before = len(self.renders)
        request = leaflet.LeafletRequest(tuple(slugs.split(",")), paper="A5", **options)
        made = leaflet.leaflet(self.pipeline, request, TODAY, None, self.store)
        path = self.out / f"{name}.pdf"
        path.write_bytes(made.data)
        return path, self.renders[before:]


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> Parts:
    root = tmp_path_factory.mktemp("parts")
    project = TmpProject(root / "project")
    config = (project.root / "printjournal.toml").read_text()
    project.write("printjournal.toml", config + CLINIC)
    project.article("short", _article("Short", 1))
    project.article("long", _article("Long", 5))
    project.article("middle", _article("Middle", 2))
    project.article("end", _article("End", 1))
    project.article("other", _article("Other end", 1))
    pipeline = Pipeline.load(project.project())
    renders: list[str] = []
    render = Renderer.pdf

    def counted(self, html, name, **options):
        renders.append(Path(name).stem)
        return render(self, html, name, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Renderer, "pdf", counted)
        yield Parts(pipeline, cache.RenderCache(root / "cache"), renders, root)


@pytest.fixture(scope="module")
def made(parts: Parts) -> dict[str, tuple[Path, list[str]]]:
    """Leaflets made in this order from one render cache, and what each rendered."""
    return {name: parts.make(slugs, name) for name, slugs in (
        ("short-middle-end", "short,middle,end"),
        ("again", "short,middle,end"),
        ("short-middle-other", "short,middle,other"),
        ("long-middle-end", "long,middle,end"),
    )}


def _texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [page.extract_text() or "" for page in document.pages]


def _starts(pdf: Path) -> dict[str, int]:
    """The page (1-based) each article starts on, from its bookmark."""
    return {title: page for depth, title, page in outline(pypdf.PdfReader(pdf)) if depth == 0}


def _left_edge(pdf: Path, page: int) -> float:
    """Where the text of ``page`` (1-based) begins, in points from the left edge."""
    with pdfplumber.open(pdf) as document:
        return min(w["x0"] for w in document.pages[page - 1].extract_words())


def test_a_cold_leaflet_renders_each_part_once_in_order(made):
    _, renders = made["short-middle-end"]
    # the sheet the widest date of the year is measured on (the parts print it where the
    # day's date goes), each article once, then the sheet the page numbers and the day's
    # date are drawn from
    assert renders == ["layouts", "short", "middle", "end", "layouts"]


def test_a_warm_leaflet_renders_nothing_and_is_the_same_file(made):
    first, _ = made["short-middle-end"]
    again, renders = made["again"]
    assert renders == []
    assert again.read_bytes() == first.read_bytes()


def test_a_part_is_reused_in_another_leaflet(made):
    """short and middle fall on the same pages as in short,middle,end: only the new last
    part (the closing panel names every article) is rendered."""
    pdf, renders = made["short-middle-other"]
    assert renders[:1] == ["other"] and set(renders) <= {"other", "layouts"}
    texts = _texts(pdf)
    assert "Other end" in texts[-1] and "Middle" in " ".join(texts)


def test_a_part_on_the_other_side_is_rendered_for_that_side(made):
    """long has one page more than short: middle starts on the other side, so it is
    rendered again, with that side's margins."""
    one, _ = made["short-middle-end"]
    other, renders = made["long-middle-end"]
    starts = [(pdf, _starts(pdf)["Middle"]) for pdf in (one, other)]
    assert starts[0][1] % 2 != starts[1][1] % 2
    assert "middle" in renders
    # A5 (leaflet.html): right-hand (odd) pages 12 mm from the left edge, left-hand 9 mm
    for pdf, page in starts:
        margin = 12 if page % 2 else 9
        assert _left_edge(pdf, page) == pytest.approx(margin * 72 / 25.4, abs=1), pdf.name


def test_page_x_of_y_on_every_page_in_the_text_layer(made):
    for name in ("short-middle-end", "long-middle-end"):
        pdf, _ = made[name]
        texts = _texts(pdf)
        assert len(texts) >= 3
        for number, text in enumerate(texts, start=1):
            found = re.findall(r"Page (\d+) of (\d+)", text)
            assert found == [(str(number), str(len(texts)))], (name, number, text)
        # what a copy or a search gets, read with another library
        reader = pypdf.PdfReader(pdf)
        assert f"Page {len(texts)} of {len(texts)}" in reader.pages[-1].extract_text()


def test_the_front_band_only_on_the_first_page_and_stamps_on_every_page(made):
    pdf, _ = made["long-middle-end"]
    texts = _texts(pdf)
    assert "Test Clinic" in texts[0].split("Page 1")[0]
    assert sum("0100 000 0000" in t for t in texts) == 2   # front band and closing panel
    assert all("Not clinically reviewed" in t.split("\n")[0] for t in texts)


def test_an_error_in_the_second_article_names_its_file(parts):
    root = parts.pipeline.project.root
    (root / "content" / "images" / "broken.svg").write_text("<svg this is not")
    (root / "content" / "articles" / "broken.md").write_text(
        _article("Broken", 1) + "\n![A broken picture](../images/broken.svg)\n")
    with pytest.raises(RenderError) as caught:
        parts.make("short,broken", "broken")
    assert all(p.path == Path("content/articles/broken.md") for p in caught.value.problems)
    assert str(caught.value).startswith("content/articles/broken.md:")


def test_placement_problems_of_every_part_are_given_at_the_leaflets_page_numbers(parts):
    """Two parts with a word too wide for the page: both are reported, each at its own
    file and line, on the page of the leaflet where it would print (not of its part)."""
    word = "Unbreakable" * 12
    root = parts.pipeline.project.root
    for slug in ("wide-a", "wide-b"):
        (root / "content" / "articles" / f"{slug}.md").write_text(
            _article(slug, 1) + f"\n| Word |\n|---|\n| {word} |\n")
    with pytest.raises(RenderError) as caught:
        parts.make("long,wide-a,short,wide-b", "wide")
    found = caught.value.problems
    assert [p.path.name for p in found] == ["wide-a.md", "wide-b.md"]
    long_pages = len(pypdf.PdfReader(parts.make("long", "long-alone")[0]).pages)
    pages = [int(re.search(r"on pages? (\d+)", p.message)[1]) for p in found]
    assert pages[0] > long_pages, found
    assert pages[1] > pages[0] + 1, found
