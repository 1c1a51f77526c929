"""Article slugs, a clinic and print options in; a patient leaflet PDF out.

A leaflet (``layouts/leaflet.html``) is the clinic's front band, each article laid out as in
its article PDF (footnoted sources, Sources list, disclaimer), and a closing panel with the
clinic's details and a QR code to each article's web page. Each article is a part rendered
on its own and kept in the render cache, then the parts are assembled into one tagged PDF
with "Page X of Y" filled in (:mod:`printjournal.leaflet.parts`): an article printed in
another leaflet is not rendered again, and a render error names the article it comes from.

Clinical governance: an article past its next review date is refused (:class:`ReviewError`
naming it) unless ``allow_overdue``, which stamps "Review overdue" on its pages; an article
without ``review`` prints "Not clinically reviewed" on its pages. The date printed is a
parameter (``today``), never read from the clock here.

Speed: each part, and the assembled leaflet, is kept in the render cache, keyed on every
input that shapes it (the articles and their images, the clinic and its logo, paper, the
style, the governance state of each article, the date printed, layouts, fonts, versions).

Privacy: the patient's name and the clinician's note (:class:`Personal`) never reach the
cache, the logs, file names or metadata. The cached leaflet only reserves a box on the front;
the personal layer is rendered on its own for each print, never stored, and laid into that
box with its tags grafted into the leaflet's structure tree (:mod:`printjournal.pdf.overlay`).

``booklet`` imposes the A5 leaflet two-up on A4 landscape sheets (:mod:`printjournal.pdf.booklet`):
a print-only file; the accessible PDF/UA leaflet is the same request without ``booklet``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import cache, styles
from ..checks import plainlanguage, translations
from ..checks.overdue import review_line
from ..errors import (
    ConfigError,
    ContentError,
    FolderProblem,
    Notice,
    Notices,
    OptionError,
    PrintjournalError,
    Problem,
    ReviewError,
    relative,
)
from ..load import content
from ..markup import links
from ..model import PAPER_SIZES, Article, Clinic, Project, ReviewState
from ..outputs import LEAFLET, PRINTOUTS, PUBLISHED, published
from ..pdf.booklet import impose
from ..pdf.overlay import graft, named_rect, open_pdf, page_count
from ..pipeline import Pipeline
from ..styles import STANDARD, LeafletStyle
from .parts import FRONT, Shape, assembled, leaflet_lang, unrendered
from .parts import Item as Item
from .parts import leaflet_html as leaflet_html
from .parts import leaflet_title as leaflet_title
from .parts import qr_data_uri as qr_data_uri
from .personal import Box, DoesNotFitError, check_printable, render_layer
from .personal import UnprintableError as UnprintableError  # raised by leaflet() too

log = logging.getLogger(__name__)

MAX_NAME = 60       # characters of --for
MAX_NOTE = 200      # characters of --note
SLOT, SLOT_END = "personal-slot", "personal-slot-end"   # anchors in leaflet.html
#: the front box's destinations in an assembled leaflet (the first part's anchors)
FRONT_BOX = (f"{FRONT}/{SLOT}", f"{FRONT}/{SLOT_END}")
#: a memo for what is made from the loaded articles alone (the desk's Shelf.kept)
Kept = Callable[[Hashable, Callable[[], tuple[list[Article], tuple[Notice, ...]]]],
                tuple[list[Article], tuple[Notice, ...]]]


@dataclass(frozen=True)
class Personal:
    """Who a leaflet is printed for and the clinician's note: printed on the front only.

    Never logged, cached, used in a file name or in metadata; its repr hides the text."""

    for_name: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        for option, text, limit in (("--for", self.for_name, MAX_NAME),
                                    ("--note", self.note, MAX_NOTE)):
            if len(text) > limit:
                raise OptionError(f"{option} takes at most {limit} characters "
                                  f"(this one has {len(text)})")
            if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
                raise OptionError(f"{option} must be one line of plain text")

    def __repr__(self) -> str:
        return "Personal(<withheld>)"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self.for_name.strip() or self.note.strip())


@dataclass(frozen=True)
class LeafletRequest:
    """What staff ask for: which articles, for which clinic, printed how."""

    slugs: tuple[str, ...]
    clinic: str | None = None          # clinic id; None: the project's default clinic
    paper: str | None = None           # A4, A5 or Letter; None: the project's paper
    style: str = "standard"            # a style's name (styles.py): "large-print", ...
    booklet: bool = False              # A5 pages imposed two-up on A4 landscape sheets
    allow_overdue: bool = False
    allow_stale: bool = False          # print stale translations, marked as such


@dataclass(frozen=True)
class Leaflet:
    """A rendered leaflet."""

    data: bytes
    title: str
    pages: int            # leaflet pages (A5 pages for a booklet)
    sheets: int           # booklet sheets (two sides each); 0 when not a booklet
    reused: bool          # the leaflet came from the render cache
    notices: tuple[Notice, ...] = ()   # its editorial warnings (the desk shows them)


def leaflet(pipeline: Pipeline, request: LeafletRequest, today: dt.date,
            personal: Personal | None = None,
            store: cache.RenderCache | None = None,
            loaded: tuple[list[Article], list[Problem]] | None = None,
            notices: Notices | None = None, kept: Kept | None = None) -> Leaflet:
    """Render the leaflet ``request`` asks for, as printed on ``today``; ``loaded``: the
    project's articles and problems when already loaded (the desk keeps them, and with
    ``kept``, :meth:`printjournal.desk.shelf.Shelf.kept`, the checks of each choice of
    articles); warnings go to ``notices`` and into the result's ``notices``."""
    project = pipeline.project
    personal = personal or Personal()
    _paper(project, request)                 # the options are checked before the articles
    style = styles.style(request.style)
    find_clinic(project, request.clinic)
    check_printable(project.fonts_dir, "The patient's name", personal.for_name)
    check_printable(project.fonts_dir, "The note", personal.note)
    strict = notices.strict if notices is not None else False

    def checked() -> tuple[list[Article], tuple[Notice, ...]]:
        found = Notices(strict)
        return select_articles(project, request.slugs, found, loaded), found.found

    key = ("articles", request.slugs, strict)
    articles, warned = kept(key, checked) if kept is not None else checked()
    if notices is not None:
        notices.extend(warned)
    states = governance(project, articles, today, request.allow_overdue)
    shape = shape_of(project, pipeline.layouts.labels, request, articles, states, today,
                     loaded[0] if loaded else None)
    lang = shape.lang
    rendered: list[int] = []
    slots = _slots(personal)
    for slot in slots:
        data = whole(pipeline, shape, slot, store, rendered)
        if not slot:
            break
        try:
            data = _with_personal(pipeline, data, personal, lang, style)
            break
        except DoesNotFitError:
            if slot == slots[-1]:
                raise
    reused = not rendered
    pages = page_count(data)
    sheets = 0
    if request.booklet:
        data, sheets = impose(data, title=shape.title, lang=lang)
    log.info("leaflet %s: %d pages%s, %s", ", ".join(request.slugs), pages,
             f" on {sheets} sheets" if sheets else "", "reused" if reused else "rendered")
    return Leaflet(data, shape.title, pages, sheets, reused, warned)


