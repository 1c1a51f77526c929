"""Articles and the build's day in, what readers may download out: the ``overdue`` rule.

printjournal.toml ``[governance] overdue`` decides what the website build does with an
article past its next clinical review on the day of the build:

    "mark"      (the default) its PDF and the downloads page say "Due for clinical
                review since <date>; information may be out of date."
    "withhold"  it is left out of the website: no PDF in the output folder, no entry in
                manifest.json or on the downloads pages; the build's warnings name it.

Issues are dated editions, checked against their own date (manifest.py); an issue keeps
the articles it was published with and lists only those offered on their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..errors import Notice, Notices, Problem
from ..load import content
from ..model import Article, Project, ReviewState


def review_due(article: Article, today: dt.date | None = None) -> dt.date | None:
    """The date an article's clinical review fell due, if it is past it on ``today``
    (default: the build's day, the clock's date)."""
    review = article.review
    state = ReviewState.of(review, today or dt.date.today())
    return review.next_review if review is not None and state is ReviewState.OVERDUE else None


def cache_options(due: dt.date | None) -> tuple[str, ...]:
    """What the overdue state adds to an article PDF's cache key: a PDF made before its
    review fell due is not reused after."""
    return (f"review-due:{due.isoformat()}",) if due else ()


def published(project: Project, articles: Sequence[Article], notices: Notices,
              today: dt.date | None = None) -> list[Article]:
    """``articles`` as the website offers them: under ``overdue = "withhold"`` those past
    their review are left out, each said in ``notices`` (a policy, not a fault: --strict
    does not fail the build for it)."""
    if project.governance.overdue != "withhold":
        return list(articles)
    kept = []
    for article in articles:
        due = review_due(article, today)
        if due is None:
            kept.append(article)
            continue
        notices.extend([Notice(article.path, review_line(project, article),
                               f"withheld from the website: its clinical review was due on "
                               f"{due.isoformat()} (printjournal.toml: [governance] "
                               'overdue = "withhold")')])
    return kept


def review_line(project: Project, article: Article) -> int:
    """The line of the article's ``next_review``, where messages about it point."""
    text = content.read_text(project.root / article.path, project.root)
    doc = content.split_front_matter(article.path, text).doc
    return doc.line("review", "next_review")


def check(project: Project, articles: Sequence[Article], notices: Notices,
          today: dt.date | None = None) -> list[Problem]:
    """A warning at its ``next_review`` line for each article past its clinical review on
    ``today`` (default: the clock's date), as ``printjournal check`` says it: leaflets
    refuse it, the website marks or withholds it. With ``notices.strict``, errors."""
    problems: list[Problem] = []
    for article in articles:
        due = review_due(article, today)
        if due is not None:
            rule = ("withholds it from" if project.governance.overdue == "withhold"
                    else "marks it on")
            notices.warn(problems, article.path, review_line(project, article),
                         f"its clinical review was due on {due.isoformat()}: leaflets refuse "
                         f"it (--allow-overdue prints it marked) and the website {rule} its "
                         "downloads ([governance] overdue)")
    return problems
