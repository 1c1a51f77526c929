"""An article's figures in: captions without typed numbers, and warnings about captions out.

Figures are numbered by the layouts, per article (print.css: a ``figure`` counter reset
by each article, "Figure 1." before each caption, "Abbildung 1." in German), so an
editor's own "Figure 1." at the start of a caption is taken off (:func:`caption_text`):
the same article then reads the same in its PDF, a leaflet and the issue, where every
article is a part rendered on its own and its running head names it.

:func:`check_captions` warns (a :class:`~printjournal.errors.Notice`) when a caption
only repeats the chart's own title (an SVG's ``<title>`` or its first line of text):
a caption should say what the picture means, not name it twice. :func:`check_places`
warns where the text points at a figure by its place ("the chart below"):
WeasyPrint 70 has no page floats, so a figure too tall for the room left moves to the
next page, and "below" may then be a page away.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813
from pathlib import Path

from ..errors import Notices, Problem
from ..load.content import body_lines
from ..model import Article, Project

#: What editors type before a caption's words, in the languages we print: taken off.
TYPED_NUMBER = re.compile(r"^\s*(?:Figure|Fig\.|Chart|Abbildung|Abb\.|Grafik)\s*\d+\s*[.:–—-]?\s*",
                          re.IGNORECASE)
#: An image with a caption, as Python-Markdown reads it: ![alt](src "caption").
CAPTIONED = re.compile(r"!\[[^\]]*\]\(\s*<?([^\s)>]+)>?\s+\"([^\"]*)\"\s*\)")
_SVG = "{http://www.w3.org/2000/svg}"
#: A figure or table named by its place on the page, in the languages we print.
#: (Not a table: it follows its text in the flow, splitting across pages if it must.)
BY_PLACE = re.compile(
    r"\b(?:(?:the|this|that)\s+(?:chart|figure|diagram|graph|picture|image|illustration|"
    r"map)s?\s+(?:below|above)|(?:die|der|das)\s+(?:Grafik|Abbildung|Diagramm|Bild)\s+"
    r"(?:unten|oben))\b", re.IGNORECASE)


def caption_text(caption: str) -> str:
    """A caption as printed after the layout's own "Figure N.": no typed number."""
    return TYPED_NUMBER.sub("", caption, count=1).strip()


def chart_title(path: Path) -> str | None:
    """An SVG's own title: its ``<title>``, else its first line of text; None for
    other images, or an SVG that cannot be read (load/content.py reports that)."""
    if path.suffix.lower() != ".svg" or not path.is_file():
        return None
    try:
        root = etree.parse(path).getroot()
    except (etree.ParseError, OSError):
        return None
    for tag in ("title", "text"):
        element = root.find(f".//{_SVG}{tag}")
        if element is None:
            element = root.find(f".//{tag}")
        if element is not None and "".join(element.itertext()).strip():
            return " ".join("".join(element.itertext()).split())
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def check_captions(article: Article, project: Project, notices: Notices,
                   problems: list[Problem]) -> None:
    """Warn at its line about each caption that only repeats its chart's title."""
    folder = (project.root / article.path).parent
    for number, line in body_lines(article):
        for match in CAPTIONED.finditer(line):
            title = chart_title((folder / match[1]).resolve())
            words = _words(caption_text(match[2]))
            if title and words and set(words) <= set(_words(title)):
                notices.warn(problems, article.path, number,
                             f"the caption of '{match[1]}' only repeats the chart's own "
                             f"title ('{title}'): say what the picture shows or means")


def check_places(article: Article, notices: Notices, problems: list[Problem]) -> None:
    """Warn at its line about each place the text names a figure by where it stands
    ("the chart below", "die Grafik oben"), a line break inside the words too."""
    lines = list(body_lines(article))
    for index, (number, line) in enumerate(lines):
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        for match in BY_PLACE.finditer(f"{line} {following}"):
            if match.start() < len(line):
                words = " ".join(match[0].split())
                notices.warn(problems, article.path, number, (
                    f"'{words}' points at a figure by its place, but a figure moves to the "
                    "next page when the room left is too small: name it by its number "
                    "('Figure 1') or say what it shows"))
