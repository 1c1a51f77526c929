"""Patient leaflets as staff hand them over: every page, stamp, QR code and privacy promise.

The leaflets are rendered once per session (the date printed is fixed: 21 November 2026,
when walking-for-health is past its review date and winter-skin-eczema has no review).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import pypdfium2
import pytest
import zxingcpp

from printjournal import cache
from printjournal.errors import ReviewError
from printjournal.leaflet import build as leaflet
from printjournal.pdf import booklet
from printjournal.pipeline import Pipeline

from . import makeup
from .conftest import LEAFLET_DAY, LEAFLET_PERSONAL, SAMPLE_LEAFLETS
from .pdfread import MM, destination_pages, fonts, link_pages, outline, pages, structure_check
from .tagread import note_problems, read_tags
from .test_accessibility import vera  # noqa: F401 (the veraPDF fixture)
from .typeread import median_full_line, smallest_glyph, text_lines

TODAY = LEAFLET_DAY
PATIENT, NOTE = LEAFLET_PERSONAL
BUNDLED = {"Charis-SIL", "Charis-SIL-Italic", "Charis-SIL-Bold", "Charis-SIL-Bold-Italic",
           "Inter", "Inter-Italic", "Inter-Semi-Bold", "Inter-Bold"}


@dataclass(frozen=True)
class Made:
    request: leaflet.LeafletRequest
    result: leaflet.Leaflet
    pdf: Path
    cache: Path           # the render cache it was made with


@pytest.fixture(scope="module")
def made(sample_leaflet, sample_pipeline: Pipeline, tmp_path_factory) -> dict[str, Made]:
    """The leaflets the tests read, each rendered once: conftest.SAMPLE_LEAFLETS (shared
    with other modules) and the booklet, made here into an empty render cache."""
    result = {name: Made(m.request, m.result, m.pdf, m.cache)
              for name in SAMPLE_LEAFLETS for m in [sample_leaflet(name)]}
    out = tmp_path_factory.mktemp("leaflets")
    request = leaflet.LeafletRequest(("sleep-and-immunity",), booklet=True)
    store = cache.RenderCache(out / "cache")
    booklet_made = leaflet.leaflet(sample_pipeline, request, TODAY,
                                   leaflet.Personal(PATIENT, NOTE), store)
    (out / "booklet.pdf").write_bytes(booklet_made.data)
    result["booklet"] = Made(request, booklet_made, out / "booklet.pdf", store.folder)
    return result


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[‐-]\n", "", text)).strip()


def _pages(m: Made):
    """Text per page, split at the leaflet's page margins (leaflet.css, leaflet.html)."""
    if m.request.style == "large-print":
        # the large sample is not clinically reviewed: every page is flagged, and a
        # flagged large-print page's top band is 50 mm (the flag above the stamp)
        return pages(m.pdf, top_mm=50, bottom_mm=40)
    if m.request.paper == "A5":
        return pages(m.pdf, top_mm=20, bottom_mm=25)
    return pages(m.pdf, top_mm=26, bottom_mm=27)


def _leaflets(made):
    return [m for name, m in made.items() if name != "booklet"]


def test_page_x_of_y_on_every_page_across_the_whole_leaflet(made):
    for m in _leaflets(made):
        texts = _pages(m)
        assert len(texts) == m.result.pages > 1
        for page in texts:
            assert f"Page {page.number} of {len(texts)}" in page.footer, (m.pdf.name, page)


def test_disclaimer_and_clinic_on_every_page(made, sample_project):
    for m in _leaflets(made):
        clinic = leaflet.find_clinic(sample_project, m.request.clinic)
        for page in _pages(m):
            footer = _words(page.footer)
            assert sample_project.journal.disclaimer in footer, (m.pdf.name, page.number)
            assert clinic.name in footer, (m.pdf.name, page.number)


def _article_pages(m: Made, sample_project) -> list[str]:
    """Which article each page belongs to, from the bookmarks of the articles' titles."""
    articles = leaflet.select_articles(sample_project, m.request.slugs)
    starts = {title: page for depth, title, page in outline(pypdf.PdfReader(m.pdf))
              if depth == 0}
    first_pages = [(starts[a.title], a.slug) for a in articles]
    return [max((start, slug) for start, slug in first_pages if start <= number)[1]
            for number in range(1, m.result.pages + 1)]


