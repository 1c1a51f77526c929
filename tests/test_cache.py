"""The render cache: a key changes exactly when an input that shapes the output changes."""

from __future__ import annotations

import shutil

from printjournal import cache
from printjournal.load import config, content
from printjournal.pipeline import Pipeline


def keys(tmp_project):
    project = tmp_project.project()
    article = content.load_article(tmp_project.root / "content/articles/small.md", project)
    return cache.key(project, cache.article_inputs(article, project), "article")


def test_key_is_stable_and_follows_every_input(tmp_project):
    tmp_project.article()
    first = keys(tmp_project)
    assert keys(tmp_project) == first
    path = tmp_project.root / "content/articles/small.md"
    path.write_text(path.read_text() + "More.\n")
    second = keys(tmp_project)
    assert second != first
    css = tmp_project.root / "layouts/print.css"
    css.write_text(css.read_text() + "\n/* x */\n")
    third = keys(tmp_project)
    assert third != second
    (tmp_project.root / "printjournal.toml").write_text(
        (tmp_project.root / "printjournal.toml").read_text() + 'paper = "A5"\n')
    assert keys(tmp_project) != third


def test_an_image_is_an_input(tmp_project):
    image = tmp_project.root / "content/images/dot.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    tmp_project.article("small", "---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                                 "![a dot](../images/dot.svg)\n")
    before = keys(tmp_project)
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>')
    assert keys(tmp_project) != before


def test_two_clones_of_a_project_share_keys(tmp_project, tmp_path):
    """Builders on two machines (or two folders) reuse each other's renders."""
    (tmp_project.root / "content/images/dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    tmp_project.article("small", "---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                                 "![a dot](../images/dot.svg)\n")
    clone = tmp_path / "elsewhere" / "clone"
    shutil.copytree(tmp_project.root, clone, symlinks=True)
    project = config.load_project(clone)
    article = content.load_article(clone / "content/articles/small.md", project)
    inputs = cache.article_inputs(article, project)
    assert len(inputs) == 2 and all(clone in path.parents for path in inputs)
    assert cache.key(project, inputs, "article") == keys(tmp_project)


def test_cached_pdf_renders_once(tmp_project):
    tmp_project.article()
    project = tmp_project.project()
    pipeline = Pipeline.load(project)
    store = cache.RenderCache.for_project(project)
    article = content.load_article(tmp_project.root / "content/articles/small.md", project)
    calls = []

    def make_html() -> str:
        calls.append(1)
        return pipeline.article_html(article)

    first = pipeline.cached_pdf(store, "k" * 64, make_html, article.path)
    again = pipeline.cached_pdf(store, "k" * 64, make_html, article.path)
    assert first == again and first.startswith(b"%PDF-")
    assert len(calls) == 1
