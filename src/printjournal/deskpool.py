"""Render jobs from the desk's request threads in; their results (or a plain failure) out.

A small process pool made for a web server, where one bad job must never take the others
down:

- each worker is a process of its own with its own pipe, so a worker that dies (the
  kernel's OOM killer, ``kill``, a crash in a C library) fails only the job it was running
  (:class:`WorkerLostError`); it is replaced, and every other job goes on. A worker that
  died while idle is replaced before it is given a job;
- each job is bounded in time (SIGALRM in the worker, and the worker is killed and replaced
  if it does not answer shortly after) and in memory (RLIMIT_AS in the worker);
- the queue is bounded: when every worker is busy and ``queue`` jobs already wait, a new
  job is refused at once (:class:`PoolBusyError`, the desk answers 503 with Retry-After)
  rather than waiting for minutes;
- a worker is replaced after ``max_jobs`` jobs, so memory stays bounded.

The standard library's ProcessPoolExecutor breaks for good when one worker dies, and
pebble 5.2's pool goes into its error state when a worker dies while no task runs (its
PoolManager.find_expired_task); hence this module.

A job is a picklable function ``job(state, *args)``: ``state`` is what ``start(*start_args)``
made once in that worker process (the desk's pipeline and render cache), never a global.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from queue import Empty, SimpleQueue
from typing import Any

from .errors import PrintjournalError, RenderError

_CONTEXT = multiprocessing.get_context("spawn")


class RenderTimeoutError(RenderError):
    """A job ran past its time limit and was stopped."""


class WorkerLostError(RenderError):
    """The worker running a job died (killed, out of memory): the job is lost, not the pool."""


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
    memory: int                  # bytes of address space for one worker; 0: no limit
    queue: int = 64              # jobs that may wait for a worker before new ones are refused
    max_jobs: int = 200          # jobs a worker runs before it is replaced
    retry_after: int = 5         # what a refused request is told


def _alarm(signum: int, frame: object) -> None:
    raise RenderTimeoutError


def _worker_main(conn: Connection, start: Callable[..., Any], start_args: tuple[Any, ...],
                 memory: int) -> None:
    """One worker process: make the state, then run jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the server's Ctrl-C is the server's
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.signal(signal.SIGALRM, _alarm)
    state = start(*start_args)
    conn.send(("ready", None))
    while True:
        try:
            seconds, job, args = conn.recv()
        except (EOFError, OSError):
            return
        signal.alarm(seconds)
        try:
            outcome = ("ok", job(state, *args))
        except BaseException as exc:   # any failure is sent back, raised in the server
            outcome = ("error", exc)
        finally:
            signal.alarm(0)
        try:
            conn.send(outcome)
        except (TypeError, AttributeError, ValueError) as exc:   # an unpicklable result
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


#: seconds an idle worker has to exit by itself when its pipe closes (it only returns)
IDLE_EXIT = 2.0


class _NotStartedError(Exception):
    """The worker was gone before a job reached it (killed while idle): the job never ran,
    so it may be given to a fresh worker."""


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, pool: WorkerPool) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(
            target=_worker_main, daemon=True, name="printjournal-desk-worker",
            args=(child, pool.start, pool.start_args, pool.limits.memory))
        self.process.start()
        child.close()
        self.jobs = 0
        self.ready = False

    def alive(self) -> bool:
        return self.process.is_alive()

    def call(self, seconds: int, job: Callable[..., Any], args: tuple[Any, ...],
             startup: int) -> Any:
        """Run ``job`` here: its result, or its exception raised."""
        if not self.ready:   # the first job waits for the worker to load the project
            self._receive(startup)
            self.ready = True
        try:
            self.conn.send((seconds, job, args))
        except (OSError, ConnectionError, EOFError):
            raise _NotStartedError from None
        self.jobs += 1
        status, value = self._receive(seconds + 10)
        if status == "error":
            raise value
        return value

    def _receive(self, seconds: int) -> tuple[str, Any]:
        try:
            if not self.conn.poll(seconds):
                self.stop()
                raise RenderTimeoutError
            return self.conn.recv()
        except (EOFError, OSError, ConnectionError):
            raise WorkerLostError from None

    def stop(self, wait: float = 0) -> None:
        """End the worker: an idle one reads the end of its pipe and exits by itself within
        ``wait`` seconds, removing its temporary folder; one that does not is killed."""
        with contextlib.suppress(OSError):
            self.conn.close()
        if wait:
            self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class WorkerPool:
    """``limits.workers`` processes, each running ``start(*start_args)`` once, then jobs."""

    def __init__(self, limits: PoolLimits, start: Callable[..., Any],
                 start_args: tuple[Any, ...] = ()) -> None:
        self.limits, self.start, self.start_args = limits, start, start_args
        self._idle: SimpleQueue[_Worker] = SimpleQueue()
        self._lock = threading.Lock()
        self._inside = 0                   # jobs running or waiting for a worker
        self._workers: list[_Worker] = []
        for _ in range(limits.workers):
            worker = _Worker(self)
            self._workers.append(worker)
            self._put(worker)

    def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """``job(state, *args)`` in a worker: its result, or its exception raised here."""
        worker = self._take()
        try:
            if not worker.alive():          # died while idle: replace it first
                worker = self._replace(worker)
            try:
                return worker.call(self.limits.seconds, job, args, startup=self.limits.seconds)
            except _NotStartedError:             # died just before the job reached it: nothing ran
                worker = self._replace(worker)
                return worker.call(self.limits.seconds, job, args, startup=self.limits.seconds)
        except (WorkerLostError, RenderTimeoutError):
            worker = self._replace(worker)
            raise
        finally:
            if worker.jobs >= self.limits.max_jobs:
                worker = self._replace(worker, wait=IDLE_EXIT)
            self._put(worker)
            self._leave()

    def load(self) -> int:
        """How many jobs are running or waiting for a worker now."""
        with self._lock:
            return self._inside

    def pids(self) -> list[int]:
        """The worker processes' ids (for tests that kill one)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid]

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop(wait=IDLE_EXIT)

    def _take(self) -> _Worker:
        with self._lock:
            if self._inside >= self.limits.workers + self.limits.queue:
                raise PoolBusyError(self.limits.retry_after)   # all busy, the queue full
            self._inside += 1
        try:
            return self._idle.get(timeout=self.limits.seconds * 2)
        except Empty:
            self._leave()
            raise PoolBusyError(self.limits.retry_after) from None

    def _leave(self) -> None:
        with self._lock:
            self._inside -= 1

    def _put(self, worker: _Worker) -> None:
        self._idle.put(worker)

    def _replace(self, worker: _Worker, wait: float = 0) -> _Worker:
        worker.stop(wait)
        fresh = _Worker(self)
        with self._lock:
            self._workers = [w for w in self._workers if w is not worker] + [fresh]
        return fresh
