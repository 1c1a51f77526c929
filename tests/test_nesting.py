"""Nesting editors write that Python-Markdown alone prints wrong (structure.py): a list
nested by 2 spaces inside a quote (printed flat before), and fenced code inside a list
item (its fences printed, a ``## line`` in it made a heading). ``check`` and the render
read the same lines: both corpus cases check clean and print as written."""

from __future__ import annotations

import shutil

import pdfplumber
import pytest

from printjournal import pipeline as build
from printjournal.checks.check import check as check_project
from printjournal.errors import Notices
from printjournal.load import content
from printjournal.markup import body as markup

from .conftest import REPO

CORPUS = REPO / "tests" / "corpus"
QUOTE, FENCES = "quote-with-two-space-nested-list", "fenced-code-in-list-item"


@pytest.fixture
def nested(tmp_project):
    for case in (QUOTE, FENCES):
        shutil.copy(CORPUS / f"{case}.md", tmp_project.root / "content/articles")
    return tmp_project


def html_of(project, case: str) -> str:
    article = content.load_article(project.articles_dir / f"{case}.md", project)
    return markup.to_html(article, project).html


def test_check_finds_nothing_in_code_or_quotes(nested):
    notices = Notices()
    assert check_project(nested.project(), None, notices) == []
    assert notices.found == ()        # the link and citation in fenced code are code


def test_a_two_space_list_in_a_quote_nests(nested):
    html = html_of(nested.project(), QUOTE)
    assert "<li>your medicines, in their boxes<ul>\n<li>the ones from the chemist</li>" in html
    assert "<li>the letter with your admission time<ol>\n<li>keep it at the top" in html


def test_fenced_code_in_a_list_item_is_that_item_s_code(nested):
    html = html_of(nested.project(), FENCES)
    assert ("<pre><code>## log 14 May\n07:30  6.1 mmol/L  [before food](/journal/not-a-link) "
            "[@no-such-source]"
            "\n- 12:15  8.4 mmol/L\n</code></pre>\n</li>") in html
    assert "<pre><code>To: diabetes nurse\nReadings: copied as above\n</code></pre>" in html
    assert "<pre><code>!!! LO\n</code></pre>" in html
    assert "<h2" not in html and "```" not in html and "~~~" not in html
    assert html.count("<ol>") == 1 and html.count("<li>") == 4   # the list goes on


def test_on_paper(nested, tmp_path):
    """What a reader sees: the sub-items set further in than their item, the code in the
    code face at its item's indent, not as a heading."""
    project = nested.project()
    pipeline = build.Pipeline.load(project)
    out = tmp_path / "quote.pdf"
    build.build_article(pipeline, project.articles_dir / f"{QUOTE}.md", out)
    with pdfplumber.open(out) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size", "fontname"])
    def x(*phrase: str) -> float:
        texts = [w["text"] for w in words]
        [start] = [i for i in range(len(texts)) if tuple(texts[i:i + len(phrase)]) == phrase]
        return words[start]["x0"]
    assert x("the", "ones", "from") - x("your", "medicines,") > 10
    assert abs(x("keep", "it", "at") - x("the", "ones", "from")) < 1
    assert abs(x("the", "letter", "with") - x("your", "medicines,")) < 1

    out = tmp_path / "fences.pdf"
    build.build_article(pipeline, project.articles_dir / f"{FENCES}.md", out)
    with pdfplumber.open(out) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size", "fontname"])
    [hashes] = [w for w in words if w["text"] == "##"]
    [body] = [w for w in words if w["text"] == "Open"]
    assert hashes["size"] < body["size"] + 0.1 and hashes["x0"] >= body["x0"] - 1
    assert not any("```" in w["text"] or "~~~" in w["text"] for w in words)
