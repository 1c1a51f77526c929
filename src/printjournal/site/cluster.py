"""Outputs to render in, their outcomes out, through a Dask distributed cluster.

``printjournal build --scheduler ADDRESS`` (or ``[build] scheduler`` in
printjournal.toml) hands the build's renders to the Dask scheduler at ADDRESS
instead of the local worker processes (work.py). Workers need no copy of the
project: the files every output is made from (printjournal.toml, layouts/, fonts/,
the press profile; their digest names them) are sent only to workers that do not
hold them yet, and each worker keeps them unpacked, with one loaded pipeline, across
tasks and builds (holder.py, a Dask WorkerPlugin this module registers). Each task
carries its output's own files (the article and its images; an issue's manifest and
what it names), all named relative to the project folder; a worker renders in its
folder of the shared files, so no absolute path of the submitting machine reaches a
worker or an output. Workers send back the PDF's bytes; this process writes the
render cache and the output folder, so workers need no write access to either.

A worker that dies mid-render (killed, out of memory) loses its task to another
worker: Dask's scheduler runs it again, up to its ``allowed-failures`` setting;
past that the output fails, not the build. distributed is imported only here
(in :func:`run`) and in holder.py.
"""

from __future__ import annotations

import dataclasses
import os
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ClusterError, Problem
from ..model import Project
from ..render import Rendered
from . import work
from .plan import Output
from .shipment import PLUGIN, Shipment, portable
from .work import Outcome, Task

CONNECT_SECONDS = 30     # to reach the scheduler: a cluster starting up may take this long


def parcel(output: Output, root: Path) -> tuple[Output, Shipment]:
    """The output as sent to a worker (its paths relative to the project folder, its
    inputs left out), and its own files."""
    args = tuple(Path(os.path.relpath(a, root)) if isinstance(a, Path) and a.is_absolute()
                 else a for a in output.args)
    return (dataclasses.replace(output, inputs=(), args=args),
            Shipment.of(output.inputs, root))


def run(tasks: list[Task], address: str) -> Iterator[Outcome]:
    """Render ``tasks`` on the cluster whose scheduler is at ``address``, longest first;
    yield each Outcome as it arrives. Raises ClusterError when there is no scheduler
    there, and the OSError of a write into the output folder or the render cache."""
    if not tasks:
        return
    import distributed  # heavy: only a build sent to a cluster needs it

    from .holder import Holder

    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        project, shared = portable(tasks[0].project)
        client.register_plugin(Holder(), name=PLUGIN)   # kept on the workers across builds
        held = client.run(_holds, shared.digest)
        lacking = [worker for worker, holds in held.items() if not holds]
        if lacking:       # only the workers without these files get them
            client.run(_receive, shared, workers=lacking)
        late = _Files(client, shared)
        futures: dict[Any, Task] = {}
        for task in tasks:
            futures[_submit(client, task, project, shared.digest, None)] = task
        running = distributed.as_completed(futures, loop=client.loop)
        for future in running:
            task = futures.pop(future)
            try:
                rendered, seconds = future.result()
            except Exception as exc:   # a worker died with it too often, or a bug
                yield Outcome(task.output.path, "failed", problems=(Problem(
                    task.output.source, 0, f"the cluster could not build "
                    f"{task.output.path}: {type(exc).__name__}: {exc}"),))
                continue
            if rendered is None:       # its worker joined (or restarted) since: the files
                again = _submit(client, task, project, shared.digest, late.future())
                futures[again] = task
                running.add(again)
                continue
            yield rendered if isinstance(rendered, Outcome) else \
                work.store(task, rendered, seconds)


def _submit(client: Any, task: Task, project: Project, digest: str, files: Any) -> Any:
    output, own = parcel(task.output, task.project.root)
    return client.submit(_render, output, project, digest, own, files, pure=False,
                         key=f"printjournal-{task.output.path}-{task.key[:16]}"
                         f"{'-with-files' if files is not None else ''}",
                         priority=int(task.output.cost))


class _Files:
    """The shared files as a task's result, made on first need, for a worker that does
    not hold them yet: not scattered data, so a worker that dies holding them loses
    nothing (the scheduler has the task and runs it again)."""

    def __init__(self, client: Any, shared: Shipment) -> None:
        self.client, self.shared, self.sent = client, shared, None

    def future(self) -> Any:
        if self.sent is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
                self.sent = self.client.submit(
                    _files, self.shared, pure=False,
                    key=f"printjournal-files-{self.shared.digest[:16]}")
        return self.sent


def _files(shipment: Shipment) -> Shipment:
    return shipment


def _holds(digest: str, dask_worker: Any) -> bool:
    return dask_worker.plugins[PLUGIN].holds(digest)


def _receive(shared: Shipment, dask_worker: Any) -> None:
    dask_worker.plugins[PLUGIN].receive(shared)


def _render(output: Output, project: Project, digest: str, own: Shipment,
            shared: Shipment | None) -> tuple[Rendered | Outcome | None, float]:
    """On a worker: the output's PDF (or its failed Outcome), and the seconds it took,
    rendered in the worker's folder of the shared files ``digest`` (unpacked from
    ``shared`` if need be) with its own files added; None when the worker holds no
    such files and ``shared`` is None (send them)."""
    import distributed

    started = time.perf_counter()
    holder = distributed.get_worker().plugins[PLUGIN]
    if shared is not None:
        holder.receive(shared)
    if not holder.holds(digest):
        return None, 0.0
    folder = holder.folder(digest)
    own.unpack(folder)
    args = tuple(folder / a if isinstance(a, Path) else a for a in output.args)
    rendered = holder.run(work.render, dataclasses.replace(output, args=args),
                          lambda: holder.pipeline(digest, project))
    return rendered, time.perf_counter() - started
