"""printjournal: health journal articles in, print-ready and accessible PDFs out.

The pipeline, left to right: load → markup → template → render → assemble → products;
one package a stage, one a product, and what they all share at the top.

    load/       printjournal.toml, content/ → Project, Article (validated, with lines)
    markup/     Article.body Markdown  → Body (sanitised HTML)
    template/   Article + Body         → HTML document (layouts/)
    render/     HTML document          → PDF bytes (WeasyPrint, fenced in), checked
    pdf/        PDFs                   → PDFs: finishers, folios, assembly, overlay, booklet
    pipeline    Project                → the loaded stages every product renders through
    products:   article (pipeline), leaflet/, issue/ (press/ for print), site/ (the
                website build), desk/ (the leaflet desk), preview/ (the live preview)
    workers/    render jobs            → results, in bounded worker processes
    outputs     an output              → its path in dist/ and its render cache key
    cache       a render's inputs      → its key; the render cache
    editions, styles                   the issue's editions and the leaflet's styles: tables
    checks/     articles               → editorial warnings and refusals at their lines;
                                         ``printjournal check`` and the report
    model, errors, files, progress     the values, errors, files and progress all share
    cli         argv                   → calls the above, exit status

The public API is what ``__all__`` names; the CLI and the benchmarks use it::

    import printjournal as pj

    project = pj.load_project("path/to/journal")       # or None: look upward from here
    pipeline = pj.Pipeline.load(project)
    pj.build_article(pipeline, project.root / "content/articles/sleep.md")
    pj.build_issue(pipeline, project.root / "content/issues/winter-2026.yaml",
                   project.root / "winter.pdf", edition="print")
    made = pj.build_leaflet(pipeline, pj.LeafletRequest(("sleep",), style="large-print"),
                            datetime.date.today())
    pj.build_site(project, project.root / "dist")

Every error a user can cause is a :class:`PrintjournalError` (its ``problems`` read
``path:line: message``; ``usage`` marks a wrong option). ``import printjournal`` is cheap:
each name is imported from its module when first used (WeasyPrint only with the pipeline).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_FROM = {   # public name → the module that defines it
    "find_root": "load.config",
    "Project": "model", "Article": "model", "ReviewState": "model",
    "Pipeline": "pipeline", "Built": "pipeline", "build_article": "pipeline",
    "build_issue": "issue.build",
    "build_site": "site.build", "Summary": "site.build",
    "LeafletRequest": "leaflet.build", "Personal": "leaflet.build", "Leaflet": "leaflet.build",
    "Edition": "editions", "EDITIONS": "editions",
    "LeafletStyle": "styles", "STYLES": "styles",
    "output_path": "outputs", "RenderCache": "cache",
    **{name: "errors" for name in (
        "PrintjournalError", "ConfigError", "ContentError", "LayoutError", "RenderError",
        "PlacementError", "AssemblyError", "OutputError", "ClusterError", "ReviewError",
        "OptionError", "Problem", "Notice", "Notices")},
}

__all__ = ["__version__", "build_leaflet", "load_project", *_FROM]


def load_project(root: str | os.PathLike[str] | None = None) -> Project:
    """The project whose printjournal.toml is in the folder ``root`` (default: the
    nearest folder at or above the working directory that has one), validated.

    Raises ConfigError with every problem of the file together, each ``path:line``."""
    from pathlib import Path

    from .load.config import find_root
    from .load.config import load_project as load

    return load(Path(root) if root is not None else find_root(Path.cwd()))


def build_leaflet(pipeline: Pipeline, request: LeafletRequest, today: dt.date,
                  personal: Personal | None = None, store: RenderCache | None = None,
                  notices: Notices | None = None) -> Leaflet:
    """A patient leaflet as PDF bytes (:class:`Leaflet`: ``data``, ``pages``, ``sheets``
    for a booklet) of the articles ``request`` names, in its clinic, paper and style,
    dated ``today``; ``personal`` (a patient's name and note) is printed on the front and
    never stored. ``store``: the render cache to reuse leaflets from (None: render).

    Raises OptionError (a wrong option: exit status 2), ConfigError (no such clinic),
    ContentError (an unknown or faulty article), ReviewError (an article past its
    clinical review, unless ``request.allow_overdue``), RenderError."""
    from .leaflet.build import leaflet

    return leaflet(pipeline, request, today, personal, store, notices=notices)


def __getattr__(name: str) -> Any:
    """The public names, each imported from its module when first asked for."""
    if name in _FROM:
        return getattr(importlib.import_module(f".{_FROM[name]}", __name__), name)
    raise AttributeError(f"module 'printjournal' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    import datetime as dt

    from .cache import RenderCache
    from .errors import Notices
    from .leaflet.build import Leaflet, LeafletRequest, Personal
    from .model import Project
    from .pipeline import Pipeline
