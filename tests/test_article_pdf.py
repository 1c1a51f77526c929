"""What a reader sees in an article PDF: every page, footnote, link and font."""

from __future__ import annotations

import datetime as dt
import re
import tomllib

import pypdf
import pytest

from printjournal.template.layouts import direction, shorten

from .conftest import REPO
from .pdfread import (
    MM,
    destination_pages,
    fonts,
    glyph_lines,
    link_pages,
    outline,
    pages,
    uri_links,
)

BUNDLED_FONTS = {"Charis-SIL", "Charis-SIL-Italic", "Charis-SIL-Bold", "Charis-SIL-Bold-Italic",
                 "Inter", "Inter-Italic", "Inter-Semi-Bold", "Inter-Bold",
                 # bundled too (fonts/), for the Arabic sample translation of walking-for-health
                 "Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold",
                 "Noto-Sans-Arabic", "Noto-Sans-Arabic-Bold"}


def _pages(sample):
    """The sample's page texts, a right-to-left article's in logical order (pdfread)."""
    return pages(sample.pdf, rtl=direction(sample.article.lang) == "rtl")


def _words(text: str) -> str:
    """Text with hyphenation, line breaks and smart typography undone, for comparisons."""
    text = text.translate(str.maketrans("‘’“”„–", "''\"\"\"-")).replace("…", "...")
    return re.sub(r"\s+", " ", re.sub(r"[‐-]\n", "", text)).strip()


def _label(lang: str, key: str) -> str:
    """The label ``key`` for ``lang`` from layouts/labels.toml (English when it has none)."""
    tables = tomllib.loads((REPO / "layouts/labels.toml").read_text(encoding="utf-8"))
    return tables.get(lang.split("-")[0], {}).get(key, tables["en"][key])


def test_disclaimer_and_page_x_of_y_on_every_page(samples, sample_project):
    for slug, sample in samples.items():
        disclaimer = sample_project.journal.disclaimer_for(sample.article.lang)
        texts = _pages(sample)
        label, of = (_label(sample.article.lang, key) for key in ("page", "of"))
        for page in texts:
            assert _words(disclaimer) in _words(page.footer), (slug, page.number, page.footer)
            assert f"{label} {page.number} {of} {len(texts)}" in page.footer, (slug, page.number)


def test_running_header_only_after_the_first_page(samples, sample_project):
    for slug, sample in samples.items():
        texts = _pages(sample)
        assert texts[0].header == "", (slug, texts[0].header)
        short = shorten(sample.article.running_title)
        for page in texts[1:]:
            header = _words(page.header)
            assert f"{sample_project.journal.name} · {sample.article.section}" in header, slug
            if direction(sample.article.lang) == "ltr":   # see the test below
                assert _words(short) in header, (slug, page.number, header)


@pytest.mark.xfail(strict=True, reason=(
    "open bug, upstream: WeasyPrint 70 maps each glyph to the text of the first cluster "
    "it draws it in (draw/text.py, to_unicode); in the Arabic sample the running head's "
    "lam-alef glyph 'لا' maps to no text, and so does the body's 'ئ' ('الاكتئاب' reads "
    "'الاكتاب'): they cannot be searched or copied"))
def test_a_right_to_left_running_head_reads_as_its_title(samples):
    rtl = [s for s in samples.values() if direction(s.article.lang) == "rtl"]
    assert rtl
    for sample in rtl:
        short = _words(shorten(sample.article.running_title))
        assert all(short in _words(page.header) for page in _pages(sample)[1:])


def test_first_page_has_the_masthead(samples):
    for slug, sample in samples.items():
        first = _words(_pages(sample)[0].body)
        article = sample.article
        assert "CUREON JOURNAL" in first
        assert article.section.upper() in first
        assert _words(article.title) in first, slug
        if article.dek:
            assert _words(article.dek)[:60] in first, slug
        assert f"{article.reading_time} " in first
        for author in article.authors:
            assert author in first, (slug, author)


def test_every_source_has_its_footnote_on_the_page_of_its_first_citation(samples):
    checked = 0
    for slug, sample in samples.items():
        reader = pypdf.PdfReader(sample.pdf)
        citations = link_pages(reader, "source-")
        notes = destination_pages(reader, "note-")
        texts = _pages(sample)
        cited = {s.number for s in sample.article.sources if str(s.number) in citations}
        assert set(notes) == {str(n) for n in cited}, slug
        for source in sample.article.sources:
            key = str(source.number)
            if key not in citations:
                continue
            first_page = min(citations[key])
            assert notes[key] == first_page, (slug, source.id, notes[key], first_page)
            # and the reader sees the source's text at the foot of that page
            assert _words(source.text)[:40] in _words(texts[first_page - 1].body), (slug, key)
            checked += 1
    assert checked > 30


