"""The sample content's website build, as the website and its readers see it.

The sample project is copied and built once for this module, with the stand-in
issue builder plugged into the issue hook so that the issue pages are there too, and
the sample articles conftest's ``samples`` rendered in its render cache.
The manifest is checked against the files byte for byte, every link of every page
must resolve inside the output folder, and the downloads page is opened in a real
browser (Debian's chromium, driven by Playwright).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import itertools
import json
import re
import shutil
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf
import pytest

from printjournal.checks.check import check
from printjournal.errors import Notices
from printjournal.load import config
from printjournal.site import build as site
from printjournal.template import layouts as templating

from .conftest import REPO, screenshots
from .site_helpers import stand_in_issue


@pytest.fixture(scope="module")
def built(samples_cache, tmp_path_factory) -> tuple[Path, site.Summary]:
    root = tmp_path_factory.mktemp("sample") / "project"
    root.mkdir()
    for name in ("content", "layouts", "fonts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "printjournal.toml", root)
    # the sample articles as conftest's ``samples`` rendered them, under the keys this
    # build gives them: it renders only the PDFs no other module made (overdue ones marked)
    shutil.copytree(samples_cache, root / ".printjournal-cache")
    summary = site.build_site(config.load_project(root), root / "dist",
                              issue_builder=stand_in_issue)
    return root / "dist", summary


@pytest.fixture(scope="module")
def dist(built) -> Path:
    return built[0]


def entries(dist: Path) -> list[dict]:
    return json.loads((dist / "manifest.json").read_text(encoding="utf-8"))["files"]


def test_every_sample_article_and_issue_edition_is_built(built, sample_project):
    dist, summary = built
    assert summary.failed == 0 and summary.problems == ()
    # the real article's four links to journal pages outside the project: built, counted
    links = [w for w in summary.warnings if "link to unknown article" in w.message]
    assert [(str(w.path), w.line) for w in links] == [
        ("content/articles/car-t-autoimmune.md", line) for line in (29, 78, 78, 82)]
    # and the plain-language warnings check gives (overdue reviews are marked, not warned)
    notices = Notices()
    check(config.load_project(dist.parent), None, notices)
    # (tables too wide only for a leaflet product are check's: the build makes none)
    assert [w for w in summary.warnings if w not in links] == [
        n for n in notices.found if "link to unknown" not in n.message
        and "clinical review was due" not in n.message and "makes a table" not in n.message]
    assert (dist / "articles/car-t-autoimmune.pdf").is_file()
    slugs = {p.stem for p in sample_project.articles_dir.glob("*.md")}
    assert {e["path"] for e in entries(dist)} == \
        {f"articles/{s}.pdf" for s in slugs} | \
        {"issues/winter-2026.pdf", "issues/winter-2026-print.pdf"}


def test_the_manifest_matches_the_files_byte_for_byte(dist):
    listed = entries(dist)
    assert [e["path"] for e in listed] == sorted(e["path"] for e in listed)
    for entry in listed:
        data = (dist / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data), entry["path"]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), entry["path"]
        assert entry["pages"] == len(pypdf.PdfReader(dist / entry["path"]).pages)
    # nothing served that the manifest does not list
    assert {str(p.relative_to(dist)) for p in dist.rglob("*.pdf")} == \
        {e["path"] for e in listed}


def test_the_manifest_says_what_each_file_is(dist, samples):
    by_path = {e["path"]: e for e in entries(dist)}
    for slug, sample in samples.items():
        entry = by_path[f"articles/{slug}.pdf"]
        article = sample.article
        assert (entry["kind"], entry["slug"], entry["title"], entry["section"],
                entry["date"], entry["lang"]) == (
            "article", slug, article.title, article.section, article.date.isoformat(),
            article.lang)
        assert pypdf.PdfReader(dist / entry["path"]).metadata.title == article.title
    digital = by_path["issues/winter-2026.pdf"]
    assert (digital["kind"], digital["issue"], digital["edition"], digital["date"]) == \
        ("issue", "Winter 2026", "digital", "2026-12-01")
    assert digital["articles"][0] == "articles/sleep-and-immunity.pdf"


class Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.urls: list[str] = []
        self.feed(text)
        self.urls += re.findall(r"url\(\s*[\"']?([^\"')\s]+)", text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        for name in ("href", "src"):
            value = dict(attrs).get(name)
            if value is not None:
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def html_pages(dist: Path) -> list[Path]:
    return sorted(dist.rglob("*.html"))


def test_there_is_a_page_per_issue_and_per_language(dist):
    assert [str(p.relative_to(dist)) for p in html_pages(dist)] == [
        "index.html", "issues/winter-2026.html", "languages/ar.html", "languages/de.html",
        "languages/en.html", "languages/pl.html"]


def test_every_link_on_the_pages_resolves_to_a_file_in_the_folder(dist):
    for page in html_pages(dist):
        urls = Page(page.read_text(encoding="utf-8")).urls
        assert urls, page
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme == "data" or (not parts.path and parts.fragment):
                continue    # the empty icon, the skip link
            assert not parts.scheme and not parts.netloc, f"{page.name}: external {url}"
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_relative_to(dist.resolve()), f"{page.name}: {url} leaves the folder"
            assert target.is_file(), f"{page.name}: {url} does not resolve"


def test_the_index_links_every_pdf_and_says_what_it_is(dist):
    page = Page((dist / "index.html").read_text(encoding="utf-8"))
    linked = {a["href"] for a in page.all("a")}
    text = " ".join(" ".join(page.text).split())
    for entry in entries(dist):
        assert entry["path"] in linked
        if entry["kind"] == "article":
            assert entry["title"] in text
            assert entry["section"] in text
            assert f"{entry['pages']} pages" in text
            assert templating.filesize(entry["bytes"]) in text
    assert "16 November 2026" in text          # dates as people read them
    # an article past its clinical review is marked for readers, the others are not:
    # walking-for-health and its Arabic and Polish translations (same next_review)
    assert text.count("Due for clinical review since") == 3
    assert ("Walking for Health: The Underrated Everyday Exercise Due for clinical review "
            "since 1 October 2026; information may be out of date.") in text
    assert "Digital edition" in text and "Print-shop file" in text
    # the print shop's file (crop marks, pages larger than A4) is not offered for home printing
    assert "for printing" not in text and "to print at home, use the digital edition" in text


def test_the_pages_are_accessible_html(dist):
    for path in html_pages(dist):
        page = Page(path.read_text(encoding="utf-8"))
        assert page.all("html")[0]["lang"] == "en-GB"
        assert any(m.get("name") == "viewport" for m in page.all("meta"))
        assert len(page.all("header")) == 1 and len(page.all("footer")) == 1
        assert len(page.all("main")) == 1 and len(page.all("h1")) == 1
        assert page.all("title")
        # heading levels never skip one
        levels = [int(tag[1]) for tag, _ in page.tags if re.fullmatch(r"h[1-6]", tag)]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
        # no script, no stylesheet or font from elsewhere
        assert not page.all("script")
        assert not [link for link in page.all("link") if link.get("rel") == "stylesheet"]
        # a German article's title is marked German
        if path.name == "index.html":
            assert any(attrs.get("lang") == "de-DE" for _, attrs in page.tags)
        assert "For general information and education only" in " ".join(page.text)


def test_the_pages_are_the_same_bytes_when_built_again(dist, tmp_path):
    project = config.load_project(dist.parent)
    again = site.build_site(project, tmp_path / "again", issue_builder=stand_in_issue)
    assert again.built == 0        # copied from the render cache
    for path in dist.rglob("*"):
        if path.is_file():
            assert (tmp_path / "again" / path.relative_to(dist)).read_bytes() == \
                path.read_bytes(), path


# ---- in a real browser ----

@pytest.fixture(scope="module")
def server(dist) -> Iterator[str]:
    """The output folder served over HTTP on the loopback interface."""
    handler = functools.partial(_QuietHandler, directory=str(dist))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def opened(browser, url: str, **options) -> Iterator:
    """A page at ``url``; every request that leaves the test server fails the test."""
    context = browser.new_context(accept_downloads=True, **options)
    elsewhere: list[str] = []
    origin = urlsplit(url).netloc

    def guard(route) -> None:
        if urlsplit(route.request.url).netloc == origin or \
                route.request.url.startswith("data:"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    try:
        yield page
    finally:
        context.close()
    assert elsewhere == [], "the page asked for something outside the site"
    assert failed == []


def test_the_downloads_page_in_a_browser_shows_the_articles(browser, server, dist, tmp_path):
    listed = [e for e in entries(dist) if e["kind"] == "article"]
    with opened(browser, f"{server}/index.html", viewport={"width": 1200, "height": 900}) \
            as page:
        assert page.title() == "Downloads — Cureon Journal"
        assert page.get_by_role("heading", level=1).inner_text() == "Downloads"
        for role in ("banner", "main", "contentinfo"):
            assert page.get_by_role(role).count() == 1, role
        articles = page.get_by_role("region", name="Articles")
        assert articles.get_by_role("listitem").count() == len(listed)
        for entry in listed:
            link = articles.get_by_role("link", name=entry["title"], exact=True)
            assert link.is_visible(), entry["title"]
        assert page.evaluate("document.fonts.check('1em Inter')")   # the bundled font
        page.screenshot(path=screenshots(tmp_path) / "downloads-desktop.png",
                        full_page=True)


def test_the_downloads_page_links_download_the_pdfs(browser, server, dist):
    with opened(browser, f"{server}/index.html") as first:
        for entry in entries(dist):
            # a tab of its own for each: chromium 156 starts no 11th download from one tab
            page = first.context.new_page()
            page.goto(f"{server}/index.html")
            if entry["kind"] == "article":
                link = page.get_by_role("link", name=entry["title"], exact=True)
            else:
                name = "Digital edition" if entry["edition"] == "digital" else "Print-shop file"
                link = page.get_by_role("region", name="Issues").get_by_role(
                    "link", name=re.compile(name))
            with page.expect_download() as info:
                link.click()
            download = info.value
            assert download.suggested_filename == Path(entry["path"]).name
            data = Path(download.path()).read_bytes()
            assert data.startswith(b"%PDF-")
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            page.close()


def test_the_downloads_pages_fit_a_phone(browser, server, tmp_path):
    for name in ("index.html", "issues/winter-2026.html"):
        with opened(browser, f"{server}/{name}", viewport={"width": 360, "height": 740},
                    device_scale_factor=2, is_mobile=True, has_touch=True) as page:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            size = page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('.download a')).fontSize)")
            assert size >= 16
            page.screenshot(path=screenshots(tmp_path) /
                            f"{name.replace('/', '-')}-phone.png", full_page=True)


def test_patients_find_the_articles_in_their_language_without_script(browser, server, dist,
                                                                   tmp_path):
    """The downloads page's language filter is a link per language to a page of its own
    (no script): Polish readers see the Polish article alone, and get back to all."""
    polish = [e for e in entries(dist) if e["kind"] == "article" and e["lang"] == "pl"]
    assert len(polish) == 1
    with opened(browser, f"{server}/index.html", java_script_enabled=False,
                viewport={"width": 390, "height": 844}) as page:
        languages = page.get_by_role("navigation", name="Articles by language")
        assert languages.get_by_role("link").all_inner_texts() == [
            "Every language", "English: 10", "العربية (Arabic): 1", "Deutsch (German): 1",
            "Polski (Polish): 1"]
        languages.get_by_role("link", name="Polski (Polish): 1").click()
        page.wait_for_url("**/languages/pl.html")
        assert page.get_by_role("heading", level=1).inner_text() == "Downloads: Polski"
        articles = page.get_by_role("region", name="Articles")
        assert articles.get_by_role("listitem").count() == 1
        link = articles.get_by_role("link", name=polish[0]["title"], exact=True)
        assert link.get_attribute("lang") is None and link.get_attribute("hreflang") == "pl"
        assert page.get_by_role("link", name="Polski (Polish): 1").get_attribute(
            "aria-current") == "page"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=screenshots(tmp_path) / "downloads-polish-phone.png",
                        full_page=True)
        with page.expect_download() as info:
            link.click()
        data = Path(info.value.path()).read_bytes()
        assert hashlib.sha256(data).hexdigest() == polish[0]["sha256"]
        page.get_by_role("link", name="Every language").click()
        page.wait_for_url("**/index.html")


def test_the_issue_page_lists_its_articles_in_order(browser, server, dist):
    order = next(e for e in entries(dist) if e["kind"] == "issue")["articles"]
    titles = {e["path"]: e["title"] for e in entries(dist)}
    with opened(browser, f"{server}/issues/winter-2026.html") as page:
        assert page.get_by_role("heading", level=1).inner_text() == "Winter 2026"
        region = page.get_by_role("region", name="In this issue")
        shown = region.get_by_role("heading", level=3).all_inner_texts()
        assert shown == [titles[p] for p in order]
        page.get_by_role("link", name="All downloads").click()
        page.wait_for_url("**/index.html")
