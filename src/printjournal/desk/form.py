"""The leaflet desk's form in, a :class:`Choices` and the problems with it out.

The library page is one form: the search box, the articles (ticked or not), the options,
the patient's name and note. Every button that does not make the leaflet (Search, Show
all, Remove) posts the whole form back to the library, so nothing typed or ticked is lost
and the patient's details never go into an address. Links (a preview, "Back to the
library") carry the rest — the articles picked, in the order picked, and the options —
in their query (:meth:`Choices.query`), never the name or note.

:func:`problems` checks every field before any work and says what is wrong in the form's
own words, each problem tied to the field to change.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from .. import styles
from ..leaflet.personal import UnprintableError, check_printable
from ..model import Article, Project, ReviewState
from ..styles import STANDARD

PAPERS = ("A4", "A5", "Letter")
FIELD_LIMITS = {"for_name": ("The patient's name", 60), "note": ("The note", 200)}
MAX_QUERY = 200
FLAGS = ("booklet", "allow_overdue")


@dataclass(frozen=True)
class Choices:
    """What staff chose so far: articles in the order picked, options, name and note."""

    slugs: tuple[str, ...] = ()
    query: str = ""
    lang: str = ""                   # show only articles in this language ("": any)
    print_lang: str = ""             # print each article in this language, where it has it
    article_langs: tuple[tuple[str, str], ...] = ()   # (slug, language) chosen per article
    clinic: str | None = None
    paper: str | None = None
    style: str = STANDARD.name       # a leaflet style's name (styles.py)
    booklet: bool = False
    allow_overdue: bool = False
    for_name: str = ""
    note: str = ""

    def __repr__(self) -> str:      # the name and note never reach a log
        return f"Choices(slugs={self.slugs!r}, <personal details withheld>)"

    def link(self, path: str = "/", *, add: str = "", query: bool = True) -> str:
        """``path`` with the non-personal choices in its query (``add``: one more article)."""
        slugs = self.slugs + ((add,) if add and add not in self.slugs else ())
        pairs: list[tuple[str, str]] = [("slug", s) for s in slugs]
        pairs += [("picked", s) for s in slugs]
        if query and self.query:
            pairs.append(("q", self.query))
        if query and self.lang:
            pairs.append(("lang", self.lang))
        if self.print_lang:
            pairs.append(("print_lang", self.print_lang))
        pairs += [(f"lang-{slug}", lang) for slug, lang in self.article_langs if slug in slugs]
        if self.clinic:
            pairs.append(("clinic", self.clinic))
        if self.paper:
            pairs.append(("paper", self.paper))
        if self.style != STANDARD.name:
            pairs.append(("style", self.style))
        pairs += [(flag, "on") for flag in FLAGS if getattr(self, flag)]
        return path + ("?" + urlencode(pairs) if pairs else "")

    def without_personal(self) -> Choices:
        return replace(self, for_name="", note="")


@dataclass(frozen=True)
class FormProblem:
    """One thing to change, in the form's words, and the field (its id) to change it in."""

    field: str
    message: str


def read(source: Any) -> Choices:
    """The choices in a request's form or query (``source``: a werkzeug MultiDict).

    ``slug`` holds every article ticked (checkboxes on the page, hidden fields for those
    a search hides), ``picked`` the articles in the order they were picked before this
    request: the ticked ones keep that order, newly ticked ones follow in page order."""
    ticked = list(dict.fromkeys(source.getlist("slug")))
    removed = source.get("remove", "")
    picked = [s for s in dict.fromkeys(source.getlist("picked")) if s in ticked]
    slugs = tuple(s for s in picked + [s for s in ticked if s not in picked] if s != removed)
    query = "" if "show_all" in source else " ".join(source.get("q", "").split())[:MAX_QUERY]
    texts = {name: " ".join(source.get(name, "").split())    # a line break is a space
             for name in FIELD_LIMITS}
    lang = "" if "show_all" in source else source.get("lang", "")[:20]
    chosen = tuple((s, source.get(f"lang-{s}", "")[:20]) for s in slugs
                   if source.get(f"lang-{s}"))
    return Choices(slugs=slugs, query=query, lang=lang, clinic=source.get("clinic") or None,
                   print_lang=source.get("print_lang", "")[:20], article_langs=chosen,
                   paper=source.get("paper") or None,
                   style=source.get("style", "")[:40] or STANDARD.name,
                   **{flag: source.get(flag) == "on" for flag in FLAGS}, **texts)


