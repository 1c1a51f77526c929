"""The leaflet desk under load, this design beside an older one, from loopback.

For each design (this checkout, and ``--baseline REV``, by default the desk before the
worker pool and pikepdf graft, taken from git into a temporary folder with ``git
archive``), starts ``printjournal serve`` (waitress, the real worker processes) on a
free 127.0.0.1 port, makes one leaflet (the cold one: workers starting, the render
cache filling), then sends each of --concurrent request counts at once (each with its
own patient name, as at a busy desk), --rounds times, and prints p50, p95 and max
latency, the errors and the 503 answers side by side. Every request has a timeout; the
servers are stopped at the end.

    .venv/bin/python bench/desk.py [--concurrent 20 40] [--rounds 2] [--baseline REV]
                                   [--no-baseline]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM = [("slug", "sleep-and-immunity"), ("slug", "eating-for-your-heart"),
        ("clinic", "harbourside"), ("paper", "A4")]
BASELINE = "262ad27"   # the desk before issue 11: one ProcessPoolExecutor, pypdf graft
GOALS = {20: 3.0, 40: 6.0}


@dataclass
class Figures:
    cold: float = 0.0
    rounds: dict[int, list[float]] = field(default_factory=dict)
    errors: dict[int, list[str]] = field(default_factory=dict)
    busy: dict[int, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, name: str, token: str | None) -> tuple[float, str | None]:
    fields = [*FORM, ("for_name", name)] + ([("csrf", token)] if token else [])
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, data=urllib.parse.urlencode(fields).encode(),
                                    timeout=120) as response:
            body, result = response.read(), response.url
        if not body.startswith(b"%PDF-") and "/leaflets/" in result:   # the result page
            with urllib.request.urlopen(result + "/leaflet.pdf", timeout=120) as response:
                body = response.read()
        error = None if body.startswith(b"%PDF-") else "not a PDF"
    except urllib.error.HTTPError as exc:
        error = f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        error = str(exc)
    return time.perf_counter() - start, error


def measure(source: Path, project: Path, counts: list[int], rounds: int) -> Figures:
    """Start the desk from ``source``/src on ``project`` and load it."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
         "from printjournal.cli import main; sys.exit(main(sys.argv[2:]))",
         str(source / "src"), "-C", str(project), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    figures = Figures()
    try:
        page = ""
        for _ in range(240):
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        token = found[1] if found else None
        figures.cold, error = post(base + "/leaflet", "Warm Up", token)
        with ThreadPoolExecutor(4) as threads:   # every worker has made one leaflet
            warm = list(threads.map(lambda i: post(base + "/leaflet", f"Warm {i}", token),
                                    range(4)))
        figures.errors[0] = [e for e in [error, *(w[1] for w in warm)] if e]
        for count in counts:
            latencies: list[float] = []
            errors: list[str] = []
            for _ in range(rounds):
                with ThreadPoolExecutor(count) as threads:
                    results = list(threads.map(
                        lambda i: post(base + "/leaflet", f"Patient {i}", token),
                        range(count)))
                latencies += [r[0] for r in results if not r[1]]
                errors += [r[1] for r in results if r[1]]
            figures.rounds[count] = sorted(latencies)
            figures.errors[count] = errors
            figures.busy[count] = errors.count("HTTP 503")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


def percentile(values: list[float], share: float) -> float:
    return values[max(0, round(share * len(values)) - 1)] if values else float("nan")


def project_copy(source: Path, folder: Path) -> Path:
    """The sample project of ``source`` in ``folder``, with an empty render cache."""
    project = folder / "project"
    project.mkdir(parents=True)
    for name in ("content", "layouts", "fonts"):
        shutil.copytree(source / name, project / name)
    shutil.copy(source / "printjournal.toml", project)
    return project


def checkout(rev: str, folder: Path) -> Path:
    """The files of ``rev`` (git archive: no worktree, nothing changed in the repo)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def report(designs: dict[str, Figures], counts: list[int]) -> None:
    names = list(designs)
    print(f"{'':38}" + "".join(f"{name:>24}" for name in names))
    print(f"{'first leaflet (cold: workers, cache)':38}" +
          "".join(f"{designs[n].cold:>22.2f} s" for n in names))
    for count in counts:
        for label, share in (("p50", 0.5), ("p95", 0.95), ("max", 1.0)):
            goal = f" (goal {GOALS[count]:.0f} s)" if label == "p95" and count in GOALS else ""
            row = f"{count} concurrent, {label}{goal}"
            print(f"{row:38}" + "".join(
                f"{percentile(designs[n].rounds[count], share):>22.2f} s" for n in names))
        row = f"{count} concurrent, errors (of them 503)"
        print(f"{row:38}" + "".join(
            f"{len(designs[n].errors[count]):>18} ({designs[n].busy[count]:>2})"
            for n in names))
    for name in names:
        for error in sorted({e for errors in designs[name].errors.values() for e in errors}):
            print(f"  {name}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, nargs="+", default=[20, 40])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    designs: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        sources = {"this checkout": ROOT}
        if not args.no_baseline:
            (base / "old").mkdir()
            sources = {f"baseline {args.baseline}": checkout(args.baseline, base / "old"),
                       **sources}
        for number, (name, source) in enumerate(sources.items()):
            project = project_copy(source, base / f"p{number}")
            print(f"measuring {name} ...", file=sys.stderr)
            designs[name] = measure(source, project, args.concurrent, args.rounds)
    print(f"{args.rounds} rounds of each count; two-article leaflet with a patient name; "
          "warm = after the first")
    report(designs, args.concurrent)


if __name__ == "__main__":
    main()
