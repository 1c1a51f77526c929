"""What the builds into one output folder made in, what this build may keep out.

A record per output folder (``.printjournal-cache/site/<hash of the folder>.json``)
remembers each output's key and file (path, pages, bytes, SHA-256) and the page files
written beside them. With it the build decides, output by output:

- :func:`reuse`: the file is in the folder as recorded, or its render cache entry is
  intact (its SHA-256 checked) and is copied there; a damaged file or entry is a fault,
  rebuilt;
- :func:`kept_outputs`, :func:`prune`: after the build, what the record keeps (a failed
  output keeps its last good file) and which files of outputs that are gone are removed;
- :func:`foreign`: PDFs in the folder the build did not make (never listed);
- :func:`clean`: every file an earlier build put into the folder removed, nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pypdf

from .. import cache
from ..files import write_atomic
from ..leaflet import personalfiles
from ..model import Project
from .downloads import MANIFEST, Download
from .plan import Output, Plan
from .work import Outcome

log = logging.getLogger(__name__)


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


LEAFLETS = "leaflets/"   # `printjournal leaflet`'s default folder in dist/


def foreign(project: Project, out: Path, kept: dict[str, Recorded]) -> list[str]:
    """A line for each PDF in ``out`` that no build put there (not listed anywhere), but
    the leaflet command's own; one with a patient's details is moved out of ``out``
    (leaflet/personalfiles.py), wherever it is."""
    ours = set(kept)
    found = [path for path in sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
             if path not in ours]
    moved = personalfiles.move_personal(project, out, found)
    # leaflets/ is where `printjournal leaflet` writes a leaflet without personal details:
    # kept and not listed, and not news at every build
    return [moved.get(path) or f"{path} is not made by this build: it is not in manifest.json"
            for path in found if path in moved or not path.startswith(LEAFLETS)]


def kept_outputs(the_plan: Plan, keys: dict[str, str], outcomes: dict[str, Outcome],
                    record: Record, out: Path) -> dict[str, Recorded]:
    """The record after this build: what was built or reused, and for what failed,
    its last good file (if it is still there as it was)."""
    kept: dict[str, Recorded] = {}
    for output in the_plan.outputs:
        download = outcomes[output.path].download
        old = record.outputs.get(output.path)
        if download is not None:
            kept[output.path] = Recorded(keys[output.path], output.source, download)
        elif old is not None and intact(out / output.path, old.download):
            kept[output.path] = old
    return kept


def prune(out: Path, the_plan: Plan, record: Record, kept: dict[str, Recorded]) -> int:
    """Remove the files of outputs that are gone (an article deleted, a slug changed);
    keep those whose content failed to load, and add them to ``kept``."""
    removed = 0
    planned = {o.path for o in the_plan.outputs}
    for path, old in record.outputs.items():
        if path in kept or path in planned:
            continue
        if old.source in the_plan.failed_sources:
            if intact(out / path, old.download):
                kept[path] = old
        else:
            unlink(out, path)
            removed += 1
    return removed


def reuse(output: Output, key: str, out: Path, record: Record,
           store: cache.RenderCache, faults: list[str]) -> Download | None:
    """The output's file if it is already in ``out`` as it was written, or copied there
    from the render cache if its entry there is intact; a damaged file or entry is
    said in ``faults`` and rebuilt."""
    old = record.outputs.get(output.path)
    dest = out / output.path
    if old is not None and old.key == key:
        if intact(dest, old.download):
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
    return Download(output.path, output.listing, pages, len(data), digest(data))


def intact(path: Path, download: Download) -> bool:
    try:
        return path.stat().st_size == download.bytes and \
            cache.file_hash(path) == download.sha256
    except OSError:
        return False


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``path`` unless it already holds ``data`` (so an unchanged page keeps its time)."""
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    write_atomic(path, data)


def unlink(out: Path, path: str) -> None:
    target = out / path
    if target.resolve().is_relative_to(out):
        target.unlink(missing_ok=True)


def remove_empty_folders(out: Path) -> None:
    if not out.is_dir():
        return
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()      # only succeeds when empty


def clean(out: Path, record: Record) -> None:
    """Remove every file an earlier build put into ``out`` (and nothing else)."""
    paths = {*record.outputs, *record.pages, MANIFEST}
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
        paths |= {str(entry["path"]) for entry in listed}
    for path in paths:
        unlink(out, path)
    remove_empty_folders(out)
