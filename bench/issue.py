"""The sample issue: printjournal against one bare WeasyPrint call, side by side.

    .venv/bin/python bench/issue.py [--rounds 3] [--edition digital|print] [--jobs N]
                                    [--baseline REV [REV ...]]

(a) cold    printjournal builds the issue with an empty render cache
(b) bare    the same issue as one HTML document (the same parts, stylesheets and pages),
            rendered by one bare WeasyPrint call, PDF/UA-1 like ours
(c) edit    printjournal rebuilds after one article's text was edited
(d) again   printjournal rebuilds with nothing changed

printjournal uses one worker process per core unless --jobs says otherwise (--jobs 1:
every part rendered in the one process, for the least memory).

Every measurement runs in a process of its own, in a fresh copy of the project (so the
cache starts empty and the repository is never touched). Seconds are the wall time of
the build call alone (imports excluded); cpu is the processor time it used, its worker
processes included: the work done, whatever else the machine is busy with (the goals
are about wall time on two free cores). Peak memory is given two ways:
- rss: the largest resident set of any one process, from getrusage (the process and,
  for printjournal, its worker processes);
- pss: the peak of the summed proportional set size of the whole process tree, sampled
  every 10 ms from /proc (shared pages counted once): what the machine really holds.
Sampling /proc costs a few milliseconds of processor time per process and sample: on
two cores that would slow a build of three processes more than one of one process. So
each round runs a/b/c/d twice: timed without sampling, then again sampled for pss.
Rounds interleave a/b/c/d and alternate which of a and b runs first. Medians are shown,
and for seconds also the best of the rounds: other work on the machine only ever adds
time, so the best round is the closest to the build alone (both are reported).

``--baseline REV [REV ...]``: each REV's sources, sample project and ``--one`` runs (git
archive into a temporary folder, nothing changed in the repository) are measured in the
same rounds, interleaved with this checkout's (the order turns round every round), each
against the bare WeasyPrint render of its own issue; then every table, and one of each
REV against this checkout. The sample content changed since older revisions, so
compare the ratios to bare WeasyPrint (cpu a/b) as well as the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MANIFEST = Path("content/issues/winter-2026.yaml")
EDITED = Path("content/articles/winter-low-mood-sad.md")
GOALS = {"a/b": 0.7, "c/a": 0.3, "d/a": 0.05}


# ---------- one measurement, in its own process ----------

def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one(kind: str, folder: Path, edition: str, html: Path | None,
        jobs: int | None) -> dict[str, float]:
    cpu = _cpu()
    if kind == "b":
        import weasyprint

        text = html.read_text(encoding="utf-8")
        base = (folder / "layouts").as_uri() + "/"
        cpu, start = _cpu(), time.perf_counter()
        weasyprint.HTML(string=text, base_url=base).write_pdf(
            folder / "bare.pdf", pdf_variant="pdf/ua-1")
    else:
        # the names resolved (their modules imported) before the clock starts: printjournal
        # imports each name of its API when first used, and imports are not the build
        from printjournal import Pipeline, RenderCache, build_issue, load_project

        cpu, start = _cpu(), time.perf_counter()
        project = load_project(folder)
        build_issue(Pipeline.load(project), folder / MANIFEST,
                    folder / f"issue-{kind}.pdf", edition=edition,
                    store=RenderCache.for_project(project), workers=jobs)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "cpu": cpu, "rss_mib": max(own, children) / 1024}


# ---------- the whole issue as one HTML document (for b) ----------

def one_document(folder: Path, edition: str) -> str:
    """The issue's parts, in page order, as one HTML document with the same stylesheets."""
    from printjournal import cache, editions
    from printjournal.issue import build as issue
    from printjournal.issue import manifest, plan
    from printjournal.load import config
    from printjournal.pipeline import Pipeline

    project = config.load_project(folder)
    pipeline = Pipeline.load(project)
    loaded = manifest.load_manifest(folder / MANIFEST, project)
    store = cache.RenderCache(Path(tempfile.mkdtemp(prefix="pj-bench-plan-")))
    built = issue.IssueBuild(pipeline, loaded, editions.edition(edition, MANIFEST), store, None)
    sequence = built.parts.sequence(built.predict_digits())
    fillers = [built.parts.filler(kind, "left") for kind in plan.FILLERS]
    parts = built.renderer.render([*sequence, *fillers])
    built.renderer.close()
    order = plan.plan(sequence, {n: p.pages for n, p in parts.items()}, built.parts.filler,
                      built.edition.page_multiple)
    shutil.rmtree(store.folder)
    head = re.search(r"^.*?<body[^>]*>", sequence[3].html, re.S)[0]
    head = head.replace("break-before: right;", "")
    bodies = []
    for spec in order:
        inner = re.search(r"<body[^>]*>(.*)</body>", spec.html, re.S)[1]
        side = "page" if spec is order[0] else spec.side
        lang = re.search(r'<html lang="([^"]+)"', spec.html)[1]
        bodies.append(f'<div lang="{lang}" style="break-before: {side}">{inner}</div>')
    return head + "\n".join(bodies) + "\n</body></html>"


