"""The website build timed side by side, in one run, on the sample content.

    .venv/bin/python bench/site.py [--repeat N] [--article SLUG] [--baseline REV]

The sample project is copied to a temporary folder; then N rounds, interleaved
so that noise from other work on the (shared) machine falls on every row alike:

- a cold build (``--clean``: no cache, no outputs) with ``--jobs 1`` and with
  ``--jobs 2``, each a fresh ``printjournal build`` process (the order alternates);
- a no-op rebuild, as a process and as a ``printjournal.build_site`` call in this process
  (the process mostly starts Python and imports WeasyPrint, ~0.6 s); and a call
  building into a new folder, every PDF copied from the render cache (each entry's
  SHA-256 checked against the one in its name);
- one article edited, then rebuilt, as a process and as a call, against that
  article's own render: ``printjournal article`` as a process, and a fresh
  ``Pipeline`` rendering it in this process.

Prints every round with the machine's load average and how much a second core helps
right now (two processes spinning against one: 0.50 with two free cores, 1.00 with
one; other engineers share the machine's two cores), then a
table of medians with the spread (min–max) and the ratios the issue sets goals for,
of the medians and of the minima (the rounds least disturbed by other work).
Issues are not in it until issue 3's builder is wired into ``site/plan.ISSUE_BUILDER``;
then the edited article's issue is rebuilt too.

``--baseline REV`` first runs REV's own copy of this bench on REV's sources and sample
content (bench/baseline.py), then this checkout's: both tables in one sitting.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import printjournal as pj
from printjournal.load import content
from printjournal.pipeline import Pipeline
from printjournal.site import plan as siteplan

REPO = Path(__file__).resolve().parent.parent


def cli(root: Path, *args: str) -> float:
    """Wall time of one ``printjournal`` process."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "printjournal", "-C", str(root), *args],
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"printjournal {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return seconds


def spin(_: int = 0) -> int:
    """A fixed amount of pure CPU work (about 0.4 s)."""
    return sum(i * i for i in range(12_000_000))


