"""An article's body in, its prose as sentences with their lines and a reading grade out.

What a patient reads is the prose: headings, callout titles, tables, code, images,
citations and web addresses are left out; link text stays. Each paragraph (or list
item) is split into sentences, each knowing the line of the file where it starts.

Sentences are found by sentencex (Wikimedia's rule-based segmenter, with abbreviation
lists for some 300 languages, no data to download), corrected by two rules it lacks: a
full stop followed by a lower-case word or a number ends no sentence (Unicode's
sentence rule SB8: "e.g. apples", "approx. 3 weeks", Polish "m.in. spacer"), nor does
one after a title that comes before a name (:data:`TITLES`: Polish "dr.", Arabic "د.").
The formulas get the same sentences, with the full stops inside them left out (textstat
would end a sentence at every one: at "e.g.", "Dr." and "2.5").

The grade comes from textstat, with the formula that serves the article's language:

======================  =========================================================
language                formula → school grade
======================  =========================================================
English                 Flesch–Kincaid grade (a US school grade)
German                  Wiener Sachtextformel 1 (an Austrian/German school grade)
Spanish, French,        Flesch reading ease with the language's own constants
Italian, Dutch,         (Fernández Huerta, Kandel–Moles, Flesch–Vacca, Douma,
Russian                 Oborneva), turned into a grade by Flesch's own table
Arabic                  Osman's index: the score is shown, no grade (none is published)
any other               not measured: long sentences and plain words are still checked
======================  =========================================================

Syllables are counted with Pyphen's hyphenation dictionaries for every language,
English included (textstat would download the CMU dictionary for English; printjournal
works offline). Below :data:`MIN_WORDS` words no grade is given: the formulas are
averages and say nothing reliable about a few sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ..load import content
from ..model import Article
from .gradestore import Graded, GradeStore

MIN_WORDS = 100
#: Flesch (1949): reading ease at least this → this US school grade.
FLESCH_GRADES = ((90, 5.0), (80, 6.0), (70, 7.0), (60, 8.5), (50, 11.0), (30, 14.5))
FLESCH_VARIANTS = {"es": "Fernández Huerta", "fr": "Kandel–Moles", "it": "Flesch–Vacca",
                   "nl": "Douma", "ru": "Oborneva"}
#: Scripts written without spaces between words: sentence lengths are not counted.
UNSPACED = {"zh", "ja", "th", "lo", "km", "my"}

_SKIP = re.compile(r"^\s*(\||!!!|\?\?\?|<|-{3,}\s*$|\*{3,}\s*$|={3,}\s*$|!\[)")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)]|:)\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),                 # images
    (re.compile(r"\[@[^\]]*\]"), ""),                          # citations
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),             # links: their text
    (re.compile(r"<https?://[^>]*>|https?://\S+"), ""),        # bare addresses
    (re.compile(r"(\*{1,3}|_{2,3})(?=\S)|(?<=\S)(\*{1,3}|_{2,3})"), ""),   # emphasis marks
)
#: Titles written before a name, with a full stop, that sentencex takes for an end.
TITLES = {"pl": frozenset({"dr", "lek", "mgr", "inż", "doc", "hab", "prof", "św"}),
          "ar": frozenset({"د", "أ", "أ.د"})}
_OPENING = "\"“‘„«([¿¡"
_INNER_STOP = re.compile(r"[.!?…؟۔](?=.*[^\s.!?…؟۔\"”’»)\]])")
_LAST_WORD = re.compile(r"(\S+)\.\s*$")
#: A word: "e.g.", "U.S.", "2.5" and "2,5" are one each.
WORD = re.compile(r"\w+(?:(?:[-'’.٫]|(?<=\d),(?=\d))\w+)*")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the prose, where it starts in the file, and its length in words."""

    line: int
    text: str
    words: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's prose joined into one text, with the file line of each piece."""

    text: str
    starts: tuple[tuple[int, int], ...]     # (offset in text, line of the file)

    def line_at(self, offset: int) -> int:
        return next(line for start, line in reversed(self.starts) if start <= offset)

    def sentences(self, lang: str = "en") -> tuple[Sentence, ...]:
        found, start = [], 0
        for end in [*ends(self.text, lang), len(self.text)]:
            text = self.text[start:end].strip()
            if text:
                offset = start + len(self.text[start:end]) - len(self.text[start:end].lstrip())
                found.append(Sentence(self.line_at(offset), text, len(WORD.findall(text))))
            start = end
        return tuple(found)


@dataclass(frozen=True)
class Reading:
    """How hard an article's prose is to read."""

    lang: str
    formula: str               # the formula used, "" when the language is not measured
    score: float | None        # the formula's own score
    grade: float | None        # a school grade, when the formula gives or maps to one
    paragraphs: tuple[Paragraph, ...]
    hardest: int | None = None  # index of the hardest paragraph, when graded

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences(self.lang))

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)

    def long_sentences(self, limit: int) -> tuple[Sentence, ...]:
        """The sentences of more than ``limit`` words (none in unspaced scripts)."""
        if self.lang.split("-")[0].lower() in UNSPACED:
            return ()
        return tuple(s for s in self.sentences if s.words > limit)


