"""The desk's library as staff meet it, through Flask's test client: the words a search
also finds (content/search-words.toml), each article's reading grade and languages, the
language to print in (per article, or for the leaflet) and the form's Enter key without
script."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest

from printjournal.desk import search as desksearch
from printjournal.desk import web
from printjournal.errors import ConfigError
from printjournal.load import config

from .test_web import ACCESS, TODAY, InlinePool, post, text


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """A website build with one Polish article and its language's downloads page."""
    dist = tmp_path_factory.mktemp("dist")
    (dist / "articles").mkdir()
    (dist / "languages").mkdir()
    (dist / "articles" / "a-pl.pdf").write_bytes(b"%PDF-1.7 test")
    for name in ("index.html", "languages/pl.html", "languages/de.html"):
        (dist / name).write_text("<!DOCTYPE html><title>Downloads</title>")
    (dist / "manifest.json").write_text(json.dumps({"files": [{
        "path": "articles/a-pl.pdf", "kind": "article", "slug": "a-pl", "lang": "pl",
        "bytes": 13, "sha256": hashlib.sha256(b"%PDF-1.7 test").hexdigest()}]}))
    return dist


@pytest.fixture(scope="module")
def client(fresh_sample_project, dist):
    pool = InlinePool(fresh_sample_project)
    app = web.create_app(fresh_sample_project, web.DeskSettings(dist=dist),
                         pool=pool, today=lambda: TODAY, access=ACCESS)
    return app.test_client()


def test_the_desk_serves_the_downloads_page_of_each_language_the_build_lists(client):
    assert client.get("/downloads/languages/pl.html").status_code == 200
    assert client.get("/downloads/languages/de.html").status_code == 404   # no German file


def shown(page: str) -> set[str]:
    return set(re.findall(r'name="slug" value="([^"]+)" id=', page))


def library_item(page: str, slug: str) -> str:
    item = page[page.index(f'value="{slug}" id='):]
    return " ".join(item[:item.index("</li>")].split())


@pytest.mark.parametrize(("query", "slug"), [
    ("tummy", "fibre-everyday-guide"),              # tummy = ["...", "digestion", ...]
    ("tummies", "fibre-everyday-guide"),            # the typed word's forms too
    ("bp", "understanding-blood-pressure"),         # a phrase: both its words
    ("jab", "winter-viruses-colds-flu"),
    ("jab", "impfschutz-erwachsene"),               # "impfen", a German tag
])
def test_a_search_finds_the_words_the_project_lists(client, query, slug):
    assert slug in shown(text(client.get(f"/?q={query}")))


def test_a_listed_word_finds_nothing_more_than_its_words(client):
    assert shown(text(client.get("/?q=tummy"))) == {"fibre-everyday-guide"}
    assert shown(text(client.get("/?q=tummy+heart"))) == {"fibre-everyday-guide"}  # all words


def copy_project(source, target):
    shutil.copytree(source.root, target, ignore=shutil.ignore_patterns(
        ".printjournal-cache", "dist", "printouts", ".git"))
    return config.load_project(target)


def test_without_the_file_a_search_is_by_word_forms_alone(fresh_sample_project, tmp_path):
    project = copy_project(fresh_sample_project, tmp_path / "p")
    (project.content_dir / "search-words.toml").unlink()
    words = desksearch.load(project)
    fibre = next(a for a in web.Shelf(project).load()[0] if a.slug == "fibre-everyday-guide")
    assert not desksearch.matches(fibre, "tummy", words)
    assert desksearch.matches(fibre, "digestive", words)


def test_a_wrong_search_words_file_names_every_line_to_change(fresh_sample_project, tmp_path):
    project = copy_project(fresh_sample_project, tmp_path / "p")
    (project.content_dir / "search-words.toml").write_text(
        '# staff words\ntummy = ["stomach"]\nsugar = "diabetes"\n"two words" = ["x"]\n'
        "jab = []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        desksearch.load(project)
    lines = str(refused.value).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        "content/search-words.toml:3", "content/search-words.toml:4",
        "content/search-words.toml:5"]
    assert "'sugar': write one word, then the words it also finds in a list" in lines[0]
    (project.content_dir / "search-words.toml").write_text('tummy = ["stomach"\n')
    with pytest.raises(ConfigError, match=r"^content/search-words.toml:1: this line is not"):
        desksearch.load(project)
    with pytest.raises(ConfigError):                  # the desk does not start with it
        web.create_app(project, web.DeskSettings(dist=tmp_path), pool=object(), access=ACCESS)


