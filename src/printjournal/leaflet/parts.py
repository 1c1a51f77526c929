"""A leaflet's articles and options in; its parts rendered (or taken from the render
cache) and assembled into one tagged PDF out.

A leaflet is one part per article, each ``layouts/leaflet.html`` laying out that article
alone: the first part also opens the leaflet (the clinic's front band, the box the
personal layer goes into), the last closes it (the closing panel, a QR code for every
article). Each part is kept in the render cache under its own key (:func:`part_key`), so
an article printed in many leaflets is rendered once for each way it can look: its
review state, stale note, the clinic, paper, style, the year it is printed in, whether
it opens or closes the leaflet, booklet, the leaflet's language, and the side its first
page falls on (left and right pages have other margins and mirrored furniture).
Not the day: the date printed in the governance stamp is a slot too (below), so a part
made one day serves every later day of the year, and parts can be made ahead. The review
state does follow the day (reviewed, then overdue the day after the next review date):
it stays in the key, so an article turning overdue is rendered again, marked. Part k starts on
the page after part k-1 ends, so its side follows from the page counts of the parts
before it: parts are made in order, a cached part only read and counted.

The parts are assembled by :mod:`printjournal.pdf.assemble` (one structure tree,
bookmarks, destinations ``<part>/<anchor>``, parts named "1", "2", ... in order); "Page X
of Y" is a slot in each part (:func:`printjournal.pdf.folios.mark_lines`) that the
assembly fills with the leaflet's numbers, drawn by WeasyPrint on a small sheet that is
cached too. The printed date is such a slot (:mod:`printjournal.pdf.dateslot`): a part
prints :func:`widest_date` of its year in the article's language, and the assembly
draws the day's date on the same sheet and puts it there, the document's metadata
dates being the assembly's too. A warm leaflet renders nothing; the first leaflet of a
new day renders only that sheet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from markupsafe import Markup

from .. import cache
from ..errors import PlacementError, Problem, RenderError
from ..markup import body as markup
from ..markup.makeup import unbroken
from ..model import Article, Clinic, PrintedLink, Project, ReviewState
from ..pipeline import Pipeline
from ..styles import LeafletStyle

if TYPE_CHECKING:
    from ..pdf import folios

FRONT = "1"     # the name of the first part in the assembly (its destinations: "1/...")


@dataclass(frozen=True)
class Item:
    """One article of a leaflet, as the layout receives it."""

    article: Article
    body: Markup
    labels: object
    disclaimer: str
    id_prefix: str
    state: ReviewState    # REVIEWED, OVERDUE or UNREVIEWED (its value: a CSS class)
    qr: str               # SVG data URI of the article's canonical URL ("" in a part
                          # without the closing panel, which alone prints them)
    date_slot: str = ""   # the date the governance stamp prints (a part: a placeholder)
    stale: str = ""       # a stale translation's note (checks/translations.py), printed per page
    read_next: tuple[PrintedLink, ...] = ()   # the addresses it prints at its end


@dataclass(frozen=True)
class Shape:
    """Everything a leaflet's parts are made from but the personal text."""

    articles: tuple[Article, ...]
    states: tuple[ReviewState, ...]
    stale: tuple[str, ...]          # per article: a stale translation's note, or ""
    clinic: Clinic
    paper: str
    today: dt.date
    style: LeafletStyle
    booklet: bool
    lang: str                       # the leaflet's language (front band, furniture words)
    title: str


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (black on white, quiet zone included)."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_data_uri(dark="#000000", light="#ffffff", border=4, omitsize=True)


def prefix_ids(html: str, prefix: str) -> str:
    """Keep the ids (and the links to them) of several articles in one document apart."""
    return re.sub(r'(\sid="|\shref="#)', rf"\g<1>{prefix}", html)


