"""A project in, the website's downloads folder out: every PDF readers download.

    plan     project → Outputs: each file's path, the exact input files it is made
             from and the function that makes it (article PDFs, and both
             editions of every issue)
    build    Outputs → PDFs in the output folder: only those whose inputs changed,
             in parallel worker processes that are replaced every few outputs
             (sitework.py)
    pages    every PDF → manifest.json, index.html, issues/<issue>.html (downloads)

Incremental: an output's key is :func:`cache.key` over its input files, the
project fingerprint (layouts, fonts, printjournal.toml, versions) and its
options. A record per output folder (in .printjournal-cache/site/) remembers
each output's key and file; an output whose key and file are unchanged is
reused, anything else is rebuilt, and a PDF whose key is in the render cache
is copied from there instead of rendered again.

Failures stay local: an article that cannot be loaded or rendered is reported
as ``path:line: message`` and everything else is built; its last good PDF
stays in place (every write is atomic) and stays in the manifest.

Nothing is trusted blindly: a file in the output folder is reused only if its
bytes are those recorded, a render cache entry only if they have the SHA-256 in its name;
anything else is rebuilt and said in the summary's ``faults``, as is a PDF in
the folder that the build did not make (never listed). A write that fails (a
full disk, a read-only folder) stops the build with one OutputError naming the
folder. Temporary files of killed runs are removed at the start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pypdf

from . import cache, content, downloads, files, governance, links, sitework, workers
from .build import Pipeline
from .downloads import ARTICLE, ISSUE, MANIFEST, Download, Listing
from .errors import Notice, Notices, PrintjournalError, Problem, relative
from .files import write_atomic
from .issue import IssueBuild, page_count  # imported here so the workers' forkserver has them
from .manifest import load_manifest
from .model import Article, Project
from .render import Rendered, Renderer
from .sitework import Outcome, Task
from .templating import Layouts
from .yamlsource import load_yaml

log = logging.getLogger(__name__)

Make = Callable[..., Rendered]   # make(pipeline, *args) → Rendered; module level, so it pickles


@dataclass(frozen=True)
class Output:
    """One file the build makes, and everything it is made from."""

    path: str                    # relative to the output folder, with '/'
    source: Path                 # the content file its errors point at (project-relative)
    inputs: tuple[Path, ...]     # every file it is made from, besides the project fingerprint
    options: tuple[str, ...]     # whatever else shapes it (kind, edition)
    make: Make                   # make(pipeline, *args) renders it
    args: tuple[Any, ...]
    listing: Listing
    cost: float = 1.0            # a guess at its render time, to start the longest first

    def key(self, project: Project) -> str:
        return cache.key(project, self.inputs, *self.options)


@dataclass(frozen=True)
class Plan:
    """The outputs of a project, and the content files that could not be planned."""

    outputs: tuple[Output, ...]
    problems: tuple[Problem, ...]     # their sources' last good outputs stay

    @property
    def failed_sources(self) -> frozenset[Path]:
        return frozenset(p.path for p in self.problems)


@dataclass(frozen=True)
class Summary:
    """A whole build: counts, the time it took, and every problem."""

    out: Path
    built: int
    reused: int
    failed: int
    removed: int
    seconds: float
    problems: tuple[Problem, ...]
    downloads: tuple[Download, ...] = field(default=(), repr=False)
    warnings: tuple[Notice, ...] = ()
    faults: tuple[str, ...] = ()      # damaged files found (and rebuilt), foreign PDFs


class Reporter(Protocol):
    """Told about a build as it goes (the CLI shows a progress bar or plain lines)."""

    def start(self, total: int, todo: int) -> None:
        """``total`` outputs, of which ``todo`` are to be rendered."""

    def update(self, outcome: Outcome) -> None:
        """One of the ``todo`` outputs was rendered, or failed."""

    def problems(self, problems: Sequence[Problem | Notice]) -> None:
        """Problems of no rendered output: content that could not be planned, the pages."""

    def finish(self, summary: Summary) -> None:
        """The build is over."""


class LogReporter:
    """The library's default: one log line per output."""

    def start(self, total: int, todo: int) -> None:
        log.info("%d outputs, %d to build", total, todo)

    def update(self, outcome: Outcome) -> None:
        self.problems(outcome.problems)
        log.info("%s %s", outcome.status, outcome.path)

    def problems(self, problems: Sequence[Problem | Notice]) -> None:
        for problem in problems:
            log.error("%s", problem)

    def finish(self, summary: Summary) -> None:
        for fault in summary.faults:
            log.warning("%s", fault)
        log.info("built %d, reused %d, failed %d in %.1f s", summary.built, summary.reused,
                 summary.failed, summary.seconds)


