"""An output's kind and name in; where it is written and what its cache key is made of out.

Every command that makes the same output names it the same way and keys it the same way,
so ``printjournal article`` and ``printjournal build`` share an article's PDF, and
``printjournal issue`` and ``printjournal build`` an issue's, through the render cache:

    output_path(kind, stem[, edition])   the one spelling of a file's place in the output
                                         folder (dist/ by default): articles/<slug>.pdf,
                                         issues/<issue><edition suffix>.pdf,
                                         leaflets/<name>.pdf
    page_path(kind, stem)                the same for a downloads page: issues/<issue>.html,
                                         languages/<code>.html; a font they use (or its
                                         licence): page_path(FONT, name), fonts/<name>
    article_recipe(project, article)     what an article PDF's key is made of
    issue_recipe(files, edition)         what an issue edition's key is made of
    Recipe.key(project)                  the key: cache.key over the files (sorted, each
                                         once) and the options

The files of an issue are counted by :func:`printjournal.issue.manifest.issue_inputs`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .checks import overdue
from .editions import Edition, output_name
from .model import Article, Project

PUBLISHED = "dist"          # the folder the website build publishes (printjournal build)
PRINTOUTS = "printouts"     # the default folder for leaflets with personal details
ARTICLE = "article"
ISSUE = "issue"
LEAFLET = "leaflet"
LANGUAGE = "language"       # a downloads page of the articles in one language
FONT = "font"               # a bundled font the downloads pages use, or its licence
FOLDERS = {ARTICLE: "articles", ISSUE: "issues", LEAFLET: "leaflets", LANGUAGE: "languages",
           FONT: "fonts"}


def output_path(kind: str, stem: str, edition: Edition | None = None) -> str:
    """Where an output of ``kind`` (ARTICLE, ISSUE, LEAFLET) named ``stem`` goes, relative
    to the output folder and with '/': ``articles/sleep.pdf``, ``issues/winter-2026-print.pdf``
    (an issue's ``edition`` adds its suffix), ``leaflets/<file name>.pdf``."""
    name = output_name(stem, edition) if edition is not None else f"{stem}.pdf"
    return f"{FOLDERS[kind]}/{name}"


def page_path(kind: str, stem: str) -> str:
    """Where the downloads page of an issue (ISSUE, ``stem`` its manifest's name) or of a
    language (LANGUAGE, ``stem`` its code without region) goes, relative to the output
    folder: ``issues/winter-2026.html``, ``languages/pl.html``; FONT: the font file named
    ``stem`` (its name as in fonts/), ``fonts/Atkinson-Regular.woff2``."""
    return f"{FOLDERS[kind]}/{stem}" if kind == FONT else f"{FOLDERS[kind]}/{stem}.html"


def published(project: Project, kind: str, stem: str, edition: Edition | None = None) -> Path:
    """The default file of an output: :func:`output_path` under the project's dist/."""
    return project.root / PUBLISHED / output_path(kind, stem, edition)


@dataclass(frozen=True)
class Recipe:
    """What an output is made from, for its render cache key: files and options."""

    files: tuple[Path, ...]     # every input file, besides the project fingerprint
    options: tuple[str, ...]    # its kind first, then whatever else shapes it

    def key(self, project: Project) -> str:
        """The output's render cache key (SHA-256 hex): the same whichever command asks."""
        return cache.key(project, self.files, *self.options)


def article_recipe(project: Project, article: Article,
                   review_due: dt.date | None = None) -> Recipe:
    """An article's PDF: its Markdown and images; ``review_due``, the date its clinical
    review fell due when the PDF is marked as past it (the website build's overdue rule)."""
    return Recipe(tuple(cache.article_inputs(article, project)),
                  (ARTICLE, *overdue.cache_options(review_due)))


def issue_recipe(files: Iterable[Path], edition: Edition) -> Recipe:
    """An edition of an issue made from ``files`` (issue.manifest.issue_inputs)."""
    return Recipe(tuple(files), (ISSUE, edition.name))
