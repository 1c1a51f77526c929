"""An assembled PDF (pikepdf) and a CMYK press profile in, the PDF in CMYK out.

WeasyPrint writes what the stylesheets and the art ask for: sRGB fills and strokes,
RGB gradients, RGB images, RGB transparency groups. A press prints four inks, so
every colour is converted here, whatever made it, to DeviceCMYK through the press
profile (littleCMS, through Pillow's ImageCms; relative colorimetric with black
point compensation):

- a neutral grey or black (R = G = B) becomes black ink only (gray-to-K), so text
  and rules never print in four colours that must register;
- fills and strokes (``rg``/``RG``, ``sc``/``scn`` in an RGB space) in every page,
  form and tiling pattern;
- shadings: their colour space and the colours of their functions (the stops of
  a gradient), the background;
- images: decoded and converted pixel by pixel (their soft masks stay grey);
- transparency groups and soft-mask backdrops.

A colour this module cannot convert (an inline image, a sampled function, a mesh
shading in RGB) is left as it is and ``preflight`` names it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator
from PIL import Image, ImageCms

_FILL = {"rg": "k", "RG": "K"}
_SPACE = {"cs": "fill", "CS": "stroke"}
_SET = {"sc": "fill", "scn": "fill", "SC": "stroke", "SCN": "stroke"}


def is_rgb(space: object) -> bool:
    """Whether a colour space object is RGB: DeviceRGB, CalRGB, ICCBased with 3
    components, or Indexed over one of these."""
    if isinstance(space, Name):
        return space in (Name.DeviceRGB, Name.RGB, Name.CalRGB)
    if isinstance(space, Array) and len(space) > 0:
        family = space[0]
        if family == Name.ICCBased:
            return int(space[1].get("/N", 0)) == 3
        if family == Name.CalRGB:
            return True
        if family in (Name.Indexed, Name.I):
            return is_rgb(space[1])
    return False


@dataclass(frozen=True)
class Press:
    """The press profile as littleCMS transforms from sRGB."""

    profile: bytes

    @property
    def _transform(self) -> ImageCms.ImageCmsTransform:
        return _transform(self.profile)

    def cmyk(self, rgb: Sequence[float]) -> tuple[float, ...]:
        """One sRGB colour (0-1) → C, M, Y, K (0-1); a neutral grey → black ink only."""
        r, g, b = (min(1.0, max(0.0, float(v))) for v in rgb)
        if max(r, g, b) - min(r, g, b) < 0.5 / 255:
            return (0.0, 0.0, 0.0, round(1 - (r + g + b) / 3, 4))
        pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (r, g, b)))
        out = ImageCms.applyTransform(pixel, self._transform).getpixel((0, 0))
        return tuple(round(v / 255, 4) for v in out)

    def image(self, image: Image.Image) -> Image.Image:
        return ImageCms.applyTransform(image.convert("RGB"), self._transform)


@lru_cache(maxsize=4)
def _transform(profile: bytes) -> ImageCms.ImageCmsTransform:
    press = ImageCms.ImageCmsProfile(BytesIO(profile))
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), press, "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


def to_cmyk(pdf: pikepdf.Pdf, press: Press) -> None:
    """Convert every colour of ``pdf`` that is RGB to DeviceCMYK (see the module)."""
    for page in pdf.pages:
        _content(page.obj, page.obj.get("/Resources"), press)
    for obj in list(pdf.objects):
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == Name.Form
                                                or obj.get("/PatternType") == 1):
            _content(obj, obj.get("/Resources"), press)
        if not isinstance(obj, Dictionary | pikepdf.Stream):
            continue
        if obj.get("/Subtype") == Name.Image:
            _image(obj, press)
        for holder in _groups(obj):
            _group(holder, press)
    for shading in shadings(pdf):
        _shading(shading, press)


def shadings(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every shading of ``pdf``, once: objects of their own, and those written inside a
    resource dictionary or a shading pattern."""
    seen: set[tuple] = set()
    holders = [page.obj for page in pdf.pages] + [
        obj for obj in pdf.objects if isinstance(obj, Dictionary | pikepdf.Stream)]
    for obj in holders:
        resources = obj.get("/Resources")
        found = [(obj, ()) ] if "/ShadingType" in obj else []
        patterns = [obj] if obj.get("/PatternType") == 2 else []
        if isinstance(resources, Dictionary):
            found += [(shading, (obj.objgen, name)) for name, shading
                      in (resources.get("/Shading") or Dictionary()).items()]
            found += [(p.Shading, (obj.objgen, name)) for name, p
                      in (resources.get("/Pattern") or Dictionary()).items()
                      if p.get("/PatternType") == 2 and not p.is_indirect]
        found += [(p.Shading, (p.objgen,)) for p in patterns]
        for shading, where in found:   # a direct one is known by where it is written
            key = shading.objgen if shading.is_indirect else where
            if key not in seen:
                seen.add(key)
                yield shading