# ---------- running and measuring ----------

def _tree_pss(pid: int) -> int:
    """Summed PSS (KiB) of ``pid`` and its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M)[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, TypeError):
            continue
    return total


@dataclass(frozen=True)
class Version:
    """The code measured: this checkout, or a revision's files (``root``: its src/,
    bench/issue.py and sample project)."""

    name: str
    root: Path

    def env(self) -> dict[str, str]:
        """The environment of its processes: its own sources first."""
        paths = [str(self.root / "src"), os.environ.get("PYTHONPATH", "")]
        return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}

    def document(self, folder: Path, edition: str, html: Path) -> None:
        """Its issue as one HTML document (its own one_document, in a process of its own)."""
        code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
                "import issue; Path(sys.argv[2]).write_text(issue.one_document("
                "Path(sys.argv[3]), sys.argv[4]), encoding='utf-8')")
        subprocess.run([sys.executable, "-c", code, str(self.root / "bench"), str(html),
                        str(folder), edition], env=self.env(), check=True)


def measure(kind: str, folder: Path, edition: str, html: Path | None,
            sampled: bool = False, jobs: int | None = None,
            version: Version = Version("this checkout", REPO)) -> dict[str, float]:
    """One run of ``kind`` by ``version``'s own bench; ``sampled``: its peak pss too (and
    its times are not used)."""
    command = [sys.executable, str(version.root / "bench" / "issue.py"), "--one", kind,
               "--folder", str(folder), "--edition", edition]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    if html is not None:
        command += ["--html", str(html)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=version.env())
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_pss(process.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    if sampled:
        sampler.start()
    out, err = process.communicate()
    if sampled:
        sampler.join()
    if process.returncode:
        raise SystemExit(f"({kind}) failed:\n{err}")
    result = json.loads(out.strip().splitlines()[-1])
    result["pss_mib"] = peak[0] / 1024
    return result


def copy_project(target: Path, source: Path = REPO) -> Path:
    ignore = shutil.ignore_patterns(".venv", ".git", "dist", ".printjournal-cache",
                                    "__pycache__", "*.egg-info", ".pytest_cache")
    shutil.copytree(source, target, ignore=ignore)
    return target


def edit_article(folder: Path) -> None:
    """Change one sentence of one article, as an editor would."""
    path = folder / EDITED
    text = path.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5
    paragraph_end = text.index("\n\n", body)
    path.write_text(text[:paragraph_end] + " Many readers have told us the same."
                    + text[paragraph_end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--edition", choices=("digital", "print"), default="digital")
    parser.add_argument("--jobs", type=int, default=None,
                        help="printjournal's worker processes (default: one per core)")
    parser.add_argument("--baseline", metavar="REV", nargs="+", default=[],
                        help="git revisions measured in the same rounds, side by side")
    parser.add_argument("--one", choices=("a", "b", "c", "d"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--html", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.folder, args.edition, args.html, args.jobs)))
        return

    work = Path(tempfile.mkdtemp(prefix="pj-bench-issue-"))
    try:
        versions = []
        for number, rev in enumerate(args.baseline):
            from desk import checkout  # bench/desk.py: git archive into a folder

            (work / f"baseline-{number}").mkdir()
            versions.append(Version(rev, checkout(rev, work / f"baseline-{number}")))
        versions.append(Version("this checkout", REPO))
        sources, htmls = {}, {}
        for number, version in enumerate(versions):
            sources[version] = copy_project(work / f"source-{number}", version.root)
            htmls[version] = work / f"issue-{number}.html"
            version.document(sources[version], args.edition, htmls[version])
        results = {v: {k: [] for k in "abcd"} for v in versions}
        for round_ in range(args.rounds):
            for number, version in enumerate(versions[::1 if round_ % 2 == 0 else -1]):
                runs = one_round(version, sources[version], htmls[version], args,
                                 work / f"round-{round_}-{number}", round_)
                for kind in "abcd":
                    results[version][kind].append(runs[False][kind]
                                                  | {"pss_mib": runs[True][kind]["pss_mib"]})
                print(f"round {round_ + 1}, {version.name}: " + "  ".join(
                    f"{k} {results[version][k][-1]['seconds']:.2f}s" for k in "abcd")
                    + f"  (load {os.getloadavg()[0]:.2f})", file=sys.stderr)
        for version in versions:
            if len(versions) > 1:
                print(f"\n{version.name}:")
            report(results[version], args)
        for version in versions[:-1]:
            side_by_side(results[version], results[versions[-1]], version.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def one_round(version: Version, source: Path, html: Path, args: argparse.Namespace,
              folder: Path, round_: int) -> dict[bool, dict[str, dict[str, float]]]:
    """a/b/c/d by ``version``, timed (False) and sampled for pss (True), each in a fresh
    copy of its project (``folder`` and a sibling)."""
    first = ("b", "a") if round_ % 2 == 0 else ("a", "b")
    runs: dict[bool, dict[str, dict[str, float]]] = {}
    for sampled in (False, True):
        copy = folder.with_name(f"{folder.name}-{'pss' if sampled else 'time'}")
        shutil.copytree(source, copy)
        shutil.rmtree(copy / ".printjournal-cache", ignore_errors=True)
        run = runs[sampled] = {}
        for kind in first:
            run[kind] = measure(kind, copy, args.edition, html if kind == "b" else None,
                                sampled, args.jobs, version)
        run["d"] = measure("d", copy, args.edition, None, sampled, args.jobs, version)
        edit_article(copy)
        run["c"] = measure("c", copy, args.edition, None, sampled, args.jobs, version)
    return runs


def side_by_side(base: dict[str, list[dict[str, float]]],
                 ours: dict[str, list[dict[str, float]]], name: str) -> None:
    """Medians of the baseline against this checkout, and their ratio."""
    def median(results: dict[str, list[dict[str, float]]], kind: str, field: str) -> float:
        return statistics.median(r[field] for r in results[kind])

    print(f"\n{name} against this checkout (medians; load average "
          f"{os.getloadavg()[0]:.2f}):")
    print(f"{'':36}{'base s':>9}{'ours s':>9}{'ratio':>7}{'base cpu':>10}{'ours cpu':>10}"
          f"{'ratio':>7}")
    names = {"a": "cold build", "b": "bare WeasyPrint, its own issue",
             "c": "one article edited", "d": "nothing changed"}
    for kind in "abcd":
        row = [median(r, kind, f) for f in ("seconds", "cpu") for r in (base, ours)]
        print(f"({kind}) {names[kind]:32}{row[0]:9.2f}{row[1]:9.2f}{row[1] / row[0]:7.2f}"
              f"{row[2]:10.2f}{row[3]:10.2f}{row[3] / row[2]:7.2f}")
    for top in "acd":
        work = [median(r, top, "cpu") / median(r, "b", "cpu") for r in (base, ours)]
        print(f"  cpu {top}/b: {work[0]:.3f} baseline, {work[1]:.3f} this checkout")


def report(results: dict[str, list[dict[str, float]]], args: argparse.Namespace) -> None:
    def median(kind: str, field: str) -> float:
        return statistics.median(r[field] for r in results[kind])

    names = {"a": "cold build (empty cache)", "b": "bare WeasyPrint, one document",
             "c": "rebuild after editing one article", "d": "rebuild, nothing changed"}
    load = os.getloadavg()[0]
    print(f"sample issue, {args.edition} edition, jobs {args.jobs or 'one per core'}, "
          f"{args.rounds} rounds, medians; "
          f"{len(os.sched_getaffinity(0))} cores, load average {load:.2f}")
    def best(kind: str) -> float:
        return min(r["seconds"] for r in results[kind])

    print(f"{'':4}{'':36}{'seconds':>9}{'best s':>8}{'cpu s':>8}{'rss MiB':>10}"
          f"{'pss MiB':>10}")
    for kind in "abcd":
        print(f"({kind}) {names[kind]:36}{median(kind, 'seconds'):9.2f}{best(kind):8.2f}"
              f"{median(kind, 'cpu'):8.2f}"
              f"{median(kind, 'rss_mib'):10.0f}{median(kind, 'pss_mib'):10.0f}")
    print("ratios of seconds, median and best (goal); cpu for the work done:")
    for ratio, goal in GOALS.items():
        top, bottom = ratio.split("/")
        value = median(top, "seconds") / median(bottom, "seconds")
        fastest = best(top) / best(bottom)
        work = median(top, "cpu") / median(bottom, "cpu")
        print(f"  {ratio} = {value:.3f} median, {fastest:.3f} best  (≤ {goal})  median "
              f"{'met' if value <= goal else 'NOT met'}, best "
              f"{'met' if fastest <= goal else 'NOT met'}   [cpu {ratio} = {work:.3f}]")
    for field in ("rss_mib", "pss_mib"):
        a, b = median("a", field), median("b", field)
        print(f"  memory a/b ({field[:3]}) = {a / b:.2f}  (≤ 1)  "
              f"{'met' if a <= b else 'NOT met'}")


if __name__ == "__main__":
    main()