def ends(text: str, lang: str) -> list[int]:
    """The offsets in ``text`` where a sentence ends and the next begins (see the module
    docstring for the rules)."""
    import sentencex  # only when sentences are counted

    root = lang.split("-")[0].lower()
    titles = TITLES.get(root, frozenset())
    found = []
    for part in sentencex.get_sentence_boundaries(root, text)[:-1]:
        end, piece = part["end_index"], part["text"]
        follows = text[end:].lstrip(_OPENING)[:1]
        last = _LAST_WORD.search(piece)
        if last and (follows.isdigit() or follows.islower()
                     or last[1].lstrip(_OPENING).lower() in titles):
            continue
        found.append(end)
    return found


def paragraphs(article: Article) -> tuple[Paragraph, ...]:
    """The article's prose, paragraph by paragraph (a list item is a paragraph)."""
    found: list[Paragraph] = []
    text, starts = "", []

    def close() -> None:
        nonlocal text, starts
        if text.strip():
            found.append(Paragraph(text, tuple(starts)))
        text, starts = "", []

    for number, line in content.body_lines(article):
        if not line.strip() or _SKIP.match(line) or _HEADING.match(line):
            close()
            continue
        line = _QUOTE.sub("", line)
        if _ITEM.match(line):
            close()
            line = _ITEM.sub("", line)
        for pattern, replacement in _INLINE:
            line = pattern.sub(replacement, line)
        if line.strip():
            starts.append((len(text), number))
            text += line.strip() + " "
    close()
    return tuple(found)


def measure(article: Article, store: GradeStore | None = None) -> Reading:
    """The article's reading grade in its language, and its sentences; the grade from
    ``store`` when this prose was measured before (textstat is not even imported)."""
    paras = paragraphs(article)
    lang = article.lang
    root = lang.split("-")[0].lower()
    words = sum(len(WORD.findall(p.text)) for p in paras)
    formula, graded = _formula(root), Graded(None, None, None)
    if formula and words >= MIN_WORDS:
        texts = [_for_formula(p, lang) for p in paras]
        key = store.key(lang, texts) if store else ""
        found = store.get(key) if store else None
        if found is None:
            found = _graded(texts, paras, lang)
            if store:
                store.put(key, found)
        graded = found
    return Reading(lang, formula, graded.score, graded.grade, paras, graded.hardest)


def _graded(texts: Sequence[str], paras: Sequence[Paragraph], lang: str) -> Graded:
    """The formula's score and grade of the whole prose, and the hardest paragraph: that
    of at least 20 words with the highest grade (the first of equals)."""
    score, grade = grade_of(" ".join(texts), lang)
    if grade is None:
        return Graded(score, grade, None)
    hard = [(grade_of(text, lang)[1] or 0.0, -i) for i, (text, p) in
            enumerate(zip(texts, paras, strict=True)) if len(WORD.findall(p.text)) >= 20]
    return Graded(score, grade, -max(hard)[1] if hard else None)


def _formula(root: str) -> str:
    if root == "en":
        return "Flesch–Kincaid grade"
    if root == "de":
        return "Wiener Sachtextformel"
    if root in FLESCH_VARIANTS:
        return f"Flesch reading ease ({FLESCH_VARIANTS[root]})"
    return "Osman" if root == "ar" else ""


def _for_formula(paragraph: Paragraph, lang: str) -> str:
    """The paragraph as the formulas must read it: a full stop at each sentence's end
    and nowhere else (textstat ends a sentence at each)."""
    return " ".join(_terminated(_INNER_STOP.sub("", s.text))
                    for s in paragraph.sentences(lang))


def _terminated(text: str) -> str:
    """A list item without a full stop is still a sentence to the formulas."""
    text = text.strip()
    return text if text[-1:] in ".!?…؟۔" else text + "."


def grade_of(text: str, lang: str) -> tuple[float | None, float | None]:
    """(score, school grade) of ``text`` in ``lang`` (a tag like en-GB); Nones when the
    language has no formula here."""
    from textstat.textstat import textstatistics  # heavy: only when measuring

    root = lang.split("-")[0].lower()
    stats = textstatistics()
    if root == "en":
        # 'en-GB' (not 'en'): syllables by Pyphen, not the CMU dictionary that
        # textstat would download for 'en' (see the module docstring)
        stats.set_lang(f"en-{lang.split('-')[1] if '-' in lang else 'GB'}")
        grade = stats.flesch_kincaid_grade(text)
        return grade, grade
    if root == "de":
        stats.set_lang("de")
        grade = stats.wiener_sachtextformel(text, 1)
        return grade, grade
    if root in FLESCH_VARIANTS:
        stats.set_lang(root)
        ease = stats.flesch_reading_ease(text)
        return ease, next((g for floor, g in FLESCH_GRADES if ease >= floor), 17.0)
    if root == "ar":
        return stats.osman(text), None
    return None, None


def hardest(reading: Reading) -> Paragraph | None:
    """The paragraph of at least 20 words with the highest grade: where to start."""
    return None if reading.hardest is None else reading.paragraphs[reading.hardest]
