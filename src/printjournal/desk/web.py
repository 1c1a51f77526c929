"""HTTP requests in, pages and PDFs out: the leaflet desk for clinic staff.

A Flask app whose pages are rendered through the project's own layouts
(``layouts/desk/``, the same strict, autoescaping Jinja environment as the
PDFs), served by waitress unless ``--debug``:

    GET  /                          the library: every article, searchable, with its review status,
                                    and the leaflet form (choices so far in the query)
    POST /                          the same, the whole form posted back (Search, Remove)
    POST /leaflet                   a redirect to the result page, or the form with its problems
    GET  /leaflets/<token>          the result: the PDF to open, how to print it, "Next patient"
    GET  /leaflets/<token>/leaflet.pdf  the leaflet PDF, inline, ready for the print dialog
    POST /leaflets/<token>/done     "Next patient": the PDF forgotten, an empty form
    GET  /articles/<slug>           an article's pages as images, for editors
    GET  /fit.json, /fit/...        the front box's size and the layer's page, for the
                                    form's "will it fit?" (fit.py)
    GET  /articles/<slug>/<n>.png   one page image
    GET  /downloads/...             what ``printjournal build`` published: the files its
                                    manifest.json lists, and its downloads pages

Every request is checked first (:mod:`printjournal.desk.guard`: body size, Host, Origin,
CSRF token, a password when the desk listens beyond this machine), and every form field
before any render. Requests name articles by slug only, never by path. Renders run in a
:class:`~printjournal.workers.pool.WorkerPool`: bounded in time and memory, a dead worker
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, redirect, request, send_from_directory
from werkzeug.exceptions import HTTPException

from .. import cache, styles
from ..errors import Notices, PrintjournalError, relative
from ..load import config
from ..model import Article, Project, ReviewState
from ..outputs import ARTICLE, FONT, ISSUE, LANGUAGE, page_path
from ..site.downloads import INDEX, MANIFEST, as_listed
from ..template.layouts import Layouts
from ..workers.pool import (
    PoolBusyError,
    PoolLimits,
    RenderTimeoutError,
    WorkerLostError,
    WorkerPool,
)
from . import fit as deskfit
from . import form as deskform
from . import library as desklibrary
from . import search as desksearch
from . import size as desksize
from .guard import CSRF_FIELD, DeskAccess, csrf_token, guard
from .prepare import for_desk
from .preview import article_pdf, page_texts
from .result import HeldLeaflets, Made
from .shelf import Shelf

log = logging.getLogger(__name__)

PLAIN_TITLES = {400: "This cannot be done", 403: "Not allowed here", 404: "Not found",
                405: "Not found", 413: "Too much to send", 401: "Password needed"}


# ---------- the worker side: runs in the pool's processes ----------

@dataclass(frozen=True)
class DeskWorker:
    """What one worker process loads once: the pipeline and the render cache."""

    pipeline: Any               # build.Pipeline (imported in the worker only)
    store: cache.RenderCache
    shelf: Shelf


def start_worker(root: str) -> DeskWorker:
    from ..pipeline import Pipeline

    project = config.load_project(Path(root))
    return DeskWorker(Pipeline.load(project), cache.RenderCache.for_project(project, desk=True),
                      Shelf(project))


def _page_count(worker: DeskWorker, slug: str) -> int:
    from ..pdf.overlay import page_count

    return page_count(article_pdf(worker, slug))


def _page_png(worker: DeskWorker, slug: str, number: int) -> bytes | None:
    """Page ``number`` (1-based) of an article as a PNG image, or None past its end."""
    import pypdfium2

    document = pypdfium2.PdfDocument(article_pdf(worker, slug))
    try:
        if not 1 <= number <= len(document):
            return None
        buffer = io.BytesIO()
        document[number - 1].render(scale=1.25).to_pil().save(buffer, "PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def _leaflet(worker: DeskWorker, fields: dict[str, Any], today: dt.date) -> Made:
    from ..leaflet.build import LeafletRequest, Personal, leaflet

    personal = Personal(for_name=fields.pop("for_name"), note=fields.pop("note"))
    notices = Notices()
    made = leaflet(worker.pipeline, LeafletRequest(**fields), today, personal,
                   worker.store, worker.shelf.load(), notices=notices, kept=worker.shelf.kept)
    if (outage := worker.store.news()) is not None:     # printed without the shared cache
        project = worker.pipeline.project
        notices.warn([], relative(project.config_path, project.root), 0, outage)
    return Made(made.data, made.pages, made.sheets, tuple(str(n) for n in notices.found))


# ---------- the web side ----------
@dataclass(frozen=True)
class DeskSettings:
    """How the desk runs: where the website build is, and the limits of one render."""

    dist: Path
    workers: int = os.cpu_count() or 2
    render_seconds: int = 60
    render_memory: int = 2 * 2**30     # bytes of address space for one worker
    queue: int = 64                    # requests that may wait for a worker; then 503
    max_pages: int = 40                # a leaflet's articles, together (size.py)


def render_pool(project: Project, settings: DeskSettings) -> WorkerPool:
    """The desk's worker processes, each loading the project once."""
    limits = PoolLimits(workers=settings.workers, seconds=settings.render_seconds,
                        memory=settings.render_memory, queue=settings.queue)
    return WorkerPool(limits, start_worker, (str(project.root),))


