"""Outputs to render in, their outcomes out: the website build's worker processes.

:func:`run` renders the build's tasks (one :class:`Task` per output whose file is
not up to date): up to IN_PROCESS of them in this process, more in a pool of worker
processes started from a forkserver with ``printjournal.site.build`` imported, each
replaced after TASKS_PER_WORKER outputs. Each task yields one :class:`Outcome`:
built (with its :class:`~printjournal.downloads.Download`) or failed (with its
problems); a worker that dies fails the output it was rendering, not the build.
The workers end with the build that started them and keep their temporary files
in a folder the build removes (:mod:`printjournal.workers`).

A write into the output folder or the render cache that fails (a full disk, a
read-only folder) is raised here as the OSError it is: the build stops there.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.pool
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import cache, files, workers
from ..downloads import Download
from ..errors import PrintjournalError, Problem
from ..files import write_atomic
from ..model import Project
from ..pipeline import Pipeline
from ..render import Rendered

if TYPE_CHECKING:
    from .plan import Output

log = logging.getLogger(__name__)

TASKS_PER_WORKER = 16    # a worker is replaced after this many outputs (its memory levels
                         # off at ~130 MiB after about ten article renders)
IN_PROCESS = 2           # this few outputs to build are rendered without worker processes
_POLL = 0.2              # seconds between checks on the workers while waiting
_LOST_AFTER = 10         # polls a task's worker may be gone before the task counts as lost


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
    with _Workers(ordered, jobs, start_now=jobs > 1) as pool:
        yield _work(here, pipeline())
        yield from pool.outcomes()


# The forkserver listens on a socket at TMPDIR/pymp-XXXXXXXX/listener-XXXXXXXX; a socket's
# path holds 103 bytes at most (104 on macOS, 108 on Linux, with the closing NUL).
_SOCKET_PATH_MAX = 103
_SOCKET_NAME = len("/pymp-XXXXXXXX/listener-XXXXXXXX")


def _context() -> multiprocessing.context.BaseContext:
    """Worker processes start from a forkserver with printjournal imported (where there
    is none, on Windows, or where the temporary folder is too deep for its socket, each
    starts afresh: the build is slower, not stopped by 'AF_UNIX path too long')."""
    too_deep = len(os.fsencode(tempfile.gettempdir())) + _SOCKET_NAME > _SOCKET_PATH_MAX
    if "forkserver" not in multiprocessing.get_all_start_methods() or too_deep:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["printjournal.site.build"])   # and all it imports
    return context


class _Workers:
    """``jobs`` worker processes rendering ``tasks``, each replaced after
    TASKS_PER_WORKER outputs; started at once in a thread of their own when
    ``start_now`` (this process forks nothing: the forkserver does), else when
    their outcomes are asked for.

    multiprocessing.Pool rather than ProcessPoolExecutor: the latter's
    max_tasks_per_child deadlocks on Python 3.11 (CPython gh-115634). Workers
    start from a forkserver that has printjournal imported: cheap to replace,
    and they inherit no thread or lock of this process. A worker that dies
    (killed, out of memory) fails the output it was rendering, not the build.
    """

    def __init__(self, tasks: list[Task], jobs: int, start_now: bool) -> None:
        self.tasks = tasks
        self.jobs = jobs
        self.context = _context()
        self.events = self.context.SimpleQueue()   # workers say which output they start
        self.pool: multiprocessing.pool.Pool | None = None
        self.results: multiprocessing.pool.IMapIterator | None = None
        self.error: BaseException | None = None
        self.temp = workers.TempFolder()            # the workers' temporary files
        if self.context.get_start_method() == "forkserver":
            multiprocessing.forkserver.ensure_running()    # returns at once; it starts
        self.starter = threading.Thread(target=self._start, daemon=True)
        if start_now:
            self.starter.start()

    def _start(self) -> None:
        try:
            self.pool = self.context.Pool(
                min(self.jobs, len(self.tasks)), initializer=_worker_start,
                initargs=(self.events, os.getpid(), self.temp.path),
                maxtasksperchild=TASKS_PER_WORKER)
            self.results = self.pool.imap_unordered(_work, self.tasks)
        except BaseException as exc:  # raised again in outcomes()
            self.error = exc

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.starter.is_alive():
            self.starter.join()
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
        self.temp.__exit__()

    def outcomes(self) -> Iterator[Outcome]:
        if self.starter.ident is None:      # not started in the background: now
            self._start()
        else:
            self.starter.join()
        if self.error is not None:
            raise self.error
        assert self.results is not None
        pending = {t.output.path: t for t in self.tasks}
        started: dict[str, int] = {}
        gone: dict[str, int] = {}
        while pending:
            try:
                outcome = self.results.next(timeout=_POLL)
            except multiprocessing.TimeoutError:
                while not self.events.empty():
                    path, pid = self.events.get()
                    started[path] = pid
                for path, pid in started.items():
                    if path in pending and not files.alive(pid):
                        gone[path] = gone.get(path, 0) + 1
                        if gone[path] == _LOST_AFTER:
                            task = pending.pop(path)
                            yield Outcome(path, "failed", problems=(Problem(
                                task.output.source, 0,
                                f"the process building {path} stopped (out of memory?)"),))
                continue
            if pending.pop(outcome.path, None) is not None:
                yield outcome


_events: Any = None                          # in a worker: where it says what it starts
_pipelines: dict[Project, Pipeline] = {}     # in a worker: loaded once per project


def _worker_start(events: Any, parent: int, temp: str) -> None:
    global _events
    _events = events
    workers.start_worker(parent, temp)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle


def _work(task: Task, pipeline: Pipeline | None = None) -> Outcome:
    """Render one output into its file (and the render cache). Raises only OSError on
    a write into the output folder or the render cache (a full disk, a read-only
    folder): that stops the build; any other failure fails this output alone."""
    started = time.perf_counter()
    if _events is not None:
        _events.put((task.output.path, os.getpid()))
    rendered = render(task.output, task.project, pipeline,
                      (*task.store.written, task.dest.parents[task.output.path.count("/")]))
    if isinstance(rendered, Outcome):
        return rendered
    return store(task, rendered, time.perf_counter() - started)


def render(output: Output, project: Project, pipeline: Pipeline | None = None,
           written: tuple[Path, ...] = ()) -> Rendered | Outcome:
    """The output's PDF, or its failed Outcome (a PrintjournalError, or a bug). Raises
    the OSError of a write into one of the ``written`` folders."""
    started = time.perf_counter()
    try:
        if pipeline is None:
            pipeline = _pipelines.get(project) or \
                _pipelines.setdefault(project, Pipeline.load(project))
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
