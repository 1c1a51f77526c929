"""Type set to patient-information standards, measured on the rendered PDFs.

The measure (60–75 characters in a full line of running text) on every paper, sizes
(nothing a patient reads below 8 pt), ragged right without hyphenation by default and the
designer's switch to justified, hyphenated text, and callouts that say what they are in
words and in their rules. Leaflets (test_leaflet.py) and the issue (session fixtures)
are measured where they are rendered already; this module renders one short article per
paper it adds.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from printjournal.load import content
from printjournal.pipeline import Pipeline

from .conftest import REPO
from .pdfread import pages
from .typeread import MM, median_full_line, smallest_glyph, text_lines

SHORT = "walking-for-health"      # the shortest sample article


@pytest.fixture(scope="module")
def on_paper(sample_project, tmp_path_factory) -> dict[str, Path]:
    """The shortest sample article on A5 and on Letter (A4: the session's samples)."""
    out = tmp_path_factory.mktemp("papers")
    result = {}
    for paper in ("A5", "Letter"):
        project = dataclasses.replace(
            sample_project, journal=dataclasses.replace(sample_project.journal, paper=paper))
        article = content.load_article(REPO / "content" / "articles" / f"{SHORT}.md", project)
        result[paper] = out / f"{paper}.pdf"
        result[paper].write_bytes(Pipeline.load(project).article_pdf(article).data)
    return result


def test_article_measure_is_60_to_75_characters_on_every_paper(samples, on_paper):
    pdfs = {"A4": samples[SHORT].pdf, **on_paper}
    medians = {paper: median_full_line(text_lines(pdf, 12, ("Charis",)))
               for paper, pdf in pdfs.items()}
    assert all(60 <= m <= 75 for m in medians.values()), medians


def test_issue_measure_is_60_to_75_characters_in_both_editions(sample_issue,
                                                                sample_print_issue):
    for issue in (sample_issue, sample_print_issue):
        top = 20 if issue.edition == "digital" else 28      # the print edition's bleed
        lines = text_lines(issue.pdf, 12, ("Charis",), top_mm=top, bottom_mm=top)
        assert 60 <= median_full_line(lines) <= 75, issue.edition


def test_no_glyph_below_8_pt_in_articles_on_any_paper(samples, on_paper):
    """Footnotes, citation numbers, running heads, the disclaimer, folios: 8 pt or more."""
    for pdf in [s.pdf for s in samples.values()] + list(on_paper.values()):
        small = [page for page in smallest_glyph(pdf) if page[0] < 8]
        assert not small, (pdf.name, small)


def test_no_glyph_below_8_pt_in_the_issue_either_edition(sample_issue, sample_print_issue):
    """Every page of the issue, furniture and contents included. (The print edition's crop
    marks are lines, not text: there is no smaller type for the print shop.)"""
    for issue in (sample_issue, sample_print_issue):
        sizes = smallest_glyph(issue.pdf)
        assert len(sizes) > 20
        assert all(size >= 8 for size, _ in sizes), (issue.edition, sizes)
    with pdfplumber.open(sample_issue.pdf) as pdf:
        contents = next(p for p in pdf.pages[:4] if "Contents" in (p.extract_text() or ""))
        summaries = [c for c in contents.chars if c["size"] < 11 and c["text"].strip()]
    assert summaries and not [c for c in summaries if "Italic" in c["fontname"]]


def _line_end_hyphens(pdf: Path) -> list[str]:
    """Words split at a line end (or a page end) in the running text, as extracted."""
    text = "\n".join(page.body.strip() for page in pages(pdf))
    return re.findall(r"\w+[‐\u00ad]\n\w+", text)


def test_ragged_right_without_hyphenation_by_default(samples):
    """No word is split at a line end, and lines are not stretched to the right edge."""
    for sample in samples.values():
        assert not _line_end_hyphens(sample.pdf), sample.article.slug
    lines = text_lines(samples["sleep-and-immunity"].pdf, 12, ("Charis",))
    full = [line for line in lines if line.full]
    right = {line.page: max(x.x1 for x in full if x.page == line.page) for line in full}
    ragged = [line for line in full if right[line.page] - line.x1 > 3 * MM]
    assert len(ragged) > 0.3 * len(full)      # justified text would end every full line flush


LONG_WORDS = {
    "en-GB": ("Understanding hypertension cardiovascular physiology anti-inflammatory "
              "medication extraordinary concentration considerable determination "
              "uncompromising documentation characteristically institutionalised "
              "recommendations comprehensively notwithstanding responsibilities "
              "administration communication practitioners intermittently "
              "gastroenterology rheumatology endocrinology dermatological "
              "physiotherapy occupational rehabilitation"),
    "de-DE": ("Auffrischimpfung Gürtelrose Erwachsene zuverlässig "
              "Schutzimpfungsempfehlungen Ständigen Impfkommission berücksichtigen "
              "Vorerkrankungen Lebensumstände Krankenversicherung Hausarztpraxis "
              "Gesundheitsvorsorge Nebenwirkungen Grippeschutzimpfung "
              "Atemwegserkrankungen Immunabwehr Bluthochdruckbehandlung "
              "Herzkreislauferkrankungen Ernährungsumstellung"),
}


def _hyphenation_article(lang: str) -> str:
    """A lead paragraph, then a long one of long words in a varying order: lines that
    justified text can only fill by splitting words."""
    words = LONG_WORDS[lang].split()
    text = " ".join(words[i * 7 % len(words)] for i in range(260))
    return (f'---\ntitle: "Hyphenation"\nsection: "Testing"\ndate: 2026-03-01\n'
            f"lang: {lang}\n---\nA short lead.\n\n{text}.\n")


def test_the_designers_switch_justifies_and_hyphenates(tmp_project):
    """With --text-align: justify and --hyphens: auto, words split at line ends by their
    language's rules (English, German), with U+2010 (never the hyphen-minus of
    "anti-inflammatory"), so the whole word can be told apart and joined again; full
    lines end flush."""
    css = tmp_project.root / "layouts" / "print.css"
    text = css.read_text(encoding="utf-8")
    switched = text.replace("--text-align: start;", "--text-align: justify;") \
                   .replace("--hyphens: manual;", "--hyphens: auto;")
    assert switched != text
    css.write_text(switched, encoding="utf-8")
    project = None
    for slug, lang in (("hyphenated", "en-GB"), ("silbentrennung", "de-DE")):
        text = _hyphenation_article(lang)
        path = tmp_project.article(slug, text)
        project = project or tmp_project.project()
        out = tmp_project.root / f"{slug}.pdf"
        article = content.load_article(path, project)
        out.write_bytes(Pipeline.load(project).article_pdf(article).data)
        splits = _line_end_hyphens(out)
        assert len(splits) >= 5, f"{slug}: nothing was hyphenated"
        words = set(re.findall(r"[\w-]+", text))
        for split in splits:      # split where the language's rules allow: whole words
            assert re.sub(r"[‐\u00ad]\n", "", split) in words, (slug, split)
        lines = [line for line in text_lines(out, 12, ("Charis",)) if line.full]
        right = {line.page: max(x.x1 for x in lines if x.page == line.page) for line in lines}
        assert len(lines) > 10 and all(right[line.page] - line.x1 < 1 for line in lines), slug


def _mcid_paths(page) -> dict[int, tuple[str, ...]]:
    """Marked-content id → the structure element types above it, root first."""
    paths: dict[int, tuple[str, ...]] = {}

    def walk(elements, above: tuple[str, ...]) -> None:
        for element in elements:
            here = (*above, f"{element['type']}#{id(element)}")
            for mcid in element.get("mcids", []):
                paths[mcid] = here
            walk(element.get("children", []), here)
    walk(page.structure_tree, ())
    return paths


CALLOUTS = {"sleep-and-immunity": [("Note:", "Sleep is one piece of the picture"),
                                   ("Warning:", "Drowsy driving")],
            "winter-skin-eczema": [("Tip:", "Breaking the itch–scratch cycle"),
                                   ("Warning:", "Emollients and fire risk")],
            "impfschutz-erwachsene": [("Warnung:", "Wann Sie sofort Hilfe brauchen")]}


def _paragraph(path: tuple[str, ...]) -> str:
    """The innermost paragraph (P) element on a structure path."""
    return next(element for element in reversed(path) if element.startswith("P#"))


def _title_chars(page, label: str, title: str) -> list[dict]:
    found = page.search(f"{label} {title[:12]}", regex=False)
    return found[0]["chars"] if found else []


def test_callout_titles_say_their_type_in_the_text_and_the_tags(samples):
    """The label is printed text ("Warning: Drowsy driving"), in the language of the
    article, tagged inside the same paragraph as the title: a screen reader says it."""
    for slug, callouts in CALLOUTS.items():
        with pdfplumber.open(samples[slug].pdf) as pdf:
            for label, title in callouts:
                page = next((p for p in pdf.pages if _title_chars(p, label, title)), None)
                assert page is not None, (slug, label, title)
                chars = _title_chars(page, label, title)
                paths = _mcid_paths(page)
                label_mcid, title_mcid = chars[0]["mcid"], chars[-1]["mcid"]
                assert label_mcid in paths and title_mcid in paths, (slug, label)
                assert _paragraph(paths[label_mcid]) == _paragraph(paths[title_mcid]), slug


def _grey_box(pdf: Path, page_number: int, x0: float, top: float) -> list[list[int]]:
    """The callout around a title at (x0, top) as greyscale pixels, 100 dpi."""
    px = 100 / 72
    left, upper = int((x0 - 8 * MM) * px), int((top - 5 * MM) * px)
    result = subprocess.run(
        ["pdftoppm", "-gray", "-r", "100", "-f", str(page_number), "-l", str(page_number),
         "-x", str(left), "-y", str(upper), "-W", str(int(120 * MM * px)),
         "-H", str(int(16 * MM * px)), pdf], capture_output=True, check=True)
    header, _, data = result.stdout.partition(b"255\n")
    width, height = map(int, header.split()[1:3])
    return [list(data[row * width:(row + 1) * width]) for row in range(height)]


def test_warning_and_tip_differ_in_greyscale(samples):
    """Printed in grey, a warning is a heavy dark frame on white; a tip a grey ground with
    no frame above its title."""
    pdf = samples["winter-skin-eczema"].pdf
    boxes = {}
    with pdfplumber.open(pdf) as document:
        for label, title in CALLOUTS["winter-skin-eczema"]:
            page = next(p for p in document.pages if _title_chars(p, label, title))
            first = _title_chars(page, label, title)[0]
            boxes[label] = _grey_box(pdf, page.page_number, first["x0"], first["top"])

    def ground(box: list[list[int]]) -> int:
        pixels = [v for row in box for v in row]
        return max(set(pixels), key=pixels.count)

    def framed(box: list[list[int]]) -> bool:
        return any(sum(v < 128 for v in row) > 0.5 * len(row) for row in box[:12])

    assert ground(boxes["Warning:"]) - ground(boxes["Tip:"]) >= 10, \
        (ground(boxes["Warning:"]), ground(boxes["Tip:"]))
    assert framed(boxes["Warning:"]) and not framed(boxes["Tip:"])


def test_every_callout_type_has_a_label_for_every_language(sample_project):
    """labels.toml gives each styled callout type its word in each language it has."""
    import tomllib

    from printjournal.markup.structure import styled_callouts

    labels = tomllib.loads((REPO / "layouts" / "labels.toml").read_text(encoding="utf-8"))
    types = styled_callouts(sample_project.layouts_dir)
    assert types == {"note", "tip", "warning", "danger"}
    for lang, words in labels.items():
        for kind in types:
            assert f"callout_{kind}" in words, (lang, kind)
    css = (REPO / "layouts" / "print.css").read_text(encoding="utf-8")
    assert all(f"--label-{kind}" in css for kind in types)


def test_a_callout_title_that_only_repeats_its_type_is_left_to_the_label(tmp_project):
    """`!!! note` (Python-Markdown's title "Note") prints "Note:", not "Note: Note"; a
    title of its own is kept."""
    from printjournal.markup import body as markup

    path = tmp_project.article("callouts", """\
        ---
        title: "Callouts"
        section: "Testing"
        date: 2026-03-01
        ---
        !!! note
            Plain note.

        !!! danger "Danger"
            Repeats its type.

        !!! warning "Warning signs"
            A title of its own.
        """)
    project = tmp_project.project()
    html = markup.to_html(content.load_article(path, project), project).html
    titles = re.findall(r'<p class="admonition-title">([^<]*)</p>', html)
    assert titles == ["", "", "Warning signs"], titles
