"""A PDF file in, what its renders say out: total ink per page, engines in agreement.

- **ink**: Ghostscript renders every page as CMYK separations (tiff32nc, 72 dpi,
  one pixel per 1/72 inch: the area a press's ink limit is stated for); the sum
  C + M + Y + K of the worst pixel must stay within ``ink_limit`` (%); each page
  over it is reported with where its worst spot is.
- **engines**: Poppler (pdftoppm: Evince, Okular, CUPS), PDFium (pypdfium2:
  Chromium) and Ghostscript (many RIPs) draw every page at 30 dpi, each
  converting CMYK the plain way (no ICC: the same arithmetic in all three),
  averaged over cells of 6 × 6 pixels (5 mm). Two renders disagree where a cell's grey
  differs by more than :data:`PIXEL_DELTA` (of 255); a page fails when more than
  :data:`AREA_SHARE` of its cells do: a white block over the art, a clipped shape,
  a missing line of text. Anti-aliasing and rounding stay far below both.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageChops, ImageMath, ImageStat

from .checks import MM, Finding

INK_DPI = 72
COMPARE_DPI = 30
BLUR = 6                  # pixels averaged each way before comparing (5 mm at 30 dpi)
PIXEL_DELTA = 64          # of 255, in grey
AREA_SHARE = 0.02         # of a page's area
ENGINES = ("poppler", "pdfium", "ghostscript")
RENDERED = ("ink", "engines")


def check_renders(path: Path, ink_limit: int) -> list[Finding]:
    """The ink and engine checks of ``path`` (needs Ghostscript and pdftoppm)."""
    missing = [tool for tool in ("gs", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        return [Finding(check, "fail", f"cannot check: {' and '.join(missing)} not "
                        "installed (./run.sh installs them)") for check in ("ink", "engines")]
    with tempfile.TemporaryDirectory(prefix="printjournal-preflight-") as folder:
        work = Path(folder)
        return [*_ink(path, work, ink_limit), *_engines(path, work)]


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def _gs(path: Path, out: Path, device: str, dpi: int, *extra: str) -> list[Path]:
    out.mkdir()
    _run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", f"-sDEVICE={device}", f"-r{dpi}",
          *extra, f"-sOutputFile={out}/%04d.{'tif' if 'tiff' in device else 'png'}",
          str(path)])
    return sorted(out.iterdir())


def _ink(path: Path, work: Path, limit: int) -> Iterator[Finding]:
    # -dUseFastColor: the separations as the file gives them (no ICC round trip), 4× faster
    for number, tiff in enumerate(_gs(path, work / "ink", "tiff32nc", INK_DPI,
                                      "-dUseFastColor"), start=1):
        with Image.open(tiff) as image:
            total = ImageMath.lambda_eval(
                lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                **dict(zip("cmyk", image.split(), strict=True)))
        worst = total.getextrema()[1] * 100 / 255
        if worst > limit + 0.5:
            spot = ImageMath.lambda_eval(lambda a: a["equal"](a["t"], a["top"]) * 255,
                                         t=total, top=total.getextrema()[1])
            x, y = spot.convert("L").getbbox()[:2]
            yield Finding("ink", "fail", f"{worst:.0f} % ink (limit {limit} %) at "
                          f"{x * 72 / INK_DPI / MM:.0f} mm from the left, "
                          f"{y * 72 / INK_DPI / MM:.0f} mm from the top", number)


def _renders(path: Path, work: Path) -> dict[str, list[Image.Image]]:
    import pypdfium2

    (work / "poppler").mkdir()
    _run(["pdftoppm", "-png", "-r", str(COMPARE_DPI), str(path), str(work / "poppler" / "p")])
    poppler = [Image.open(p).convert("L") for p in sorted((work / "poppler").iterdir())]
    ghostscript = [Image.open(p).convert("L") for p in
                   _gs(path, work / "gs", "png16m", COMPARE_DPI, "-dUseFastColor",
                       "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4")]
    document = pypdfium2.PdfDocument(str(path))
    try:
        pdfium = [page.render(scale=COMPARE_DPI / 72).to_pil().convert("L")
                  for page in document]
    finally:
        document.close()
    return {"poppler": poppler, "pdfium": pdfium, "ghostscript": ghostscript}


def _engines(path: Path, work: Path) -> Iterator[Finding]:
    renders = _renders(path, work)
    counts = {name: len(pages) for name, pages in renders.items()}
    if len(set(counts.values())) != 1:
        yield Finding("engines", "fail", f"the engines draw different page counts: {counts}")
        return
    for number, pages in enumerate(zip(*renders.values(), strict=True), start=1):
        base = pages[0]
        for name, other in zip(ENGINES[1:], pages[1:], strict=True):
            share = _differing(base, other.resize(base.size))
            if share > AREA_SHARE:
                yield Finding("engines", "fail", f"Poppler and {_label(name)} draw "
                              f"{share:.0%} of the page differently", number)


def _label(name: str) -> str:
    return {"pdfium": "PDFium", "ghostscript": "Ghostscript"}[name]


def _toned_as(image: Image.Image, reference: Image.Image) -> Image.Image:
    """``image`` with its greys mapped linearly (least squares) onto ``reference``'s: each
    engine separates CMYK into screen colours its own way, a difference of tone only."""
    mean_x, mean_y = ImageStat.Stat(image).mean[0], ImageStat.Stat(reference).mean[0]
    xx = ImageMath.lambda_eval(lambda a: a["x"] * a["x"], x=image)
    xy = ImageMath.lambda_eval(lambda a: a["x"] * a["y"], x=image, y=reference)
    spread = ImageStat.Stat(xx).mean[0] - mean_x * mean_x
    if spread < 1:
        return image
    gain = (ImageStat.Stat(xy).mean[0] - mean_x * mean_y) / spread
    return image.point(lambda v: gain * v + (mean_y - gain * mean_x))


def _differing(one: Image.Image, two: Image.Image) -> float:
    """The share of the page whose grey differs by more than PIXEL_DELTA, once both are
    averaged over cells of BLUR pixels (text becomes an even grey: its anti-aliasing,
    and a pixel's offset between engines, drop out; a block or a missing shape stays)."""
    size = (max(1, one.width // BLUR), max(1, one.height // BLUR))
    one, two = one.resize(size, Image.Resampling.BOX), two.resize(size, Image.Resampling.BOX)
    two = _toned_as(two, one)
    changed = ImageChops.difference(one, two).point(
        lambda v: 255 if v > PIXEL_DELTA else 0)
    return changed.histogram()[255] / (one.width * one.height)
