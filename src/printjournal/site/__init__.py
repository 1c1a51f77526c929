"""The website build: a project in, the downloads folder out (``printjournal build``).

    plan     project → every output: its path, the files it is made from, its maker
    record   the last build's record → what is reused, kept, pruned or foreign
    work     outputs to render → outcomes, in worker processes replaced every few outputs
    cluster  outputs to render → outcomes, on a Dask cluster (``--scheduler``)
    shipment a project → the files every output is made from, sent to the cluster
    holder   on each Dask worker: the shipped files unpacked, their pipeline loaded
    noop     a rebuild with nothing changed → the last build's warnings, no render
    downloads the built PDFs → ``manifest.json`` and the downloads pages (the desk
             serves them too)
    build    the above, conducted, and the downloads pages written
"""
