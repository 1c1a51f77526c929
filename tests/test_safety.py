"""Nothing outside the project is read, nothing is fetched, nothing is half-written."""

from __future__ import annotations

import re
import stat

import pypdf
import pytest

from printjournal.errors import RenderError
from printjournal.load import content
from printjournal.markup import body as markup
from printjournal.pipeline import Pipeline, build_article
from printjournal.render.weasy import ProjectFetcher, RefusedResourceError

RAW = """\
---
title: "Raw HTML"
section: "S"
date: 2026-01-01
---
Before <script>alert('x')</script> after <b onclick="steal()">bold</b>.

<iframe src="https://example.org/"></iframe>
<style>body { display: none }</style>
<link rel="attachment" href="file:///etc/passwd">
<object data="file:///etc/passwd"></object>
<img src="https://example.org/tracker.png">

[a link](javascript:alert(1)) and [local](file:///etc/passwd).
"""


def test_raw_html_is_printed_as_text_not_passed_through(tmp_project):
    path = tmp_project.article("raw", RAW)
    project = tmp_project.project()
    body = markup.to_html(content.load_article(path, project), project).html
    tags = re.findall(r"<[^>]*>", body)
    for bad in ("<script", "<iframe", "<style", "<link", "<object", "<img", "onclick",
                "javascript:", "file:"):
        assert not [t for t in tags if bad in t], bad
    assert "&lt;script&gt;" in body


def test_raw_html_article_renders_without_fetching_or_attaching(tmp_project, tmp_path):
    path = tmp_project.article("raw", RAW)
    out = tmp_path / "raw.pdf"
    build_article(Pipeline.load(tmp_project.project()), path, out)
    reader = pypdf.PdfReader(out)
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert not any("/FileAttachment" in str(a.get_object().get("/Subtype"))
                   for p in reader.pages for a in p.get("/Annots", []) or [])
    text = "".join(p.extract_text() for p in reader.pages)
    assert "<script>alert(‘x’)</script>" in text          # printed as text, quotes set curly


@pytest.mark.parametrize("url", [
    "http://example.org/x.png", "https://example.org/x.css", "ftp://example.org/x",
    "file:///etc/passwd",
])
def test_fetcher_refuses_anything_but_project_files(tmp_project, url):
    fetcher = ProjectFetcher(tmp_project.project())
    with pytest.raises(RefusedResourceError):
        fetcher.fetch(url)


def test_fetcher_refuses_dotdot_and_symlinks_out_of_the_project(tmp_project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    link = tmp_project.root / "content" / "images" / "link.png"
    link.symlink_to(secret)
    fetcher = ProjectFetcher(tmp_project.project())
    with pytest.raises(RefusedResourceError, match="outside the project"):
        fetcher.fetch(link.as_uri())
    dotdot = (tmp_project.root / "content" / "images").as_uri() + "/../../../secret.txt"
    with pytest.raises(RefusedResourceError, match="outside the project"):
        fetcher.fetch(dotdot)
    # printjournal.toml is in the project but in no folder a document may use
    with pytest.raises(RefusedResourceError, match="outside the project"):
        fetcher.fetch((tmp_project.root / "printjournal.toml").as_uri())


def test_fetcher_serves_fonts_and_data_urls(tmp_project):
    fetcher = ProjectFetcher(tmp_project.project())
    font = fetcher.fetch((tmp_project.root / "fonts" / "Inter-Regular.otf").as_uri())
    assert font.read(4) == b"OTTO"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_svg_that_reaches_out_is_an_error_naming_the_article(tmp_project, tmp_path):
    (tmp_project.root / "content/images/evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="file:///etc/passwd" width="10" height="10"/>'
        '<image href="https://example.org/x.png" width="10" height="10"/></svg>')
    path = tmp_project.article("evil", "---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                                        "![a drawing](../images/evil.svg)\n")
    out = tmp_path / "evil.pdf"
    with pytest.raises(RenderError, match=r"^content/articles/evil.md: refused"):
        build_article(Pipeline.load(tmp_project.project()), path, out)
    assert not out.exists()


def test_layout_that_asks_for_an_attachment_is_refused(tmp_project, tmp_path):
    layout = tmp_project.root / "layouts" / "base.html"
    layout.write_text(layout.read_text().replace(
        "</head>", '<link rel="attachment" href="file:///etc/passwd"></head>'))
    path = tmp_project.article()
    with pytest.raises(RenderError, match="refused to read '/etc/passwd'"):
        build_article(Pipeline.load(tmp_project.project()), path,
                            tmp_path / "x.pdf")


def test_a_broken_image_fails_the_render_rather_than_printing_a_hole(tmp_project, tmp_path):
    (tmp_project.root / "content/images/broken.svg").write_text("<svg this is not xml")
    path = tmp_project.article("broken", "---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                                          "![a drawing](../images/broken.svg)\n")
    with pytest.raises(RenderError, match=r"^content/articles/broken.md: "):
        build_article(Pipeline.load(tmp_project.project()), path,
                            tmp_path / "x.pdf")


def test_a_failed_run_leaves_the_last_good_pdf_in_place(tmp_project, tmp_path):
    path = tmp_project.article()
    out = tmp_path / "out" / "small.pdf"
    pipeline = Pipeline.load(tmp_project.project())
    build_article(pipeline, path, out)
    good = out.read_bytes()
    path.write_text(path.read_text() + "\n![a picture](../images/gone.png)\n")
    with pytest.raises(Exception, match="not found"):
        build_article(pipeline, path, out)
    assert out.read_bytes() == good
    assert [p.name for p in out.parent.iterdir()] == ["small.pdf"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_paper_size_comes_from_the_project(tmp_project, tmp_path):
    config_file = tmp_project.root / "printjournal.toml"
    config_file.write_text(config_file.read_text() + 'paper = "Letter"\n')
    path = tmp_project.article()
    out = tmp_path / "letter.pdf"
    build_article(Pipeline.load(tmp_project.project()), path, out)
    box = pypdf.PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_an_image_inside_a_sentence_prints_too(tmp_project, tmp_path):
    (tmp_project.root / "content/images/dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
        '<circle cx="4" cy="4" r="4"/></svg>')
    path = tmp_project.article("inline", "---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                                         "A dot ![a small dot](../images/dot.svg) in a line.\n")
    out = tmp_path / "inline.pdf"
    build_article(Pipeline.load(tmp_project.project()), path, out)
    assert any("/XObject" in (p.get("/Resources") or {}) for p in pypdf.PdfReader(out).pages)
