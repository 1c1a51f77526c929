"""Text in, the same text marked so a line breaks only where a reader expects (Jinja filters).

Page make-up rules that live in the text rather than in the stylesheets:

- :func:`unbroken` sets a run of words as one unit (no-break spaces): the items of the
  clinical governance stamp ("Printed 29 November 2026") never part across lines; the
  stamp may only wrap between items, after their separator.
- :func:`spaces_inside` moves the space before an emphasis or code into it. WeasyPrint 70
  breaks a line wrongly when an inline element that does not fit starts right after a
  space at the line's end: it breaks the text before at its *first* break opportunity,
  leaving one word alone on a line ("Because" / "so much of ... clock, *when*"). With
  the space inside the element the line breaks where it should.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"


def unbroken(text: str) -> str:
    """``text`` with every space a no-break space."""
    return re.sub(r"[ \t]+", NBSP, str(text))


#: the opening tags whose space is moved inside (never a link: it would underline it)
_OPENING = re.compile(r" (<(?:em|strong|i|b|code|abbr)(?:\s[^>]*)?>)")


def spaces_inside(html: str) -> str:
    """``html`` with each space before an emphasis, code or abbreviation moved into it."""
    return _OPENING.sub(r"\1 ", html)

