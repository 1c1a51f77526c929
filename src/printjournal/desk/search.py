"""A search box's words, an article and the project's search words in; whether the
article matches out.

The desk's search reads an article's title, section, tags and standfirst, word by word
after Snowball stemming (``snowballstemmer``: "sleeping" finds "sleep", "vaccines" finds
"vaccine"), in the article's own language and in English (staff type English). Every
word typed must begin a word of the article, so a half-typed word matches too.

Stemming cannot know that patients say "tummy" for abdominal pain: the project's
``content/search-words.toml`` (:func:`load_words`) lists the words staff type and the
words each also finds (``tummy = ["abdominal", "stomach", "digestion"]``); a typed word
matches an article that has the word itself or any one of them (a phrase: all its words).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from ..errors import ConfigError, Problem, relative
from ..model import Article, Project

WORDS_FILE = "search-words.toml"
WORD = re.compile(r"\w+")
LANGUAGES = {"en": "english", "de": "german", "fr": "french", "es": "spanish",
             "it": "italian", "pt": "portuguese", "nl": "dutch", "pl": "polish",
             "ar": "arabic", "tr": "turkish", "ru": "russian", "el": "greek",
             "hi": "hindi"}


@dataclass(frozen=True)
class SearchWords:
    """Words staff type → the words (or phrases) each also finds, keyed by English stem."""

    also: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def alternatives(self, word: str) -> tuple[str, ...]:
        return self.also.get(_english_stem(word), ())


def load_words(project: Project) -> tuple[SearchWords, list[Problem]]:
    """The project's search words (none without the file), and every problem in it."""
    path = project.content_dir / WORDS_FILE
    shown = relative(path, project.root)
    if not path.is_file():
        return SearchWords(), []
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        return SearchWords(), [Problem(shown, 1, "not UTF-8 text: save the file as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return SearchWords(), [Problem(shown, int(match[1]) if match else 1,
                                       "this line is not of the form "
                                       'word = ["other word", "another"]')]
    lines = text.splitlines()
    also: dict[str, tuple[str, ...]] = {}
    problems = []
    for word, finds in data.items():
        if not isinstance(finds, list) or not finds or len(WORD.findall(word)) != 1 \
                or not all(isinstance(f, str) and WORD.search(f) for f in finds):
            line = next((n for n, t in enumerate(lines, 1)
                         if re.match(rf"^\s*[\"']?{re.escape(word)}[\"']?\s*=", t)), 1)
            problems.append(Problem(shown, line, f"'{word}': write one word, then the words "
                                    'it also finds in a list: word = ["other word", "another"]'))
            continue
        key = _english_stem(word)
        also[key] = also.get(key, ()) + tuple(" ".join(f.split()) for f in finds)
    return SearchWords(also), problems


def _stemmer(language: str) -> object:     # made per search: a stemmer is not thread-safe
    import snowballstemmer

    name = LANGUAGES.get(language, "english")
    return snowballstemmer.stemmer(name if name in snowballstemmer.algorithms() else "english")


def _english_stem(word: str) -> str:
    return _stemmer("en").stemWord(" ".join(WORD.findall(word.casefold())))


def stems(text: str, language: str) -> set[str]:
    """The stems of ``text``'s words in ``language`` (a BCP 47 tag) and in English."""
    words = [w.casefold() for w in WORD.findall(text)]
    found = set(words)
    for code in {language.split("-")[0].lower(), "en"}:
        found.update(_stemmer(code).stemWords(words))
    return found


def matches(article: Article, query: str, words: SearchWords | None = None) -> bool:
    """Whether every word of ``query`` begins a word (or its stem) of ``article``, or
    finds it through ``words``: one of the words it also finds is all in the article."""
    if not query.strip():
        return True
    lang = article.lang
    haystack = stems(" ".join((article.title, article.section, *article.tags, article.dek)),
                     lang)

    def found(typed: str) -> bool:
        return any(word.startswith(q) for q in _query_stems(typed, lang) for word in haystack)

    also = words or SearchWords()
    return all(found(typed) or any(all(found(part) for part in WORD.findall(phrase))
                                   for phrase in also.alternatives(typed))
               for typed in WORD.findall(query.casefold()))


def _query_stems(query: str, lang: str) -> list[str]:
    """Each typed word as its shortest stem (the word itself if stemming adds nothing)."""
    out = []
    for word in WORD.findall(query.casefold()):
        forms = stems(word, lang) | {word}
        out.append(min(forms, key=len))
    return out


def load(project: Project) -> SearchWords:
    """The project's search words, or :class:`ConfigError` naming every problem in them."""
    words, problems = load_words(project)
    if problems:
        raise ConfigError(problems)
    return words
