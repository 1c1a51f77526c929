"""The leaflet desk: every route and error through Flask's test client."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re

import pytest

from printjournal.desk import web
from printjournal.desk.guard import CSRF_FIELD, DeskAccess

TODAY = dt.date(2026, 11, 21)
DOWNLOADS_PAGE = "<!DOCTYPE html><title>Downloads</title><h1>Downloads of the build</h1>"


def error_page(response) -> tuple[str, str]:
    """The heading and the message of an error page, as the browser shows them."""
    text = response.get_data(as_text=True)
    [heading] = re.findall(r"<h1>(.*?)</h1>", text, re.DOTALL)
    [message] = re.findall(r'<p class="error-message">(.*?)</p>', text, re.DOTALL)
    return html.unescape(heading), html.unescape(message)


class InlinePool:
    """Runs the desk's real worker jobs in this process (the test client is synchronous),
    counting them."""

    def __init__(self, project) -> None:
        self.worker = web.start_worker(str(project.root))
        self.jobs: list[str] = []

    def run(self, job, *args):
        self.jobs.append(job.__name__)
        return job(self.worker, *args)

    def close(self) -> None:
        pass


ACCESS = DeskAccess(host="127.0.0.1", port=80)


@pytest.fixture(scope="module")
def inline_pool(fresh_sample_project):
    return InlinePool(fresh_sample_project)     # a render cache of its own, empty at first


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text(DOWNLOADS_PAGE)
    (dist / "articles").mkdir()
    (dist / "articles" / "a.pdf").write_bytes(b"%PDF-1.7 test")
    (dist / "manifest.json").write_text(json.dumps({"files": [{
        "path": "articles/a.pdf", "kind": "article", "slug": "a", "bytes": 13,
        "sha256": hashlib.sha256(b"%PDF-1.7 test").hexdigest()}]}))
    return dist


@pytest.fixture(scope="module")
def client(fresh_sample_project, dist, inline_pool):
    app = web.create_app(fresh_sample_project, web.DeskSettings(dist=dist), pool=inline_pool,
                         today=lambda: TODAY, access=ACCESS)
    return app.test_client()


def form_problems(response) -> list[str]:
    """The problems listed on the form page, as the browser shows them."""
    page = response.get_data(as_text=True)
    [box] = re.findall(r'<div class="problems" role="alert" id="problems">(.*?)</div>', page,
                       re.DOTALL)
    return [html.unescape(m) for m in re.findall(r'<li><a href="#\w+">(.*?)</a></li>', box)]


def made(client, data):
    """POST the form as staff do and follow it: (the result page, the PDF's response)."""
    response = post(client, data)
    assert response.status_code == 303, response.get_data(as_text=True)
    result = client.get(response.headers["Location"])
    pdf = re.search(r'href="(/leaflets/[^"]+/leaflet\.pdf)"', result.get_data(as_text=True))
    return result, client.get(pdf.group(1))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def post(client, data, **kwargs):
    """POST the leaflet form as the library page sends it (with its CSRF token)."""
    return client.post("/leaflet", data={CSRF_FIELD: ACCESS.csrf, **data}, **kwargs)


def test_library_lists_every_article_with_its_review_status(client, samples):
    page = client.get("/").get_data(as_text=True)
    for sample in samples.values():
        assert f'value="{sample.article.slug}"' in page
    assert re.search(r"walking-for-health.*?Review overdue", page, re.DOTALL)
    assert re.search(r"winter-skin-eczema.*?Not clinically reviewed", page, re.DOTALL)
    reviewed = [s for s in samples.values() if s.article.review and not
                s.article.review.overdue(TODAY)]
    # not reviewed: CAR-T and eczema; overdue: walking and its two translations
    assert page.count("✓ Reviewed") == len(reviewed) == len(samples) - 5


@pytest.mark.parametrize(("query", "expected"), [
    ("eczema", {"winter-skin-eczema"}),                                  # title and tag
    ("sleep", {"sleep-and-immunity", "menopause-what-to-expect"}),       # ... and a tag
    ("Heart Health", {"eating-for-your-heart", "understanding-blood-pressure",
                      "walking-for-health"}),                            # every word matches
    ("IMMUNITY winter", {"winter-viruses-colds-flu",          # word forms: "immun-" also
                         "impfschutz-erwachsene"}),           # begins "Immunsystem"
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
    # each page's text beside its image, for a screen reader: page 1 has the standfirst
    texts = [html.unescape(t) for t in re.findall(
        r"<summary>Text of page \d+</summary><p>(.*?)</p>", page, re.DOTALL)]
    assert len(texts) == len(images)
    assert " ".join(sample.article.dek.split()[:6]) in texts[0]
    assert "Review overdue" in text(client.get("/articles/walking-for-health"))


@pytest.mark.parametrize("url", ["/articles/no-such-article", "/articles/no-such-article/1.png",
                                 "/articles/walking-for-health/99.png", "/nowhere",
                                 "/downloads/missing.pdf", "/downloads/../printjournal.toml",
                                 "/articles/..%2F..%2Fprintjournal.toml"])
def test_unknown_things_get_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert error_page(response)[0] == "Not found"
    assert "Back to the library" in response.get_data(as_text=True)


def test_downloads_serve_the_website_build(client):
    index = client.get("/downloads/")
    assert index.status_code == 200 and index.mimetype == "text/html"
    assert index.get_data(as_text=True) == DOWNLOADS_PAGE     # the build's page, as it is
    response = client.get("/downloads/articles/a.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


@pytest.mark.parametrize(("form", "status", "message"), [
    ({}, 400, "Choose at least one article."),
    ({"slug": "no-such-article"}, 400, "There is no article 'no-such-article'."),
    ({"slug": "sleep-and-immunity", "clinic": "nowhere"}, 400, "There is no clinic 'nowhere'."),
    ({"slug": "sleep-and-immunity", "paper": "A3"}, 400, "Paper must be A4, A5 or Letter."),
])
def test_bad_leaflet_requests_say_what_is_wrong(client, form, status, message):
    response = post(client, form)
    assert response.status_code == status
    assert form_problems(response) == [message]            # on the form, in its words
    assert "Bad Request" not in text(response)


def test_leaflet_is_post_only(client):
    assert client.get("/leaflet").status_code == 405


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_create_leaflet_returns_the_pdf_inline(client, samples, caplog):
    caplog.set_level("DEBUG")
    result, response = made(client, {
        "slug": ["sleep-and-immunity", "eating-for-your-heart"], "clinic": "riverside",
        "paper": "A4", "for_name": "Alexandra Testpatient", "note": "Walk daily"})
    assert result.status_code == 200 and result.headers["Cache-Control"] == "no-store"
    assert "Alexandra" not in result.get_data(as_text=True)
    assert "Walk daily" not in result.get_data(as_text=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="leaflet.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = " ".join(_pdf_text(response.data).split())
    for slug in ("sleep-and-immunity", "eating-for-your-heart"):
        assert " ".join(samples[slug].article.title.split()) in text
    assert "Alexandra Testpatient" in text
    assert "Alexandra" not in caplog.text and "Walk daily" not in caplog.text


OVERDUE = ("“Walking for Health: The Underrated Everyday Exercise” is past its clinical review: "
           "its next review was due on 1 October 2026 (owner: Dr Samuel Okafor, Cardiology Lead). "
           "Ask the owner to review it, or tick “Print articles past their review date” to "
           "print it marked “Review overdue”.")


def test_overdue_article_is_refused_plainly_unless_allowed(client):
    refused = post(client, {"slug": "walking-for-health"})
    assert refused.status_code == 400
    assert form_problems(refused) == [OVERDUE]
    _result, allowed = made(client, {"slug": "walking-for-health", "allow_overdue": "on"})
    assert allowed.status_code == 200
    assert "Review overdue" in _pdf_text(allowed.data)


def test_a_bad_leaflet_option_is_a_400(client):
    response = post(client, {"slug": "sleep-and-immunity", "for_name": "x" * 61})
    assert response.status_code == 400
    assert form_problems(response) == ["The patient's name can have at most 60 characters "
                                       "(this one has 61)."]


def test_the_stylesheet_is_served(client):
    response = client.get("/desk.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "--brand" in response.get_data(as_text=True)


def test_serve_binds_to_this_machine_unless_told_otherwise():
    from printjournal.cli import _parser
    args = _parser().parse_args(["serve"])
    assert (args.host, args.debug) == ("127.0.0.1", False)
    assert _parser().parse_args(["serve", "--host", "0.0.0.0"]).host == "0.0.0.0"


# ---------- what the desk checks before any work ----------

def test_the_form_carries_its_csrf_token_and_a_post_without_it_is_refused(client, inline_pool):
    page = client.get("/").get_data(as_text=True)
    assert f'name="{CSRF_FIELD}" value="{ACCESS.csrf}"' in page
    before = len(inline_pool.jobs)
    for token in ("", "not-the-token"):
        response = client.post("/leaflet", data={CSRF_FIELD: token,
                                                 "slug": "sleep-and-immunity"})
        assert response.status_code == 403
        assert "reload the library page" in text(response)
    assert len(inline_pool.jobs) == before


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"},
                                     {"Origin": "http://localhost:8041"},
                                     {"Sec-Fetch-Site": "cross-site"}])
def test_a_post_from_another_site_is_refused(client, inline_pool, headers):
    before = len(inline_pool.jobs)
    response = post(client, {"slug": "sleep-and-immunity"}, headers=headers)
    assert response.status_code == 403
    assert "did not come from the leaflet desk" in text(response)
    assert len(inline_pool.jobs) == before


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "localhost:8041",
                                  "127.0.0.1.evil.example"])
def test_a_request_for_another_host_is_refused(client, host):
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 reaches the desk
    with its own name in Host."""
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "not the leaflet desk" in text(response)
    assert post(client, {"slug": "sleep-and-immunity"},
                headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("url", ["/", "/nowhere", "/desk.css", "/downloads/articles/a.pdf"])
def test_every_response_carries_the_security_headers(client, url):
    headers = client.get(url).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert re.search(r"script-src '(self|none)'", policy)      # the desk's own script only
    assert "unsafe-inline" not in policy
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_pages_have_no_inline_script_or_style(client):
    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.DOTALL)
    assert scripts == [""] and '<script src="/desk.js" defer>' in page   # its own file only
    assert "<style" not in page and " style=" not in page and " on" + "click=" not in page
    assert client.get("/desk.js").mimetype == "text/javascript"


@pytest.mark.parametrize("size", [20_000, 300_000, 3_000_000])
def test_a_large_body_is_refused_before_it_is_read(client, inline_pool, size):
    before = len(inline_pool.jobs)
    response = post(client, {"slug": "sleep-and-immunity", "for_name": "A" * size})
    assert response.status_code == 413
    assert "too large" in text(response)
    assert len(inline_pool.jobs) == before


@pytest.mark.parametrize(("form", "message"), [
    ({"note": "n" * 201}, "The note can have at most 200 characters (this one has 201)"),
    ({"for_name": "Ada\u0000Example"}, "The patient's name has characters that cannot"),
    ({"note": "Ada\u202eelpmaxE"}, "The note has characters that cannot be printed"),
    ({"slug": ["sleep-and-immunity", "x" * 5000]}, "There is no article"),
])
def test_each_field_is_checked_in_the_forms_words_before_any_render(client, inline_pool,
                                                                    form, message):
    before = len(inline_pool.jobs)
    response = post(client, {"slug": "sleep-and-immunity", **form})
    assert response.status_code in (400, 404)
    assert message in text(response)
    assert "--" not in text(response)
    assert len(inline_pool.jobs) == before


def test_the_overdue_message_speaks_the_forms_words(client, inline_pool):
    before = len(inline_pool.jobs)
    response = post(client, {"slug": "walking-for-health"})
    assert response.status_code == 400
    message = text(response)
    assert "tick “Print articles past their review date”" in message
    assert "--allow-overdue" not in message
    page = client.get("/").get_data(as_text=True)
    assert "Print articles past their review date" in page   # the checkbox it names
    assert len(inline_pool.jobs) == before


def test_ticking_booklet_alone_makes_a_booklet(client):
    """The form always posts its paper (A4 preselected): a booklet is still A5 on A4."""
    import io

    import pypdf
    result, response = made(client, {"slug": "sleep-and-immunity", "paper": "A4",
                                     "booklet": "on"})
    assert response.status_code == 200, text(response)
    words = " ".join(text(result).split())
    assert "double-sided" in words and "flip on the short edge" in words and "fold" in words
    sheet = pypdf.PdfReader(io.BytesIO(response.data)).pages[0]
    width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
    assert (round(width), round(height)) == (842, 595)      # A4 landscape sheets


def test_a_missing_page_is_refused_without_rendering(client, inline_pool):
    assert client.get("/articles/sleep-and-immunity").status_code == 200
    before = list(inline_pool.jobs)
    for url in ("/articles/sleep-and-immunity/99.png", "/articles/sleep-and-immunity/0.png",
                "/articles/sleep-and-immunity/123456789.png"):
        assert client.get(url).status_code == 404
    assert inline_pool.jobs == before


def test_a_page_asked_for_first_is_counted_before_it_is_drawn(client, inline_pool,
                                                               sample_project):
    """No preview opened: the page count comes first, and a missing page is not drawn."""
    before = len(inline_pool.jobs)
    assert client.get("/articles/winter-skin-eczema/40.png").status_code == 404
    assert inline_pool.jobs[before:] == ["_page_count"]


def test_downloads_serve_a_listed_file_only_with_the_bytes_the_manifest_records(
        client, dist):
    """As after a build killed between replacing a PDF and rewriting manifest.json."""
    pdf = dist / "articles" / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7 newer")
    try:
        response = client.get("/downloads/articles/a.pdf")
        assert response.status_code == 503 and b"newer" not in response.data
    finally:
        pdf.write_bytes(b"%PDF-1.7 test")
    assert client.get("/downloads/articles/a.pdf").data == b"%PDF-1.7 test"


def test_downloads_serve_only_what_the_manifest_lists(client, dist):
    (dist / "leaflets").mkdir(exist_ok=True)
    (dist / "leaflets" / "x.pdf").write_bytes(b"%PDF-1.7 Prepared for: A Patient")
    (dist / "notes.txt").write_text("private")
    for url in ("/downloads/leaflets/x.pdf", "/downloads/notes.txt"):
        response = client.get(url)
        assert response.status_code == 404
        assert b"A Patient" not in response.data and b"private" not in response.data
    assert client.get("/downloads/articles/a.pdf").status_code == 200
    assert client.get("/downloads/manifest.json").status_code == 200
    (dist / "fonts").mkdir(exist_ok=True)
    (dist / "fonts" / "Inter-Regular.otf").write_bytes(b"font")
    (dist / "fonts" / "x.pdf").write_bytes(b"%PDF-1.7 Prepared for: A Patient")
    assert client.get("/downloads/fonts/Inter-Regular.otf").status_code == 200
    assert client.get("/downloads/fonts/x.pdf").status_code == 404


# ---------- how the desk is reached ----------

def test_serve_on_a_port_in_use_says_so(capsys):
    import socket

    from printjournal.cli import main
    from tests.conftest import REPO
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["-C", str(REPO), "serve", "--port", str(port)])
    err = capsys.readouterr().err
    assert status == 2
    assert f"port {port} is in use: is the desk already running? Try --port" in err
    assert "Traceback" not in err


def test_serve_beyond_this_machine_needs_a_password_or_insecure(capsys, monkeypatch):
    from printjournal.cli import main
    from printjournal.desk.guard import PASSWORD_VARIABLE, AccessError
    from tests.conftest import REPO
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    assert main(["-C", str(REPO), "serve", "--host", "0.0.0.0", "--port", "1"]) == 2
    assert PASSWORD_VARIABLE in capsys.readouterr().err
    DeskAccess(host="0.0.0.0", insecure=True).check()
    DeskAccess(host="0.0.0.0", password_hash="scrypt:...").check()
    DeskAccess(host="::1").check()
    with pytest.raises(AccessError):
        DeskAccess(host="192.0.2.7").check()


@pytest.fixture(scope="module")
def guarded(sample_project, dist, inline_pool):
    from werkzeug.security import generate_password_hash
    access = DeskAccess(host="0.0.0.0", port=80,
                        password_hash=generate_password_hash("correct horse"))
    app = web.create_app(sample_project, web.DeskSettings(dist=dist), pool=inline_pool,
                         today=lambda: TODAY, access=access)
    return app.test_client(), access


def _basic(user: str, password: str) -> dict[str, str]:
    import base64
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.mark.parametrize("headers", [{}, _basic("desk", "wrong"), _basic("desk", "")])
def test_a_network_desk_asks_for_its_password(guarded, inline_pool, headers):
    client, access = guarded
    before = len(inline_pool.jobs)
    for response in (client.get("/", headers=headers),
                     client.get("/downloads/articles/a.pdf", headers=headers),
                     client.post("/leaflet", headers=headers, data={
                         CSRF_FIELD: access.csrf, "slug": "sleep-and-immunity"})):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic ")
        assert b"%PDF" not in response.data
    assert len(inline_pool.jobs) == before


def test_a_network_desk_with_its_password_works(guarded):
    client, _access = guarded
    response = client.get("/", headers={**_basic("desk", "correct horse"),
                                        "Host": "clinic-pc.example"})
    assert response.status_code == 200 and "Print a leaflet" in text(response)


@pytest.mark.parametrize(("name", "note", "message"), [
    ("สมชาย", "", "The patient's name has a character the journal's fonts cannot print"),
    ("Ada", "😀 soon", "The note has a character the journal's fonts cannot print"),
])
def test_an_unprintable_name_is_refused_before_any_render(client, inline_pool, name, note,
                                                          message):
    before = len(inline_pool.jobs)
    response = post(client, {"slug": "sleep-and-immunity", "for_name": name, "note": note})
    assert response.status_code == 400
    assert message in text(response)
    assert len(inline_pool.jobs) == before


def test_a_note_too_big_for_the_box_is_refused_plainly(client):
    response = post(client, {"slug": "sleep-and-immunity", "for_name": "Ada",
                             "note": "M" * 200})
    assert response.status_code == 400
    assert "The name and note do not fit in the box on the front" in text(response)


def test_the_library_shows_each_known_articles_page_count(client, samples):
    """Staff see how long a print is: the count once the article's PDF is known."""
    import pypdf

    client.get("/articles/sleep-and-immunity")             # previewed: its PDF is known
    pages = len(pypdf.PdfReader(samples["sleep-and-immunity"].pdf).pages)
    page = text(client.get("/"))
    item = page[page.index('value="sleep-and-immunity"'):]
    item = item[:item.index("</li>")]
    assert f"{pages} pages" in item


def test_search_finds_word_forms_the_standfirst_and_filters_by_language(client):
    def shown(query: str) -> set[str]:
        return set(re.findall(r'name="slug" value="([^"]+)" id=', text(client.get(query))))

    assert "sleep-and-immunity" in shown("/?q=sleeping")          # a word form
    assert "winter-viruses-colds-flu" in shown("/?q=flu+vaccine")   # tags, stemmed
    assert "eating-for-your-heart" in shown("/?q=superfoods")      # the standfirst
    assert shown("/?lang=de-DE") == {"impfschutz-erwachsene"}
    page = text(client.get("/"))
    assert 'lang="de-DE">Impfschutz' in page                        # its title's language


def test_the_leaflets_warnings_are_shown_on_its_result(client):
    """An article linking to pages the project does not hold prints, with warnings that
    the result page shows (they used to be dropped)."""
    result, pdf = made(client, {"slug": "car-t-autoimmune"})
    assert pdf.status_code == 200
    page = " ".join(text(result).split())
    assert "warnings for the editors" in page
    assert "content/articles/car-t-autoimmune.md:" in page and "/journal/" in page
