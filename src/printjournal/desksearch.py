"""A search box's words and an article in; whether the article matches out.

The desk's search reads an article's title, section, tags and standfirst, word by word
after Snowball stemming (``snowballstemmer``: "sleeping" finds "sleep", "vaccines" finds
"vaccine"), in the article's own language and in English (staff type English). Every
word typed must begin a word of the article, so a half-typed word matches too.
"""

from __future__ import annotations

import re

from .model import Article

WORD = re.compile(r"\w+")
LANGUAGES = {"en": "english", "de": "german", "fr": "french", "es": "spanish",
             "it": "italian", "pt": "portuguese", "nl": "dutch", "pl": "polish",
             "ar": "arabic", "tr": "turkish", "ru": "russian", "el": "greek",
             "hi": "hindi"}


def _stemmer(language: str) -> object:     # made per search: a stemmer is not thread-safe
    import snowballstemmer

    name = LANGUAGES.get(language, "english")
    return snowballstemmer.stemmer(name if name in snowballstemmer.algorithms() else "english")


def stems(text: str, language: str) -> set[str]:
    """The stems of ``text``'s words in ``language`` (a BCP 47 tag) and in English."""
    words = [w.casefold() for w in WORD.findall(text)]
    found = set(words)
    for code in {language.split("-")[0].lower(), "en"}:
        found.update(_stemmer(code).stemWords(words))
    return found


def matches(article: Article, query: str) -> bool:
    """Whether every word of ``query`` begins a word (or its stem) of ``article``."""
    if not query.strip():
        return True
    lang = article.lang
    haystack = stems(" ".join((article.title, article.section, *article.tags, article.dek)),
                     lang)
    return all(any(word.startswith(q) for word in haystack)
               for q in _query_stems(query, lang))


def _query_stems(query: str, lang: str) -> list[str]:
    """Each typed word as its shortest stem (the word itself if stemming adds nothing)."""
    out = []
    for word in WORD.findall(query.casefold()):
        forms = stems(word, lang) | {word}
        out.append(min(forms, key=len))
    return out
