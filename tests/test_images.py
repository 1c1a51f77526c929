"""Every kind of image an editor exports prints as it looks on screen, or is refused.

The corpus cases images-*.md show the same drawing (tests/corpus/images/reference.png)
as PNGs of every bit depth and colour type and as JPEGs (EXIF-rotated, CMYK). Each is
rendered once, the PDF page drawn to pixels (pypdfium2), and each printed image compared
with the reference, coarsely (a 24 by 16 grid of average colours): a black, inverted,
sideways or half-drawn image fails.
"""

from __future__ import annotations

import re
import shutil

import pdfplumber
import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageStat

from printjournal.pipeline import Pipeline, build_article
from printjournal.render import images

from .conftest import REPO

CORPUS = REPO / "tests" / "corpus"
GRID = (24, 16)
SCALE = 2.0


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Image.Image]:
    """Each image's caption ("PNG: 1bit", "Camera photo") → what the page shows there."""
    from .conftest import TmpProject

    project = TmpProject(tmp_path_factory.mktemp("images") / "project")
    shutil.copytree(CORPUS / "images", project.root / "content" / "images", dirs_exist_ok=True)
    pipeline = Pipeline.load(project.project())
    shown: dict[str, Image.Image] = {}
    for case in ("images-png-kinds", "images-jpeg-kinds"):
        path = project.article(case, (CORPUS / f"{case}.md").read_text())
        pdf = project.root / f"{case}.pdf"
        build_article(pipeline, path, pdf)
        document = pypdfium2.PdfDocument(pdf)
        with pdfplumber.open(pdf) as plumber:
            for number, page in enumerate(plumber.pages):
                bitmap = document[number].render(scale=SCALE).to_pil().convert("RGB")
                words = page.extract_words()
                for image in page.images:
                    caption = " ".join(w["text"] for w in words
                                       if 0 < w["top"] - image["bottom"] < 20)
                    box = tuple(round(v * SCALE) for v in (image["x0"], image["top"],
                                                           image["x1"], image["bottom"]))
                    caption = re.sub(r"^Figure \d+\. ", "", caption)  # the layout's number
                    shown[caption] = bitmap.crop(box)
    return shown


#: the PNG kinds → whether the file is grey (compared in grey) or colour
KINDS = {"1bit": "L", "4bit-grey": "L", "grey-alpha": "L", "16bit-grey": "L",
         "16bit-rgb": "RGB", "palette-transparent": "RGB", "rgba": "RGB"}


def _difference(shown: Image.Image, mode: str) -> float:
    reference = Image.open(CORPUS / "images" / "reference.png").convert(mode)
    a = shown.convert(mode).resize(GRID, Image.Resampling.BOX)
    b = reference.resize(GRID, Image.Resampling.BOX)
    return max(ImageStat.Stat(ImageChops.difference(a, b)).mean)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_png_kind_prints_as_it_looks(printed, kind):
    assert _difference(printed[f"PNG: {kind}"], KINDS[kind]) < 12, kind


def test_a_camera_photo_prints_the_right_way_up(printed):
    assert _difference(printed["Camera photo"], "RGB") < 12


def test_a_cmyk_photo_prints_in_its_colours(printed):
    """A CMYK file goes into the PDF as CMYK (what the print shop wants), so the PDF
    viewer converts it to screen colours in its own way: close to Pillow's plain
    conversion, far from the inverted colours of a misread Adobe CMYK JPEG."""
    source = Image.open(CORPUS / "images" / "photo-cmyk.jpg")
    expected = source.convert("RGB").resize(GRID, Image.Resampling.BOX)
    shown = printed["CMYK photo"].convert("RGB").resize(GRID, Image.Resampling.BOX)
    assert max(ImageStat.Stat(ImageChops.difference(shown, expected)).mean) < 40
    inverted = ImageChops.invert(expected)
    assert min(ImageStat.Stat(ImageChops.difference(shown, inverted)).mean) > 100


def test_a_16bit_grey_png_is_converted_once_into_the_cache(tmp_path):
    source = CORPUS / "images" / "kind-16bit-grey.png"
    first = images.printable(source, tmp_path)
    assert first != source and first.is_relative_to(tmp_path)
    assert Image.open(first).mode == "L"
    mtime = first.stat().st_mtime_ns
    assert images.printable(source, tmp_path) == first and first.stat().st_mtime_ns == mtime
    assert images.printable(CORPUS / "images" / "kind-rgba.png", tmp_path) \
        == CORPUS / "images" / "kind-rgba.png"
