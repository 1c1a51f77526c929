"""Links in an article's body in, where they lead on paper out, with problems and warnings.

A link to another article is ``/journal/<slug>``, or relative as editors write
it (``fibre-guide.md``, ``journal/fibre-guide``): both lead to the article.
:func:`check_links` checks them against the project's articles: a link to an
article the project does not hold is a warning by default (``[validation]
unknown_links``), a relative link that names no article a warning. body.py
prints links the same way, through :func:`linked_article`. A callout type that
layouts/ does not style is warned about here too, with the links: both are
checked across the project's files, never refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import Notices, Problem
from ..load.content import body_lines
from ..load.yamlkeys import SLUG
from ..model import Article, Project
from .figures import check_captions, check_places
from .structure import lines, styled_callouts

LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^\s)>]*)")


def linked_article(href: str) -> str | None:
    """The slug of the article a link names, or None when it names none.

    ``/journal/<slug>`` names one, and so does a relative link to one, as
    editors write them: ``fibre-guide.md``, ``journal/fibre-guide``,
    ``../articles/fibre-guide.md#diet``.
    """
    path = re.split(r"[#?]", href.strip(), maxsplit=1)[0]
    if path.startswith("/journal/"):
        return path.removeprefix("/journal/").strip("/")
    if not path or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/", path):
        return None          # a web address, mailto:, a site path or "#part"
    path = re.sub(r"^(\./|\.\./)*((journal|articles)/)?", "", path).removesuffix(".md")
    return path.strip("/") if SLUG.match(path.strip("/")) else None


def check_links(articles: Sequence[Article], project: Project,
                slugs: set[str] | None = None, notices: Notices | None = None
                ) -> list[Problem]:
    """Every link leads somewhere in print; a link to an article names one we hold.

    An article the project (or ``slugs``) does not hold lives on the website
    only: a warning by default (``[validation] unknown_links``), printed with its
    web address. A relative link that names no article cannot be followed on
    paper: a warning. Warnings go to ``notices``; errors are returned.
    """
    if slugs is None:
        slugs = {a.slug for a in articles}
    notices = notices if notices is not None else Notices()
    problems: list[Problem] = []
    policy = project.validation.unknown_links
    styled = styled_callouts(project.layouts_dir)
    for article in articles:
        check_captions(article, project, notices, problems)
        check_places(article, notices, problems)
        for line in lines(article.body):
            if line.callout and line.callout not in styled:
                notices.warn(problems, article.path, article.body_line + line.index,
                             f"callout type '{line.callout}' has no style in layouts/: it "
                             f"prints as a plain box (styled: {', '.join(sorted(styled))})")
        for number, line in body_lines(article):
            for match in LINK.finditer(line):
                href, slug = match[1], linked_article(match[1])
                if slug is None and not re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|#)", href):
                    notices.warn(problems, article.path, number,
                                 f"link '{href}' leads nowhere on paper: link an article as "
                                 "/journal/<slug>, anything else by its https:// address")
                if slug is None or slug in slugs or policy == "ignore":
                    continue
                message = f"link to unknown article '/journal/{slug}'"
                if policy == "error":
                    problems.append(Problem(article.path, number, message))
                else:
                    notices.warn(problems, article.path, number,
                                 f"{message}: not in this project, printed with its web address")
    return problems
