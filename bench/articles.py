"""Article PDFs: printjournal against bare WeasyPrint on the same HTML, in one run.

For every sample article: printjournal's whole path (load and check the article,
Markdown, layouts, fenced WeasyPrint, tag clean-up) against one bare
``weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")`` call on the
HTML printjournal produced. The two are interleaved and each timed --repeat times
(median of CPU seconds of this process), so machine noise hits both alike. Memory
is the peak of the Python heap during one more render of each (tracemalloc, untimed), which includes
WeasyPrint's layout objects.

    .venv/bin/python bench/articles.py [--repeat 3] [--baseline REV]

``--baseline REV`` first runs REV's own copy of this bench on REV's sources and sample
articles (bench/baseline.py), then this checkout's: both in one sitting, each against bare
WeasyPrint on its own HTML (compare the overheads: the content changed between them).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import tracemalloc
from pathlib import Path

import pypdf
import weasyprint

from printjournal.load import config, content
from printjournal.pipeline import Pipeline, load_checked_article

ROOT = Path(__file__).resolve().parent.parent


def seconds(fn) -> float:
    """CPU seconds of this process for one call: other work on a shared machine barely
    moves it, where wall time swings by ±20% (both are single-threaded)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def peak_memory(fn) -> tuple[int, bytes]:
    """Peak Python heap during one call (a separate run: tracing slows the call down)."""
    tracemalloc.start()
    result = fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", metavar="REV", help="a git revision measured first")
    args = parser.parse_args()
    if args.baseline:
        from baseline import own_run

        print(f"baseline {args.baseline}:\n"
              + own_run(args.baseline, "articles.py", ["--repeat", str(args.repeat)])
              + "this checkout:", flush=True)
    project = config.load_project(ROOT)
    pipeline = Pipeline.load(project)
    base_url = project.layouts_dir.as_uri() + "/"
    rows = []
    for path in content.article_paths(project):
        def ours(path: Path = path) -> bytes:
            article = load_checked_article(project, path)
            return pipeline.article_pdf(article).data

        html = pipeline.article_html(content.load_article(path, project))

        def bare(html: str = html) -> bytes:
            return weasyprint.HTML(string=html, base_url=base_url).write_pdf(
                pdf_variant="pdf/ua-1")

        ours_runs, bare_runs = [], []
        for _ in range(args.repeat):
            ours_runs.append(seconds(ours))
            bare_runs.append(seconds(bare))
        ours_peak, data = peak_memory(ours)
        bare_peak, _ = peak_memory(bare)
        pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
        rows.append((path.stem, pages, len(data), statistics.median(ours_runs),
                     statistics.median(bare_runs), ours_peak, bare_peak))
    print(f"{'article':34} {'pages':>5} {'KiB':>6} {'ours s':>7} {'bare s':>7} {'ratio':>6} "
          f"{'ours MiB':>8} {'bare MiB':>8}")
    for slug, pages, size, ours_s, bare_s, ours_m, bare_m in rows:
        print(f"{slug:34} {pages:5} {size // 1024:6} {ours_s:7.3f} {bare_s:7.3f} "
              f"{ours_s / bare_s:6.2f} {ours_m / 2**20:8.1f} {bare_m / 2**20:8.1f}")
    total_ours = sum(r[3] for r in rows)
    total_bare = sum(r[4] for r in rows)
    print(f"{'total':34} {sum(r[1] for r in rows):5} {sum(r[2] for r in rows) // 1024:6} "
          f"{total_ours:7.3f} {total_bare:7.3f} {total_ours / total_bare:6.2f}")
    print(f"printjournal overhead over bare WeasyPrint: {100 * (total_ours / total_bare - 1):+.1f}%"
          " (goal: at most +10%)")


if __name__ == "__main__":
    main()
