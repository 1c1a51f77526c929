"""Mistakes in layouts/ point at the template file and line, as Jinja's own errors do."""

from __future__ import annotations

import pytest

from printjournal.checks.check import check
from printjournal.errors import LayoutError
from printjournal.pipeline import Pipeline, build_article


def render(tmp_project, tmp_path):
    path = tmp_project.article()
    return build_article(Pipeline.load(tmp_project.project()), path,
                               tmp_path / "x.pdf")


def test_template_syntax_error(tmp_project, tmp_path):
    template = tmp_project.root / "layouts" / "article.html"
    lines = template.read_text().splitlines()
    lines[20] = "{% if %}"
    template.write_text("\n".join(lines))
    with pytest.raises(LayoutError, match=r"^layouts/article.html:21: "):
        render(tmp_project, tmp_path)


def test_undefined_name_is_an_error_not_an_empty_string(tmp_project, tmp_path):
    template = tmp_project.root / "layouts" / "article-content.html"   # article.html's masthead
    text = template.read_text().replace("{{ article.dek }}</p>", "{{ article.standfirst }}</p>")
    template.write_text(text)
    line = text[: text.index("article.standfirst")].count("\n") + 1
    with pytest.raises(LayoutError, match=rf"^layouts/article-content.html:{line}: .*standfirst"):
        render(tmp_project, tmp_path)


def test_autoescape(tmp_project, tmp_path):
    path = tmp_project.article("esc", "---\ntitle: \"<b>Bold</b> & co\"\nsection: s\n"
                                      "date: 2026-01-01\n---\nx\n")
    pipeline = Pipeline.load(tmp_project.project())
    from printjournal.load import content
    html = pipeline.article_html(content.load_article(path, tmp_project.project()))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    assert "<b>Bold</b>" not in html


def test_labels_file_broken(tmp_project, tmp_path):
    (tmp_project.root / "layouts" / "labels.toml").write_text("[en\n")
    with pytest.raises(LayoutError, match=r"^layouts/labels.toml:1: TOML"):
        render(tmp_project, tmp_path)


def test_check_finds_layout_mistakes(tmp_project):
    (tmp_project.root / "layouts" / "extra.html").write_text("line one\n{% for x in %}\n")
    tmp_project.article()
    assert [str(p) for p in check(tmp_project.project())] == [
        "layouts/extra.html:2: Expected an expression, got 'end of statement block'"]