def test_governance_stamp_on_every_page(made, sample_project):
    m = made["two"]
    owners = _article_pages(m, sample_project)
    assert owners[0] == "sleep-and-immunity" and owners[-1] == "walking-for-health"
    for page, slug in zip(_pages(m), owners, strict=True):
        review = leaflet.select_articles(sample_project, [slug])[0].review
        header = _words(page.header)
        assert f"Version {review.version}" in header, (page.number, header)
        assert "Last reviewed" in header and "Next review" in header, header
        assert review.owner.split(",")[0] in header, header
        assert "Printed 21 November 2026" in header, header


def test_overdue_article_is_marked_on_every_one_of_its_pages(made, sample_project):
    m = made["two"]
    owners = _article_pages(m, sample_project)
    for page, slug in zip(_pages(m), owners, strict=True):
        marked = "Review overdue" in page.header
        assert marked == (slug == "walking-for-health"), (page.number, page.header)
    # and said in the text a screen reader reads, once, at the start of the article
    body = _words(" ".join(p.body for p in _pages(m)))
    assert body.count("The clinical review of this information is overdue") == 1


def test_unreviewed_article_says_so_on_every_page(made):
    for name in ("large", "a5"):
        for page in _pages(made[name]):
            assert "Not clinically reviewed" in page.header, (name, page.number, page.header)
            assert "Version" not in page.header


def test_overdue_article_is_refused_naming_it(sample_pipeline):
    request = leaflet.LeafletRequest(("sleep-and-immunity", "walking-for-health"))
    with pytest.raises(ReviewError) as caught:
        leaflet.leaflet(sample_pipeline, request, TODAY)
    [problem] = caught.value.problems
    assert problem.path == Path("content/articles/walking-for-health.md")
    assert problem.line == 13     # the next_review line of its front matter
    assert "Walking for Health" in problem.message and "2026-10-01" in problem.message
    assert "--allow-overdue" in problem.message
    # on the day before its review date it prints without a mark
    fresh = leaflet.leaflet(sample_pipeline, request, dt.date(2026, 9, 30))
    assert not any("Review overdue" in p for p in _page_texts(fresh.data))


def _page_texts(data: bytes) -> list[str]:
    import io
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_front_band_personal_box_and_closing_panel(made, sample_project):
    m = made["two"]
    texts = _pages(m)
    first, last = _words(texts[0].body), _words(texts[-1].body)
    clinic = leaflet.find_clinic(sample_project, None)
    for detail in (clinic.name, clinic.phone, clinic.address, clinic.email, clinic.hours):
        assert detail in first, detail
    assert PATIENT in first and "Prepared for:" in first
    assert NOTE in first and "Note from your clinician:" in first
    assert first.index(clinic.name) < first.index(PATIENT) < first.index("Sleep and the Immune")
    assert f"Questions? Call {clinic.phone}" in last
    for detail in (clinic.address, clinic.email, clinic.website):
        assert detail in last, detail


