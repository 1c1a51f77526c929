"""The press-ready issue: unique font names in both editions (issue 14)."""

from __future__ import annotations

import io
import json
import textwrap
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest
from PIL import ImageCms


def font_objects(path) -> dict[str, set[int]]:
    """BaseFont → the object numbers of the distinct fonts carrying it, found through
    every page's resources and the form XObjects they draw."""
    found: dict[str, set[int]] = {}
    seen: set[int] = set()

    def visit(resources) -> None:
        resources = resources.get_object() if resources else {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            found.setdefault(str(font["/BaseFont"]), set()).add(ref.idnum)
            for descendant in font.get("/DescendantFonts") or []:
                descendant = descendant.get_object()
                assert descendant["/BaseFont"] == font["/BaseFont"]
                assert descendant["/FontDescriptor"]["/FontName"] == font["/BaseFont"]
        for ref in (resources.get("/XObject") or {}).values():
            if ref.idnum not in seen:
                seen.add(ref.idnum)
                visit(ref.get_object().get("/Resources"))

    for page in pypdf.PdfReader(path).pages:
        visit(page.get("/Resources"))
    return found


@pytest.mark.parametrize("edition", ["digital", "print"])
def test_no_two_font_objects_share_a_base_font(edition, sample_issue, sample_print_issue):
    issue = sample_issue if edition == "digital" else sample_print_issue
    names = font_objects(issue.pdf)
    assert len(names) > 6          # every font, and the subsets the merge keeps apart (fonts.py)
    shared = {name: sorted(objects) for name, objects in names.items() if len(objects) > 1}
    assert not shared


# ---------- the print edition: CMYK, PDF/X-4 ----------

@pytest.fixture(scope="module")
def print_pdf(sample_print_issue):
    with pikepdf.open(sample_print_issue.pdf) as pdf:
        yield pdf


def test_print_edition_is_pdf_x4_with_the_press_profile_as_output_intent(print_pdf):
    from printjournal.press import DEFAULT_PROFILE

    assert print_pdf.pdf_version == "1.6"
    with print_pdf.open_metadata() as meta:
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
    (intent,) = print_pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFX"
    assert str(intent.OutputConditionIdentifier) == "FOGRA39"
    assert intent.DestOutputProfile.N == 4
    assert intent.DestOutputProfile.read_bytes() == DEFAULT_PROFILE.read_bytes()
    assert print_pdf.trailer.Info.Trapped == "/False"


def _drawn(pdf) -> list:
    """Every page's content stream and every form and tiling pattern."""
    streams = list(pdf.pages)
    streams += [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                and (o.get("/Subtype") == "/Form" or o.get("/PatternType") == 1)]
    return streams


def test_print_edition_has_no_rgb_anywhere(print_pdf):
    rgb = {"/DeviceRGB", "/CalRGB"}
    for owner in _drawn(print_pdf):
        for operands, operator in pikepdf.parse_content_stream(owner):
            assert str(operator) not in ("rg", "RG"), operands
            if str(operator) in ("cs", "CS"):
                assert str(operands[0]) not in rgb
    for obj in print_pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key in ("/ColorSpace", "/CS"):
                space = obj.get(key)
                if isinstance(space, pikepdf.Name):
                    assert str(space) not in rgb, obj.objgen
                elif isinstance(space, pikepdf.Array) and space[0] == "/ICCBased":
                    assert space[1].N != 3, obj.objgen


def test_print_edition_text_and_rules_are_black_ink_only(sample_print_issue):
    with pdfplumber.open(sample_print_issue.pdf, pages=[7, 8]) as pdf:
        for page in pdf.pages:
            charis = [c for c in page.chars if "Charis" in c["fontname"]]
            (size, _), = Counter(round(c["size"], 1) for c in charis).most_common(1)
            body = [c for c in charis if round(c["size"], 1) == size]   # the body text
            assert len(body) > 500
            colours = Counter(tuple(c["non_stroking_color"]) for c in page.chars)
            (text, count), = Counter(tuple(c["non_stroking_color"]) for c in body
                                     ).most_common(1)
            assert text == (0, 0, 0, 1) and count > 0.9 * len(body)
            # nothing in four-colour grey: a grey is black ink only (c = m = y = 0)
            assert all(len(c) == 4 for c in colours)
            assert not [c for c in colours if c[0] == c[1] == c[2] != 0]


# ---------- preflight: each check fails on a small file made to break it ----------

MM = 72 / 25.4
TRIM = (20, 20, 100, 100)
BLEED = 3 * MM


def press_ready(pages: int = 4, content: bytes = b"0 0 0 1 k 30 30 40 40 re f",
                size: int = 120):
    """A tiny file that passes every preflight check: CMYK, PDF/X-4, boxes, 4 pages."""
    from printjournal.press import DEFAULT_PROFILE, pdfx

    pdf = pikepdf.new()
    trim = (20, 20, size - 20, size - 20)
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(size, size))
        page.obj.Contents = pdf.make_stream(content)
        page.obj.TrimBox = pikepdf.Array(trim)
        page.obj.BleedBox = pikepdf.Array([trim[0] - BLEED, trim[1] - BLEED,
                                           trim[2] + BLEED, trim[3] + BLEED])
    pdfx.identify(pdf, DEFAULT_PROFILE.read_bytes(), "FOGRA39", "FOGRA39")
    return pdf


