"""Articles in, each translation's state against its original out: current, stale or broken.

A translation names its original in its front matter: ``translation_of: <slug>`` and
``source_version``, the original's ``review.version`` it was translated from. When the
original's version moves on, the translation is *stale*: ``check`` warns with both
versions; a leaflet or an issue refuses it unless allowed (``--allow-stale``), and then
prints :func:`stale_note` on each of its pages, as an overdue review is marked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ContentError, Notices, Problem
from ..model import Article, Project

LANGUAGE_NAMES = {"en": "English", "de": "German", "ar": "Arabic", "ur": "Urdu",
                  "pl": "Polish", "he": "Hebrew", "fr": "French", "es": "Spanish",
                  "cy": "Welsh", "tr": "Turkish", "el": "Greek", "ru": "Russian",
                  "uk": "Ukrainian", "hi": "Hindi", "bn": "Bengali", "pa": "Punjabi",
                  "zh": "Chinese"}
NATIVE_NAMES = {"en": "English", "de": "Deutsch", "ar": "العربية", "ur": "اردو",
                "pl": "Polski", "he": "עברית", "fr": "Français", "es": "Español",
                "cy": "Cymraeg", "tr": "Türkçe", "el": "Ελληνικά", "ru": "Русский",
                "uk": "Українська", "hi": "हिन्दी", "bn": "বাংলা", "pa": "ਪੰਜਾਬੀ",
                "zh": "中文"}     # each language's name in itself, for its readers


@dataclass(frozen=True)
class Translation:
    """One translation and the state of its original."""

    article: Article
    original: Article | None

    @property
    def original_version(self) -> str:
        review = self.original.review if self.original else None
        return review.version if review else ""

    @property
    def state(self) -> str:
        """'current', 'stale', 'no original' or 'original unversioned'."""
        if self.original is None:
            return "no original"
        if not self.original_version:
            return "original unversioned"
        return "current" if self.original_version == self.article.source_version else "stale"

    def note(self, labels: Any = None) -> str:
        """What a page of a stale translation says: in English, or in the language of
        ``labels`` (the layouts' label table: its ``stale_translation``, the original's
        language named by its ``languages``, else by its English name)."""
        lang = self.original.lang if self.original else ""
        root = lang.split("-")[0].lower()
        if labels is None:
            name = LANGUAGE_NAMES.get(root, "")
            return (f"Translation of version {self.article.source_version}; the "
                    f"{name + ' ' if name else ''}original is now version "
                    f"{self.original_version}")
        name = getattr(labels, "languages", {}).get(root) or LANGUAGE_NAMES.get(root, lang)
        return str(labels.stale_translation).format(
            version=self.article.source_version, current=self.original_version,
            original=name)


def translations(articles: Iterable[Article], every: Iterable[Article]) -> list[Translation]:
    """The translations among ``articles``, their originals looked up in ``every``."""
    by_slug = {a.slug: a for a in every}
    return [Translation(a, by_slug.get(a.translation_of)) for a in articles if a.translation_of]


def of(original: Article, every: Iterable[Article]) -> list[Article]:
    """The translations of ``original``."""
    return sorted((a for a in every if a.translation_of == original.slug), key=lambda a: a.lang)


def check(articles: Sequence[Article], project: Project, notices: Notices) -> list[Problem]:
    """An unknown original or one without a version is an error; a stale translation, a
    warning with both versions."""
    problems: list[Problem] = []
    for t in translations(articles, articles):
        path, line = t.article.path, _line(t.article, project)
        if t.state == "no original":
            problems.append(Problem(path, line, f"'translation_of: {t.article.translation_of}'"
                                    ": no article has this slug"))
        elif t.original and t.original.translation_of:
            problems.append(Problem(path, line, f"'{t.article.translation_of}' is itself a "
                                    "translation: name the original article"))
        elif t.state == "original unversioned":
            problems.append(Problem(path, line, f"the original, {t.original.path}, has no "
                                    "review.version to compare 'source_version' with"))
        elif t.state == "stale":
            notices.warn(problems, path, line, f"stale translation: translated from version "
                         f"{t.article.source_version} of '{t.original.slug}', which is now "
                         f"version {t.original_version}: update the translation and its "
                         "source_version")
    return problems


def stale_note(article: Article, every: Iterable[Article]) -> str:
    """The note of ``article`` when it is a stale translation, else ''."""
    found = translations([article], every)
    return found[0].note() if found and found[0].state == "stale" else ""


def stale_notes(project: Project, chosen: Sequence[Article], allow_stale: bool,
                every: Sequence[Article] | None = None,
                labels: Callable[[str], Any] | None = None) -> tuple[str, ...]:
    """For a leaflet or issue: each chosen article's stale note ('' when not stale), in
    its language when given ``labels`` (the layouts' label table of a language); a stale
    translation is refused unless ``allow_stale``."""
    if not any(a.translation_of for a in chosen):
        return ("",) * len(chosen)
    if every is None:
        from ..load.content import load_articles
        every = load_articles(project)[0]
    found = {t.article.slug: t for t in translations(chosen, every)}
    notes, refused = [], []
    for article in chosen:
        t = found.get(article.slug)
        stale = t is not None and t.state == "stale"
        notes.append(t.note(labels(article.lang) if labels else None)
                     if t is not None and stale else "")
        if stale and not allow_stale:
            refused.append(Problem(article.path, _line(article, project), (
                f"'{article.title}' is a stale translation: {t.note()}. Update it, or print "
                "it marked as such with --allow-stale")))
    if refused:
        raise ContentError(refused)
    return tuple(notes)


def _line(article: Article, project: Project) -> int:
    """The line of ``source_version`` in the article's front matter."""
    from ..load.content import read_text, split_front_matter

    text = read_text(project.root / article.path, project.root)
    return split_front_matter(article.path, text).doc.line("source_version")
