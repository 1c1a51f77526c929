"""On a Dask worker: the project's shared files unpacked and its pipeline loaded, kept
across tasks and across builds.

A build sent to a cluster (cluster.py) registers a :class:`Holder` under ``shipment.PLUGIN``
on the cluster; Dask runs one in every worker, also in a worker that joins or is
restarted later. It goes in with the files every output is made from (a
``shipment.Shipment``: printjournal.toml, layouts/, fonts/, the press profile), named by
their digest, and gives out, per digest, the folder they are unpacked in and the state
of the render jobs run there (cluster.py runs work.render_job, as a pool worker does):
the :class:`~printjournal.pipeline.Pipeline` loaded once for a project placed in that
folder. A changed layout or font is a new digest: a folder and a pipeline of its own.
A worker keeps the last KEEP digests; older ones are dropped (their folder removed).
Registering it again (every build does) keeps what each worker holds (``idempotent``).

The shipment's files are written into the worker's own folder (Dask's
``--local-directory``), removed when the worker stops.

Renders run in one thread of the holder's own (:meth:`Holder.run`), not in Dask's task
thread, which only waits for them. Dask's statistical profiler samples the stack of
every running task thread every 10 ms (``distributed.worker.profile``, on by default)
and files it twice: on WeasyPrint's deep layout stacks that cost the worker process
1.95 CPU-s per output against 1.62 s with the profiler off and 1.44 s in a pool worker
(issue 16, the sample ×2 on two workers, CPU time under load ~10). The task thread's
stack, waiting, is a dozen frames; the holder's thread is not one Dask samples. That
saves the walk (1.99 → 1.92 CPU-s per output, same conditions), not the wake-ups every
10 ms: a worker started with the profiler off (README, "On a cluster") saves both.
"""

from __future__ import annotations

import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from distributed import WorkerPlugin

from ..model import Project
from ..pipeline import Pipeline
from .shipment import PLUGIN, Shipment

KEEP = 4                 # digests a worker keeps (folder and pipeline), the latest used

T = TypeVar("T")


class Holder(WorkerPlugin):
    """One per worker: shared files by digest, unpacked, and their loaded pipelines."""

    idempotent = True     # registered again by every build: the worker keeps its state

    def __init__(self) -> None:
        self.root: Path | None = None
        self.folders: OrderedDict[str, Path] = OrderedDict()
        self.pipelines: dict[str, dict[Project, Pipeline]] = {}   # by digest
        self.lock = threading.Lock()
        self.renders: ThreadPoolExecutor | None = None   # made on first use, on the worker

    def __getstate__(self) -> dict[str, Any]:
        return {}         # sent to the workers empty (a lock does not pickle)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()

    def setup(self, worker: Any) -> None:
        self.root = Path(worker.local_directory) / PLUGIN

    def teardown(self, worker: Any) -> None:
        if self.renders is not None:
            self.renders.shutdown(wait=False, cancel_futures=True)

    def run(self, job: Callable[..., T], *args: Any) -> T:
        """``job(*args)`` in the holder's render thread (one per worker, kept across
        tasks), this thread waiting: its result, or its exception raised here."""
        with self.lock:
            if self.renders is None:
                self.renders = ThreadPoolExecutor(1, thread_name_prefix="printjournal-render")
            renders = self.renders
        return renders.submit(job, *args).result()

    def holds(self, digest: str) -> bool:
        """Whether this worker has the shared files of ``digest`` unpacked."""
        with self.lock:
            return digest in self.folders

    def receive(self, shared: Shipment) -> None:
        """Unpack ``shared`` (kept: the latest KEEP digests)."""
        assert self.root is not None, "the plugin was not set up on a worker"
        with self.lock:
            if shared.digest in self.folders:
                return
            folder = self.root / shared.digest[:24]
            shared.unpack(folder)
            self.folders[shared.digest] = folder
            while len(self.folders) > KEEP:
                old, gone = self.folders.popitem(last=False)
                self.pipelines.pop(old, None)
                shutil.rmtree(gone, ignore_errors=True)

    def pipelines_of(self, digest: str) -> dict[Project, Pipeline]:
        """The render jobs' state for the shared files of ``digest`` (held): the
        pipelines loaded for projects placed in their folder, by project (a job loads one
        on first use, in the render thread), as a pool worker's state is."""
        with self.lock:
            self.folders.move_to_end(digest)
            return self.pipelines.setdefault(digest, {})

    def folder(self, digest: str) -> Path:
        """The folder the shared files of ``digest`` are unpacked in (held)."""
        with self.lock:
            return self.folders[digest]
