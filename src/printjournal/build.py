"""A project in, PDFs on disk out: the stages in a straight line.

    load config → load & check content → Markdown → HTML → PDF → file

Each function here takes the loaded :class:`~printjournal.model.Project`
explicitly and returns what it wrote, so the CLI, the website build and the
web app share one path through the pipeline.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import content, links, manifest, markup
from .cache import RenderCache
from .errors import ContentError, Notices, PrintjournalError, Problem
from .files import write_atomic
from .model import Article, Project
from .render import Rendered, Renderer
from .templating import Layouts, article_html

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Built:
    """One output file that was written."""

    path: Path
    pages: int
    bytes: int


@dataclass(frozen=True)
class Pipeline:
    """The loaded stages of one project: reuse it to render many documents."""

    project: Project
    layouts: Layouts
    renderer: Renderer

    @classmethod
    def load(cls, project: Project) -> Pipeline:
        return cls(project, Layouts(project), Renderer.for_project(project))

    def article_html(self, article: Article,
                     resolve_link: markup.LinkResolver | None = None,
                     review_due: dt.date | None = None) -> str:
        """The article's HTML; ``review_due``: the date its clinical review fell due, when
        it is past it (the PDF then says so under the standfirst and on every page)."""
        body = markup.to_html(article, self.project, resolve_link)
        return article_html(self.layouts, article, body, review_due=review_due)

    def article_pdf(self, article: Article, review_due: dt.date | None = None) -> Rendered:
        return self.renderer.pdf(self.article_html(article, review_due=review_due),
                                 article.path)

    def cached_pdf(self, cache: RenderCache | None, cache_key: str,
                   make_html: Callable[[], str], name: Path) -> bytes:
        """The PDF for ``cache_key`` from ``cache``, or rendered from ``make_html()`` and kept."""
        if cache is not None and (data := cache.get(cache_key)) is not None:
            log.debug("reused %s", name)
            return data
        data = self.renderer.pdf(make_html(), name).data
        if cache is not None:
            cache.put(cache_key, data)
        return data


def check(project: Project, paths: Sequence[Path] | None = None,
          notices: Notices | None = None) -> list[Problem]:
    """Every problem in the project's content (or in ``paths``), sorted by file and line.

    Warnings go to ``notices``, those of ``paths`` only when paths are given.
    """
    notices = notices if notices is not None else Notices()
    found = Notices(notices.strict)
    articles, problems = content.load_articles(project)
    problems += links.check_links(articles, project, notices=found)
    if paths is None:
        try:
            problems += Layouts(project).check()
        except PrintjournalError as exc:
            problems += exc.problems
    else:
        wanted = {p.resolve() for p in paths}
        problems = [p for p in problems if (project.root / p.path).resolve() in wanted]
    notices.extend(n for n in found.found
                   if paths is None or (project.root / n.path).resolve() in wanted)
    problems += manifest.check_manifests(project, paths, notices)
    return sorted(set(problems))


def load_checked_article(project: Project, path: Path,
                         notices: Notices | None = None) -> Article:
    """Load the article at ``path`` and check its links against the project."""
    article = content.load_article(path, project)
    problems = links.check_links([article], project, content.known_slugs(project), notices)
    if problems:
        raise ContentError(problems)
    return article


def build_article(pipeline: Pipeline, path: Path, out: Path | None = None,
                  notices: Notices | None = None) -> Built:
    """Render the article at ``path`` into the PDF ``out`` (default: dist/articles/<slug>.pdf)."""
    article = load_checked_article(pipeline.project, path, notices)
    out = out or pipeline.project.root / "dist" / "articles" / f"{article.slug}.pdf"
    rendered = pipeline.article_pdf(article)
    write_atomic(out, rendered.data)
    log.info("wrote %s (%d pages)", out, rendered.pages)
    return Built(out, rendered.pages, len(rendered.data))
