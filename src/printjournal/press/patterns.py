"""A PDF (pikepdf) in, its gradient fills drawn the way every engine draws alike out.

WeasyPrint fills an SVG shape with a gradient through a tiling pattern whose one
cell draws a transparency-group form holding the gradient (``/x0 Do`` → ``/s0 sh``).
Poppler (Evince, Okular, CUPS printing) draws such a pattern wrongly: the shapes
come out as their bounding rectangles, white blocks cover the art and text beside
it. PDFium and Ghostscript draw it right. A gradient is what a shading pattern
(PatternType 2) is for, and all three draw those alike, so each tiling pattern
that only paints one shading, opaque, is replaced by the shading pattern with the
same shading and the same placement (the form's matrix, then the pattern's). A
pattern that does more (a soft mask, several shadings) is left as it is; the
preflight's comparison of the engines says whether it is drawn alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name

from .checks import Matrix, multiply

_IDENTITY = [1, 0, 0, 1, 0, 0]


def shading_patterns(pdf: pikepdf.Pdf) -> int:
    """Replace each gradient-only tiling pattern of ``pdf``; returns how many."""
    replaced: dict[tuple[int, int], pikepdf.Object] = {}
    for obj in list(pdf.objects):
        if isinstance(obj, pikepdf.Stream) and obj.get("/PatternType") == 1:
            shading = _only_shading(obj)
            if shading is not None:
                replaced[obj.objgen] = pdf.make_indirect(shading)
    if replaced:
        for resources in _resources(pdf):
            patterns = resources.get("/Pattern")
            if isinstance(patterns, Dictionary):
                for name in list(patterns.keys()):
                    pattern = patterns[name]
                    if pattern.is_indirect and pattern.objgen in replaced:
                        patterns[name] = replaced[pattern.objgen]
    return len(replaced)


def _only_shading(pattern: pikepdf.Stream) -> Dictionary | None:
    """The shading pattern drawing what ``pattern`` draws, or None if it draws more."""
    steps = _operations(pattern)
    states = pattern.get("/Resources", Dictionary()).get("/ExtGState", Dictionary())
    if steps and steps[0][0] == "gs":
        state = states.get(str(steps[0][1][0]))
        if state is None or set(state.keys()) - {"/Type", "/ca", "/CA"} or any(
                float(state.get(k, 1)) != 1 for k in ("/ca", "/CA")):
            return None
        steps = steps[1:]
    if len(steps) != 1 or steps[0][0] != "Do":
        return None
    forms = pattern.Resources.get("/XObject", Dictionary())
    form = forms.get(str(steps[0][1][0]))
    if form is None or form.get("/Subtype") != Name.Form:
        return None
    inner = _operations(form)
    if len(inner) != 1 or inner[0][0] != "sh":
        return None
    shading = form.get("/Resources", Dictionary()).get("/Shading", Dictionary()).get(
        str(inner[0][1][0]))
    if shading is None:
        return None
    matrix = multiply(_matrix(form), _matrix(pattern))
    return Dictionary(Type=Name.Pattern, PatternType=2, Shading=shading,
                      Matrix=Array([Decimal(str(round(v, 6))) for v in matrix]))


def _operations(stream: pikepdf.Stream) -> list[tuple[str, list]]:
    """The operators of a content stream, without q/Q pairs that enclose nothing else."""
    return [(str(op), list(operands)) for operands, op in pikepdf.parse_content_stream(stream)
            if str(op) not in ("q", "Q")]


def _matrix(obj: pikepdf.Object) -> Matrix:
    return tuple(float(v) for v in obj.get("/Matrix", _IDENTITY))


def _resources(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    for page in pdf.pages:
        if "/Resources" in page.obj:
            yield page.obj.Resources
    for obj in pdf.objects:
        if isinstance(obj, Dictionary | pikepdf.Stream) and isinstance(
                obj.get("/Resources"), Dictionary):
            yield obj.Resources
