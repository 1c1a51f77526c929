"""A build's inputs in, its digest out; and the no-op build: the last result, replayed.

A build with nothing changed (issue 16: 200 outputs in at most 2 s) need not load a single
article. At the end of a build that had no problem, :func:`remember` writes beside the
build record (``<record>.noop.json``) one **inputs digest**, a SHA-256 over everything the
outputs and the warnings depend on:

- the name and SHA-256 of every file under content/ (a new or deleted file counts), and of
  every other input file an output was made from (an image outside content/);
- the project fingerprint (printjournal.toml, layouts/, fonts/, printjournal's own code
  and WeasyPrint's version: cache.py), the press profile's bytes;
- the build's options (``--strict``, the issue builder, the output folder), and today's
  date (review states and "overdue" depend on it: :func:`today`);

with the warnings the build gave, its output count, every PDF in the output folder and
the SHA-256 of each page file (manifest, HTML) it wrote. :func:`replay` (at the start of a
build) gives the last build's result again only if the digest is the same, every recorded
output and page file has its recorded bytes (size and SHA-256) and the folder holds the
same PDFs; anything else (or a build that had problems, or failed outputs) is None: the
normal build. Every normal build first removes the file (:func:`forget`), so a build that
stops half way never leaves a digest that a later build would trust.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import cache
from ..errors import Notice
from ..files import write_atomic
from ..model import Project
from ..press import DEFAULT_PROFILE
from .record import Record, intact

log = logging.getLogger(__name__)

VERSION = "noop 1"


def today() -> dt.date:
    """The date the build's review states are judged on (tests set another)."""
    return dt.date.today()


@dataclass(frozen=True)
class Options:
    """What of a build's options shapes its outputs and warnings."""

    out: Path
    strict: bool
    issue_builder: str       # its module and name, or "none"
    day: dt.date             # :func:`today` as the build started


@dataclass(frozen=True)
class Replay:
    """What a no-op build gives again: its warnings and the number of its outputs."""

    warnings: tuple[Notice, ...]
    outputs: int


def inputs_digest(project: Project, options: Options, extra: Iterable[str]) -> str:
    """SHA-256 hex of everything a build's outputs and warnings depend on (see the module);
    ``extra``: other input files, project-relative with '/'. File hashes are remembered
    per (path, size, mtime) by :func:`cache.file_hash`."""
    digest = hashlib.sha256(f"{VERSION}\0{cache.project_fingerprint(project)}\0"
                            f"{options.out}\0{options.strict}\0{options.issue_builder}\0"
                            f"{options.day.isoformat()}".encode())
    content = sorted(p for p in project.content_dir.rglob("*") if p.is_file())
    named = {p.relative_to(project.root).as_posix(): p for p in content}
    named |= {name: project.root / name for name in extra}
    profile = project.press.profile or DEFAULT_PROFILE
    named[f"press profile {profile}"] = profile
    for name in sorted(named):
        try:
            digest.update(f"\0{name}\0{cache.file_hash(named[name])}".encode())
        except OSError:
            digest.update(f"\0{name}\0missing".encode())
    return digest.hexdigest()


def extra_inputs(project: Project, inputs: Iterable[Path]) -> list[str]:
    """Those of ``inputs`` outside content/ and the project fingerprint's folders."""
    inside = (project.content_dir.resolve(), project.layouts_dir.resolve(),
              project.fonts_dir.resolve())
    found = set()
    for path in inputs:
        full = (project.root / path).resolve()
        if not any(full.is_relative_to(folder) for folder in inside) \
                and full != project.config_path.resolve():
            found.add(Path(os.path.relpath(full, project.root)).as_posix())
    return sorted(found)


def _path(record_path: Path) -> Path:
    return record_path.with_suffix(".noop.json")


def forget(record_path: Path) -> None:
    """Drop the last build's digest: this build may stop before it records its own."""
    _path(record_path).unlink(missing_ok=True)


def _pdfs(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))


def snapshot(record_path: Path, project: Project, options: Options) -> tuple[list[str], str]:
    """The inputs as a build starts: the last build's other input files, and the digest
    with them (:func:`remember` takes it, to see whether an input changed meanwhile)."""
    try:
        extra = [str(name) for name in json.loads(
            _path(record_path).read_text(encoding="utf-8"))["extra"]]
    except (OSError, ValueError, KeyError, TypeError):
        extra = []
    return extra, inputs_digest(project, options, extra)


def remember(record_path: Path, project: Project, options: Options, record: Record,
             extra: list[str], warnings: Iterable[Notice], outputs: int,
             started: tuple[list[str], str]) -> None:
    """Write the digest and result of a build that had no problem (see the module);
    nothing if an input changed while it ran (``started``: its :func:`snapshot`): the
    outputs may be of the old bytes, the next build takes the normal path."""
    if inputs_digest(project, options, started[0]) != started[1]:
        log.debug("an input changed during the build: no no-op digest recorded")
        return
    pages = {}
    for page in record.pages:
        with contextlib.suppress(OSError):
            pages[page] = cache.file_hash(options.out / page)
    data = {"digest": inputs_digest(project, options, extra), "extra": extra,
            "warnings": [[str(n.path), n.line, n.message] for n in warnings],
            "outputs": outputs, "pdfs": _pdfs(options.out), "pages": pages}
    write_atomic(_path(record_path), json.dumps(data, indent=1, ensure_ascii=False).encode())


def replay(record_path: Path, project: Project, options: Options, record: Record
           ) -> Replay | None:
    """The last build's result if nothing it depends on changed, else None."""
    try:
        data = json.loads(_path(record_path).read_text(encoding="utf-8"))
        if data["digest"] != inputs_digest(project, options, data["extra"]):
            return None
        if data["outputs"] != len(record.outputs) or data["pdfs"] != _pdfs(options.out):
            return None
        if not all(intact(options.out / p, r.download) for p, r in record.outputs.items()):
            return None
        for page, sha in data["pages"].items():
            if cache.file_hash(options.out / page) != sha:
                return None
        return Replay(tuple(Notice(Path(p), int(line), str(m))
                            for p, line, m in data["warnings"]), int(data["outputs"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        if not isinstance(exc, FileNotFoundError):
            log.debug("no no-op build: %s", exc)
        return None
