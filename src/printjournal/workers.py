"""A worker process's start in, a worker that leaves nothing behind out.

Every pool of render workers (the website build's, an issue's, the leaflet desk's)
calls :func:`start_worker` in its initializer:

- the worker ends with the process that started its pool: a thread waits on a
  pidfd of that process and kills the worker when it dies, so a killed build's
  workers stop at once instead of rendering into the output folder for seconds
  more (Linux; elsewhere nothing changes);
- its temporary files go into a folder of its own: WeasyPrint's font configuration
  makes a ``weasyprint-*`` folder of font files (~4 MB) and removes it only when
  the configuration is collected, which a worker's exit skips. Given ``folder``
  (a :class:`TempFolder` of the parent, which removes it when the pool is done) the
  worker uses that; else it makes ``printjournal-worker-<pid>-*`` and removes it
  when it exits normally; one left by a killed worker is removed by the next
  :func:`remove_stale_folders`.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import tempfile
import threading
from multiprocessing import util
from pathlib import Path

from .files import alive

PREFIX = "printjournal-worker-"
_OURS = re.compile(rf"^{PREFIX}(\d+)-")


def start_worker(parent: int, folder: str | None = None) -> None:
    """Make this worker end with its parent (pid ``parent``) and keep its temporary
    files in ``folder``, or in a folder of its own."""
    end_with_parent(parent)
    if folder is None:
        remove_stale_folders()
        folder = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")
        util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
    tempfile.tempdir = folder


def end_with_parent(parent: int) -> None:
    """End this process (SIGKILL) as soon as the process ``parent``, which started its
    pool, dies; at once if it is gone already.

    The website build's workers are children of multiprocessing's forkserver, not of
    the build, and every worker holds the forkserver open: so the kernel's parent-death
    signal alone would never come. A thread waits on a pidfd of ``parent`` instead;
    where there are no pidfds (not Linux), the pool's own shutdown it is.
    """
    try:
        watched = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        return
    # the thread blocks every signal (it inherits the mask): a signal for the process,
    # like the desk's SIGALRM time limit, must interrupt the main thread, not this one
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        threading.Thread(target=_end_with, args=(watched,), daemon=True,
                         name="end-with-parent").start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _end_with(watched: int) -> None:
    select.select([watched], [], [])     # readable when the process has ended
    os.kill(os.getpid(), signal.SIGKILL)


class TempFolder:
    """A temporary folder for a pool's workers, removed with everything in it on exit."""

    def __init__(self) -> None:
        self.path = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")

    def __enter__(self) -> TempFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def remove_stale_folders() -> None:
    """Remove the workers' temporary folders whose process is gone (killed)."""
    with contextlib.suppress(OSError):
        for path in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
            match = _OURS.match(path.name)
            if match and not alive(int(match[1])):
                shutil.rmtree(path, ignore_errors=True)