def create_app(project: Project, settings: DeskSettings, pool: Any = None,
               today: Callable[[], dt.date] = dt.date.today,
               access: DeskAccess | None = None) -> Flask:
    """The desk app for ``project``; ``pool`` runs renders (made here if not given), and
    makes long articles' parts ahead (deskprepare.py) once serve() starts it."""
    app = Flask(__name__)
    access = access or DeskAccess()
    guard(app, access)
    layouts = Layouts(project)
    app.extensions["printjournal.pool"] = pool = pool or render_pool(project, settings)
    counts = desksize.PageCounts(project)     # each article's pages, as far as known
    known_pages = counts.known
    library_facts = desklibrary.Library(project)
    search_words = desksearch.load(project)      # content/search-words.toml, checked once
    shelf = Shelf(project)
    held = HeldLeaflets()
    date = layouts.labels(project.journal.lang).date     # one date style on every page
    app.extensions["printjournal.prepare"] = ahead = for_desk(    # started by serve()
        project, layouts.labels, pool, shelf, counts, settings.max_pages, today)

    def page(template: str, status: int = 200, **context: Any) -> Response:
        html = layouts.render(f"desk/{template}", journal=project.journal, date=date,
                              **context)
        response = Response(html, status=status, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"     # a form may hold a name
        return response

    def articles() -> list[Article]:
        loaded, _problems = shelf.load()
        ahead.library_read(shelf.generation)       # changed: its parts made ahead
        return sorted(loaded, key=lambda a: (a.section, a.title))

    def unavailable(title: str, message: str, retry_after: int) -> Response:
        response = page("error.html", status=503, code=503, title=title, message=message)
        response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return page("error.html", status=error.code or 500, code=error.code,
                    title=PLAIN_TITLES.get(error.code or 500, "Something went wrong"),
                    message=error.description)

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

    def library_page(choices: deskform.Choices, problems: list[deskform.FormProblem],
                     status: int = 200) -> Response:
        day = today()
        known = articles()
        by_slug = {a.slug: a for a in known}
        listed = [a for a in known if desksearch.matches(a, choices.query, search_words)
                  and (not choices.lang or a.lang == choices.lang)]
        selected = [by_slug[s] for s in choices.slugs if s in by_slug]
        return page("library.html", status=status, choices=choices, problems=problems,
                    articles=listed, selected=selected,
                    languages=sorted({a.lang for a in known}),
                    pages_of=known_pages,
                    facts_of=lambda a: library_facts.facts(a, known),
                    language_name=desklibrary.language_name,
                    hidden_selected=[a for a in selected if a not in listed],
                    status_of=lambda a: ReviewState.of(a.review, day), clinics=project.clinics,
                    papers=deskform.PAPERS, styles=styles.STYLES,
                    default_paper=project.journal.paper,
                    csrf_field=CSRF_FIELD, csrf=csrf_token(access),
                    limits={n: limit for n, (_l, limit) in deskform.FIELD_LIMITS.items()})

    @app.get("/")
    def library() -> Response:
        return library_page(deskform.read(request.args).without_personal(), [])

    @app.post("/")
    def library_posted() -> Response:     # Search, Show all, Remove: nothing typed is lost
        return library_page(deskform.read(request.form), [])

    @app.post("/leaflet")
    def make_leaflet() -> Response:
        choices = deskform.read(request.form)
        if deskform.new_search(request.form):    # Enter in the search box, without script
            return library_page(choices, [])
        known = articles()
        printing = deskform.in_languages(choices, known)     # the versions chosen to print
        problems = deskform.problems(project, known, printing, today(), date) or \
            desksize.leaflet_problems(known, printing.slugs, known_pages, settings.max_pages,
                                      lambda: desksize.to_render(
                                          project, layouts.labels, deskform.leaflet_fields(
                                              printing), today(), counts.store, known,
                                          known_pages))
        if problems:
            return library_page(choices, problems, 400)
        try:
            made = pool.run(_leaflet, deskform.leaflet_fields(printing), today())
        except (PoolBusyError, RenderTimeoutError, WorkerLostError):
            raise                     # the desk's own troubles: a 503 from their handlers
        except (ValueError, PrintjournalError) as exc:   # too long for the box; content
            # an error with problems (content) says each; one with a plain message (the
            # name and note do not fit) says that message
            found = [p.message for p in getattr(exc, "problems", ())] or [str(exc)]
            return library_page(choices, [deskform.from_library(m) for m in found], 400)
        token = held.put(made, printing.slugs)
        return redirect(f"/leaflets/{token}", 303)

    def held_leaflet(token: str) -> Any:
        found = held.get(token)
        if found is None:
            abort(404, "This leaflet is no longer held here (the desk keeps a leaflet for "
                  "ten minutes, until “Next patient”): make it again from the library.")
        return found

    @app.get("/leaflets/<token>")
    def result(token: str) -> Response:
        found = held_leaflet(token)
        by_slug = {a.slug: a for a in articles()}
        again = deskform.Choices(slugs=found.slugs)
        return page("result.html", token=token, made=found.made, again=again.link(),
                    articles=[by_slug[s] for s in found.slugs if s in by_slug],
                    csrf_field=CSRF_FIELD, csrf=csrf_token(access))

    @app.get("/leaflets/<token>/leaflet.pdf")
    def result_pdf(token: str) -> Response:
        response = Response(held_leaflet(token).made.data, mimetype="application/pdf")
        response.headers["Content-Disposition"] = 'inline; filename="leaflet.pdf"'
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.post("/leaflets/<token>/done")
    def next_patient(token: str) -> Response:
        held.forget(token)
        return redirect("/", 303)

    @app.get("/articles/<slug>")
    def preview(slug: str) -> Response:
        article = next((a for a in articles() if a.slug == slug), None)
        if article is None:
            abort(404, f"There is no article '{slug}'.")
        if (too_big := desksize.preview_problem(article, known_pages(article),
                                                settings.max_pages)):
            return unavailable("Too big for the desk", too_big, 3600)
        day = today()
        choices = deskform.read(request.args).without_personal()
        texts = pool.run(page_texts, slug)           # the pages' words, for screen readers
        counts.remember(article, len(texts))
        return page("preview.html", article=article, choices=choices, texts=texts,
                    review=ReviewState.of(article.review, day), pages=range(1, len(texts) + 1))

    @app.get("/articles/<slug>/<int:number>.png")
    def page_image(slug: str, number: int) -> Response:
        article = next((a for a in articles() if a.slug == slug), None)
        if article is None:
            abort(404, f"There is no article '{slug}'.")
        if desksize.preview_problem(article, known_pages(article), settings.max_pages):
            abort(404, f"'{slug}' is too big to preview here.")
        if number < 1 or number > counts.count(article, lambda: pool.run(_page_count, slug)):
            abort(404, f"'{slug}' has no page {number}.")
        image = pool.run(_page_png, slug, number)
        if image is None:
            abort(404, f"'{slug}' has no page {number}.")
        return Response(image, mimetype="image/png")

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

    deskfit.add_routes(app, project, layouts, pool)      # "will it fit?" before submitting

    @app.get("/desk.css")
    @app.get("/desk.js")
    def static_file() -> Response:
        name = request.path.lstrip("/")
        return Response((project.layouts_dir / "desk" / name).read_text(encoding="utf-8"),
                        mimetype="text/css" if name.endswith(".css") else "text/javascript")

    return app


def published(project: Project, dist: Path) -> set[str]:
    """The paths under ``dist`` the desk serves: what the build's manifest.json lists, its
    downloads pages (per issue, per language) and the bundled fonts they use; nothing else
    put there."""
    try:
        files = json.loads((dist / MANIFEST).read_text(encoding="utf-8"))["files"]
        listed = {str(entry["path"]) for entry in files}
        issues = {page_path(ISSUE, e["slug"]) for e in files if e.get("kind") == ISSUE}
        issues |= {page_path(LANGUAGE, str(e.get("lang", "")).split("-")[0].lower())
                   for e in files if e.get("kind") == ARTICLE}   # the page per language
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    fonts = {page_path(FONT, p.name) for p in project.fonts_dir.glob("*") if p.is_file()}
    return listed | issues | fonts | {MANIFEST, INDEX}


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(project: Project, settings: DeskSettings, access: DeskAccess, debug: bool) -> None:
    """Run the desk until interrupted: waitress, or Flask's debug server with ``debug``.

    Raises :class:`~printjournal.desk.guard.AccessError` (said as a usage error) when the
    desk would be open to the network unprotected, or its port is taken."""
    access.check()
    app = create_app(project, settings, access=access)
    log.warning("leaflet desk on http://%s:%d/", access.host, access.port)
    app.extensions["printjournal.prepare"].start()     # long articles' parts, made ahead
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
        app.extensions["printjournal.prepare"].stop()
        app.extensions["printjournal.pool"].close()
