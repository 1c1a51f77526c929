"""A project in, PDFs out: the shared rendering pipeline, the stages in a straight line.

    load config → load & check content (and warn as check does) → Markdown → HTML → PDF
    → file

:class:`Pipeline` holds the loaded stages of one project (layouts, the renderer with
its fonts); every product renders through it: article PDFs (:func:`build_article`,
``printjournal article``), leaflets, the issue's parts, the website build, the desk.
Each function takes the loaded :class:`~printjournal.model.Project` explicitly and
returns what it wrote.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import RenderCache
from .errors import ContentError, Notices, Problem, relative
from .files import output_faults, write_atomic
from .load import content
from .markup import body as markup
from .markup import links
from .model import Article, Project
from .render.weasy import Finisher, Rendered, Renderer
from .template.layouts import Layouts, article_html

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
                   make_html: Callable[[], str], name: Path,
                   finisher: Finisher | None = None, first_page: int = 1) -> bytes:
        """The PDF for ``cache_key`` from ``cache``, or rendered from ``make_html()`` (with
        ``finisher``, else the renderer's default) and kept; render errors name ``name``
        and count pages from ``first_page``."""
        if cache is not None and (data := cache.get(cache_key)) is not None:
            log.debug("reused %s", name)
            return data
        options: dict[str, Any] = {"first_page": first_page}
        if finisher is not None:
            options["finisher"] = finisher
        data = self.renderer.pdf(make_html(), name, **options).data
        if cache is not None:
            cache.put(cache_key, data)
        return data


def load_checked_article(project: Project, path: Path,
                         notices: Notices | None = None) -> Article:
    """Load the article at ``path`` and check its links against the project."""
    article = content.load_article(path, project)
    problems = links.check_links([article], project, content.known_slugs(project), notices)
    if problems:
        raise ContentError(problems)
    return article


def editorial_warnings(project: Project, chosen: Sequence[Article],
                       every: Sequence[Article] | None, notices: Notices) -> list[Problem]:
    """What ``check`` says of the ``chosen`` articles beyond their own faults, for every
    command that renders them: a stale translation (its original looked up in ``every``,
    loaded when None), plain language judged as for an article and checks/editorial.py's
    warnings (a language without its own disclaimer, a stray rule), as warnings into
    ``notices`` (problems under --strict); a broken translation or jargon list, problems."""
    from .checks import editorial, plainlanguage, translations

    if every is None:
        every = content.load_articles(project)[0] if any(
            a.translation_of for a in chosen) else chosen
    found = Notices(notices.strict)
    problems = translations.check(every, project, found)
    problems += editorial.check(project, chosen, found)       # in check's order
    problems += plainlanguage.check(chosen, project, "article", found)
    paths = {a.path for a in chosen}
    notices.extend(n for n in found.found if n.path in paths)
    paths.add(relative(plainlanguage.words_file(project), project.root))
    return sorted(p for p in problems if p.path in paths)


def build_article(pipeline: Pipeline, path: Path, out: Path | None = None,
                  notices: Notices | None = None) -> Built:
    """Render the article at ``path`` into the PDF ``out`` (default: dist/articles/<slug>.pdf),
    through the render cache under the key the website build gives the same PDF. Returns
    what was written (path, pages, bytes).

    Raises ContentError (the article's problems, each ``path:line``), RenderError; a disk
    fault writing ``out`` or the render cache is one OutputError naming it."""
    from .outputs import ARTICLE, article_recipe, published
    from .pdf.overlay import page_count

    project = pipeline.project
    article = load_checked_article(project, path, notices)
    problems = editorial_warnings(project, [article], None,
                                  notices if notices is not None else Notices())
    if problems:
        raise ContentError(problems)
    out = out or published(project, ARTICLE, article.slug)
    store = RenderCache.for_project(project)
    with output_faults(out, project.root, store.folder):
        data = pipeline.cached_pdf(store, article_recipe(project, article).key(project),
                                   lambda: pipeline.article_html(article), article.path)
        write_atomic(out, data)
    pages = page_count(data)
    log.info("wrote %s (%d pages)", out, pages)
    return Built(out, pages, len(data))
