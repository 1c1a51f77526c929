"""A project (or some of its files) in, every problem in its content out: ``printjournal check``.

Articles (front matter, Markdown, links), the layouts and the issue manifests, each
problem as ``path:line: message``, sorted by file and line; warnings to a
:class:`~printjournal.errors.Notices`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import Notices, PrintjournalError, Problem
from ..issue import manifest
from ..load import content
from ..markup import links
from ..model import Article, Project
from ..render import tablefit
from ..template.layouts import Layouts
from . import editorial, overdue, plainlanguage, translations


def check(project: Project, paths: Sequence[Path] | None = None,
          notices: Notices | None = None) -> list[Problem]:
    """Every problem in the project's content (or in ``paths``), sorted by file and line.

    Warnings go to ``notices``, those of ``paths`` only when paths are given.
    """
    notices = notices if notices is not None else Notices()
    found = Notices(notices.strict)
    articles, problems = content.load_articles(project)
    problems += links.check_links(articles, project, notices=found)
    problems += translations.check(articles, project, found)
    problems += overdue.check(project, articles, found)
    problems += editorial.check(project, articles, found)
    chosen = articles if paths is None else [
        a for a in articles if (project.root / a.path).resolve() in
        {p.resolve() for p in paths}]
    problems += plainlanguage.check(chosen, project, "article", found)
    problems += _tables(chosen, project, found)
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
    problems += manifest.check_manifests(project, paths, notices, articles)
    return sorted(set(problems))


def _tables(articles: Sequence[Article], project: Project, found: Notices) -> list[Problem]:
    """Tables too wide for a product's text area (render/tablefit.py), in articles with one."""
    from ..markup import body as markup

    problems: list[Problem] = []
    for article in articles:
        if "|" not in article.body:
            continue
        try:
            html = markup.to_html(article, project).html
        except Exception:   # a last resort: the checks above or the render report what
            continue        # stops the Markdown; the other articles go on
        lines = (project.root / article.path).read_text(encoding="utf-8").splitlines()
        problems += tablefit.check(article.path, html, lines, project.journal.paper,
                                   project.layouts_dir, project.fonts_dir, found)
    return problems
