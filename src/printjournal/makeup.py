"""Text in, the same text marked so a line breaks only where a reader expects (Jinja filters).

Page make-up rules that live in the text rather than in the stylesheets:

- :func:`unbroken` sets a run of words as one unit (no-break spaces): the items of the
  clinical governance stamp ("Printed 29 November 2026") never part across lines; the
  stamp may only wrap between items, after their separator.
- :func:`address_lines` sets a printed address (a QR code's caption) as pieces that end
  at each ``/``: a line breaks after a slash only, never at the address's own hyphens
  (which would read as a hyphenated word).
- :func:`spaces_inside` moves the space before an emphasis or code into it. WeasyPrint 70
  breaks a line wrongly when an inline element that does not fit starts right after a
  space at the line's end: it breaks the text before at its *first* break opportunity,
  leaving one word alone on a line ("Because" / "so much of ... clock, *when*"). With
  the space inside the element the line breaks where it should.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

NBSP = "\u00a0"
BREAK = "\u200b"        # a zero-width space: a line may break here
LONG_PIECE = 32         # characters of an address piece kept on one line


def unbroken(text: str) -> str:
    """``text`` with every space a no-break space."""
    return re.sub(r"[ \t]+", NBSP, str(text))


#: the opening tags whose space is moved inside (never a link: it would underline it)
_OPENING = re.compile(r" (<(?:em|strong|i|b|code|abbr)(?:\s[^>]*)?>)")


def spaces_inside(html: str) -> str:
    """``html`` with each space before an emphasis, code or abbreviation moved into it."""
    return _OPENING.sub(r"\1 ", html)


def address_lines(url: str) -> Markup:
    """``url`` as pieces that may only part after a ``/`` (``<span class="unbroken">``
    each; the layouts keep a piece on one line with ``white-space: nowrap``). A piece
    longer than :data:`LONG_PIECE` characters could not fit a narrow caption: it is left
    to break where it must, so nothing leaves the text area."""
    pieces = [p for p in re.split(r"(?<=/)", str(url)) if p]
    return Markup(BREAK).join(
        Markup('<span class="unbroken">{}</span>').format(p) if len(p) <= LONG_PIECE
        else escape(p) for p in pieces)