def _slots(personal: Personal) -> tuple[str, ...]:
    """The front boxes to try: a name alone goes into the small box; one too long for it,
    into the note's box."""
    return (("note",) if personal.note.strip() else ("name", "note")) if personal else ("",)


def shape_of(project: Project, labels: Callable[[str], Any], request: LeafletRequest,
             articles: Sequence[Article], states: Sequence[ReviewState], today: dt.date,
             every: Sequence[Article] | None) -> Shape:
    """What the leaflet's parts are made from (``labels``: the layouts' label tables by
    language; ``every``: all the project's articles, when loaded). Raises OptionError,
    ConfigError, ContentError (a stale translation without ``allow_stale``)."""
    stale = translations.stale_notes(project, articles, request.allow_stale, every, labels)
    clinic = find_clinic(project, request.clinic)
    return Shape(tuple(articles), tuple(states), tuple(stale) or ("",) * len(articles),
                 clinic, _paper(project, request), today, styles.style(request.style),
                 request.booklet, leaflet_lang(project, articles),
                 leaflet_title(articles, clinic))


def to_render(project: Project, labels: Callable[[str], Any], request: LeafletRequest,
              today: dt.date, personal: Personal, store: cache.RenderCache,
              every: Sequence[Article], estimate: Callable[[Article], int]) -> list[Article]:
    """The articles whose parts making ``request`` would render now: those not in
    ``store`` (``estimate``: an article's pages, for the side of the parts after one not
    rendered yet). Nothing is checked or rendered: the desk asks this before it sends a
    leaflet to a worker; a request with something wrong gives all its articles (the
    worker says what is wrong)."""
    by_slug = {a.slug: a for a in every}
    articles = [by_slug[slug] for slug in request.slugs if slug in by_slug]
    if len(articles) != len(request.slugs):
        return articles
    states = [ReviewState.of(a.review, today) for a in articles]
    try:
        shape = shape_of(project, labels, request, articles, states, today, every)
    except PrintjournalError:
        return articles
    slot = _slots(personal)[0]
    if store.get(whole_key(project, shape, slot)) is not None:
        return []
    return [articles[i] for i in unrendered(project, shape, slot, store, estimate)]


