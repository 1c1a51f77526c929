"""Inputs in, a content-hash key out; and a folder of rendered PDFs by key.

An output is reused only when every input that shaped it is byte for byte
the same: the article's file and the images it uses, everything in layouts/
and fonts/, printjournal.toml, printjournal's and WeasyPrint's versions, and
whatever options the caller adds (edition, folio, clinic, ...). Keys are
SHA-256 hex digests; entries are written atomically and named with the SHA-256
of their bytes, checked on every read, so neither a crash nor a damaged disk
gives a later run bytes it would trust wrongly.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import weasyprint

from . import __version__
from .content import IMAGE, body_lines
from .errors import OutputError, relative
from .files import write_atomic
from .model import Article, Project

log = logging.getLogger(__name__)

_file_hashes: dict[tuple[str, int, int], str] = {}


def file_hash(path: Path) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime) within this process."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _file_hashes:
        _file_hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _file_hashes[key]


def project_fingerprint(project: Project) -> str:
    """What every output of the project depends on: layouts, fonts, config, versions,
    and printjournal's own code (its sources: a code change never reuses an old PDF)."""
    digest = hashlib.sha256(f"printjournal {__version__} weasyprint {weasyprint.__version__}"
                            .encode())
    code = Path(__file__).parent
    for source in sorted(code.rglob("*.py")):     # the packages' modules too (pdf/, issue/)
        digest.update(f"\0{source.relative_to(code).as_posix()}\0{file_hash(source)}".encode())
    files = [project.config_path]
    for folder in (project.layouts_dir, project.fonts_dir):
        files += sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        digest.update(f"\0{path.relative_to(project.root)}\0{file_hash(path)}".encode())
    return digest.hexdigest()


def article_inputs(article: Article, project: Project) -> list[Path]:
    """The files an article's PDF is made from: its Markdown and its images."""
    folder = (project.root / article.path).parent
    files = [project.root / article.path]
    for _, line in body_lines(article):
        for match in IMAGE.finditer(line):
            image = (folder / match[2]).resolve()
            if image.is_file():
                files.append(image)
    return files


def key(project: Project, files: Iterable[Path], *options: object) -> str:
    """The cache key of an output made from ``files`` with ``options``. Files are named
    relative to the project folder, so two clones of a project (on two machines of a
    cluster, say) share their keys, and taken in name order, each once, so two commands
    that list an output's files in another order share its key (outputs.py)."""
    digest = hashlib.sha256(project_fingerprint(project).encode())
    named = {Path(os.path.relpath(path, project.root)).as_posix(): path for path in files}
    for name in sorted(named):
        digest.update(f"\0{name}\0{file_hash(named[name])}".encode())
    for option in options:
        digest.update(f"\0{option!r}".encode())
    return digest.hexdigest()


class DamagedEntryError(OutputError):
    """A render cache entry whose bytes are not those written (truncated, overwritten)."""


@dataclass(frozen=True)
class RenderCache:
    """Rendered PDFs by key, in a folder (default: .printjournal-cache/ in the project).

    An entry is sealed by its name, ``<key>.<sha256 of its bytes>.pdf``, written
    in one atomic rename, and returned only if its bytes still have that SHA-256;
    one that does not (a truncated file, other bytes) is removed and is a miss.
    """

    folder: Path

    @classmethod
    def for_project(cls, project: Project) -> RenderCache:
        return cls(project.root / ".printjournal-cache")

    def _entries(self, cache_key: str) -> list[Path]:
        """The files of the entry (one, unless a put was cut short removing an older one)."""
        try:
            return sorted((self.folder / cache_key[:2]).glob(f"{cache_key}.*.pdf"))
        except OSError:
            return []

    def get(self, cache_key: str) -> bytes | None:
        """The entry's bytes; None when there is none, or it was damaged (then logged)."""
        try:
            return self.verified(cache_key)
        except DamagedEntryError as exc:
            log.warning("%s", exc)
            return None

    def verified(self, cache_key: str) -> bytes | None:
        """The entry's bytes, None when there is none; raises DamagedEntryError (the entry
        removed) when its bytes do not have the SHA-256 its name says."""
        for path in self._entries(cache_key):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            if hashlib.sha256(data).hexdigest() == path.suffixes[-2][1:]:
                return data
            _remove(path)
            raise DamagedEntryError(f"the render cache entry {relative(path, self.folder)} "
                                    "was damaged: it is rendered again")
        return None

    def put(self, cache_key: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        path = self.folder / cache_key[:2] / f"{cache_key}.{digest}.pdf"
        write_atomic(path, data)
        _remove(*(p for p in self._entries(cache_key) if p != path))


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):    # a read-only cache: a miss all the same
            path.unlink(missing_ok=True)
