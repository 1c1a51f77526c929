"""Jobs in, futures out, through a Dask distributed cluster: the website build's
:class:`~printjournal.workers.pool.Executor` in the local pool's place.

``printjournal build --scheduler ADDRESS`` (or ``[build] scheduler`` in
printjournal.toml) hands the build's renders to the Dask scheduler at ADDRESS
instead of the local worker processes: build.py connects (:meth:`Cluster.connect`)
and gives the :class:`Cluster` to :func:`work.run <.work.run>` in the local pool's
place. The same consumption loop then runs as for the pool: the same job function
(:func:`work.render_job <.work.render_job>`), submitted longest first, each future
turned into an Outcome, each PDF stored by the submitting process, each failure in
the same plain words. Workers send back the PDF's bytes and write neither the render
cache nor the output folder: they need no write access to either.

:class:`Cluster` absorbs what the cluster needs and the pool does not. Workers need
no copy of the project: the files every output is made from (printjournal.toml,
layouts/, fonts/, the press profile; their digest names them) are sent only to
workers that do not hold them yet, and each worker keeps them unpacked, with one
loaded pipeline, across tasks and builds (holder.py, a Dask WorkerPlugin registered
here). Each task carries its output's own files (the article and its images; an
issue's manifest and what it names), all named relative to the project folder; a
worker renders in its folder of the shared files (in the holder's render thread), so
no absolute path of the submitting machine reaches a worker or an output. A worker
that joined (or was restarted) since answers that it lacks the shared files: the
task is sent again with them.

A worker that dies mid-render (killed, out of memory) loses its task to another
worker: Dask's scheduler runs it again, up to its ``allowed-failures`` setting; past
that (``KilledWorker``) the future fails with
:class:`~printjournal.workers.pool.WorkerLostError`, as a pool worker's death does: the
output fails, not the build. distributed is imported only here (when a scheduler is
given) and in holder.py.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import ClusterError
from ..model import Project
from ..workers.pool import WorkerLostError
from .shipment import PLUGIN, Shipment, placed, portable
from .work import Done, Job

CONNECT_SECONDS = 30     # to reach the scheduler: a cluster starting up may take this long


def parcel(job: Job, project: Project, root: Path) -> tuple[Job, Shipment]:
    """The job as sent to a worker, and its output's own files: the output's paths
    relative to the project folder ``root``, its inputs left out, the portable
    ``project`` (shipment.portable) in place of the job's, and no folder of this
    machine to write into."""
    output = job.output
    args = tuple(Path(os.path.relpath(a, root)) if isinstance(a, Path) and a.is_absolute()
                 else a for a in output.args)
    return (Job(dataclasses.replace(output, inputs=(), args=args), project),
            Shipment.of(output.inputs, root))


class Cluster:
    """A Dask client as an :class:`~printjournal.workers.pool.Executor` of one project's
    render jobs: ``submit(job, Job)`` runs ``job(pipelines, job)`` on a worker, whose
    ``pipelines`` (its state, as a pool worker's) the holder keeps per shared files."""

    def __init__(self, client: Any, project: Project) -> None:
        """Register the holder and send the shared files of ``project`` to the workers
        that lack them."""
        self.client, self.root = client, project.root
        self.project, shared = portable(project)
        self.digest = shared.digest
        client.register_plugin(_holder(), name=PLUGIN)   # kept on the workers across builds
        held = client.run(_holds, shared.digest)
        lacking = [worker for worker, holds in held.items() if not holds]
        if lacking:       # only the workers without these files get them
            client.run(_receive, shared, workers=lacking)
        self.late = _Files(client, shared)

    @classmethod
    @contextmanager
    def connect(cls, address: str, project: Project) -> Iterator[Cluster]:
        """The cluster whose scheduler is at ``address``, ready for ``project``'s jobs;
        disconnected afterwards. Raises ClusterError when no scheduler answers within
        CONNECT_SECONDS."""
        import distributed  # heavy: only a build sent to a cluster needs it

        try:
            client = distributed.Client(address, timeout=CONNECT_SECONDS,
                                        set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}"
                               ) from None
        with client:
            yield cls(client, project)

    def submit(self, job: Callable[..., Done], *args: Any) -> Future[Done]:
        """``job(pipelines, sent)`` on a worker, ``sent`` the one argument (a
        :class:`~printjournal.site.work.Job`) made portable: its future, which fails
        with WorkerLostError when the output took down Dask's allowed number of
        workers, with what Dask raised on any other failure."""
        [given] = args
        sent, own = parcel(given, self.project, self.root)
        future: Future[Done] = Future()
        self._send(future, job, sent, own, None)
        return future

    def _send(self, future: Future[Done], job: Callable[..., Done], sent: Job,
              own: Shipment, files: Any) -> None:
        remote = self.client.submit(
            _on_worker, job, sent, self.digest, own, files, pure=False,
            key=f"printjournal-{sent.output.path}-{uuid.uuid4().hex[:16]}",
            priority=int(sent.output.cost))
        remote.add_done_callback(lambda done: self._settle(future, done, job, sent, own))

    def _settle(self, future: Future[Done], done: Any, job: Callable[..., Done],
                sent: Job, own: Shipment) -> None:
        """In Dask's callback thread: ``done``'s result into ``future``, or the task sent
        again with the shared files when its worker lacked them."""
        from distributed import KilledWorker

        try:
            result = done.result()
            if result is None:      # its worker joined (or restarted) since: the files
                self._send(future, job, sent, own, self.late.future())
                return
        except KilledWorker as exc:
            future.set_exception(WorkerLostError(f"{sent.output.path}: {exc}"))
        except BaseException as exc:   # the consumer names it: a future never left hanging
            future.set_exception(exc)
        else:
            future.set_result(result)


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


def _holder() -> Any:
    from .holder import Holder

    return Holder()


def _files(shipment: Shipment) -> Shipment:
    return shipment


def _holds(digest: str, dask_worker: Any) -> bool:
    return dask_worker.plugins[PLUGIN].holds(digest)


def _receive(shared: Shipment, dask_worker: Any) -> None:
    dask_worker.plugins[PLUGIN].receive(shared)


def _on_worker(job: Callable[..., Done], sent: Job, digest: str, own: Shipment,
               shared: Shipment | None) -> Done | None:
    """On a worker: ``job(pipelines, sent)`` in the holder's render thread, with
    ``sent`` placed in the worker's folder of the shared files ``digest`` (unpacked
    from ``shared`` if need be) and its own files added; None when the worker holds no
    such files and ``shared`` is None (send them)."""
    import distributed

    holder = distributed.get_worker().plugins[PLUGIN]
    if shared is not None:
        holder.receive(shared)
    if not holder.holds(digest):
        return None
    folder = holder.folder(digest)
    own.unpack(folder)
    output = sent.output
    args = tuple(folder / a if isinstance(a, Path) else a for a in output.args)
    placed_job = Job(dataclasses.replace(output, args=args), placed(sent.project, folder))
    return holder.run(job, holder.pipelines_of(digest), placed_job)
