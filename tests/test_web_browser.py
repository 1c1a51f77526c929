"""The leaflet desk end to end in a real headless Chromium: search, pick, print."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pypdf
import pytest

from .conftest import screenshots


@pytest.fixture(scope="module")
def desk(fresh_sample_project) -> Iterator[str]:
    """``printjournal serve`` (waitress and the real process pool) on a free loopback port,
    in a copy of the sample project: its render cache starts empty."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "printjournal", "serve", "--port", str(port)],
                              cwd=fresh_sample_project.root, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/", timeout=5).close()
                break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
        assert "Traceback" not in output, output
        assert "Browser Patient" not in output   # the patient's name is never logged


def test_search_pick_two_articles_and_print_a_leaflet(browser, desk, samples, tmp_path):
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    page = context.new_page()
    page.goto(desk + "/")
    page.fill("#q", "heart")
    page.click("form.search button")
    page.wait_for_load_state()
    shown = page.locator("input[name=slug]").evaluate_all("els => els.map(e => e.value)")
    assert "eating-for-your-heart" in shown and "sleep-and-immunity" not in shown
    page.screenshot(path=str(screenshots(tmp_path) / "desk-search.png"), full_page=True)

    page.goto(desk + "/")
    page.check("#a-sleep-and-immunity")
    page.check("#a-eating-for-your-heart")
    page.select_option("#clinic", "riverside")
    page.fill("#for_name", "Browser Patient")
    page.screenshot(path=str(screenshots(tmp_path) / "desk-library.png"), full_page=True)
    # the form opens the PDF in a new tab (Chromium's viewer or a download): take a copy
    # of the response on its way through
    answers: list = []

    def keep(route) -> None:
        fetched = route.fetch()
        answers.append((fetched.status, fetched.headers, fetched.body()))
        route.fulfill(response=fetched)

    context.route("**/leaflet", keep)
    with context.expect_page():
        page.click("button.primary")
    for _ in range(600):
        if answers:
            break
        page.wait_for_timeout(100)
    status, headers, body = answers[0]
    assert status == 200, body[:2000]
    assert headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(body))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for slug in ("sleep-and-immunity", "eating-for-your-heart"):
        assert " ".join(samples[slug].article.title.split()) in text
    assert "Browser Patient" in text
    assert "Browser Patient" not in str(reader.metadata)
    context.close()


def test_preview_shows_the_pages(browser, desk, tmp_path):
    context = browser.new_context(viewport={"width": 900, "height": 1200})
    page = context.new_page()
    page.goto(desk + "/articles/walking-for-health")
    images = page.locator("ol.pages img")
    images.first.scroll_into_view_if_needed()
    # (no wait_for_function: the desk's Content-Security-Policy forbids evaluating strings)
    for _ in range(600):
        if images.first.evaluate("img => img.naturalWidth") > 0:
            break
        page.wait_for_timeout(100)
    assert images.first.evaluate("img => img.naturalWidth") > 0
    assert images.count() >= 2
    page.screenshot(path=str(screenshots(tmp_path) / "desk-preview.png"))
    context.close()


def test_an_unknown_article_gets_a_404_page(browser, desk):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(desk + "/articles/no-such-article")
    assert response.status == 404
    assert "There is no article" in page.content()
    context.close()
