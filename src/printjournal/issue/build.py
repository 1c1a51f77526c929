"""An issue manifest in, the quarterly issue as one PDF out: digital or print edition.

    manifest ─→ parts as HTML: cover, editor's letter, contents, each article,
                notes and advert pages, back cover (layouts/issue-*.html)
             ─→ each part rendered on its own: in parallel, one process per core,
                and taken from the render cache when it has not changed
             ─→ the plan: cover on page 1, the letter on page 2, contents and every
                article on a right-hand (odd) page, a notes or advert page where a
                gap would be, the back cover last on a left-hand page; the print
                edition padded to a multiple of 4 pages before the back cover
             ─→ page numbers put in, parts assembled into one tagged PDF (pdf/assemble.py)

The package, stage by stage: manifest.py (the YAML, validated), parts.py (each part as
HTML), rendering.py (parts rendered: cache, worker processes), plan.py (page order, pure
functions), and this module, which conducts them.

A part's PDF does not depend on where it lands: left and right pages have the same
text width (mirrored margins), every part knows the side its first page falls on,
and page numbers are placeholders filled in at assembly (pdf/folios.py). So an edited
article is the only part rendered again and moving an article renders nothing.
What position can change is how many digits a page reference needs ("p. 9" or
"p. 11"): references are laid out with the number of digits predicted from word
counts, and the few parts whose prediction was wrong are rendered again.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import pypdf

from .. import cache, editions, press
from ..errors import ContentError, Notices, Problem, RenderError
from ..files import write_atomic
from ..outputs import issue_recipe
from ..pdf import assemble, folios
from ..pipeline import Built, Pipeline, editorial_warnings
from ..render.weasy import fewer_collections
from . import plan
from .manifest import Manifest, load_manifest
from .parts import Parts, PartSpec
from .rendering import PartRenderer, RenderedPart, by_size

log = logging.getLogger(__name__)

MAX_ROUNDS = 3


def build_issue(pipeline: Pipeline, manifest_path: Path, out: Path, *,
                edition: str = "digital", store: cache.RenderCache | None = None,
                workers: int | None = None, notices: Notices | None = None) -> Built:
    """Build the ``edition`` (its name, editions.py) of the issue of the manifest at
    ``manifest_path`` into the PDF ``out``, reusing it, or each part of it, from ``store``
    when nothing it is made from changed; ``workers`` processes render the parts
    (default: one per core; 1 renders them here). Returns what was written (path, pages,
    bytes).

    Raises ContentError (every problem of the manifest and its articles together, each
    ``path:line``), PrintjournalError (an unknown edition), RenderError, AssemblyError."""
    chosen = editions.edition(edition, Path(manifest_path))
    project = pipeline.project
    manifest = load_manifest(manifest_path, project, notices)
    if notices is not None and (problems := editorial_warnings(
            project, manifest.articles, None, notices)):     # as check warns of them
        raise ContentError(problems)
    final_key = issue_recipe(manifest.files, chosen).key(project)
    data = store.get(final_key) if store is not None else None
    if data is None:
        data = IssueBuild(pipeline, manifest, chosen, store, workers).pdf()
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
    """One build of one edition of one issue: parts made, rendered, planned, assembled."""

    def __init__(self, pipeline: Pipeline, manifest: Manifest, edition: editions.Edition,
                 store: cache.RenderCache | None, workers: int | None) -> None:
        self.pipeline = pipeline
        self.project = pipeline.project
        self.manifest = manifest
        self.edition = edition
        self.store = store
        self.parts = Parts(pipeline, manifest, edition)
        self.renderer = PartRenderer(pipeline, edition, manifest.path, store, workers)

    @property
    def renders(self) -> int:
        """Parts WeasyPrint rendered in this build."""
        return self.renderer.renders

    def pdf(self) -> bytes:
        """The assembled issue."""
        digits = self.predict_digits()
        with fewer_collections():
            try:
                for _ in range(MAX_ROUNDS):
                    result = self._attempt(digits)
                    if isinstance(result, bytes):   # press: font names; print: PDF/X, CMYK
                        return press.finish(result, self.edition.press_ready, self.project.press,
                                            self.manifest.path)
                    log.info("page numbers need other digit counts than predicted: "
                             "rendering again")
                    digits = result
            finally:
                self.renderer.close()
        raise RenderError([Problem(self.manifest.path, 0, "the page numbers do not settle "
                                   f"after {MAX_ROUNDS} rounds")])

    def predict_digits(self) -> dict[str, int]:
        """Digits of every part's first page, from word counts: a first guess."""
        return plan.predict_digits(self.manifest, self.edition.page_multiple)

    def _attempt(self, digits: dict[str, int]) -> bytes | dict[str, int]:
        """The issue with page references of ``digits`` digits, or (when the pages
        came out elsewhere) the digit counts they really need.

        Parts are parsed into the assembly as they arrive, from the cache or from the
        worker processes, while the others are still rendering.
        """
        assembler = self.assembler()
        fillers = [self.parts.filler(kind, "left") for kind in plan.FILLERS]
        self.renderer.start(fillers)   # the workers begin with these while others are made
        sequence = self.parts.sequence(digits)

        # parts are copied into the assembly in one fixed order (the order they are
        # started in, biggest first), whatever order they come back in
        add = _InOrder(assembler, [spec.name for spec in by_size(sequence)])
        parts = self.renderer.render([*sequence, *fillers], add)
        add.finish()
        pages = {n: p.pages if p.pages is not None else assembler.pages(n)
                 for n, p in parts.items()}
        order = plan.plan(sequence, pages, self.parts.filler, self.edition.page_multiple)
        parts.update(self.renderer.render([spec for spec in order if spec.name not in parts]))
        self.renderer.close()   # what is left is done here: the workers' memory goes now
        pages.update({n: p.pages or 1 for n, p in parts.items() if n not in pages})
        actual = plan.digits(order, pages)
        if any(digits.get(target) != n for target, n in actual.items()):
            return actual
        starts = plan.starts(order, pages)
        names = [spec.name if not spec.name.startswith("filler:") else f"{spec.name}@{start}"
                 for spec, start in zip(order, starts, strict=True)]
        for spec, name in zip(order, names, strict=True):
            if name != spec.name:
                assembler.add(self.part(spec, name, parts[spec.name]))
        requests = assembler.numbers(names)
        return assembler.write(names, self.stamps(requests) if requests else None)

    def assembler(self) -> assemble.Assembler:
        manifest, labels = self.manifest, self.parts.labels
        return assemble.Assembler(assemble.Metadata(
            title=f"{manifest.title} — {manifest.issue}",
            author=self.project.journal.publisher,
            subject=self._subject(),
            lang=manifest.lang,
            date=manifest.date,
            keywords=", ".join(dict.fromkeys(a.section for a in manifest.articles)),
            page_word=labels.page,
            pdfua=self.edition.pdfua,
            bleed_mm=self.edition.bleed_mm,
            links=self.edition.links))

    @staticmethod
    def part(spec: PartSpec, name: str, part: RenderedPart) -> assemble.Part:
        return assemble.Part(name=name, data=part.data, title=spec.title, lang=spec.lang,
                             bookmark=spec.bookmark, target=spec.target)

    def _subject(self) -> str:
        m, labels = self.manifest, self.parts.labels
        number = f"{labels.issue} {m.number}, " if m.number else ""
        return f"{m.title}, {number}{m.issue} ({labels.date(m.date)})"

    def stamps(self, requests: Sequence[tuple[str, str]]) -> folios.Stamps:
        """Every page number the slots need, set from digits drawn once by WeasyPrint in
        each slot style (and cached: the sheet does not depend on the numbers)."""
        digits = folios.digit_requests(requests)
        html = folios.stamp_sheet_html(digits, self.manifest.lang)
        key = cache.key(self.project, [], "issue-numbers",
                        hashlib.sha256(html.encode()).hexdigest(),
                        fingerprint=self.renderer.fingerprint)
        data = self.store.get(key) if self.store is not None else None
        if data is None:
            data = self.pipeline.renderer.pdf(html, Path("layouts"),
                                              finisher=folios.capture_stamps).data
            if self.store is not None:
                self.store.put(key, data)
        return folios.numbers_from_digits(folios.read_stamps(data, digits), requests)


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
