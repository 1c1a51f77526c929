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


SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def look(page, tmp_path, name: str) -> None:
    """Screenshots of ``page`` at desktop and phone sizes, and axe's audit at each: none."""
    from axe_playwright_python.sync_playwright import Axe

    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(screenshots(tmp_path) / f"desk-{name}-{size}.png"),
                        full_page=True)
        violations = Axe().run(page).response["violations"]
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]])
                                  for v in violations]
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} scrolls sideways at {size}"


def tab_to(page, selector: str, back: bool = False) -> None:
    """Press Tab (Shift+Tab) until ``selector`` has the focus, as a keyboard user does."""
    for _ in range(80):
        if page.locator(selector).evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{selector} never got the focus")


def pdf_text(context, url: str) -> tuple[str, pypdf.PdfReader]:
    response = context.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split()), reader


@pytest.fixture
def staff(browser):
    """A browser tab as the front desk has it (the audit's script allowed in)."""
    context = browser.new_context(viewport=SIZES["desktop"], bypass_csp=True)
    yield context, context.new_page()
    context.close()


def test_keyboard_only_booklet_for_a_named_patient_then_next_patient(staff, desk, samples,
                                                                     tmp_path):
    context, page = staff
    page.goto(desk + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the main content"
    look(page, tmp_path, "library")
    tab_to(page, "#q")
    page.keyboard.type("heart")
    with page.expect_navigation():
        page.keyboard.press("Enter")                        # Search: the whole form posted back
    assert page.evaluate("() => document.activeElement.id") == "articles"   # focus on results
    tab_to(page, "#a-eating-for-your-heart")
    page.keyboard.press("Space")
    tab_to(page, "#q", back=True)
    page.keyboard.press("Control+A")
    page.keyboard.type("sleeping")                      # a word form of "sleep"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#a-sleep-and-immunity").count() == 1
    assert "Selected (1)" in page.inner_text(".selected h2")   # kept across the search
    tab_to(page, "#a-sleep-and-immunity")
    page.keyboard.press("Space")
    tab_to(page, "#booklet")
    page.keyboard.press("Space")
    assert page.locator(".paper").is_hidden()           # a booklet has its own paper
    tab_to(page, "#for_name")
    page.keyboard.type("Keyboard Patient")
    tab_to(page, "#create")
    page.keyboard.press("Enter")
    page.wait_for_url("**/leaflets/*", timeout=120_000)
    words = " ".join(page.inner_text("main").split())
    assert "double-sided" in words and "flip on the short edge" in words and "fold" in words
    assert "Keyboard Patient" not in page.content()
    look(page, tmp_path, "result")
    text, reader = pdf_text(context, desk + page.get_attribute("#open-pdf", "href"))
    heart, sleep = (" ".join(samples[s].article.title.split())
                    for s in ("eating-for-your-heart", "sleep-and-immunity"))
    assert "Keyboard Patient" in text
    assert text.index(heart) < text.index(sleep)         # in the order picked
    sheet = reader.pages[0].mediabox
    assert (round(float(sheet.width)), round(float(sheet.height))) == (842, 595)
    tab_to(page, "#next-patient")
    page.keyboard.press("Enter")
    page.wait_for_url(desk + "/")
    assert page.input_value("#for_name") == "" and "Keyboard Patient" not in page.content()
    page.go_back()                                      # the result: forgotten, no name
    assert "Keyboard Patient" not in page.content()
    assert page.context.request.get(desk + "/").ok


def test_a_problem_shows_on_the_form_with_every_choice_kept(staff, desk, tmp_path):
    _context, page = staff
    page.goto(desk + "/")
    status = page.locator("#a-walking-for-health").get_attribute("aria-describedby")
    assert "Review overdue" in page.inner_text(f"#{status}")     # read with the checkbox
    assert page.locator("#a-walking-for-health ~ .overdue-offer").is_hidden()
    page.check("#a-walking-for-health")
    assert page.locator("#a-walking-for-health ~ .overdue-offer").is_visible()
    page.check("#a-sleep-and-immunity")
    page.check("#large_print")
    page.fill("#for_name", "Form Patient")
    page.fill("#note", "Rest well\nand drink water")             # a line break: a space
    assert page.input_value("#note") == "Rest well and drink water"
    assert page.inner_text("#note-count").startswith("25 of 200 characters")
    with page.expect_navigation():
        page.click("#create")
    assert len(page.context.pages) == 1                  # no new tab for an error
    problems = page.inner_text("#problems")
    assert "past its clinical review" in problems and "Print articles past their review date" \
        in problems and "Bad Request" not in problems and "--" not in problems
    assert page.evaluate("() => document.activeElement.id") == "problems"
    assert page.input_value("#for_name") == "Form Patient"
    assert page.is_checked("#a-walking-for-health") and page.is_checked("#large_print")
    assert page.is_checked("#a-sleep-and-immunity")
    look(page, tmp_path, "problems")


def test_the_button_says_it_is_working_and_a_double_click_makes_one_leaflet(staff, desk):
    _context, page = staff
    page.goto(desk + "/")
    page.check("#a-winter-skin-eczema")
    # count the submissions the page lets through, and keep the page where it is (as
    # during a long render) so what staff see meanwhile can be read
    page.evaluate("""() => { window.sent = 0; document.getElementById('leaflet')
        .addEventListener('submit', e => { if (!e.defaultPrevented) window.sent += 1;
                                           e.preventDefault(); }); }""")
    page.dblclick("#create")
    assert page.evaluate("() => window.sent") == 1       # one leaflet, not two
    assert page.inner_text("#create") == "Making your leaflet…"
    assert page.locator("#create").is_disabled()
    assert "Making your leaflet" in page.inner_text("#busy")


def test_the_focus_ring_shows_against_the_button_and_the_page(staff, desk):
    _context, page = staff
    page.goto(desk + "/")
    tab_to(page, "#create")
    style = page.locator("#create").evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineWidth, s.outlineColor,"
        " s.outlineStyle, s.outlineOffset, getComputedStyle(el.parentElement.closest("
        "'section')).backgroundColor]; }")
    width, ring, line, offset, around = style
    assert float(width.removesuffix("px")) >= 3 and line == "solid"
    # the ring stands apart from the button's fill, on what is around it
    assert float(offset.removesuffix("px")) >= 2 and contrast(ring, around) >= 3


