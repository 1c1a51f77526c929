"""Jobs in, their results (or a named failure) out: the one pool of render worker processes.

Every caller that renders in other processes uses :class:`WorkerPool`: the website
build (site/work.py), an issue's parts (issue/rendering.py) and the leaflet desk
(desk/web.py). One bad job never takes the others down:

- each worker is a process of its own with its own pipe, so a worker that dies (the
  kernel's OOM killer, ``kill``, a crash in a C library) fails only the job it was running
  (:class:`WorkerLostError`); it is replaced, and every other job goes on. A worker that
  died while idle is replaced before it is given a job;
- each job is bounded in time (SIGALRM in the worker, and the worker is killed and replaced
  if it does not answer shortly after: :class:`RenderTimeoutError`) and, when asked, in
  memory (RLIMIT_AS in the worker);
- the queue is bounded: when every worker is busy and ``queue`` jobs already wait, a new
  job is refused at once (:class:`PoolBusyError`, the desk answers 503 with Retry-After);
- a worker is replaced after ``max_jobs`` jobs, so memory stays bounded;
- a job given with :meth:`WorkerPool.submit` can be cancelled (:meth:`WorkerPool.cancel`,
  the live preview when a newer save comes): a waiting one is dropped, a running one's
  worker is killed and replaced, and its future fails with :class:`JobCancelledError`;
- a worker ends with the process that made the pool (a thread waits on a pidfd of it), so
  a killed build's workers stop at once instead of rendering on for seconds (Linux);
- its temporary files (WeasyPrint's ``weasyprint-*`` font folders among them, ~4 MB each,
  which a worker's exit never removes) go into a folder of the pool's own,
  ``printjournal-worker-<pid>-*``, removed when the pool closes; one left by a killed
  process is removed by the next :func:`remove_stale_folders`.

A job is a picklable function ``job(state, *args)``: ``state`` is what ``start(*start_args)``
made once in that worker process (the desk's pipeline, an issue's renderer), never a global.
:meth:`WorkerPool.run` runs one job and waits (a request thread of the desk);
:meth:`WorkerPool.submit` returns a :class:`concurrent.futures.Future` (a batch: the
website build, an issue's parts). A batch needs only ``submit(job, *args) -> Future``
(:class:`Executor`): a distributed executor takes the pool's place by running the same
``job(state, *args)`` with a state of its own. The website build does so: site/work.py
submits its one job function and consumes the futures alike for this pool and for
site/cluster.py's Dask adapter, which keeps each worker's state (the loaded pipelines)
in a plugin and fails a job whose output took down Dask's allowed number of workers
with :class:`WorkerLostError`, as the pool fails one whose worker died.
:class:`RenderTimeoutError` and :class:`PoolBusyError` are the pool's alone.

Workers start by ``spawn`` (the desk: nothing inherited), from a ``forkserver`` with the
renderer imported (the website build: cheap to replace, no thread or lock of the parent),
or by ``fork`` (an issue's parts: the build's loaded fonts inherited). The standard
library's ProcessPoolExecutor breaks for good when one worker dies, loky's reusable
executor likewise (TerminatedWorkerError for every pending job), and pebble 5.2's pool
goes into its error state when a worker dies while no task runs (and none of them can
cancel a running job): hence this module. The worker processes themselves (starting,
the pipe, the time and memory limits, stopping) are process.py's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from queue import Empty, SimpleQueue
from typing import Any, Protocol

from ..errors import PrintjournalError
from .process import (
    IDLE_EXIT,
    PREFIX,
    STARTUP,
    JobCancelledError,
    RenderTimeoutError,
    Start,
    WorkerLostError,
    _context,
    _NotStartedError,
    _Worker,
    remove_stale_folders,
)

__all__ = ["Executor", "JobCancelledError", "PoolBusyError", "PoolLimits",
           "RenderTimeoutError", "Start", "WorkerLostError", "WorkerPool",
           "remove_stale_folders"]


class PoolBusyError(PrintjournalError):
    """Every worker is busy and the queue is full: try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"busy: try again in {retry_after} s")
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[type, tuple[int]]:   # pickled whole, not by its message
        return type(self), (self.retry_after,)


@dataclass(frozen=True)
class PoolLimits:
    """How many workers, how long a queue, and the bounds of one job."""

    workers: int
    seconds: int                 # one job's time limit
    memory: int = 0              # bytes of address space for one worker; 0: no limit
    queue: int = 64              # jobs that may wait for a worker before new ones are refused
    max_jobs: int = 200          # jobs a worker runs before it is replaced
    retry_after: int = 5         # what a refused request is told


class Executor(Protocol):
    """What a batch needs: the local pool, or a distributed cluster's executor
    (site/cluster.py's ``Cluster``). ``submit(job, *args)`` runs ``job(state, *args)``
    where the executor keeps ``state``; the future gives its result, or fails with the
    job's exception or :class:`WorkerLostError` (the process running it died)."""

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]: ...


class _Ticket:
    """A submitted job's link to the worker running it, for :meth:`WorkerPool.cancel`
    (``lock``: the pool's, which guards every ticket)."""

    def __init__(self, lock: threading.Lock) -> None:
        self.lock = lock
        self.cancelled = False             # cancel asked
        self.killed = False                # its worker was killed for it
        self.worker: _Worker | None = None

    def stop(self) -> None:
        """Cancel: kill the worker running the job, if one is (with the lock held)."""
        self.cancelled = True
        if self.worker is not None:
            self.killed = True
            self.worker.kill()

    def call(self, worker: _Worker, seconds: int, job: Callable[..., Any],
             args: tuple[Any, ...]) -> Any:
        """The job in ``worker``, known to :meth:`stop` while it runs."""
        with self.lock:
            if self.cancelled:
                raise JobCancelledError("cancelled before it began")
            self.worker = worker
        try:
            result = worker.call(seconds, job, args)
        except Exception:
            if not self._let_go():
                raise
        else:
            if not self._let_go():
                return result
        raise JobCancelledError("cancelled while it ran")

    def _let_go(self) -> bool:
        """The job's worker is no longer stop's to kill: was it killed meanwhile?"""
        with self.lock:
            self.worker = None
            return self.killed


