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

A leaflet whose articles come to more than ``max_pages`` pages together is refused on the
form; a preview of an article longer than that is refused unless its PDF is in the render
cache (then it is only read, never rendered).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import cache
from .deskform import FormProblem
from .desklibrary import PerArticle
from .model import Article, Project
from .outputs import article_recipe

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
                    max_pages: int) -> str | None:
    """What to tell staff when the ``articles`` of a leaflet are too long for the desk."""
    counted = [pages(article, known(article)) for article in articles]
    total = sum(p.count for p in counted)
    if total <= max_pages:
        return None
    about = "" if all(p.known for p in counted) else "about "
    too_many = f"too many for the desk to make in one go (at most {max_pages} pages)"
    if len(articles) == 1:
        return (f"This article has {about}{total} pages: {too_many}. Ask the journal's "
                "editors for a printed copy.")
    return (f"These articles have {about}{total} pages together: {too_many}. Choose fewer "
            "articles for one leaflet, or ask the journal's editors for a printed copy.")


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
                     known: Callable[[Article], int | None],
                     max_pages: int) -> list[FormProblem]:
    """:func:`leaflet_problem` for the articles named by ``slugs``, as the form says it."""
    chosen = [article for article in known_articles if article.slug in slugs]
    problem = leaflet_problem(chosen, known, max_pages)
    return [FormProblem("articles", problem)] if problem else []


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
        from .pdf.overlay import page_count

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