def contrast(one: str, two: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (transparent: white)."""
    def luminance(colour: str) -> float:
        values = [float(v) for v in colour[colour.index("(") + 1:-1].split(",")]
        if len(values) == 4 and values[3] == 0:
            values = [255, 255, 255]
        channels = [v / 255 for v in values[:3]]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_preview_is_part_of_the_leaflet_flow(staff, desk, tmp_path):
    _context, page = staff
    page.goto(desk + "/")
    page.check("#a-sleep-and-immunity")
    page.fill("#q", "heart")
    with page.expect_navigation():
        page.click("button:text-is('Search')")
    with page.expect_navigation():
        page.click("a.preview[href^='/articles/eating-for-your-heart']")
    assert "Reviewed" in page.inner_text("main")
    look(page, tmp_path, "preview")
    with page.expect_navigation():
        page.click("a:text-is('Add to leaflet')")
    assert page.inner_text(".selected h2") == "Selected (2)"
    assert page.locator(".selected li").all_inner_texts()[0].startswith("Sleep")
    with page.expect_navigation():
        page.click(".selected li >> nth=0 >> button")       # Remove
    assert page.inner_text(".selected h2") == "Selected (1)"


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


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_enter_makes_the_leaflet_never_a_search_and_searches_from_the_search_box(
        browser, desk, script):
    """Enter presses the form's default button, "Create leaflet" (HTML's implicit
    submission), with or without script; in the search box, Enter searches (with the
    project's search words: "tummy" finds the fibre guide)."""
    context = browser.new_context(viewport=SIZES["desktop"], java_script_enabled=script)
    page = context.new_page()
    page.goto(desk + "/")
    page.fill("#q", "tummy")
    with page.expect_navigation():
        page.press("#q", "Enter")
    assert page.locator(".articles li").count() == 1
    assert page.locator("#a-fibre-everyday-guide").count() == 1
    assert page.locator("#problems").count() == 0
    page.fill("#for_name", "Enter Patient")
    with page.expect_navigation():
        page.press("#for_name", "Enter")                    # nothing ticked: the form says so
    assert "Choose at least one article." in page.inner_text("#problems")
    assert page.input_value("#for_name") == "Enter Patient"
    page.fill("#q", "sleeping")                            # typed, then Enter in the name
    with page.expect_navigation():
        page.press("#for_name", "Enter")
    if script:    # the form says what is missing for the leaflet, the search box as typed
        assert "Choose at least one article." in page.inner_text("#problems")
    else:         # without script the desk cannot tell the two apart: new words search
        assert page.locator("#a-sleep-and-immunity").count() == 1
    assert page.input_value("#q") == "sleeping"
    context.close()


def test_staff_choose_the_language_an_article_prints_in(staff, desk, tmp_path):
    """Each article shows its reading grade and languages; "Print in" picks its
    translation, and the choice is what the desk checks and keeps."""
    _context, page = staff
    page.goto(desk + "/")
    meta = page.inner_text("#a-walking-for-health ~ .meta")
    assert "English · reading grade" in meta
    choice = page.locator("#lang-walking-for-health")
    assert choice.locator("option").all_inner_texts() == ["English (this one)", "Arabic",
                                                          "Polish"]
    assert page.locator("#lang-sleep-and-immunity").count() == 0    # no translations
    title, offer = (page.locator(selector).bounding_box() for selector in (
        "label[for=a-walking-for-health]", "label[for=lang-walking-for-health]"))
    assert abs(offer["x"] - title["x"]) < 2 and title["width"] > 400    # under the title
    page.check("#a-walking-for-health")
    choice.select_option(label="Polish")
    with page.expect_navigation():
        page.click("#create")
    problems = page.inner_text("#problems")
    assert "“Spacer dla zdrowia: niedoceniany codzienny ruch” is past its" in problems
    assert "Walking for Health" not in problems
    assert page.locator("#lang-walking-for-health").input_value() == "pl"
    look(page, tmp_path, "languages")


WALK = "Walk for twenty minutes every day; drink water; rest. " * 4
WIDE = "Wm " * 70


@pytest.mark.parametrize(("large_print", "note", "said"), [
    (False, WALK[:200], "fits"),         # the longest note, in its designed sizes
    (False, WIDE[:200], "no"),
    (True, WALK[:185], "smaller"),       # large print: a step smaller, still 16 pt
    (True, WIDE[:200], "no"),
], ids=["fits", "too-wide", "large-print-smaller", "large-print-too-wide"])
def test_the_form_says_before_submitting_whether_the_name_and_note_fit(
        staff, desk, sample_pipeline, large_print, note, said):
    """The estimate (the layer set in the browser at the box's width, desk.js) against the
    leaflet's own fit check (leaflet/personal.py) on the same box: it never says "fits" where the
    render refuses, and says "will not fit" where it does."""
    from printjournal import styles
    from printjournal.leaflet.personal import Box, DoesNotFitError, render_layer

    _context, page = staff
    page.goto(desk + "/")
    if large_print:
        page.check("#large_print")
    name = "Maximiliana Featherstonehaugh"
    page.fill("#for_name", name)
    page.fill("#note", note)
    fit = page.locator("#fit")
    fit.locator("xpath=self::*[@data-verdict]").wait_for(timeout=60_000)  # boxes measured
    assert fit.get_attribute("data-verdict") == said
    assert fit.inner_text() == {
        "fits": "Fits in the box on the front.",
        "smaller": "Fits in the box on the front in smaller type.",
        "no": "Will not fit in the box on the front, even in smaller type: shorten the note "
              "(or the name)."}[said]
    query = "?paper=A4" + ("&style=large-print" if large_print else "")
    boxes = page.context.request.get(desk + "/fit.json" + query).json()

    def layer() -> bytes:
        return render_layer(sample_pipeline, name, note.strip(), "en-GB", Box(*boxes["note"]),
                            styles.style("large-print" if large_print else "standard"))

    if said == "no":
        with pytest.raises(DoesNotFitError):
            layer()
    else:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(layer())) as document:
            sizes = {round(c["size"]) for c in document.pages[0].chars}
        assert (max(sizes) == (20 if large_print else 14)) == (said == "fits")