def _paper(project: Project, request: LeafletRequest) -> str:
    names = {name.lower(): name for name in PAPER_SIZES}
    paper = request.paper or ("A5" if request.booklet else project.journal.paper)
    if paper.lower() not in names:
        raise OptionError(f"--paper must be one of {', '.join(PAPER_SIZES)}")
    paper = names[paper.lower()]
    if request.booklet and paper != "A5":
        raise OptionError("--booklet prints A5 pages on A4 sheets: leave out --paper "
                          "or give --paper a5")
    return paper


def file_name(project: Project, request: LeafletRequest, clinic: Clinic) -> str:
    """The leaflet's file name: every option that shapes the file, never personal text."""
    return f"{_stem(project, request, clinic)}.pdf"


def _stem(project: Project, request: LeafletRequest, clinic: Clinic) -> str:
    slugs = request.slugs
    name = "-".join(slugs) if len(slugs) <= 3 else \
        f"{slugs[0]}-and-{len(slugs) - 1}-more-{_short_hash(','.join(slugs))}"
    options = [clinic.id, _paper(project, request).lower()]
    options += [flag for flag, on in ((request.style, request.style != STANDARD.name),
                                      ("booklet", request.booklet),
                                      ("overdue-marked", request.allow_overdue),
                                      ("stale-marked", request.allow_stale)) if on]
    return f"{name}-{'-'.join(options)}"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def output_path(project: Project, request: LeafletRequest, personal: Personal,
                output: Path | None, printouts: bool, force: bool) -> Path:
    """Where the leaflet goes, decided before it is made.

    Without personal text: ``output``, or dist/leaflets/<file_name>. With a name or note:
    only where the user says (``output``, or ``printouts`` for printouts/<file_name>),
    never under the published folder (dist/), and never over an existing file unless
    ``force``."""
    clinic = find_clinic(project, request.clinic)
    name = file_name(project, request, clinic)
    if not personal:
        return output or published(project, LEAFLET, _stem(project, request, clinic))
    if output is None and not printouts:
        raise OptionError("a leaflet with --for or --note carries personal details, so it "
                          f"is written only where you say: give -o FILE, or --printouts "
                          f"for {PRINTOUTS}/{name}")
    out = output or project.root / PRINTOUTS / name
    if out.resolve().is_relative_to((project.root / PUBLISHED).resolve()):
        raise OptionError(f"{relative(out, project.root)} is in {PUBLISHED}/, which the "
                          "website publishes: a leaflet with --for or --note must be "
                          f"written elsewhere (--printouts writes to {PRINTOUTS}/)")
    if out.exists() and not force:
        raise OptionError(f"{relative(out, project.root)} already exists (perhaps a leaflet "
                          "printed for someone else): give --force to replace it, or -o "
                          "another file")
    return out


