"""How long clinic staff wait for a leaflet of two articles, cold and warm.

    .venv/bin/python bench/leaflet.py [--runs N]

In one run, side by side (noisy shared machine: compare the ratios):
- bare WeasyPrint on the leaflet's own HTML (no fetch fence, no PDF/UA, no tag finisher);
- cold: printjournal with an empty render cache (renders the leaflet);
- next day: the same leaflet, with the name and note, the day after a cold one (its parts
  do not depend on the day: only the sheet the date and page numbers are drawn on);
- warm: the same leaflet again from the cache, with a patient's name and note (the
  personal layer is rendered and grafted on every print) and without; and as the desk's
  worker makes it (the articles loaded once, their checks kept by the Shelf);
- as staff run it: the CLI in a new process, cold and warm (Python start-up and imports,
  about half a second here, included).
Goals: warm at most 1 s wall, and at most 0.3 x cold.

``--baseline REV`` first runs REV's own copy of this bench (git archive into a temporary
folder, its sources and layouts), so both designs are measured in one sitting: on a shared
machine, compare them run by run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import weasyprint

from printjournal import cache
from printjournal.desk.shelf import Shelf
from printjournal.leaflet import build as leaflet
from printjournal.load import config
from printjournal.pipeline import Pipeline
from printjournal.styles import STANDARD

ROOT = Path(__file__).resolve().parent.parent
SLUGS = ("sleep-and-immunity", "winter-skin-eczema")
TODAY = dt.date.today()


def timed(function, runs: int) -> float:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (median)")
    parser.add_argument("--baseline", help="a git revision to measure first, the same way")
    args = parser.parse_args()
    if args.baseline:
        baseline(args.baseline, args.runs)
    project = config.load_project(ROOT)
    pipeline = Pipeline.load(project)
    request = leaflet.LeafletRequest(SLUGS)
    personal = leaflet.Personal("Ada Example", "Moisturise twice a day; back in two weeks.")
    articles = leaflet.select_articles(project, SLUGS)
    states = leaflet.governance(project, articles, TODAY, False)
    html = leaflet.leaflet_html(pipeline, articles, states, leaflet.find_clinic(project, None),
                                "A4", lambda lang: pipeline.layouts.labels(lang).date(TODAY),
                                style=STANDARD, personal_slot="note")
    base_url = project.layouts_dir.as_uri() + "/"

    def bare() -> None:
        weasyprint.HTML(string=html, base_url=base_url).write_pdf()

    def cold() -> None:
        with tempfile.TemporaryDirectory() as folder:
            made = leaflet.leaflet(pipeline, request, TODAY, personal,
                                   cache.RenderCache(Path(folder)))
            assert not made.reused

    def next_day() -> float:
        with tempfile.TemporaryDirectory() as folder:
            store = cache.RenderCache(Path(folder))
            leaflet.leaflet(pipeline, request, TODAY, personal, store)
            start = time.perf_counter()
            leaflet.leaflet(pipeline, request, TODAY + dt.timedelta(days=1), personal, store)
            return time.perf_counter() - start

    with tempfile.TemporaryDirectory() as folder:
        store = cache.RenderCache(Path(folder))
        pages = leaflet.leaflet(pipeline, request, TODAY, personal, store).pages
        leaflet.leaflet(pipeline, request, TODAY, None, store)

        def warm() -> None:
            assert leaflet.leaflet(pipeline, request, TODAY, personal, store).reused

        shelf = Shelf(project)

        def warm_desk() -> None:
            assert leaflet.leaflet(pipeline, request, TODAY, personal, store, shelf.load(),
                                   kept=shelf.kept).reused

        def warm_anonymous() -> None:
            assert leaflet.leaflet(pipeline, request, TODAY, None, store).reused

        bare_s = timed(bare, args.runs)
        cold_s = timed(cold, args.runs)
        next_day_s = statistics.median(next_day() for _ in range(args.runs))
        warm_s = timed(warm, args.runs)
        anonymous_s = timed(warm_anonymous, args.runs)
        warm_desk()                           # the Shelf's first checks, then kept
        desk_s = timed(warm_desk, args.runs)

    # the CLI in a new process, on a copy of the project whose cache starts empty
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "project"
        copy.mkdir()
        for name in ("content", "layouts", "fonts"):
            shutil.copytree(ROOT / name, copy / name)
        shutil.copy(ROOT / "printjournal.toml", copy)
        command = [sys.executable, "-m", "printjournal", "-C", str(copy), "leaflet", *SLUGS,
                   "--for", "Ada Example", "--note", "Back in two weeks.",
                   "-o", str(Path(folder) / "leaflet.pdf"), "--force"]

        def cli_cold() -> None:
            shutil.rmtree(copy / ".printjournal-cache", ignore_errors=True)
            subprocess.run(command, check=True, capture_output=True)

        cli_cold_s = timed(cli_cold, args.runs)
        cli_s = timed(lambda: subprocess.run(command, check=True, capture_output=True),
                      args.runs)

    print(f"leaflet of {len(SLUGS)} articles ({', '.join(SLUGS)}), {pages} A4 pages, "
          f"median of {args.runs} runs")
    print(f"  bare WeasyPrint, same HTML          {bare_s:6.2f} s")
    print(f"  printjournal cold (empty cache)     {cold_s:6.2f} s   {cold_s / bare_s:4.2f} x bare")
    print(f"  next day, with --for/--note         {next_day_s:6.2f} s   "
          f"{next_day_s / cold_s:4.2f} x cold")
    print(f"  printjournal warm, with --for/--note{warm_s:6.2f} s   {warm_s / cold_s:4.2f} x cold")
    print(f"  warm as the desk's worker (kept)    {desk_s:6.2f} s   {desk_s / warm_s:4.2f} x warm")
    print(f"  printjournal warm, no personal text {anonymous_s:6.2f} s   "
          f"{anonymous_s / cold_s:4.2f} x cold")
    print(f"  CLI cold, new process, --for/--note {cli_cold_s:6.2f} s")
    print(f"  CLI warm, new process, --for/--note {cli_s:6.2f} s   {cli_s / cli_cold_s:4.2f} x "
          "CLI cold")
    for what, warm_wall, ratio in (("library", warm_s, warm_s / cold_s),
                                   ("CLI", cli_s, cli_s / cli_cold_s)):
        met = "met" if warm_wall <= 1 and ratio <= 0.3 else "NOT met"
        print(f"goal warm <= 1 s and <= 0.3 x cold, {what}: {met}")


def baseline(rev: str, runs: int) -> None:
    """REV's own bench/leaflet.py on REV's sources and layouts, its figures printed."""
    from desk import checkout  # bench/desk.py: git archive into a folder

    with tempfile.TemporaryDirectory() as folder:
        old = checkout(rev, Path(folder))
        result = subprocess.run([sys.executable, str(old / "bench" / "leaflet.py"),
                                 "--runs", str(runs)], capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(old / "src")},
                                check=True)
    print(f"baseline {rev}:")
    print(result.stdout, end="")
    print("this checkout:")


if __name__ == "__main__":
    main()
