"""HTTP requests in, pages and PDFs out: the leaflet desk for clinic staff.

A Flask app whose pages are rendered through the project's own layouts
(``layouts/desk/``, the same strict, autoescaping Jinja environment as the
PDFs), served by waitress unless ``--debug``:

    GET  /                          the library: every article, searchable, with its review status,
                                    and the leaflet form
    POST /leaflet                   the leaflet PDF, inline, ready for the print dialog
    GET  /articles/<slug>           an article's pages as images, for editors
    GET  /articles/<slug>/<n>.png   one page image
    GET  /downloads/...             the readers' PDFs and downloads page from ``printjournal build``

Requests name articles by slug only, never by path. Renders run in a process
pool, each bounded in time and memory. The patient's name and note travel
only in the POST body and the PDF: they are never logged, cached or stored.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import resource
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request, send_from_directory
from werkzeug.exceptions import HTTPException

from . import cache, config, content, workers
from .downloads import ARTICLE
from .errors import PrintjournalError
from .model import Article, Project
from .templating import Layouts

log = logging.getLogger(__name__)


class RenderTimeoutError(Exception):
    """A render ran past its time limit and was stopped."""


# ---------- the worker side: runs in the pool's processes ----------

_worker: dict[str, Any] = {}   # one pipeline per worker process, made by _start_worker


def _start_worker(root: str, memory_limit: int) -> None:
    from .build import Pipeline

    workers.start_worker(os.getppid())     # ends with the desk, leaves no temp files
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    signal.signal(signal.SIGALRM, _alarm)
    project = config.load_project(Path(root))
    _worker["pipeline"] = Pipeline.load(project)
    _worker["cache"] = cache.RenderCache.for_project(project)


def _alarm(signum: int, frame: object) -> None:
    raise RenderTimeoutError


def _bounded(seconds: int, job: Callable[..., Any], *args: Any) -> Any:
    signal.alarm(seconds)
    try:
        return job(*args)
    finally:
        signal.alarm(0)


def _article_pdf(slug: str) -> bytes:
    """An article's PDF, from the render cache when nothing it depends on changed."""
    pipeline = _worker["pipeline"]
    project = pipeline.project
    article = _article_by_slug(project, slug)
    # the website build's key for the same PDF (site.article_outputs): one cache for both
    key = cache.key(project, cache.article_inputs(article, project), ARTICLE)
    return pipeline.cached_pdf(_worker["cache"], key, lambda: pipeline.article_html(article),
                               article.path)


def _page_count(slug: str) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(_article_pdf(slug))
    try:
        return len(document)
    finally:
        document.close()


