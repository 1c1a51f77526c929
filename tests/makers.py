"""What the shared renders of tests/conftest.py are made of: a pipeline or corpus, options
and a ``built_once`` folder in; the PDFs, render caches, pickled problems and records
those fixtures read out, written into that folder."""

from __future__ import annotations

import contextlib
import datetime as dt
import pickle
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from printjournal.errors import Problem
from printjournal.load import config
from printjournal.pipeline import Pipeline


@contextlib.contextmanager
def merge_recorded(folder: Path) -> Iterator[None]:
    """While inside, the last PDF whose fonts this process merges (pdf/fonts.py's
    ``merged``: an assembly's output) is kept in ``folder``: as the assembly wrote it
    ("unmerged.pdf"), as merged ("merged.pdf"), and how many glyph widths the merge put
    back as TJ numbers ("deltas"). The sample issue is built so: test_font_merge.py
    compares it with its assembly's output before the merge, without assembling again."""
    from printjournal.pdf import fonts

    real_merged, real_adjust = fonts.merged, fonts.adjust
    deltas = [0]

    def merged(data: bytes) -> bytes:
        deltas[0] = 0
        out = real_merged(data)
        (folder / "unmerged.pdf").write_bytes(data)
        (folder / "merged.pdf").write_bytes(out)
        (folder / "deltas").write_text(str(deltas[0]))
        return out

    def adjust(pdf, found) -> None:
        deltas[0] += sum(len(d) for d in found.values())
        real_adjust(pdf, found)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fonts, "merged", merged)
        patch.setattr(fonts, "adjust", adjust)
        yield


@dataclass(frozen=True)
class OneArticleLeaflet:
    """A sample article alone as a leaflet (test_leaflet_matrix.py's case): its PDF, or
    None and the problems it was refused for."""

    pdf: Path | None
    problems: tuple[Problem, ...] = ()

    @classmethod
    def read(cls, folder: Path) -> OneArticleLeaflet:
        """What :func:`one_article_leaflet` wrote into ``folder``."""
        pdf = folder / "leaflet.pdf"
        return cls(pdf if pdf.exists() else None,
                   pickle.loads((folder / "problems.pickle").read_bytes()))


def sample_article(folder: Path, pipeline: Pipeline, store: Path, article, html: str) -> None:
    """``article`` rendered from its ``html`` into ``folder`` ("<slug>.pdf") and into the
    render cache ``store`` under the key the website build gives its PDF."""
    from printjournal import cache
    from printjournal.outputs import article_recipe

    pdf = pipeline.renderer.pdf(html, article.path).data
    (folder / f"{article.slug}.pdf").write_bytes(pdf)
    cache.RenderCache(store).put(article_recipe(pipeline.project, article).key(pipeline.project),
                                 pdf)


def one_article_leaflet(folder: Path, pipeline: Pipeline, store, loaded, slug: str,
                        style: str, paper: str, day: dt.date) -> None:
    """The sample article ``slug`` alone as a leaflet (``allow_overdue``, ``allow_stale``,
    the default clinic, no personal text) into ``folder``: "leaflet.pdf" when printed,
    and "problems.pickle", the problems it was refused for (none when printed)."""
    from printjournal.errors import PrintjournalError
    from printjournal.leaflet import build as leaflet

    request = leaflet.LeafletRequest((slug,), paper=paper, style=style,
                                     allow_overdue=True, allow_stale=True)
    try:
        made = leaflet.leaflet(pipeline, request, day, store=store, loaded=loaded)
        (folder / "leaflet.pdf").write_bytes(made.data)
        problems: tuple[Problem, ...] = ()
    except PrintjournalError as exc:
        problems = tuple(exc.problems)
    (folder / "problems.pickle").write_bytes(pickle.dumps(problems))


def sample_leaflet(folder: Path, pipeline: Pipeline, request, day: dt.date, who,
                   name: str) -> None:
    """The leaflet ``request`` asks for (for ``who``) into ``folder``: "<name>.pdf", made
    into an empty render cache there ("cache"), and "result.pickle", what ``leaflet()``
    returned without its ``data``."""
    from printjournal import cache
    from printjournal.leaflet import build as leaflet

    made = leaflet.leaflet(pipeline, request, day, who, cache.RenderCache(folder / "cache"))
    (folder / f"{name}.pdf").write_bytes(made.data)
    (folder / "result.pickle").write_bytes(pickle.dumps(replace(made, data=b"")))


def issue(folder: Path, pipeline: Pipeline, manifest_path: Path, name: str,
          edition: str) -> None:
    """The ``edition`` of the issue at ``manifest_path`` into ``folder`` / ``name``, its
    parts into a render cache there ("cache"), its assembly's last font merge recorded
    (:func:`merge_recorded`)."""
    from printjournal import cache
    from printjournal.issue import build

    with merge_recorded(folder):
        build.build_issue(pipeline, manifest_path, folder / name, edition=edition,
                          store=cache.RenderCache(folder / "cache"))


def corpus(folder: Path, repo: Path, corpus_dir: Path, cases: Sequence[str],
           refused: Sequence[str]) -> None:
    """Every case of ``corpus_dir`` (``refused/`` too) in one project in ``folder`` (the
    sample printjournal.toml, layouts/, fonts/ of ``repo``), checked, then rendered as
    ``printjournal article`` does with one pipeline; "outcomes.pickle": by case, its PDF
    (relative to ``folder``, or None), the problems ``check`` found and rendering's."""
    from printjournal.checks.check import check
    from printjournal.errors import PrintjournalError
    from printjournal.pipeline import build_article

    root = folder / "project"
    for name in ("layouts", "fonts", "content/clinics"):
        shutil.copytree(repo / name, root / name)
    shutil.copy(repo / "printjournal.toml", root / "printjournal.toml")
    shutil.copytree(corpus_dir / "images", root / "content" / "images")
    articles = root / "content" / "articles"
    articles.mkdir()
    for name in cases:
        shutil.copy(corpus_dir / f"{name}.md", articles / f"{name}.md")
    for name in refused:
        shutil.copy(corpus_dir / "refused" / f"{name}.md", articles / f"{name}.md")
    project = config.load_project(root)
    checked: dict[str, list[Problem]] = {}
    for problem in check(project):
        checked.setdefault(Path(problem.path).stem, []).append(problem)
    pipeline = Pipeline.load(project)
    outcomes = {}
    for name in [*cases, *refused]:
        out = root / "dist" / f"{name}.pdf"
        try:
            build_article(pipeline, articles / f"{name}.md", out)
            rendered: tuple[Problem, ...] = ()
        except PrintjournalError as exc:
            rendered = exc.problems
        outcomes[name] = (out.relative_to(folder) if out.exists() else None,
                          tuple(checked.get(name, ())), rendered)
    (folder / "outcomes.pickle").write_bytes(pickle.dumps(outcomes))
