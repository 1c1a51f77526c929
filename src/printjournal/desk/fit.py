"""The leaflet options staff chose in; what the form's script needs to say, before they
submit, whether the patient's name and note will fit the front box out.

The front box is measured on the leaflet itself: :func:`front_boxes` (in a desk worker)
lays out the leaflet's front page with nothing in its article, once per paper and style,
and reads the two boxes a name alone or a name and note go into (``leaflet.html``'s
``personal-slot``), in points. The page's script then sets the name and note in the
personal layer's own page (:func:`layer_page`: ``leaflet-personal.html`` with the
designers' ``leaflet.css``, in a hidden frame), so the browser measures them with the
bundled fonts' advance widths, at the box's width, in the chosen style and at each
smaller step (``fit-1``, ``fit-2``), as the leaflet does. It is an estimate, on the safe
side (a margin of ``SAFETY`` points): the render's own fit check (leaflet/personal.py) decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import styles

SAFETY = 3.0        # points: "fits" only with this much room to spare
LAYER_FILES = ("fonts.css", "print.css", "leaflet.css")    # what the frame may load


@dataclass(frozen=True)
class FrontBoxes:
    """The front box's size in points, for a name alone and for a name and note."""

    name: tuple[float, float]
    note: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {"name": list(self.name), "note": list(self.note), "safety": SAFETY,
                "steps": 3}


def front_boxes(worker: Any, paper: str, style: str, booklet: bool) -> FrontBoxes:
    """The two boxes of a leaflet on ``paper`` in the ``style`` named (styles.py; in a desk
    worker: it renders)."""
    from ..leaflet.build import SLOT, SLOT_END, find_clinic, leaflet_html
    from ..model import ReviewState
    from ..pdf.overlay import named_rect, open_pdf

    pipeline = worker.pipeline
    project = pipeline.project
    articles = worker.shelf.load()[0]
    first = next((a for a in articles if a.lang == project.journal.lang), articles[0])
    empty = replace(first, body="", dek="", sources=())       # the front page alone
    sizes = []
    for slot in ("name", "note"):
        html = leaflet_html(pipeline, [empty], [ReviewState.REVIEWED],
                            find_clinic(project, None), paper,
                            lambda lang: pipeline.layouts.labels(lang).date(dt.date.today()),
                            style=styles.style(style), personal_slot=slot, booklet=booklet)
        data = pipeline.renderer.pdf(html, Path("layouts/leaflet.html"), page_area=False).data
        with open_pdf(data) as pdf:
            _page, rect = named_rect(pdf, SLOT, SLOT_END)
        sizes.append((round(rect.width, 2), round(rect.height, 2)))
    return FrontBoxes(*sizes)


def layer_page(layouts: Any, lang: str) -> str:
    """The personal layer's page for the form's frame, in the standard style, with a
    sample name and note (the script puts the patient's in, never the server, and sets
    the chosen style's ``css_class``; a style's own stylesheet is not loaded in it)."""
    labels = layouts.labels(lang)
    return layouts.render("leaflet-personal.html", for_name="A", note="A", labels=labels,
                          lang=lang, width=100, height=100, style=styles.STANDARD, fit=0)


def add_routes(app: Any, project: Any, layouts: Any, pool: Any) -> None:
    """The desk's routes for the estimate (all without personal details):

        GET /fit.json?paper=A4&style=large-print&booklet=on  the two boxes, in points
        GET /fit/layer?lang=en-GB                            the layer's page, for the frame
        GET /fit/<fonts|print|leaflet>.css, /fonts/<file>    what that page loads
    """
    from flask import Response, abort, jsonify, request, send_from_directory

    known: dict[tuple[str, str, bool], FrontBoxes] = {}     # measured once per desk

    @app.get("/fit.json")
    def fit_boxes() -> Response:
        booklet = request.args.get("booklet") == "on"
        paper = "A5" if booklet else request.args.get("paper", project.journal.paper)
        if paper not in ("A4", "A5", "Letter"):
            abort(404, "There is no such paper.")
        name = request.args.get("style") or styles.STANDARD.name
        if name not in {s.name for s in styles.STYLES}:
            abort(404, "There is no such leaflet style.")
        key = (paper, name, booklet)
        if key not in known:
            known[key] = pool.run(front_boxes, *key)
        return jsonify(known[key].to_json())

    @app.get("/fit/layer")
    def fit_layer() -> Response:
        lang = request.args.get("lang", project.journal.lang)[:20]
        response = Response(layer_page(layouts, lang), mimetype="text/html")
        # framed by the desk's own form only; no script, no form, no base in it
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'self'")
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    @app.get("/fit/<name>")
    def fit_css(name: str) -> Response:
        if name not in LAYER_FILES:
            abort(404, f"'{name}' is not part of the layer.")
        return Response((project.layouts_dir / name).read_text(encoding="utf-8"),
                        mimetype="text/css")

    @app.get("/fonts/<name>")
    def fit_font(name: str) -> Response:
        return send_from_directory(project.fonts_dir.resolve(), name)
