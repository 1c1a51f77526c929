"""Articles and the project's plain-language limits in, warnings at the lines to change out.

For one product (``article`` or ``leaflet``: their limits in printjournal.toml
``[plain_language.*]``), each article is judged on

- its reading grade (readability.py), warned at the first line of its hardest paragraph;
- its long sentences: when more than ``long_sentence_percent`` of its sentences have
  more than ``sentence_words`` words, each of them is warned at its line;
- its jargon: each term of ``content/plain-words.toml`` found in the prose, warned at
  its line with the plainer words to use.

These are warnings (:class:`~printjournal.errors.Notices`): ``--strict`` makes them errors.
Grades measured before come from the project's grade store (gradestore.py).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Notices, Problem, relative
from ..model import Article, Project
from . import readability
from .gradestore import GradeStore

WORDS_FILE = "plain-words.toml"


@dataclass(frozen=True)
class Term:
    """A word to avoid, in one language ('' for all), and what to say instead."""

    lang: str
    term: str
    instead: str

    def pattern(self) -> re.Pattern[str]:
        words = r"\s+".join(re.escape(w) for w in self.term.split())
        return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def load_terms(project: Project) -> tuple[tuple[Term, ...], list[Problem]]:
    """The project's jargon list (none without the file), and every problem in it."""
    path = project.content_dir / WORDS_FILE
    shown = relative(path, project.root)
    if not path.is_file():
        return (), []
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        return (), [Problem(shown, 1, "not UTF-8 text: save the file as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return (), [Problem(shown, int(match[1]) if match else 1,
                            f"not a valid list of words ({exc}): write term = \"plainer words\"")]
    lines = text.splitlines()
    terms, problems = [], []
    for key, value in data.items():
        table, lang = (value, key) if isinstance(value, dict) else ({key: value}, "")
        for term, instead in table.items():
            if not isinstance(instead, str) or not instead.strip() or not term.strip():
                line = next((n for n, t in enumerate(lines, 1)
                             if re.match(rf"^\s*[\"']?{re.escape(term)}[\"']?\s*=", t)), 1)
                problems.append(Problem(shown, line, f"'{term}' needs its plainer words in "
                                        f"quotes: {term} = \"...\""))
                continue
            terms.append(Term(lang.lower(), term.strip(), instead.strip()))
    return tuple(terms), problems


def check(articles: Sequence[Article], project: Project, product: str,
          notices: Notices | None, terms: Sequence[Term] | None = None) -> list[Problem]:
    """Warn about every article's plain language, judged as ``product``; the problems
    are those of the jargon list, and the warnings themselves under ``--strict``."""
    if notices is None:
        return []
    problems: list[Problem] = []
    if terms is None:
        terms, problems = load_terms(project)
    limits = project.editorial.limits(product)
    store = GradeStore.for_project(project)
    for article in articles:
        reading = readability.measure(article, store)
        path = article.path
        if reading.grade is not None and reading.grade > limits.max_grade:
            where = readability.hardest(reading)
            line = where.starts[0][1] if where else article.body_line
            notices.warn(problems, path, line, f"reading grade {reading.grade:.1f} "
                         f"({reading.formula}) is above {limits.max_grade:g}, the limit for "
                         f"{product}s: shorter sentences and plainer words, starting with "
                         "this paragraph")
        long = reading.long_sentences(limits.sentence_words)
        share = 100 * len(long) / max(1, len(reading.sentences))
        if share > limits.long_sentence_percent:
            # a leaflet is made at the desk, by staff who cannot rewrite it: one warning
            # per article says how many (the first at its line); check lists each for editors
            summary = product == "leaflet" and len(long) > 1
            for sentence in long[:1] if summary else long:
                what = (f"{len(long)} sentences over {limits.sentence_words} words, the first "
                        f"of {sentence.words} ('{_start(sentence.text)}')" if summary else
                        f"a sentence of {sentence.words} words ('{_start(sentence.text)}')")
                notices.warn(problems, path, sentence.line, (
                    f"{what}: {share:.0f}% of this article's sentences are over "
                    f"{limits.sentence_words} words, at most "
                    f"{limits.long_sentence_percent:g}% for {product}s: split "
                    f"{'them' if summary else 'it'}"))
        _jargon(article, reading, terms, notices, problems, summary=product == "leaflet")
    return problems


def _jargon(article: Article, reading: readability.Reading, terms: Sequence[Term],
            notices: Notices, problems: list[Problem], summary: bool = False) -> None:
    """A warning at each jargon word; with ``summary`` (a leaflet) one for the article,
    at the first, naming every word once."""
    lang = article.lang.lower()
    mine = [t for t in terms if not t.lang or lang == t.lang or lang.startswith(t.lang + "-")]
    found = sorted((paragraph.line_at(match.start()), match[0], term.instead)
                   for term in mine for paragraph in reading.paragraphs
                   for match in term.pattern().finditer(paragraph.text))
    if summary and len(found) > 1:
        words = dict.fromkeys(f"'{word}' (say '{instead}')" for _, word, instead in found)
        notices.warn(problems, article.path, found[0][0], f"jargon: {', '.join(words)} "
                     f"(content/{WORDS_FILE})")
        return
    for line, word, instead in found:
        notices.warn(problems, article.path, line,
                     f"'{word}' is jargon: say '{instead}' (content/{WORDS_FILE})")


def _start(text: str) -> str:
    words = text.split()
    return " ".join(words[:6]) + (" ..." if len(words) > 6 else "")


def words_file(project: Project) -> Path:
    return project.content_dir / WORDS_FILE