def preflight(pdf, tmp_path):
    from printjournal import press
    from printjournal.model import PrintSettings

    path = tmp_path / "file.pdf"
    pdf.save(path)
    return press.preflight(path, PrintSettings())


def failing(report) -> set[str]:
    return {f.check for f in report.findings if f.level == "fail"}


def test_a_press_ready_file_passes_every_check(tmp_path):
    report = preflight(press_ready(), tmp_path)
    assert not report.findings, report.text()
    assert set(report.checks) == {"pdfx", "rgb", "fonts", "images", "boxes", "pages",
                                  "interactive", "ink", "engines"}


def test_an_rgb_rectangle_fails(tmp_path):
    pdf = press_ready(content=b"0 0 0 1 k 30 30 40 40 re f 1 0 0 rg 50 50 10 10 re f")
    report = preflight(pdf, tmp_path)
    assert failing(report) == {"rgb"}
    assert "RGB (rg 1 0 0)" in report.failing("rgb")[0].message
    assert report.failing("rgb")[0].page == 1


def test_350_percent_ink_fails_at_its_worst_spot(tmp_path):
    pdf = press_ready(content=b"0.9 0.9 0.9 0.8 k 60 60 30 30 re f")
    report = preflight(pdf, tmp_path)
    assert failing(report) == {"ink"}
    finding = report.failing("ink")[0]
    assert finding.page == 1
    # 350 % as 8-bit separations read it: 3 × 229 + 204 of 255 each
    assert finding.message == ("349 % ink (limit 300 %) at 21 mm from the left, 11 mm "
                               "from the top")


def font(pdf, name: str, program: bytes | None):
    descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor,
                                    FontName=pikepdf.Name(name), Flags=4,
                                    FontBBox=[0, -200, 1000, 800], ItalicAngle=0, Ascent=800,
                                    Descent=-200, CapHeight=700, StemV=80)
    if program is not None:
        descriptor.FontFile2 = pikepdf.Stream(pdf, program)
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name(name),
        FirstChar=32, LastChar=32, Widths=[250], FontDescriptor=descriptor))


def test_two_subsets_under_one_name_and_a_font_not_embedded_fail(tmp_path):
    from printjournal.load.config import find_root

    program = (find_root(Path(__file__).parent) / "fonts/NotoSansHebrew-Regular.ttf"
               ).read_bytes()
    pdf = press_ready()
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(
        F1=font(pdf, "/QUWLDS+NotoSansHebrew", program),
        F2=font(pdf, "/QUWLDS+NotoSansHebrew", program),
        F3=font(pdf, "/Helvetica", None)))
    report = preflight(pdf, tmp_path)
    assert failing(report) == {"fonts"}
    assert sorted(f.message for f in report.findings) == [
        "2 different fonts are named QUWLDS+NotoSansHebrew (a RIP may take one for another)",
        "font /Helvetica is not embedded"]


def test_a_missing_trim_box_fails(tmp_path):
    pdf = press_ready()
    del pdf.pages[2].obj["/TrimBox"]
    report = preflight(pdf, tmp_path)
    assert failing(report) == {"boxes"}
    assert [(f.page, f.message) for f in report.findings] == [(3, "no TrimBox")]


def test_a_bleed_short_of_the_configured_one_fails(tmp_path):
    pdf = press_ready()
    pdf.pages[0].obj.BleedBox = pikepdf.Array([TRIM[0] - MM, TRIM[1] - MM, TRIM[2] + MM,
                                               TRIM[3] + MM])
    report = preflight(pdf, tmp_path)
    assert failing(report) == {"boxes"}
    assert report.failing("boxes")[0].message == "the bleed is 1.0–1.0 mm, not 3 mm"