def test_sources_list_ends_the_article_with_clickable_urls(samples):
    for slug, sample in samples.items():
        reader = pypdf.PdfReader(sample.pdf)
        last_pages = _words(" ".join(p.body for p in _pages(sample)[-2:]))
        heading = _label(sample.article.lang, "sources")
        assert heading in last_pages
        targets = {url for _, url in uri_links(reader)}
        destinations = destination_pages(reader, "source-")
        for source in sample.article.sources:
            assert _words(source.text)[:40] in last_pages, (slug, source.id)
            if source.url:
                assert source.url in targets, (slug, source.url)
            assert str(source.number) in destinations


def test_links_to_other_articles_print_their_web_address(samples, sample_project):
    found = 0
    for sample in samples.values():
        for slug in re.findall(r"\]\(/journal/([\w-]+)\)", sample.article.body):
            url = sample_project.article_url(slug)
            reader = pypdf.PdfReader(sample.pdf)
            assert url in {u for _, u in uri_links(reader)}
            printed = re.sub(r"^https?://", "", url)
            text = re.sub(r"\s+", "", " ".join(p.body for p in _pages(sample)))
            assert printed in text
            found += 1
    assert found >= 3



def test_a_printed_address_in_right_to_left_text_reads_left_to_right(samples, sample_project):
    """In the Arabic sample every printed address (a source's, a link's to another
    article) runs left to right, where it wraps too: its glyphs, read line by line by
    their x positions, spell it, each line's piece ending at its "/" (right to left, the
    "/" went to the far end of the line's piece: "/cureon.example/journal")."""
    arabic = [s for s in samples.values() if direction(s.article.lang) == "rtl"]
    assert arabic
    for sample in arabic:
        addresses = [s.url for s in sample.article.sources if s.url] + [
            re.sub(r"^https?://", "", sample_project.article_url(slug))
            for slug in re.findall(r"\]\(/journal/([\w-]+)\)", sample.article.body)]
        lines = glyph_lines(sample.pdf, "Inter")
        assert len(addresses) >= 7
        assert [a for a in addresses if a not in "".join(lines)] == []
        # some of them wrap, so the test sees a line end inside an address
        assert [a for a in addresses if not any(a in line for line in lines)]


def test_linked_pages_are_gathered_under_read_next(samples, sample_project):
    """A link prints as its words; the addresses of the pages an article links to are
    listed once each, in order of first mention, under "Read next" before the Sources."""
    checked = 0
    for slug, sample in samples.items():
        linked = list(dict.fromkeys(re.sub(r"^https?://", "", sample_project.article_url(s))
                                    for s in re.findall(r"\]\(/journal/([\w-]+)\)",
                                                        sample.article.body)))
        if not linked:
            continue
        text = re.sub(r"\s+", "", "".join(p.body for p in _pages(sample)))
        heading = re.sub(r"\s+", "", _label(sample.article.lang, "read_next"))
        sources = re.sub(r"\s+", "", _label(sample.article.lang, "sources"))
        body, _, listed = text.rpartition(heading)
        assert body and sources in listed, slug
        listed = listed[:listed.rindex(sources)]
        assert not any(address in body for address in linked), slug     # not in the text
        assert [a for a in sorted(linked, key=listed.find) if a in listed] == linked, slug
        checked += 1
    assert checked >= 8


@pytest.fixture(scope="module")
def inline_addresses(tmp_path_factory):
    """A short article with a link, set with the designer's other choice: addresses in
    the text (print.css: --inline-addresses: inline; --read-next: none)."""
    from printjournal.pipeline import Pipeline, build_article

    from .conftest import TmpProject

    project = TmpProject(tmp_path_factory.mktemp("inline") / "project")
    css = project.root / "layouts/print.css"
    css.write_text(css.read_text().replace("--inline-addresses: none;",
                                           "--inline-addresses: inline;")
                   .replace("--read-next: block;", "--read-next: none;"))
    path = project.article("linked", """\
        ---
        title: "Linked"
        section: "Tests"
        date: 2026-03-01
        ---
        Read the [NHS advice on walking](https://www.nhs.uk/live-well/walking/) first.
        """)
    out = project.root / "linked.pdf"
    build_article(Pipeline.load(project.project()), path, out)
    return out


def test_a_designer_may_print_addresses_in_the_text_instead(inline_addresses):
    text = _words(" ".join(p.body for p in pages(inline_addresses)))
    assert "NHS advice on walking (nhs.uk/live-well/walking) first." in text
    assert "Read next" not in text