# ───────────────────────────────── plan ─────────────────────────────────

def plan(project: Project, issue_builder: IssueBuilder | None = None,
         notices: Notices | None = None) -> Plan:
    """Every output of the project; ``issue_builder`` defaults to :data:`ISSUE_BUILDER`."""
    articles, problems = content.load_articles(project)   # a bug in one: its problem
    problems += links.check_links(articles, project, notices=notices)
    bad = {p.path for p in problems}
    good = [a for a in articles if a.path not in bad]
    outputs = article_outputs(project, governance.published(
        project, good, notices if notices is not None else Notices()))
    builder = issue_builder or ISSUE_BUILDER
    if builder is not None:
        issues, issue_problems = issue_outputs(project, good, builder)
        outputs += issues
        problems += issue_problems
    return Plan(tuple(outputs), tuple(sorted(set(problems))))


def article_outputs(project: Project, articles: Sequence[Article],
                    today: dt.date | None = None) -> list[Output]:
    """One PDF per article: ``articles/<slug>.pdf``, marked if past its review on ``today``."""
    return [Output(
        path=f"articles/{article.slug}.pdf", source=article.path,
        inputs=tuple(cache.article_inputs(article, project)),
        options=(ARTICLE, *governance.cache_options(due)),
        make=Pipeline.article_pdf, args=(article, due),
        listing=Listing(kind=ARTICLE, slug=article.slug, title=article.title,
                        date=article.date, lang=article.lang, section=article.section,
                        review_due=due),
        cost=len(article.body))
        for article in articles for due in [governance.review_due(article, today)]]


# ─────────────────────────── issues ───────────────────────────
# Each issue (content/issues/<name>.yaml) has two outputs beside the articles:
# issues/<name>.pdf (digital) and issues/<name>-print.pdf, each rebuilt when the
# manifest, any file it names (any text value that is a file under content/,
# and the images in those that are Markdown) or any input of its articles changes.
# An edition renders with workers=1: it runs in one of this build's worker processes,
# which are daemonic and may not start processes of their own; the other outputs use
# the other cores. Its PrintjournalErrors are reported as that edition's failure (its
# last good PDF stays).

IssueBuilder = Callable[[Pipeline, Path, str], Rendered]


def build_issue_edition(pipeline: Pipeline, manifest: Path, edition: str) -> Rendered:
    """One edition of the issue ``manifest``, through issue.IssueBuild."""
    data = IssueBuild(pipeline, load_manifest(manifest, pipeline.project), edition,
                      cache.RenderCache.for_project(pipeline.project), workers=1).pdf()
    return Rendered(data, page_count(data))


ISSUE_BUILDER: IssueBuilder | None = build_issue_edition
EDITIONS = ("digital", "print")


