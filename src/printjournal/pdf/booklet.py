"""A PDF of A5 pages in, a booklet for a duplex office printer out.

The pages are padded with blank pages to a multiple of four (before the last page, which
makes the back cover) and placed two-up on A4
landscape sheets in folding order: print double-sided (flip on the short edge), fold the
stack in half and it reads 1, 2, 3, ... Sheet ``s`` (from 0) of a booklet of ``n`` pages
carries booklet positions ``n-2s`` | ``2s+1`` on its front and ``2s+2`` | ``n-2s-1`` on
its back.

An imposed sheet shows two pages side by side, which no tag structure can describe as
a document a screen reader reads in order: the booklet is a print artifact. It keeps the
title and language but claims no PDF/UA conformance and has no structure tree; the
accessible PDF is the leaflet itself, the same request without ``--booklet``.
"""

from __future__ import annotations

from io import BytesIO

import pypdf
from pypdf.generic import NameObject, TextStringObject

from ..model import PAPER_SIZES

MM = 72 / 25.4
SHEET = (PAPER_SIZES["A4"][1] * MM, PAPER_SIZES["A4"][0] * MM)   # A4 landscape, points


def sides(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (1-based) of each sheet side, front then back."""
    total = -(-pages // 4) * 4
    order: list[tuple[int, int]] = []
    for s in range(total // 4):
        order.append((total - 2 * s, 2 * s + 1))
        order.append((2 * s + 2, total - 2 * s - 1))
    return order


def page_at(slot: int, pages: int) -> int | None:
    """The leaflet page printed at booklet position ``slot`` (1-based), None for a blank.

    The padding goes before the last page, so that the back cover carries the leaflet's
    last page, with its closing panel ("Questions? Call ...")."""
    total = -(-pages // 4) * 4
    if slot < pages:
        return slot
    return pages if slot == total else None


def impose(data: bytes, *, title: str, lang: str) -> tuple[bytes, int]:
    """The booklet of the PDF ``data`` and its number of sheets."""
    reader = pypdf.PdfReader(BytesIO(data))
    count = len(reader.pages)
    writer = pypdf.PdfWriter()
    writer.pdf_header = reader.pdf_header   # its pages' version (pypdf would say 1.3)
    width, height = SHEET
    for left, right in sides(count):
        sheet = writer.add_blank_page(width, height)
        for slot, x0 in ((left, 0.0), (right, width / 2)):
            number = page_at(slot, count)
            if number is None:
                continue  # a blank page of the padding
            source = reader.pages[number - 1]
            box = source.mediabox
            tx = x0 + (width / 2 - float(box.width)) / 2 - float(box.left)
            ty = (height - float(box.height)) / 2 - float(box.bottom)
            sheet.merge_transformed_page(source, pypdf.Transformation().translate(tx, ty))
        sheet.compress_content_streams()
    writer.add_metadata({"/Title": title,
                         "/Subject": "Print booklet: A5 pages two-up on A4, in folding order"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages) // 2
