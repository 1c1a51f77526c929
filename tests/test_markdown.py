"""The Markdown editors actually write, as a reader finds it in the PDF."""

from __future__ import annotations

import subprocess
import textwrap

import pdfplumber
import pypdf
import pytest

from printjournal.checks.check import check
from printjournal.errors import ContentError, Notices
from printjournal.markup import body as markup
from printjournal.markup.body import PageRef
from printjournal.markup.structure import MAX_DEPTH
from printjournal.markup.typography import typeset
from printjournal.pipeline import Pipeline, build_article, load_checked_article

from .conftest import TmpProject
from .pdfread import outline, pages
from .test_accessibility import vera  # noqa: F401

HEAD = """\
---
title: "Markdown"
section: s
date: 2026-01-01
{extra}sources:
  - {{id: salt, text: "Salt source text", url: "https://example.org/salt"}}
---
"""
BODY = """\
Intro "quoted" and it's 8-10 hours... not 2026-01-01.

## Why salt matters [@salt]

- outer item
  - inner item
    - innermost item

1. numbered item
   - under numbered

- loose one

- loose two

```
## morning
[@nobody] `ticks`
```

!!! warning "When to act"
  Body indented two spaces.

!!! danger
    Danger body.

## Read [the other](other.md) too
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    project = TmpProject(tmp_path_factory.mktemp("md") / "project")
    project.article("other", HEAD.format(extra="") + "Other.\n")
    project.article("md", HEAD.format(extra='dek: "It doesn\'t \\"hurt\\"."\n') + BODY)
    project.article("de", HEAD.format(extra="lang: de\n") +
                    'Schon gut: "zitiert" und geht\'s.\n')
    pipeline = Pipeline.load(project.project())
    out = {}
    for slug in ("md", "de"):
        path = project.root / f"content/articles/{slug}.md"
        out[slug] = build_article(pipeline, path, project.root / f"{slug}.pdf").path
    return out


def _words(pdf, text):
    with pdfplumber.open(pdf) as doc:
        return [w for page in doc.pages for w in page.extract_words() if w["text"] == text]


def test_nested_lists_by_two_and_three_spaces_nest(rendered):
    x = {w: _words(rendered["md"], w)[0]["x0"] for w in ("outer", "inner", "innermost",
                                                         "numbered", "under")}
    assert x["outer"] < x["inner"] - 8 < x["innermost"] - 16
    assert x["numbered"] < x["under"] - 8


def test_fenced_code_prints_as_code_not_as_a_heading(rendered):
    body = " ".join(p.body for p in pages(rendered["md"]))
    assert "## morning" in body and "[@nobody] `ticks`" in body
    assert "```" not in body
    titles = [title for _, title, _ in outline(pypdf.PdfReader(rendered["md"]))]
    # the article links to another: its address is listed under "Read next"
    assert titles == ["Markdown", "Why salt matters", "Read the other too", "Read next",
                      "Sources"]


def test_a_footnote_called_from_a_heading_reads_like_the_others(rendered):
    with pdfplumber.open(rendered["md"]) as doc:
        chars = [c for c in doc.pages[0].chars if c["text"] in "Salt source text"]
        heading = next(c for c in doc.pages[0].chars if c["text"] == "W")
        note = [c for c in chars if c["size"] < 10 and c["text"].isalpha()  # not its number
                and 0.88 * doc.pages[0].height < c["top"] < doc.pages[0].height - 65]  # foot
    assert note and {c["fontname"].split("+")[-1] for c in note} == {"Charis-SIL"}
    assert "Bold" in heading["fontname"]


def test_a_callout_body_indented_two_spaces_stays_in_its_box(rendered):
    intro = _words(rendered["md"], "Intro")[0]
    body = _words(rendered["md"], "Body")[0]
    title = _words(rendered["md"], "When")[0]
    label = _words(rendered["md"], "Warning:")[0]  # the spoken label opens the title line
    assert body["x0"] > intro["x0"] + 5 and abs(body["x0"] - label["x0"]) < 15
    assert 0 < body["top"] - title["top"] < 30
    text = " ".join(p.body for p in pages(rendered["md"]))
    assert "Urgent:" in text and "Danger body." in text  # an untitled danger: its label


def test_smart_typography_follows_the_language(rendered):
    english = " ".join(p.body for p in pages(rendered["md"]))
    assert "Intro “quoted” and it’s 8–10 hours… not 2026-01-01." in english
    assert "It doesn’t “hurt”." in english                       # the dek, from front matter
    german = " ".join(p.body for p in pages(rendered["de"]))
    assert "„zitiert“ und geht’s." in german


def test_every_markdown_case_passes_verapdf_ua1(vera, rendered):  # noqa: F811
    pdfs = [str(p) for p in rendered.values()]
    result = subprocess.run([vera, "ua1", *pdfs], capture_output=True, text=True, timeout=300)
    assert result.stdout.count("compliant=true") == 2, result.stdout


def test_bookmarks_and_headings_in_an_issue_carry_no_page_reference(tmp_project):
    path = tmp_project.article("x", HEAD.format(extra="") +
                               "## See [other](/journal/other) [@salt]\n")
    project = tmp_project.project()
    article = load_checked_article(project, path, Notices())
    body = markup.to_html(article, project,
                          lambda slug: ("#" + slug, PageRef("p.", slug, 2)))
    assert [h.text for h in body.headings] == ["See other"]
    assert 'data-bookmark="See other"' in body.html and "(p.&nbsp;" in body.html


def _nested(depth: int, marker: str) -> str:
    if marker == ">":
        return "> " * depth + "deep\n"
    return "".join("  " * i + f"- level {i + 1}\n" for i in range(depth))


@pytest.mark.parametrize(("marker", "what"), [("-", "lists"), (">", "quotes")])
def test_nesting_deeper_than_the_limit_is_refused_at_its_line(tmp_project, problems_of,
                                                               marker, what):
    text = HEAD.format(extra="") + "Intro.\n\n" + _nested(100, marker)
    line, depth = (10 + MAX_DEPTH, MAX_DEPTH + 1) if marker == "-" else (10, 100)
    assert problems_of(text) == [f"content/articles/bad.md:{line}: {what} nested {depth} "
                                 f"levels deep here: at most {MAX_DEPTH} are printed"]
    with pytest.raises(ContentError):
        build_article(Pipeline.load(tmp_project.project()),
                            tmp_project.root / "content/articles/bad.md",
                            tmp_project.root / "bad.pdf")
    assert not (tmp_project.root / "bad.pdf").exists()


def test_the_limit_itself_prints(problems_of):
    assert problems_of(HEAD.format(extra="") + _nested(MAX_DEPTH, "-")) == []
    assert problems_of(HEAD.format(extra="") + _nested(MAX_DEPTH, ">")) == []


def test_an_unknown_callout_type_warns_and_styled_ones_do_not(tmp_project):
    tmp_project.article("c", HEAD.format(extra="") + textwrap.dedent("""\
        !!! note
            Fine.

        !!! caution "Careful"
            Unstyled.
        """))
    notices = Notices()
    assert check(tmp_project.project(), None, notices) == []
    assert [str(n) for n in notices.found] == [
        "content/articles/c.md:11: warning: callout type 'caution' has no style in layouts/: "
        "it prints as a plain box (styled: danger, note, tip, warning)"]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en-GB", "It's \"quoted\" -- 8-10...", "It’s “quoted” – 8–10…"),
    ("de", "\"Im Winter\", sagt sie. Wer's weiß.", "„Im Winter“, sagt sie. Wer’s weiß."),
    ("fr", "\"Bonjour\" -- 2026-01-01", "\"Bonjour\" – 2026-01-01"),
])
def test_titles_and_deks_are_set_like_the_body(lang, text, expected):
    assert typeset(text, lang) == expected


def test_check_reads_code_as_the_parser_does(problems_of):
    body = textwrap.dedent("""\
        Question?
        :   Answer.

            Second paragraph [@missing].

        Text `[@in-code]` here.

            [@indented-code]

        ```
        [@fenced]
        ```
        """)
    assert problems_of(HEAD.format(extra="") + body) == [
        "content/articles/bad.md:11: unknown source 'missing': this article's sources are salt"]
