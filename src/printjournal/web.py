"""HTTP requests in, pages and PDFs out: the leaflet desk for clinic staff.

A Flask app whose pages are rendered through the project's own layouts
(``layouts/desk/``, the same strict, autoescaping Jinja environment as the
PDFs), served by waitress unless ``--debug``:

    GET  /                          the library: every article, searchable, with its review status,
                                    and the leaflet form
    POST /leaflet                   the leaflet PDF, inline, ready for the print dialog
    GET  /articles/<slug>           an article's pages as images, for editors
    GET  /articles/<slug>/<n>.png   one page image
    GET  /downloads/...             what ``printjournal build`` published: the files its
                                    manifest.json lists, and its downloads pages

Every request is checked first (:mod:`printjournal.deskguard`: body size, Host, Origin,
CSRF token, a password when the desk listens beyond this machine), and every form field
before any render. Requests name articles by slug only, never by path. Renders run in a
:class:`~printjournal.deskpool.WorkerPool`: bounded in time and memory, a dead worker
fails only its own request (503), a full queue answers 503 with Retry-After. The
patient's name and note travel only in the POST body and the PDF: they are never logged,
cached or stored.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import signal
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request, send_from_directory
from werkzeug.exceptions import HTTPException

from . import cache, config, workers
from .deskguard import CSRF_FIELD, DeskAccess, csrf_token, guard
from .deskpool import (
    PoolBusyError,
    PoolLimits,
    RenderTimeoutError,
    WorkerLostError,
    WorkerPool,
)
from .downloads import ARTICLE, INDEX, ISSUE, MANIFEST, as_listed
from .errors import PrintjournalError
from .model import Article, Project
from .personal import UnprintableError, check_printable
from .shelf import Shelf
from .templating import Layouts

log = logging.getLogger(__name__)

PAPERS = ("A4", "A5", "Letter")
FIELD_LIMITS = {"for_name": ("The patient's name", 60), "note": ("The note", 200)}


# ---------- the worker side: runs in the pool's processes ----------

@dataclass(frozen=True)
class DeskWorker:
    """What one worker process loads once: the pipeline and the render cache."""

    pipeline: Any               # build.Pipeline (imported in the worker only)
    store: cache.RenderCache
    shelf: Shelf


def start_worker(root: str) -> DeskWorker:
    from .pipeline import Pipeline

    workers.start_worker(os.getppid())     # ends with the desk, leaves no temp files
    project = config.load_project(Path(root))
    return DeskWorker(Pipeline.load(project), cache.RenderCache.for_project(project),
                      Shelf(project))


def _article_pdf(worker: DeskWorker, slug: str) -> bytes:
    """An article's PDF, from the render cache when nothing it depends on changed (the
    website build keeps its article PDFs there under the same key: a long article the
    build rendered is previewed from it, without rendering again)."""
    pipeline = worker.pipeline
    project = pipeline.project
    article = next(a for a in worker.shelf.load()[0] if a.slug == slug)
    # the website build's key for the same PDF (site/plan.article_outputs): one cache for both
    key = cache.key(project, cache.article_inputs(article, project), ARTICLE)
    return pipeline.cached_pdf(worker.store, key, lambda: pipeline.article_html(article),
                               article.path)


def _page_count(worker: DeskWorker, slug: str) -> int:
    from .pdf.overlay import page_count

    return page_count(_article_pdf(worker, slug))


def _page_png(worker: DeskWorker, slug: str, number: int) -> bytes | None:
    """Page ``number`` (1-based) of an article as a PNG image, or None past its end."""
    import pypdfium2

    document = pypdfium2.PdfDocument(_article_pdf(worker, slug))
    try:
        if not 1 <= number <= len(document):
            return None
        buffer = io.BytesIO()
        document[number - 1].render(scale=1.25).to_pil().save(buffer, "PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def _leaflet(worker: DeskWorker, fields: dict[str, Any], today: dt.date) -> bytes:
    from .leaflet import LeafletRequest, Personal, leaflet

    personal = Personal(for_name=fields.pop("for_name"), note=fields.pop("note"))
    return leaflet(worker.pipeline, LeafletRequest(**fields), today, personal,
                   worker.store, worker.shelf.load()).data


# ---------- the web side ----------

@dataclass(frozen=True)
class DeskSettings:
    """How the desk runs: where the website build is, and the limits of one render."""

    dist: Path
    workers: int = os.cpu_count() or 2
    render_seconds: int = 60
    render_memory: int = 2 * 2**30     # bytes of address space for one worker
    queue: int = 64                    # requests that may wait for a worker; then 503


def render_pool(project: Project, settings: DeskSettings) -> WorkerPool:
    """The desk's worker processes, each loading the project once."""
    limits = PoolLimits(workers=settings.workers, seconds=settings.render_seconds,
                        memory=settings.render_memory, queue=settings.queue)
    return WorkerPool(limits, start_worker, (str(project.root),))


