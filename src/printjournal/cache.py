"""Inputs in, a content-hash key out; and a folder of rendered PDFs by key.

An output is reused only when every input that shaped it is byte for byte
the same: the article's file and the images it uses, everything in layouts/
and fonts/, printjournal.toml, printjournal's and WeasyPrint's versions, and
whatever options the caller adds (edition, folio, clinic, ...). Keys are
SHA-256 hex digests; entries are written atomically and sealed with the SHA-256
of their bytes, checked on every read, so neither a crash nor a damaged disk
gives a later run bytes it would trust wrongly.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import weasyprint

from . import __version__
from .content import IMAGE, body_lines
from .errors import relative
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
    """What every output of the project depends on: layouts, fonts, config, versions."""
    digest = hashlib.sha256(f"printjournal {__version__} weasyprint {weasyprint.__version__}"
                            .encode())
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
    """The cache key of an output made from ``files`` with ``options``."""
    digest = hashlib.sha256(project_fingerprint(project).encode())
    for path in files:
        digest.update(f"\0{path}\0{file_hash(path)}".encode())
    for option in options:
        digest.update(f"\0{option!r}".encode())
    return digest.hexdigest()


class DamagedEntryError(Exception):
    """A render cache entry whose bytes are not those written (truncated, overwritten)."""


@dataclass(frozen=True)
class RenderCache:
    """Rendered PDFs by key, in a folder (default: .printjournal-cache/ in the project).

    Each entry ``<key>.pdf`` has a seal beside it, ``<key>.sha256``: the SHA-256 and
    size of the bytes written. An entry is only ever returned as it was written; one
    that is not (a truncated file, other bytes, no seal) is removed and is a miss.
    """

    folder: Path

    @classmethod
    def for_project(cls, project: Project) -> RenderCache:
        return cls(project.root / ".printjournal-cache")

    def _path(self, cache_key: str) -> Path:
        return self.folder / cache_key[:2] / f"{cache_key}.pdf"

    def get(self, cache_key: str) -> bytes | None:
        """The entry's bytes; None when there is none, or it was damaged (then logged)."""
        try:
            return self.verified(cache_key)
        except DamagedEntryError as exc:
            log.warning("%s", exc)
            return None

    def verified(self, cache_key: str) -> bytes | None:
        """The entry's bytes, None when there is none; raises DamagedEntryError (the entry
        removed) when its bytes are not those its seal records. An entry without a seal
        (a put cut short) is removed quietly: a miss."""
        path = self._path(cache_key)
        seal = path.with_suffix(".sha256")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            digest, size = seal.read_text(encoding="ascii").split()
            intact = int(size) == len(data) and hashlib.sha256(data).hexdigest() == digest
        except FileNotFoundError:   # a put cut short, or an entry from before seals: a miss
            _remove(path)
            return None
        except (OSError, ValueError):
            intact = False
        if not intact:
            _remove(path, seal)
            raise DamagedEntryError(f"the render cache entry {relative(path, self.folder)} "
                                    "was damaged: it is rendered again")
        return data

    def put(self, cache_key: str, data: bytes) -> None:
        path = self._path(cache_key)
        seal = path.with_suffix(".sha256")
        seal.unlink(missing_ok=True)        # no moment where an old seal vouches for new bytes
        write_atomic(path, data)
        write_atomic(seal, f"{hashlib.sha256(data).hexdigest()} {len(data)}\n".encode())


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):    # a read-only cache: a miss all the same
            path.unlink(missing_ok=True)
