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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .deskform import FormProblem
from .model import Article

CHARS_PER_PAGE = 1_800      # Markdown characters on an article page, at most (see above)


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
