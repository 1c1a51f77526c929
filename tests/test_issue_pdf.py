"""The sample issue as its readers and the print shop see it: pages, numbers, links, tags."""

from __future__ import annotations

import re
import subprocess

import pypdf
import pytest

from printjournal.issue import manifest
from printjournal.load import config

from .conftest import REPO
from .issueread import contents_number, issue_pages, squash, start_page
from .pdfread import fonts, outline, structure_check
from .tagread import note_problems, read_tags
from .test_accessibility import vera  # noqa: F401 (the veraPDF fixture)

MM = 72 / 25.4


@pytest.fixture(scope="module")
def issue_manifest() -> manifest.Manifest:
    project = config.load_project(REPO)
    return manifest.load_manifest(REPO / "content" / "issues" / "winter-2026.yaml", project)


@pytest.fixture(scope="module")
def starts(sample_issue, issue_manifest) -> dict[str, int]:
    """Article slug → the page it starts on, found by its title in the page text."""
    pages = issue_pages(sample_issue.pdf)
    return {a.slug: start_page(pages, a.title, after=3).number
            for a in issue_manifest.articles}


def test_contents_numbers_are_the_printed_folios_of_article_openings(sample_issue,
                                                                     issue_manifest, starts):
    pages = issue_pages(sample_issue.pdf)
    contents = next(p for p in pages if p.body.lstrip().startswith("Contents"))
    assert contents.number == 3
    for article in issue_manifest.articles:
        opening = pages[starts[article.slug] - 1]
        assert contents_number(contents.body, article.title) == opening.folio, article.slug
    letter = start_page(pages, issue_manifest.editorial.title)
    assert contents_number(contents.body, issue_manifest.editorial.title) == letter.folio == 2


def test_every_article_opens_on_a_right_hand_odd_page(sample_issue, starts):
    pages = issue_pages(sample_issue.pdf)
    for slug, number in starts.items():
        assert number % 2 == 1, slug
        assert pages[number - 1].folio_side == "right", slug


def test_folios_are_continuous_on_the_outer_corners(sample_issue):
    pages = issue_pages(sample_issue.pdf)
    numbered = [p for p in pages if p.folio is not None]
    assert [p.number for p in numbered] == list(range(2, len(pages))), \
        "every page but the covers carries its number"
    for page in numbered:
        assert page.folio == page.number
        assert page.folio_side == ("right" if page.number % 2 else "left"), page.number
    assert pages[0].folio is None and pages[-1].folio is None


def test_page_labels_equal_the_printed_folios(sample_issue):
    reader = pypdf.PdfReader(sample_issue.pdf)
    pages = issue_pages(sample_issue.pdf)
    assert len(reader.page_labels) == len(pages)
    for label, page in zip(reader.page_labels, pages, strict=True):
        assert label == str(page.number)
        if page.folio is not None:
            assert label == str(page.folio)


def test_running_headers_left_journal_and_issue_right_section_and_title(
        sample_issue, issue_manifest, starts):
    pages = issue_pages(sample_issue.pdf)
    for article in issue_manifest.articles:
        first = starts[article.slug]
        end = min([s for s in starts.values() if s > first] + [len(pages)])
        for page in pages[first:end - 1]:
            if not page.body.strip() or page.header == "":
                continue  # a notes or advert page between articles has no header
            if page.number % 2 == 0:
                assert page.header == "CUREON JOURNAL · WINTER 2026", page.number
            else:
                assert page.header.startswith(f"{article.section.upper()} · "), page.number
                assert squash(page.header).split(" · ", 1)[1].rstrip("…")[:20] \
                    == article.running_title.upper()[:20]
        assert pages[first - 1].header == "", "an article's opening page has no header"


