"""The project's articles in; what the desk's library says of each out: its reading
grade, the languages it is offered in, and the version of an article to print in a
language staff chose.

Translations are articles of their own (``translation_of``, :mod:`translations`): an
article's *languages* are those of its original and of every translation of that
original. Staff choose a language per article (each article's own language list) or for
the whole leaflet; an article without a version in the chosen language prints in its own.
What is worked out here is remembered per article while its file is unchanged
(:class:`PerArticle`, the desk's one such store: size.py keeps page counts in it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..checks import readability, translations
from ..model import Article, Project

NAMES = translations.LANGUAGE_NAMES
T = TypeVar("T")


def language_name(lang: str) -> str:
    """'Arabic' for 'ar', 'German' for 'de-DE'; the tag itself when not known."""
    return NAMES.get(lang.split("-")[0].lower(), lang)


def root(lang: str) -> str:
    return lang.split("-")[0].lower()


def family(article: Article, every: Sequence[Article]) -> list[Article]:
    """The article, its original and the original's translations: original first."""
    by_slug = {a.slug: a for a in every}
    original = by_slug.get(article.translation_of or "", article)
    return [original, *translations.of(original, every)]


def in_language(slug: str, lang: str, every: Sequence[Article]) -> str:
    """The slug of the version of ``slug`` in ``lang`` ('': as it is), or ``slug`` itself
    when the article has none in that language."""
    article = next((a for a in every if a.slug == slug), None)
    if not lang or article is None or root(article.lang) == root(lang):
        return slug
    return next((a.slug for a in family(article, every) if root(a.lang) == root(lang)), slug)


def chosen_slugs(slugs: Iterable[str], per_article: dict[str, str], leaflet_lang: str,
                 every: Sequence[Article]) -> tuple[str, ...]:
    """The articles to print: each in the language chosen for it, else in the leaflet's,
    else as picked (each article once, in the order picked)."""
    out = (in_language(s, per_article.get(s) or leaflet_lang, every) for s in slugs)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Facts:
    """What the library shows of one article beyond its front matter."""

    grade: float | None          # reading grade (checks/readability.py), None when not measured
    languages: tuple[str, ...]   # every language its family is offered in, its own first


class PerArticle(Generic[T]):
    """Values kept per article (by slug) while its file is unchanged: the same
    modification time (ns) and size (bytes) as when the value was kept. Thread-safe (the
    desk's request threads share one; a value worked out twice at once is harmless)."""

    def __init__(self, project: Project) -> None:
        self._root = project.root
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[tuple[int, int], T]] = {}   # slug → (stat, value)

    def get(self, article: Article) -> T | None:
        """The value kept for the article; None when none is, or its file changed since."""
        signature = self._signature(article)
        with self._lock:
            kept = self._kept.get(article.slug)
        return kept[1] if kept is not None and kept[0] == signature else None

    def put(self, article: Article, value: T) -> None:
        """Keep ``value`` for the article as its file is now."""
        signature = self._signature(article)
        with self._lock:
            self._kept[article.slug] = (signature, value)

    def get_or_make(self, article: Article, make: Callable[[], T]) -> T:
        """The value kept for the article, else ``make()`` kept (a None value included)."""
        signature = self._signature(article)
        with self._lock:
            kept = self._kept.get(article.slug)
        if kept is not None and kept[0] == signature:
            return kept[1]
        value = make()
        with self._lock:
            self._kept[article.slug] = (signature, value)
        return value

    def _signature(self, article: Article) -> tuple[int, int]:
        stat = (self._root / article.path).stat()
        return stat.st_mtime_ns, stat.st_size


class Library:
    """Grades and languages, each remembered while the article's file is unchanged (the
    desk's threads share one). Page counts: size.py."""

    def __init__(self, project: Project) -> None:
        self._grades: PerArticle[float | None] = PerArticle(project)

    def facts(self, article: Article, every: Sequence[Article]) -> Facts:
        grade = self._grades.get_or_make(article, lambda: readability.measure(article).grade)
        langs = [article.lang] + [a.lang for a in family(article, every) if a is not article]
        return Facts(grade, tuple(dict.fromkeys(langs)))