def leaflet_html(pipeline: Pipeline, articles: Sequence[Article],
                 states: Sequence[ReviewState],
                 clinic: Clinic, paper: str, dates: Callable[[str], str], *,
                 style: LeafletStyle,
                 personal_slot: str, stale: Sequence[str] = (), booklet: bool = False,
                 part: int | None = None, side: str = "", lang: str | None = None) -> str:
    """The leaflet as one HTML document (without any personal text), or only its ``part``
    (0-based: that article, opening and/or closing the leaflet as its place says) with
    its first page on ``side``; for a ``booklet`` the closing panel is a page of its own,
    the back cover. ``dates``: by language, the date the stamp prints (a part: the
    placeholder, :func:`widest_date`). ``lang``: the leaflet's language (default: from
    the articles)."""
    project, layouts = pipeline.project, pipeline.layouts
    lang = lang or leaflet_lang(project, articles)
    shown = range(len(articles)) if part is None else range(part, part + 1)
    closes = shown[-1] == len(articles) - 1     # only the closing panel prints the QR codes
    items = []
    for number, (article, state) in enumerate(zip(articles, states, strict=True), start=1):
        prefix = f"a{number}-" if part is None else "a-"
        body = markup.to_html(article, project, compounds=style.large_type) \
            if number - 1 in shown else None
        items.append(Item(
            article=article, body=Markup(prefix_ids(body.html, prefix) if body else ""),
            labels=layouts.labels(article.lang),
            disclaimer=project.journal.disclaimer_for(article.lang),
            id_prefix=prefix, state=state, qr=qr_data_uri(article.url) if closes else "",
            stale=stale[number - 1] if stale else "", read_next=body.links if body else (),
            date_slot=dates(article.lang) if body else ""))
    chosen = [items[i] for i in shown]
    return layouts.render(
        "leaflet.html", journal=project.journal, clinic=clinic, items=items, shown=chosen,
        opens=shown[0] == 0, closes=closes, side=side,
        labels=layouts.labels(lang), disclaimer=project.journal.disclaimer_for(lang),
        lang=lang, title=leaflet_title([item.article for item in chosen], clinic),
        style=style, personal_slot=personal_slot, paper=paper,
        booklet=booklet)


def leaflet_title(articles: Sequence[Article], clinic: Clinic) -> str:
    return f"{'; '.join(a.title for a in articles)} — {clinic.name}"


def leaflet_lang(project: Project, articles: Sequence[Article]) -> str:
    """The articles' language when they share one, else the journal's."""
    langs = {a.lang for a in articles}
    return langs.pop() if len(langs) == 1 else project.journal.lang


def first_side(page: int, lang: str, layouts_direction: Callable[[str], str]) -> str:
    """The side page ``page`` (1-based) of a leaflet in ``lang`` falls on: the first page
    is a right-hand page left to right, a left-hand page right to left (WeasyPrint's
    first page; a book opens so)."""
    first = "right" if layouts_direction(lang) == "ltr" else "left"
    return first if page % 2 else ("left" if first == "right" else "right")


def part_key(project: Project, shape: Shape, index: int, side: str, slot: str) -> str:
    """The render cache key of part ``index`` (0-based) with its first page on ``side``;
    ``slot``: the personal box's kind ("", "name" or "note"), in the first part only."""
    article = shape.articles[index]
    files = cache.article_inputs(article, project)
    opens, closes = index == 0, index == len(shape.articles) - 1
    if shape.clinic.logo and opens:
        files.append(shape.clinic.logo)
    closing = tuple((a.running_title, a.url) for a in shape.articles) if closes else ()
    return cache.key(project, files, "leaflet-part", article.slug, shape.clinic,
                     shape.paper, shape.style.name, shape.states[index], shape.stale[index],
                     shape.today.year, slot if opens else None, opens, closing,
                     shape.booklet, shape.lang, side)


def unrendered(project: Project, shape: Shape, slot: str, store: cache.RenderCache,
               estimate: Callable[[Article], int]) -> list[int]:
    """The indexes of the parts of ``shape`` not in ``store``, rendering nothing: a cached
    part is counted, one not cached counts ``estimate(article)`` pages (so the sides of the
    parts after it are a guess, and so is whether they are cached)."""
    from ..pdf.overlay import page_count
    from ..template.layouts import direction

    page, missing = 1, []
    for index, article in enumerate(shape.articles):
        side = first_side(page, shape.lang, direction)
        data = store.get(part_key(project, shape, index, side, slot))
        if data is None:
            missing.append(index)
        page += page_count(data) if data is not None else estimate(article)
    return missing


@dataclass
class Made:
    """An assembled leaflet and the parts that had to be rendered for it."""

    data: bytes
    rendered: list[int]      # 0-based indexes of the parts WeasyPrint rendered