def _halves(pdf: Path, index: int) -> list[str]:
    """The text of the left and right half of a page and the whole, without white space."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[index]
        return [re.sub(r"\s", "", page.crop((x, 0, x + page.width / 2, page.height))
                       .extract_text() or "") for x in (0, page.width / 2)] + \
            [re.sub(r"\s", "", page.extract_text() or "")]


def _qr_codes(pdf: Path, page_index: int) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page_index].render(scale=200 / 72, grayscale=True).to_pil()
    finally:
        document.close()
    return sorted(code.text for code in zxingcpp.read_barcodes(image)
                  if code.format == zxingcpp.BarcodeFormat.QRCode)


def test_every_qr_code_decodes_to_its_articles_exact_url(made, sample_project):
    for name in ("two", "large", "a5", "letter"):
        m = made[name]
        articles = leaflet.select_articles(sample_project, m.request.slugs)
        codes = _qr_codes(m.pdf, m.result.pages - 1)
        assert codes == sorted(a.url for a in articles), (name, codes)
        # printed under it, so it can be typed in
        halves = _halves(m.pdf, m.result.pages - 1)
        for article in articles:
            assert any(article.url in half for half in halves), (name, article.url)


def test_footnotes_stand_on_the_page_of_their_first_citation(made, sample_project):
    checked = 0
    for m in _leaflets(made):
        reader = pypdf.PdfReader(m.pdf)
        texts = _pages(m)
        for number, slug in enumerate(m.request.slugs, start=1):
            article = leaflet.select_articles(sample_project, [slug])[0]
            # each article is a part of its own: its anchors are "<part>/a-..." (part 1, 2, ...)
            citations = link_pages(reader, f"{number}/a-source-")
            notes = destination_pages(reader, f"{number}/a-note-")
            for source in article.sources:
                key = str(source.number)
                if key not in citations:
                    continue
                assert notes[key] == min(citations[key]), (m.pdf.name, slug, key)
                assert _words(source.text)[:30] in _words(texts[notes[key] - 1].body)
                checked += 1
    assert checked > 15


def test_paper_sizes(made):
    sizes = {"two": (210, 297), "large": (210, 297), "a5": (148, 210), "letter": (215.9, 279.4)}
    for name, (width, height) in sizes.items():
        for page in pypdf.PdfReader(made[name].pdf).pages:
            assert abs(float(page.mediabox.width) - width * MM) < 1, name
            assert abs(float(page.mediabox.height) - height * MM) < 1, name


def test_large_print_body_text_is_16_pt_sans_or_more(made):
    """Measured from the glyphs: body text at 16 pt or more, in Inter, nothing small."""
    with pdfplumber.open(made["large"].pdf) as pdf:
        chars = []
        for page in pdf.pages:
            top, bottom = 34 * MM, page.height - 40 * MM
            chars += [c for c in page.chars if top < c["top"] < bottom and c["text"].strip()]
        words = [w for page in pdf.pages[:3] for w in page.extract_words(extra_attrs=["size"])]
    assert len(chars) > 5000
    assert all("Charis" not in c["fontname"] for c in chars)            # a clear sans
    assert min(c["size"] for c in chars) >= 15.99       # citation numbers too (UKAAF)
    body = [c for c in chars if c["size"] >= 15.95]
    assert len(body) > 0.6 * len(chars), (len(body), len(chars))       # most text is body
    opening = [w for w in words if w["text"] in ("feels", "tight,", "rough", "itchy")]
    assert len(opening) >= 4 and all(w["size"] >= 16 for w in opening), opening


def test_normal_print_is_smaller_so_the_large_print_test_can_fail(made):
    with pdfplumber.open(made["a5"].pdf) as pdf:
        sizes = [c["size"] for c in pdf.pages[1].chars if c["text"].strip()]
    assert max(set(sizes), key=sizes.count) <= 12     # body 12 pt, large print 16


def test_metadata_title_and_language(made, sample_project):
    for m in _leaflets(made):
        reader = pypdf.PdfReader(m.pdf)
        articles = leaflet.select_articles(sample_project, m.request.slugs)
        clinic = leaflet.find_clinic(sample_project, m.request.clinic)
        assert reader.metadata.title == leaflet.leaflet_title(articles, clinic) == m.result.title
        assert reader.trailer["/Root"]["/Lang"] == "en-GB"
        assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
        assert reader.metadata.creation_date.date() == TODAY
        assert "dc:title" in reader.xmp_metadata.stream.get_data().decode()


def test_only_bundled_fonts_all_embedded(made):
    for m in _leaflets(made):
        used = fonts(pypdf.PdfReader(m.pdf))
        assert set(used) <= BUNDLED, (m.pdf.name, set(used) - BUNDLED)
        assert all(used.values()), m.pdf.name


def test_tags_point_at_their_pages_with_the_personal_box_grafted_in(made):
    for m in _leaflets(made):
        assert structure_check(pypdf.PdfReader(m.pdf)) == [], m.pdf.name
    # the personal text is real, tagged content: its words come from marked content that a
    # structure element owns (structure_check), and the box's element now has kids
    reader = pypdf.PdfReader(made["two"].pdf)
    data = reader.pages[0].get_contents().get_data()
    assert len(set(re.findall(rb"/MCID\s+(\d+)", data))) == \
        len(re.findall(rb"/MCID\s+(\d+)", data))


def test_leaflets_pass_verapdf_ua1(vera, made):  # noqa: F811
    paths = [str(m.pdf) for m in _leaflets(made)]
    result = subprocess.run([vera, "ua1", *paths], capture_output=True, text=True, timeout=600)
    verdicts = re.findall(r"compliant=(\w+)", result.stdout)
    assert verdicts == ["true"] * len(paths), result.stdout + result.stderr


def test_the_footnotes_of_two_articles_are_notes_with_ids_of_their_own(made):
    """Both articles have a source 1: each Note has an ID unique in the leaflet."""
    tags = read_tags(made["two"].pdf)
    assert len(tags.notes) >= 8
    assert {"1/a-note-1", "2/a-note-1"} <= {note.id for note in tags.notes}
    assert note_problems(made["two"].pdf, tags) == []


# ---------- the booklet ----------

#: Sheet sides (front, back of the outer sheet first), as (left half, right half), worked
#: out by hand: nest the sheets, fold, and number the pages 1, 2, 3, ... as they are read.
FOLDING = {
    4: [(4, 1), (2, 3)],
    8: [(8, 1), (2, 7), (6, 3), (4, 5)],
    12: [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)],
    16: [(16, 1), (2, 15), (14, 3), (4, 13), (12, 5), (6, 11), (10, 7), (8, 9)],
    20: [(20, 1), (2, 19), (18, 3), (4, 17), (16, 5), (6, 15), (14, 7), (8, 13), (12, 9),
         (10, 11)],
}


@pytest.mark.parametrize("pages", [4, 8, 12, 20])
def test_booklet_sides_are_in_folding_order(pages):
    assert booklet.sides(pages) == FOLDING[pages]
    # a booklet one to three pages short of a multiple of four uses the same sheets
    assert booklet.sides(pages - 3) == booklet.sides(pages - 1) == FOLDING[pages]


def _printed_at(slot: int, pages: int) -> int | None:
    """The leaflet page at booklet position ``slot``: padding goes before the back cover."""
    padded = -(-pages // 4) * 4
    return pages if slot == padded else slot if slot < pages else None


def test_booklet_pages_land_on_the_right_half_of_the_right_side(made):
    m = made["booklet"]
    pages_count = m.result.pages
    sides = FOLDING[-(-pages_count // 4) * 4]
    assert pages_count > 4 and m.result.sheets == len(sides) // 2
    with pdfplumber.open(m.pdf) as pdf:
        assert len(pdf.pages) == len(sides)
        for sheet_side, (page, expected) in enumerate(zip(pdf.pages, sides, strict=True)):
            assert abs(page.width - 297 * MM) < 1 and abs(page.height - 210 * MM) < 1
            for half, slot in zip((0, 1), expected, strict=True):
                number = _printed_at(slot, pages_count)
                crop = page.crop((half * page.width / 2, 0, (half + 1) * page.width / 2,
                                  page.height))
                text = _words(crop.extract_text() or "")
                found = re.findall(r"Page (\d+) of (\d+)", text)
                if number is None:
                    assert text == "", (sheet_side, half, text)   # padding: a blank page
                else:
                    assert found == [(str(number), str(pages_count))], (sheet_side, half, found)
    # the front cover carries the clinic, the patient and the start of the article
    with pdfplumber.open(m.pdf) as pdf:
        front = pdf.pages[0]
        cover = _words(front.crop((front.width / 2, 0, front.width, front.height))
                       .extract_text())
    assert "Cureon Harbourside Clinic" in cover and PATIENT in cover
    # and the back cover the closing panel
    with pdfplumber.open(m.pdf) as pdf:
        back = _words(pdf.pages[0].crop((0, 0, pdf.pages[0].width / 2, pdf.pages[0].height))
                      .extract_text())
    assert "Questions? Call" in back and f"Page {pages_count} of {pages_count}" in back


def test_booklet_padding_goes_before_the_back_cover():
    assert [booklet.page_at(slot, 6) for slot in range(1, 9)] == [1, 2, 3, 4, 5, None, None, 6]
    assert [booklet.page_at(slot, 8) for slot in range(1, 9)] == list(range(1, 9))
    assert [booklet.page_at(slot, 17) for slot in range(1, 21)] == [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, None, None, None, 17]


def test_booklet_is_a_print_file_with_title_and_language(made):
    reader = pypdf.PdfReader(made["booklet"].pdf)
    assert reader.metadata.title == made["booklet"].result.title
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" not in reader.trailer["/Root"]   # claims no tagging


def test_every_leaflet_declares_pdf_1_7(made):
    """PDF/UA-1 is built on PDF 1.7 (with a personal layer too); the booklet imposes
    PDF 1.7 pages, so it says 1.7 as well."""
    for name, m in made.items():
        assert m.pdf.read_bytes()[:9] == b"%PDF-1.7\n", name


# ---------- speed: what the cache keeps ----------

def test_a_second_leaflet_is_reused_whatever_the_patient(sample_pipeline, tmp_path):
    store = cache.RenderCache(tmp_path / "cache")
    request = leaflet.LeafletRequest(("winter-skin-eczema",), paper="A5")
    first = leaflet.leaflet(sample_pipeline, request, TODAY, leaflet.Personal("Ann Example"),
                            store)
    kept = sorted((tmp_path / "cache").rglob("*.pdf"))   # its part, page numbers, the whole
    second = leaflet.leaflet(sample_pipeline, request, TODAY, leaflet.Personal("Bo Example"),
                             store)
    assert not first.reused and second.reused
    assert sorted((tmp_path / "cache").rglob("*.pdf")) == kept      # nothing new kept
    assert "Bo Example" in _page_texts(second.data)[0]
    assert "Ann Example" not in _page_texts(second.data)[0]


def test_cache_key_changes_with_what_shapes_the_leaflet(sample_pipeline, tmp_path):
    one = ("winter-skin-eczema",)
    variants = [
        (leaflet.LeafletRequest(one), TODAY),
        (leaflet.LeafletRequest(one, clinic="riverside"), TODAY),
        (leaflet.LeafletRequest(one, paper="Letter"), TODAY),
        (leaflet.LeafletRequest(one, style="large-print"), TODAY),
        (leaflet.LeafletRequest(one), dt.date(2026, 11, 22)),     # the date printed: a
        # leaflet of its own, its part reused (the date is stamped in at assembly)
        (leaflet.LeafletRequest(one), TODAY),                    # the same again: reused
    ]
    store = cache.RenderCache(tmp_path / "cache")
    reused, kept = [], []
    for request, day in variants:
        reused.append(leaflet.leaflet(sample_pipeline, request, day, None, store).reused)
        kept.append(len(list(store.folder.rglob("*.pdf"))))
    assert reused == [False] * 4 + [True, True]
    # each variant keeps a part and a leaflet of its own (and maybe page numbers); the
    # next day only a leaflet and the sheet its date is drawn on; the same again nothing
    grown = [b - a for a, b in itertools.pairwise(kept)]
    assert all(more >= 2 for more in grown[:3]) and grown[3:] == [2, 0], kept


# ---------- privacy: the patient's name only on the page ----------

def _all_stream_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    out = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompress(match[1]))
    return b"\n".join(out)


def test_the_patients_name_is_only_in_the_page_content(made, sample_pipeline, caplog,
                                                       tmp_path):
    m = made["two"]
    assert PATIENT in _words(_pages(m)[0].body)          # it is printed
    reader = pypdf.PdfReader(m.pdf)
    for key, value in (reader.metadata or {}).items():
        assert "Zebedee" not in str(value), key
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert "Zebedee" not in xmp and "Quartermaine" not in xmp
    assert "Zebedee" not in str(reader.named_destinations)
    assert "Zebedee" not in str(reader.outline)
    # not in any file the caches of the leaflets printed for the patient keep, nor in
    # their names
    for path in (p for one in made.values() for p in one.cache.rglob("*")):
        assert "Zebedee" not in path.name
        if path.is_file():
            assert b"Zebedee" not in _all_stream_bytes(path), path
            with pdfplumber.open(path) as pdf:
                text = " ".join(page.extract_text() or "" for page in pdf.pages)
            assert "Zebedee" not in text and "Walk for twenty" not in text, path
    # not in the log, at any level
    # (the printjournal logger's own level: a CLI run in this process may have raised it)
    store = cache.RenderCache(tmp_path / "cache")     # a copy: the shared one is only read
    shutil.copytree(m.cache, store.folder, dirs_exist_ok=True)
    with caplog.at_level(logging.DEBUG, logger="printjournal"):
        leaflet.leaflet(sample_pipeline, m.request, TODAY, leaflet.Personal(PATIENT, NOTE),
                        store)
    assert caplog.records
    assert all("Zebedee" not in r.getMessage() and "twenty" not in r.getMessage()
               for r in caplog.records)
    assert "Zebedee" not in repr(leaflet.Personal(PATIENT, NOTE))


# ---------- page make-up (issue 12): tests/makeup.py ----------


def test_no_leaflet_page_ends_with_a_heading_and_every_page_is_filled(made, sample_project):
    for name in ("a5", "large", "letter", "two"):
        m = made[name]
        sections = [a.section for a in leaflet.select_articles(sample_project, m.request.slugs)]
        read = makeup.read_pages(m.pdf)
        assert makeup.stranded_headings(m.pdf, sections, read) == [], name
        assert makeup.underfilled(m.pdf, read) == [], name


def test_the_governance_stamp_wraps_only_between_its_items(made, sample_project,
                                                          sample_pipeline):
    def squash(text: str) -> str:
        return re.sub(r"\s", "", text)

    for name in ("a5", "large", "two"):
        m = made[name]
        slugs = m.request.slugs
        owners = _article_pages(m, sample_project) if len(slugs) > 1 \
            else slugs * m.result.pages
        for page, slug in zip(_pages(m), owners, strict=True):
            article = leaflet.select_articles(sample_project, [slug])[0]
            date = sample_pipeline.layouts.labels(article.lang).date
            review = article.review
            items = [f"Version {review.version}", f"Last reviewed {date(review.reviewed)}",
                     f"Next review {date(review.next_review)}", f"Owner: {review.owner}"] \
                if review else ["Not clinically reviewed"]
            lines = [squash(line) for line in page.header.splitlines() if line.strip()]
            for item in [*items, "Printed 21 November 2026"]:   # each whole on a line
                assert any(squash(item) in line for line in lines), (name, page.number, lines)


def test_qr_captions_break_after_a_slash_only(made, sample_project):
    for name in ("large", "a5", "two"):
        m = made[name]
        with pdfplumber.open(m.pdf) as document:     # the page, and each half of it
            page = document.pages[m.result.pages - 1]
            texts = [page.crop(box).extract_text() or "" for box in (
                page.bbox, (0, 0, page.width / 2, page.height),
                (page.width / 2, 0, page.width, page.height))]
        for article in leaflet.select_articles(sample_project, m.request.slugs):
            pattern = r"\s*".join(re.escape(c) for c in article.url)
            printed = next(filter(None, (re.search(pattern, text) for text in texts)), None)
            assert printed, (name, article.url)
            for place in re.finditer(r"\s+", printed[0]):
                assert printed[0][place.start() - 1] == "/", (name, printed[0])


def test_a_booklets_back_cover_is_the_closing_panel_alone(made):
    m = made["booklet"]
    with pdfplumber.open(m.pdf) as pdf:
        page = pdf.pages[0]          # the outside: back cover on the left half
        back = page.crop((0, 0, page.width / 2, page.height))
        body = [line["text"] for line in back.extract_text_lines()
                if line["chars"][0].get("tag") != "Artifact"]
    assert body and body[0].startswith("Questions? Call"), body
    assert not any("Sources" in line or "About this information" in line for line in body)


def test_leaflet_measure_is_60_to_75_characters_on_every_paper(made):
    """A full line of running text: 12 pt Charis on A4, A5 and Letter, 16 pt Inter in
    large print (A4), each 60-75 characters (tests/typeread.py measures)."""
    medians = {name: median_full_line(text_lines(made[name].pdf, 12, ("Charis",)))
               for name in ("two", "a5", "letter")}
    medians["large"] = median_full_line(text_lines(made["large"].pdf, 16, ("Inter",),
                                                   top_mm=34, bottom_mm=40))
    assert all(60 <= m <= 75 for m in medians.values()), medians


def test_no_glyph_below_8_pt_in_any_leaflet(made):
    """Stamp, flag, disclaimer, clinic line, page numbers, footnotes, QR captions."""
    for name in ("two", "a5", "letter", "booklet"):
        sizes = smallest_glyph(made[name].pdf)
        assert all(size >= 8 for size, _ in sizes), (name, sizes)


def test_large_print_meets_ukaaf_on_every_page(made):
    """Every glyph on every page 16 pt or more, furniture included; no italics; no word
    split at a line end, by hyphenation or at a compound's own hyphen ("eczema-" /
    "prone": keep.py's compound spans); left aligned (lines end ragged, not flush)."""
    pdf = made["large"].pdf
    sizes = smallest_glyph(pdf)
    assert len(sizes) == pypdf.PdfReader(pdf).get_num_pages()
    assert all(size >= 16 for size, _ in sizes), sizes
    with pdfplumber.open(pdf) as document:
        fonts_used = {c["fontname"].split("+")[-1] for page in document.pages
                      for c in page.chars}
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert not [f for f in fonts_used if "Italic" in f], fonts_used
    assert not re.findall(r"\w[‐\u00ad]\n\w", text)   # no hyphen added by hyphenation
    assert not re.findall(r"\w-\n\w", text)            # nor a compound parted at its own
    assert "eczema-prone" in text                       # (the sample has one to part)
    full = [line for line in text_lines(pdf, 16, ("Inter",), top_mm=34, bottom_mm=40)
            if line.full]
    right = {line.page: max(x.x1 for x in full if x.page == line.page) for line in full}
    assert sum(right[line.page] - line.x1 > 5 * MM for line in full) > 0.3 * len(full)
