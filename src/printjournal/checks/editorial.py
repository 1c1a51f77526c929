"""Loaded articles in, warnings about what would print other than the editor meant out.

Each is a :class:`~printjournal.errors.Notice` at its line, for ``printjournal check``:

- an article in a language other than the journal's with no disclaimer of its own
  (``[journal.disclaimers]`` in printjournal.toml): its pages would print the journal's
  disclaimer, in a language its readers may not read;
- a body that opens with a thematic break (``---``, ``***``, ``___``), usually a second
  closing line left under the front matter: it prints a rule above the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import Notices, Problem
from ..load import content
from ..model import Article, Project

#: A Markdown thematic break (CommonMark 4.1): three or more of one of - * _, spaced.
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def check(project: Project, articles: Sequence[Article], notices: Notices) -> list[Problem]:
    """Every warning above, for ``articles``; with ``notices.strict`` they come back as
    problems instead."""
    problems: list[Problem] = []
    journal = project.journal
    home = journal.lang.split("-")[0].lower()
    for article in articles:
        if (article.lang.split("-")[0].lower() != home
                and journal.disclaimer_for(article.lang) == journal.disclaimer):
            notices.warn(problems, article.path, _lang_line(project, article),
                         f"no disclaimer in '{article.lang}' in printjournal.toml "
                         f"([journal.disclaimers]): its pages print the {journal.lang} one")
        first = next(((n, line) for n, line in enumerate(article.body.split("\n"),
                                                           start=article.body_line)
                      if line.strip()), None)
        if first is not None and _RULE.match(first[1]):
            notices.warn(problems, article.path, first[0],
                         "the text opens with a rule ('---' under the front matter prints a "
                         "line above the first paragraph): delete it if it is left over")
    return problems


def _lang_line(project: Project, article: Article) -> int:
    """The line of the article's ``lang`` (its file is read only when a warning needs it)."""
    text = content.read_text(project.root / article.path, project.root)
    return content.split_front_matter(article.path, text).doc.line("lang")
