"""An article's slug in (in a desk worker, web.DeskWorker); its PDF and the text of each of
its pages out.

The desk's preview shows an article's pages as images; beside each, its text, so a
screen reader (and anyone who cannot read the picture) gets what the page says.
"""

from __future__ import annotations

from typing import Any

from ..outputs import article_recipe


def article_pdf(worker: Any, slug: str) -> bytes:
    """An article's PDF, from the render cache when nothing it depends on changed (the
    website build keeps its article PDFs there under the same key: a long article the
    build rendered is previewed from it, without rendering again)."""
    pipeline = worker.pipeline
    project = pipeline.project
    article = next(a for a in worker.shelf.load()[0] if a.slug == slug)
    # the website build's key for the same PDF (outputs.py): one cache for both
    key = article_recipe(project, article).key(project)
    return pipeline.cached_pdf(worker.store, key, lambda: pipeline.article_html(article),
                               article.path)


def page_texts(worker: Any, slug: str) -> tuple[str, ...]:
    """The text of every page of the article's PDF (one string a page, spaces tidied)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(article_pdf(worker, slug))
    try:
        return tuple(" ".join(page.get_textpage().get_text_range().split())
                     for page in document)
    finally:
        document.close()