def create_app(project: Project, settings: DeskSettings, pool: Any = None,
               today: Callable[[], dt.date] = dt.date.today,
               access: DeskAccess | None = None) -> Flask:
    """The desk app for ``project``; ``pool`` runs renders (made here if not given)."""
    app = Flask(__name__)
    access = access or DeskAccess()
    guard(app, access)
    layouts = Layouts(project)
    pool = pool or render_pool(project, settings)
    app.extensions["printjournal.pool"] = pool
    page_counts: dict[str, tuple[tuple[int, int], int]] = {}   # slug → (file stat, pages)
    shelf = Shelf(project)

    def page(template: str, status: int = 200, **context: Any) -> Response:
        html = layouts.render(f"desk/{template}", journal=project.journal, **context)
        return Response(html, status=status, mimetype="text/html")

    def articles() -> list[Article]:
        loaded, _problems = shelf.load()
        return sorted(loaded, key=lambda a: (a.section, a.title))

    def unavailable(title: str, message: str, retry_after: int) -> Response:
        response = page("error.html", status=503, code=503, title=title, message=message)
        response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return page("error.html", status=error.code or 500, code=error.code,
                    title=error.name, message=error.description)

    @app.errorhandler(PrintjournalError)
    def content_error(error: PrintjournalError) -> Response:
        return page("error.html", status=400, code=400, title="Cannot make this leaflet",
                    message="\n".join(p.message for p in error.problems) or str(error))

    @app.errorhandler(RenderTimeoutError)
    def timeout(error: RenderTimeoutError) -> Response:
        return unavailable(
            "Too big for the desk",
            f"This took longer than the desk allows ({settings.render_seconds} seconds), so "
            "it was stopped: it is too big to make here. Ask the journal's editors for a "
            "printed copy, or print fewer articles at once.", 60)

    @app.errorhandler(WorkerLostError)
    def lost(error: WorkerLostError) -> Response:
        return unavailable(
            "Stopped before it was ready",
            "The process making this stopped unexpectedly (it may have run out of memory). "
            "Nothing was printed. Please try again.", 5)

    @app.errorhandler(PoolBusyError)
    def busy(error: PoolBusyError) -> Response:
        return unavailable(
            "The desk is busy",
            f"Many leaflets are being made right now. Please try again in "
            f"{error.retry_after} seconds.", error.retry_after)

    @app.get("/")
    def library() -> Response:
        query = request.args.get("q", "").strip()[:200]
        day = today()
        listed = [a for a in articles() if _matches(a, query)]
        return page("library.html", query=query, articles=listed, today=day,
                    status_of=lambda a: review_status(a, day), clinics=project.clinics,
                    papers=PAPERS, default_paper=project.journal.paper,
                    csrf_field=CSRF_FIELD, csrf=csrf_token(access),
                    limits={name: limit for name, (_label, limit) in FIELD_LIMITS.items()})

    @app.post("/leaflet")
    def make_leaflet() -> Response:
        fields = leaflet_fields(project, articles(), request.form, today())
        try:
            data = pool.run(_leaflet, fields, today())
        except ValueError as exc:   # the text does not fit, a bad option: said plainly
            abort(400, _sentence(str(exc)))
        response = Response(data, mimetype="application/pdf")
        response.headers["Content-Disposition"] = 'inline; filename="leaflet.pdf"'
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/articles/<slug>")
    def preview(slug: str) -> Response:
        article = next((a for a in articles() if a.slug == slug), None)
        if article is None:
            abort(404, f"There is no article '{slug}'.")
        return page("preview.html", article=article,
                    pages=range(1, count_pages(article) + 1))

    @app.get("/articles/<slug>/<int:number>.png")
    def page_image(slug: str, number: int) -> Response:
        article = next((a for a in articles() if a.slug == slug), None)
        if article is None:
            abort(404, f"There is no article '{slug}'.")
        if number < 1 or number > count_pages(article):
            abort(404, f"'{slug}' has no page {number}.")
        image = pool.run(_page_png, slug, number)
        if image is None:
            abort(404, f"'{slug}' has no page {number}.")
        return Response(image, mimetype="image/png")

    def count_pages(article: Article) -> int:
        """The article's page count: remembered while its file is unchanged."""
        stat = (project.root / article.path).stat()
        signature = (stat.st_mtime_ns, stat.st_size)
        known = page_counts.get(article.slug)
        if known is None or known[0] != signature:
            known = (signature, pool.run(_page_count, article.slug))
            page_counts[article.slug] = known
        return known[1]

    @app.get("/downloads/")
    @app.get("/downloads/<path:name>")
    def downloads(name: str = INDEX) -> Response:
        if not (settings.dist / MANIFEST).is_file():
            abort(404, "Nothing has been built yet: run 'printjournal build'.")
        if name not in published(project, settings.dist):
            abort(404, f"'{name}' is not among the published downloads.")
        if not as_listed(settings.dist, name):    # replaced after its manifest was written
            abort(503, "This file is being rebuilt: please try again in a minute.")
        return send_from_directory(settings.dist.resolve(), name)

    @app.get("/desk.css")
    def stylesheet() -> Response:
        return Response((project.layouts_dir / "desk" / "desk.css").read_text(encoding="utf-8"),
                        mimetype="text/css")

    return app


