"""`printjournal preview` in real headless Chromium: edit the file and see the new text,
make a mistake and see it with its line, fix it and see the page again, the scroll
position kept; a newer save cancels an older render; this machine only."""

from __future__ import annotations

import http.client
import threading
import time

import pytest
from playwright.sync_api import expect

from printjournal.preview import server as preview
from printjournal.preview.work import Renders

TEXT = """\
---
title: "Live preview"
section: Testing
date: {date}
---
{words}

## More

""" + "A line of text to fill the page so that it can be scrolled.\n\n" * 12
MISTAKE = ("content/articles/live.md:4: 'date' is not a real date: 2026-13-45 "
           "(month must be in 1..12)")


@pytest.fixture
def live(tmp_project):
    path = tmp_project.article("live", TEXT.format(date="2026-01-01", words="First words."))
    httpd, shown = preview.server(tmp_project.project(), path, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", path, shown
    finally:
        httpd.shutdown()
        httpd.server_close()
        shown.close()


def page_text(page) -> str:
    return " ".join(page.locator("figcaption").all_text_contents())


def test_edit_mistake_and_fix_seen_in_chromium(browser, live):
    url, path, _ = live
    page = browser.new_page(viewport={"width": 900, "height": 500})
    try:
        page.goto(url + "/")
        expect(page.locator("figcaption").first).to_contain_text("First words.",
                                                                 timeout=90_000)
        expect(page.locator("figure img").first).to_be_visible()
        assert page.locator("figure img").first.evaluate("i => i.naturalWidth") > 500
        page.evaluate("window.scrollTo(0, 400)")

        path.write_text(TEXT.format(date="2026-01-01", words="Second words."))
        expect(page.locator("figcaption").first).to_contain_text("Second words.",
                                                                 timeout=90_000)
        assert "First words." not in page_text(page)
        assert page.evaluate("window.scrollY") == 400          # the reader stays put

        path.write_text(TEXT.format(date="2026-13-45", words="Third words."))
        expect(page.locator("#problems li")).to_have_text([MISTAKE], timeout=90_000)
        assert page.locator("#pages").get_attribute("class") == "stale"   # last good, dimmed
        assert "Second words." in page_text(page)

        path.write_text(TEXT.format(date="2026-01-01", words="Third words."))
        expect(page.locator("figcaption").first).to_contain_text("Third words.",
                                                                 timeout=90_000)
        assert page.locator("#problems li").count() == 0
        assert page.locator("#pages").get_attribute("class") in ("", None)
        assert page.evaluate("window.scrollY") == 400
    finally:
        page.close()


def test_only_this_machine_may_ask(live):
    url, _, _ = live
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/", headers={"Host": f"attacker.example:{port}"})
    assert connection.getresponse().status == 403
    connection.close()


def test_a_newer_save_cancels_the_older_render(tmp_project):
    path = tmp_project.article("live", TEXT.format(date="2026-01-01", words="Words."))
    published: list[int] = []
    renders = Renders(tmp_project.root, path, lambda number, _: published.append(number))
    try:
        first = renders.save()
        second = renders.save()       # at once: the first is still starting or rendering
        deadline = time.monotonic() + 90
        while not published and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        assert (first, second) == (1, 2)
        assert published == [2]
    finally:
        renders.close()