def assembled(pipeline: Pipeline, shape: Shape, slot: str,
              store: cache.RenderCache | None) -> Made:
    """The leaflet of ``shape`` with the personal box of kind ``slot``: each part from
    ``store`` or rendered (in order: a part's side depends on the pages before it), then
    assembled. Raises RenderError naming the article of the part that failed (with every
    part's placement problems, at the leaflet's page numbers), AssemblyError."""
    from ..pdf import assemble, folios
    from ..template.layouts import direction

    project = pipeline.project
    labels = pipeline.layouts.labels(shape.lang)
    assembler = assemble.Assembler(assemble.Metadata(
        title=shape.title, author=project.journal.publisher,
        subject=f"{labels.patient_information}: "
                f"{'; '.join(a.title for a in shape.articles)}",
        lang=shape.lang, date=shape.today,
        keywords=", ".join(dict.fromkeys(t for a in shape.articles for t in a.tags)),
        page_word=labels.page),
        dates={a.lang: unbroken(pipeline.layouts.labels(a.lang).date(shape.today))
               for a in shape.articles})
    rendered: list[int] = []
    names: list[str] = []
    failed: list[Problem] = []
    page = 1
    widest: dict[str, str] = {}

    def placeholder(lang: str) -> str:
        if lang not in widest:
            widest[lang] = widest_date(pipeline, store, lang, shape.today.year)
        return widest[lang]
    for index, article in enumerate(shape.articles):
        side = first_side(page, shape.lang, direction)

        def make_html(index: int = index, side: str = side) -> str:
            rendered.append(index)
            return leaflet_html(pipeline, shape.articles, shape.states, shape.clinic,
                                shape.paper, placeholder, style=shape.style,
                                personal_slot=slot, stale=shape.stale,
                                booklet=shape.booklet, part=index, side=side,
                                lang=shape.lang)

        try:
            data = pipeline.cached_pdf(store, part_key(project, shape, index, side, slot),
                                       make_html, article.path, finisher=folios.mark_lines,
                                       first_page=page)
        except PlacementError as exc:    # laid out: the parts after it can still be
            failed += exc.problems       # laid out, on their sides, for their problems
            page += exc.pages
            continue
        if failed:                       # only the problems are still wanted
            from ..pdf.overlay import page_count
            page += page_count(data)
            continue
        name = str(index + 1)
        assembler.add(assemble.Part(name=name, data=data, title=article.title,
                                    lang=article.lang))
        names.append(name)
        page += assembler.pages(name)
    if failed:
        raise RenderError(failed)
    requests = assembler.numbers(names)
    stamps = drawn_stamps(pipeline, store, requests, shape.lang, "leaflet-numbers") \
        if requests else None
    return Made(assembler.write(names, stamps), rendered)


def widest_date(pipeline: Pipeline, store: cache.RenderCache | None, lang: str,
                year: int) -> str:
    """The widest date of ``year`` as the governance stamp prints it in ``lang``
    (``labels.toml``'s ``date_format`` and ``months``, no-break spaces): its widest day
    number with its widest month, each drawn by WeasyPrint in ``--font-display``
    (layouts/print.css), the family the stamp and the "About this information" box print
    the date in, on one sheet kept in ``store``. Widths scale with the font size, so the
    widest at 10 pt is the widest at any size; a date is its pieces side by side (the
    bundled fonts kern nothing across the space or mark between them). A part prints it
    where the day's date goes (pdf/dateslot.py)."""
    labels = pipeline.layouts.labels(lang)
    days = [(_MEASURED, str(day)) for day in range(1, 32)]
    months = [(_MEASURED, str(month)) for month in labels.months]
    drawn = drawn_stamps(pipeline, store, days + months, lang, "leaflet-date-widths",
                         sheets=("fonts.css", "print.css"))

    def widest(requests: list[tuple[str, str]]) -> int:
        return max(range(len(requests)), key=lambda i: (drawn.stamps[requests[i]].width, -i))

    return unbroken(str(labels.date_format).format(
        day=widest(days) + 1, month=labels.months[widest(months)], year=year))


_MEASURED = "font-family: var(--font-display); font-size: 10pt; font-weight: 400"


def drawn_stamps(pipeline: Pipeline, store: cache.RenderCache | None,
                 requests: Sequence[tuple[str, str]], lang: str, kind: str,
                 sheets: Sequence[str] = ("fonts.css",)) -> folios.Stamps:
    """Each (style, text) of ``requests`` as WeasyPrint draws it, on one sheet kept in
    ``store`` under its HTML (``kind`` names what the sheet is for; ``sheets``: the
    stylesheets of layouts/ it links)."""
    from ..pdf import folios

    html = folios.stamp_sheet_html(requests, lang, sheets)
    key = cache.key(pipeline.project, [], kind, hashlib.sha256(html.encode()).hexdigest())
    data = store.get(key) if store is not None else None
    if data is None:
        data = pipeline.renderer.pdf(html, Path("layouts"),
                                     finisher=folios.capture_stamps).data
        if store is not None:
            store.put(key, data)
    return folios.read_stamps(data, requests)