def test_the_library_shows_each_articles_reading_grade_and_languages(client):
    page = text(client.get("/"))
    walking = library_item(page, "walking-for-health")
    assert re.search(r"English · reading grade \d+ ·", walking)
    assert "<select" in walking and ">Arabic</option>" in walking \
        and ">Polish</option>" in walking
    arabic = library_item(page, "walking-for-health-ar")
    assert "Arabic · reading grade" not in arabic     # no formula for Arabic: no grade shown
    assert ">English</option>" in arabic and ">Polish</option>" in arabic
    assert "<select" not in library_item(page, "sleep-and-immunity")   # no translation


def test_a_language_chosen_for_the_leaflet_takes_each_article_in_it_where_it_can(client):
    """The versions to print are checked before any render: here the Polish walking
    article (past its review, as its original is) and the English sleep article."""
    response = post(client, {"slug": ["walking-for-health", "sleep-and-immunity"],
                             "print_lang": "pl", "for_name": "Ada"})
    assert response.status_code == 400
    page = text(response)
    problems = " ".join(page[page.index('class="problems"'):page.index("</ul>")].split())
    assert "“Spacer dla zdrowia: niedoceniany codzienny ruch” is past its clinical" in problems
    assert "Walking for Health" not in problems and "Sleep" not in problems
    assert '<option value="pl" selected>Polish</option>' in page        # the choice kept
    assert shown(page) >= {"walking-for-health", "sleep-and-immunity"}


def test_a_language_chosen_for_one_article_is_kept_and_printed(client):
    form = {"slug": ["walking-for-health"], "lang-walking-for-health": "ar",
            "allow_overdue": "on", "for_name": "Ada", "note": "x" * 201}   # refused: the form
    page = text(post(client, form))
    walking = library_item(page, "walking-for-health")
    assert '<option value="ar" selected>Arabic</option>' in walking
    response = post(client, {**form, "note": ""})
    result = text(client.get(response.headers["Location"]))
    assert "المشي من أجل الصحة" in result and "Walking for Health" not in result
    back = re.search(r'href="(/\?[^"]*)"', result)[1]            # "Back to the library"
    assert "lang-walking-for-health" not in back   # the Arabic one is what was printed


def test_enter_after_new_search_words_searches_without_script(client):
    """Enter presses the form's first button, "Create leaflet" (hidden); with new words
    in the search box, it searches instead, keeping everything else."""
    page = text(client.get("/"))
    first = re.search(r"<button[^>]*>", page[page.index('<form class="leaflet"'):])[0]
    assert 'name="enter"' in first
    response = post(client, {"enter": "1", "q": "sleeping", "searched": "",
                             "slug": "fibre-everyday-guide", "for_name": "Ada Example"})
    assert response.status_code == 200
    page = text(response)
    assert "sleep-and-immunity" in shown(page) and 'value="Ada Example"' in page
    assert 'class="problems"' not in page
    response = post(client, {"enter": "1", "q": "sleeping", "searched": "sleeping"})
    assert response.status_code == 400 and "Choose at least one article." in text(response)


def test_the_fit_estimates_routes_serve_the_layer_and_nothing_else(client):
    layer = client.get("/fit/layer")
    assert layer.status_code == 200 and 'class="clinician-note"' in text(layer)
    policy = layer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "script-src 'none'" in policy
    assert client.get("/").headers["X-Frame-Options"] == "DENY"     # the rest: never framed
    assert client.get("/fit/leaflet.css").status_code == 200
    assert client.get("/fonts/Inter-Regular.otf").status_code == 200
    for url in ("/fit/labels.toml", "/fit/..%2Fprintjournal.toml",
                "/fonts/..%2Fprintjournal.toml", "/fit.json?paper=A3"):
        assert client.get(url).status_code == 404, url


def test_what_the_desk_works_out_is_kept_while_the_articles_file_is_unchanged(tmp_project):
    """One store for grades (desklibrary) and page counts (desksize): a value is kept
    until the article's file changes, a None grade (not measured) included."""
    import os

    from printjournal.desk.library import PerArticle
    from printjournal.load import content

    path = tmp_project.article("kept", "---\ntitle: Kept\nsection: Testing\ndate: "
                               "2026-01-01\n---\nSome words.\n")
    article = content.load_article(path, tmp_project.project())
    kept: PerArticle[int | None] = PerArticle(tmp_project.project())
    made = []
    assert kept.get(article) is None
    assert kept.get_or_make(article, lambda: made.append(1)) is None
    assert kept.get_or_make(article, lambda: made.append(2)) is None and made == [1]
    kept.put(article, 7)
    assert kept.get(article) == 7
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))   # saved again
    assert kept.get(article) is None
    assert kept.get_or_make(article, lambda: 8) == 8 and kept.get(article) == 8
