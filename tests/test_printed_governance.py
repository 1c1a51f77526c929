"""What governance puts on paper, in the article's language: the feedback line that
[governance] can require (article PDF and leaflet), and a stale translation's note on a
leaflet printed with --allow-stale (the Arabic and Polish sample translations)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from printjournal import pipeline as build
from printjournal.leaflet import build as leaflet

from .conftest import REPO, TmpProject
from .invariants import missing_words
from .pdfread import MM, pages
from .test_translations import ORIGINAL

TODAY = dt.date(2026, 11, 29)
FEEDBACK = {
    "en": "Tell us what you think: call 0117 496 0000 or write to feedback@cureon.example",
    "pl": "Powiedz nam, co sądzisz: zadzwoń pod 0117 496 0000 albo napisz na "
          "feedback@cureon.example",
    "ar": "شاركنا رأيك: اتصل على 0117 496 0000 أو اكتب إلى feedback@cureon.example",
}
#: the note each language's label table gives (layouts/labels.toml, stale_translation)
NOTES = {"pl": "Tłumaczenie wersji 1.0; oryginał (angielski) ma teraz wersję 1.1",
         "ar": "ترجمة للإصدار 1.0؛ الأصل (الإنجليزية) هو الآن الإصدار 1.1"}


@dataclass(frozen=True)
class Printed:
    article: Path             # an English article PDF with a feedback line
    leaflets: dict[str, bytes]   # by language: the sample translation, stale, as a leaflet


def _with_feedback(text: str, lang: str) -> str:
    head, rest = text[4:].split("\n---\n", 1)
    return f'---\n{head}\nfeedback: "{FEEDBACK[lang]}"\n---\n{rest}'


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Printed:
    project = TmpProject(tmp_path_factory.mktemp("printed") / "project")
    with (project.root / "printjournal.toml").open("a") as toml:
        toml.write('\n[[clinics]]\nid = "c"\nname = "Clinic"\naddress = "1 Road"\n'
                   'phone = "0100 000000"\ndefault = true\n')
    samples = REPO / "content" / "articles"
    # the original moves on to version 1.1: both translations (of 1.0) are stale
    project.article("walking-for-health", (samples / "walking-for-health.md").read_text(
        encoding="utf-8").replace('version: "1.0"', 'version: "1.1"', 1))
    for lang in ("pl", "ar"):
        # the sample translation up to its second section: a two-page leaflet
        slug = f"walking-for-health-{lang}"
        text = (samples / f"{slug}.md").read_text(encoding="utf-8")
        project.article(slug, _with_feedback(text[:text.index("\n## ", text.index(
            "\n## ") + 1)], lang))
    project.article("hands", _with_feedback(ORIGINAL.format(version="1.0"), "en"))
    pipeline = build.Pipeline.load(project.project())
    article = build.build_article(pipeline, project.root / "content/articles/hands.md",
                                  project.root / "hands.pdf").path
    leaflets = {lang: leaflet.leaflet(pipeline, leaflet.LeafletRequest(
        (f"walking-for-health-{lang}",), allow_overdue=True, allow_stale=True), TODAY).data
        for lang in ("pl", "ar")}
    return Printed(article, leaflets)


def _words(text: str) -> list[str]:
    return text.replace(";", " ").replace("؛", " ").replace("(", " ").replace(")", " ").split()


def test_the_feedback_line_ends_the_article_under_its_heading(printed):
    last = " ".join(pages(printed.article)[-1].body.split())
    assert (f"Sources 1. WHO hand hygiene https://www.who.int/ Your feedback "
            f"{FEEDBACK['en']}") in last, last


@pytest.mark.parametrize(("lang", "heading"), [("pl", "Twoja opinia"), ("ar", "ملاحظاتك")])
def test_the_feedback_line_is_on_the_leaflet_in_its_language(printed, lang, heading, tmp_path):
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(printed.leaflets[lang])
    assert missing_words(pdf, _words(f"{heading} {FEEDBACK[lang]}")) == []
    assert missing_words(pdf, ["Your"]) == ["Your"]      # not the English heading


@pytest.mark.parametrize("lang", ["pl", "ar"])
def test_the_stale_note_speaks_the_translations_language(printed, lang, tmp_path):
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(printed.leaflets[lang])
    assert missing_words(pdf, _words(NOTES[lang])) == []
    with pdfplumber.open(io.BytesIO(printed.leaflets[lang])) as read:
        # the flag's corner of every page (top right; top left when right to left)
        corners = [page.crop((0, 0, page.width, 26 * MM)).extract_text() or ""
                   for page in read.pages]
        whole = " ".join(page.extract_text() or "" for page in read.pages)
    assert "Translation of version" not in whole and "original is now" not in whole
    assert all("1.1" in corner for corner in corners), corners