def test_only_bundled_fonts_all_embedded(samples):
    for slug, sample in samples.items():
        used = fonts(pypdf.PdfReader(sample.pdf))
        assert set(used) <= BUNDLED_FONTS, (slug, set(used) - BUNDLED_FONTS)
        assert all(used.values()), (slug, used)


def test_metadata(samples, sample_project):
    for sample in samples.values():
        reader = pypdf.PdfReader(sample.pdf)
        info = reader.metadata
        article = sample.article
        assert info.title == article.title
        assert info.author == sample_project.journal.publisher
        assert (info.subject or "") == article.dek
        assert (info.get("/Keywords") or "") == ", ".join(article.tags)
        assert info.creation_date.date() == article.date
        assert reader.trailer["/Root"]["/Lang"] == article.lang
        assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
        assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])


def test_bookmarks_follow_the_headings(samples):
    for slug, sample in samples.items():
        marks = outline(pypdf.PdfReader(sample.pdf))
        assert marks[0][:2] == (0, sample.article.title)
        headings = re.findall(r"^(#{2,3}) (.+)$", sample.article.body, re.MULTILINE)
        straight = str.maketrans("“”„’", "\"\"\"'")    # the bookmarks have curly quotes
        titles = [t.translate(straight) for _, t, _ in marks[1:]]
        sources = [_label(sample.article.lang, "sources")]   # in the article's language
        if 'class="read-next"' in sample.html:                 # and "Read next" before it
            sources.insert(0, _label(sample.article.lang, "read_next"))
        assert [h[1].strip() for h in headings] + sources == titles, slug
        for (level, _), (depth, _, _) in zip(headings, marks[1:], strict=False):
            assert depth == len(level) - 1
        assert [p for *_, p in marks] == sorted(p for *_, p in marks)


def test_german_article_has_german_labels_and_whole_words(samples):
    """German labels; and, like every article, no word split at a line end: text is set
    ragged without hyphenation by default (German hyphenation when a designer switches it
    on: tests/test_typography.py)."""
    german = [s for s in samples.values() if s.article.lang.startswith("de")]
    assert german, "the samples include an article in German"
    for sample in german:
        texts = _pages(sample)
        assert "Seite 1 von" in texts[0].footer
        body = "\n".join(p.body for p in texts)
        hyphenated = re.findall(r"[a-zäöüß]‐\n[a-zäöüß]", body)  # U+2010, WeasyPrint's hyphen
        assert not hyphenated, "no word is split at a line end"


def test_long_article_runs_to_eight_pages_and_tables_repeat_headers(samples):
    longest = max(samples.values(), key=lambda s: len(pages(s.pdf)))
    assert len(pages(longest.pdf)) >= 8
    spanning = 0
    for sample in samples.values():
        heads = re.findall(r"^\| *([^|\n]+?) *\|.*\n\|[-: |]+\|$", sample.article.body,
                           re.MULTILINE)
        for head in heads:
            on = [p.number for p in _pages(sample) if head in p.body]
            if len(on) > 1:
                spanning += 1
    assert spanning >= 1, "a table runs over a page break with its header repeated"


