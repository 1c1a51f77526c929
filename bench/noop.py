"""A no-op website build timed on the sample content ×N (issue 16: 200 outputs ≤ 2 s).

    PYTHONPATH=src .venv/bin/python bench/noop.py [--copies 16] [--repeat 5]

The sample's articles are copied ``copies`` times (bench/cluster.py's project); instead
of rendering them, each planned output is written as a stand-in PDF of 90 KiB (about a
sample article's size, so checking the outputs' bytes costs what it would) and recorded
as the build records it. One build then writes the pages (and, with issue 16's code,
the no-op digest); each round after it is ``printjournal build`` as a fresh process,
timed whole and as the summary says, with the load average. Run it with another
``PYTHONPATH`` (an older checkout's src/) to time that code's no-op alike.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cluster import project_copy
from printjournal import cache
from printjournal.errors import Notices
from printjournal.files import write_atomic
from printjournal.load import config
from printjournal.site import record as records
from printjournal.site.downloads import Download
from printjournal.site.plan import plan

STAND_IN = b"%PDF-1.7\n" + b"%" + b"x" * (90 * 1024) + b"\n%%EOF\n"


def fake_build(root: Path) -> int:
    """Every planned output written as a stand-in and recorded: the number of outputs."""
    project = config.load_project(root)
    out = (root / "dist").resolve()
    store = cache.RenderCache.for_project(project)
    the_plan = plan(project, None, Notices())
    fingerprint = cache.project_fingerprint(project)
    kept = {}
    for output in the_plan.outputs:
        write_atomic(out / output.path, STAND_IN)
        kept[output.path] = records.Recorded(
            output.key(project, fingerprint), output.source,
            Download(output.path, output.listing, 1, len(STAND_IN), records.digest(STAND_IN)))
    records.Record(kept, []).save(store.folder / "site" / f"{records.digest(str(out))[:16]}.json")
    return len(kept)


def timed(root: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "printjournal", "build"], cwd=root,
                          capture_output=True, text=True, env={**os.environ, "CI": "true"})
    whole = time.perf_counter() - started
    return whole, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = project_copy(Path(temp) / "project", args.copies)
        print(f"{fake_build(root)} outputs; first build: {timed(root)[1]}")
        wholes, says = [], []
        for _ in range(args.repeat):
            whole, line = timed(root)
            said = float(re.search(r" in ([\d.]+) s", line)[1])
            wholes.append(whole)
            says.append(said)
            print(f"process {whole:5.2f} s, build says {said:4.1f} s, "
                  f"load {os.getloadavg()[0]:.2f}: {line}")
        print(f"median: process {statistics.median(wholes):.2f} s, "
              f"build {statistics.median(says):.1f} s")


if __name__ == "__main__":
    main()