def test_each_article_keeps_its_disclaimer_footnotes_and_sources(sample_issue,
                                                                 issue_manifest, starts):
    pages = issue_pages(sample_issue.pdf)
    ordered = sorted(starts.items(), key=lambda item: item[1])
    for (slug, first), following in zip(ordered, [*ordered[1:], (None, len(pages))],
                                        strict=True):
        article = next(a for a in issue_manifest.articles if a.slug == slug)
        own = [p for p in pages[first - 1:following[1] - 1]
               if "Notes" not in p.body[:40] and "JOURNAL ONLINE" not in p.body
               and "HOW WE WRITE" not in p.body]
        disclaimer = config.load_project(REPO).journal.disclaimer_for(article.lang)
        for page in own:
            assert squash(disclaimer) in squash(page.footer), (slug, page.number)
        text = squash(" ".join(p.body for p in own))
        assert ("Sources" if article.lang.startswith("en") else "Quellen") in text
        for source in article.sources:
            assert squash(source.text)[:30] in text, (slug, source.id)


def test_links_within_the_issue_jump_and_print_the_page(sample_issue, starts):
    reader = pypdf.PdfReader(sample_issue.pdf)
    pages = issue_pages(sample_issue.pdf)
    dests = {name: reader.get_page_number(d.page) + 1
             for name, d in reader.named_destinations.items()}
    opening_pages = set(starts.values())
    jumps = 0
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/GoTo" \
                    and str(action["/D"]) in starts:
                assert dests[str(action["/D"])] == starts[str(action["/D"])]
                jumps += 1
    assert jumps >= 20
    printed = [int(n) for p in pages[4:] for n in re.findall(r"\((?:p|S)\.\s(\d+)\)", p.body)]
    assert len(printed) >= 15
    assert set(printed) <= opening_pages, set(printed) - opening_pages
    german = pages[starts["impfschutz-erwachsene"] - 1:starts["eating-for-your-heart"] - 1]
    assert f"(S. {starts['winter-viruses-colds-flu']})" in " ".join(p.body for p in german)


def test_links_to_articles_outside_the_issue_print_the_web_address(sample_issue):
    reader = pypdf.PdfReader(sample_issue.pdf)
    uris = [str(a.get_object()["/A"]["/URI"]) for page in reader.pages
            for a in page.get("/Annots", []) or [] if "/A" in a.get_object()
            and a.get_object()["/A"].get("/S") == "/URI"]
    assert "https://cureon.example/journal/walking-for-health" in uris
    assert not [u for u in uris if "printjournal.invalid" in u]
    text = " ".join(p.body for p in issue_pages(sample_issue.pdf))
    # an address breaks after / or before . - (breaks.py): the lines joined up
    assert "cureon.example/journal/walking-for-health" in "".join(text.split())


def test_contents_lines_are_links_to_their_articles(sample_issue, starts):
    reader = pypdf.PdfReader(sample_issue.pdf)
    dests = {name: reader.get_page_number(d.page) + 1
             for name, d in reader.named_destinations.items()}
    targets = []
    for annotation in reader.pages[2].get("/Annots", []):
        action = annotation.get_object()["/A"]
        assert action["/S"] == "/GoTo"
        targets.append(str(action["/D"]))
    assert set(targets) == {*starts, "letter"}
    for slug, page in starts.items():
        assert dests[slug] == page
    assert dests["letter"] == 2


def test_bookmarks_cover_letter_contents_then_articles_with_headings(sample_issue,
                                                                     issue_manifest, starts):
    reader = pypdf.PdfReader(sample_issue.pdf)
    items = outline(reader)
    top = [(title, page) for depth, title, page in items if depth == 0]
    assert top[:3] == [("Cover", 1), ("Editor’s letter", 2), ("Contents", 3)]
    assert top[3:] == [(a.title, starts[a.slug]) for a in issue_manifest.articles]
    ends = [*sorted(starts.values())[1:], len(reader.pages)]
    for article in issue_manifest.articles:
        first = starts[article.slug]
        end = next(e for e in ends if e > first)
        index = [t for _, t, _ in items].index(article.title)
        nested = []
        for depth, title, page in items[index + 1:]:
            if depth == 0:
                break
            nested.append(title)
            assert first <= page < end, (article.slug, title, page)
        assert len(nested) >= 4, article.slug


