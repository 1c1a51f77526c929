"""An article's HTML tree in, the same tree with what must not break apart held together.

Patient information must not part a footnote call from its word ("CBT-I / ²"), a run
of calls ("¹, / ⁵"), a phone number ("116 / 123"), "NHS / 111", a title from its name
("Dr / Amara Nwosu"), a number from its unit ("10 / mg"), a range ("13– / 18") or a
date ("29 / November 2026"). Editors type ordinary spaces; this stage, run over the
Markdown's tree, does the rest:

- :func:`attach_calls` takes the space out between a word and its footnote call and
  puts U+2060 WORD JOINER before the call and after each comma in a run of calls (it
  prints nothing and adds nothing to the PDF's extracted text);
- :func:`protect_runs` sets each protected run in ``<span class="keep">`` (print.css:
  ``white-space: nowrap``), so the PDF's text keeps its plain spaces for search and copy;
  and each hyphenated compound in ``<span class="compound">``, which large print keeps
  on one line (UKAAF: "eczema-" / "prone" must not part).

What counts as a protected run is data, per language (:data:`RULES`): patterns built
from word lists (units, months, titles), with the patterns every language shares.
:func:`runs` finds them in any text (the tests use it on the PDF's text).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name)
from dataclasses import dataclass
from functools import cache

JOINER = "\u2060"
_SKIP = frozenset({"code", "pre"})
_SKIP_CLASSES = frozenset({"link-address", "link-address web", "web-address", "address",
                           "address id", "keep", "compound", "footnote-number"})
#: A word made of words and hyphens ("eczema-prone", "long-term"): large print keeps it
#: whole (UKAAF: no word split at a line end; leaflet.css ``.large-print .compound``).
#: Letters only, and short enough for any line: ids and addresses are breaks.py's.
COMPOUND = re.compile(r"(?<![\w/.@-])(?=[^\s]{3,30}(?![\w-]))[^\W\d_]+(?:[-\u2010][^\W\d_]+)+"
                      r"(?![\w/-])")


@dataclass(frozen=True)
class Rules:
    """One language's protected runs: word lists, and patterns that use them.

    A pattern may name ``{num}`` (a number: 10, 1.5, 9:30), ``{unit}``, ``{month}``,
    ``{title}`` and ``{name}`` (a capitalised word or initial); a space in a pattern
    matches one space or no-break space in the text.
    """

    units: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


#: Patterns for every language, tried first: phone numbers (digit groups: "0800 123 4567",
#: "116 123", "+44 20 7946 0000"), then ranges, readings ("135/85 mmHg") and numbers with
#: their units.
COMMON = Rules(
    units=("mg", "mcg", "µg", "g", "kg", "ml", "mL", "l", "L", "mmHg", "mmol/L", "mmol/l",
           "mm", "cm", "m", "km", "kcal", "kJ", "IU", "%", "°C", "°F"),
    patterns=(r"(?:\+\d{1,3} )?(?:\(0\) ?)?\d{2,5}(?: \d{2,5}){1,3}(?![\d,.]\d)",
              r"{num} ?(?:{unit})? ?[–-] ?{num}(?: ?(?:{unit}))?",
              r"{num}/{num} (?:{unit})",
              r"{num} (?:{unit})"))

#: Each language's own runs (its language tag's first part). Add a language here.
RULES: dict[str, Rules] = {
    "en": Rules(
        units=("am", "pm", "a.m.", "p.m.", "minutes", "minute", "mins", "min", "hours",
               "hour", "hrs", "days", "day", "weeks", "week", "months", "month", "years",
               "year", "times", "units", "unit", "portions", "portion", "steps", "litres",
               "litre", "grams", "milligrams", "kilograms", "percent", "per cent"),
        months=("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr",
                "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"),
        titles=("Dr", "Dr.", "Prof", "Prof.", "Professor", "Mr", "Mrs", "Ms", "Mx", "Sir",
                "Dame", "Sister", "Nurse"),
        patterns=(r"NHS {num}", r"{num}(?:st|nd|rd|th)? {month}(?: {num})?",
                  r"{month} {num}(?:, {num})?", r"{title} {name}(?: {name})?")),
    "de": Rules(
        units=("Uhr", "Minuten", "Minute", "Min.", "Stunden", "Stunde", "Std.", "Tage",
               "Tagen", "Tag", "Wochen", "Woche", "Monate", "Monaten", "Monat", "Jahre",
               "Jahren", "Jahr", "Prozent", "Mal", "Liter", "Gramm", "Einheiten"),
        months=("Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli",
                "August", "September", "Oktober", "November", "Dezember", "Jan.", "Feb.",
                "Aug.", "Sept.", "Okt.", "Nov.", "Dez."),
        titles=("Dr.", "Prof.", "Prof. Dr.", "Dr. med.", "Frau", "Herr", "Schwester"),
        patterns=(r"{num}\. ?{month}(?: {num})?", r"{month} {num}",
                  r"{title} {name}(?: {name}){0,2}", r"(?:§|Nr\.|S\.) {num}")),
}

_NUM = r"(?<![\w.,])\d+(?:[.,:]\d+)*"
_NAME = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w’'-]*\.?"


def _words(words: tuple[str, ...]) -> str:
    """A word list as one alternative, longest first, each a whole word."""
    return "(?:" + "|".join(re.escape(w) + (r"(?!\w)" if w[-1].isalnum() else "")
                            for w in sorted(words, key=len, reverse=True)) + ")"


@cache
def pattern(lang: str) -> re.Pattern[str]:
    """The protected runs of ``lang`` as one regular expression."""
    own = RULES.get(lang.split("-")[0].lower(), Rules())
    pieces = {"num": _NUM, "unit": _words(COMMON.units + own.units),
              "month": _words(own.months) if own.months else "(?!)",
              "title": _words(own.titles) if own.titles else "(?!)",
              "name": _NAME}
    pieces = {k: v.replace(" ", "[ \u00a0]") for k, v in pieces.items()}
    alternatives = [re.sub(r"\{(\w+)\}", lambda m: pieces[m[1]], p.replace(" ", "[ \u00a0]"))
                    for p in (*own.patterns, *COMMON.patterns)]
    # a run stands on its own: never a piece of an id, an address or a longer number
    return re.compile(r"(?<![\w/-])(?:" + "|".join(f"(?:{a})" for a in alternatives)
                      + r")(?![\w/-]|[.,]\w)")


def runs(text: str, lang: str) -> list[str]:
    """The protected runs in ``text`` that a line could otherwise break inside."""
    return [m[0] for m in pattern(lang).finditer(text) if re.search(r"[\s–-]", m[0])]


def attach_calls(root: etree.Element) -> None:
    """Join every footnote call (``span.citation``) to the word before it and keep a
    run of calls on one line."""
    for parent in root.iter():
        previous: etree.Element | None = None
        for child in parent:
            if child.get("class") == "citation":
                if previous is None:
                    parent.text = (parent.text or "").rstrip(" ")
                elif previous.tail:
                    previous.tail = previous.tail.rstrip(" ")
                for sup in child.iter("sup"):
                    sup.text = JOINER + (sup.text or "")
                    for link in sup:
                        if link.tail and link.tail.startswith(","):
                            link.tail = "," + JOINER + link.tail[1:]
            previous = child


def protect_runs(root: etree.Element, lang: str, compounds: bool = False) -> None:
    """Set each protected run of text under ``root`` in ``<span class="keep">``, then
    (``compounds``: large print) each hyphenated compound in ``<span class="compound">``;
    in a link's text, where a span would be tagged as the link's owner, put WORD JOINER
    after each space or dash of the run instead. (Compounds only where asked: WeasyPrint
    70 leaves a justified line with such a span short of the margin.)"""
    _wrap(root, pattern(lang), "keep")
    if compounds:
        _wrap(root, COMPOUND, "compound")


def _wrap(root: etree.Element, expression: re.Pattern[str], kind: str) -> None:
    in_links = {inner for link in root.iter("a") for inner in link.iter()}
    for element in list(root.iter()):
        if element.tag in _SKIP or element.get("class") in _SKIP_CLASSES:
            continue
        if element in in_links:
            element.text = _joined(element.text, expression)
            for child in element:
                child.tail = _joined(child.tail, expression)
            continue
        children = list(element)    # the spans put in below are not read again
        if element.text:
            element.text, spans = _split(element.text, expression, kind)
            for offset, span in enumerate(spans):
                element.insert(offset, span)
        for child in children:
            if child.tail:
                child.tail, spans = _split(child.tail, expression, kind)
                at = list(element).index(child) + 1
                for offset, span in enumerate(spans):
                    element.insert(at + offset, span)


def _joined(text: str | None, expression: re.Pattern[str]) -> str | None:
    """``text`` with WORD JOINER after each space or dash inside its protected runs."""
    if not text:
        return text
    return expression.sub(lambda m: re.sub(r"([\s–-])", "\\1" + JOINER, m[0]), text)


def _split(text: str, expression: re.Pattern[str],
           kind: str) -> tuple[str, list[etree.Element]]:
    """``text`` up to its first protected run, and a span for each run (the text after
    a run is its span's tail)."""
    lead, spans, position = text, [], 0
    for match in expression.finditer(text):
        if not re.search(r"[\s–-]", match[0]):
            continue   # nothing inside it a line could break at
        span = etree.Element("span", {"class": kind})
        span.text, span.tail = match[0], ""
        if spans:
            spans[-1].tail = text[position:match.start()]
        else:
            lead = text[:match.start()]
        spans.append(span)
        position = match.end()
    if spans:
        spans[-1].tail = text[position:]
    return lead, spans
