"""A project in; its articles and their problems out, read again only when a file changed.

The leaflet desk loads every article for each request (to list them, check a slug, make
a leaflet). Parsing every front matter each time costs more than grafting a patient's name
onto a cached leaflet, so a :class:`Shelf` keeps the last result of
:func:`printjournal.content.load_articles` while the files under content/ (articles, images)
and printjournal.toml are unchanged (same names, sizes and modification times).
"""

from __future__ import annotations

import threading
from pathlib import Path

from . import content
from .errors import Problem
from .model import Article, Project

Loaded = tuple[list[Article], list[Problem]]


class Shelf:
    """The project's loaded articles, kept while their files are unchanged."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._lock = threading.Lock()
        self._signature: tuple[object, ...] | None = None
        self._loaded: Loaded = ([], [])

    def load(self) -> Loaded:
        """What ``content.load_articles(project)`` returns now (copies of the lists)."""
        signature = self._signature_now()
        with self._lock:
            if signature != self._signature:
                self._loaded = content.load_articles(self.project)
                self._signature = signature
            articles, problems = self._loaded
        return list(articles), list(problems)

    def _signature_now(self) -> tuple[object, ...]:
        project = self.project
        files = sorted(p for p in project.content_dir.rglob("*") if p.is_file())
        return tuple(_stat(path) for path in (project.config_path, *files))


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns)