def free_cores_ratio() -> float:
    """Two processes spinning against one: 0.5 when two cores are free, 1.0 when only
    one is (the best --jobs 2 against --jobs 1 can do on the machine right now)."""
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(spin, [0, 0])                       # start the workers
        one = timed(lambda: pool.map(spin, [0]))
        two = timed(lambda: pool.map(spin, [0, 0]))
    return two / (2 * one)


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--article", default="sleep-and-immunity")
    parser.add_argument("--baseline", metavar="REV", help="a git revision measured first")
    args = parser.parse_args()
    if args.baseline:
        from baseline import own_run

        print(f"baseline {args.baseline}:\n" + own_run(
            args.baseline, "site.py", ["--repeat", str(args.repeat), "--article", args.article])
              + "\nthis checkout:", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        for name in ("content", "layouts", "fonts"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "printjournal.toml", root)
        project = pj.load_project(root)
        dist = root / "dist"
        source = root / "content" / "articles" / f"{args.article}.md"
        edits = iter(range(1, 10_000))

        def edit() -> None:
            with source.open("a", encoding="utf-8") as handle:
                handle.write(f"\nA sentence added for the benchmark, number {next(edits)}.\n")

        def render_alone() -> None:
            article = content.load_article(source, project)
            Pipeline.load(project).article_pdf(article)

        # the article's issue, once issues are wired in: its digital edition is rebuilt too
        issues = [o for o in siteplan.plan(project).outputs if o.listing.kind == "issue"
                  and f"articles/{args.article}.pdf" in o.listing.articles]
        rows: dict[str, list[float]] = {}
        for round_ in range(args.repeat):
            times: dict[str, float] = {"free": free_cores_ratio()}
            for jobs in ("1", "2") if round_ % 2 == 0 else ("2", "1"):
                times[f"cold{jobs}"] = cli(root, "build", "--clean", "--jobs", jobs)
            times["noop"] = cli(root, "build")
            times["noop_call"] = timed(lambda: pj.build_site(project, dist))
            fresh = Path(tmp) / f"fresh{round_}"
            times["fresh_call"] = timed(lambda f=fresh: pj.build_site(project, f))
            edit()
            times["edit"] = cli(root, "build")
            times["article"] = cli(root, "article", str(source), "-o", str(Path(tmp) / "a.pdf"))
            edit()
            started = time.perf_counter()
            summary = pj.build_site(project, dist)
            times["edit_call"] = time.perf_counter() - started
            assert summary.built == 1 + len(issues) and summary.failed == 0, summary
            edit()     # once more: the article alone, and its issue's digital edition
            times["render_call"] = timed(render_alone)
            for issue in issues:
                if issue.listing.edition == "digital":
                    times["issue_call"] = timed(
                        lambda i=issue: i.make(Pipeline.load(project), *i.args))
            print(f"round {round_ + 1}: " + "  ".join(f"{k} {v:.2f}" for k, v in times.items())
                  + f"  (load {os.getloadavg()[0]:.1f})", flush=True)
            for key, value in times.items():
                rows.setdefault(key, []).append(value)
        planned = len(siteplan.plan(project).outputs)

    med = {key: statistics.median(values) for key, values in rows.items()}
    low = {key: min(values) for key, values in rows.items()}

    def spread(key: str) -> str:
        return f"{low[key]:.2f}–{max(rows[key]):.2f}"

    def ratio(key: str, base: str, percent: bool = False) -> str:
        shown = (f"{med[key] / med[base]:.1%}", f"{low[key] / low[base]:.1%}") if percent \
            else (f"{med[key] / med[base]:.2f}", f"{low[key] / low[base]:.2f}")
        return f"{shown[0]} ({shown[1]})"

    table = [
        ("cold build --jobs 1 (process)", "cold1", "", "", ""),
        ("cold build --jobs 2 (process)", "cold2", ratio("cold2", "cold1"), "of --jobs 1",
         "≤ 0.60"),
        ("(2 spinning processes against 1: free cores)", "free", "", "", ""),
        ("no-op rebuild (process)", "noop", ratio("noop", "cold2", True), "of cold -j 2", "≤ 2%"),
        ("no-op rebuild (build_site call)", "noop_call", ratio("noop_call", "cold2", True),
         "of cold -j 2", "≤ 2%"),
        ("into a new folder, all from the cache (call)", "fresh_call",
         ratio("fresh_call", "cold2", True), "of cold -j 2", ""),
        (f"{args.article} edited (process)", "edit", ratio("edit", "article"),
         "× printjournal article", "≤ 1.5"),
        (f"printjournal article {args.article}", "article", "", "", ""),
        (f"{args.article} edited (build_site call)", "edit_call",
         ratio("edit_call", "render_call"), "× its render", "≤ 1.5"),
        (f"{args.article} rendered alone (call)", "render_call", "", "", ""),
    ]
    if "issue_call" in rows:
        rows["render_issue"] = [a + b for a, b in zip(rows["render_call"], rows["issue_call"],
                                                      strict=True)]
        med["render_issue"] = statistics.median(rows["render_issue"])
        low["render_issue"] = min(rows["render_issue"])
        table[-2] = (f"{args.article} edited (build_site call)", "edit_call",
                     ratio("edit_call", "render_issue"), "× render + issue", "≤ 1.5")
        table += [("its issue's digital edition rebuilt (call)", "issue_call", "", "", ""),
                  ("the article's render + the issue's", "render_issue", "", "", "")]
    print(f"\n{planned} outputs, {args.repeat} rounds; seconds; ratios of medians "
          "(of minima)\n")
    print(f"| {'measurement':44} | {'median':>6} | {'min–max':>11} | {'ratio':31} | goal   |")
    print(f"|{'-' * 46}|{'-' * 8}|{'-' * 13}|{'-' * 33}|--------|")
    for label, key, value, what, goal in table:
        shown = f"{value} {what}".strip()
        print(f"| {label:44} | {med[key]:6.2f} | {spread(key):>11} | {shown:31} | {goal:6} |")


if __name__ == "__main__":
    main()
