"""Every footnote on the page of its first citation, checked by the renderer itself."""

from __future__ import annotations

import pypdf
import pytest
import weasyprint

from printjournal.errors import RenderError
from printjournal.load import content
from printjournal.pipeline import Pipeline, build_article
from printjournal.render import placement

from .conftest import REPO
from .pdfread import destination_pages, link_pages

CASE = REPO / "tests" / "corpus" / "footnote-three-calls-on-the-last-line.md"


def _calls_and_notes(data: bytes, tmp_path) -> tuple[dict, dict]:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    reader = pypdf.PdfReader(path)
    return link_pages(reader, "source-"), destination_pages(reader, "note-")


def test_a_note_weasyprint_misplaces_is_moved_with_its_citing_paragraph(tmp_project, tmp_path):
    # without the layouts' footnote-policy, WeasyPrint alone leaves the citing line on
    # page 1 and moves notes to page 2 ...
    css = tmp_project.root / "layouts" / "print.css"
    css.write_text(css.read_text().replace("footnote-policy: line;", ""))
    path = tmp_project.article("three", CASE.read_text())
    pipeline = Pipeline.load(tmp_project.project())
    article = content.load_article(path, pipeline.project)
    html = pipeline.article_html(article)
    bare = weasyprint.HTML(string=html, base_url=(tmp_project.root / "layouts").as_uri() + "/",
                           ).render()
    assert placement.misplaced_notes(bare.pages), "the case no longer shows WeasyPrint's fault"
    # ... and the renderer's check moves the paragraph with the calls to page 2
    calls, notes = _calls_and_notes(pipeline.renderer.pdf(html, article.path).data, tmp_path)
    assert calls and {key: min(pages) for key, pages in calls.items()} == notes


def test_notes_no_page_can_hold_are_an_error_at_their_citation(tmp_project, tmp_path):
    # each source within the front matter's limit (500 characters: a longer one is refused
    # by check), but forty of them cited at once: their notes fill more than a page
    sources = "\n".join(f'  - {{id: s{i}, text: "{f"Source {i} of a long list. " * 18}"}}'
                        for i in range(40))
    cited = "; ".join(f"@s{i}" for i in range(40))
    text = (f"---\ntitle: Forty sources at once\nsection: Corpus\ndate: 2026-05-04\n"
            f"sources:\n{sources}\n---\nSleep matters to the immune system.\n\n"
            f"Many studies agree on this [{cited}].\n")
    path = tmp_project.article("long", text)
    pipeline = Pipeline.load(tmp_project.project())
    out = tmp_path / "long.pdf"
    with pytest.raises(RenderError) as error:
        build_article(pipeline, path, out)
    line = next(n for n, line in enumerate(text.splitlines(), start=1) if "[@s0" in line)
    message = str(error.value)
    assert message.startswith(f"content/articles/long.md:{line}: the footnote of source "), \
        message
    assert "would print on page" in message
    assert not out.exists()


def test_the_block_around_a_call_is_the_one_moved():
    html = ('<table><tr><td>x</td></tr><tr><td>A claim<span class="citation">'
            '<sup class="cite"><a href="#a2-source-1">1</a></sup>'
            '<span class="footnote" id="a2-note-1">Source</span></span></td></tr></table>')
    moved = placement.keep_with_call(html, "a2-note-1")
    assert moved == html.replace("</tr><tr>", "</tr><tr" + placement.MOVE + ">")
    assert placement.keep_with_call(moved, "a2-note-1") is None   # moved once only
    assert placement.keep_with_call(html, "note-9") is None
