"""The render stage: an HTML document in; PDF/UA-1 bytes out, laid out by WeasyPrint,
fetching only the project's own files, and the layout checked (footnotes on their
citation's page, nothing outside the page area). It takes the template stage's HTML as
text (never imports it) and imports load (``content``'s image checks), markup (``keep``,
for ``tablefit``), cache.py's ``file_hash``, and pdf/finishers.py, which WeasyPrint calls
while it writes the PDF.

    weasy       HTML        → PDF bytes (``Renderer``, ``Rendered``, ``ProjectFetcher``):
                              WeasyPrint, fenced in; conducts the two checks below
    placement   laid-out    → footnotes printed away from their citation, and the block
                pages         to move
    pagearea    laid-out    → words and images outside the page area, at their line
                pages
    tablefit    an article's → tables too wide for a paper's or a leaflet style's measure,
                HTML          before layout (``printjournal check``)
    fonts       fonts/      → what the bundled fonts can print, their families, and a
                              fontconfig that sees only them
    images      an image    → the file WeasyPrint should print (normalised, cached); SVG
                file          limits

Nothing is imported here (WeasyPrint is heavy: the CLI must start fast):
``from printjournal.render.weasy import Renderer``.
"""

__all__ = ["fonts", "images", "pagearea", "placement", "tablefit", "weasy"]
