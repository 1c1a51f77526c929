"""What is too big for the desk is said before any work; a busy desk keeps every leaflet
it made until staff open it; a warm leaflet checks its articles once (the Shelf keeps it)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from printjournal.desk import web
from printjournal.desk.guard import CSRF_FIELD, DeskAccess
from printjournal.desk.result import HeldLeaflets, Made
from printjournal.desk.shelf import Shelf
from printjournal.errors import Notices
from printjournal.leaflet import build as leaflet

from .conftest import count_renders
from .test_web import InlinePool, error_page, form_problems
from .test_web_big import BIG

TODAY = dt.date(2026, 11, 21)
ACCESS = DeskAccess(host="127.0.0.1", port=80)
CLINIC = """
[[clinics]]
id = "bay"
name = "Bay Clinic"
address = "1 Bay Road"
phone = "0100 000 0000"
default = true
"""
# a sentence long enough to be warned about in a leaflet (over the sentence-length limit)
WORDY = ("Some text that cites a source [@one], and then goes on and on, clause after "
         "clause, with one more word and then another, well past the point where a reader "
         "would have wanted a full stop, because it never seems to end at all today.\n")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from tests.conftest import ARTICLE, TmpProject

    folder = TmpProject(tmp_path_factory.mktemp("desk-limits") / "project")
    folder.write("printjournal.toml",
                 (folder.root / "printjournal.toml").read_text() + CLINIC)
    folder.article("big", BIG)                  # 3,000 table rows: about 100 pages
    folder.article("small", ARTICLE + WORDY * 3)
    return folder.project()


@pytest.fixture(scope="module")
def pool(project):
    return InlinePool(project)


def client(project, pool, max_pages: int = 40):
    settings = web.DeskSettings(dist=project.root / "dist", max_pages=max_pages)
    return web.create_app(project, settings, pool=pool, today=lambda: TODAY,
                          access=ACCESS).test_client()


def post(desk, slugs):
    return desk.post("/leaflet", data={CSRF_FIELD: ACCESS.csrf, "slug": list(slugs),
                                       "for_name": "A Patient"})


def test_a_leaflet_too_long_for_the_desk_is_refused_on_the_form_before_any_render(
        project, pool):
    before = list(pool.jobs)
    response = post(client(project, pool), ["small", "big"])
    assert response.status_code == 400
    [problem] = form_problems(response)
    assert re.fullmatch(r"These articles have about \d{2,3} pages together: too many for "
                        r"the desk to make in one go \(at most 40 pages\)\. Choose fewer "
                        r"articles for one leaflet, or ask the journal's editors for a "
                        r"printed copy\.", problem), problem
    assert pool.jobs == before            # nothing was sent to a worker


def test_a_leaflet_whose_parts_are_made_is_not_too_big_whatever_its_length(
        project, pool, monkeypatch):
    """A leaflet is assembled from parts kept in the render cache: once they are there it
    is only assembled, so only what would be rendered now counts against the limit."""

    refused = post(client(project, pool, max_pages=0), ["small"])
    assert refused.status_code == 400
    assert form_problems(refused)[0].startswith("This article has about ")
    # the leaflet made once (the desk's own worker, its render cache), as the form asks
    request = leaflet.LeafletRequest(("small",), clinic="bay", paper="A4")
    leaflet.leaflet(pool.worker.pipeline, request, TODAY, leaflet.Personal("A Patient"),
                    pool.worker.store)
    renders = count_renders(monkeypatch)
    made = post(client(project, pool, max_pages=0), ["small"])
    assert made.status_code == 303, form_problems(made)
    # assembled from the cache: only the patient's name, never stored, is rendered
    assert renders == ["layouts/leaflet-personal.html"]


def test_a_leaflet_within_the_limit_is_made(project, pool):
    response = post(client(project, pool, max_pages=400), ["small"])
    assert response.status_code == 303, response.get_data(as_text=True)
    assert pool.jobs[-1] == "_leaflet"


def test_a_preview_too_long_to_render_here_says_so_at_once(project, pool):
    desk = client(project, pool)
    before = list(pool.jobs)
    response = desk.get("/articles/big")
    assert response.status_code == 503
    heading, message = error_page(response)
    assert heading == "Too big for the desk"
    assert "has not been made yet" in message and "printjournal build" in message
    assert desk.get("/articles/big/1.png").status_code == 404
    assert pool.jobs == before


def test_an_article_whose_pdf_is_in_the_render_cache_is_previewed_whatever_its_length(
        project, pool):
    """Known pages win over the estimate: once the render cache holds the article's PDF
    (a preview, or the website build, put it there), the preview only reads it."""
    assert client(project, pool, max_pages=0).get("/articles/small").status_code == 503
    assert client(project, pool).get("/articles/small").status_code == 200   # now cached
    # a desk started now (one that asked a moment ago asks the cache again within 30 s)
    assert client(project, pool, max_pages=0).get("/articles/small").status_code == 200


def test_a_busy_desk_keeps_every_leaflet_until_it_is_opened():
    """40 leaflets made at once are all there to open (a count of 32 dropped the first);
    past the budget of bytes the oldest goes first, and the newest always stays."""
    held = HeldLeaflets()
    tokens = [held.put(Made(b"%PDF" + bytes(200_000), 2, 0, ()), ("a",)) for _ in range(40)]
    assert all(held.get(token) is not None for token in tokens)
    small = HeldLeaflets(budget=250_000)
    first, second = (small.put(Made(bytes(200_000), 2, 0, ()), ("a",)) for _ in range(2))
    assert small.get(first) is None and small.get(second) is not None
    alone = HeldLeaflets(budget=10)
    assert alone.get(alone.put(Made(bytes(100), 1, 0, ()), ("a",))) is not None


def test_the_shelf_keeps_a_value_until_a_file_under_content_changes(tmp_project):
    tmp_project.article("small")
    shelf = Shelf(tmp_project.project())
    shelf.load()
    made: list[int] = []
    assert shelf.kept("k", lambda: made.append(1) or "one") == "one"
    assert shelf.kept("k", lambda: made.append(1) or "two") == "one"
    assert made == [1]
    path = tmp_project.root / "content" / "articles" / "small.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    shelf.load()
    assert shelf.kept("k", lambda: "three") == "three"


def test_a_warm_leaflet_checks_its_articles_once_and_keeps_their_warnings(project, pool):
    worker, shelf = pool.worker, Shelf(project)      # a shelf of its own: empty at first
    checks: list[object] = []

    def kept(key, make):
        return shelf.kept(key, lambda: checks.append(key) or make())

    request = leaflet.LeafletRequest(("small",))
    made = []
    for name in ("A Patient", "Another Patient"):
        notices = Notices()
        made.append(leaflet.leaflet(worker.pipeline, request, TODAY, leaflet.Personal(name),
                                    worker.store, shelf.load(), notices, kept))
        assert any("sentence" in str(n) for n in notices.found), notices.found
    assert len(checks) == 1                      # the second leaflet reused the checks
    assert made[0].notices == made[1].notices != ()
