"""A project in, the editor-in-chief's report out: one row per article, as a terminal
table and as an HTML page (``layouts/report.html``) in the build's output folder.

Each row: reading grade (and its formula), words, sentences over the article limit,
review status and due date, owner, number of sources, and translations with their
state (current or stale), or for a translation, its original and its state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError
from ..files import write_atomic
from ..load import content
from ..model import Article, Project, ReviewState
from ..template.layouts import Layouts
from . import readability, translations
from .gradestore import GradeStore

PAGE = "report.html"
DUE_SOON_DAYS = 60      # a review due within this many days is "due soon"


@dataclass(frozen=True)
class Row:
    """What the report says about one article."""

    slug: str
    title: str
    path: str
    lang: str
    grade: str            # "7.8", or "—" when not measured
    formula: str          # the formula, or why there is no grade
    words: int
    long_sentences: int
    review: str           # ReviewState.words: "reviewed", "due soon", "overdue", ...
    due: str              # the next review date, or ""
    owner: str
    sources: int
    translations: str     # "de current, ar stale (1.0 → 1.1)", or "of <slug>: stale ..."


def rows(project: Project, today: dt.date) -> list[Row]:
    """Every article of ``project`` (those that load: the others are ``check``'s)."""
    articles, _ = content.load_articles(project)
    limit = project.editorial.limits("article").sentence_words
    store = GradeStore.for_project(project)
    return [_row(a, articles, limit, today, store)
            for a in sorted(articles, key=lambda a: a.slug)]


def _row(article: Article, every: Sequence[Article], limit: int, today: dt.date,
         store: GradeStore) -> Row:
    reading = readability.measure(article, store)
    if reading.grade is not None:
        grade, formula = f"{reading.grade:.1f}", reading.formula
    elif reading.score is not None:
        grade, formula = "—", f"{reading.formula} {reading.score:.0f} (no grade scale)"
    else:
        grade = "—"
        formula = "too short to measure" if reading.formula else \
            f"no formula for '{article.lang}'"
    review = article.review
    state = ReviewState.of(review, today, DUE_SOON_DAYS).words
    due, owner = (review.next_review.isoformat(), review.owner) if review else ("", "")
    if article.translation_of:
        t = translations.translations([article], every)[0]
        versions = f" ({article.source_version} → {t.original_version})" \
            if t.state == "stale" else ""
        said = f"of {article.translation_of}: {t.state}{versions}"
    else:
        said = ", ".join(
            f"{t.article.lang} {t.state}" for t in translations.translations(
                translations.of(article, every), every))
    return Row(article.slug, article.title, article.path.as_posix(), article.lang, grade,
               formula, reading.words, len(reading.long_sentences(limit)), state, due, owner,
               len(article.sources), said)


COLUMNS = (("article", "slug"), ("lang", "lang"), ("grade", "grade"), ("words", "words"),
           ("long", "long_sentences"), ("review", "review"), ("due", "due"),
           ("owner", "owner"), ("sources", "sources"), ("translations", "translations"))


def table(found: Sequence[Row], width: int = 40) -> str:
    """The rows as a plain-text table, long cells cut at ``width`` characters."""
    cells = [[h for h, _ in COLUMNS]] + [
        [_cut(str(getattr(r, name)), width) for _, name in COLUMNS] for r in found]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                     for row in cells)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def write_page(project: Project, found: Sequence[Row], folder: Path, today: dt.date) -> Path:
    """The report as ``folder/report.html``, from the designers' ``layouts/report.html``."""
    limits = project.editorial.limits("article")
    html = Layouts(project).render(PAGE, journal=project.journal, rows=found, today=today,
                                   limits=limits)
    out = folder / PAGE
    write_atomic(out, html.encode("utf-8"))
    return out


def report(project: Project, folder: Path, today: dt.date) -> tuple[str, Path]:
    """The table and where the page was written; a project whose articles all fail to
    load has nothing to report (``check`` says why)."""
    found = rows(project, today)
    if not found and content.article_paths(project):
        raise ContentError(content.load_articles(project)[1])
    return table(found), write_page(project, found, folder, today)
