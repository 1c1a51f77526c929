"""An article's slug in (in a desk worker); the text of each of its pages out.

The desk's preview shows an article's pages as images; beside each, its text, so a
screen reader (and anyone who cannot read the picture) gets what the page says.
"""

from __future__ import annotations

from typing import Any


def page_texts(worker: Any, slug: str) -> tuple[str, ...]:
    """The text of every page of the article's PDF (one string a page, spaces tidied)."""
    import pypdfium2

    from .web import _article_pdf

    document = pypdfium2.PdfDocument(_article_pdf(worker, slug))
    try:
        return tuple(" ".join(page.get_textpage().get_text_range().split())
                     for page in document)
    finally:
        document.close()
