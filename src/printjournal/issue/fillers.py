"""The gaps of an issue's page plan in, the kind of page that fills each out.

A gap is a page the plan must fill: before an article that would otherwise open on a
left-hand page, and before the back cover (the print edition's page count is a multiple
of 4). Each house advert (``layouts/issue-filler.html``: "online", "reviewed") fills at
most one gap per issue, so a reader never meets the same advert twice; the gaps left are
notes pages, which a reader can use as often as they come.
"""

from __future__ import annotations

from collections.abc import Iterator

ADVERTS = ("online", "reviewed")
NOTES = "notes"
KINDS = (NOTES, *ADVERTS)


def kinds(adverts: tuple[str, ...] = ADVERTS) -> Iterator[str]:
    """The kind of each gap in page order: a notes page, every advert once, then notes
    pages."""
    yield NOTES
    yield from adverts
    while True:
        yield NOTES
