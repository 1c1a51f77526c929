"""Jobs in, their results (or a named failure) out: the one pool of render worker processes.

Every caller that renders in other processes uses :class:`WorkerPool`: the website
build (site/work.py), an issue's parts (issue/rendering.py) and the leaflet desk
(web.py). One bad job never takes the others down:

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
(:class:`Executor`): a distributed executor can take the pool's place (Dask's
``Client.get_executor()`` is one, given jobs that make their state themselves).

Workers start by ``spawn`` (the desk: nothing inherited), from a ``forkserver`` with the
renderer imported (the website build: cheap to replace, no thread or lock of the parent),
or by ``fork`` (an issue's parts: the build's loaded fonts inherited). The standard
library's ProcessPoolExecutor breaks for good when one worker dies, loky's reusable
executor likewise (TerminatedWorkerError for every pending job), and pebble 5.2's pool
goes into its error state when a worker dies while no task runs: hence this module.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import re
import resource
import select
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Any, Protocol

from .errors import PrintjournalError, RenderError
from .files import alive

PREFIX = "printjournal-worker-"
_OURS = re.compile(rf"^{PREFIX}(\d+)-")


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
    memory: int = 0              # bytes of address space for one worker; 0: no limit
    queue: int = 64              # jobs that may wait for a worker before new ones are refused
    max_jobs: int = 200          # jobs a worker runs before it is replaced
    retry_after: int = 5         # what a refused request is told


@dataclass(frozen=True)
class Start:
    """How the workers start: ``method`` spawn, forkserver (with ``preload`` imported
    there) or fork; ``eager``: all at once when the pool is made (the desk), else each
    when a job first needs it (off the caller's thread, with :meth:`WorkerPool.submit`)."""

    method: str = "spawn"
    preload: tuple[str, ...] = ()
    eager: bool = True


class Executor(Protocol):
    """What a batch needs: the local pool, or a distributed cluster's executor."""

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]: ...


# ---------- in a worker process ----------

def _worker_main(conn: Connection, start: Callable[..., Any], start_args: tuple[Any, ...],
                 memory: int, parent: int, folder: str) -> None:
    """One worker process: make the state, then run jobs until the pipe closes."""
    end_with_parent(parent)
    own = Path(folder) / str(os.getpid())
    own.mkdir(exist_ok=True)
    tempfile.tempdir = str(own)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent's Ctrl-C is the parent's
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    timed_out = threading.Event()

    def alarm(signum: int, frame: object) -> None:
        timed_out.set()
        raise RenderTimeoutError
    signal.signal(signal.SIGALRM, alarm)
    state = start(*start_args)
    with contextlib.suppress(OSError):    # the pool may have closed while it started
        conn.send(("ready", None))        # (then the recv below ends it quietly)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:            # the pool is done with this worker
            return
        seconds, job, args = message
        timed_out.clear()
        signal.alarm(seconds)
        try:
            outcome = ("ok", job(state, *args))
        except BaseException as exc:   # any failure is sent back, raised in the parent
            outcome = ("error", exc)
        finally:
            signal.alarm(0)
        if timed_out.is_set():         # whatever the job made of the alarm: out of time
            outcome = ("error", RenderTimeoutError(f"stopped after {seconds} s"))
        try:
            conn.send(outcome)
        except (TypeError, AttributeError, ValueError) as exc:   # an unpicklable result
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def end_with_parent(parent: int) -> None:
    """End this process (SIGKILL) as soon as the process ``parent``, which made its pool,
    dies; at once if it is gone already.

    Workers from a forkserver are its children, not the pool's, and every worker holds
    the forkserver open: so the kernel's parent-death signal alone would never come. A
    thread waits on a pidfd of ``parent`` instead; where there are no pidfds (not Linux),
    the pool's own shutdown it is.
    """
    try:
        watched = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        return
    # the thread blocks every signal (it inherits the mask): a signal for the process,
    # like the SIGALRM time limit, must interrupt the main thread, not this one
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        threading.Thread(target=_end_with, args=(watched,), daemon=True,
                         name="end-with-parent").start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _end_with(watched: int) -> None:
    select.select([watched], [], [])     # readable when the process has ended
    os.kill(os.getpid(), signal.SIGKILL)


# ---------- in the process that made the pool ----------

# The forkserver listens on a socket at TMPDIR/pymp-XXXXXXXX/listener-XXXXXXXX; a socket's
# path holds 103 bytes at most (104 on macOS, 108 on Linux, with the closing NUL).
_SOCKET_PATH_MAX = 103
_SOCKET_NAME = len("/pymp-XXXXXXXX/listener-XXXXXXXX")


