"""The closing panel's QR captions on paper: every glyph of an address inside its own
figure's column, none under a QR code (whose white quiet zone would paint over it while
the text layer still held the whole address), and the address read back line by line is
the article's URL, broken after a "/" or before one of its own hyphens.

Two short articles with long slugs (the sample's longest, and a made-up 40-character one),
one with a title word wider than its caption, in a throwaway project, as A4 two-column,
A5 and large-print leaflets: a page or two each.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pdfplumber
import pytest

from printjournal import cache
from printjournal.leaflet import build as leaflet
from printjournal.pipeline import Pipeline

from .conftest import ARTICLE, TmpProject
from .test_leaflet_parts import CLINIC

TODAY = dt.date(2026, 11, 21)
SLUGS = ("understanding-blood-pressure", "managing-type-2-diabetes-in-older-adults")
#: a title word wider than the caption at 8 pt (about 36 mm of Inter Semi Bold)
TITLES = ("Reading your electroencephalography results", "Type 2 diabetes in older adults")
KINDS = {"a4": {}, "a5": {"paper": "A5"}, "large": {"style": "large-print"}}


@pytest.fixture(scope="module")
def leaflets(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """Each kind of leaflet of the two articles: its PDF and the articles' URLs."""
    root = tmp_path_factory.mktemp("qr-captions")
    project = TmpProject(root / "project")
    config = (project.root / "printjournal.toml").read_text()    # the sample's address
    project.write("printjournal.toml",
                  config.replace("test.example", "cureon.example") + CLINIC)
    for slug, title in zip(SLUGS, TITLES, strict=True):
        project.article(slug, ARTICLE.replace("A small article", title))
    pipeline = Pipeline.load(project.project())
    store = cache.RenderCache(root / "cache")
    urls = [a.url for a in leaflet.select_articles(pipeline.project, SLUGS)]
    assert max(len(url.rsplit("/", 1)[1]) for url in urls) == 40
    out = {}
    for name, options in KINDS.items():
        request = leaflet.LeafletRequest(SLUGS, **options)
        path = root / f"{name}.pdf"
        path.write_bytes(leaflet.leaflet(pipeline, request, TODAY, None, store).data)
        out[name] = (path, urls)
    return out


def _captions(pdf: Path) -> tuple[list[dict], dict[int, list[dict]], dict[int, float]]:
    """The last page's QR codes (their white quiet zones: square filled rects, left to
    right, top to bottom), the caption glyphs each code owns (those below "Scan to read",
    inside the panel, owned by the nearest code on their left), and where each code's
    column ends on the right (the next code in its row, else the panel's inner edge)."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[-1]
        codes = sorted((r for r in page.rects if r["fill"] and r["width"] > 50
                        and abs(r["width"] - r["height"]) < 1), key=lambda r: (r["top"], r["x0"]))
        panel = max(page.curves, key=lambda c: c["width"] * c["height"])
        scan = page.search("Scan to read the latest version online")[0]
        chars = [c for c in page.chars if c["top"] > scan["bottom"]
                 and c["bottom"] < panel["bottom"] and c["text"].strip()]
    assert codes and chars
    inner_right = panel["x1"] - 7 * 72 / 25.4      # leaflet.css: the panel's 7 mm padding
    ends = {}
    for i, code in enumerate(codes):
        row = [c for c in codes if abs(c["top"] - code["top"]) < 1 and c["x0"] > code["x0"]]
        ends[i] = min([c["x0"] for c in row], default=inner_right)
    owned: dict[int, list[dict]] = {i: [] for i in range(len(codes))}
    for char in chars:
        middle = (char["top"] + char["bottom"]) / 2
        left = [i for i, c in enumerate(codes) if c["x1"] <= char["x0"] + 0.5]
        assert left, ("a caption glyph left of every code", char["text"], char["x0"])
        owner = min(left, key=lambda i: (round(abs((codes[i]["top"] + codes[i]["bottom"]) / 2
                                                   - middle)), -codes[i]["x1"]))
        owned[owner].append(char)
    return codes, owned, ends


def _lines(chars: list[dict]) -> list[str]:
    """The text of ``chars`` line by line (top to bottom, each left to right)."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if rows and abs(rows[-1][0]["top"] - char["top"]) < 2:
            rows[-1].append(char)
        else:
            rows.append([char])
    return ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])) for row in rows]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_caption_glyph_stands_in_its_own_column_clear_of_every_code(leaflets, kind):
    pdf, _ = leaflets[kind]
    codes, owned, ends = _captions(pdf)
    assert len(codes) == len(SLUGS), kind
    for i, chars in owned.items():
        assert chars, (kind, "a code without a caption", i)
        for char in chars:
            assert char["x1"] <= ends[i] + 0.2, (kind, char["text"], char["x1"], ends[i])
            for code in codes:
                inside = (char["x1"] > code["x0"] and char["x0"] < code["x1"]
                          and char["bottom"] > code["top"] and char["top"] < code["bottom"])
                assert not inside, (kind, "under a QR code", char["text"], char["x0"])


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_caption_reads_back_as_its_articles_address(leaflets, kind):
    """Joined line by line (U+200B removed), the address printed beside each code is the
    article's URL; each line ends after a "/" or the next opens with the address's own
    hyphen (breaks.address_lines), never "understanding-" / "blood"."""
    pdf, urls = leaflets[kind]
    _, owned, _ = _captions(pdf)
    for (_, chars), url in zip(sorted(owned.items()), urls, strict=True):
        lines = [line.replace("\u200b", "") for line in _lines(chars)]
        start = next(i for i, line in enumerate(lines) if line.startswith("https:"))
        address = lines[start:]
        assert "".join(address) == url, (kind, address)
        for line, after in itertools.pairwise(address):
            assert line.endswith("/") or after.startswith("-"), (kind, address)
            assert not line.endswith("-"), (kind, address)
