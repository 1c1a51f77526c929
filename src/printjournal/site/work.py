"""Outputs to render in, their outcomes out: the website build's renders, with the local
worker pool or any other :class:`~printjournal.workers.pool.Executor` (cluster.py's Dask one).

:func:`run` renders the build's tasks (one :class:`Task` per output whose file is
not up to date). Given no executor: up to IN_PROCESS of them in this process, more in
a pool of worker processes (:class:`~printjournal.workers.pool.WorkerPool`) started from a
forkserver with ``printjournal.site.build`` imported, each replaced after
TASKS_PER_WORKER outputs; the workers end with the build that started them and leave
no temporary files. Either way one consumption loop follows: :func:`submit` gives
each task's :class:`Job` (the output and project, nothing to write) with the one job
function :func:`render_job`, longest first; :func:`outcomes` turns each future into
an :class:`Outcome`: built (its PDF's bytes came back and this process stored them,
:func:`store`, with its :class:`~printjournal.site.downloads.Download`) or failed (with its
problems). A worker that dies (:class:`~printjournal.workers.pool.WorkerLostError`, from
the pool or the cluster), or an output past TASK_SECONDS in the pool, fails that
output, not the build, in the same words whichever executor.

Workers write no output file and no render cache entry (only what rendering itself
caches, an issue's parts): this process stores every PDF. A write into the output
folder or the render cache that fails (a full disk, a read-only folder) is raised
here as the OSError it is: the build stops there.
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
from ..errors import PrintjournalError, Problem
from ..files import write_atomic
from ..model import Project
from ..pipeline import Pipeline
from ..render.weasy import Rendered
from ..workers.pool import (
    Executor,
    PoolLimits,
    RenderTimeoutError,
    Start,
    WorkerLostError,
    WorkerPool,
)
from .downloads import Download

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


Done = tuple[Rendered | Outcome, float]     # what a render job gives back: PDF or failure, s


@dataclass(frozen=True)
class Job:
    """One output to render, as a worker gets it: what it is made with, nothing to write."""

    output: Output
    project: Project
    written: tuple[Path, ...] = ()    # folders a failed write into stops the build


@dataclass(frozen=True)
class Task:
    """One output to build: its Job, and where the submitting process stores its PDF."""

    output: Output
    key: str
    project: Project
    dest: Path
    store: cache.RenderCache

    @property
    def written(self) -> tuple[Path, ...]:
        """The folders this build writes into: the render cache's and the output folder."""
        return (*self.store.written, self.dest.parents[self.output.path.count("/")])

    @property
    def job(self) -> Job:
        return Job(self.output, self.project, self.written)


def longest_first(tasks: list[Task]) -> list[Task]:
    """``tasks`` by their output's cost, the longest first (the shortest last)."""
    return sorted(tasks, key=lambda t: -t.output.cost)


def run(tasks: list[Task], jobs: int, pipeline: Callable[[], Pipeline],
        executor: Executor | None = None) -> Iterator[Outcome]:
    """Render ``tasks``, longest first, with ``executor`` (a Dask cluster's: cluster.py)
    or else up to IN_PROCESS of them here and more in ``jobs`` worker processes; yield
    each Outcome as it comes (:func:`outcomes`).

    Starting the workers' forkserver imports WeasyPrint (~0.5 s), about as long as a
    short article takes to render: the shortest is rendered here meanwhile, and with
    ``jobs`` > 1 the workers start on the others as soon as they are up.
    """
    ordered = longest_first(tasks)
    if executor is not None:
        yield from outcomes(submit(executor, ordered), TASK_SECONDS)
        return
    if len(ordered) <= IN_PROCESS:
        for task in reversed(ordered):
            yield _here(task, pipeline())
        return
    here = ordered.pop()
    limits = PoolLimits(workers=min(jobs, len(ordered)), seconds=TASK_SECONDS,
                        queue=len(ordered), max_jobs=TASKS_PER_WORKER)
    how = Start("forkserver", preload=("printjournal.site.build",), eager=False)
    with WorkerPool(limits, dict, how=how) as pool:
        futures = submit(pool, ordered) if jobs > 1 else {}
        yield _here(here, pipeline())
        yield from outcomes(futures or submit(pool, ordered), limits.seconds)


