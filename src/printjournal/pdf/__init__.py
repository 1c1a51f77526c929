"""PDFs in, PDFs out: everything that edits PDF objects, after WeasyPrint has laid out.

    finishers   while WeasyPrint writes: page furniture as artifacts, list bodies,
                leader dots out of the text, a compact structure tree; roles: footnotes
                as Note, emphasis as Em/Strong
    folios      an issue part's placeholder page numbers: marked at render, stamped
                with the real numbers at assembly
    assemble    part PDFs → one PDF (the conductor of the three below)
    structure   the parts' structure trees → one tree, one ParentTree
    anchors     destinations, links between parts, bookmarks, page labels
    metadata    document info, XMP (PDF/UA-1), Lang; BleedBox for print
    fonts       each font's subsets, one per part, merged into one (fontprograms:
                the font programs, with fontTools)
    overlay     a leaflet + its personal layer → one tagged PDF (pikepdf)
    booklet     A5 pages → sheets imposed in folding order
    objects     the low-level walks the others share (references, number and name trees)
"""
