"""A project in, the website build's plan out: every output, its inputs and its maker.

Each output is a file in the output folder (``articles/<slug>.pdf``; each issue's
``issues/<name>.pdf`` and ``issues/<name>-print.pdf``) with the exact input files it is
made from, the options that shape it, and the function that makes it. Its key is
:func:`cache.key` over those inputs, the project fingerprint (layouts, fonts,
printjournal.toml, versions) and its options: the build (build.py) renders only outputs
whose key changed. Content that cannot be loaded is a problem of the plan; its last good
output stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import cache, editions
from ..checks import overdue
from ..errors import Notices, Problem, relative
from ..issue.build import IssueBuild, page_count
from ..issue.manifest import load_manifest, manifest_paths, read_manifest
from ..load import content
from ..markup import links
from ..model import Article, Project
from ..outputs import ARTICLE, ISSUE, article_recipe, issue_recipe, output_path
from ..pipeline import Pipeline, editorial_warnings
from ..render.weasy import Rendered
from .downloads import Listing

Make = Callable[..., Rendered]   # make(pipeline, *args) → Rendered; module level, so it pickles


@dataclass(frozen=True)
class Output:
    """One file the build makes, and everything it is made from."""

    path: str                    # relative to the output folder, with '/'
    source: Path                 # the content file its errors point at (project-relative)
    inputs: tuple[Path, ...]     # every file it is made from, besides the project fingerprint
    options: tuple[str, ...]     # whatever else shapes it (kind, edition)
    make: Make                   # make(pipeline, *args) renders it
    args: tuple[Any, ...]
    listing: Listing
    cost: float = 1.0            # a guess at its render time, to start the longest first

    def key(self, project: Project, fingerprint: str | None = None) -> str:
        """Its cache key (``fingerprint``: the project's, taken once for the build)."""
        return cache.key(project, self.inputs, *self.options, fingerprint=fingerprint)


@dataclass(frozen=True)
class Plan:
    """The outputs of a project, and the content files that could not be planned."""

    outputs: tuple[Output, ...]
    problems: tuple[Problem, ...]     # their sources' last good outputs stay
    stopped: frozenset[Path] = frozenset()   # manifests (as shown) whose problems are elsewhere

    @property
    def failed_sources(self) -> frozenset[Path]:
        return frozenset(p.path for p in self.problems) | self.stopped



def plan(project: Project, issue_builder: IssueBuilder | None = None,
         notices: Notices | None = None) -> Plan:
    """Every output of the project; ``issue_builder`` defaults to :data:`ISSUE_BUILDER`."""
    notices = notices if notices is not None else Notices()
    articles, problems = content.load_articles(project)   # a bug in one: its problem
    problems += links.check_links(articles, project, notices=notices)
    loaded = [a for a in articles if a.path not in {p.path for p in problems}]
    problems += editorial_warnings(project, loaded, articles, notices)  # as check says them
    bad = {p.path for p in problems}
    good = [a for a in articles if a.path not in bad]
    outputs = article_outputs(project, overdue.published(project, good, notices))
    builder = issue_builder or ISSUE_BUILDER
    stopped: set[Path] = set()
    if builder is not None:
        issues, issue_problems, stopped = issue_outputs(project, articles, builder, notices)
        outputs += issues
        problems += issue_problems
    return Plan(tuple(outputs), tuple(sorted(set(problems))), frozenset(stopped))


def article_outputs(project: Project, articles: Sequence[Article],
                    today: dt.date | None = None) -> list[Output]:
    """One PDF per article: ``articles/<slug>.pdf``, marked if past its review on ``today``."""
    return [Output(
        path=output_path(ARTICLE, article.slug), source=article.path,
        inputs=made.files, options=made.options,
        make=Pipeline.article_pdf, args=(article, due),
        listing=Listing(kind=ARTICLE, slug=article.slug, title=article.title,
                        date=article.date, lang=article.lang, section=article.section,
                        review_due=due),
        cost=len(article.body))
        for article in articles for due in [overdue.review_due(article, today)]
        for made in [article_recipe(project, article, due)]]


# ─────────────────────────── issues ───────────────────────────
# Each issue (content/issues/<name>.yaml) has two outputs beside the articles:
# issues/<name>.pdf (digital) and issues/<name>-print.pdf, each rebuilt when the
# manifest, any file it names (any text value that is a file under content/,
# and the images in those that are Markdown) or any input of its articles changes.
# The manifest is read here as `printjournal issue` reads it: its problems are the
# plan's (its last good PDFs stay). An edition renders with workers=1: it runs in one
# of this build's worker processes, which are daemonic and may not start processes of
# their own; the other outputs use the other cores. Its PrintjournalErrors are reported
# as that edition's failure (its last good PDF stays).

IssueBuilder = Callable[[Pipeline, Path, str], Rendered]


def build_issue_edition(pipeline: Pipeline, manifest: Path, edition: str) -> Rendered:
    """One edition of the issue ``manifest``, through issue.IssueBuild."""
    data = IssueBuild(pipeline, load_manifest(manifest, pipeline.project),
                      editions.edition(edition, manifest),
                      cache.RenderCache.for_project(pipeline.project), workers=1).pdf()
    return Rendered(data, page_count(data))


ISSUE_BUILDER: IssueBuilder | None = build_issue_edition


def issue_outputs(project: Project, articles: Sequence[Article], builder: IssueBuilder,
                  notices: Notices) -> tuple[list[Output], list[Problem], set[Path]]:
    """Both editions of every issue manifest in content/issues/, each read once, as
    ``printjournal issue`` reads it (:func:`issue.manifest.read_manifest`: the same problems
    word for word, the same files and so the same cache key); ``articles``: the project's,
    as loaded. Returns the outputs, the problems, and the manifests (as shown) that have
    no outputs for them: their last good PDFs stay. Warnings go to ``notices`` (with
    ``--strict`` they are problems, and stop their issue)."""
    outputs: list[Output] = []
    problems: list[Problem] = []
    stopped: set[Path] = set()
    for path in manifest_paths(project):
        shown = relative(path, project.root)
        found = Notices()
        try:
            manifest, own = read_manifest(path, project, found, articles)
        except Exception as exc:  # one manifest never stops the others
            manifest, own = None, [content.internal_problem(shown, exc)]
        for notice in found.found:
            notices.warn(own, notice.path, notice.line, notice.message)
        problems += own
        if manifest is None or own:
            stopped.add(shown)
            continue
        for edition in editions.EDITIONS:
            made = issue_recipe(manifest.files, edition)
            outputs.append(Output(
                path=output_path(ISSUE, path.stem, edition), source=shown,
                inputs=made.files, options=made.options, make=builder,
                args=(path, edition.name),
                listing=Listing(kind=ISSUE, slug=path.stem, title=manifest.title,
                                date=manifest.date, lang=manifest.lang, issue=manifest.issue,
                                edition=edition.name,
                                articles=tuple(output_path(ARTICLE, s) for s in manifest.slugs)),
                cost=sum(len(a.body) for a in manifest.articles) + 1e6))
    return outputs, problems, stopped
