"""The website build through local Dask workers against the local worker pool.

    .venv/bin/python bench/cluster.py [--copies N] [--workers 1 2 4] [--dask-profiler]

The sample articles (no issue) are copied N times (default 20: 200 outputs) under new
slugs into a temporary project. For each worker count W: a cold build (render cache and
outputs dropped) with the local pool (``jobs=W``) and through a Dask scheduler with W
single-threaded worker processes on 127.0.0.1 (started here, stopped after), alternating
which runs first; then a no-op rebuild and a one-edit rebuild (one article changed)
through each. Prints the times, the cluster's cold time as a ratio of the pool's, and
the distributed overhead per output as a share of the pool's render time per output
(the issue's goals: at most 5 %, and a no-op rebuild of 200 outputs within 2 s). The
cluster's times include shipping the project's files (fonts: ~26 MB) to each worker.

Read it knowing what each side counts: the pool's time includes starting its worker
processes (a forkserver, WeasyPrint imported), a build's normal cost; the Dask workers
are started and have imported printjournal before the clock starts, as a standing
cluster would have. A negative overhead is that difference, not a faster renderer.

The workers are started as the README's "On a cluster" says, with Dask's own profiler
off (DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False: it samples each task's stack every
10 ms, about a fifth of a render's CPU with WeasyPrint's deep stacks); --dask-profiler
leaves it on, as a worker started without that setting runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from printjournal.load import config
from printjournal.site import build as site

REPO = Path(__file__).resolve().parent.parent


def project_copy(root: Path, copies: int) -> Path:
    """The sample project's layouts, fonts and articles, each article ``copies`` times."""
    for name in ("layouts", "fonts", "content/images", "content/clinics"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "printjournal.toml", root)
    shutil.copy(REPO / "content/plain-words.toml", root / "content")
    articles = root / "content/articles"
    articles.mkdir(parents=True)
    for source in sorted((REPO / "content/articles").glob("*.md")):
        text = re.sub(r"(?m)^(slug|translation_of|source_version):.*\n", "", source.read_text())
        for copy in range(copies):
            (articles / f"{source.stem}-c{copy}.md").write_text(text)
    return root


@contextmanager
def cluster(workers: int, profiler: bool = False) -> Iterator[str]:
    """A scheduler and ``workers`` worker processes on 127.0.0.1 (Dask's profiler on the
    workers on only if ``profiler``); its address."""
    import distributed

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = Path(sys.executable).parent / "dask"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-dashboard"], **quiet)]
    try:
        processes.append(subprocess.Popen(
            [dask, "worker", address, "--nworkers", str(workers), "--nthreads", "1",
             "--host", "127.0.0.1", "--no-dashboard", "--memory-limit", "0"], **quiet,
            env={**os.environ, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": str(profiler)}))
        with distributed.Client(address, timeout=120, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=180)
            client.run(_warm)    # each worker imports WeasyPrint before the clock starts
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait()


def _warm() -> None:
    import printjournal.site.build  # noqa: F401


def timed_build(root: Path, **options: object) -> tuple[float, int]:
    started = time.perf_counter()
    summary = site.build_site(config.load_project(root), root / "dist", **options)
    return time.perf_counter() - started, summary.built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--dask-profiler", action="store_true",
                        help="leave Dask's profiler on in the workers")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)     # the sample copies' link warnings
    with tempfile.TemporaryDirectory() as temp:
        root = project_copy(Path(temp) / "project", args.copies)
        print(f"load {os.getloadavg()[0]:.1f} at the start")
        print(f"{'workers':>7} {'outputs':>7} {'pool s':>7} {'dask s':>7} {'ratio':>6} "
              f"{'overhead/output':>16} {'no-op pool/dask s':>18} {'one edit pool/dask s':>21}")
        edited = next((root / "content/articles").glob("*.md"))
        for workers in args.workers:
            with cluster(workers, args.dask_profiler) as address:
                runs = [("pool", {"jobs": workers}), ("dask", {"scheduler": address})]
                if workers % 2:
                    runs.reverse()
                times, noop, edit = {}, {}, {}
                for name, options in runs:
                    times[name], built = timed_build(root, clean=True, **options)
                    noop[name], rebuilt = timed_build(root, **options)
                    assert rebuilt == 0
                    edited.write_text(edited.read_text() + f"\nOne more line, {name}.\n")
                    edit[name], rebuilt = timed_build(root, **options)
                    assert rebuilt == 1
            per_output = times["pool"] * workers / built          # render time of one
            overhead = (times["dask"] - times["pool"]) * workers / built
            print(f"{workers:>7} {built:>7} {times['pool']:>7.1f} {times['dask']:>7.1f} "
                  f"{times['dask'] / times['pool']:>6.2f} "
                  f"{overhead / per_output:>15.1%} "
                  f"{noop['pool']:>9.2f}/{noop['dask']:<8.2f} "
                  f"{edit['pool']:>10.2f}/{edit['dask']:<10.2f}", flush=True)
        print(f"load {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
