"""The quarterly issue: a manifest in, one PDF out (digital or print edition).

    manifest    content/issues/*.yaml → Manifest (validated, every problem with its line)
    parts       Manifest + edition    → each part as HTML (cover, letter, contents, ...)
    rendering   parts                 → their PDFs: cached, or rendered in worker processes
    plan        page counts and sides → the page order, fillers where gaps would be (pure)
    build       the above, conducted  → the assembled issue (pdf/assemble.py)
"""
