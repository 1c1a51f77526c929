"""What is too big for the desk's time limit: previewed from the website build's PDFs, or
said so on the page (never a hang, never a bare error)."""

from __future__ import annotations

import pytest

from printjournal.desk import web
from printjournal.desk.guard import DeskAccess
from printjournal.site import build as site

from .conftest import count_renders

ROWS = "\n".join(f"| {n} | row {n} of a table far too long to render in a second |"
                 for n in range(3000))
BIG = f"""\
---
title: "A very long table"
section: "Testing"
date: 2026-03-01
---
| Number | What |
| --- | --- |
{ROWS}
"""


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    from tests.conftest import TmpProject
    project = TmpProject(tmp_path_factory.mktemp("big") / "project")
    project.article("big", BIG)
    project.article("small")
    return project.project()


def test_an_article_too_big_for_the_limit_says_so_on_the_page(big_project, tmp_path):
    # pages past the estimate's limit (test_desk_limits.py): the render's time limit speaks
    settings = web.DeskSettings(dist=tmp_path / "dist", workers=1, render_seconds=1,
                                max_pages=10_000)
    pool = web.render_pool(big_project, settings)
    try:
        app = web.create_app(big_project, settings, pool=pool, access=DeskAccess(port=80))
        response = app.test_client().get("/articles/big")
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "Too big for the desk" in page and "1 seconds" in page
        assert response.headers["Retry-After"].isdigit()
    finally:
        pool.close()


def test_a_preview_comes_from_the_website_builds_pdf(sample_project, tmp_path, monkeypatch):
    """After 'printjournal build', the desk renders no article to preview it: the build's
    render cache has the PDF under the same key (so an article that takes longer than the
    desk's limit can still be previewed)."""
    from tests.conftest import TmpProject
    project = TmpProject(tmp_path / "project")
    project.article("small")
    loaded = project.project()
    site.build_site(loaded, loaded.root / "dist", jobs=1)
    renders = count_renders(monkeypatch)

    class InProcess:
        def __init__(self) -> None:
            self.worker = web.start_worker(str(loaded.root))

        def run(self, job, *args):
            return job(self.worker, *args)

    app = web.create_app(loaded, web.DeskSettings(dist=loaded.root / "dist"), pool=InProcess(),
                         access=DeskAccess(port=80))
    client = app.test_client()
    assert client.get("/articles/small").status_code == 200
    assert client.get("/articles/small/1.png").status_code == 200
    assert renders == []
