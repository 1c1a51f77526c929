"""Laid-out pages in, footnotes printed away from their citation out (and a remedy).

The promise: a source's footnote prints on the page of its first citation. The
print CSS asks WeasyPrint for it (``footnote-policy: line``: a note that does not
fit takes its call's line to the next page), but WeasyPrint 70 does not always
keep it (with several notes on one line it can leave the line and move some of
them). So the renderer checks every layout with :func:`misplaced_notes`, which
reads WeasyPrint's public ``Page.anchors`` and ``Page.links`` (gathered during
layout anyway: no second walk over the boxes). A note is the element
``<prefix>note-N``; its calls are the links to ``#<prefix>source-N``, the first
of which carries the note.

Where a note is misplaced, :func:`remedy` gives the block holding its call
(paragraph, list item, table row, ...) ``break-before: page`` (:func:`keep_with_call`),
so the call and its note start the next page together; the renderer lays the document
out again and checks again. What still fails becomes an error at the citation's line.

WeasyPrint 70 misplaces a note when a later line of the page cannot end it (orphans):
it sends the page's last note on to make room. When the citing block opens its
article's body, moving it would leave its page with the masthead alone, so the remedy
ends that page one block early instead: the block the page ends in starts the next
page (found in the laid-out boxes, as pagearea.py reads them), and the notes fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..errors import PrintjournalError, Problem
from ..model import Project

NOTE = re.compile(r"^(?P<prefix>.*?)note-(?P<number>\d+)$")
SOURCE = re.compile(r"^#?(?P<prefix>.*?)source-(?P<number>\d+)$")

#: The blocks a call can be moved with: the nearest one around it is given a page break.
#: A cell cannot start a page on its own, so a table's call moves its row.
_BLOCKS = ("p", "li", "dt", "dd", "tr", "blockquote", "figure", "h2", "h3", "h4", "h5",
           "h6", "pre", "div")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}
MOVE = ' style="break-before: page"'
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Misplaced:
    """A footnote (``anchor``, e.g. ``note-3``) not on the page of its first call."""

    anchor: str
    number: int
    call_page: int          # 1-based
    note_page: int | None   # None: the note is on no page at all


def misplaced_notes(pages: Sequence[Any]) -> list[Misplaced]:
    """Every note of WeasyPrint's laid-out ``pages`` that is not on its call's page."""
    notes: dict[str, int] = {}
    calls: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            if NOTE.match(anchor):
                notes.setdefault(anchor, number)
        for link_type, target, *_ in page.links:
            match = SOURCE.match(target) if link_type == "internal" else None
            if match:
                calls.setdefault(f"{match['prefix']}note-{match['number']}", number)
    return [Misplaced(anchor, int(NOTE.match(anchor)["number"]),  # type: ignore[index]
                      page, notes.get(anchor))
            for anchor, page in calls.items()
            if anchor in notes and notes[anchor] != page]


def remedy(html: str, note: Misplaced, pages: Sequence[Any]) -> str | None:
    """``html`` with the page break that should bring ``note`` to its call's page: before
    the citing block, or, when that block opens its article's body (the masthead would
    be left alone), before the block the call's page ends in; None when no move is left."""
    finder = _find(html, _BlockOf(html, anchor=note.anchor))
    if finder.found is not None and finder.opens_body:
        ending = _page_end(pages, note.call_page)
        return _break_before(html, _find(html, _BlockOf(html, nth=ending)) if ending else None)
    return _break_before(html, finder)


def keep_with_call(html: str, anchor: str) -> str | None:
    """``html`` with a page break before the block holding the note ``anchor`` (and so
    its call), or None when there is no such block or it already has its break."""
    return _break_before(html, _find(html, _BlockOf(html, anchor=anchor)))


def _find(html: str, finder: _BlockOf) -> _BlockOf:
    finder.feed(html)
    finder.close()
    return finder


def _break_before(html: str, finder: _BlockOf | None) -> str | None:
    if finder is None or finder.found is None:
        return None
    start, tag = finder.found
    head = start + 1 + len(tag)
    if html.startswith(MOVE, head):
        return None
    return html[:head] + MOVE + html[head:]


def _page_end(pages: Sequence[Any], number: int) -> tuple[str, int] | None:
    """The block page ``number`` (1-based) ends in, as its tag and its index among the
    document's elements of that tag: the innermost block around the page's last line."""
    from weasyprint.formatting_structure import boxes

    from .pagearea import page_box

    last: Any = None
    root: Any = None

    def walk(box: Any, block: Any) -> None:
        nonlocal last, root
        if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            return
        if getattr(box, "element_tag", None) == "html" and root is None:
            root = box.element
        if getattr(box, "element_tag", None) in _BLOCKS and isinstance(box, boxes.BlockBox):
            block = box
        if isinstance(box, boxes.LineBox) and block is not None:
            last = block
            return
        for child in getattr(box, "children", None) or ():
            walk(child, block)

    walk(page_box(pages[number - 1]), None)
    if last is None or root is None:
        return None
    tag = last.element_tag
    found = [index for index, element in enumerate(root.iter(tag)) if element is last.element]
    return (tag, found[0]) if found else None