def _page_png(slug: str, number: int) -> bytes | None:
    """Page ``number`` (1-based) of an article as a PNG image, or None past its end."""
    import pypdfium2

    document = pypdfium2.PdfDocument(_article_pdf(slug))
    try:
        if not 1 <= number <= len(document):
            return None
        buffer = io.BytesIO()
        document[number - 1].render(scale=1.25).to_pil().save(buffer, "PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def _leaflet(fields: dict[str, Any], today: dt.date) -> bytes:
    from .leaflet import LeafletRequest, Personal, leaflet

    pipeline = _worker["pipeline"]
    personal = Personal(for_name=fields.pop("for_name"), note=fields.pop("note"))
    return leaflet(pipeline, LeafletRequest(**fields), today, personal, _worker["cache"]).data


def _article_by_slug(project: Project, slug: str) -> Article:
    articles, _problems = content.load_articles(project)
    return next(a for a in articles if a.slug == slug)


# ---------- the web side ----------

@dataclass(frozen=True)
class DeskSettings:
    """How the desk runs: where the website build is, and the limits of one render."""

    dist: Path
    workers: int = os.cpu_count() or 2
    render_seconds: int = 60
    render_memory: int = 2 * 2**30     # bytes of address space for one worker


class RenderPool:
    """A process pool whose jobs are bounded in time (SIGALRM) and memory (RLIMIT_AS)."""

    def __init__(self, project: Project, settings: DeskSettings) -> None:
        self.settings = settings
        self.executor = ProcessPoolExecutor(
            max_workers=settings.workers, mp_context=get_context("spawn"),
            initializer=_start_worker, initargs=(str(project.root), settings.render_memory),
            max_tasks_per_child=200)

    def run(self, job: Callable[..., Any], *args: Any) -> Any:
        future = self.executor.submit(_bounded, self.settings.render_seconds, job, *args)
        try:
            return future.result(timeout=self.settings.render_seconds + 30)
        except FutureTimeout:
            raise RenderTimeoutError from None

    def close(self) -> None:
        self.executor.shutdown(cancel_futures=True)


def create_app(project: Project, settings: DeskSettings, pool: RenderPool | None = None,
               today: Callable[[], dt.date] = dt.date.today) -> Flask:
    """The desk app for ``project``; ``pool`` runs renders (made here if not given)."""
    app = Flask(__name__)
    layouts = Layouts(project)
    pool = pool or RenderPool(project, settings)
    app.extensions["printjournal.pool"] = pool

    def page(template: str, status: int = 200, **context: Any) -> Response:
        html = layouts.render(f"desk/{template}", journal=project.journal, **context)
        return Response(html, status=status, mimetype="text/html")

    def articles() -> list[Article]:
        loaded, _problems = content.load_articles(project)
        return sorted(loaded, key=lambda a: (a.section, a.title))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return page("error.html", status=error.code or 500, code=error.code,
                    title=error.name, message=error.description)

    @app.errorhandler(PrintjournalError)
    def content_error(error: PrintjournalError) -> Response:
        return page("error.html", status=400, code=400, title="Cannot make this leaflet",
                    message="\n".join(p.message for p in error.problems))

    @app.errorhandler(RenderTimeoutError)
    def timeout(error: RenderTimeoutError) -> Response:
        return page("error.html", status=503, code=503, title="Taking too long",
                    message="The leaflet took too long to make. Please try again.")

    @app.get("/")
    def library() -> Response:
        query = request.args.get("q", "").strip()
        day = today()
        listed = [a for a in articles() if _matches(a, query)]
        return page("library.html", query=query, articles=listed, today=day,
                    status_of=lambda a: review_status(a, day), clinics=project.clinics,
                    papers=("A4", "A5", "Letter"), default_paper=project.journal.paper)

    @app.post("/leaflet")
    def make_leaflet() -> Response:
        form = request.form
        slugs = tuple(dict.fromkeys(form.getlist("slug")))
        if not slugs:
            abort(400, "Choose at least one article.")
        known = {a.slug for a in articles()}
        for slug in slugs:
            if slug not in known:
                abort(404, f"There is no article '{slug}'.")
        clinic_ids = {c.id for c in project.clinics}
        clinic = form.get("clinic") or None
        if clinic is not None and clinic not in clinic_ids:
            abort(400, f"There is no clinic '{clinic}'.")
        paper = form.get("paper") or None
        if paper is not None and paper not in ("A4", "A5", "Letter"):
            abort(400, "Paper must be A4, A5 or Letter.")
        fields = {"slugs": slugs, "clinic": clinic, "paper": paper,
                  "large_print": form.get("large_print") == "on",
                  "booklet": form.get("booklet") == "on",
                  "allow_overdue": form.get("allow_overdue") == "on",
                  "for_name": form.get("for_name", "").strip(),
                  "note": form.get("note", "").strip()}
        try:
            data = pool.run(_leaflet, fields, today())
        except ValueError as exc:   # a bad option (OptionError), said plainly
            abort(400, str(exc))
        response = Response(data, mimetype="application/pdf")
        response.headers["Content-Disposition"] = 'inline; filename="leaflet.pdf"'
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/articles/<slug>")
    def preview(slug: str) -> Response:
        article = next((a for a in articles() if a.slug == slug), None)
        if article is None:
            abort(404, f"There is no article '{slug}'.")
        count = pool.run(_page_count, slug)
        return page("preview.html", article=article, pages=range(1, count + 1))

    @app.get("/articles/<slug>/<int:number>.png")
    def page_image(slug: str, number: int) -> Response:
        if slug not in {a.slug for a in articles()}:
            abort(404, f"There is no article '{slug}'.")
        image = pool.run(_page_png, slug, number)
        if image is None:
            abort(404, f"'{slug}' has no page {number}.")
        return Response(image, mimetype="image/png")

    @app.get("/downloads/")
    @app.get("/downloads/<path:name>")
    def downloads(name: str = "index.html") -> Response:
        if not settings.dist.is_dir():
            abort(404, "Nothing has been built yet: run 'printjournal build'.")
        return send_from_directory(settings.dist.resolve(), name)

    @app.get("/desk.css")
    def stylesheet() -> Response:
        return Response((project.layouts_dir / "desk" / "desk.css").read_text(encoding="utf-8"),
                        mimetype="text/css")

    return app


def review_status(article: Article, today: dt.date) -> str:
    """'ok', 'overdue' or 'unreviewed': what the library shows."""
    if article.review is None:
        return "unreviewed"
    return "overdue" if article.review.overdue(today) else "ok"


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _matches(article: Article, query: str) -> bool:
    if not query:
        return True
    haystack = " ".join((article.title, article.section, *article.tags)).casefold()
    return all(word in haystack for word in query.casefold().split())


def serve(project: Project, settings: DeskSettings, host: str, port: int, debug: bool) -> None:
    """Run the desk until interrupted: waitress, or Flask's debug server with ``debug``."""
    app = create_app(project, settings)
    log.warning("leaflet desk on http://%s:%d/", host, port)
    signal.signal(signal.SIGTERM, _stop)   # a service manager's stop: shut the pool down too
    try:
        if debug:
            app.run(host=host, port=port, debug=True, use_reloader=False)
        else:
            import waitress

            waitress.serve(app, host=host, port=port, threads=max(8, settings.workers * 4),
                           ident="printjournal")
    finally:
        app.extensions["printjournal.pool"].close()

