"""The leaflet desk: every route and error through Flask's test client."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from printjournal import web

TODAY = dt.date(2026, 11, 21)
DOWNLOADS_PAGE = "<!DOCTYPE html><title>Downloads</title><h1>Downloads of the build</h1>"


def error_page(response) -> tuple[str, str]:
    """The heading and the message of an error page, as the browser shows them."""
    text = response.get_data(as_text=True)
    [heading] = re.findall(r"<h1>(.*?)</h1>", text, re.DOTALL)
    [message] = re.findall(r'<p class="error-message">(.*?)</p>', text, re.DOTALL)
    return html.unescape(heading), html.unescape(message)


class InlinePool:
    """Runs the desk's real worker jobs in this process (the test client is synchronous)."""

    def __init__(self, project) -> None:
        web._start_worker(str(project.root), 0)

    def run(self, job, *args):
        return web._bounded(120, job, *args)

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def client(fresh_sample_project, tmp_path_factory):
    sample_project = fresh_sample_project      # a render cache of its own, empty at first
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text(DOWNLOADS_PAGE)
    (dist / "articles").mkdir()
    (dist / "articles" / "a.pdf").write_bytes(b"%PDF-1.7 test")
    app = web.create_app(sample_project, web.DeskSettings(dist=dist),
                         pool=InlinePool(sample_project), today=lambda: TODAY)
    return app.test_client()


def test_library_lists_every_article_with_its_review_status(client, samples):
    page = client.get("/").get_data(as_text=True)
    for sample in samples.values():
        assert f'value="{sample.article.slug}"' in page
    assert re.search(r"walking-for-health.*?Review overdue", page, re.DOTALL)
    assert re.search(r"winter-skin-eczema.*?Not clinically reviewed", page, re.DOTALL)
    assert page.count("✓ Reviewed") == len(samples) - 2


@pytest.mark.parametrize(("query", "expected"), [
    ("eczema", {"winter-skin-eczema"}),                                  # title and tag
    ("sleep", {"sleep-and-immunity", "menopause-what-to-expect"}),       # ... and a tag
    ("Heart Health", {"eating-for-your-heart", "understanding-blood-pressure",
                      "walking-for-health"}),                            # every word matches
    ("IMMUNITY winter", {"winter-viruses-colds-flu"}),
    ("nothing-matches-this", set()),
])
def test_search_by_title_section_and_tag(client, query, expected):
    page = client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert set(re.findall(r'name="slug" value="([^"]+)"', page)) == expected


def test_search_text_is_escaped(client):
    page = client.get("/", query_string={"q": "<script>x</script>"}).get_data(as_text=True)
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;" in page


def test_preview_shows_every_page_as_an_image(client, samples):
    sample = samples["walking-for-health"]
    page = client.get("/articles/walking-for-health").get_data(as_text=True)
    images = re.findall(r'src="(/articles/walking-for-health/\d+\.png)"', page)
    import pypdf
    assert len(images) == len(pypdf.PdfReader(sample.pdf).pages)
    png = client.get(images[0])
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG")


@pytest.mark.parametrize("url", ["/articles/no-such-article", "/articles/no-such-article/1.png",
                                 "/articles/walking-for-health/99.png", "/nowhere",
                                 "/downloads/missing.pdf", "/downloads/../printjournal.toml",
                                 "/articles/..%2F..%2Fprintjournal.toml"])
def test_unknown_things_get_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert error_page(response)[0] == "Not Found"
    assert "Back to the library" in response.get_data(as_text=True)


