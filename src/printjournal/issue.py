"""An issue manifest in, the quarterly issue as one PDF out: digital or print edition.

    manifest ─→ parts as HTML: cover, editor's letter, contents, each article,
                notes and advert pages, back cover (layouts/issue-*.html)
             ─→ each part rendered on its own: in parallel, one process per core,
                and taken from the render cache when it has not changed
             ─→ the plan: cover on page 1, the letter on page 2, contents and every
                article on a right-hand (odd) page, a notes or advert page where a
                gap would be, the back cover last on a left-hand page; the print
                edition padded to a multiple of 4 pages before the back cover
             ─→ page numbers put in, parts assembled into one tagged PDF (assemble.py)

A part's PDF does not depend on where it lands: left and right pages have the same
text width (mirrored margins), every part knows the side its first page falls on,
and page numbers are placeholders filled in at assembly (slots.py). So an edited
article is the only part rendered again and moving an article renders nothing.
What position can change is how many digits a page reference needs ("p. 9" or
"p. 11"): references are laid out with the number of digits predicted from word
counts, and the few parts whose prediction was wrong are rendered again.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import io
import itertools
import logging
import math
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
from markupsafe import Markup

from . import assemble, cache, markup, press, slots
from .build import Built, Pipeline
from .errors import LayoutError, Notices, PrintjournalError, Problem, RenderError
from .files import write_atomic
from .manifest import Manifest, load_manifest
from .model import Article
from .render import Renderer, fewer_collections
from .templating import Labels, article_html, shorten
from .workers import TempFolder, start_worker

log = logging.getLogger(__name__)

EDITIONS = ("digital", "print")
FILLERS = ("notes", "online", "reviewed")
PRINT_BLEED_MM = 3.0        # the bleed of issue-print.css; the PDF BleedBox
WORDS_PER_PAGE = 380        # only to predict how many digits page numbers have
DIGITAL_OPTIONS = {"dpi": 200}   # readers download it: images no finer than 200 dpi
MAX_ROUNDS = 3


@dataclass(frozen=True)
class PartSpec:
    """One part of the issue, ready to render."""

    name: str                   # unique: "cover", "letter", "article:<slug>", ...
    html: str
    source: Path                # the content file it comes from, for errors
    files: tuple[Path, ...]     # files it is made from beyond layouts/ (images)
    side: str                   # the side of its first page: "left" or "right"
    title: str
    lang: str
    bookmark: str | None        # one bookmark titled so, or None: the part's own headings
    target: str | None          # what links and page references call it
    estimate: int = 1           # predicted pages (only for digit counts)
    one_page: bool = False      # cover, back cover, notes and adverts: exactly one page


@dataclass(frozen=True)
class RenderedPart:
    data: bytes
    pages: int | None      # None: not counted yet (a part from the cache; see pdf())


#: What a worker renders: the part's HTML, its content file (for errors), write options.
Job = tuple[str, str, dict[str, Any]]


def build_issue(pipeline: Pipeline, manifest_path: Path, out: Path, *,
                edition: str = "digital", store: cache.RenderCache | None = None,
                workers: int | None = None, notices: Notices | None = None) -> Built:
    """Build the issue of the manifest at ``manifest_path`` into the PDF ``out``."""
    if edition not in EDITIONS:
        raise PrintjournalError([Problem(Path(manifest_path), 0, f"unknown edition "
                                         f"'{edition}': digital or print")])
    project = pipeline.project
    manifest = load_manifest(manifest_path, project, notices)
    final_key = cache.key(project, manifest.inputs(project), "issue", edition)
    data = store.get(final_key) if store is not None else None
    if data is None:
        data = IssueBuild(pipeline, manifest, edition, store, workers).pdf()
        if store is not None:
            store.put(final_key, data)
    else:
        log.debug("issue %s (%s) unchanged: reused", manifest.path, edition)
    write_atomic(out, data)
    pages = page_count(data)
    log.info("wrote %s (%d pages)", out, pages)
    return Built(out, pages, len(data))


def page_count(data: bytes) -> int:
    """Pages of a PDF (ours are written without object streams: count page objects)."""
    found = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    return found or len(pypdf.PdfReader(io.BytesIO(data)).pages)


class IssueBuild:
    """One build of one edition of one issue."""

    def __init__(self, pipeline: Pipeline, manifest: Manifest, edition: str,
                 store: cache.RenderCache | None, workers: int | None) -> None:
        self.pipeline = pipeline
        self.project = pipeline.project
        self.manifest = manifest
        self.edition = edition
        self.store = store
        self.workers = workers or len(os.sched_getaffinity(0))
        self.labels = pipeline.layouts.labels(manifest.lang)
        self.rendered: dict[str, RenderedPart] = {}   # by cache key, for this build
        self.renders = 0                              # parts WeasyPrint rendered
        self._pool: ProcessPoolExecutor | None = None
        self._temp: TempFolder | None = None     # the workers' temporary files
        self._running: dict[str, Future[RenderedPart | _Failed]] = {}  # by cache key
        self._here: dict[str, Job] = {}         # with one worker: rendered when asked for

    # ---------- the whole ----------

    def pdf(self) -> bytes:
        """The assembled issue."""
        digits = self.predict_digits()
        with fewer_collections():
            try:
                for _ in range(MAX_ROUNDS):
                    result = self._attempt(digits)
                    if isinstance(result, bytes):   # press: font names; print: PDF/X, CMYK
                        return press.finish(result, self.edition, self.project.press,
                                            self.manifest.path)
                    log.info("page numbers need other digit counts than predicted: "
                             "rendering again")
                    digits = result
            finally:
                self._close_pool()
        raise RenderError([Problem(self.manifest.path, 0, "the page numbers do not settle "
                                   f"after {MAX_ROUNDS} rounds")])

    def _attempt(self, digits: dict[str, int]) -> bytes | dict[str, int]:
        """The issue with page references of ``digits`` digits, or (when the pages
        came out elsewhere) the digit counts they really need.

        Parts are parsed into the assembly as they arrive, from the cache or from the
        worker processes, while the others are still rendering.
        """
        assembler = self.assembler()
        fillers = [self.filler(kind, "left") for kind in FILLERS]
        self.start(fillers)   # the workers begin with these while the others are made
        sequence = self.sequence(digits)

        # parts are copied into the assembly in one fixed order (the order they are
        # started in, biggest first), whatever order they come back in
        add = _InOrder(assembler, [spec.name for spec in self._by_size(sequence)])
        parts = self.render([*sequence, *fillers], add)
        add.finish()
        pages = {n: p.pages if p.pages is not None else assembler.pages(n)
                 for n, p in parts.items()}
        order = self.plan(sequence, pages, self.filler)
        parts.update(self.render([spec for spec in order if spec.name not in parts]))
        self._close_pool()   # what is left is done here: the workers' memory goes now
        pages.update({n: p.pages or 1 for n, p in parts.items() if n not in pages})
        starts = self.starts(order, pages)
        actual = {spec.target: len(str(start))
                  for spec, start in zip(order, starts, strict=True) if spec.target}
        if any(digits.get(target) != n for target, n in actual.items()):
            return actual
        names = [spec.name if not spec.name.startswith("filler:") else f"{spec.name}@{start}"
                 for spec, start in zip(order, starts, strict=True)]
        for spec, name in zip(order, names, strict=True):
            if name != spec.name:
                assembler.add(self.part(spec, name, parts[spec.name]))
        requests = assembler.numbers(names)
        return assembler.write(names, self.stamps(requests) if requests else None)

    def assembler(self) -> assemble.Assembler:
        manifest = self.manifest
        return assemble.Assembler(assemble.Metadata(
            title=f"{manifest.title} — {manifest.issue}",
            author=self.project.journal.publisher,
            subject=self._subject(),
            lang=manifest.lang,
            date=manifest.date,
            keywords=", ".join(dict.fromkeys(a.section for a in manifest.articles)),
            page_word=self.labels.page,
            bleed_mm=PRINT_BLEED_MM if self.edition == "print" else None,
            links=self.edition == "digital"))

    @staticmethod
    def part(spec: PartSpec, name: str, part: RenderedPart) -> assemble.Part:
        return assemble.Part(name=name, data=part.data, title=spec.title, lang=spec.lang,
                             bookmark=spec.bookmark, target=spec.target)

    def _subject(self) -> str:
        m = self.manifest
        number = f"{self.labels.issue} {m.number}, " if m.number else ""
        return f"{m.title}, {number}{m.issue} ({self.labels.date(m.date)})"

    # ---------- the parts ----------

    def sequence(self, digits: dict[str, int]) -> list[PartSpec]:
        """Cover, letter, contents, articles, back cover (fillers come with the plan)."""
        return [self.cover(), self.letter(digits), self.contents(digits),
                *(self.article(a, digits) for a in self.manifest.articles),
                self.back_cover(digits)]

    def _frame(self, side: str, right_header: str) -> dict[str, Any]:
        """What issue-part.html needs."""
        return {"issue": self.manifest, "edition": self.edition, "side": side,
                "right_header": right_header, "base_template": "base.html"}

    def _words(self, lang: str) -> dict[str, Any]:
        """The journal and the words of a language, as article_html gives articles."""
        journal = self.project.journal
        return {"journal": journal, "labels": self.pipeline.layouts.labels(lang),
                "lang": lang, "disclaimer": journal.disclaimer_for(lang)}

    def _html(self, template: str, side: str, right_header: str, lang: str,
              **context: Any) -> str:
        return self.pipeline.layouts.render(
            template, **self._frame(side, right_header), **self._words(lang), **context)

    def cover(self) -> PartSpec:
        m = self.manifest
        html = self._html("issue-cover.html", "right", m.name, m.lang,
                          title=f"{m.title} — {m.issue}", cover_src=m.cover.image.as_uri())
        return PartSpec("cover", html, m.path, (m.cover.image,), "right", m.cover.alt,
                        m.lang, self.labels.cover, "cover", one_page=True)

    def letter(self, digits: dict[str, int]) -> PartSpec:
        letter = self.manifest.editorial
        labels = self.pipeline.layouts.labels(letter.lang)
        body = markup.to_html(letter, self.project, self.resolver(labels, digits))
        html = self._html("issue-letter.html", "left", labels.editors_letter, letter.lang,
                          title=letter.title, letter=letter, body=Markup(body.html))
        return PartSpec("letter", html, letter.path,
                        tuple(cache.article_inputs(letter, self.project)), "left",
                        letter.title, letter.lang, self.labels.editors_letter, "letter",
                        estimate=_estimate(letter))

    def contents(self, digits: dict[str, int]) -> PartSpec:
        m = self.manifest
        entries = [_Entry(self.labels.editors_letter, m.editorial.title, "", m.editorial.lang,
                          "letter", digits.get("letter", 1))]
        entries += [_Entry(a.section, a.title, a.dek, a.lang, a.slug, digits.get(a.slug, 2))
                    for a in m.articles]
        html = self._html("issue-contents.html", "right", self.labels.contents, m.lang,
                          title=f"{self.labels.contents} — {m.name}", entries=entries)
        return PartSpec("contents", html, m.path, (), "right", self.labels.contents, m.lang,
                        self.labels.contents, "contents", estimate=_contents_pages(m))

    def article(self, article: Article, digits: dict[str, int]) -> PartSpec:
        labels = self.pipeline.layouts.labels(article.lang)
        body = markup.to_html(article, self.project, self.resolver(labels, digits))
        frame = self._frame("right", f"{article.section} · {shorten(article.title)}")
        frame["base_template"] = "article.html"
        html = article_html(self.pipeline.layouts, article, body,
                            template="issue-article.html", **frame)
        return PartSpec(f"article:{article.slug}", html, article.path,
                        tuple(cache.article_inputs(article, self.project)), "right",
                        article.title, article.lang, None, article.slug,
                        estimate=_estimate(article))

    def back_cover(self, digits: dict[str, int]) -> PartSpec:
        m = self.manifest
        back = m.back_cover
        body = Markup(markup.to_html(back, self.project, self.resolver(self.labels, digits))
                      .html) if back is not None else ""
        html = self._html("issue-back.html", "left", m.name, m.lang,
                          title=back.title if back else m.name, back=back, body=body)
        return PartSpec("back-cover", html, back.path if back else m.path,
                        tuple(cache.article_inputs(back, self.project)) if back else (),
                        "left", back.title if back else m.name, m.lang, None, None,
                        one_page=True)

    def filler(self, kind: str, side: str) -> PartSpec:
        m = self.manifest
        html = self._html("issue-filler.html", side, m.name, m.lang, title=m.name, kind=kind)
        return PartSpec(f"filler:{kind}:{side}", html, Path("layouts/issue-filler.html"), (),
                        side, m.name, m.lang, None, None, one_page=True)

    def resolver(self, labels: Labels, digits: dict[str, int]) -> markup.LinkResolver:
        """Links to an article of the issue jump to its page and print "p. N"."""
        web = markup.web_links(self.project)
        slugs = set(self.manifest.slugs)

        def resolve(slug: str) -> tuple[str, str | markup.PageRef | None]:
            if slug in slugs:
                return assemble.goto(slug), markup.PageRef(labels.page_short, slug,
                                                           digits.get(slug, 2))
            return web(slug)
        return resolve

    # ---------- where the parts go ----------

    def predict_digits(self) -> dict[str, int]:
        """Digits of every part's first page, from word counts: a first guess."""
        m = self.manifest

        def light(name: str, side: str, target: str | None, estimate: int) -> PartSpec:
            return PartSpec(name, "", m.path, (), side, "", m.lang, None, target, estimate)

        sequence = [light("cover", "right", "cover", 1),
                    light("letter", "left", "letter", _estimate(m.editorial)),
                    light("contents", "right", "contents", _contents_pages(m)),
                    *(light(f"article:{a.slug}", "right", a.slug, _estimate(a))
                      for a in m.articles),
                    light("back-cover", "left", None, 1)]
        pages = {spec.name: spec.estimate for spec in sequence}
        order = self.plan(sequence, pages,
                          lambda kind, side: light(f"filler:{kind}:{side}", side, None, 1))
        starts = self.starts(order, pages | {s.name: 1 for s in order if s.name not in pages})
        return {spec.target: len(str(start))
                for spec, start in zip(order, starts, strict=True) if spec.target}

    def plan(self, sequence: Sequence[PartSpec], pages: dict[str, int],
             filler: Callable[[str, str], PartSpec]) -> list[PartSpec]:
        """The parts in page order, with notes or advert pages where gaps would be."""
        order: list[PartSpec] = []
        folio = 1
        kinds = itertools.cycle(FILLERS)

        def fill() -> None:
            nonlocal folio
            order.append(filler(next(kinds), "right" if folio % 2 else "left"))
            folio += 1

        for spec in sequence[:-1]:
            if (folio % 2 == 1) != (spec.side == "right"):
                fill()
            order.append(spec)
            folio += pages[spec.name]
        kinds = itertools.cycle(FILLERS)   # at the end: a notes page first, then adverts
        if self.edition == "print":
            while folio % 4:
                fill()
        elif folio % 2:
            fill()
        order.append(sequence[-1])
        return order

    @staticmethod
    def starts(order: Sequence[PartSpec], pages: dict[str, int]) -> list[int]:
        """The folio each part of ``order`` starts on."""
        folio, starts = 1, []
        for spec in order:
            starts.append(folio)
            folio += pages[spec.name]
        return starts

    # ---------- rendering ----------

    def key(self, spec: PartSpec) -> str:
        digest = hashlib.sha256(spec.html.encode()).hexdigest()
        return cache.key(self.project, spec.files, "issue-part", self.edition, digest)

    def render(self, specs: Sequence[PartSpec],
               ready: Callable[[PartSpec, RenderedPart], None] | None = None
               ) -> dict[str, RenderedPart]:
        """Each spec's PDF: from this build, from the cache, or rendered in the worker
        processes; ``ready(spec, part)`` is called for each as soon as it is there
        (parts already there go while the workers render the others)."""
        keys = {spec.name: self.key(spec) for spec in specs}
        waiting: dict[str, list[PartSpec]] = {}
        there: list[PartSpec] = []
        for spec in specs:
            key = keys[spec.name]
            if key in self.rendered or (key not in waiting and self._cached(spec, key)):
                there.append(spec)
            else:
                waiting.setdefault(key, []).append(spec)
        self._start((keys[spec.name], spec)
                    for spec in self._by_size(same[0] for same in waiting.values()))
        for spec in there:
            if ready is not None:
                ready(spec, self.rendered[keys[spec.name]])
        for key, part in self._results(list(waiting)):
            spec = waiting[key][0]
            self.renders += 1
            if spec.one_page and part.pages != 1:
                raise LayoutError([Problem(spec.source, 0, f"the {spec.name.split(':')[0]} "
                                           f"page must fit on one page, not {part.pages}")])
            self.rendered[key] = part
            if self.store is not None:
                self.store.put(key, part.data)
            for same in waiting[key]:
                if ready is not None:
                    ready(same, part)
        return {spec.name: self.rendered[keys[spec.name]] for spec in specs}

    @staticmethod
    def _by_size(specs: Iterable[PartSpec]) -> list[PartSpec]:
        """Biggest first (started first, the two workers end nearer together)."""
        return sorted(specs, key=lambda spec: -spec.estimate)

    def _cached(self, spec: PartSpec, key: str) -> bool:
        """Whether the part is in the render cache (then it is taken into this build)."""
        if key in self._running or key in self._here or self.store is None \
                or (data := self.store.get(key)) is None:
            return False
        # counted when the assembly parses it, not twice
        self.rendered[key] = RenderedPart(data, 1 if spec.one_page else None)
        return True

    def start(self, specs: Sequence[PartSpec]) -> None:
        """Start rendering those of ``specs`` not rendered, cached or started already, in
        this order, in the worker processes (with one worker, they are rendered here
        when _results asks for them)."""
        self._start((self.key(spec), spec) for spec in specs)

    def _start(self, keyed: Iterable[tuple[str, PartSpec]]) -> None:
        options = DIGITAL_OPTIONS if self.edition == "digital" else {}
        for key, spec in keyed:
            if key in self.rendered or self._cached(spec, key):
                continue
            job = (spec.html, str(spec.source), options)
            if self.workers < 2:
                self._here[key] = job
                continue
            if self._pool is None:
                _WORKER["renderer"] = self.pipeline.renderer   # the workers inherit it
                self._temp = TempFolder()
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("fork"),
                    initializer=start_worker, initargs=(os.getpid(), self._temp.path))
            # the workers are forked at the first submits; with the parent's objects
            # frozen, their garbage collector does not copy every inherited page
            gc.freeze()
            try:
                self._running[key] = self._pool.submit(_render_job, job)
            finally:
                gc.unfreeze()

    def _results(self, keys: Sequence[str]) -> Iterator[tuple[str, RenderedPart]]:
        """(key, part) for each of ``keys`` (started), in the order they finish."""
        if self.workers < 2:
            for key in keys:
                yield key, self._result(_render_job(self._here.pop(key),
                                                    self.pipeline.renderer))
            return
        futures = {self._running[key]: key for key in keys}
        for future in as_completed(futures):
            key = futures[future]
            del self._running[key]
            try:
                result = future.result()
            except BrokenExecutor:   # which part it was rendering, the pool cannot say
                self._close_pool()
                raise RenderError.at(self.manifest.path, 0, "a worker process stopped "
                                     "before its part was rendered (killed, or out of "
                                     "memory?)") from None
            yield key, self._result(result)

    def _close_pool(self) -> None:
        if self._pool is not None:
            for future in self._running.values():
                future.cancel()
            self._running.clear()
            self._pool.shutdown()
            self._pool = None
        if self._temp is not None:
            self._temp.__exit__()
            self._temp = None

    @staticmethod
    def _result(result: RenderedPart | _Failed) -> RenderedPart:
        """A worker's part, or its error raised here."""
        if isinstance(result, _Failed):
            raise result.error(result.problems)
        return result

    def stamps(self, requests: Sequence[tuple[str, str]]) -> slots.Stamps:
        """Every page number the slots need, set from digits drawn once by WeasyPrint in
        each slot style (and cached: the sheet does not depend on the numbers)."""
        digits = slots.digit_requests(requests)
        html = slots.stamp_sheet_html(digits, self.manifest.lang)
        key = cache.key(self.project, [], "issue-numbers",
                        hashlib.sha256(html.encode()).hexdigest())
        data = self.store.get(key) if self.store is not None else None
        if data is None:
            data = self.pipeline.renderer.pdf(html, Path("layouts"),
                                              finisher=slots.capture_stamps).data
            if self.store is not None:
                self.store.put(key, data)
        return slots.numbers_from_digits(slots.read_stamps(data, digits), requests)