def image_at(pdf, pixels: int, inches: float) -> None:
    """Draw a CMYK image of ``pixels`` square, ``inches`` wide, on the first page."""
    image = pikepdf.Stream(pdf, bytes([0, 0, 0, 128]) * pixels * pixels)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width = image.Height = pixels
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceCMYK, 8
    page = pdf.pages[0].obj
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    size = inches * 72
    page.Contents = pdf.make_stream(f"q {size} 0 0 {size} 30 30 cm /Im0 Do Q".encode())


@pytest.mark.parametrize(("pixels", "level"), [(60, "fail"), (125, "warn"), (150, None)])
def test_image_resolution_warns_under_300_and_fails_under_200_dpi(tmp_path, pixels, level):
    pdf = press_ready()
    image_at(pdf, pixels, 0.5)          # half an inch wide: 120, 250, 300 dpi
    report = preflight(pdf, tmp_path)
    found = [(f.level, f.message.split(" (")[0]) for f in report.findings]
    dpi = pixels * 2
    expected = [(level, f"an image at {dpi} dpi")] if dpi < 300 else []
    assert found == expected


def test_page_count_links_and_missing_pdfx_fail(tmp_path):
    pdf = press_ready(pages=5)
    del pdf.Root["/OutputIntents"]
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[30, 30, 60, 40],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://example.org"))]))
    report = preflight(pdf, tmp_path)
    assert failing(report) == {"pages", "interactive", "pdfx"}
    assert "5 pages" in report.failing("pages")[0].message


GRADIENT_ART = """<svg xmlns="http://www.w3.org/2000/svg" width="30mm" height="30mm"
 viewBox="0 0 30 30">
<defs><linearGradient id="hill" gradientUnits="userSpaceOnUse" x1="0" y1="5" x2="0" y2="30">
<stop offset="0" stop-color="#1d4e6e"/><stop offset="1" stop-color="#0b2233"/></linearGradient>
</defs><path d="M 0 30 L 15 2 L 30 30 Z" fill="url(#hill)"/></svg>"""


def gradient_page(fixed: bool):
    """WeasyPrint's SVG gradient (a tiling pattern over a transparency group), made
    press-ready; ``fixed``: with press.patterns' shading patterns in its place."""
    import weasyprint

    from printjournal.press import DEFAULT_PROFILE, colour, patterns

    html = ("<style>@page { size: 240pt 240pt; margin: 0 } body { margin: 0 }"
            "svg { width: 160pt; height: 160pt }</style>"
            f'<div style="padding: 40pt">{GRADIENT_ART}</div>')
    art = pikepdf.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf()))
    pdf = press_ready(size=240)
    for page in pdf.pages:
        page.obj.Contents = pdf.copy_foreign(art.pages[0].obj.Contents)
        page.obj.Resources = pdf.copy_foreign(art.pages[0].obj.Resources)
    if fixed:
        assert patterns.shading_patterns(pdf) == 1
    colour.to_cmyk(pdf, colour.Press(DEFAULT_PROFILE.read_bytes()))
    return pdf


def test_engines_disagree_on_weasyprints_gradient_and_agree_on_shading_patterns(tmp_path):
    report = preflight(gradient_page(fixed=False), tmp_path)
    assert failing(report) == {"engines"}
    assert {f.page for f in report.findings} == {1, 2, 3, 4}
    assert "Poppler and PDFium draw" in report.failing("engines")[0].message
    report = preflight(gradient_page(fixed=True), tmp_path)
    assert not report.findings, report.text()


# ---------- [print] in printjournal.toml ----------

def test_print_settings_problems_are_reported_together_at_their_lines(tmp_project):
    from printjournal.errors import ConfigError

    toml = tmp_project.root / "printjournal.toml"
    toml.write_text(toml.read_text() + textwrap.dedent("""\

        [print]
        profile = "profiles/missing.icc"
        ink_limit = 900
        bleed_mm = "3"
        trapping = true
        """))
    with pytest.raises(ConfigError) as caught:
        tmp_project.project()
    assert str(caught.value).splitlines() == [
        f"{toml}:7: the press profile profiles/missing.icc is not there (name the printer's "
        "CMYK .icc file, from the project folder; without 'profile', the FOGRA39 profile "
        "./run.sh makes is used)",
        f"{toml}:8: 'ink_limit' must be a whole percentage from 200 to 400",
        f"{toml}:9: 'bleed_mm' must be a number of millimetres from 0 to 10",
        f"{toml}:10: unknown key 'trapping' in [print]"]