def test_downloads_serve_the_website_build(client):
    index = client.get("/downloads/")
    assert index.status_code == 200 and index.mimetype == "text/html"
    assert index.get_data(as_text=True) == DOWNLOADS_PAGE     # the build's page, as it is
    response = client.get("/downloads/articles/a.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


@pytest.mark.parametrize(("form", "status", "message"), [
    ({}, 400, "Choose at least one article."),
    ({"slug": "no-such-article"}, 404, "There is no article 'no-such-article'."),
    ({"slug": "walking-for-health", "clinic": "nowhere"}, 400, "There is no clinic 'nowhere'."),
    ({"slug": "walking-for-health", "paper": "A3"}, 400, "Paper must be A4, A5 or Letter."),
])
def test_bad_leaflet_requests_say_what_is_wrong(client, form, status, message):
    response = client.post("/leaflet", data=form)
    assert response.status_code == status
    assert error_page(response) == ({400: "Bad Request", 404: "Not Found"}[status], message)


def test_leaflet_is_post_only(client):
    assert client.get("/leaflet").status_code == 405


@pytest.fixture(scope="module")
def real_pool(fresh_sample_project, tmp_path_factory):
    settings = web.DeskSettings(dist=tmp_path_factory.mktemp("d"), workers=2, render_seconds=2,
                                render_memory=1 * 2**30)
    pool = web.RenderPool(fresh_sample_project, settings)
    yield pool
    pool.close()


def test_a_render_past_its_time_limit_is_stopped(real_pool):
    import time
    with pytest.raises(web.RenderTimeoutError):
        real_pool.run(time.sleep, 30)


def test_a_render_past_its_memory_limit_fails_alone(real_pool):
    with pytest.raises(MemoryError):
        real_pool.run(bytearray, 2 * 2**30)
    assert real_pool.run(len, "still working") == 13


def test_the_pool_serves_requests_at_once(fresh_sample_project, tmp_path):
    """Two jobs that each wait for the other can only finish if they run side by side.

    Not timed: the waits are long enough for a worker to start on a busy machine, so only
    a pool that runs one job at a time fails (when the wait runs out)."""
    from concurrent.futures import ThreadPoolExecutor
    from multiprocessing import Manager
    pool = web.RenderPool(fresh_sample_project, web.DeskSettings(
        dist=tmp_path, workers=2, render_seconds=180, render_memory=1 * 2**30))
    try:
        with Manager() as manager:
            barrier = manager.Barrier(2)
            with ThreadPoolExecutor(2) as threads:
                results = list(threads.map(lambda _: pool.run(barrier.wait, 120), range(2)))
    finally:
        pool.close()
    assert sorted(results) == [0, 1]


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_create_leaflet_returns_the_pdf_inline(client, samples, caplog):
    caplog.set_level("DEBUG")
    response = client.post("/leaflet", data={
        "slug": ["sleep-and-immunity", "eating-for-your-heart"], "clinic": "riverside",
        "paper": "A4", "for_name": "Alexandra Testpatient", "note": "Walk daily"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="leaflet.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    text = " ".join(_pdf_text(response.data).split())
    for slug in ("sleep-and-immunity", "eating-for-your-heart"):
        assert " ".join(samples[slug].article.title.split()) in text
    assert "Alexandra Testpatient" in text
    assert "Alexandra" not in caplog.text and "Walk daily" not in caplog.text


OVERDUE = ("'Walking for Health: The Underrated Everyday Exercise' is past its clinical review: "
           "its next review was due on 2026-10-01 (owner: Dr Samuel Okafor, Cardiology Lead). "
           "Ask the owner to review it, or print it marked 'Review overdue' with "
           "--allow-overdue")


def test_overdue_article_is_refused_plainly_unless_allowed(client):
    refused = client.post("/leaflet", data={"slug": "walking-for-health"})
    assert refused.status_code == 400
    assert error_page(refused) == ("Cannot make this leaflet", OVERDUE)
    allowed = client.post("/leaflet", data={"slug": "walking-for-health", "allow_overdue": "on"})
    assert allowed.status_code == 200
    assert "Review overdue" in _pdf_text(allowed.data)


def test_a_bad_leaflet_option_is_a_400(client):
    response = client.post("/leaflet", data={"slug": "sleep-and-immunity",
                                             "for_name": "x" * 61})
    assert response.status_code == 400
    assert error_page(response) == ("Bad Request",
                                    "--for takes at most 60 characters (this one has 61)")


def test_the_stylesheet_is_served(client):
    response = client.get("/desk.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "--brand" in response.get_data(as_text=True)


def test_serve_binds_to_this_machine_unless_told_otherwise():
    from printjournal.cli import _parser
    args = _parser().parse_args(["serve"])
    assert (args.host, args.debug) == ("127.0.0.1", False)
    assert _parser().parse_args(["serve", "--host", "0.0.0.0"]).host == "0.0.0.0"