def test_a_figure_with_caption_is_scaled_to_the_text_width(samples):
    """The sample figures are SVGs 680 px (180 mm) wide, wider than the 138 mm text: each is
    drawn exactly as wide as the text, between the page's margins (22 mm on the binding
    side of a right-hand page, 50 mm, the outer margin, on a left-hand one: print.css), in
    proportion, with its caption right below it. Found by the white background each SVG
    draws first."""
    import pdfplumber

    with_images = [s for s in samples.values() if "![" in s.article.body]
    assert len(with_images) == 2
    for sample in with_images:
        assert '<figure class="numbered">' in sample.html and "<figcaption>" in sample.html
        [src] = re.findall(r"!\[[^\]]*\]\(\.\./images/([^ )]+)", sample.article.body)
        svg = (REPO / "content/images" / src).read_text()
        width, height = (float(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
        found = []
        with pdfplumber.open(sample.pdf) as pdf:
            for page in pdf.pages:
                for rect in page.rects:
                    if rect["non_stroking_color"] in ((1, 1, 1), (1.0, 1.0, 1.0)) \
                            and rect["width"] > 50 * MM:
                        caption = [w for w in page.extract_words() if w["text"] == "Figure"
                                   and 0 <= w["top"] - rect["bottom"] < 8 * MM]
                        found.append((page.page_number, rect, caption))
        [(number, rect, caption)] = found
        left = 22 if number % 2 else 50
        assert rect["x0"] / MM == pytest.approx(left, abs=0.3), (sample.article.slug, number)
        assert rect["width"] / MM == pytest.approx(210 - 72, abs=0.3), sample.article.slug
        assert rect["height"] == pytest.approx(rect["width"] * height / width, abs=0.5)
        assert caption, f"{sample.article.slug}: no caption right below the figure"


def test_creation_date_comes_from_the_article_not_the_clock(samples):
    sample = next(iter(samples.values()))
    info = pypdf.PdfReader(sample.pdf).metadata
    assert info.creation_date.date() == sample.article.date != dt.date.today()


@pytest.mark.parametrize("slug_index", [0])
def test_same_input_gives_a_byte_identical_pdf(samples, sample_pipeline, tmp_path, slug_index):
    import subprocess
    import sys
    sample = sorted(samples.values(), key=lambda s: s.article.slug)[slug_index]
    again = sample_pipeline.renderer.pdf(sample.html, sample.article.path).data
    assert again == sample.pdf.read_bytes()
    # and a fresh process through the CLI gives the same bytes too
    out = tmp_path / "again.pdf"
    subprocess.run([sys.executable, "-m", "printjournal", "article",
                    str(sample_pipeline.project.root / sample.article.path), "-o", str(out)],
                   check=True, cwd=sample_pipeline.project.root, capture_output=True)
    assert out.read_bytes() == sample.pdf.read_bytes()


def test_no_line_is_only_a_hyphenated_fragment(samples):
    """WeasyPrint can split a word twice, leaving e.g. 'ino‐' alone on a line."""
    for slug, sample in samples.items():
        for page in _pages(sample):
            for line in page.body.splitlines():
                assert not re.fullmatch(r"\S{1,8}‐", line.strip()), (slug, page.number, line)


def test_no_heading_is_left_alone_at_the_foot_of_a_page(samples):
    import pdfplumber
    for slug, sample in samples.items():
        with pdfplumber.open(sample.pdf) as pdf:
            for number, page in enumerate(pdf.pages[:-1], start=1):
                # the footnote area starts at its first note number (Inter SemiBold 9 pt,
                # at the text's left edge, or its right in right-to-left text: a chart's
                # value labels can be SemiBold 9 pt too)
                inside = [c for c in page.chars if c["top"] > 20 * 2.83]
                left = min((c["x0"] for c in inside), default=0)
                right = max((c["x1"] for c in inside), default=0)
                notes = [c["top"] for c in page.chars if c["text"].isdigit()
                         and "Semi-Bold" in c["fontname"] and abs(c["size"] - 9) < 0.05
                         and (abs(c["x0"] - left) < 1 or abs(c["x1"] - right) < 1)]
                foot = min(notes, default=page.height - 20 * 2.83) - 1
                body = [c for c in page.chars if 20 * 2.83 < c["top"] < foot
                        and c["size"] >= 8.9]  # text and Sources, not notes or furniture
                if not body:
                    continue
                last_top = max(c["top"] for c in body)
                last_line = [c for c in body if abs(c["top"] - last_top) < 2]
                is_heading = all("Inter" in c["fontname"] and c["size"] >= 11 for c in last_line)
                assert not is_heading, (slug, number, "".join(c["text"] for c in last_line))


def test_a_question_is_kept_with_its_answer(samples):
    checked = 0
    for slug, sample in samples.items():
        texts = [_words(p.body) for p in _pages(sample)]
        for question, answer in re.findall(r"^([^\n:][^\n]*\?)\n:\s+(.+)$", sample.article.body,
                                           re.MULTILINE):
            question = _words(question)
            answer_start = _words(re.sub(r"\[@[^\]]*\]|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1",
                                         answer))[:25]
            on = [i for i, text in enumerate(texts) if question in text]
            assert on, (slug, question)
            assert answer_start in texts[on[0]], (slug, question, answer_start)
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("paper", ["A5", "Letter"])
def test_footnotes_stay_with_their_citations_on_every_paper(tmp_project, tmp_path, paper):
    import shutil

    from printjournal.pipeline import Pipeline, build_article
    source = REPO / "content" / "articles" / "understanding-blood-pressure.md"
    shutil.copytree(REPO / "content" / "images", tmp_project.root / "content" / "images",
                    dirs_exist_ok=True)
    text = re.sub(r"\]\(/journal/[\w-]+\)", "](https://example.org/)", source.read_text())
    path = tmp_project.article("bp", text)
    config_file = tmp_project.root / "printjournal.toml"
    config_file.write_text(config_file.read_text() + f'paper = "{paper}"\n')
    out = tmp_path / "bp.pdf"
    build_article(Pipeline.load(tmp_project.project()), path, out)
    reader = pypdf.PdfReader(out)
    citations, notes = link_pages(reader, "source-"), destination_pages(reader, "note-")
    assert len(notes) >= 15
    for number, page in notes.items():
        assert page == min(citations[number]), (paper, number)