def issue_outputs(project: Project, articles: Sequence[Article], builder: IssueBuilder
                  ) -> tuple[list[Output], list[Problem]]:
    """Both editions of every issue manifest in content/issues/."""
    by_slug = {a.slug: a for a in articles}
    outputs: list[Output] = []
    problems: list[Problem] = []
    for manifest in sorted(p for p in (project.content_dir / "issues").glob("*.y*ml")
                           if p.suffix in (".yaml", ".yml")):
        shown = relative(manifest, project.root)
        try:
            fields = content.Fields(load_yaml(content.read_text(manifest, project.root),
                                              shown, 1))
        except PrintjournalError as exc:
            problems.extend(exc.problems)
            continue
        name = fields.text("issue", required=True)
        title = fields.text("title") or project.journal.name
        day = fields.date("date", required=True)
        slugs = fields.text_list("articles")
        if fields.problems or day is None:
            problems.extend(fields.problems)
            continue
        inputs = [manifest, *_content_files(project, list(_strings(fields.doc.data)))]
        for slug in slugs:
            article = by_slug.get(slug)
            inputs += cache.article_inputs(article, project) if article else \
                [p for p in [project.articles_dir / f"{slug}.md"] if p.is_file()]
        for edition in EDITIONS:
            suffix = "" if edition == "digital" else f"-{edition}"   # as `printjournal issue`
            outputs.append(Output(
                path=f"issues/{manifest.stem}{suffix}.pdf", source=shown,
                inputs=tuple(inputs), options=(ISSUE, edition), make=builder,
                args=(manifest, edition),
                listing=Listing(kind=ISSUE, slug=manifest.stem, title=title, date=day,
                                lang=fields.text("lang") or project.journal.lang, issue=name,
                                edition=edition,
                                articles=tuple(f"articles/{s}.pdf" for s in slugs)),
                cost=sum(len(by_slug[s].body) for s in slugs if s in by_slug) + 1e6))
    return outputs, problems


