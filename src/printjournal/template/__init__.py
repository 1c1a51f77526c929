"""The template stage: an ``Article`` and its ``Body`` (or an issue's, a leaflet's or the
downloads pages' values) in; an HTML document through the designers' Jinja2 layouts in
``layouts/`` out. It imports the markup stage (``breaks``, ``makeup``), never render.

    layouts     values → an HTML document (``Layouts``, ``article_html``, ``Labels``;
                the filters ``shorten``, ``direction``, ``filesize``)

Nothing is imported here: ``from printjournal.template.layouts import Layouts``.
"""

__all__ = ["layouts"]
