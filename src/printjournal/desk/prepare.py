"""The desk's library in; the leaflet parts of its long articles made ahead, in the
background, out (kept in the render cache).

The desk refuses a leaflet whose parts it would have to render now beyond its limit
(desk/size.py: ``max_pages``), so a long article's first leaflet could not be made at the
desk at all. A part does not depend on the day (leaflet/parts.py: the printed date is a
slot), so it can be made ahead: when the desk starts (:meth:`Preparer.start`, from
``printjournal serve``), and again when the library changes (the desk reads the library
for each request, :class:`~printjournal.desk.shelf.Shelf`; a new reading wakes the preparer),
each article the desk would refuse as a one-article leaflet gets that leaflet made: for
the default clinic and paper, the standard style, as it is printed today (its review
state), with each front box a leaflet can have (:data:`BOXES`: none, a name, a name and
note: the box moves the whole article, so each is a part of its own), its first page on
the side a one-article leaflet starts on (the right, left to right). An overdue article
is not prepared (staff print it marked, another part).

The jobs run on the desk's own worker pool, one at a time, each with the build's time
limit (site/work.py ``TASK_SECONDS``), and below staff requests: a job is sent only when
a worker is free and no request waits, so staff requests always go first; a request
that comes while a job runs and finds no free worker makes the job give way: it is
stopped at once (its worker replaced) and made again once no request waits, so no staff
request ever waits for a background render, even on a desk of one worker. A job that
fails (too big even for the build's limit, a content error) is logged and left; the desk
then says "too big" for it, as before.

``printjournal build`` does not prepare these parts: it would render each long article
once more per front box (three renders, each as long as the article's own) in every
build that changes it, for a desk that may never print it; the desk does it on workers
that are otherwise idle, and ``printjournal leaflet`` fills the same cache.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from .. import cache
from ..errors import PrintjournalError
from ..model import Article, Project, ReviewState
from ..workers.process import JobCancelledError
from . import size as desksize

log = logging.getLogger(__name__)

BOXES = ("", "name", "note")      # the front boxes: none, a name, a name and a note
POLL_SECONDS = 0.2                # how often a waiting job looks for a free worker


@dataclass(frozen=True)
class Job:
    """One leaflet to make ahead: an article's, with front box ``box``."""

    slug: str
    box: str


def prepare(worker: Any, job: Job, today: dt.date) -> list[int]:
    """In a desk worker: the one-article leaflet of ``job`` made and kept (its parts and
    the assembled leaflet, no personal text); the parts rendered. Raises
    PrintjournalError (content, review) as a leaflet would."""
    from ..leaflet.build import LeafletRequest, governance, select_articles, shape_of, whole

    pipeline, loaded = worker.pipeline, worker.shelf.load()
    project = pipeline.project
    request = LeafletRequest((job.slug,))
    articles = select_articles(project, request.slugs, None, loaded)
    states = governance(project, articles, today, False)
    shape = shape_of(project, pipeline.layouts.labels, request, articles, states, today,
                     loaded[0])
    rendered: list[int] = []
    whole(pipeline, shape, job.box, worker.store, rendered)
    return rendered


def plan(project: Project, labels: Callable[[str], Any], articles: Sequence[Article],
         today: dt.date, store: cache.RenderCache, known: Callable[[Article], int | None],
         max_pages: int) -> list[Job]:
    """The leaflets to make ahead: one per front box of each article too long for the
    desk whose part is not in ``store`` (nothing is rendered to know it)."""
    from ..leaflet.build import LeafletRequest, shape_of
    from ..leaflet.parts import unrendered

    jobs = []
    for box in BOXES:
        for article in articles:
            if desksize.leaflet_problem([article], known, max_pages) is None or \
                    ReviewState.of(article.review, today) is ReviewState.OVERDUE:
                continue
            try:
                shape = shape_of(project, labels, LeafletRequest((article.slug,)), [article],
                                 [ReviewState.of(article.review, today)], today, articles)
            except PrintjournalError:       # a stale translation, say: not printable as is
                continue
            if unrendered(project, shape, box, store,
                          lambda a: desksize.pages(a, known(a)).count):
                jobs.append(Job(article.slug, box))
    return jobs


