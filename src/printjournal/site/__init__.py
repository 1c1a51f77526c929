"""The website build: a project in, the downloads folder out (``printjournal build``).

    plan     project → every output: its path, the files it is made from, its maker
    record   the last build's record → what is reused, kept, pruned or foreign
    work     outputs to render → outcomes, in worker processes replaced every few outputs
    build    the above, conducted, and the downloads pages (downloads.py) written
"""
