"""The no-op build (issue 16): nothing changed, no article loaded, the same warnings and
counts; anything changed (content, layouts, config, an output, the date, --strict), the
normal build, which rebuilds what changed.

One project is rendered once for the module; each test copies it with its render cache
(so its first build copies every PDF from there, rendering nothing) and builds it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from printjournal.errors import Notices
from printjournal.load import config, content
from printjournal.site import build as site
from printjournal.site import noop

from .conftest import TmpProject
from .site_helpers import Collect
from .test_site import article

ALL = {"articles/alpha.pdf", "articles/beta.pdf", "articles/gamma.pdf"}
LINKED = "See [the missing one](missing-article.md) too."    # a warning: names no article


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """A project of three articles (one with a warning), built once: its render cache."""
    project = TmpProject(tmp_path_factory.mktemp("noop") / "project")
    project.article("alpha", article("Alpha", LINKED))
    project.article("beta", article("Beta"))
    project.article("gamma", article("Gamma"))
    site.build_site(project.project(), project.root / "dist", jobs=2, reporter=Collect())
    shutil.rmtree(project.root / "dist")
    return project.root


class Loads:
    """Counts the times a build loads the articles."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        real = content.load_articles

        def counting(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(content, "load_articles", counting)


@pytest.fixture
def root(rendered, tmp_path) -> Path:
    """A copy of the rendered project, built once (from the render cache) into dist/."""
    root = tmp_path / "project"
    shutil.copytree(rendered, root, symlinks=True)
    first = build(root)
    assert first.summary.built == 0 and first.summary.reused == 3   # nothing rendered
    return root


def build(root: Path, notices: Notices | None = None) -> Collect:
    report = Collect()
    site.build_site(config.load_project(root), root / "dist", jobs=2, reporter=report,
                    notices=notices)
    assert report.summary is not None
    return report


def said(report: Collect) -> list[str]:
    return [str(p) for p in report.other_problems]


def test_a_no_op_loads_no_article_and_says_what_the_full_build_said(root, monkeypatch):
    loads = Loads(monkeypatch)
    for path in (root / ".printjournal-cache" / "site").glob("*.noop.json"):
        path.unlink()                                  # this build: the normal no-op
    full = build(root)
    assert loads.count == 1
    fast = build(root)
    assert loads.count == 1                            # the fast path loaded nothing
    assert said(fast) == said(full)
    assert said(fast) == ["content/articles/alpha.md:8: warning: link to unknown article "
                          "'/journal/missing-article': not in this project, printed with "
                          "its web address"]
    counts = ("built", "reused", "failed", "removed", "warnings", "downloads", "problems")
    assert [getattr(fast.summary, c) for c in counts] == \
        [getattr(full.summary, c) for c in counts]
    assert fast.started == full.started == (3, 0)


def edit_article(root: Path) -> set[str]:
    path = root / "content/articles/beta.md"
    path.write_text(path.read_text() + "\nOne more sentence.\n")
    return {"articles/beta.pdf"}


def new_article(root: Path) -> set[str]:
    (root / "content/articles/delta.md").write_text(article("Delta"))
    return {"articles/delta.pdf"}


def edit_layout(root: Path) -> set[str]:
    path = root / "layouts/print.css"
    path.write_text(path.read_text() + "\n/* a designer's note */\n")
    return ALL


def edit_config(root: Path) -> set[str]:
    path = root / "printjournal.toml"
    path.write_text(path.read_text() + "\n# a note\n")
    return ALL


@pytest.mark.parametrize("change", [edit_article, new_article, edit_layout, edit_config])
def test_a_changed_input_takes_the_normal_path_and_rebuilds_it(root, monkeypatch, change):
    loads = Loads(monkeypatch)
    rebuilt = change(root)
    report = build(root)
    assert loads.count == 1
    assert report.paths("built") == rebuilt
    assert build(root).summary.reused == len(ALL | rebuilt) and loads.count == 1   # fast again


def test_a_deleted_article_takes_the_normal_path_and_its_pdf_goes(root, monkeypatch):
    loads = Loads(monkeypatch)
    (root / "content/articles/gamma.md").unlink()
    report = build(root)
    assert loads.count == 1 and report.summary.removed == 1
    assert not (root / "dist/articles/gamma.pdf").exists()


@pytest.mark.parametrize("harm", ["damaged", "deleted"])
def test_a_harmed_output_takes_the_normal_path_and_is_made_again(root, monkeypatch, harm):
    loads = Loads(monkeypatch)
    pdf = root / "dist/articles/beta.pdf"
    good = pdf.read_bytes()
    if harm == "damaged":
        pdf.write_bytes(good[:-10] + b"0123456789")
    else:
        pdf.unlink()
    build(root)
    assert loads.count == 1 and pdf.read_bytes() == good


def test_a_foreign_pdf_takes_the_normal_path_and_is_said(root, monkeypatch):
    loads = Loads(monkeypatch)
    (root / "dist/stray.pdf").write_bytes(b"%PDF-1.7\n")
    report = build(root)
    assert loads.count == 1
    assert any("stray.pdf is not made by this build" in line for line in said(report))


def test_another_day_takes_the_normal_path(root, monkeypatch):
    loads = Loads(monkeypatch)
    monkeypatch.setattr(noop, "today", lambda: dt.date.today() + dt.timedelta(days=1))
    build(root)
    assert loads.count == 1


def test_strict_takes_the_normal_path_and_makes_the_warning_an_error(root, monkeypatch):
    loads = Loads(monkeypatch)
    report = build(root, Notices(strict=True))
    assert loads.count == 1
    assert any("--strict makes it an error" in str(p) for p in report.summary.problems)
    build(root, Notices(strict=True))
    assert loads.count == 2            # a build with problems is never replayed


def test_an_article_edited_while_the_build_runs_is_not_replayed(root, monkeypatch):
    path = root / "content/articles/beta.md"
    real = content.load_articles

    def loading_then_edited(*args, **kwargs):
        loaded = real(*args, **kwargs)
        monkeypatch.setattr(content, "load_articles", real)
        path.write_text(path.read_text() + "\nWritten as the build ran.\n")
        return loaded
    monkeypatch.setattr(content, "load_articles", loading_then_edited)
    (root / "content/articles/gamma.md").write_text(article("Gamma", "Other words [@one]."))
    assert "articles/gamma.pdf" in build(root).paths("built")
    loads = Loads(monkeypatch)
    build(root)
    assert loads.count == 1          # not replayed: the digest was not recorded