class WorkerPool:
    """``limits.workers`` processes, each running ``start(*start_args)`` once, then jobs."""

    def __init__(self, limits: PoolLimits, start: Callable[..., Any],
                 start_args: tuple[Any, ...] = (), how: Start | None = None) -> None:
        how = how or Start()
        self.limits, self.start, self.start_args, self.how = limits, start, start_args, how
        self.context = _context(how)
        remove_stale_folders()
        self.temp = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")
        self._closed = False
        self._idle: SimpleQueue[_Worker | None] = SimpleQueue()   # None: not started yet
        self._lock = threading.Lock()
        self._inside = 0                   # jobs running or waiting for a worker
        self._workers: list[_Worker] = []
        self._threads: ThreadPoolExecutor | None = None
        self._tickets: dict[Future[Any], _Ticket] = {}   # submitted jobs not yet done
        for _ in range(limits.workers):
            self._idle.put(self._new() if how.eager else None)

    def run(self, job: Callable[..., Any], *args: Any, seconds: int = 0) -> Any:
        """``job(state, *args)`` in a worker: its result, or its exception raised here;
        ``seconds``: its time limit, if not the pool's (the desk's background work)."""
        return self._run(None, job, args, seconds)

    def submit(self, job: Callable[..., Any], *args: Any, seconds: int = 0) -> Future[Any]:
        """``job(state, *args)`` in a worker when one is free: its future (which
        :meth:`cancel` can stop); ``seconds`` as for :meth:`run`."""
        ticket = _Ticket(self._lock)
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(self.limits.workers,
                                                   thread_name_prefix="printjournal-pool")
            future = self._threads.submit(self._run, ticket, job, args, seconds)
            self._tickets[future] = ticket
        future.add_done_callback(self._forget)
        return future

    def cancel(self, future: Future[Any]) -> bool:
        """Stop a job given with :meth:`submit`. One still waiting is dropped (its future
        cancelled); a running one's worker is killed at once (a render cannot be
        interrupted any other way) and replaced, its temporary files removed, and its
        future fails with :class:`JobCancelledError`. Other jobs go on. False when the
        job had finished already (or is not this pool's)."""
        if future.cancel():
            return True
        with self._lock:
            ticket = self._tickets.get(future)
            if ticket is None or future.done():
                return False
            ticket.stop()
        return True

    def load(self) -> int:
        """How many jobs are running or waiting for a worker now."""
        with self._lock:
            return self._inside

    def pids(self) -> list[int]:
        """The worker processes' ids (for tests that kill one)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid]

    def close(self) -> None:
        """Stop every worker (jobs not begun are dropped) and remove their files."""
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            workers, self._workers, self._closed = self._workers, [], True
        for worker in workers:
            worker.stop(wait=IDLE_EXIT)
        shutil.rmtree(self.temp, ignore_errors=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, ticket: _Ticket | None, job: Callable[..., Any],
             args: tuple[Any, ...], seconds: int = 0) -> Any:
        worker = self._take()
        try:
            if worker is None or not worker.alive():   # not started, or died while idle
                worker = self._replace(worker, fresh=True)
            try:
                return self._call(ticket, worker, job, args, seconds)
            except _NotStartedError:        # died just before the job reached it: nothing ran
                worker = self._replace(worker, fresh=True)
                return self._call(ticket, worker, job, args, seconds)
        except (WorkerLostError, RenderTimeoutError):
            worker = self._replace(worker)
            raise
        except JobCancelledError:
            if ticket is not None and ticket.killed:
                worker = self._replace(worker)
            raise
        finally:
            if worker is not None and worker.jobs >= self.limits.max_jobs:
                worker = self._replace(worker, wait=IDLE_EXIT)
            self._idle.put(worker)
            self._leave()

    def _call(self, ticket: _Ticket | None, worker: _Worker | None,
              job: Callable[..., Any], args: tuple[Any, ...], seconds: int) -> Any:
        assert worker is not None             # made fresh by _run
        if ticket is None:
            return worker.call(seconds or self.limits.seconds, job, args)
        return ticket.call(worker, seconds or self.limits.seconds, job, args)

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._tickets.pop(future, None)

    def _new(self) -> _Worker:
        if not self._closed:
            worker = _Worker(self)
            with self._lock:
                if not self._closed:       # not closed while it started
                    self._workers.append(worker)
                    return worker
            worker.stop()
        raise WorkerLostError("the pool was closed")

    def _take(self) -> _Worker | None:
        with self._lock:
            if self._inside >= self.limits.workers + self.limits.queue:
                raise PoolBusyError(self.limits.retry_after)   # all busy, the queue full
            self._inside += 1
        try:
            return self._idle.get(timeout=self.limits.seconds * 2 + STARTUP)
        except Empty:
            self._leave()
            raise PoolBusyError(self.limits.retry_after) from None

    def _leave(self) -> None:
        with self._lock:
            self._inside -= 1

    def _replace(self, worker: _Worker | None, wait: float = 0,
                 fresh: bool = False) -> _Worker | None:
        """Stop ``worker``; a new one in its place now if ``fresh`` or the pool is eager,
        else when a job next needs it (None)."""
        if worker is not None:
            worker.stop(wait)
            with self._lock:
                self._workers = [w for w in self._workers if w is not worker]
        return self._new() if (fresh or self.how.eager) and not self._closed else None
