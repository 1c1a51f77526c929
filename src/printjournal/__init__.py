"""printjournal: health journal articles in, print-ready and accessible PDFs out.

The pipeline, one module per stage:

    config      printjournal.toml      → Project
    content     content/*.md           → Article (validated, with line numbers)
    markup      Article.body Markdown  → Body (sanitised HTML)
    templating  Article + Body         → HTML document (layouts/)
    render      HTML document          → PDF bytes (WeasyPrint, fenced in)
    build       Project                → PDF files on disk
    leaflet     slugs + clinic + options → a patient leaflet (overlay, booklet help it)
    cli         argv                   → calls the above, exit status
"""

__version__ = "0.1.0"
