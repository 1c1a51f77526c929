"""Parts as HTML in, their PDFs out: from this build, the render cache, or worker processes.

With two workers or more, parts render in a :class:`~printjournal.workers.pool.WorkerPool`
of forked processes that inherit the build's renderer (its fonts loaded); with one, each
part renders here when it is asked for, in the least memory. A worker that dies fails
the build with a named RenderError, as does a part past PART_SECONDS. A part's cache
key is a hash of its HTML and the files it is made from, so an unchanged part is never
rendered again, in any issue that holds it.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import cache
from ..editions import Edition
from ..errors import LayoutError, PrintjournalError, Problem, RenderError
from ..pdf import folios
from ..pipeline import Pipeline
from ..render.weasy import Renderer
from ..workers.pool import PoolLimits, RenderTimeoutError, Start, WorkerLostError, WorkerPool
from .parts import PartSpec

PART_SECONDS = 600    # one part's time limit in a worker (a long article on a busy machine
                      # takes well under a minute)


@dataclass(frozen=True)
class RenderedPart:
    data: bytes
    pages: int | None      # None: not counted yet (a part from the cache; see build.py)


#: What a worker renders: the part's HTML, its content file (for errors), write options.
Job = tuple[str, str, dict[str, Any]]


class PartRenderer:
    """Renders the parts of one build, each once, in its worker processes."""

    def __init__(self, pipeline: Pipeline, edition: Edition, source: Path,
                 store: cache.RenderCache | None, workers: int | None) -> None:
        self.pipeline = pipeline
        self.edition = edition
        self.source = source                          # the manifest, for errors
        self.store = store
        self.workers = workers or len(os.sched_getaffinity(0))
        self.rendered: dict[str, RenderedPart] = {}   # by cache key, for this build
        self.renders = 0                              # parts WeasyPrint rendered
        self._pool: WorkerPool | None = None
        self._running: dict[str, Future[RenderedPart | _Failed]] = {}  # by cache key
        self._here: dict[str, Job] = {}         # with one worker: rendered when asked for
        self._fingerprint: str | None = None

    @property
    def fingerprint(self) -> str:
        """The project's :func:`cache.project_fingerprint`, taken once for the build's keys
        (each took it again: ~70 files listed and stat'ed, 21 times an issue build)."""
        if self._fingerprint is None:
            self._fingerprint = cache.project_fingerprint(self.pipeline.project)
        return self._fingerprint

    def key(self, spec: PartSpec) -> str:
        digest = hashlib.sha256(spec.html.encode()).hexdigest()
        return cache.key(self.pipeline.project, spec.files, "issue-part", self.edition.name,
                         digest, fingerprint=self.fingerprint)

    def render(self, specs: Sequence[PartSpec],
               ready: Callable[[PartSpec, RenderedPart], None] | None = None
               ) -> dict[str, RenderedPart]:
        """Each spec's PDF: from this build, from the cache, or rendered in the worker
        processes; ``ready(spec, part)`` is called for each as soon as it is there
        (parts already there go while the workers render the others)."""
        keys = {spec.name: self.key(spec) for spec in specs}
        waiting: dict[str, list[PartSpec]] = {}
        there: list[PartSpec] = []
        for spec in specs:
            key = keys[spec.name]
            if key in self.rendered or (key not in waiting and self._cached(spec, key)):
                there.append(spec)
            else:
                waiting.setdefault(key, []).append(spec)
        self._start((keys[spec.name], spec)
                    for spec in by_size(same[0] for same in waiting.values()))
        for spec in there:
            if ready is not None:
                ready(spec, self.rendered[keys[spec.name]])
        for key, part in self._results(list(waiting)):
            spec = waiting[key][0]
            self.renders += 1
            if spec.one_page and part.pages != 1:
                raise LayoutError([Problem(spec.source, 0, f"the {spec.name.split(':')[0]} "
                                           f"page must fit on one page, not {part.pages}")])
            self.rendered[key] = part
            if self.store is not None:
                self.store.put(key, part.data)
            for same in waiting[key]:
                if ready is not None:
                    ready(same, part)
        return {spec.name: self.rendered[keys[spec.name]] for spec in specs}

    def _cached(self, spec: PartSpec, key: str) -> bool:
        """Whether the part is in the render cache (then it is taken into this build)."""
        if key in self._running or key in self._here or self.store is None \
                or (data := self.store.get(key)) is None:
            return False
        # counted when the assembly parses it, not twice
        self.rendered[key] = RenderedPart(data, 1 if spec.one_page else None)
        return True

    def start(self, specs: Sequence[PartSpec]) -> None:
        """Start rendering those of ``specs`` not rendered, cached or started already, in
        this order, in the worker processes (with one worker, they are rendered here
        when _results asks for them)."""
        self._start((self.key(spec), spec) for spec in specs)

    def _start(self, keyed: Iterable[tuple[str, PartSpec]]) -> None:
        options = self.edition.render_options
        for key, spec in keyed:
            if key in self.rendered or self._cached(spec, key):
                continue
            job = (spec.html, str(spec.source), options)
            if self.workers < 2:
                self._here[key] = job
                continue
            if self._pool is None:   # forked now, from this thread: they inherit the renderer
                self._pool = WorkerPool(
                    PoolLimits(self.workers, PART_SECONDS, queue=2**16, max_jobs=2**16),
                    _inherited, (self.pipeline.renderer,), how=Start("fork"))
            self._running[key] = self._pool.submit(_render_job, job)

    def _results(self, keys: Sequence[str]) -> Iterator[tuple[str, RenderedPart]]:
        """(key, part) for each of ``keys`` (started), in the order they finish."""
        if self.workers < 2:
            for key in keys:
                yield key, _result(_render_job(self.pipeline.renderer, self._here.pop(key)))
            return
        futures = {self._running[key]: key for key in keys}
        for future in as_completed(futures):
            key = futures[future]
            del self._running[key]
            try:
                result = future.result()
            except WorkerLostError:
                self.close()
                raise RenderError.at(self.source, 0, "a worker process stopped "
                                     "before its part was rendered (killed, or out of "
                                     "memory?)") from None
            except RenderTimeoutError:
                self.close()
                raise RenderError.at(self.source, 0, "a part took longer than "
                                     f"{PART_SECONDS} s to render: stopped") from None
            yield key, _result(result)

    def close(self) -> None:
        """Stop the worker processes (parts rendered later render here)."""
        if self._pool is not None:
            for future in self._running.values():
                future.cancel()
            self._running.clear()
            self._pool.close()
            self._pool = None


def by_size(specs: Iterable[PartSpec]) -> list[PartSpec]:
    """Biggest first (started first, the two workers end nearer together)."""
    return sorted(specs, key=lambda spec: -spec.estimate)


# ---------- the worker processes ----------

@dataclass(frozen=True)
class _Failed:
    """A part that could not be rendered: the error, to raise in the parent."""

    error: type[PrintjournalError]
    problems: tuple[Problem, ...]


def _result(result: RenderedPart | _Failed) -> RenderedPart:
    """A worker's part, or its error raised here."""
    if isinstance(result, _Failed):
        raise result.error(result.problems)
    return result


def _inherited(renderer: Renderer) -> Renderer:
    """A worker's state: the build's renderer, inherited by the fork (fonts loaded)."""
    return renderer


def _render_job(renderer: Renderer, job: Job) -> RenderedPart | _Failed:
    """Render one part with ``renderer`` (in a worker process, the one it inherited);
    our errors come back as values."""
    html, source, options = job
    try:
        rendered = renderer.pdf(
            html, Path(source), finisher=folios.mark_slots, **options)
    except PrintjournalError as exc:
        return _Failed(type(exc), exc.problems)
    finally:
        release_memory()
    return RenderedPart(rendered.data, rendered.pages)


def release_memory() -> None:
    """Give the memory a render freed back to the system (glibc keeps it otherwise: a
    worker would hold its largest part's worth until it exits, and a build with one
    worker would end up holding about 40 MiB more)."""
    gc.collect(1)   # the young generations, where a render's garbage is: a full collection
    #                 of a build that renders here would walk the whole assembly each time
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL("libc.so.6")
    _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
except (OSError, AttributeError):   # not glibc: nothing to trim
    _LIBC = None