class Preparer:
    """Makes :func:`plan`'s leaflets on ``pool`` in a thread of its own, below staff
    requests (``pool``: ``submit(job, *args, seconds=)``, ``cancel(future)``, ``load()``
    and ``limits.workers`` of :class:`~printjournal.workers.pool.WorkerPool`); ``make``: the
    job run in a worker, ``make(state, job, today)`` (:func:`prepare`)."""

    def __init__(self, pool: Any, plan_now: Callable[[], list[Job]],
                 today: Callable[[], dt.date], seconds: int,
                 make: Callable[..., Any] = prepare) -> None:
        self.pool, self.plan_now, self.today, self.seconds = pool, plan_now, today, seconds
        self.make = make
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._stopped = False
        self._generation = 0
        self._lock = threading.Lock()        # a new plan and "all made" never cross
        self._thread = threading.Thread(target=self._work, name="printjournal-prepare",
                                         daemon=True)
        self.made: list[Job] = []            # what was made, in order (tests, logs)
        self.failed: list[tuple[Job, str]] = []
        self.gave_way = 0                    # jobs stopped for a staff request (tests, logs)

    def start(self) -> None:
        self._wake.set()
        self._thread.start()

    def library_read(self, generation: int) -> None:
        """The desk read the library (its ``Shelf.generation``): plan again if it changed."""
        with self._lock:
            if generation != self._generation:
                self._generation = generation
                self._idle.clear()
                self._wake.set()

    def wait(self, timeout: float) -> bool:
        """Whether everything planned was made (or failed) within ``timeout`` seconds."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        """Stop making leaflets ahead: a job running is stopped; waits for the thread (at
        most a few seconds) so the pool can be closed after."""
        self._stopped = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _work(self) -> None:
        while not self._stopped:
            self._wake.wait()
            self._wake.clear()
            try:
                jobs = self.plan_now()
            except Exception as exc:
                log.warning("cannot plan the leaflets to make ahead: %s", exc)
                jobs = []
            for job in jobs:
                if self._stopped or self._wake.is_set():   # the library changed: plan again
                    break
                self._run(job)
            with self._lock:
                if not self._wake.is_set():
                    self._idle.set()

    def _run(self, job: Job) -> None:
        started = time.monotonic()
        while not self._stopped:
            while self._busy() and not self._stopped:
                time.sleep(POLL_SECONDS)        # staff first: only a free worker is taken
            if self._stopped:
                return
            future = self.pool.submit(self.make, job, self.today(), seconds=self.seconds)
            try:
                rendered = self._result(future)
            except (JobCancelledError, CancelledError):
                continue                        # gave way to staff: made again later
            except Exception as exc:
                log.warning("leaflet of %s made ahead failed: %s", job.slug, exc)
                self.failed.append((job, str(exc)))
                return
            self.made.append(job)
            log.info("leaflet of %s (front box %r) made ahead in %.1f s, %d part(s) "
                     "rendered", job.slug, job.box, time.monotonic() - started,
                     len(rendered))
            return

    def _busy(self) -> bool:
        return self.pool.load() >= self.pool.limits.workers

    def _result(self, future: Any) -> Any:
        """The job's result; stopped (:class:`JobCancelledError`) when a request comes
        that finds every worker busy, or when the desk stops."""
        while True:
            try:
                return future.result(timeout=POLL_SECONDS)
            except FutureTimeout:
                if (self._stopped or self.pool.load() > self.pool.limits.workers) \
                        and self.pool.cancel(future):
                    self.gave_way += not self._stopped
                    log.info("a leaflet made ahead gave way to a staff request")


def for_desk(project: Project, labels: Callable[[str], Any], pool: Any, shelf: Any,
             counts: desksize.PageCounts, max_pages: int,
             today: Callable[[], dt.date]) -> Preparer:
    """The desk's preparer (not started): plans from ``shelf``'s library and what
    ``counts`` knows of its pages, runs with the build's time limit."""
    from ..site.work import TASK_SECONDS

    return Preparer(pool, lambda: plan(project, labels, shelf.load()[0], today(),
                                       counts.store, counts.known, max_pages),
                    today, TASK_SECONDS)
