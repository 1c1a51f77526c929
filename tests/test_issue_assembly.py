"""Assembling parts: the tag check catches what a naive merge breaks; the Assembler refuses
what it cannot put together correctly."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import DictionaryObject, NameObject, NumberObject

from printjournal.errors import LayoutError
from printjournal.pdf import assemble, folios
from printjournal.pdf.assemble import Assembler, AssemblyError, Metadata, Part

from .pdfread import structure_check

META = Metadata(title="T", author="A", subject="S", lang="en-GB", date=dt.date(2026, 1, 1))


def problems_of(writer: pypdf.PdfWriter) -> list[str]:
    """What the tag check says about what ``writer`` made."""
    out = io.BytesIO()
    writer.write(out)
    return structure_check(pypdf.PdfReader(out))


def two_articles(samples):
    pdfs = sorted(samples.values(), key=lambda s: s.article.slug)
    return pdfs[0].pdf, pdfs[1].pdf


def test_the_check_catches_pypdfs_own_append(samples):
    """pypdf's append drops /StructParents: content no tag reaches."""
    first, second = two_articles(samples)
    writer = pypdf.PdfWriter(clone_from=first)
    writer.append(second)
    assert any("marked content but no /StructParents" in p for p in problems_of(writer))


def test_the_check_catches_a_merge_that_keeps_each_pages_key(samples):
    """Keys kept as they were: the second article's pages read the first one's tags."""
    first, second = two_articles(samples)
    writer = pypdf.PdfWriter(clone_from=first)
    for page in pypdf.PdfReader(second).pages:
        copy = writer.add_page(page)
        copy[NameObject("/StructParents")] = page["/StructParents"]
    problems = problems_of(writer)
    assert any("StructParents 0 also on page 1" in p for p in problems)
    assert any("claimed by 0 elements" in p for p in problems)


def test_the_check_catches_annotation_keys_left_as_they_were(sample_issue):
    """Page keys renumbered but annotation keys not: links point into pages' entries."""
    writer = pypdf.PdfWriter(clone_from=sample_issue.pdf)
    for page in writer.pages[10:14]:
        for number, annotation in enumerate(page.get("/Annots", []) or []):
            annotation.get_object()[NameObject("/StructParent")] = NumberObject(number)
    problems = problems_of(writer)
    assert any("annotation StructParent 0 also on page 1" in p for p in problems)
    assert any("ParentTree disagrees for annotation" in p for p in problems)


def test_the_check_catches_pages_reading_their_neighbours_tags(sample_issue):
    writer = pypdf.PdfWriter(clone_from=sample_issue.pdf)
    keys = [writer.pages[i]["/StructParents"] for i in range(10, 14)]
    for page, key in zip(writer.pages[10:14], [*keys[1:], keys[0]], strict=True):
        page[NameObject("/StructParents")] = NumberObject(key)
    assert any("ParentTree disagrees" in p for p in problems_of(writer))


def test_citations_stay_inside_their_own_article(sample_issue):
    """Every article has a 'source-1': after assembly each link reaches its own."""
    reader = pypdf.PdfReader(sample_issue.pdf)
    dests = {name: reader.get_page_number(d.page) for name, d in
             reader.named_destinations.items()}
    parts = sorted({name.split("/")[0] for name in dests if "/" in name})
    assert len([p for p in parts if p.startswith("article:")]) == 9
    # each part starts on its outline entry's page, the last opening before its first
    # destination (its first heading may be on its second page: 12 pt type since today)
    opens = [reader.get_destination_page_number(entry) for entry in reader.outline
             if not isinstance(entry, list)]
    starts = sorted((max(o for o in opens if o <= min(page for name, page in dests.items()
                                                      if name.startswith(part + "/"))), part)
                    for part in parts)
    checked = 0
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []) or []:
            dest = annotation.get_object().get("/Dest")
            if isinstance(dest, str) and "/source-" in dest:
                part = dest.split("/")[0]
                first = next(p for p, n in starts if n == part)
                later = [p for p, n in starts if p > first]
                assert first <= dests[dest] < (later[0] if later else len(reader.pages))
                assert first <= index, (dest, index)
                checked += 1
    assert checked >= 50


@pytest.fixture(scope="module")
def tiny_part(sample_pipeline):
    """A one-page tagged part with a folio slot."""
    def render(body: str, css: str = "") -> bytes:
        html = (f'<html lang="en-GB"><head><title>t</title><style>@page {{ size: A6; '
                f'@bottom-right {{ content: counter(page) }} }} {css}</style></head>'
                f'<body>{body}</body></html>')
        return sample_pipeline.renderer.pdf(html, Path("t"), finisher=folios.mark_slots).data
    render.renderer = sample_pipeline.renderer
    return render


def test_an_untagged_part_is_refused(tiny_part):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(AssemblyError, match="not tagged"):
        Assembler(META).add(Part("x", out.getvalue(), "x", "en-GB"))


def test_a_link_to_a_part_not_in_the_issue_is_refused(tiny_part):
    data = tiny_part(f'<p><a href="{assemble.goto("ghost")}">a ghost</a></p>')
    assembler = Assembler(META)
    assembler.add(Part("one", data, "One", "en-GB", target="one"))
    with pytest.raises(AssemblyError, match="links to 'ghost', which is not in the issue"):
        assembler.write(["one"], None)


