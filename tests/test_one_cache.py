"""One render cache, many kinds of output: nothing is ever served for the wrong request.

The other tests give each edition or leaflet a cache of its own; here the outputs that
differ only in an option (the issue's edition, the leaflet's personal box) go through
one cache, in both orders, as they do on a real machine. And a change to printjournal's
own code is a change of every key, so a warm cache never hides it.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from printjournal import cache, cli, editions
from printjournal.leaflet import build as leaflet
from printjournal.load import content
from printjournal.pipeline import Pipeline
from printjournal.site import build as site

from .site_helpers import Collect
from .test_issue_manifest import M, issue_project  # noqa: F401 (the fixture)

SRC = Path(cache.__file__).parent

# ---------- issue editions ----------

DIGITAL_PAGES, PRINT_PAGES = 10, 12      # the small issue (test_issue_build.py)


def check_edition(path: Path, edition: str) -> None:
    """What the print shop and a reader see of an edition of the small issue."""
    reader = pypdf.PdfReader(path)
    pages = reader.pages
    bled = [n for n, p in enumerate(pages, 1)
            if "/BleedBox" in p and p.bleedbox != p.mediabox and p.trimbox != p.mediabox]
    linked = [n for n, p in enumerate(pages, 1)
              if any(a.get_object().get("/Subtype") == "/Link" for a in p.get("/Annots") or [])]
    if edition == "print":
        assert len(pages) == PRINT_PAGES and len(pages) % 4 == 0, (path, len(pages))
        assert bled == list(range(1, PRINT_PAGES + 1)), f"{path}: pages without bleed"
        assert linked == [], f"{path}: live links on pages {linked}"
    else:
        assert len(pages) == DIGITAL_PAGES, (path, len(pages))
        assert bled == [], f"{path}: bleed on pages {bled}"
        assert linked, f"{path}: the digital edition has no live links"
        assert "/StructTreeRoot" in reader.trailer["/Root"]


def cli_issue(root: Path, edition: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(root)
    assert cli.main(["issue", M, "--edition", edition, "-j", "1"]) == 0
    return root / "dist" / "issues" / ("spring-print.pdf" if edition == "print" else "spring.pdf")


@pytest.mark.slow
@pytest.mark.parametrize("order", [("digital", "print"), ("print", "digital")])
def test_both_issue_editions_through_one_cache_in_either_order(issue_project,  # noqa: F811
                                                                order, monkeypatch):
    for edition in order:
        check_edition(cli_issue(issue_project.root, edition, monkeypatch), edition)
    # and again, each from the cache: still its own edition
    for edition in order:
        check_edition(cli_issue(issue_project.root, edition, monkeypatch), edition)


@pytest.mark.slow
def test_issue_editions_of_the_website_build_and_the_cli_share_one_cache(
        issue_project, monkeypatch):  # noqa: F811
    report = Collect()
    summary = site.build_site(issue_project.project(), issue_project.root / "dist", jobs=1,
                              reporter=report)
    assert summary.failed == 0, summary.problems
    dist = issue_project.root / "dist" / "issues"
    check_edition(dist / "spring.pdf", "digital")
    check_edition(dist / "spring-print.pdf", "print")
    for edition in ("print", "digital"):
        check_edition(cli_issue(issue_project.root, edition, monkeypatch), edition)


# ---------- leaflets with and without a personal box ----------

TODAY = dt.date(2026, 11, 21)
NOTE = "Moisturise twice a day, after washing; come back in two weeks if it still itches."


def _front(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return " ".join((pdf.pages[0].extract_text() or "").split())


@pytest.mark.parametrize("who", [
    [("", ""), ("Ada Example", ""), ("Ada Example", "Come back in two weeks.")],
    [("Cy Example", ""), ("Cy Example", NOTE)],
    [("Bo Example", NOTE), ("Bo Example", ""), ("", "")],
], ids=["nothing-name-note", "name-note", "shrinking"])
def test_one_leaflet_printed_with_no_name_a_name_then_a_note_into_one_store(
        sample_pipeline, tmp_path, who):
    store = cache.RenderCache(tmp_path / "cache")
    request = leaflet.LeafletRequest(("winter-skin-eczema",), paper="A5")
    for name, note in who:
        made = leaflet.leaflet(sample_pipeline, request, TODAY, leaflet.Personal(name, note),
                               store)
        front = _front(made.data)
        assert "Cureon Harbourside Clinic PATIENT INFORMATION" in front
        for text in (name, note):
            if text:
                assert text in front, (name, note, front)
        for other in {t for pair in who for t in pair if t} - {name, note}:
            assert other not in front, (name, note, other)


# ---------- printjournal's own code is in every key ----------

def other_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    """Make the cache see a copy of printjournal's sources with ``module`` edited."""
    code = tmp_path / "printjournal"
    shutil.copytree(SRC, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(code / "cache.py"))
    if module:
        (code / module).write_text((code / module).read_text() + "\n# changed\n")


@pytest.mark.parametrize("module", ["leaflet/build.py", "pdf/assemble.py", "issue/plan.py"])
def test_a_change_to_printjournals_code_changes_every_key(tmp_project, tmp_path, monkeypatch,
                                                          module):
    tmp_project.article()
    project = tmp_project.project()
    before = cache.project_fingerprint(project)
    other_code(tmp_path / "same", monkeypatch, "")
    assert cache.project_fingerprint(project) == before, "the same code: the same key"
    other_code(tmp_path / "edited", monkeypatch, module)
    assert cache.project_fingerprint(project) != before


def test_a_pdf_cached_by_other_code_is_rendered_again(tmp_project, tmp_path, monkeypatch):
    tmp_project.article()
    project = tmp_project.project()
    pipeline = Pipeline.load(project)
    article = content.load_article(tmp_project.root / "content/articles/small.md", project)
    store = cache.RenderCache.for_project(project)
    renders: list[int] = []

    def make_html() -> str:
        renders.append(1)
        return pipeline.article_html(article)

    def render() -> None:
        key = cache.key(project, cache.article_inputs(article, project), "article")
        pipeline.cached_pdf(store, key, make_html, article.path)

    render()
    render()
    assert renders == [1]
    other_code(tmp_path, monkeypatch, "template/layouts.py")
    render()
    assert renders == [1, 1]


# ---------- one key per output, whichever command makes it ----------

def test_the_website_build_reuses_an_issue_and_an_article_made_by_their_commands(
        issue_project, monkeypatch):  # noqa: F811
    """``printjournal issue`` and ``printjournal article`` key their PDFs as the website
    build does (outputs.py): the build copies them from the render cache, rendering
    only the articles no command made."""
    root = issue_project.root
    monkeypatch.setattr(editions, "EDITIONS", editions.EDITIONS[:1])   # digital only
    monkeypatch.chdir(root)
    assert cli.main(["article", "content/articles/one.md", "-o", "one.pdf"]) == 0
    made = cli_issue(root, "digital", monkeypatch)
    shutil.rmtree(root / "dist")       # nothing there to keep: only the cache can help
    report = Collect()
    summary = site.build_site(issue_project.project(), root / "dist", jobs=1, reporter=report)
    assert summary.failed == 0, summary.problems
    assert report.paths("built") == {"articles/two.pdf", "articles/three.pdf"}
    assert (root / "dist/issues/spring.pdf").read_bytes() == made.read_bytes()
    assert (root / "dist/articles/one.pdf").read_bytes() == (root / "one.pdf").read_bytes()
