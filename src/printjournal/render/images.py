"""An image file in, the bytes WeasyPrint should print out (normalised where it errs).

WeasyPrint 70 prints most images an editor exports as they look on screen: PNGs of
1, 2, 4 and 8 bits, grey or colour, with alpha or a transparent palette, 16-bit
colour, JPEGs turned by their EXIF orientation, CMYK JPEGs, SVGs with or without a
size (tests/corpus/images-*.md prove each, pixel by pixel). One kind it gets wrong:
a 16-bit greyscale PNG prints black. Such files are converted to 8-bit greyscale
PNGs with Pillow here; the result is kept in ``.printjournal-cache/images/`` under
the source's SHA-256, so each file is converted once.

SVGs have no pixel count to guard, so :func:`svg_problem` sets limits instead:
:data:`MAX_SVG_BYTES` and :data:`MAX_SVG_ELEMENTS` (an SVG of a million elements
took 144 s and 4 GB to render); ``check`` reports one past them at the image's line.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path

#: An SVG larger than this is refused: a chart or diagram is a few hundred kilobytes.
MAX_SVG_BYTES = 5_000_000
#: ... and one with more elements than this (a detailed map has a few thousand).
MAX_SVG_ELEMENTS = 50_000
_SVG_ELEMENT = re.compile(rb"<[A-Za-z]")


def needs_normalising(mode: str, format_: str | None) -> bool:
    """Whether WeasyPrint misprints an image of this Pillow ``mode`` and format."""
    return format_ == "PNG" and mode in ("I;16", "I;16B", "I;16L", "I")


def printable(path: Path, cache_folder: Path) -> Path:
    """The file to give WeasyPrint for the raster image at ``path``: itself, or its
    normalised copy in ``cache_folder`` (WeasyPrint reads a local image again by its
    path when it writes the PDF, so the copy must be a file, not just bytes)."""
    from PIL import Image

    with Image.open(path) as image:
        if not needs_normalising(image.mode, image.format):
            return path
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        cached = cache_folder / "images" / f"{digest}.png"
        if cached.is_file():
            return cached
        # 16-bit grey to 8 bits: the top byte of each sample
        grey = image.convert("I").point(lambda value: value / 257).convert("L")
        out = io.BytesIO()
        grey.save(out, format="PNG")
    cached.parent.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(out.getvalue())
    temporary.replace(cached)
    return cached


def svg_problem(target: Path, shown: str) -> str | None:
    """Why the SVG at ``target`` is refused (too large to render in bounded time), or None."""
    size = target.stat().st_size
    if size > MAX_SVG_BYTES:
        return (f"image '{shown}' is an SVG of {size / 1e6:.1f} MB; at most "
                f"{MAX_SVG_BYTES // 1_000_000} MB are printed (simplify the drawing or "
                "export it as a PNG)")
    elements = len(_SVG_ELEMENT.findall(target.read_bytes()))
    if elements > MAX_SVG_ELEMENTS:
        return (f"image '{shown}' is an SVG of {elements:,} elements; at most "
                f"{MAX_SVG_ELEMENTS:,} are printed (simplify the drawing or export it as "
                "a PNG)")
    return None
