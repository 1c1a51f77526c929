"""Footnote calls in, calls a screen reader can speak out.

A footnote call prints as a bare superscript number; read aloud, "5" says nothing. The
Markdown stage gives each call link a spoken description (:func:`call_description`,
its ``title``: "source 5: NHS — Insomnia", in the article's language), and
:func:`describe_links`, run by the PDF finisher (pdf/finishers.py), puts each link's
``title`` into its link annotation's ``/Contents``, which PDF/UA readers speak
(WeasyPrint writes the bare target there: "source-5").
"""

from __future__ import annotations

from typing import Any

import pydyf

#: The word a call's description starts with, per language (its tag's first part).
SOURCE_WORD = {"en": "source", "de": "Quelle", "pl": "źródło", "ar": "المصدر",
               "fr": "source", "es": "fuente", "it": "fonte", "nl": "bron"}


def call_description(lang: str, number: int, text: str) -> str:
    """What a screen reader says for the call of source ``number``."""
    word = SOURCE_WORD.get(lang.split("-")[0].lower(), "source")
    return f"{word} {number}: {' '.join(text.split())}"


def describe_links(document: Any, pdf: pydyf.PDF) -> None:
    """Finisher step: each link whose element has a ``title`` gets it as ``/Contents``."""
    for page in document.pages:
        for _, _, _, box in page.links:      # (type, target, rectangle, box)
            annotation = getattr(box, "link_annotation", None)
            title = box.element.get("title") if box.element is not None else None
            if annotation is not None and title:
                annotation["Contents"] = pydyf.String(title)
