"""A project in, the website's downloads folder out: every PDF readers download.

    plan     project → Outputs: each file's path, the exact input files it is made
             from and the function that makes it (article PDFs, and both
             editions of every issue)
    build    Outputs → PDFs in the output folder: only those whose inputs changed,
             in parallel worker processes that are replaced every few outputs
             (work.py), or on a Dask cluster in their place (cluster.py); what may
             be kept is judged against the record (record.py)
    pages    every PDF → manifest.json, index.html, issues/<issue>.html (downloads)

This module conducts the build.

Incremental: an output's key is :func:`cache.key` over its input files, the
project fingerprint (layouts, fonts, printjournal.toml, versions) and its
options. A record per output folder (in .printjournal-cache/site/) remembers
each output's key and file; an output whose key and file are unchanged is
reused, anything else is rebuilt, and a PDF whose key is in the render cache
is copied from there instead of rendered again.

No-op: a build whose inputs digest (noop.py: content/, layouts, fonts, config, code,
press profile, options, today's date) is the last clean build's, and whose recorded
files are all there with their bytes, loads no article: it gives that build's warnings
and counts again.

Failures stay local: an article that cannot be loaded or rendered is reported
as ``path:line: message`` and everything else is built; its last good PDF
stays in place (every write is atomic) and stays in the manifest.

Nothing is trusted blindly: a file in the output folder is reused only if its
bytes are those recorded, a render cache entry only if they have the SHA-256 in its name;
anything else is rebuilt and said as a warning (``out: warning: ...``, counted in
the summary; ``--strict`` makes it an error), as is a PDF in the folder that the
build did not make (never listed). A write that fails (a
full disk, a read-only folder) stops the build with one OutputError naming the
folder. Temporary files of killed runs are removed at the start.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .. import cache, files
from ..errors import Notice, Notices, PrintjournalError, Problem, relative
from ..model import Project
from ..pipeline import Pipeline
from ..render.weasy import Renderer
from ..template.layouts import Layouts
from ..workers import pool as workers
from . import cluster, downloads, noop, work
from . import plan as plan_module
from . import record as records
from .downloads import MANIFEST, Download
from .plan import IssueBuilder, plan
from .record import Record
from .work import Outcome, Task

log = logging.getLogger(__name__)


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
    warnings: tuple[Notice, ...] = ()   # damaged files found (and rebuilt), foreign PDFs...


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
        log.info("built %d, reused %d, failed %d in %.1f s", summary.built, summary.reused,
                 summary.failed, summary.seconds)


# ───────────────────────────────── build ─────────────────────────────────

def build_site(project: Project, out: Path, *, jobs: int | None = None, clean: bool = False,
               reporter: Reporter | None = None,
               issue_builder: IssueBuilder | None = None,
               notices: Notices | None = None, scheduler: str | None = None) -> Summary:
    """Build every output of ``project`` into ``out`` that is not there already.

    ``jobs`` worker processes (default: every core), or the Dask cluster whose scheduler
    is at ``scheduler`` (default: ``[build] scheduler``, else none; cluster.py);
    ``clean`` first drops the render cache and every file an earlier build put into
    ``out``. Warnings go to ``notices`` and the summary (with ``notices.strict``, they
    are errors). The workers import the ``__main__`` module, as multiprocessing's do: a
    script calling this needs the ``if __name__ == "__main__":`` guard.

    Raises OutputError, naming the folder, when ``out`` or the render cache cannot be
    written (a full disk, a read-only folder): the build stops there, every file it
    had not replaced yet stays as it was.
    """
    out = out.resolve()
    store = cache.RenderCache.for_project(project)
    try:
        return _build_site(project, out, store, jobs, clean, reporter or LogReporter(),
                           issue_builder, notices, scheduler or project.build.scheduler)
    except OSError as exc:
        if not files.under(exc, (out, *store.written)):
            raise
        shown = {out: relative(out, project.root), **{f: relative(f, project.root)
                                                      for f in store.written}}
        raise files.output_error(exc, shown, project.root) from None


def _build_site(project: Project, out: Path, store: cache.RenderCache, jobs: int | None,
                clean: bool, reporter: Reporter, issue_builder: IssueBuilder | None,
                notices: Notices | None, scheduler: str | None) -> Summary:
    started = time.perf_counter()
    record_path = store.folder / "site" / f"{records.digest(str(out))[:16]}.json"
    if clean:
        records.clean(out, Record.load(record_path))
        shutil.rmtree(store.folder, ignore_errors=True)
    for folder in (out, store.folder):
        files.remove_stale_temps(folder)
    workers.remove_stale_folders()
    record = Record.load(record_path)
    notices = notices if notices is not None else Notices()
    options = noop.Options(out, notices.strict, _named(issue_builder or plan_module.ISSUE_BUILDER),
                           noop.today())
    if not clean:
        replayed = noop.replay(record_path, project, options, record)
        if replayed is not None:
            return _replay(out, record, replayed, notices, reporter, started)
    inputs = noop.snapshot(record_path, project, options)
    noop.forget(record_path)
    layouts = Layouts(project)              # a broken labels.toml stops everything here
    the_plan = plan(project, issue_builder, notices)
    fingerprint = cache.project_fingerprint(project)        # once: ~180 files to stat
    keys = {o.path: o.key(project, fingerprint) for o in the_plan.outputs}

    outcomes: dict[str, Outcome] = {}
    tasks: list[Task] = []
    faults: list[str] = []
    for output in the_plan.outputs:
        download = records.reuse(output, keys[output.path], out, record, store, faults)
        if download is not None:
            outcomes[output.path] = Outcome(output.path, "reused", download=download)
        else:
            tasks.append(Task(output, keys[output.path], project, out / output.path, store))
    reporter.start(len(the_plan.outputs), len(tasks))
    problems = list(the_plan.problems)
    _warn(faults, relative(out, project.root), notices, problems)
    reporter.problems([*notices.found, *problems])
    # the local pool (work.py), or a Dask cluster's executor (cluster.py) when a scheduler
    # is given and there is something to render: the same job and consumption loop
    with (cluster.Cluster.connect(scheduler, project) if scheduler and tasks
          else nullcontext()) as executor:
        for outcome in work.run(tasks, jobs or os.cpu_count() or 1, lambda: Pipeline(
                project, layouts, Renderer.for_project(project)), executor):
            outcomes[outcome.path] = outcome
            problems += outcome.problems
            reporter.update(outcome)

    kept = records.kept_outputs(the_plan, keys, outcomes, record, out)
    removed = records.prune(out, the_plan, record, kept)
    found = tuple(sorted((r.download for r in kept.values()), key=lambda d: d.path))
    late: list[Problem] = []
    reporter.problems(_warn(records.foreign(project, out, kept), relative(out, project.root),
                            notices, late))
    pages, page_problems = _write_pages(out, layouts, found, record)
    problems += [*late, *page_problems]
    reporter.problems([*late, *page_problems])
    Record(kept, pages).save(record_path)

    statuses = [o.status for o in outcomes.values()]
    summary = Summary(out=out, built=statuses.count("built"), reused=statuses.count("reused"),
                      failed=statuses.count("failed") + len(the_plan.failed_sources),
                      removed=removed, seconds=time.perf_counter() - started,
                      problems=tuple(problems), downloads=found, warnings=notices.found)
    if not summary.problems and not summary.failed:
        noop.remember(record_path, project, options, Record(kept, pages),
                      noop.extra_inputs(project, {p for o in the_plan.outputs
                                                  for p in o.inputs}),
                      notices.found, len(the_plan.outputs), inputs)
    reporter.finish(summary)
    return summary


def _named(builder: IssueBuilder | None) -> str:
    return "none" if builder is None else f"{builder.__module__}.{builder.__qualname__}"


def _replay(out: Path, record: Record, replayed: noop.Replay, notices: Notices,
            reporter: Reporter, started: float) -> Summary:
    """The no-op build: the last build's warnings and counts, no article loaded."""
    notices.extend(replayed.warnings)
    reporter.start(replayed.outputs, 0)
    reporter.problems(notices.found)
    found = tuple(sorted((r.download for r in record.outputs.values()), key=lambda d: d.path))
    summary = Summary(out=out, built=0, reused=replayed.outputs, failed=0, removed=0,
                      seconds=time.perf_counter() - started, problems=(), downloads=found,
                      warnings=notices.found)
    reporter.finish(summary)
    return summary


def _warn(faults: Sequence[str], out: Path, notices: Notices, problems: list[Problem]
          ) -> list[Notice]:
    """Each of ``faults`` (about the output folder ``out``) as a warning in ``notices``,
    or with --strict an error in ``problems``: the new warnings."""
    before = set(notices.found)
    for fault in faults:
        notices.warn(problems, out, 0, fault)
    return [n for n in notices.found if n not in before]


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
            records.write_if_changed(out / path, data)
    for path in set(record.pages) - set(files):
        records.unlink(out, path)
    records.remove_empty_folders(out)
    return sorted(files), problems


