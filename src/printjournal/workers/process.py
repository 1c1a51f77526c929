"""A worker process of the pool, and the pool's handle on it: start, send a job, receive
its result, stop (or kill) it and remove its temporary files.

In: how to start (:class:`Start`), the function that makes a worker's state, a memory
limit and the pool's temporary folder. Out: :class:`_Worker`, whose :meth:`_Worker.call`
gives a job's result or raises its exception, :class:`RenderTimeoutError` (past its time)
or :class:`WorkerLostError` (the process died or was killed). The queueing, replacing and
cancelling of workers is :class:`printjournal.workers.pool.WorkerPool`'s (pool.py).
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
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from ..errors import PrintjournalError, RenderError
from ..files import alive

PREFIX = "printjournal-worker-"
_OURS = re.compile(rf"^{PREFIX}(\d+)-")


class RenderTimeoutError(RenderError):
    """A job ran past its time limit and was stopped."""


class WorkerLostError(RenderError):
    """The worker running a job died (killed, out of memory): the job is lost, not the pool."""


class JobCancelledError(PrintjournalError):
    """The job was cancelled (:meth:`WorkerPool.cancel`) while it ran: its worker was
    killed and replaced; the job has no result."""


@dataclass(frozen=True)
class Start:
    """How the workers start: ``method`` spawn, forkserver (with ``preload`` imported
    there) or fork; ``eager``: all at once when the pool is made (the desk), else each
    when a job first needs it (off the caller's thread, with :meth:`WorkerPool.submit`)."""

    method: str = "spawn"
    preload: tuple[str, ...] = ()
    eager: bool = True


# ---------- in a worker process ----------

def _worker_main(conn: Connection, start: Callable[..., Any], start_args: tuple[Any, ...],
                 memory: int, parent: int, folder: str) -> None:
    """One worker process: make the state, then run jobs until the pipe closes."""
    end_with_parent(parent)
    own = Path(folder) / str(os.getpid())
    try:
        own.mkdir(exist_ok=True)
    except FileNotFoundError:          # the pool closed (its folder removed) as this worker
        return                         # started: nothing to run, nothing to say on stderr
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
        try:                           # the job reached this worker: from now on it may run
            conn.send(("started", None))
        except OSError:                # the pool let go of it meanwhile (closed, or gave
            return                     # up on this worker): nothing to run it for
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
            with contextlib.suppress(OSError):
                conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        except OSError:                # the pool closed while the job ran: no one to tell
            return


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


class _Limits(Protocol):
    memory: int                  # bytes of address space for one worker; 0: no limit


class PoolSide(Protocol):
    """What a worker is started from: its pool's (workers.WorkerPool) multiprocessing
    context, the function that makes a worker's state and its arguments, the limits and
    the pool's temporary folder. Declared here, so this module need not import the pool."""

    context: Any
    start: Callable[..., Any]
    start_args: tuple[Any, ...]
    limits: _Limits
    temp: str


class _Worker:
    """One worker process and the pool's end of its pipe."""

    def __init__(self, pool: PoolSide) -> None:
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
            self._receive(seconds + 10)     # "started": without it, the job never ran
        except (OSError, ConnectionError, EOFError, WorkerLostError):
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

    def kill(self) -> None:
        """Kill the process now (a job cancelled): the thread waiting in :meth:`call`
        gets :class:`WorkerLostError`; :meth:`stop` still removes its files."""
        self.process.kill()

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



def remove_stale_folders() -> None:
    """Remove the pools' temporary folders whose process is gone (killed)."""
    with contextlib.suppress(OSError):
        for path in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
            match = _OURS.match(path.name)
            if match and not alive(int(match[1])):
                shutil.rmtree(path, ignore_errors=True)