class _InOrder:
    """Adds parts to the assembly in the order of ``names``, whatever order they arrive
    in: the objects of the issue are numbered in the order parts are added, and the
    issue's bytes must not depend on which worker finished first. A part that arrives
    before its turn is parsed at once (the slower half of adding it) and copied in its
    turn; parts not in ``names`` (the notes and advert pages) wait for their place."""

    def __init__(self, assembler: assemble.Assembler, names: Sequence[str]) -> None:
        self.assembler = assembler
        self.names = list(names)
        self.turn = 0
        self.early: dict[str, assemble.Read] = {}

    def __call__(self, spec: PartSpec, part: RenderedPart) -> None:
        if spec.name not in self.names:
            return
        self.early[spec.name] = assemble.read(IssueBuild.part(spec, spec.name, part))
        while self.turn < len(self.names) and self.names[self.turn] in self.early:
            self.assembler.add(self.early.pop(self.names[self.turn]))
            self.turn += 1

    def finish(self) -> None:
        if self.turn != len(self.names):
            raise RenderError([Problem(Path("issue"), 0, "parts missing from the assembly: "
                                       f"{self.names[self.turn:]}")])


@dataclass(frozen=True)
class _Entry:
    """A line of the contents, as issue-contents.html uses it."""

    section: str
    title: str
    dek: str
    lang: str
    target: str
    digits: int

    @property
    def href(self) -> str:
        return assemble.goto(self.target)

    @property
    def placeholder(self) -> str:
        return "8" * self.digits


