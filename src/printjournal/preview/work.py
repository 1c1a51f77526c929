"""An article's path in, its pages as PNG images (or its problems with their lines) out,
rendered in a worker process that a newer save can kill at once.

:class:`Renders` keeps one warm worker (printjournal, WeasyPrint and the project's
pipeline loaded, in a process started by ``spawn``) in the one worker pool
(:class:`~printjournal.workers.pool.WorkerPool`, the desk's and the builds'). A save while a
render runs cancels that render (:meth:`WorkerPool.cancel`: its worker is killed, since
WeasyPrint cannot be interrupted any other way, and replaced by a fresh one that takes
the new render); a save still waiting is dropped. Each render carries the number of its
save, and only the newest save's result is shown: the page never goes back to an older
version. One render may take :data:`SECONDS` at most.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

SCALE = 1.25          # 90 dpi: readable on screen, quick to encode
#: seconds one render may take before it is stopped (its problem is then not shown)
SECONDS = 300


@dataclass(frozen=True)
class Shown:
    """What the preview page shows: the newest finished render."""

    version: int = 0                          # the save it shows (0: none yet)
    pages: tuple[bytes, ...] = ()             # PNG per page, of the last good render
    texts: tuple[str, ...] = ()               # each page's text (for screen readers)
    problems: tuple[str, ...] = ()            # path:line: message, when it failed
    warnings: tuple[str, ...] = ()
    good: int = 0                             # the save the pages come from


@dataclass(frozen=True)
class Result:
    """One render's outcome, sent back from the worker."""

    pages: tuple[bytes, ...] = ()
    texts: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def _load(root: str) -> object:
    """A worker's state: the project's pipeline, loaded once."""
    from .. import pipeline as build
    from ..load import config

    return build.Pipeline.load(config.load_project(Path(root)))


def render(pipeline: object, path: Path) -> Result:
    """Check and render the article at ``path``: its pages, or its problems."""
    from .. import pipeline as build
    from ..errors import Notices, PrintjournalError

    notices = Notices()
    project = pipeline.project   # type: ignore[attr-defined]
    try:
        article = build.load_checked_article(project, path, notices)
        build.editorial_warnings(project, [article], None, notices)
        data = pipeline.article_pdf(article).data   # type: ignore[attr-defined]
    except PrintjournalError as exc:
        return Result(problems=tuple(str(p) for p in exc.problems),
                      warnings=tuple(str(n) for n in notices.found))
    pages, texts = rasterise(data)
    return Result(pages, texts, (), tuple(str(n) for n in notices.found))


def rasterise(data: bytes) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
    """Each page of a PDF as a PNG image, and its text."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    pages, texts = [], []
    try:
        for page in document:
            buffer = io.BytesIO()
            page.render(scale=SCALE).to_pil().save(buffer, "PNG", compress_level=1)  # fast
            pages.append(buffer.getvalue())
            texts.append(page.get_textpage().get_text_range())
    finally:
        document.close()
    return tuple(pages), tuple(texts)


class Renders:
    """Renders of one article, newest first: a save cancels the render before it."""

    def __init__(self, root: Path, path: Path, publish: Callable[[int, Result], None]) -> None:
        from ..workers.pool import PoolLimits, Start, WorkerPool

        self.path, self.publish = path, publish
        self._lock = threading.Lock()
        self._pool = WorkerPool(PoolLimits(workers=1, seconds=SECONDS, queue=4), _load,
                                (str(root),), Start("spawn"))   # warming up for the first save
        self._running: Future[Result] | None = None
        self._saves = 0
        self._closed = False

    def save(self) -> int:
        """A save: render it, cancelling the render of an older save. Its number."""
        with self._lock:
            if self._closed:
                return self._saves
            self._saves += 1
            number = self._saves
            if self._running is not None:        # an older render waits or runs: cancel it
                self._pool.cancel(self._running)
            running = self._running = self._pool.submit(render, self.path)
        running.add_done_callback(lambda done: self._done(done, number))
        return number

    def _done(self, future: Future[Result], number: int) -> None:
        with self._lock:
            if self._closed or number != self._saves or future.cancelled():
                return                        # a newer save came: its render will show
        error = future.exception()            # past its time, its worker lost, a fault
        self.publish(number, future.result() if error is None else
                     Result(problems=(f"{self.path.name}: {error}",)))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._running is not None:
                self._pool.cancel(self._running)
        self._pool.close()
