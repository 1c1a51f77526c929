"""Outputs to render in, their outcomes out, through a Dask distributed cluster.

``printjournal build --scheduler ADDRESS`` (or ``[build] scheduler`` in
printjournal.toml) hands the build's renders to the Dask scheduler at ADDRESS
instead of the local worker processes (work.py). Each task carries its output
(the maker, the loaded article) and the project's settings; a worker reads the
layouts, fonts and images from the project folder at the same path as the
submitting machine (a shared filesystem, or the same checkout at the same path).
Workers send back the PDF's bytes; this process writes the render cache and
the output folder, so workers need no write access to either, and no path of
a worker ends up in an output.

A worker that dies mid-render (killed, out of memory) loses its task to another
worker: Dask's scheduler runs it again, up to its ``allowed-failures`` setting;
past that the output fails, not the build. distributed is imported only here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from ..errors import ClusterError, Problem
from ..model import Project
from ..render import Rendered
from . import work
from .plan import Output
from .work import Outcome, Task

CONNECT_SECONDS = 30     # to reach the scheduler: a cluster starting up may take this long


def run(tasks: list[Task], address: str) -> Iterator[Outcome]:
    """Render ``tasks`` on the cluster whose scheduler is at ``address``, longest first;
    yield each Outcome as it arrives. Raises ClusterError when there is no scheduler
    there, and the OSError of a write into the output folder or the render cache."""
    if not tasks:
        return
    import distributed  # heavy: only a build sent to a cluster needs it

    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        futures: dict[Any, Task] = {}
        for task in tasks:
            future = client.submit(_render, task.output, task.project, pure=False,
                                   key=f"printjournal-{task.output.path}-{task.key[:16]}",
                                   priority=int(task.output.cost))
            futures[future] = task
        for future in distributed.as_completed(futures, loop=client.loop):
            task = futures[future]
            try:
                rendered, seconds = future.result()
            except Exception as exc:   # a worker died with it too often, or a bug
                yield Outcome(task.output.path, "failed", problems=(Problem(
                    task.output.source, 0, f"the cluster could not build "
                    f"{task.output.path}: {type(exc).__name__}: {exc}"),))
                continue
            yield rendered if isinstance(rendered, Outcome) else \
                work.store(task, rendered, seconds)


def _render(output: Output, project: Project) -> tuple[Rendered | Outcome, float]:
    """On a worker: the output's PDF (or its failed Outcome), and the seconds it took."""
    from ..pipeline import Pipeline

    started = time.perf_counter()
    return work.render(output, lambda: Pipeline.load(project)), time.perf_counter() - started