def problems(project: Project, known: list[Article], choices: Choices, today: dt.date,
             date: Callable[[dt.date], str]) -> list[FormProblem]:
    """Everything wrong with ``choices`` for a leaflet, each said once in the form's words
    (``date``: the desk's one date style, :meth:`Labels.date`)."""
    found: list[FormProblem] = []
    by_slug = {a.slug: a for a in known}
    if not choices.slugs:
        found.append(FormProblem("articles", "Choose at least one article."))
    for slug in choices.slugs:
        article = by_slug.get(slug)
        if article is None:
            found.append(FormProblem("articles", f"There is no article '{slug[:100]}'."))
        elif ReviewState.of(article.review, today) is ReviewState.OVERDUE \
                and not choices.allow_overdue:
            review = article.review
            found.append(FormProblem(
                "allow_overdue",
                f"“{article.title}” is past its clinical review: its next review was due on "
                f"{date(review.next_review)} (owner: {review.owner}). Ask the owner to "
                "review it, or tick “Print articles past their review date” to print it "
                "marked “Review overdue”."))
    if choices.clinic is not None and choices.clinic not in {c.id for c in project.clinics}:
        found.append(FormProblem("clinic", f"There is no clinic '{choices.clinic[:100]}'."))
    if choices.style not in {s.name for s in styles.STYLES}:
        found.append(FormProblem("style", f"There is no leaflet style '{choices.style}'."))
    if choices.paper is not None and choices.paper not in PAPERS:
        found.append(FormProblem("paper", "Paper must be A4, A5 or Letter."))
    for name, (label, limit) in FIELD_LIMITS.items():
        text = getattr(choices, name)
        if len(text) > limit:
            found.append(FormProblem(name, f"{label} can have at most {limit} characters "
                                     f"(this one has {len(text)})."))
        elif any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in text):
            found.append(FormProblem(name, f"{label} has characters that cannot be printed."))
        else:
            try:
                check_printable(project.fonts_dir, label, text)
            except UnprintableError as exc:
                found.append(FormProblem(name, sentence(str(exc))))
    return found


def new_search(source: Any) -> bool:
    """Whether the form came by Enter (its default button) after new words were typed in
    the search box: then it is a search, not a leaflet (the page without script)."""
    def words(name: str) -> str:
        return " ".join(source.get(name, "").split())[:MAX_QUERY]

    return "enter" in source and words("q") != words("searched")


def in_languages(choices: Choices, known: list[Article]) -> Choices:
    """``choices`` with each article swapped for its version in the language chosen for
    it, or for the leaflet (:func:`desklibrary.chosen_slugs`)."""
    from .library import chosen_slugs

    slugs = chosen_slugs(choices.slugs, dict(choices.article_langs), choices.print_lang, known)
    return replace(choices, slugs=slugs)


def leaflet_fields(choices: Choices) -> dict[str, Any]:
    """The worker's arguments for checked ``choices``: a booklet is always A5 pages on A4
    sheets, whatever the paper list shows."""
    return {"slugs": choices.slugs, "clinic": choices.clinic,
            "paper": None if choices.booklet else choices.paper,
            "style": choices.style, "booklet": choices.booklet,
            "allow_overdue": choices.allow_overdue,
            "for_name": choices.for_name, "note": choices.note}


def from_library(message: str) -> FormProblem:
    """A problem the render found (the name and note do not fit; a content error), said
    in the form's words and tied to the field it concerns."""
    text = sentence(message)
    if "do not fit in the box" in text:
        return FormProblem("note", "The name and note do not fit in the box on the front, "
                           "even in smaller type: shorten the note (or the name).")
    return FormProblem("articles", text)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