def find_clinic(project: Project, clinic_id: str | None) -> Clinic:
    """The clinic with ``clinic_id``, or the project's default clinic."""
    if not project.clinics:
        raise ConfigError.at(relative(project.config_path, project.root), 0,
                             "no [[clinics]] configured: a leaflet needs a clinic")
    if clinic_id is None:
        return next(c for c in project.clinics if c.default)
    for clinic in project.clinics:
        if clinic.id == clinic_id:
            return clinic
    known = ", ".join(c.id for c in project.clinics)
    raise ConfigError.at(relative(project.config_path, project.root), 0,
                         f"no clinic '{clinic_id}' (clinics: {known})")


def select_articles(project: Project, slugs: Sequence[str],
                    notices: Notices | None = None,
                    loaded: tuple[list[Article], list[Problem]] | None = None) -> list[Article]:
    """The articles named by ``slugs``, in that order, checked like ``printjournal check``."""
    if not slugs:
        raise OptionError("name at least one article")
    articles, problems = loaded or content.load_articles(project)
    by_slug = {a.slug: a for a in articles}
    chosen: list[Article] = []
    found: list[Problem] = []
    shown = relative(project.articles_dir, project.root)
    for slug in slugs:
        if slug in by_slug:
            if by_slug[slug] in chosen:
                raise OptionError(f"article '{slug}' is named twice")
            chosen.append(by_slug[slug])
            continue
        own = [p for p in problems if p.path.stem == slug]
        found += own or [FolderProblem(shown, 0, f"no article with slug '{slug}' (see "
                                 "'printjournal check'; slugs are the file names unless the "
                                 "front matter says otherwise)")]
    paths = {a.path for a in chosen}
    found += [p for p in problems if p.path in paths]
    found += links.check_links(chosen, project, set(by_slug), notices)
    found += plainlanguage.check(chosen, project, "leaflet", notices)
    if found:
        raise ContentError(sorted(set(found)))
    return chosen


def governance(project: Project, articles: Sequence[Article], today: dt.date,
               allow_overdue: bool) -> tuple[ReviewState, ...]:
    """Each article's review state; overdue articles refused unless ``allow_overdue``."""
    states = tuple(ReviewState.of(article.review, today) for article in articles)
    problems: list[Problem] = []
    for article, state in zip(articles, states, strict=True):
        review = article.review
        if state is ReviewState.OVERDUE and review is not None and not allow_overdue:
            problems.append(Problem(
                article.path, review_line(project, article),
                f"'{article.title}' is past its clinical review: its next review was due "
                f"on {review.next_review.isoformat()} (owner: {review.owner}). Ask the owner "
                "to review it, or print it marked 'Review overdue' with --allow-overdue"))
    if problems:
        raise ReviewError(problems)
    return states


def whole(pipeline: Pipeline, shape: Shape, slot: str, store: cache.RenderCache | None,
          rendered: list[int]) -> bytes:
    """The assembled leaflet of ``shape`` with a personal box of kind ``slot`` (none:
    ""), from the render cache or assembled from its parts; the indexes of the parts
    rendered for it are added to ``rendered``."""
    key = whole_key(pipeline.project, shape, slot)
    data = store.get(key) if store is not None else None
    if data is None:
        made = assembled(pipeline, shape, slot, store)
        rendered += made.rendered
        data = made.data
        if store is not None:
            store.put(key, data)
    return data


def whole_key(project: Project, shape: Shape, slot: str) -> str:
    """The render cache key of the assembled leaflet of ``shape`` (front box ``slot``)."""
    files = [f for a in shape.articles for f in cache.article_inputs(a, project)]
    if shape.clinic.logo:
        files.append(shape.clinic.logo)
    return cache.key(project, files, "leaflet", tuple(a.slug for a in shape.articles),
                     shape.clinic, shape.paper, shape.style.name, shape.states, shape.stale,
                     shape.today.isoformat(), slot, shape.booklet)


def _with_personal(pipeline: Pipeline, data: bytes, personal: Personal, lang: str,
                   style: LeafletStyle) -> bytes:
    """``data`` with the personal layer rendered into the front box (never stored)."""
    with open_pdf(data) as pdf:
        page, rect = named_rect(pdf, *FRONT_BOX)
        layer = render_layer(pipeline, personal.for_name.strip(), personal.note.strip(), lang,
                             Box(rect.width, rect.height), style)
        return graft(pdf, layer, page, rect)
