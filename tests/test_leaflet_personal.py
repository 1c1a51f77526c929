"""The patient's name and note on the front: printed whole inside their box, or refused.

One-article leaflets on A4, rendered into a render cache of this module (the leaflet is
rendered once per box size; each name is only the one-page personal layer)."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from printjournal import cache
from printjournal.leaflet import build as leaflet
from printjournal.leaflet.personal import Box, DoesNotFitError, UnprintableError, render_layer
from printjournal.pdf.overlay import named_rect, open_pdf
from printjournal.styles import STANDARD

TODAY = dt.date(2026, 11, 21)
REQUEST = leaflet.LeafletRequest(("sleep-and-immunity",))
BUNDLED_FAMILIES = ("Inter", "Charis-SIL", "Noto")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return cache.RenderCache(tmp_path_factory.mktemp("personal-cache"))


def make(pipeline, store, name="", note="", request=REQUEST) -> bytes:
    return leaflet.leaflet(pipeline, request, TODAY, leaflet.Personal(name, note), store).data


def front(data: bytes):
    """(the box, the first page's characters, the first page's font names)."""
    with open_pdf(data) as pdf:
        _page, box = named_rect(pdf, *leaflet.FRONT_BOX)
    with pdfplumber.open(io.BytesIO(data)) as document:
        page = document.pages[0]
        chars = [c for c in page.chars if c["y0"] >= box.y - 1 and c["y1"] <= box.y +
                 box.height + 1 and box.x - 1 <= c["x0"] <= box.x + box.width + 1]
        return box, chars, page.height


def printed(chars) -> str:
    return "".join(c["text"] for c in chars if not c["text"].isspace())


@pytest.mark.parametrize(("name", "note"), [
    ("W" * 60, ""),                                     # wider than the box: wraps
    ("Maximiliana Featherstonehaugh-Cholmondeley", "Rest " * 30),
    ("Αλέξανδρος Παπαδόπουλος", "Καλημέρα: περπάτημα κάθε μέρα."),   # Greek: bundled fonts
    ("Ёлка Дмитриевна", ""),                            # Cyrillic
    ("山田太郎", "明天见"),                              # Chinese: Noto Sans CJK SC
    ("محمد", ""),                                       # Arabic: Noto Arabic
])
def test_the_whole_name_and_note_print_inside_the_box(sample_pipeline, store, name, note):
    data = make(sample_pipeline, store, name, note)
    box, chars, _height = front(data)
    text = printed(chars)
    for part in (name, note):
        whole = "".join(part.split())                 # every character, none clipped;
        assert whole in text or whole[::-1] in text   # right-to-left reads in visual order
    for char in chars:
        assert box.x - 0.5 <= char["x0"] and char["x1"] <= box.x + box.width + 0.5
        assert char["fontname"].split("+")[-1].startswith(BUNDLED_FAMILIES), char["fontname"]


def test_a_name_too_long_for_the_small_box_takes_the_notes_box(sample_pipeline, store):
    short = front(make(sample_pipeline, store, "Ada Example"))[0]
    long = front(make(sample_pipeline, store, "W" * 60))[0]
    assert long.height > short.height


@pytest.mark.parametrize(("height", "sizes"), [(96, {10.0}), (88, {9.0}), (72, {8.0})])
def test_a_note_that_fits_only_smaller_is_set_smaller_not_cut(sample_pipeline, height, sizes):
    """The layer for boxes of shrinking height: the note at its designed 10 pt, then a step
    smaller, then at the floor (leaflet.css .fit-1, .fit-2), never cut."""
    note = ("Take the tablets with food; walk daily; drink water; come back soon. " * 3)[:200]
    data = render_layer(sample_pipeline, "Ada Example", note, "en-GB", Box(487, height),
                        style=STANDARD)
    with pdfplumber.open(io.BytesIO(data)) as document:
        [page] = document.pages
        chars = page.chars
        assert "".join(note.split()) in printed(chars)
        assert {round(c["size"], 1) for c in chars if c["text"] == "T"} == sizes
        assert all(c["x0"] >= 0 and c["x1"] <= 487.5 and c["bottom"] <= height + 0.5
                   for c in chars)
    with pytest.raises(DoesNotFitError):
        render_layer(sample_pipeline, "Ada Example", note, "en-GB", Box(487, 45),
                     style=STANDARD)


@pytest.mark.parametrize("note", ["M" * 200, "W" * 200, "\ufdfd" * 60])
def test_text_that_cannot_fit_is_refused_and_nothing_is_made(sample_pipeline, store, note):
    with pytest.raises(DoesNotFitError, match="do not fit in the box on the front"):
        make(sample_pipeline, store, "Ada Example", note)


@pytest.mark.parametrize(("name", "shown"), [
    ("Ada 😀", "U+1F600"), ("สมชาย", "U+0E2A"), ("Ada ᚠᚢᚦ", "U+16A0"),
])
def test_a_script_the_fonts_lack_is_refused_before_rendering(sample_pipeline, tmp_path, name,
                                                             shown):
    empty = cache.RenderCache(tmp_path / "cache")
    with pytest.raises(UnprintableError) as refused:
        make(sample_pipeline, empty, name)
    assert "The patient's name has a character the journal's fonts cannot print" in \
        str(refused.value)
    assert shown in str(refused.value)
    assert not (tmp_path / "cache").exists()           # nothing was rendered
    with pytest.raises(UnprintableError, match="The note has a character"):
        make(sample_pipeline, empty, "Ada", f"See you soon {name}")


def test_the_cli_refuses_an_unprintable_name_plainly(tmp_path, capsys):
    from printjournal import cli
    from tests.conftest import REPO
    out = tmp_path / "leaflet.pdf"
    status = cli.main(["-C", str(REPO), "leaflet", "sleep-and-immunity", "--for", "Ada 😀",
                       "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and "cannot print: “😀” (U+1F600" in err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_a_note_that_fills_the_box_keeps_the_box_whole(sample_pipeline, store, large_print):
    """The box's rounded border is drawn whole inside its slot, bottom edge included, when
    a long note fills it (it once grew past the slot: the note's last line fitted, the
    border and padding under it did not)."""
    note = ("Wm Walk wide " * 16)[:200 if not large_print else 160]
    request = leaflet.LeafletRequest(("sleep-and-immunity",),
                                     style="large-print" if large_print else "standard")
    data = make(sample_pipeline, store, "Maximiliana Featherstonehaugh", note, request)
    box, chars, height = front(data)
    assert "".join(note.split()) in printed(chars)
    top, bottom = height - box.y - box.height, height - box.y
    with pdfplumber.open(io.BytesIO(data)) as document:
        edges = [c for c in document.pages[0].curves
                 if abs(c["x0"] - box.x) < 2 and abs(c["x1"] - box.x - box.width) < 2]
    assert edges, "the box's border is not drawn"
    for border in edges:          # the outer and inner edges of the border, each whole
        assert top - 0.5 <= border["top"] < top + 2
        assert bottom - 2 < border["bottom"] <= bottom + 0.5
