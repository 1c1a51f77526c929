"""The patient leaflet: article slugs, a clinic and print options in, one PDF out
(``printjournal leaflet``, and the desk's leaflets: desk/).

    build          slugs + clinic + options → the leaflet PDF: conducts the rest (the render
                                              cache, review dates, booklet imposition)
    parts          the leaflet's articles   → one part each (cached per side), assembled,
                                              "Page X of Y" filled in
    personal       a name, a note + a box   → the personal layer, fitted or refused in plain
                                              words; laid on the front, never stored
    personalfiles  PDFs in the published    → those with a patient's details moved out
                   folder                     (the website build calls it)
"""