def _strings(data: Any) -> Iterator[str]:
    """Every text value in parsed YAML: any of them may name a file (editorial,
    back_cover, cover.image, whatever issue 3's manifests name)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _content_files(project: Project, names: Sequence[str], base: Path | None = None
                   ) -> list[Path]:
    """Those of ``names`` (relative to ``base``, default content/) that are files inside
    content/, and the images named in those that are Markdown."""
    folder = project.content_dir.resolve()
    found = []
    for name in names:
        try:
            path = ((base or folder) / name).resolve()
            is_file = path.is_relative_to(folder) and path.is_file()
        except (OSError, ValueError):     # text that cannot be a file name
            continue
        if name.strip() and is_file:
            found.append(path)
            if path.suffix == ".md":
                text = path.read_text(encoding="utf-8", errors="replace")
                found += _content_files(project, [m[2] for m in content.IMAGE.finditer(text)],
                                        path.parent)
    return found

# ───────────────────────────── end of the hook ─────────────────────────────


# ───────────────────────────────── build ─────────────────────────────────

def build_site(project: Project, out: Path, *, jobs: int | None = None, clean: bool = False,
               reporter: Reporter | None = None,
               issue_builder: IssueBuilder | None = None,
               notices: Notices | None = None) -> Summary:
    """Build every output of ``project`` into ``out`` that is not there already.

    ``jobs`` worker processes (default: every core); ``clean`` first drops the
    render cache and every file an earlier build put into ``out``. Warnings go to
    ``notices`` and the summary (with ``notices.strict``, they are errors). The workers
    import the ``__main__`` module, as multiprocessing's do: a script calling this
    needs the ``if __name__ == "__main__":`` guard.

    Raises OutputError, naming the folder, when ``out`` or the render cache cannot be
    written (a full disk, a read-only folder): the build stops there, every file it
    had not replaced yet stays as it was.
    """
    out = out.resolve()
    store = cache.RenderCache.for_project(project)
    try:
        return _build_site(project, out, store, jobs, clean, reporter or LogReporter(),
                           issue_builder, notices)
    except OSError as exc:
        if not files.under(exc, (out, store.folder)):
            raise
        shown = {out: relative(out, project.root), store.folder: Path(store.folder.name)}
        raise files.output_error(exc, shown, project.root) from None


def _build_site(project: Project, out: Path, store: cache.RenderCache, jobs: int | None,
                clean: bool, reporter: Reporter, issue_builder: IssueBuilder | None,
                notices: Notices | None) -> Summary:
    started = time.perf_counter()
    record_path = store.folder / "site" / f"{_digest(str(out))[:16]}.json"
    if clean:
        _clean(out, Record.load(record_path))
        shutil.rmtree(store.folder, ignore_errors=True)
    for folder in (out, store.folder):
        files.remove_stale_temps(folder)
    workers.remove_stale_folders()
    record = Record.load(record_path)
    layouts = Layouts(project)              # a broken labels.toml stops everything here
    notices = notices if notices is not None else Notices()
    the_plan = plan(project, issue_builder, notices)
    keys = {o.path: o.key(project) for o in the_plan.outputs}

    outcomes: dict[str, Outcome] = {}
    tasks: list[Task] = []
    faults: list[str] = []
    for output in the_plan.outputs:
        download = _reuse(output, keys[output.path], out, record, store, faults)
        if download is not None:
            outcomes[output.path] = Outcome(output.path, "reused", download=download)
        else:
            tasks.append(Task(output, keys[output.path], project, out / output.path,
                              store.folder))
    reporter.start(len(the_plan.outputs), len(tasks))
    problems = list(the_plan.problems)
    reporter.problems([*notices.found, *problems])
    for outcome in sitework.run(tasks, jobs or os.cpu_count() or 1,
                        lambda: Pipeline(project, layouts, Renderer.for_project(project))):
        outcomes[outcome.path] = outcome
        problems += outcome.problems
        reporter.update(outcome)

    kept = _record_outputs(the_plan, keys, outcomes, record, out)
    removed = _prune(out, the_plan, record, kept)
    found = tuple(sorted((r.download for r in kept.values()), key=lambda d: d.path))
    faults += _foreign(out, kept)
    pages, page_problems = _write_pages(out, layouts, found, record)
    problems += page_problems
    reporter.problems(page_problems)
    Record(kept, pages).save(record_path)

    statuses = [o.status for o in outcomes.values()]
    summary = Summary(out=out, built=statuses.count("built"), reused=statuses.count("reused"),
                      failed=statuses.count("failed") + len(the_plan.failed_sources),
                      removed=removed, seconds=time.perf_counter() - started,
                      problems=tuple(problems), downloads=found, warnings=notices.found,
                      faults=tuple(faults))
    reporter.finish(summary)
    return summary


def _foreign(out: Path, kept: dict[str, Recorded]) -> list[str]:
    """A line for each PDF in ``out`` that no build put there (not listed anywhere)."""
    ours = set(kept)
    return [f"{path} is not made by this build: it is not in manifest.json"
            for path in sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
            if path not in ours]


def _record_outputs(the_plan: Plan, keys: dict[str, str], outcomes: dict[str, Outcome],
                    record: Record, out: Path) -> dict[str, Recorded]:
    """The record after this build: what was built or reused, and for what failed,
    its last good file (if it is still there as it was)."""
    kept: dict[str, Recorded] = {}
    for output in the_plan.outputs:
        download = outcomes[output.path].download
        old = record.outputs.get(output.path)
        if download is not None:
            kept[output.path] = Recorded(keys[output.path], output.source, download)
        elif old is not None and _intact(out / output.path, old.download):
            kept[output.path] = old
    return kept


def _prune(out: Path, the_plan: Plan, record: Record, kept: dict[str, Recorded]) -> int:
    """Remove the files of outputs that are gone (an article deleted, a slug changed);
    keep those whose content failed to load, and add them to ``kept``."""
    removed = 0
    planned = {o.path for o in the_plan.outputs}
    for path, old in record.outputs.items():
        if path in kept or path in planned:
            continue
        if old.source in the_plan.failed_sources:
            if _intact(out / path, old.download):
                kept[path] = old
        else:
            _unlink(out, path)
            removed += 1
    return removed


def _write_pages(out: Path, layouts: Layouts, found: Sequence[Download], record: Record
                 ) -> tuple[list[str], tuple[Problem, ...]]:
    """manifest.json and the downloads pages, each written only when it changed; the
    files of pages no longer made are removed. On a layout error the last good pages stay."""
    files: dict[str, bytes | None] = {MANIFEST: downloads.manifest_json(layouts.project, found)}
    problems: tuple[Problem, ...] = ()
    try:
        files |= downloads.pages(layouts, found)
    except PrintjournalError as exc:
        problems = exc.problems
        files |= {path: None for path in record.pages if path != MANIFEST}
    for path, data in files.items():
        if data is not None:
            _write_if_changed(out / path, data)
    for path in set(record.pages) - set(files):
        _unlink(out, path)
    _remove_empty_folders(out)
    return sorted(files), problems


def _reuse(output: Output, key: str, out: Path, record: Record,
           store: cache.RenderCache, faults: list[str]) -> Download | None:
    """The output's file if it is already in ``out`` as it was written, or copied there
    from the render cache if its entry there is intact; a damaged file or entry is
    said in ``faults`` and rebuilt."""
    old = record.outputs.get(output.path)
    dest = out / output.path
    if old is not None and old.key == key:
        if _intact(dest, old.download):
            return Download(output.path, output.listing, old.download.pages,
                            old.download.bytes, old.download.sha256)
        if dest.exists():
            faults.append(f"{output.path} was changed or damaged since it was built: rebuilt")
    try:
        data = store.verified(key)
        if data is None:
            return None
        pages = old.download.pages if old is not None and old.key == key else \
            len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except (cache.DamagedEntryError, pypdf.errors.PdfReadError):
        faults.append(f"the render cache entry for {output.path} was damaged: rebuilt")
        return None
    write_atomic(dest, data)
    log.debug("copied %s from the render cache", output.path)
    return Download(output.path, output.listing, pages, len(data), _digest(data))


def _intact(path: Path, download: Download) -> bool:
    try:
        return path.stat().st_size == download.bytes and \
            cache.file_hash(path) == download.sha256
    except OSError:
        return False


def _digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``path`` unless it already holds ``data`` (so an unchanged page keeps its time)."""
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    write_atomic(path, data)