def test_metadata_title_date_language(sample_issue):
    reader = pypdf.PdfReader(sample_issue.pdf)
    assert reader.metadata.title == "Cureon Journal — Winter 2026"
    assert reader.metadata.creation_date.date().isoformat() == "2026-12-01"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert bool(root["/MarkInfo"]["/Marked"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "Cureon Journal — Winter 2026</rdf:li>" in xmp
    assert reader.xmp_metadata.dc_title == {"x-default": "Cureon Journal — Winter 2026"}


def test_each_edition_declares_the_pdf_version_of_its_standard(sample_issue,
                                                               sample_print_issue):
    """PDF/UA-1 is built on PDF 1.7, PDF/X-4 on PDF 1.6: the digital edition (for readers)
    says 1.7 and claims PDF/UA-1; the print edition (for the press) says 1.6 and claims
    PDF/X-4 only."""
    assert sample_issue.pdf.read_bytes()[:9] == b"%PDF-1.7\n"
    assert sample_print_issue.pdf.read_bytes()[:9] == b"%PDF-1.6\n"
    for issue, claims_ua in ((sample_issue, True), (sample_print_issue, False)):
        xmp = pypdf.PdfReader(issue.pdf).trailer["/Root"]["/Metadata"].get_object().get_data()
        assert (b"pdfuaid:part" in xmp) is claims_ua, issue.edition


def test_one_structure_tree_over_the_parts(sample_issue, issue_manifest):
    reader = pypdf.PdfReader(sample_issue.pdf)
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    document = tree["/K"].get_object()
    assert document["/S"] == "/Document"
    parts = [k.get_object() for k in document["/K"]]
    assert all(p["/S"] == "/Part" for p in parts)
    titles = [str(p["/T"]) for p in parts]
    for article in issue_manifest.articles:
        assert article.title in titles
    german = next(p for p in parts if str(p["/T"]).startswith("Impfschutz"))
    assert german["/Lang"] == "de-DE"
    keys = [reader.pages[i]["/StructParents"] for i in range(len(reader.pages))]
    assert keys == list(range(len(reader.pages)))
    assert int(tree["/ParentTreeNextKey"]) > len(reader.pages)


def test_tags_point_at_their_own_pages(sample_issue, sample_print_issue):
    for built in (sample_issue, sample_print_issue):
        assert structure_check(pypdf.PdfReader(built.pdf)) == []


def test_table_header_ids_are_unique_and_resolve(sample_issue):
    reader = pypdf.PdfReader(sample_issue.pdf)
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    names = tree["/IDTree"]["/Names"]
    ids = [str(names[i]) for i in range(0, len(names), 2)]
    assert len(ids) == len(set(ids)) > 20
    known = set(ids)
    for i in range(1, len(names), 2):
        assert names[i].get_object()["/S"] in ("/TH", "/Note")   # roles.py: notes have IDs

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        attributes = node.get("/A")
        if isinstance(attributes, dict) and "/Headers" in attributes:
            assert set(map(str, attributes["/Headers"])) <= known
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if kid is not None and not isinstance(kid, int):
                walk(kid)

    walk(tree["/K"])


def test_the_digital_edition_passes_verapdf_ua1(vera, sample_issue):  # noqa: F811
    result = subprocess.run([vera, "ua1", str(sample_issue.pdf)], capture_output=True,
                            text=True, timeout=600)
    assert "compliant=true" in result.stdout, result.stdout
    assert result.returncode == 0


def test_footnotes_stay_notes_with_unique_ids_in_the_issue(sample_issue):
    """The merged tree: every footnote a Note, its ID prefixed by its part, unique, in
    the IDTree, on the page of its source's first call in that part."""
    tags = read_tags(sample_issue.pdf)
    assert len(tags.notes) >= 20
    assert all(re.fullmatch(r"[^/]+/note-\d+", note.id) for note in tags.notes), tags.notes
    assert len({note.part for note in tags.notes}) >= 3
    assert note_problems(sample_issue.pdf, tags, read_text=False) == []
    assert {"/Em": "/Span", "/Strong": "/Span"}.items() <= tags.role_map.items()


def test_only_bundled_fonts_all_embedded(sample_issue):
    found = fonts(pypdf.PdfReader(sample_issue.pdf))
    assert found and all(found.values())
    assert all(name.startswith(("Charis", "Inter")) for name in found), found


def test_no_blank_pages(sample_issue, sample_print_issue):
    for built in (sample_issue, sample_print_issue):
        for page in issue_pages(built.pdf):
            assert len(page.body.split()) >= 5, (built.edition, page.number)


def test_print_edition_trim_bleed_and_a_multiple_of_four_pages(sample_print_issue,
                                                               sample_issue):
    reader = pypdf.PdfReader(sample_print_issue.pdf)
    assert len(reader.pages) % 4 == 0
    assert len(reader.pages) >= len(pypdf.PdfReader(sample_issue.pdf).pages)
    for page in reader.pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert (round(trim.width / MM), round(trim.height / MM)) == (210, 297)
        for inner, outer in ((trim.left, bleed.left), (trim.bottom, bleed.bottom)):
            assert float(inner) - float(outer) == pytest.approx(3 * MM, abs=0.01)
        for inner, outer in ((bleed.right, trim.right), (bleed.top, trim.top)):
            assert float(inner) - float(outer) == pytest.approx(3 * MM, abs=0.01)
        assert media.left < bleed.left and media.top > bleed.top, "room for crop marks"


def test_print_padding_is_deliberate_pages_at_the_end(sample_print_issue, sample_issue):
    digital = issue_pages(sample_issue.pdf)
    printed = issue_pages(sample_print_issue.pdf)
    extra = len(printed) - len(digital)
    assert 0 <= extra <= 3
    for a, b in zip(digital[:-1], printed, strict=False):
        assert a.folio == b.folio and squash(a.body)[:60] == squash(b.body)[:60]
    for page in printed[len(digital) - 1:-1]:
        assert re.search(r"Notes|JOURNAL ONLINE|HOW WE WRITE", page.body), page.number
    assert squash(printed[-1].body).startswith("About the Cureon Journal")


def test_the_cover_image_runs_into_the_bleed_and_no_further(sample_print_issue):
    import pypdfium2 as pdfium

    reader = pypdf.PdfReader(sample_print_issue.pdf)
    media, trim = reader.pages[0].mediabox, reader.pages[0].trimbox
    scale = 4                                     # 288 dpi
    image = pdfium.PdfDocument(sample_print_issue.pdf)[0].render(scale=scale).to_pil()
    image = image.convert("RGB")
    y = (float(media.top) - float(trim.top) + 40 * MM) * scale    # in the night sky
    trim_left = (float(trim.left) - float(media.left)) * scale

    def pixel(mm_outside: float) -> tuple[int, int, int]:
        return image.getpixel((int(trim_left - mm_outside * MM * scale), int(y)))

    assert sum(pixel(-2)) < 300, "the sky inside the page is dark"
    assert sum(pixel(1.5)) < 300, "and runs on into the 3 mm bleed"
    assert sum(pixel(6)) > 740, "the slug beyond the bleed is white paper"


def test_print_edition_has_page_references_but_no_live_links(sample_print_issue):
    reader = pypdf.PdfReader(sample_print_issue.pdf)
    assert not [n for n, page in enumerate(reader.pages) if page.get("/Annots")]
    text = " ".join(p.body for p in issue_pages(sample_print_issue.pdf))
    assert len(re.findall(r"\((?:p|S)\.\s\d+\)", text)) >= 15
