"""The live preview for editors (``printjournal preview``): an article's path in, a page
on 127.0.0.1 out, showing its pages as images, re-rendered on each save.

    server    an article's path → the preview page and its images, over HTTP (stdlib)
    work      a save            → the article's pages as PNG images in a warm pool worker;
                                  a newer save cancels the older render
"""