def leaflet_fields(project: Project, known: list[Article], form: Any,
                   today: dt.date) -> dict[str, Any]:
    """The leaflet form's fields, checked before any work, or a 4xx in the form's words."""
    by_slug = {a.slug: a for a in known}
    slugs = tuple(dict.fromkeys(form.getlist("slug")))
    if not slugs:
        abort(400, "Choose at least one article.")
    for slug in slugs:
        if slug not in by_slug:
            abort(404, f"There is no article '{slug[:100]}'.")
    clinic = form.get("clinic") or None
    if clinic is not None and clinic not in {c.id for c in project.clinics}:
        abort(400, f"There is no clinic '{clinic[:100]}'.")
    booklet = form.get("booklet") == "on"
    paper = form.get("paper") or None
    if paper is not None and paper not in PAPERS:
        abort(400, "Paper must be A4, A5 or Letter.")
    allow_overdue = form.get("allow_overdue") == "on"
    for slug in slugs:
        article = by_slug[slug]
        if review_status(article, today) == "overdue" and not allow_overdue:
            review = article.review
            abort(400, f"“{article.title}” is past its clinical review: its next review was "
                  f"due on {review.next_review.isoformat()} (owner: {review.owner}). Ask the "
                  "owner to review it, or tick “Print articles past their review date” to "
                  "print it marked “Review overdue”.")
    texts = {}
    for name, (label, limit) in FIELD_LIMITS.items():
        text = " ".join(form.get(name, "").split())   # a line break in the box is a space
        if len(text) > limit:
            abort(400, f"{label} can have at most {limit} characters (this one has "
                  f"{len(text)}).")
        if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in text):
            abort(400, f"{label} has characters that cannot be printed.")
        try:
            check_printable(project.fonts_dir, label, text)
        except UnprintableError as exc:
            abort(400, _sentence(str(exc)))
        texts[name] = text
    # a booklet is A5 pages on A4 sheets whatever the paper list shows
    return {"slugs": slugs, "clinic": clinic, "paper": None if booklet else paper,
            "large_print": form.get("large_print") == "on", "booklet": booklet,
            "allow_overdue": allow_overdue, **texts}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def published(project: Project, dist: Path) -> set[str]:
    """The paths under ``dist`` the desk serves: what the build's manifest.json lists, its
    downloads pages and the bundled fonts they use; nothing else put there."""
    try:
        files = json.loads((dist / MANIFEST).read_text(encoding="utf-8"))["files"]
        listed = {str(entry["path"]) for entry in files}
        issues = {f"issues/{e['slug']}.html" for e in files if e.get("kind") == ISSUE}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    fonts = {f"fonts/{p.name}" for p in project.fonts_dir.glob("*") if p.is_file()}
    return listed | issues | fonts | {MANIFEST, INDEX}


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


def serve(project: Project, settings: DeskSettings, access: DeskAccess, debug: bool) -> None:
    """Run the desk until interrupted: waitress, or Flask's debug server with ``debug``.

    Raises :class:`~printjournal.deskguard.AccessError` (said as a usage error) when the
    desk would be open to the network unprotected, or its port is taken."""
    access.check()
    app = create_app(project, settings, access=access)
    log.warning("leaflet desk on http://%s:%d/", access.host, access.port)
    signal.signal(signal.SIGTERM, _stop)   # a service manager's stop: shut the pool down too
    try:
        if debug:
            app.run(host=access.host, port=access.port, debug=True, use_reloader=False)
        else:
            import waitress

            waitress.serve(app, host=access.host, port=access.port,
                           threads=max(8, settings.workers * 4), ident="printjournal",
                           max_request_body_size=access.max_body)
    finally:
        app.extensions["printjournal.pool"].close()
