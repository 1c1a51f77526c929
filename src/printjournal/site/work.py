"""Outputs to render in, their outcomes out: the website build's worker processes.

:func:`run` renders the build's tasks (one :class:`Task` per output whose file is
not up to date): up to IN_PROCESS of them in this process, more in a pool of worker
processes (:class:`~printjournal.workers.WorkerPool`) started from a forkserver with
``printjournal.site.build`` imported, each replaced after TASKS_PER_WORKER outputs.
Each task yields one :class:`Outcome`: built (with its
:class:`~printjournal.downloads.Download`) or failed (with its problems); a worker
that dies, or an output past TASK_SECONDS, fails that output, not the build. The
workers end with the build that started them and leave no temporary files.

A write into the output folder or the render cache that fails (a full disk, a
read-only folder) is raised here as the OSError it is: the build stops there.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import cache, files
from ..downloads import Download
from ..errors import PrintjournalError, Problem
from ..files import write_atomic
from ..model import Project
from ..pipeline import Pipeline
from ..render import Rendered
from ..workers import Executor, PoolLimits, RenderTimeoutError, Start, WorkerLostError, WorkerPool

if TYPE_CHECKING:
    from .plan import Output

log = logging.getLogger(__name__)

TASKS_PER_WORKER = 16    # a worker is replaced after this many outputs (its memory levels
                         # off at ~130 MiB after about ten article renders)
IN_PROCESS = 2           # this few outputs to build are rendered without worker processes
TASK_SECONDS = 900       # one output's time limit in a worker (an issue edition on a slow,
                         # busy machine takes a few minutes at most)


@dataclass(frozen=True)
class Outcome:
    """What became of one output."""

    path: str
    status: str                       # "built", "reused" or "failed"
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()
    download: Download | None = None




@dataclass(frozen=True)
class Task:
    """One output to render, as sent to a worker process."""

    output: Output
    key: str
    project: Project
    dest: Path
    store: cache.RenderCache


def run(tasks: list[Task], jobs: int, pipeline: Callable[[], Pipeline]) -> Iterator[Outcome]:
    """Render ``tasks``: up to IN_PROCESS of them here, more in worker processes.

    Starting the workers' forkserver imports WeasyPrint (~0.5 s), about as long as a
    short article takes to render: the shortest is rendered here meanwhile, and with
    ``jobs`` > 1 the workers start on the others as soon as they are up.
    """
    ordered = sorted(tasks, key=lambda t: -t.output.cost)
    if len(ordered) <= IN_PROCESS:
        for task in reversed(ordered):
            yield _work(task, pipeline())
        return
    here = ordered.pop()
    limits = PoolLimits(workers=min(jobs, len(ordered)), seconds=TASK_SECONDS,
                        queue=len(ordered), max_jobs=TASKS_PER_WORKER)
    how = Start("forkserver", preload=("printjournal.site.build",), eager=False)
    with WorkerPool(limits, dict, how=how) as pool:
        futures = _submit(pool, ordered) if jobs > 1 else {}
        yield _work(here, pipeline())
        yield from outcomes(futures or _submit(pool, ordered), limits.seconds)


def _submit(pool: Executor, tasks: list[Task]) -> dict[Future[Outcome], Task]:
    return {pool.submit(_in_worker, task): task for task in tasks}


def outcomes(futures: dict[Future[Outcome], Task], seconds: int) -> Iterator[Outcome]:
    """Each task's Outcome as it finishes; a task whose worker died or ran out of time
    (``seconds``) fails alone. Raises the OSError of a write into the output folder."""
    for future in as_completed(futures):
        task = futures[future]
        path = task.output.path
        try:
            yield future.result()
        except WorkerLostError:
            yield _failed(task, f"the process building {path} stopped (out of memory?)")
        except RenderTimeoutError:
            yield _failed(task, f"building {path} took longer than {seconds} s: stopped")


def _failed(task: Task, message: str) -> Outcome:
    return Outcome(task.output.path, "failed", problems=(
        Problem(task.output.source, 0, message),))


def _in_worker(pipelines: dict[Project, Pipeline], task: Task) -> Outcome:
    """In a worker process: render one output with the project's pipeline, loaded once
    per worker and kept in its state (``pipelines``)."""
    project = task.project
    return _work(task, lambda: pipelines.get(project) or
                 pipelines.setdefault(project, Pipeline.load(project)))


def _work(task: Task, pipeline: Pipeline | Callable[[], Pipeline]) -> Outcome:
    """Render one output into its file (and the render cache). Raises only OSError on
    a write into the output folder or the render cache (a full disk, a read-only
    folder): that stops the build; any other failure fails this output alone."""
    started = time.perf_counter()
    rendered = render(task.output, pipeline,
                      (*task.store.written, task.dest.parents[task.output.path.count("/")]))
    if isinstance(rendered, Outcome):
        return rendered
    return store(task, rendered, time.perf_counter() - started)


def render(output: Output, pipeline: Pipeline | Callable[[], Pipeline],
           written: tuple[Path, ...] = ()) -> Rendered | Outcome:
    """The output's PDF, or its failed Outcome (a PrintjournalError, or a bug). Raises
    the OSError of a write into one of the ``written`` folders. ``pipeline`` may be a
    function that loads it (its errors fail the output too)."""
    started = time.perf_counter()
    try:
        if not isinstance(pipeline, Pipeline):
            pipeline = pipeline()
        return output.make(pipeline, *output.args)
    except PrintjournalError as exc:
        return Outcome(output.path, "failed", time.perf_counter() - started, exc.problems)
    except Exception as exc:  # a bug: fail this output, build the others
        if isinstance(exc, OSError) and files.under(exc, written):
            raise
        log.exception("building %s", output.path)
        return Outcome(output.path, "failed", time.perf_counter() - started, (Problem(
            output.source, 0, f"could not build {output.path}: {type(exc).__name__}: {exc}"),))


def store(task: Task, rendered: Rendered, seconds: float) -> Outcome:
    """Write a rendered output into the render cache and its file: built. Raises the
    OSError of a write that fails."""
    output = task.output
    task.store.put(task.key, rendered.data)
    write_atomic(task.dest, rendered.data)
    download = Download(output.path, output.listing, rendered.pages, len(rendered.data),
                        hashlib.sha256(rendered.data).hexdigest())
    return Outcome(output.path, "built", seconds, download=download)
