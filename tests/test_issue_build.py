"""Building an issue: parts rendered once and reused; numbers right whatever moved."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pypdf
import pytest

from printjournal import cache, editions
from printjournal.errors import LayoutError, RenderError
from printjournal.issue import build as issue
from printjournal.issue import manifest, rendering
from printjournal.pipeline import Pipeline

from .issueread import contents_number, issue_pages, start_page
from .pdfread import structure_check
from .test_issue_manifest import MANIFEST, M, issue_project  # noqa: F401


def run_build(project_dir, edition="digital", workers=2) -> issue.IssueBuild:
    project = project_dir.project()
    pipeline = Pipeline.load(project)
    loaded = manifest.load_manifest(project_dir.root / M, project)
    store = cache.RenderCache.for_project(project)
    built = issue.IssueBuild(pipeline, loaded, editions.edition(edition, M), store, workers)
    out = project_dir.root / f"{edition}.pdf"
    out.write_bytes(built.pdf())
    built.out = out  # type: ignore[attr-defined]
    return built


def check_numbers(path, loaded_titles) -> dict[str, int]:
    """Contents numbers equal the printed folios of the openings; returns the openings."""
    pages = issue_pages(path)
    contents = pages[2].body
    openings = {}
    for title in loaded_titles:
        opening = start_page(pages, title, after=3)
        assert contents_number(contents, title) == opening.folio == opening.number
        openings[title] = opening.number
    return openings


def test_small_issue_layout(issue_project):  # noqa: F811
    built = run_build(issue_project)
    pages = issue_pages(built.out)
    assert len(pages) == 10
    openings = check_numbers(built.out, ["Article 1", "Article 2", "Article 3"])
    assert openings == {"Article 1": 5, "Article 2": 7, "Article 3": 9}
    assert "Notes" in pages[3].body and pages[5].body.strip() and pages[7].body.strip()
    assert "(p. 7)" in pages[4].body, "article one links to two, on page 7"
    assert structure_check(pypdf.PdfReader(built.out)) == []


def test_small_issue_print_edition(issue_project):  # noqa: F811
    built = run_build(issue_project, "print")
    reader = pypdf.PdfReader(built.out)
    assert len(reader.pages) == 12
    assert structure_check(reader) == []
    pages = issue_pages(built.out)
    assert [p.folio for p in pages] == [None, *range(2, 12), None]


def test_an_unchanged_issue_is_not_rendered_again(issue_project, monkeypatch):  # noqa: F811
    project = issue_project.project()
    pipeline = Pipeline.load(project)
    store = cache.RenderCache.for_project(project)
    out = issue_project.root / "out.pdf"
    first = issue.build_issue(pipeline, issue_project.root / M, out, store=store)
    data = out.read_bytes()
    monkeypatch.setattr(issue.IssueBuild, "pdf", lambda self: pytest.fail("rebuilt"))
    again = issue.build_issue(pipeline, issue_project.root / M, out, store=store)
    assert out.read_bytes() == data and again == first


def test_editing_one_article_renders_only_that_article(issue_project):  # noqa: F811
    cold = run_build(issue_project)
    assert cold.renders >= 9   # cover, letter, contents, 3 articles, fillers, back cover
    path = issue_project.root / "content/articles/two.md"
    path.write_text(path.read_text().replace("More text.", "More text, edited."))
    warm = run_build(issue_project)
    assert warm.renders == 1
    assert "More text, edited." in " ".join(p.body for p in issue_pages(warm.out))


def test_moving_articles_renders_only_the_contents(issue_project):  # noqa: F811
    run_build(issue_project)
    issue_project.write(M, MANIFEST.replace("[one, two, three]", "[three, one, two]"))
    moved = run_build(issue_project)
    assert moved.renders == 1
    openings = check_numbers(moved.out, ["Article 3", "Article 1", "Article 2"])
    assert openings == {"Article 3": 5, "Article 1": 7, "Article 2": 9}
    pages = issue_pages(moved.out)
    assert "(p. 9)" in pages[6].body, "article one's link to two follows it to page 9"


def test_wrong_digit_predictions_are_rendered_again(issue_project, monkeypatch):  # noqa: F811
    monkeypatch.setattr(issue.IssueBuild, "predict_digits",
                        lambda self: {t: 2 for t in ("cover", "letter", "contents",
                                                     *self.manifest.slugs)})
    built = run_build(issue_project, workers=1)
    check_numbers(built.out, ["Article 1", "Article 2", "Article 3"])
    assert built.renders > 9, "parts with two-digit placeholders were rendered again"
    assert "(p. 7)" in issue_pages(built.out)[4].body


def test_the_cover_must_fit_one_page(issue_project):  # noqa: F811
    issue_project.write(M, MANIFEST.replace('lines: ["One line", "Another line"]',
                                            "lines: [" + ", ".join(['"Line"'] * 6) + "]"))
    css = issue_project.root / "layouts/issue.css"
    css.write_text(css.read_text() + "\n.cover-lines { position: static; font-size: 200pt; }\n")
    with pytest.raises(LayoutError, match="must fit on one page"):
        run_build(issue_project)


def test_cli_issue_writes_the_pdf(issue_project):  # noqa: F811
    result = subprocess.run([sys.executable, "-m", "printjournal", "issue", M],
                            cwd=issue_project.root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = issue_project.root / "dist/issues/spring.pdf"
    assert result.stdout.startswith(f"{out}  10 pages")
    assert pypdf.PdfReader(out).metadata.title == "Test Journal — Spring 2027"


def test_one_worker_or_two_make_the_same_issue(issue_project):  # noqa: F811
    """--jobs 1 renders every part in the one process (the least memory): same bytes."""
    made = []
    for jobs in ("1", "2"):
        shutil.rmtree(issue_project.root / ".printjournal-cache", ignore_errors=True)
        out = issue_project.root / f"jobs-{jobs}.pdf"
        result = subprocess.run([sys.executable, "-m", "printjournal", "issue", M, "-j", jobs,
                                 "-o", str(out)], cwd=issue_project.root, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        made.append(out.read_bytes())
    assert made[0] == made[1]
    refused = subprocess.run([sys.executable, "-m", "printjournal", "issue", M, "-j", "0"],
                             cwd=issue_project.root, capture_output=True, text=True)
    assert refused.returncode == 2 and "from 1 up" in refused.stderr


def test_page_numbers_in_margins_must_stand_alone(issue_project):  # noqa: F811
    """'Page 3 of 5' of a part would be wrong in the issue: refused, not printed."""
    css = issue_project.root / "layouts/issue.css"
    css.write_text(css.read_text() + "\n@page :right { @bottom-right { content: "
                   '"Page " counter(page) " of " counter(pages); } }\n')
    with pytest.raises(LayoutError, match="@bottom-right: in an issue, the page number "
                       "stands alone in its margin box"):
        run_build(issue_project)


def _dies(renderer, job):
    """A worker that is killed while it renders (as the kernel's OOM killer would)."""
    if "Article 2" in job[0]:
        os._exit(9)
    return _render_job(renderer, job)


_render_job = rendering._render_job


def test_a_worker_killed_mid_render_is_an_error_not_a_traceback(issue_project,  # noqa: F811
                                                                monkeypatch):
    monkeypatch.setattr(rendering, "_render_job", _dies)
    with pytest.raises(RenderError, match=r"^content/issues/spring.yaml: a worker process "
                       "stopped before its part was rendered"):
        run_build(issue_project)
    assert not (issue_project.root / "digital.pdf").exists()
