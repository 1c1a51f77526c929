"""The renderer parses each layout stylesheet once, and still renders what the layouts say."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
import weasyprint

from printjournal.errors import RenderError
from printjournal.pipeline import Pipeline

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="fonts.css">
<link rel="stylesheet" href="probe.css">
{style}</head><body><p class="probe">Probe text</p></body></html>"""


def _probe(tmp_project, css: str) -> Path:
    path = tmp_project.root / "layouts" / "probe.css"
    path.write_text(css)
    return path


def _size(data: bytes) -> float:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return round(pdf.pages[0].chars[0]["size"], 1)


def test_a_stylesheet_is_parsed_once_for_many_documents(tmp_project, monkeypatch):
    _probe(tmp_project, "@page { size: A6 } .probe { font-size: 20pt }")
    renderer = Pipeline.load(tmp_project.project()).renderer
    parsed = []
    original = weasyprint.CSS.__init__

    def counting(self, *args, **kwargs):
        parsed.append(kwargs.get("base_url"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.CSS, "__init__", counting)
    for _ in range(3):
        assert _size(renderer.pdf(PAGE.format(style=""), Path("x")).data) == 20
    linked = [url for url in parsed if url and url.endswith(("probe.css", "fonts.css"))]
    assert sorted(Path(url).name for url in linked) == ["fonts.css", "probe.css"]


def test_an_edited_stylesheet_is_parsed_again(tmp_project):
    css = _probe(tmp_project, ".probe { font-size: 20pt }")
    renderer = Pipeline.load(tmp_project.project()).renderer
    assert _size(renderer.pdf(PAGE.format(style=""), Path("x")).data) == 20
    css.write_text(".probe { font-size: 14pt }")
    assert _size(renderer.pdf(PAGE.format(style=""), Path("x")).data) == 14


def test_the_documents_own_style_still_wins_over_the_shared_sheets(tmp_project):
    _probe(tmp_project, "body .probe { font-size: 20pt }")
    renderer = Pipeline.load(tmp_project.project()).renderer
    page = PAGE.format(style="<style>.probe { font-size: 9pt }</style>")
    assert _size(renderer.pdf(page, Path("x")).data) == 9


def test_later_sheets_win_as_in_the_links_order(tmp_project):
    _probe(tmp_project, ".probe { font-size: 20pt }")
    (tmp_project.root / "layouts" / "later.css").write_text(".probe { font-size: 11pt }")
    renderer = Pipeline.load(tmp_project.project()).renderer
    page = PAGE.format(style='<link rel="stylesheet" href="later.css">')
    assert _size(renderer.pdf(page, Path("x")).data) == 11


@pytest.mark.parametrize("href", ["../../outside.css", "/etc/passwd", "missing.css"])
def test_a_stylesheet_outside_the_layouts_still_meets_the_fence(tmp_project, tmp_path, href):
    (tmp_path / "outside.css").write_text(".probe { color: red }")
    _probe(tmp_project, "")
    renderer = Pipeline.load(tmp_project.project()).renderer
    page = PAGE.format(style=f'<link rel="stylesheet" href="{href}">')
    with pytest.raises(RenderError, match=r"refused to read|not found"):
        renderer.pdf(page, Path("content/articles/x.md"))


def test_a_link_in_a_comment_stays_a_comment(tmp_project):
    """Only the real link is taken out of the HTML: had the commented copy been taken
    instead, WeasyPrint would apply later.css itself, over the document's <style>."""
    _probe(tmp_project, ".probe { font-size: 20pt }")
    (tmp_project.root / "layouts" / "later.css").write_text(".probe { font-size: 11pt }")
    renderer = Pipeline.load(tmp_project.project()).renderer
    tag = '<link rel="stylesheet" href="later.css">'
    page = PAGE.format(style=f"<style>.probe {{ font-size: 9pt }}</style>{tag}").replace(
        '<link rel="stylesheet" href="probe.css">',
        f'<!-- {tag} --><link rel="stylesheet" href="probe.css">')
    assert _size(renderer.pdf(page, Path("x")).data) == 9
