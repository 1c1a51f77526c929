"""Inputs in, a content-hash key out; and a folder of rendered PDFs by key.

An output is reused only when every input that shaped it is byte for byte
the same: the article's file and the images it uses, everything in layouts/
and fonts/, printjournal.toml, printjournal's and WeasyPrint's versions, and
whatever options the caller adds (edition, folio, clinic, ...). Keys are
SHA-256 hex digests; entries are written atomically, so a crash never leaves
a half entry that a later run would trust.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import weasyprint

from . import __version__
from .content import IMAGE, body_lines
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
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(f"\0{source.name}\0{file_hash(source)}".encode())
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


@dataclass(frozen=True)
class RenderCache:
    """Rendered PDFs by key, in a folder (default: .printjournal-cache/ in the project)."""

    folder: Path

    @classmethod
    def for_project(cls, project: Project) -> RenderCache:
        return cls(project.root / ".printjournal-cache")

    def _path(self, cache_key: str) -> Path:
        return self.folder / cache_key[:2] / f"{cache_key}.pdf"

    def get(self, cache_key: str) -> bytes | None:
        try:
            return self._path(cache_key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, cache_key: str, data: bytes) -> None:
        path = self._path(cache_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