def _context(how: Start) -> multiprocessing.context.BaseContext:
    """The start method asked for; a forkserver with ``how.preload`` imported, or (where
    there is none, on Windows, or where the temporary folder is too deep for its socket)
    spawn: slower, not stopped by 'AF_UNIX path too long'."""
    if how.method != "forkserver":
        return multiprocessing.get_context(how.method)
    too_deep = len(os.fsencode(tempfile.gettempdir())) + _SOCKET_NAME > _SOCKET_PATH_MAX
    if "forkserver" not in multiprocessing.get_all_start_methods() or too_deep:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(how.preload))   # and all they import
    return context

#: seconds an idle worker has to exit by itself when its pipe closes (it only returns)
IDLE_EXIT = 2.0
#: seconds a new worker may take to be ready (import, load the project), when a job's own
#: limit is shorter: a busy machine starts processes slowly (a queued job waits that longer)
STARTUP = 60


class _NotStartedError(Exception):
    """The worker was gone before a job reached it (killed while idle): the job never ran,
    so it may be given to a fresh worker."""


class _Worker:
    """One worker process and the pool's end of its pipe."""

    def __init__(self, pool: WorkerPool) -> None:
        context = pool.context
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, daemon=True, name="printjournal-worker",
            args=(child, pool.start, pool.start_args, pool.limits.memory, os.getpid(),
                  pool.temp))
        forked = context.get_start_method() == "fork"
        if forked:
            gc.freeze()    # the parent's objects frozen: the child's collector does not
        try:               # copy every page it inherited
            self.process.start()
        finally:
            if forked:
                gc.unfreeze()
        child.close()
        self.folder = Path(pool.temp) / str(self.process.pid)
        self.jobs = 0
        self.ready = False

    def alive(self) -> bool:
        return self.process.is_alive()

    def call(self, seconds: int, job: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        """Run ``job`` here: its result, or its exception raised."""
        if not self.ready:   # the first job waits for the worker to load what it needs
            self._receive(max(seconds, STARTUP))
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
                raise RenderTimeoutError(f"stopped after {seconds} s")
            return self.conn.recv()
        except (EOFError, OSError, ConnectionError):
            raise WorkerLostError("the worker process stopped (killed, or out of "
                                  "memory?)") from None

    def stop(self, wait: float = 0) -> None:
        """End the worker: an idle one reads the pool's stop message (or the end of its
        pipe) and exits by itself within ``wait`` seconds; one that does not is killed. Its
        temporary files go with it.

        The message, not only the pipe's end: a forked worker inherits the pool's ends of
        the pipes of the workers forked before it (and, started from two threads at once,
        after it), so a closed pipe's end reaches a worker only once every one of them has
        exited, and each waited ``wait`` seconds for the others (4 s of every issue build
        with two workers)."""
        if wait:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
        with contextlib.suppress(OSError):
            self.conn.close()
        if wait:
            self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        shutil.rmtree(self.folder, ignore_errors=True)


class WorkerPool:
    """``limits.workers`` processes, each running ``start(*start_args)`` once, then jobs."""

    def __init__(self, limits: PoolLimits, start: Callable[..., Any],
                 start_args: tuple[Any, ...] = (), how: Start = Start()) -> None:
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
        for _ in range(limits.workers):
            self._idle.put(self._new() if how.eager else None)

    def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """``job(state, *args)`` in a worker: its result, or its exception raised here."""
        worker = self._take()
        try:
            if worker is None or not worker.alive():   # not started, or died while idle
                worker = self._replace(worker, fresh=True)
            try:
                return worker.call(self.limits.seconds, job, args)
            except _NotStartedError:        # died just before the job reached it: nothing ran
                worker = self._replace(worker, fresh=True)
                return worker.call(self.limits.seconds, job, args)
        except (WorkerLostError, RenderTimeoutError):
            worker = self._replace(worker)
            raise
        finally:
            if worker is not None and worker.jobs >= self.limits.max_jobs:
                worker = self._replace(worker, wait=IDLE_EXIT)
            self._idle.put(worker)
            self._leave()

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        """``job(state, *args)`` in a worker when one is free: its future."""
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(self.limits.workers,
                                                   thread_name_prefix="printjournal-pool")
        return self._threads.submit(self.run, job, *args)

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


def remove_stale_folders() -> None:
    """Remove the pools' temporary folders whose process is gone (killed)."""
    with contextlib.suppress(OSError):
        for path in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
            match = _OURS.match(path.name)
            if match and not alive(int(match[1])):
                shutil.rmtree(path, ignore_errors=True)
