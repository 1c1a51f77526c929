"""How long the desk takes to make the leaflets of long articles ahead (desk/prepare.py).

    .venv/bin/python bench/prepare.py [--max-pages N] [--workers N]

On a copy of the sample project with an empty render cache, the desk's own worker pool
(spawned workers, as ``printjournal serve`` makes them) and its preparer: the time from
start until every planned leaflet is made, with what was planned. With the desk's
limit (40 pages) the sample has no article too long, so nothing is planned: give a
lower ``--max-pages`` to make its longer articles count as long (10: the 22-page
understanding-blood-pressure alone; 0: every article).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from issue import copy_project  # bench/issue.py: the project without caches or outputs
from printjournal.desk import size as desksize
from printjournal.desk import web
from printjournal.desk.prepare import for_desk
from printjournal.desk.shelf import Shelf
from printjournal.load import config
from printjournal.template.layouts import Layouts

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-pages", type=int, default=40, help="the desk's limit")
    parser.add_argument("--workers", type=int, default=2, help="the desk's workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = copy_project(Path(folder) / "project", ROOT)
        project = config.load_project(copy)
        settings = web.DeskSettings(dist=copy / "dist", workers=args.workers,
                                    max_pages=args.max_pages)
        pool = web.render_pool(project, settings)
        try:
            start = time.perf_counter()
            ahead = for_desk(project, Layouts(project).labels, pool, Shelf(project),
                             desksize.PageCounts(project), args.max_pages, dt.date.today)
            planned = ahead.plan_now()
            plan_s = time.perf_counter() - start
            ahead.start()
            ahead.wait(24 * 3600)
            total_s = time.perf_counter() - start
            ahead.stop()
        finally:
            pool.close()
    slugs = sorted({job.slug for job in planned})
    print(f"desk limit {args.max_pages} pages, {args.workers} workers: {len(planned)} "
          f"leaflets planned ({', '.join(slugs) or 'none'}) in {plan_s:.2f} s")
    print(f"  made ahead in {total_s:.1f} s (workers started included), "
          f"{len(ahead.made)} made, {len(ahead.failed)} failed")


if __name__ == "__main__":
    main()
