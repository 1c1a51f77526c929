"""printjournal: health journal articles in, print-ready and accessible PDFs out.

The pipeline, left to right: load → markup → template → render → assemble → products.

    config      printjournal.toml      → Project
    content     content/*.md           → Article (validated, with line numbers)
    markup      Article.body Markdown  → Body (sanitised HTML)
    templating  Article + Body         → HTML document (layouts/)
    render      HTML document          → PDF bytes (WeasyPrint, fenced in)
    pdf/        PDFs                   → PDFs: finishers, folios, assembly, overlay, booklet
    pipeline    Project                → the loaded stages every product renders through
    products:   article (pipeline), leaflet, issue/, site/ (the website build),
                web (the leaflet desk)
    check       Project                → every problem in its content
    cli         argv                   → calls the above, exit status
"""

__version__ = "0.1.0"
