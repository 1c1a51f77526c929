"""A PDF file in, a printer's preflight report out: what passes, warns and fails.

The checks a print shop runs before it accepts a file, on pikepdf's reading of the
objects (this module) and on renders (renders.py):

- PDF/X identification (``GTS_PDFXVersion`` in the XMP) and a GTS_PDFX output
  intent with a CMYK profile and its condition identifier;
- no RGB anywhere: fill and stroke operators and colour spaces in every content
  stream, images, shadings, transparency groups, annotations;
- every font embedded, and no two font objects under one name;
- each image's effective resolution where it is drawn (warn under 300 dpi, fail
  under 200);
- TrimBox and BleedBox on every page, the bleed the printer asks for on each side;
- a page count that is a multiple of 4; no links, no form fields;
- total ink (renders.py): the worst spot of every page within the ink limit;
- Poppler, PDFium and Ghostscript draw every page alike (renders.py).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..model import PrintSettings
from .colour import is_rgb, shadings
from .fontnames import font_names

MM = 72 / 25.4
WARN_DPI, FAIL_DPI = 300, 200


@dataclass(frozen=True)
class Finding:
    check: str        # "pdfx", "rgb", "ink", "fonts", "images", "boxes", "pages", ...
    level: str        # "fail" or "warn"
    message: str
    page: int | None = None


@dataclass(frozen=True)
class Report:
    path: Path
    pages: int
    checks: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def failed(self) -> bool:
        return any(f.level == "fail" for f in self.findings)

    def failing(self, check: str) -> list[Finding]:
        return [f for f in self.findings if f.check == check and f.level == "fail"]

    def text(self) -> str:
        lines = [f"preflight {self.path} ({self.pages} pages)"]
        for check in self.checks:
            found = [f for f in self.findings if f.check == check]
            verdict = "FAIL" if any(f.level == "fail" for f in found) else \
                "warn" if found else "ok"
            lines.append(f"  {verdict:4}  {check}")
            lines += [f"        {'page ' + str(f.page) + ': ' if f.page else ''}{f.message}"
                      for f in found[:12]]
            if len(found) > 12:
                lines.append(f"        ... and {len(found) - 12} more")
        lines.append("FAILED: not ready for the press" if self.failed else
                     "passed: ready for the press")
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps({"file": str(self.path), "pages": self.pages,
                           "passed": not self.failed, "checks": list(self.checks),
                           "findings": [asdict(f) for f in self.findings]}, indent=2)


STRUCTURE = ("pdfx", "rgb", "fonts", "images", "boxes", "pages", "interactive")


def check_structure(pdf: pikepdf.Pdf, settings: PrintSettings) -> list[Finding]:
    """Every check that reads the objects (not the renders)."""
    return [*_pdfx(pdf), *_rgb(pdf), *_fonts(pdf), *_images(pdf),
            *_boxes(pdf, settings.bleed_mm), *_pages(pdf), *_interactive(pdf)]


def _pdfx(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    with pdf.open_metadata() as meta:
        version = meta.get("pdfxid:GTS_PDFXVersion") or str(pdf.docinfo.get("/GTS_PDFXVersion",
                                                                            ""))
    if not version.startswith("PDF/X"):
        yield Finding("pdfx", "fail", "not identified as PDF/X (no GTS_PDFXVersion)")
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == Name.GTS_PDFX]
    if not intents:
        yield Finding("pdfx", "fail", "no PDF/X output intent (the press profile)")
        return
    intent = intents[0]
    profile = intent.get("/DestOutputProfile")
    if not str(intent.get("/OutputConditionIdentifier", "")):
        yield Finding("pdfx", "fail", "the output intent names no output condition")
    if profile is None or int(profile.get("/N", 0)) != 4:
        yield Finding("pdfx", "fail", "the output intent's profile is not a CMYK profile")


def _pages_of(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Page]]:
    yield from enumerate(pdf.pages, start=1)


def _rgb(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    for number, page in _pages_of(pdf):
        yield from _rgb_drawing(page.obj, page.obj.get("/Resources"), number, set())
        for annotation in page.obj.get("/Annots", []):
            if len(annotation.get("/C", [])) == 3 or len(annotation.get("/IC", [])) == 3:
                yield Finding("rgb", "fail", "an annotation in RGB", number)
    for obj in pdf.objects:
        if not isinstance(obj, Dictionary | pikepdf.Stream):
            continue
        where = f"object {obj.objgen[0]}"
        if obj.get("/Subtype") == Name.Image and is_rgb(obj.get("/ColorSpace")):
            yield Finding("rgb", "fail", f"an RGB image ({where})")
        group = obj.get("/Group")
        if isinstance(group, Dictionary) and is_rgb(group.get("/CS")):
            yield Finding("rgb", "fail", f"an RGB transparency group ({where})")
    for shading in shadings(pdf):
        if is_rgb(shading.get("/ColorSpace")):
            where = f"object {shading.objgen[0]}" if shading.is_indirect else "in a pattern"
            yield Finding("rgb", "fail", f"an RGB shading or gradient ({where})")


def _rgb_drawing(owner: pikepdf.Object, resources: pikepdf.Object | None, number: int,
                 seen: set[tuple[int, int]]) -> Iterator[Finding]:
    """RGB operators in the content of a page and of the forms and patterns it draws."""
    resources = resources if isinstance(resources, Dictionary) else Dictionary()
    spaces = resources.get("/ColorSpace") or Dictionary()
    for operands, operator in _instructions(owner):
        op = str(operator)
        if op in ("rg", "RG"):
            yield Finding("rgb", "fail", f"text or lines in RGB ({op} "
                          f"{' '.join(str(v) for v in operands)})", number)
            return
        if op in ("cs", "CS") and is_rgb(spaces.get(str(operands[0]), operands[0])):
            yield Finding("rgb", "fail", f"an RGB colour space ({operands[0]})", number)
            return
        if op == "INLINE IMAGE":
            yield Finding("rgb", "fail", "an inline image (convert it to an image object)",
                          number)
    for kind in ("/XObject", "/Pattern"):
        for child in (resources.get(kind) or Dictionary()).values():
            if isinstance(child, pikepdf.Stream) and child.objgen not in seen and (
                    child.get("/Subtype") == Name.Form or child.get("/PatternType") == 1):
                seen.add(child.objgen)
                yield from _rgb_drawing(child, child.get("/Resources") or resources, number,
                                        seen)


def _instructions(owner: pikepdf.Object) -> Iterator[tuple[list, pikepdf.Operator]]:
    for instruction in pikepdf.parse_content_stream(owner):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield [], pikepdf.Operator("INLINE IMAGE")
        else:
            yield instruction.operands, instruction.operator


def _fonts(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    for obj in pdf.objects:
        if not (isinstance(obj, Dictionary) and obj.get("/Type") == Name.Font) or \
                obj.get("/Subtype") in (Name.Type0, Name.Type3):
            continue
        descriptor = obj.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in
                                         ("/FontFile", "/FontFile2", "/FontFile3")):
            yield Finding("fonts", "fail", f"font {obj.get('/BaseFont')} is not embedded")
    for name, count in font_names(pdf).items():
        if count > 1:
            yield Finding("fonts", "fail", f"{count} different fonts are named {name.lstrip('/')}"
                          " (a RIP may take one for another)")


def _images(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    worst: dict[tuple[int, tuple[int, int]], float] = {}
    for number, page in _pages_of(pdf):
        for image, dpi in _placed_images(page.obj, page.obj.get("/Resources"), (1, 0, 0, 1, 0,
                                                                                0), set()):
            key = (number, image.objgen)
            worst[key] = min(dpi, worst.get(key, dpi))
    for (number, objgen), dpi in sorted(worst.items()):
        if dpi < WARN_DPI:
            level = "fail" if dpi < FAIL_DPI else "warn"
            yield Finding("images", level, f"an image at {dpi:.0f} dpi (object {objgen[0]}): "
                          f"{WARN_DPI} dpi wanted, under {FAIL_DPI} fails", number)


Matrix = tuple[float, float, float, float, float, float]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The PDF matrix product m × n (m applied first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def _placed_images(owner: pikepdf.Object, resources: pikepdf.Object | None, ctm: Matrix,
                   forms: set[tuple[int, int]]) -> Iterator[tuple[pikepdf.Stream, float]]:
    """Each image drawn by a content stream, with its effective resolution (pixels per
    inch of the drawn size, the lower of its two directions)."""
    resources = resources if isinstance(resources, Dictionary) else Dictionary()
    objects = resources.get("/XObject") or Dictionary()
    stack: list[Matrix] = []
    for operands, operator in _instructions(owner):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm" and len(operands) == 6:
            ctm = multiply(tuple(float(v) for v in operands), ctm)
        elif op == "Do" and str(operands[0]) in objects:
            child = objects[str(operands[0])]
            if child.get("/Subtype") == Name.Image:
                a, b, c, d = ctm[:4]
                wide, high = math.hypot(a, b) / 72, math.hypot(c, d) / 72
                if wide > 0 and high > 0:
                    yield child, min(int(child.Width) / wide, int(child.Height) / high)
            elif child.get("/Subtype") == Name.Form and child.objgen not in forms:
                matrix = tuple(float(v) for v in child.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                yield from _placed_images(child, child.get("/Resources") or resources,
                                          multiply(matrix, ctm), forms | {child.objgen})


def _boxes(pdf: pikepdf.Pdf, bleed_mm: float) -> Iterator[Finding]:
    bleed = bleed_mm * MM
    for number, page in _pages_of(pdf):
        trim, box = page.obj.get("/TrimBox"), page.obj.get("/BleedBox")
        if trim is None or box is None:
            yield Finding("boxes", "fail", "no TrimBox" if trim is None else "no BleedBox",
                          number)
            continue
        t, b = _rect(trim), _rect(box)
        media = _rect(page.obj.MediaBox)
        gaps = (t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3])
        if any(abs(g - bleed) > 0.1 for g in gaps):
            yield Finding("boxes", "fail", f"the bleed is {min(gaps) / MM:.1f}–"
                          f"{max(gaps) / MM:.1f} mm, not {bleed_mm:g} mm", number)
        if b[0] < media[0] - 0.01 or b[1] < media[1] - 0.01 or b[2] > media[2] + 0.01 \
                or b[3] > media[3] + 0.01:
            yield Finding("boxes", "fail", "the BleedBox reaches beyond the page", number)


def _rect(box: Array) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _pages(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    if len(pdf.pages) % 4:
        yield Finding("pages", "fail", f"{len(pdf.pages)} pages: a saddle-stitched issue needs"
                      " a multiple of 4")


def _interactive(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    if pdf.Root.get("/AcroForm") is not None and len(pdf.Root.AcroForm.get("/Fields", [])):
        yield Finding("interactive", "fail", "form fields")
    for number, page in _pages_of(pdf):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") in (Name.Link, Name.Widget):
                yield Finding("interactive", "fail",
                              f"a {str(annotation.Subtype).lstrip('/').lower()}", number)
                break
