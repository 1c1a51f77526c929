"""The leaflet desk (``printjournal serve``): HTTP requests from clinic staff in, the
library's pages and leaflet PDFs out. The leaflets are leaflet/'s; renders run in the
one worker pool (workers/pool.py).

    web       HTTP requests   → pages and PDFs (Flask, waitress): the routes, conducting
                                the rest, and the desk worker's render jobs
    guard     a request       → refused unless it is the desk's own (size, Host, Origin,
                                CSRF, password)
    form      the posted form → its choices (kept across searches), problems in its words
    search    a search box    → the articles whose words (stemmed) it begins
    library   the articles    → each one's reading grade and languages, and the version
                                to print in the language chosen
    shelf     a project       → its loaded articles, kept while content/ is unchanged
    size      articles chosen → too big for the desk, said before any render
    fit       options chosen  → whether the name and note fit the front box (the form's
                                "will it fit?")
    preview   an article      → its PDF (render cache) and the text of each of its pages
    result    a made leaflet  → held in memory for its result page until "Next patient"
    prepare   the library     → the leaflets of articles too long for the desk, made ahead
                                in the background, below staff requests
"""