class _BlockOf(HTMLParser):
    """Finds the start (offset, tag) of the nearest block around the element ``anchor``,
    or of the ``nth`` (tag, index) element; a heading right before that block goes with
    it (it must not end the page alone). ``opens_body``: nothing of its article's body
    (``div.body``) comes before it."""

    def __init__(self, html: str, anchor: str = "",
                 nth: tuple[str, int] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.anchor, self.nth = anchor, nth
        self.html = html
        self.offsets = [0]
        for line in html.splitlines(keepends=True):
            self.offsets.append(self.offsets[-1] + len(line))
        self.open: list[tuple[str, int]] = []
        self.closed: dict[int, tuple[str, int, int]] = {}   # depth → last (tag, start, end)
        self.seen: dict[str, int] = {}
        self.body_closed: list[int] = []    # ends of the blocks closed in the current body
        self.found: tuple[int, str] | None = None
        self.opens_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is not None:
            return
        line, column = self.getpos()
        offset = self.offsets[line - 1] + column
        found = dict(attrs)
        if tag == "div" and "body" in (found.get("class") or "").split():
            self.body_closed = []
        index = self.seen[tag] = self.seen.get(tag, -1) + 1
        if (self.anchor and found.get("id") == self.anchor) or self.nth == (tag, index):
            if not self.anchor:
                self.open.append((tag, offset))
            blocks = [(depth, o, t) for depth, (t, o) in enumerate(self.open) if t in _BLOCKS]
            if blocks:
                depth, start, tag = blocks[-1]
                self.found = (start, tag)
                heading, begin, end = self.closed.get(depth, ("", 0, 0))
                if heading in _HEADINGS and not self.html[end:start].strip():
                    self.found = (begin, heading)
                self.opens_body = not any(end <= self.found[0] for end in self.body_closed)
            return
        if tag not in _VOID:
            self.open.append((tag, offset))

    def handle_endtag(self, tag: str) -> None:
        line, column = self.getpos()
        end = self.offsets[line - 1] + column + len(f"</{tag}>")
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                self.closed[index] = (tag, self.open[index][1], end)
                del self.open[index:]
                if tag in _BLOCKS:
                    self.body_closed.append(end)
                return


def problems(project: Project, name: Path, misplaced: Iterable[Misplaced],
             html: str = "") -> list[Problem]:
    """Notes no remedy could place, each at the line of its first citation, in plain
    words: in the article file the note's ``data-article`` names in ``html`` (a leaflet
    or an issue holds several), else in ``name``, the document's content file."""
    files = _NoteFiles.of(html)
    found = []
    for note in misplaced:
        where = f"page {note.note_page}" if note.note_page is not None else "no page"
        file = files.get(note.anchor)
        line = citation_line(project, file or name, note, prefixed=file is not None)
        found.append(Problem(file or name, line, (
            f"the footnote of source {note.number} would print on {where}, but it is first "
            f"cited on page {note.call_page}: shorten the source's text or the paragraph "
            "that cites it")))
    return found


class _NoteFiles(HTMLParser):
    """The article file of each footnote (``id`` → ``data-article``) in a document."""

    @classmethod
    def of(cls, html: str) -> dict[str, Path]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.files

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.files: dict[str, Path] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        anchor, article = found.get("id"), found.get("data-article")
        if anchor and article and NOTE.match(anchor):
            self.files.setdefault(anchor, Path(article))


def citation_line(project: Project, name: Path, note: Misplaced,
                  prefixed: bool = False) -> int:
    """The line of ``name`` where the note's source is first cited (1 if not found);
    ``prefixed``: the note is known to be ``name``'s, whatever its id's prefix."""
    from ..load.content import CITATION, CITATION_ID, body_lines, load_article

    if name.suffix != ".md" or not NOTE.match(note.anchor) or (not prefixed \
            and NOTE.match(note.anchor)["prefix"] not in ("", "a1-")):  # type: ignore[index]
        return 1
    try:
        article = load_article(project.root / name, project)
    except PrintjournalError:
        return 1
    if not 0 < note.number <= len(article.sources):
        return 1
    wanted = article.sources[note.number - 1].id
    for number, line in body_lines(article):
        for match in CITATION.finditer(line):
            if any((cited := CITATION_ID.match(part)) and cited[1] == wanted
                   for part in match[1].split(";")):
                return number
    return article.sources[note.number - 1].line