def submit(executor: Executor, tasks: list[Task]) -> dict[Future[Done], Task]:
    """Each task's :func:`render_job` given to ``executor`` (the pool, or cluster.py's
    Dask adapter), in the order of ``tasks``: its future."""
    return {executor.submit(render_job, task.job): task for task in tasks}


def outcomes(futures: dict[Future[Done], Task], seconds: int) -> Iterator[Outcome]:
    """Each task's Outcome as its future finishes, its PDF stored (:func:`store`): the one
    consumption loop of every executor. A task whose worker died
    (:class:`~printjournal.workers.pool.WorkerLostError`) or ran out of time (``seconds``:
    :class:`~printjournal.workers.pool.RenderTimeoutError`) fails alone, as does one whose
    executor failed it otherwise. Raises the OSError of a write into the output folder
    or the render cache."""
    for future in as_completed(futures):
        task = futures[future]
        path = task.output.path
        try:
            rendered, took = future.result()
        except WorkerLostError:
            yield _failed(task, f"the process building {path} stopped (out of memory?)")
        except RenderTimeoutError:
            yield _failed(task, f"building {path} took longer than {seconds} s: stopped")
        except Exception as exc:
            yield _bug(task.output, exc, task.written, 0.0)
        else:
            yield _stored(task, rendered, took)


def _failed(task: Task, message: str) -> Outcome:
    return Outcome(task.output.path, "failed", problems=(
        Problem(task.output.source, 0, message),))


def render_job(pipelines: dict[Project, Pipeline], job: Job) -> Done:
    """In a worker (of the pool, or on a Dask worker through cluster.py): the output's PDF
    (or its failed Outcome) and the seconds it took, rendered with the project's pipeline,
    loaded once per worker and kept in its state (``pipelines``). Writes nothing but what
    rendering caches; raises only the OSError of a write into ``job.written``."""
    started = time.perf_counter()
    project = job.project
    rendered = render(job.output, lambda: pipelines.get(project) or
                      pipelines.setdefault(project, Pipeline.load(project)), job.written)
    return rendered, time.perf_counter() - started


def _here(task: Task, pipeline: Pipeline) -> Outcome:
    """Render one output in this process with the job a worker runs, and store it.
    Raises only OSError on a write into the output folder or the render cache (a full
    disk, a read-only folder): that stops the build; any other failure fails this
    output alone."""
    return _stored(task, *render_job({task.project: pipeline}, task.job))


def _stored(task: Task, rendered: Rendered | Outcome, seconds: float) -> Outcome:
    """A render job's result as the task's Outcome: a failure as it came, a PDF stored."""
    return rendered if isinstance(rendered, Outcome) else store(task, rendered, seconds)


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
        outcome = _bug(output, exc, written, time.perf_counter() - started)
        log.exception("building %s", output.path)
        return outcome


def _bug(output: Output, exc: Exception, written: tuple[Path, ...], seconds: float
         ) -> Outcome:
    """``exc``, which no rule foresaw, as the output's failed Outcome; raised when it is
    the OSError of a write into one of the ``written`` folders (the build stops)."""
    if isinstance(exc, OSError) and files.under(exc, written):
        raise exc
    return Outcome(output.path, "failed", seconds, (Problem(
        output.source, 0, f"could not build {output.path}: {type(exc).__name__}: {exc}"),))


def store(task: Task, rendered: Rendered, seconds: float) -> Outcome:
    """Write a rendered output into the render cache and its file, in the submitting
    process (workers write neither): built. Raises the OSError of a write that fails."""
    output = task.output
    task.store.put(task.key, rendered.data)
    write_atomic(task.dest, rendered.data)
    download = Download(output.path, output.listing, rendered.pages, len(rendered.data),
                        hashlib.sha256(rendered.data).hexdigest())
    return Outcome(output.path, "built", seconds, download=download)
