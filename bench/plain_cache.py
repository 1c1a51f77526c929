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


def run(args: list[str], project: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of the CLI with ``args`` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "printjournal", *args], cwd=project, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
            ".git", ".venv", "dist", ".printjournal-cache", "printouts", "__pycache__"))
        out = Path(tmp) / "out"
        grades = project / ".printjournal-cache" / "grades"
        print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs}")
        print(f"{'command':10} {'stored wall':>12} {'cpu':>6} {'measured wall':>14} "
              f"{'cpu':>6} {'cpu ratio':>10}")
        for name, command in COMMANDS.items():
            command = [a.format(out=out) for a in command]
            run(command, project)                      # fills the render cache
            stored, measured = [], []
            for _ in range(args.runs):                 # interleaved: the same load for both
                stored.append(run(command, project))
                shutil.rmtree(grades, ignore_errors=True)
                measured.append(run(command, project))
            s_wall, s_cpu = (statistics.median(x) for x in zip(*stored, strict=True))
            m_wall, m_cpu = (statistics.median(x) for x in zip(*measured, strict=True))
            print(f"{name:10} {s_wall:12.2f} {s_cpu:6.2f} {m_wall:14.2f} {m_cpu:6.2f} "
                  f"{s_cpu / m_cpu:10.2f}")
        print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
