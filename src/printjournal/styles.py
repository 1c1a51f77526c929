"""A leaflet style's name in, everything that makes that style of leaflet out: a table.

A leaflet is printed in a style chosen for its reader: the standard one, or large print
(16 pt sans body text and furniture, a wider measure, for readers with low vision).
Every difference between styles is a column of :data:`STYLES`; the CLI (one option
per style, ``--large-print``), the desk (one choice per style), the file name, the
cache key and the layouts (``style.css_class``, ``style.stylesheet``,
``style.large_type``) read the columns and never compare names, so a new style (say,
easy read) is one row here and its stylesheet in layouts/.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import OptionError


@dataclass(frozen=True)
class LeafletStyle:
    """One style of leaflet: what differs from the others."""

    name: str                  # the option (--NAME), the file name's part, the cache key's
    label: str                 # what the desk shows
    help: str                  # what ``printjournal leaflet --help`` says of --NAME
    css_class: str = ""        # on the leaflet's and the personal layer's outer element
    stylesheet: str | None = None   # layouts/ file linked after leaflet.css
    large_type: bool = False   # page furniture at the 16 pt floor (leaflet.html's @page)

    @property
    def field(self) -> str:
        """The name as a form field and identifier: ``large_print``."""
        return self.name.replace("-", "_")


STANDARD = LeafletStyle("standard", "Standard print", "the standard style (the default)")

STYLES: tuple[LeafletStyle, ...] = (
    STANDARD,
    LeafletStyle("large-print", "Large print",
                 "16 pt sans body text for readers with low vision",
                 css_class="large-print", large_type=True),
)


def style(name: str) -> LeafletStyle:
    """The style called ``name``; another name is an OptionError naming the known ones."""
    for found in STYLES:
        if found.name == name:
            return found
    raise OptionError(f"unknown leaflet style '{name}': "
                      + " or ".join(s.name for s in STYLES))