def _unlink(out: Path, path: str) -> None:
    target = out / path
    if target.resolve().is_relative_to(out):
        target.unlink(missing_ok=True)


def _remove_empty_folders(out: Path) -> None:
    if not out.is_dir():
        return
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()      # only succeeds when empty


def _clean(out: Path, record: Record) -> None:
    """Remove every file an earlier build put into ``out`` (and nothing else)."""
    paths = {*record.outputs, *record.pages, MANIFEST}
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
        paths |= {str(entry["path"]) for entry in listed}
    for path in paths:
        _unlink(out, path)
    _remove_empty_folders(out)


# ───────────────────────────────── record ─────────────────────────────────

@dataclass(frozen=True)
class Recorded:
    """An output as the last build left it: the key of its inputs, and its file."""

    key: str
    source: Path
    download: Download


@dataclass
class Record:
    """What the builds into one output folder made: each output's key and file, and
    the page files (manifest, HTML, fonts) written beside them."""

    outputs: dict[str, Recorded]
    pages: list[str]

    @classmethod
    def load(cls, path: Path) -> Record:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            outputs = {p: Recorded(e["key"], Path(e["source"]),
                                   Download.from_json(e["download"]))
                       for p, e in data["outputs"].items()}
            return cls(outputs, [str(p) for p in data["pages"]])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if not isinstance(exc, FileNotFoundError):
                log.warning("ignoring the unreadable build record %s: %s", path, exc)
            return cls({}, [])

    def save(self, path: Path) -> None:
        data = {"outputs": {p: {"key": r.key, "source": str(r.source),
                                "download": r.download.to_json()}
                            for p, r in sorted(self.outputs.items())},
                "pages": sorted(self.pages)}
        write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False).encode())