def test_an_rgb_profile_is_refused(tmp_project):
    from printjournal.errors import ConfigError

    toml = tmp_project.root / "printjournal.toml"
    (tmp_project.root / "screen.icc").write_bytes(ImageCms.ImageCmsProfile(
        ImageCms.createProfile("sRGB")).tobytes())
    toml.write_text(toml.read_text() + '\n[print]\nprofile = "screen.icc"\n')
    with pytest.raises(ConfigError, match=r"printjournal\.toml:7: screen\.icc is not a CMYK "
                       "press profile"):
        tmp_project.project()


def test_print_settings_are_read(tmp_project):
    from printjournal.press import DEFAULT_PROFILE

    toml = tmp_project.root / "printjournal.toml"
    (tmp_project.root / "press.icc").write_bytes(DEFAULT_PROFILE.read_bytes())
    toml.write_text(toml.read_text() + '\n[print]\nprofile = "press.icc"\ncondition = '
                    '"FOGRA51"\nink_limit = 320\n')
    settings = tmp_project.project().press
    assert (settings.profile, settings.condition, settings.ink_limit, settings.bleed_mm) == (
        (tmp_project.root / "press.icc").resolve(), "FOGRA51", 320, 3.0)


def test_preflight_command_reports_and_exits_1_on_failure(tmp_path, capsys):
    from printjournal import cli

    pdf = press_ready(pages=3, content=b"0 0 1 rg 30 30 40 40 re f")
    pdf.save(tmp_path / "bad.pdf")
    assert cli.main(["preflight", str(tmp_path / "bad.pdf"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is False
    assert {(f["check"], f["page"]) for f in report["findings"]} == {
        ("rgb", 1), ("rgb", 2), ("rgb", 3), ("pages", None)}
    press_ready().save(tmp_path / "good.pdf")
    assert cli.main(["preflight", str(tmp_path / "good.pdf")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "passed: ready for the press"
    assert cli.main(["preflight", str(tmp_path / "none.pdf")]) == 1
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'none.pdf'}: no such file"


def test_rgb_fills_images_gradients_and_groups_are_converted_to_cmyk():
    """Whatever WeasyPrint leaves in RGB, colour.to_cmyk converts through the profile."""
    from PIL import Image

    from printjournal.model import PrintSettings
    from printjournal.press import DEFAULT_PROFILE, checks, colour

    pdf = press_ready()
    pdf.pages[0].obj.Contents = pdf.make_stream(
        b"0.1 0.1 0.1 rg 30 30 10 10 re f 0.8 0.1 0.1 RG 0 0 m 9 9 l S "
        b"q 0.96 0 0 0.96 0 0 cm /Im0 Do Q /Pattern cs /P0 scn 50 50 10 10 re f")
    picture = Image.new("RGB", (4, 4), (204, 26, 26))
    image = pikepdf.Stream(pdf, picture.tobytes())
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width = image.Height = 4
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    gradient = pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB,
                                  Coords=[0, 0, 100, 0], Function=pikepdf.Dictionary(
                                      FunctionType=2, Domain=[0, 1], N=1, C0=[1, 1, 1],
                                      C1=[0.8, 0.1, 0.1]))
    page = pdf.pages[0].obj
    page.Resources = pikepdf.Dictionary(
        XObject=pikepdf.Dictionary(Im0=image),
        Pattern=pikepdf.Dictionary(P0=pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Pattern, PatternType=2, Shading=gradient))))
    page.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
    assert [f.message for f in checks.check_structure(pdf, PrintSettings())] == [
        "text or lines in RGB (rg 0.1 0.1 0.1)", "an RGB transparency group (object 4)",
        "an RGB image (object 21)", "an RGB shading or gradient (in a pattern)"]

    colour.to_cmyk(pdf, colour.Press(DEFAULT_PROFILE.read_bytes()))
    assert checks.check_structure(pdf, PrintSettings()) == []
    drawn = [(str(op), [float(v) for v in operands]) for operands, op
             in pikepdf.parse_content_stream(pdf.pages[0].obj) if str(op) in ("k", "K")]
    assert drawn[0] == ("k", [0, 0, 0, 0.9])        # a grey: black ink only
    red = drawn[1][1]
    assert drawn[1][0] == "K" and red[1] > 0.7 and red[2] > 0.7 and red[0] < 0.2
    converted = pikepdf.PdfImage(image).as_pil_image()
    assert converted.mode == "CMYK"
    c, m, y, _ = converted.getpixel((0, 0))
    assert m > 180 and y > 180 and c < 50
    assert gradient.ColorSpace == "/DeviceCMYK" and len(gradient.Function.C1) == 4
    assert page.Group.CS == "/DeviceCMYK"
