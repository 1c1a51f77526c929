"""An HTML document in, PDF bytes out: WeasyPrint, fenced in.

WeasyPrint's own fetcher reads any local file (and can attach it to the PDF)
and follows network URLs. :class:`ProjectFetcher` allows only ``data:`` URLs
and files inside the project's content/, layouts/ and fonts/ folders, after
resolving symlinks and ``..``; anything else stops the render with an error
naming the document. Images are checked for decompression bombs before
WeasyPrint decodes them, and every error WeasyPrint logs while rendering (a
broken image, an unreadable SVG) fails the render instead of printing a PDF
with a hole in it. After each layout, every footnote is checked to be on the page
of its source's first citation (placement.py), and the layout redone or refused; and
nothing may print outside the page area (pagearea.py).
"""

from __future__ import annotations

import gc
import logging
import mimetypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..cache import file_hash
from ..errors import PlacementError, Problem, RenderError, relative
from ..load.content import IMAGE_TYPES, raster_problem
from ..model import Project
from ..pdf.finishers import margins_as_artifacts
from . import images, pagearea, placement
from .fonts import is_missing_glyph, isolate, missing_glyph_problem

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"
#: How many citing blocks of one document may be moved to a new page to keep their notes.
MAX_FOOTNOTE_MOVES = 8

#: Edits WeasyPrint's PDF objects before they are written: ``finisher(document, pdf)``.
Finisher = Callable[[Any, Any], None]


class RefusedResourceError(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop a render that asked for a forbidden URL."""


class ProjectFetcher(URLFetcher):
    """Fetch ``data:`` URLs and files under the project's own folders only."""

    def __init__(self, project: Project) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.root = project.root
        self.refused: list[str] = []  # WeasyPrint swallows some errors: remember them
        self.allowed = tuple(d.resolve() for d in
                             (project.content_dir, project.layouts_dir, project.fonts_dir))

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            return self._fetch(url, headers)
        except RefusedResourceError as exc:
            self.refused.append(str(exc))
            raise

    def _fetch(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedResourceError(f"refused to fetch '{url}': only the project's own files "
                                  "are used")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed):
            raise RefusedResourceError(f"refused to read '{path}': it is outside the project's "
                                  "content, layouts and fonts folders")
        if not path.is_file():
            raise RefusedResourceError(f"file not found: {relative(path, self.root)}")
        if path.suffix.lower() in IMAGE_TYPES - {".svg"}:
            problem = raster_problem(path, str(relative(path, self.root)))
            if problem:
                raise RefusedResourceError(problem)
            path = images.printable(path, self.root / ".printjournal-cache")
        elif path.suffix.lower() == ".svg":
            problem = images.svg_problem(path, str(relative(path, self.root)))
            if problem:
                raise RefusedResourceError(problem)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  headers={"Content-Type": mime})


