"""An article's path in, its pages as PNG images (or its problems with their lines) out,
rendered in a worker process that a newer save can kill at once.

:class:`Renders` keeps one warm worker (printjournal, WeasyPrint and the project's
pipeline loaded, in a process started by ``spawn``). A save while a render runs kills
that worker (WeasyPrint cannot be interrupted any other way) and starts the new render
in a new worker; the one that finishes stays, warm, for the next save. Each render
carries the number of its save, and only the newest save's result is shown: the page
never goes back to an older version.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

_CONTEXT = multiprocessing.get_context("spawn")
SCALE = 1.25          # 90 dpi: readable on screen, quick to encode


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


def _serve(conn: Connection, root: str) -> None:
    """The worker: load the project once, then render every path it is sent."""
    from . import config
    from . import pipeline as build

    project = config.load_project(Path(root))
    pipeline = build.Pipeline.load(project)
    conn.send("ready")
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        conn.send(render(pipeline, Path(path)))


def render(pipeline: object, path: Path) -> Result:
    """Check and render the article at ``path``: its pages, or its problems."""
    from . import pipeline as build
    from .errors import Notices, PrintjournalError

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


class _Worker:
    """One worker process and its end of the pipe."""

    def __init__(self, root: Path) -> None:
        self.conn, theirs = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(theirs, str(root)), daemon=True)
        self.process.start()
        theirs.close()
        self.ready = threading.Event()

    def wait_ready(self) -> bool:
        if not self.ready.is_set():
            try:
                if self.conn.recv() != "ready":
                    return False
            except (EOFError, OSError):
                return False
            self.ready.set()
        return True

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()


class Renders:
    """Renders of one article, newest first: a save cancels the render before it."""

    def __init__(self, root: Path, path: Path, publish: Callable[[int, Result], None]) -> None:
        self.root, self.path, self.publish = root, path, publish
        self._lock = threading.Lock()
        self._busy: _Worker | None = None
        self._idle: _Worker | None = _Worker(root)    # warming up for the first save
        self._saves = 0
        self._closed = False

    def save(self) -> int:
        """A save: render it, killing a render of an older save. Its number."""
        with self._lock:
            if self._closed:
                return self._saves
            self._saves += 1
            number = self._saves
            if self._busy is not None:        # an older render runs: cancel it
                self._busy.stop()
            worker, self._idle = self._idle or _Worker(self.root), None
            self._busy = worker
        threading.Thread(target=self._run, args=(worker, number), daemon=True).start()
        return number

    def _run(self, worker: _Worker, number: int) -> None:
        try:
            if not worker.wait_ready():
                return
            worker.conn.send(str(self.path))
            result = worker.conn.recv()
        except (EOFError, OSError):           # killed by a newer save, or closed
            return
        with self._lock:
            if self._busy is not worker or number != self._saves:
                return                        # a newer save came: its render will show
            self._busy, self._idle = None, worker     # warm, for the next save
        self.publish(number, result)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for worker in (self._busy, self._idle):
                if worker is not None:
                    worker.stop()