def _content(owner: pikepdf.Object, resources: pikepdf.Object | None, press: Press) -> None:
    """Rewrite the colour operators of one page, form or pattern content stream."""
    if isinstance(owner, pikepdf.Stream):
        streams = [owner]
    else:
        contents = owner.get("/Contents")
        streams = list(contents) if isinstance(contents, Array) else [contents]
        streams = [s for s in streams if s is not None]
    spaces = (resources or Dictionary()).get("/ColorSpace") or Dictionary()
    for stream in streams:
        rewritten = list(_rewrite(pikepdf.parse_content_stream(stream), spaces, press))
        stream.write(pikepdf.unparse_content_stream(rewritten))


def _rewrite(instructions: list, spaces: Dictionary, press: Press) -> Iterator[tuple]:
    rgb = {"fill": False, "stroke": False}
    saved: list[dict[str, bool]] = []
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield instruction
            continue
        operands, operator = instruction
        op = str(operator)
        if op == "q":
            saved.append(dict(rgb))
        elif op == "Q" and saved:
            rgb = saved.pop()
        if op in _FILL and len(operands) == 3:
            yield [_num(v) for v in press.cmyk(operands)], Operator(_FILL[op])
            continue
        if op in _SPACE and operands:
            space = operands[0]
            rgb[_SPACE[op]] = is_rgb(spaces.get(str(space), space))
            if rgb[_SPACE[op]]:
                yield [Name.DeviceCMYK], operator
                continue
        elif op in ("g", "k"):
            rgb["fill"] = False
        elif op in ("G", "K"):
            rgb["stroke"] = False
        elif op in _SET and rgb[_SET[op]] and len(operands) == 3:
            yield [_num(v) for v in press.cmyk(operands)], operator
            continue
        yield operands, operator


def _num(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


def _shading(shading: pikepdf.Object, press: Press) -> None:
    if not is_rgb(shading.get("/ColorSpace")) or int(shading.ShadingType) > 3:
        return                                  # a mesh's colours live in its stream
    functions = shading.get("/Function")
    if functions is None or not all(_convertible(f) for f in _each(functions)):
        return
    for function in _each(functions):
        _function(function, press)
    shading.ColorSpace = Name.DeviceCMYK
    if "/Background" in shading:
        shading.Background = Array([_num(v) for v in press.cmyk(shading.Background)])


def _each(value: pikepdf.Object) -> list[pikepdf.Object]:
    return list(value) if isinstance(value, Array) else [value]


def _convertible(function: pikepdf.Object) -> bool:
    kind = int(function.get("/FunctionType", -1))
    if kind == 2:
        return True
    return kind == 3 and all(_convertible(f) for f in function.Functions)


def _function(function: pikepdf.Object, press: Press) -> None:
    if int(function.FunctionType) == 3:
        for sub in function.Functions:
            _function(sub, press)
        return
    for key, default in (("/C0", (0, 0, 0)), ("/C1", (1, 1, 1))):
        rgb = [float(v) for v in function.get(key, default)]
        function[key] = Array([_num(v) for v in press.cmyk(rgb)])
    if "/Range" in function:
        function.Range = Array([0, 1] * 4)


def _image(image: pikepdf.Stream, press: Press) -> None:
    if not is_rgb(image.get("/ColorSpace")):
        return
    picture = pikepdf.PdfImage(image).as_pil_image()
    cmyk = press.image(picture)
    image.write(zlib.compress(cmyk.tobytes(), 6), filter=Name.FlateDecode)
    image.ColorSpace = Name.DeviceCMYK
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[key]


def _groups(obj: pikepdf.Object) -> Iterator[pikepdf.Object]:
    group = obj.get("/Group")
    if isinstance(group, Dictionary):
        yield group
    if obj.get("/S") == Name.Transparency:
        yield obj
    if obj.get("/S") == Name.Luminosity and "/BC" in obj:
        yield obj


def _group(holder: pikepdf.Object, press: Press) -> None:
    if is_rgb(holder.get("/CS")):
        holder.CS = Name.DeviceCMYK
    backdrop = holder.get("/BC")
    if backdrop is not None and len(backdrop) == 3:
        holder.BC = Array([_num(v) for v in press.cmyk(backdrop)])
