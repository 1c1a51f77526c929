"""printjournal: health journal articles in, print-ready and accessible PDFs out.

The pipeline, one module per stage:

    config      printjournal.toml      → Project
    content     content/*.md           → Article (validated, with line numbers)
    markup      Article.body Markdown  → Body (sanitised HTML)
    templating  Article + Body         → HTML document (layouts/)
    render      HTML document          → PDF bytes (WeasyPrint, fenced in)
    build       Project                → PDF files on disk
    leaflet     slugs + clinic + options → a patient leaflet (overlay, booklet help it)
    manifest    content/issues/*.yaml  → Manifest (an issue, validated)
    issue       Manifest               → the issue's parts, rendered and placed on pages
    slots       placeholder numbers    → the issue's page numbers, stamped at assembly
    assemble    part PDFs              → one PDF with one structure tree
    cli         argv                   → calls the above, exit status
"""

__version__ = "0.1.0"