def _contents_pages(manifest: Manifest) -> int:
    return 1 + (len(manifest.articles) + 1) // 14   # about 14 lines fit a page


def _estimate(article: Article) -> int:
    words = len(article.body.split()) + 12 * len(article.sources)
    return max(1, math.ceil(words / WORDS_PER_PAGE))


# ---------- the worker processes ----------

@dataclass(frozen=True)
class _Failed:
    """A part that could not be rendered: the error, to raise in the parent."""

    error: type[PrintjournalError]
    problems: tuple[Problem, ...]


#: The renderer of the build; worker processes are forked and inherit it (fonts loaded).
_WORKER: dict[str, Renderer] = {}


def _render_job(job: Job, renderer: Renderer | None = None) -> RenderedPart | _Failed:
    """Render one part (in a worker process, with the renderer it inherited, unless
    given one); our errors come back as values."""
    html, source, options = job
    try:
        rendered = (renderer or _WORKER["renderer"]).pdf(
            html, Path(source), finisher=slots.mark_slots, **options)
    except PrintjournalError as exc:
        return _Failed(type(exc), exc.problems)
    finally:
        release_memory()
    return RenderedPart(rendered.data, rendered.pages)


def release_memory() -> None:
    """Give the memory a render freed back to the system (glibc keeps it otherwise: a
    worker would hold its largest part's worth until it exits, and a build with one
    worker would end up holding about 40 MiB more)."""
    gc.collect(1)   # the young generations, where a render's garbage is: a full collection
    #                 of a build that renders here would walk the whole assembly each time
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL("libc.so.6")
    _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
except (OSError, AttributeError):   # not glibc: nothing to trim
    _LIBC = None
