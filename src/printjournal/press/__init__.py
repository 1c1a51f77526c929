"""The press stage: an assembled issue PDF in, the file a print shop accepts out.

``finish(data, press_ready, settings, source)`` is the one call the issue build makes:
both editions get unique font subset names (fontnames.py) and their gradients as
shading patterns, which every engine draws alike (patterns.py); the print edition
is also converted to CMYK through the press profile (colour.py), identified as
PDF/X-4 with that profile as its output intent (pdfx.py), then preflighted: a
failure stops the build. ``preflight`` checks a finished file as a printer's
preflight would (checks.py, renders.py; ``printjournal preflight``).
"""

from __future__ import annotations

import logging
import sys
import tempfile
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, Problem, RenderError
from ..model import PrintSettings

if TYPE_CHECKING:
    from . import colour
    from .checks import Finding, Report

log = logging.getLogger(__name__)

#: Where ./run.sh puts the FOGRA39 profile it makes (used unless [print] profile says).
DEFAULT_PROFILE = Path(sys.prefix) / "share" / "printjournal" / "FOGRA39L_coated.icc"


def profile_bytes(settings: PrintSettings) -> bytes:
    """The press's ICC profile: [print] profile, else the one ./run.sh made."""
    path = settings.profile or DEFAULT_PROFILE
    try:
        return path.read_bytes()
    except OSError:
        raise ConfigError.at(Path("printjournal.toml"), 1, f"no press profile at {path}: "
                             "run ./run.sh build (it makes the FOGRA39 profile) or name "
                             "the printer's CMYK profile in [print] profile") from None


def finish(data: bytes, press_ready: bool, settings: PrintSettings, source: Path) -> bytes:
    """The assembled issue ``data`` made ready: unique font names and plain shadings in
    every edition; for an edition that is ``press_ready`` (editions.py: the print edition)
    CMYK, PDF/X-4 and a preflight (a failure is an error at ``source``, the manifest)."""
    import pikepdf

    from . import colour, pdfx
    from .fontnames import unique_font_names
    from .patterns import shading_patterns

    with pikepdf.open(BytesIO(data)) as pdf:
        unique_font_names(pdf)
        shading_patterns(pdf)      # gradients Poppler draws as PDFium and Ghostscript do
        options = {}
        if press_ready:
            profile = colour.Press(profile_bytes(settings))
            colour.to_cmyk(pdf, profile)
            pdfx.identify(pdf, profile.profile, settings.condition, _description(profile))
            options["force_version"] = pdfx.PDF_VERSION
        out = BytesIO()
        pdf.save(out, deterministic_id=True, **options)
    if press_ready:
        _preflighted(out.getvalue(), settings, source)
    return out.getvalue()


def _description(press: colour.Press) -> str:
    from PIL import ImageCms

    return ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(
        BytesIO(press.profile))).strip()


def preflight(path: Path, settings: PrintSettings) -> Report:
    """Every preflight check of the PDF at ``path`` (see checks.py, renders.py)."""
    import pikepdf

    from . import checks
    from .renders import RENDERED, check_renders

    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
        findings = checks.check_structure(pdf, settings)
    findings += check_renders(path, settings.ink_limit)
    return checks.Report(path, pages, (*checks.STRUCTURE, *RENDERED), tuple(findings))


def _preflighted(data: bytes, settings: PrintSettings, source: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="printjournal-press-") as folder:
        path = Path(folder) / "print.pdf"
        path.write_bytes(data)
        report = preflight(path, settings)
    for finding in report.findings:
        if finding.level == "warn":
            log.warning("%s: print edition: %s", source, _said(finding))
    failures = [f for f in report.findings if f.level == "fail"]
    if failures:
        raise RenderError([Problem(source, 1, "the print edition fails preflight: "
                                   f"{_said(f)}") for f in failures])


def _said(finding: Finding) -> str:
    page = f"page {finding.page}: " if finding.page else ""
    return f"{page}{finding.message} ({finding.check})"
