"""A project in; its articles and their problems out, read again only when a file changed.

The leaflet desk loads every article for each request (to list them, check a slug, make
a leaflet). Parsing every front matter each time costs more than grafting a patient's name
onto a cached leaflet, so a :class:`Shelf` keeps the last result of
:func:`printjournal.load.content.load_articles` while the files under content/ (articles, images)
and printjournal.toml are unchanged (same names, sizes and modification times); and,
for as long, what is derived from those files alone (:meth:`Shelf.kept`: the checks of a
leaflet's articles, which cost a warm leaflet a fifth of its time).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from ..errors import Problem
from ..load import content
from ..model import Article, Project

Loaded = tuple[list[Article], list[Problem]]
T = TypeVar("T")
MOST_KEPT = 512         # values kept at once (one per choice of articles, say)


class Shelf:
    """The project's loaded articles, kept while their files are unchanged."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._lock = threading.Lock()
        self._signature: tuple[object, ...] | None = None
        self._loaded: Loaded = ([], [])
        self._kept: dict[Hashable, object] = {}
        self.generation = 0      # how many times the library was read anew

    def load(self) -> Loaded:
        """What ``content.load_articles(project)`` returns now (copies of the lists)."""
        signature = self._signature_now()
        with self._lock:
            if signature != self._signature:
                self._loaded = content.load_articles(self.project)
                self._signature = signature
                self._kept.clear()
                self.generation += 1
            articles, problems = self._loaded
        return list(articles), list(problems)

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, kept under ``key`` until :meth:`load` finds a file changed: for
        values made from the loaded articles and the files under content/ alone."""
        with self._lock:
            if key in self._kept:
                return self._kept[key]     # type: ignore[return-value]
            signature = self._signature
        value = make()                     # outside the lock: it may take a while
        with self._lock:
            if self._signature == signature:    # not made from files read before a change
                self._kept[key] = value
                while len(self._kept) > MOST_KEPT:
                    del self._kept[next(iter(self._kept))]     # the oldest first
        return value

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