def test_a_page_reference_to_a_part_not_in_the_issue_is_refused(tiny_part):
    data = tiny_part('<p>See p. <span data-page-ref="ghost">8</span>.</p>')
    assembler = Assembler(META)
    assembler.add(Part("one", data, "One", "en-GB"))
    with pytest.raises(AssemblyError, match="refers to 'ghost', which is not in the issue"):
        assembler.numbers(["one"])


def test_a_page_number_wider_than_its_placeholder_is_refused(tiny_part):
    """Never print '12' where the layout made room for one digit."""
    data = tiny_part('<p>See p. <span data-page-ref="far">8</span>.</p>')
    assembler = Assembler(META)
    assembler.add(Part("one", data, "One", "en-GB"))
    for n in range(2, 13):
        assembler.add(Part(f"filler{n}", tiny_part("<p>filler</p>"), "F", "en-GB"))
    assembler.add(Part("far", tiny_part("<p>far away</p>"), "Far", "en-GB", target="far"))
    order = ["one", *(f"filler{n}" for n in range(2, 13)), "far"]
    with pytest.raises(AssemblyError, match="page number of 'far' \\(13\\) does not fit"):
        assembler.numbers(order)


def test_role_maps_that_disagree_are_refused(tiny_part):
    def with_role_map(data: bytes, target: str) -> bytes:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
        tree = writer.root_object["/StructTreeRoot"].get_object()
        tree[NameObject("/RoleMap")] = DictionaryObject(
            {NameObject("/Callout"): NameObject(target)})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assembler = Assembler(META)
    assembler.add(Part("a", with_role_map(tiny_part("<p>a</p>"), "/Div"), "A", "en-GB"))
    with pytest.raises(AssemblyError, match="maps structure type /Callout to /Note"):
        assembler.add(Part("b", with_role_map(tiny_part("<p>b</p>"), "/Note"), "B", "en-GB"))


def test_folios_of_a_part_placed_twice_are_its_own(tiny_part):
    data = tiny_part("<p>Same page twice</p>")
    assembler = Assembler(META)
    for name in ("a", "b", "c"):
        assembler.add(Part(name, data, name, "en-GB"))
    numbers = assembler.numbers(["a", "b", "c"])
    assert [text for _, text in numbers] == ["1", "2", "3"]


def test_role_maps_that_agree_are_merged(tiny_part):
    def with_maps(data: bytes) -> bytes:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
        tree = writer.root_object["/StructTreeRoot"].get_object()
        tree[NameObject("/RoleMap")] = DictionaryObject(
            {NameObject("/Callout"): NameObject("/Div")})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assembler = Assembler(META)
    assembler.add(Part("a", with_maps(tiny_part("<p>a</p>")), "A", "en-GB"))
    assembler.add(Part("b", with_maps(tiny_part("<p>b</p>")), "B", "en-GB"))
    numbers = assembler.numbers(["a", "b"])
    stamps = folios.read_stamps(
        tiny_part.renderer.pdf(folios.stamp_sheet_html(numbers, "en-GB"),
                               Path("t"),
                               finisher=folios.capture_stamps).data, numbers)
    reader = pypdf.PdfReader(io.BytesIO(assembler.write(["a", "b"], stamps)))
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    assert dict(tree["/RoleMap"]) == {"/Callout": "/Div"}
    assert structure_check(reader) == []
    assert [p.extract_text().split()[-1] for p in reader.pages] == ["1", "2"]


SLOT_STYLES = [  # as folios.mark_slots records them: the layouts' folio and reference faces
    f'font-family: "{family}"; font-size: {size}px; font-weight: {weight}; '
    "font-style: normal; font-variant-numeric: lining-nums tabular-nums; font-kerning: auto"
    for family, size, weight in (("Inter", 14.6667, 700), ("Inter", 10.08, 400),
                                 ("Charis SIL", 12, 400), ("Charis SIL", 9.5, 700))]


def test_numbers_set_from_digits_are_the_numbers_weasyprint_sets(tiny_part):
    """Page numbers are composed glyph by glyph from one sheet of digits: exactly the
    glyphs and advances WeasyPrint gives the whole number (tabular figures, no kerning)."""
    numbers = [(style, str(n)) for style in SLOT_STYLES for n in range(0, 320, 7)]

    def drawn(requests: list[tuple[str, str]]) -> folios.Stamps:
        sheet = folios.stamp_sheet_html(requests, "en-GB")
        return folios.read_stamps(tiny_part.renderer.pdf(
            sheet, Path("t"), finisher=folios.capture_stamps).data, requests)

    whole = drawn(numbers)
    composed = folios.numbers_from_digits(drawn(folios.digit_requests(numbers)), numbers)

    def glyphs(operators: bytes) -> list[bytes]:
        return re.findall(rb"<([0-9a-fA-F]+)>", operators)

    def adjustments(operators: bytes) -> set[bytes]:
        return set(re.findall(rb">\s*(-?[\d.]+)", operators))

    for request in numbers:
        ours, theirs = composed.stamps[request], whole.stamps[request]
        assert glyphs(ours.operators) == glyphs(theirs.operators), request
        assert adjustments(theirs.operators) <= {b"0"}, request   # no kerning to lose
        assert ours.width == pytest.approx(theirs.width, abs=1e-3), request


def test_a_page_number_that_is_not_digits_is_refused():
    digits = folios.Stamps(b"", {("s", d): folios.Stamp(b"", 1.0, ()) for d in folios.DIGITS})
    with pytest.raises(LayoutError, match="decimal digits"):
        folios.numbers_from_digits(digits, [("s", "1a")])
