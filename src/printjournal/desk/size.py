"""The articles staff chose, and what the desk knows of their pages, in; whether making
them is too big for the desk, in plain words, out.

The desk gives one render at most ``render_seconds`` (60 s): past that the worker is
stopped and staff see "too big" after a minute's wait, with a worker busy all that time.
So the desk says it before any work, from what it already knows of each article's pages:

- the page count of the article's PDF, when it is known (a preview counted it, or the
  website build left it in the render cache: ``printjournal build``);
- otherwise an estimate from the length of its text (:data:`CHARS_PER_PAGE`: the sample
  articles set 1,280 to 1,840 characters of Markdown on a page, so the estimate errs
  towards fewer pages: only what is clearly too long is refused unseen).

A leaflet is assembled from parts, one per article, each kept in the render cache
(leaflet/parts.py): a leaflet whose parts are all there is only assembled, in well under a
second whatever its length. So a leaflet is refused on the form only when the articles
whose parts would have to be rendered now come to more than ``max_pages`` pages together;
a preview of an article longer than that is refused unless its PDF is in the render
cache (then it is only read, never rendered).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import cache
from ..errors import PrintjournalError
from ..model import Article, Project
from ..outputs import article_recipe
from .form import FormProblem
from .library import PerArticle

CHARS_PER_PAGE = 1_800      # Markdown characters on an article page, at most (see above)
RECHECK_SECONDS = 30        # how soon the render cache is asked again for an article's PDF


@dataclass(frozen=True)
class Pages:
    """An article's pages: counted from its PDF, or estimated from its text."""

    count: int
    known: bool


def pages(article: Article, known: int | None) -> Pages:
    """``known`` (the PDF's page count) when there is one, else the estimate."""
    if known is not None:
        return Pages(known, True)
    return Pages(max(1, math.ceil(len(article.body) / CHARS_PER_PAGE)), False)


def leaflet_problem(articles: Sequence[Article], known: Callable[[Article], int | None],
                    max_pages: int, made: int = 0) -> str | None:
    """What to tell staff when the ``articles`` of a leaflet, those it would render now,
    are too long for the desk (``made``: how many of its articles are made already)."""
    counted = [pages(article, known(article)) for article in articles]
    total = sum(p.count for p in counted)
    if total <= max_pages:
        return None
    about = "" if all(p.known for p in counted) else "about "
    new = " not made yet" if made else ""
    too_many = f"too many for the desk to make in one go (at most {max_pages} pages)"
    if len(articles) == 1:
        return (f"This article has {about}{total} pages{new}: {too_many}. Ask the journal's "
                "editors for a printed copy.")
    return (f"These articles have {about}{total} pages{new} together: {too_many}. Choose "
            "fewer articles for one leaflet, or ask the journal's editors for a printed copy.")


def preview_problem(article: Article, known: int | None, max_pages: int) -> str | None:
    """What to tell staff when the article is too long to render here for a preview
    (``known``: its page count when its PDF is in the render cache, which needs no render)."""
    estimate = pages(article, known)
    if estimate.known or estimate.count <= max_pages:
        return None
    return (f"“{article.title}” is long (about {estimate.count} pages) and has not been "
            "made yet, so it is too big to make here. It can be previewed once the "
            "website has been built (printjournal build); ask the journal's editors.")


def leaflet_problems(known_articles: Sequence[Article], slugs: Sequence[str],
                     known: Callable[[Article], int | None], max_pages: int,
                     to_render: Callable[[], Sequence[Article]] | None = None
                     ) -> list[FormProblem]:
    """:func:`leaflet_problem` for the articles named by ``slugs``, as the form says it;
    when they are too long together, ``to_render()`` (those whose leaflet parts are not in
    the render cache: :func:`printjournal.leaflet.build.to_render`) are what counts."""
    chosen = [article for article in known_articles if article.slug in slugs]
    problem = leaflet_problem(chosen, known, max_pages)
    if problem and to_render is not None:
        new = to_render()
        problem = leaflet_problem(new, known, max_pages, len(chosen) - len(new))
    return [FormProblem("articles", problem)] if problem else []


def to_render(project: Project, labels: Callable[[str], Any], fields: dict[str, Any],
              today: dt.date, store: cache.RenderCache, known_articles: Sequence[Article],
              known: Callable[[Article], int | None]) -> list[Article]:
    """The articles whose parts the leaflet of the worker's ``fields`` (form.py) would
    render now: not in ``store`` (:func:`printjournal.leaflet.build.to_render`)."""
    from ..leaflet.build import LeafletRequest, Personal
    from ..leaflet.build import to_render as parts_to_render

    fields = dict(fields)
    try:
        personal = Personal(for_name=fields.pop("for_name"), note=fields.pop("note"))
    except PrintjournalError:      # the worker says what is wrong with them
        personal = Personal()
    return parts_to_render(project, labels, LeafletRequest(**fields), today, personal, store,
                           known_articles, lambda article: pages(article, known(article)).count)


class PageCounts:
    """Each article's page count as far as the desk knows it without rendering: counted by
    a preview, or read from the PDF the website build left in the render cache; kept while
    the article's file is unchanged (thread-safe: the desk's request threads share it)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.store = cache.RenderCache.for_project(project, desk=True)   # prints on without it
        self._pages: PerArticle[int] = PerArticle(project)
        self._unbuilt: PerArticle[float] = PerArticle(project)   # → when to ask again

    def known(self, article: Article) -> int | None:
        """The page count, or None when the desk would have to render to know it."""
        known = self._pages.get(article)
        if known is not None:
            return known
        ask_again = self._unbuilt.get(article)
        if ask_again is not None and time.monotonic() < ask_again:
            return None      # not in the cache a moment ago (a cache key costs ~15 ms)
        project = self.project
        data = self.store.get(article_recipe(project, article).key(project))
        if data is None:
            self._unbuilt.put(article, time.monotonic() + RECHECK_SECONDS)
            return None
        from ..pdf.overlay import page_count

        count = page_count(data)
        self.remember(article, count)
        return count

    def count(self, article: Article, render: Callable[[], int]) -> int:
        """The page count, from ``render()`` (a worker's job) when not known yet."""
        known = self.known(article)
        if known is None:
            known = render()
            self.remember(article, known)
        return known

    def remember(self, article: Article, count: int) -> None:
        self._pages.put(article, count)