@dataclass(frozen=True)
class Renderer:
    """Renders HTML documents of one project.

    Reuses one font configuration, and parses each of the layouts' stylesheets once
    (the parse is a third of the time of a one-page document): a document's
    ``<link rel="stylesheet">`` tags are taken out of its HTML and their sheets given
    to WeasyPrint already parsed, in the same order. WeasyPrint applies given sheets
    with the *user* origin, below the document's own ``<style>`` (author origin): so
    a layout's per-document ``<style>`` wins over the shared sheets, as it was meant
    to; the layouts use no ``!important``, the one thing that origin would change.
    """

    project: Project
    fonts: FontConfiguration
    sheets: dict[tuple[Path, str], weasyprint.CSS] = field(default_factory=dict,
                                                           compare=False, repr=False)

    @classmethod
    def for_project(cls, project: Project) -> Renderer:
        isolate(project.fonts_dir)   # fontconfig sees the bundled fonts only
        return cls(project, FontConfiguration())

    def _stylesheets(self, html: str, fetcher: ProjectFetcher
                     ) -> tuple[str, list[weasyprint.CSS]]:
        """``html`` without its layout stylesheet links, and those sheets, parsed."""
        sheets, kept, position = [], [], 0
        for start, end, href in _StylesheetLinks.of(html):
            path = (self.project.layouts_dir / href).resolve()
            if not path.is_relative_to(self.project.layouts_dir.resolve()) \
                    or not path.is_file():
                continue   # WeasyPrint fetches it, through the fence, and says what is wrong
            key = (path, file_hash(path))
            if key not in self.sheets:
                self.sheets[key] = weasyprint.CSS(
                    string=path.read_text(encoding="utf-8"), base_url=path.as_uri(),
                    url_fetcher=fetcher, font_config=self.fonts, media_type="print")
            sheets.append(self.sheets[key])
            kept.append(html[position:start])
            position = end
        return "".join([*kept, html[position:]]), sheets

    def _layout(self, html: str, base_url: str, fetcher: ProjectFetcher,
                sheets: list[weasyprint.CSS], name: Path, page_area: bool,
                first_page: int = 1) -> weasyprint.Document:
        """Lay ``html`` out with every footnote on the page of its first citation: a
        misplaced note's citing block is moved to the next page and the document laid
        out again (see placement.py); a note no move places is an error. Errors give page
        numbers counted from ``first_page`` (a part's first page in its leaflet)."""
        misplaced: list[placement.Misplaced] = []
        for _attempt in range(MAX_FOOTNOTE_MOVES + 1):
            document = weasyprint.HTML(
                string=html, base_url=base_url, url_fetcher=fetcher).render(
                    stylesheets=sheets, font_config=self.fonts, pdf_variant=PDF_VARIANT)
            misplaced = placement.misplaced_notes(document.pages)
            moved = placement.remedy(html, misplaced[0], document.pages) if misplaced else None
            if moved is None:
                break
            html = moved
        shift, pages = first_page - 1, len(document.pages)
        if misplaced:
            raise PlacementError(placement.problems(self.project, name, [
                replace(m, call_page=m.call_page + shift,
                        note_page=None if m.note_page is None else m.note_page + shift)
                for m in misplaced], html), pages)
        if page_area and (strays := pagearea.strays(document.pages)):
            raise PlacementError(pagearea.problems(
                self.project, name, [replace(s, page=s.page + shift) for s in strays]), pages)
        return document

    def pdf(self, html: str, name: Path, *, finisher: Finisher = margins_as_artifacts,
            page_area: bool = True, first_page: int = 1, **options: Any) -> Rendered:
        """Render ``html`` to tagged PDF/UA-1; ``name`` is its content file, for errors.

        ``finisher`` edits the PDF objects before they are written (WeasyPrint's
        ``finisher`` option; the default turns page furniture into artifacts);
        ``options`` go to ``write_pdf`` (``dpi``, ``jpeg_quality``, ...). ``page_area``:
        refuse what prints outside the page area (pagearea.py); leaflet/personal.py measures its
        layer itself, to fit it, and never quotes a patient's name. ``first_page``: the
        number errors give the first page. Raises RenderError; PlacementError for what the
        layout put in the wrong place.
        """
        base_url = self.project.layouts_dir.resolve().as_uri() + "/"
        fetcher = ProjectFetcher(self.project)
        with _collect_errors() as errors, fewer_collections():
            try:
                html, sheets = self._stylesheets(html, fetcher)
                document = self._layout(html, base_url, fetcher, sheets, name, page_area,
                                        first_page)
                # images, SVG and attachments are fetched while writing, so this
                # stays inside the fence too
                data = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=finisher,
                                          **options)
            except RefusedResourceError as exc:
                raise RenderError.at(name, 0, str(exc)) from None
        messages = dict.fromkeys([*fetcher.refused, *errors])
        if messages:
            raise RenderError([missing_glyph_problem(message, name, self.project.root)
                               or Problem(name, 0, message) for message in messages])
        assert data is not None
        return Rendered(data, len(document.pages))


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF and its page count."""

    data: bytes
    pages: int


class _StylesheetLinks(HTMLParser):
    """The ``<link rel="stylesheet" href>`` tags of a document's head, in order, as
    (start, end, href): where each tag is in the text (not in a comment or a title)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = [0]
        for line in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.found: list[tuple[int, int, str]] = []

    @classmethod
    def of(cls, html: str) -> list[tuple[int, int, str]]:
        end = html.find("</head>")
        head = html[:end] if end != -1 else ""
        parser = cls(head)
        parser.feed(head)
        parser.close()
        return parser.found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = values.get("rel", "").lower().split()
        href = values.get("href", "")
        media = values.get("media", "all").strip().lower()
        if tag == "link" and "stylesheet" in rel and "alternate" not in rel and href \
                and ":" not in href and not href.startswith("/") \
                and media in ("all", "print") and self.get_starttag_text():
            line, column = self.getpos()
            start = self.lines[line - 1] + column
            self.found.append((start, start + len(self.get_starttag_text() or ""), href))


#: Python's cycle collector runs after every 700 new objects and then often walks the
#: whole heap. WeasyPrint (boxes, styles) and pypdf (parsed objects) make hundreds of
#: thousands of short-lived objects, few of them in cycles: with the default, a cold
#: issue build spent about a tenth of its time collecting. Measured with
#: bench/issue.py; peak memory did not change.
GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cycle collector less often inside (worker processes forked inside too)."""
    old = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextmanager
def _collect_errors() -> Iterator[list[str]]:
    """Turn WeasyPrint's logged errors (broken images, ...) into our errors."""
    messages: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR or is_missing_glyph(record):
                messages.append(record.getMessage())
            else:
                log.debug("weasyprint: %s", record.getMessage())

    handler = Handler(logging.DEBUG)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
