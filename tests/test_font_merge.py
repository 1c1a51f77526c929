"""Each font embedded once in an assembled leaflet and issue, drawing and reading as before
(issue 11's file sizes: pdf/fonts.py, pdf/fontprograms.py, pdf/textwidths.py).

Each PDF is assembled once, its assembly's output kept as it was before
:func:`printjournal.pdf.fonts.merged` too (makers.merge_recorded: the leaflet made here,
the issue by conftest's ``sample_issue`` build), and the two are compared page by page:
pixels at 100 dpi, the text layer, every character's place.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from printjournal.leaflet import build as leaflet
from printjournal.load import config
from printjournal.pdf import fonts, textwidths
from printjournal.pipeline import Pipeline

from .conftest import REPO, shared
from .makers import merge_recorded
from .parsed import parsed
from .test_accessibility import vera  # noqa: F401 (the veraPDF fixture)

#: tiny articles in the scripts beyond Latin (tests/corpus), each a part of one leaflet
#: whose closing part prints every title again: each script's font is in two parts (the
#: Chinese one's CID-keyed CFF font too), but the last's
SCRIPTS = ("script-chinese", "script-arabic", "script-hebrew", "script-bengali",
           "script-hindi")
DAY = dt.date(2026, 11, 21)


@dataclass(frozen=True)
class Pair:
    before: Path        # assembled, fonts not merged
    after: Path         # what printjournal writes
    deltas: int         # glyph widths put back as TJ numbers while merging


@pytest.fixture(scope="module")
def scripts_leaflet(tmp_path_factory) -> Pair:
    """A leaflet of the five script articles, made from parts."""
    def make(folder: Path) -> None:
        root = folder / "project"
        for name in ("layouts", "fonts"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).symlink_to(REPO / name)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "printjournal.toml", root)
        for slug in SCRIPTS:
            shutil.copy(REPO / "tests" / "corpus" / f"{slug}.md",
                        root / "content" / "articles" / f"{slug}.md")
        pipeline = Pipeline.load(config.load_project(root))
        with merge_recorded(folder):
            made = leaflet.leaflet(pipeline, leaflet.LeafletRequest(SCRIPTS), DAY)
        (folder / "after.pdf").write_bytes(made.data)

    folder = shared(tmp_path_factory, "font-merge-leaflet", make)
    return Pair(folder / "unmerged.pdf", folder / "after.pdf",
                int((folder / "deltas").read_text()))


@pytest.fixture(scope="module")
def issue_pair(sample_issue, sample_pipeline, tmp_path_factory) -> Pair:
    """The sample issue as its build wrote it, and its assembly's output before the font
    merge (kept by that build: makers.merge_recorded), finished as the build finishes
    what the assembly writes."""
    from printjournal import editions, press
    from printjournal.issue.manifest import load_manifest

    built = sample_issue.pdf.parent
    manifest = load_manifest(sample_issue.manifest_path, sample_pipeline.project)
    edition = editions.edition("digital", sample_issue.manifest_path)

    def finish(path: Path) -> bytes:
        return press.finish(path.read_bytes(), edition.press_ready,
                            sample_pipeline.project.press, manifest.path)

    # the merge recorded is the one that made the issue the build wrote
    assert finish(built / "merged.pdf") == sample_issue.pdf.read_bytes()
    before = tmp_path_factory.mktemp("font-merge-issue") / "before.pdf"
    before.write_bytes(finish(built / "unmerged.pdf"))
    return Pair(before, sample_issue.pdf, int((built / "deltas").read_text()))


def programs(path: Path) -> Counter[str]:
    """How many font programs each font (its name without the subset tag) embeds."""
    found: Counter[str] = Counter()
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" \
                    and any(key in obj for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                found[str(obj.FontName).split("+", 1)[-1]] += 1
    return found


def pixels(path: Path, folder: Path) -> list[bytes]:
    subprocess.run(["pdftoppm", "-r", "100", str(path), str(folder / "p")], check=True)
    pages = sorted(folder.glob("p-*.ppm"), key=lambda p: int(p.stem.split("-")[-1]))
    data = [page.read_bytes() for page in pages]
    for page in pages:
        page.unlink()
    return data


def reading(path: Path) -> list[tuple[str, list[tuple[str, float, float]]]]:
    """Each page's text and its characters with their origins (pt): where each glyph is
    drawn (a character's top also depends on the font's Ascent, which WeasyPrint
    rounds at the size it first meets a font: parts differ by 1/1000 em, and only
    text selection boxes read it); read once a run (tests/parsed.py), the issue as
    test_sample_invariants reads it too."""
    return [(page.text, [(c.text, c.x, c.y) for c in page.glyphs])
            for page in parsed(path, text=True)]


@pytest.fixture(params=["leaflet", "issue"])
def pair(request) -> Pair:
    return request.getfixturevalue({"leaflet": "scripts_leaflet",
                                    "issue": "issue_pair"}[request.param])


def texts_disagree(path: Path, name: str) -> bool:
    """Whether the fonts named ``name`` (without the tag) map some glyph to other text."""
    texts: dict[int, set[str]] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0" \
                    and str(obj.BaseFont).split("+", 1)[-1] == name:
                for glyph, text in fonts.read_text(obj.ToUnicode).items():
                    texts.setdefault(glyph, set()).add(text)
    return any(len(found) > 1 for found in texts.values())


def glyphs_disagree(path: Path, name: str) -> bool:
    """Whether the programs of the fonts named ``name`` draw some glyph id otherwise."""
    from printjournal.pdf.fontprograms import merged_program

    with pikepdf.open(path) as pdf:
        found = [obj.FontFile2.read_bytes() if "/FontFile2" in obj
                 else obj.FontFile3.read_bytes() for obj in pdf.objects
                 if isinstance(obj, pikepdf.Dictionary)
                 and obj.get("/Type") == "/FontDescriptor"
                 and str(obj.FontName).split("+", 1)[-1] == name]
    return len(merged_program(found)[1]) < len(found)


def test_each_font_is_embedded_once(pair):
    """Once, unless the subsets disagree, and then as few times as they do: two parts
    read one glyph as other text (Bengali's vowel sign before its consonant: one part
    reads the glyph as the consonant, another as the cluster), or HarfBuzz numbered the
    components of accented letters past a part's last glyph otherwise (Charis SIL in
    the issue). Those subsets stay apart, so that each part draws and reads as it did."""
    before, after = programs(pair.before), programs(pair.after)
    assert max(before.values()) > 1                 # the parts' subsets, one per part
    assert set(after) == set(before)
    assert all(after[name] <= before[name] for name in before)
    apart = {name for name, count in after.items() if count > 1}
    assert all(texts_disagree(pair.after, name) or glyphs_disagree(pair.after, name)
               for name in apart), apart
    assert sum(after.values()) <= len(after) + 2    # 79 subsets of 6 fonts: 8 in the issue
    assert pair.after.stat().st_size < pair.before.stat().st_size


def test_the_scripts_fonts_are_merged_too(scripts_leaflet):
    before, after = programs(scripts_leaflet.before), programs(scripts_leaflet.after)
    for family in ("Noto-Sans-Arabic-Bold", "Noto-Sans-Hebrew-Bold", "Noto-Sans-Bengali",
                   "Noto-Serif-Devanagari", "Noto-Sans-CJK-SC"):
        found = [name for name in before if name.startswith(family) and before[name] > 1]
        assert found, family
        assert all(after[name] == 1 or texts_disagree(scripts_leaflet.after, name)
                   for name in found), family
    assert [name for name in after if after[name] > 1] == ["Noto-Sans-Bengali-Bold"]


def test_every_page_draws_the_same(pair, tmp_path):
    before, after = pixels(pair.before, tmp_path), pixels(pair.after, tmp_path)
    assert len(before) == len(after)
    assert [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == []


def test_every_character_reads_the_same_in_the_same_place(pair):
    before, after = reading(pair.before), reading(pair.after)
    assert [text for text, _ in after] == [text for text, _ in before]
    for (_, chars_before), (_, chars_after) in zip(before, after, strict=True):
        assert [c[0] for c in chars_after] == [c[0] for c in chars_before]
        shifts = [max(abs(a[1] - b[1]), abs(a[2] - b[2]))
                  for a, b in zip(chars_before, chars_after, strict=True)]
        assert max(shifts, default=0) < 1e-6


def test_widths_rounded_otherwise_in_a_part_are_put_back(issue_pair):
    """The issue sets Inter at many sizes: some glyphs' /W differ between parts by a
    rounding, and the places above stay exact only because those are put back."""
    assert issue_pair.deltas > 0


def test_a_width_put_back_follows_its_glyph():
    shown = pikepdf.Array([pikepdf.String(b"\x00\x05\x00\x07\x00\x05"), -12,
                           pikepdf.String(b"\x00\x07")])
    out = textwidths._shown(shown, {5: 1})
    assert [bytes(x) if isinstance(x, pikepdf.String) else float(x) for x in out] == \
        [b"\x00\x05", 1.0, b"\x00\x07\x00\x05", -11.0, b"\x00\x07"]
    assert textwidths._shown(shown, {9: 1}) is None


def test_merging_is_deterministic(scripts_leaflet):
    assert fonts.merged(scripts_leaflet.before.read_bytes()) == \
        scripts_leaflet.after.read_bytes()


def test_the_merged_leaflet_passes_verapdf_ua1(vera, scripts_leaflet):  # noqa: F811
    result = subprocess.run([vera, "ua1", str(scripts_leaflet.after)], capture_output=True,
                            text=True, timeout=600)
    assert "compliant=true" in result.stdout, result.stdout + result.stderr


def test_each_glyph_is_as_wide_as_its_program_says(scripts_leaflet):
    """What veraPDF checks (ISO 14289-1 7.21.5-1), glyph by glyph: a space (no outline,
    only an advance) first drawn on the date and page-number sheet, whose subset has no
    space, keeps the advance the part's subset gives it."""
    from fontTools.ttLib import TTFont

    wrong = []
    with pikepdf.open(scripts_leaflet.after) as pdf:
        for obj in pdf.objects:
            if not (isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0"):
                continue
            cid = obj.DescendantFonts[0]
            descriptor = cid.FontDescriptor
            program = TTFont(io.BytesIO((descriptor.get("/FontFile2")
                                         or descriptor.get("/FontFile3")).read_bytes()))
            order, scale = program.getGlyphOrder(), 1000 / program["head"].unitsPerEm
            wrong += [(str(obj.BaseFont), glyph, width) for glyph, width
                      in fonts.read_widths(cid.W).items()
                      if abs(program["hmtx"].metrics[order[glyph]][0] * scale - width) > 1]
    assert wrong == []
