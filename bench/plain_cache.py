"""What the plain-language checks cost a cached command, with and without stored grades.

    .venv/bin/python bench/plain_cache.py [--runs N]

Every command here renders nothing (its PDFs are in the render cache: one run first fills
it); what is left is start-up, loading and the checks. In one run, side by side (noisy
shared machine: compare the ratios), each command as staff run it, in a new process:

- grades stored: the reading grades come from .printjournal-cache/grades/ (textstat and
  nltk are never imported);
- grades measured: that folder emptied before each run, as every run was before the
  grade store (textstat imported, every article measured).

Printed: median wall seconds and CPU seconds (user + system of the process), and the
ratio stored / measured; the load average beside them.

``--baseline SRC`` adds a third column: the same cached command run with the printjournal
package in SRC (a checkout of an older commit's src/, say the one before article and
build judged plain language), to show what the checks cost a cached command.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "leaflet": ["leaflet", "walking-for-health", "--allow-overdue", "-o", "{out}/l.pdf"],
    "article": ["article", "content/articles/sleep-and-immunity.md", "-o", "{out}/a.pdf"],
    "build": ["build", "-o", "{out}/dist"],
}


def run(args: list[str], project: Path, src: str | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of the CLI with ``args`` in a new process (printjournal from
    ``src`` when given)."""
    env = {**os.environ, "PYTHONPATH": src} if src else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "printjournal", *args], cwd=project, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each (median)")
    parser.add_argument("--baseline", metavar="SRC", help="an older printjournal's src/")
    parser.add_argument("commands", nargs="*", default=list(COMMANDS), help="of: "
                        + ", ".join(COMMANDS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
            ".git", ".venv", "dist", ".printjournal-cache", "printouts", "__pycache__"))
        out = Path(tmp) / "out"
        grades = project / ".printjournal-cache" / "grades"
        print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs}")
        print(f"{'command':10} {'stored wall':>12} {'cpu':>6} {'measured wall':>14} "
              f"{'cpu':>6} {'cpu ratio':>10}" + (f" {'baseline wall':>14} {'cpu':>6} "
                                                 f"{'stored/base':>12}" if args.baseline
                                                 else ""))
        for name in args.commands:
            command = [a.format(out=out) for a in COMMANDS[name]]
            run(command, project)                      # fills the render cache
            if args.baseline:
                run(command, project, args.baseline)   # and the baseline's entries
            stored, measured, base = [], [], []
            for _ in range(args.runs):                 # interleaved: the same load for all
                stored.append(run(command, project))
                shutil.rmtree(grades, ignore_errors=True)
                measured.append(run(command, project))
                if args.baseline:
                    base.append(run(command, project, args.baseline))
            s_wall, s_cpu = (statistics.median(x) for x in zip(*stored, strict=True))
            m_wall, m_cpu = (statistics.median(x) for x in zip(*measured, strict=True))
            line = (f"{name:10} {s_wall:12.2f} {s_cpu:6.2f} {m_wall:14.2f} {m_cpu:6.2f} "
                    f"{s_cpu / m_cpu:10.2f}")
            if base:
                b_wall, b_cpu = (statistics.median(x) for x in zip(*base, strict=True))
                line += f" {b_wall:14.2f} {b_cpu:6.2f} {s_cpu / b_cpu:12.2f}"
            print(line, flush=True)
        print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
