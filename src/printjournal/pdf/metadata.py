"""What an assembled PDF says about itself in, its catalog, info and XMP out.

:class:`Metadata` is what the issue tells the assembler; :func:`write_metadata` puts it
into a pypdf writer: the document info dictionary, the catalog's ``/Lang``, ``/MarkInfo``
and ``/ViewerPreferences`` (DisplayDocTitle), and the XMP packet of :func:`xmp_packet`
(dc:title, dc:creator, dc:language, dates, producer and, for PDF/UA-1, ``pdfuaid:part``).
For print, :func:`bleed_boxes` sets each page's BleedBox around its TrimBox.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pypdf
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from .. import __version__
from .objects import add_object

MM = 72 / 25.4


@dataclass(frozen=True)
class Metadata:
    """What the assembled PDF says about itself."""

    title: str
    author: str
    subject: str
    lang: str
    date: dt.date
    keywords: str = ""
    page_word: str = "page"    # link descriptions: "<title>, page 14"
    pdfua: bool = True         # claim PDF/UA-1 in the XMP metadata
    bleed_mm: float | None = None  # print: BleedBox this far around the TrimBox
    links: bool = True         # False (print): no link annotations, and no OBJR for them


def write_metadata(writer: pypdf.PdfWriter, meta: Metadata) -> None:
    """Document info, catalog entries and the XMP packet of ``meta``, into ``writer``."""
    stamp = meta.date.strftime("D:%Y%m%d000000Z")
    producer = f"printjournal {__version__} (WeasyPrint, pypdf {pypdf.__version__})"
    writer.add_metadata({
        "/Title": meta.title, "/Author": meta.author, "/Subject": meta.subject,
        "/Keywords": meta.keywords, "/Creator": "printjournal", "/Producer": producer,
        "/CreationDate": stamp, "/ModDate": stamp})
    catalog = writer.root_object
    catalog[NameObject("/Lang")] = TextStringObject(meta.lang)
    catalog[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): pypdf.generic.BooleanObject(True)})
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): pypdf.generic.BooleanObject(True)})
    xmp = DecodedStreamObject()
    xmp.set_data(xmp_packet(meta, producer))
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    catalog[NameObject("/Metadata")] = add_object(writer, xmp)


def bleed_boxes(pages: Iterable[Any], bleed_mm: float) -> None:
    """Each page's BleedBox ``bleed_mm`` around its TrimBox, inside its MediaBox."""
    bleed = bleed_mm * MM
    for page in pages:
        trim = page.trimbox
        media = page.mediabox
        page[NameObject("/BleedBox")] = ArrayObject(FloatObject(round(v, 4)) for v in (
            max(float(media.left), float(trim.left) - bleed),
            max(float(media.bottom), float(trim.bottom) - bleed),
            min(float(media.right), float(trim.right) + bleed),
            min(float(media.top), float(trim.top) + bleed)))


_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def xmp_packet(meta: Metadata, producer: str) -> bytes:
    """XMP metadata: title, creator, description, language, dates, producer, PDF/UA."""
    for prefix, uri in _NS.items():
        ET.register_namespace(prefix, uri)

    def q(prefix: str, name: str) -> str:
        return f"{{{_NS[prefix]}}}{name}"

    xmpmeta = ET.Element(q("x", "xmpmeta"))
    rdf = ET.SubElement(xmpmeta, q("rdf", "RDF"))
    about = {q("rdf", "about"): ""}
    description = ET.SubElement(rdf, q("rdf", "Description"), about)

    def alt(name: str, text: str) -> None:
        box = ET.SubElement(ET.SubElement(description, q("dc", name)), q("rdf", "Alt"))
        li = ET.SubElement(box, q("rdf", "li"))
        li.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
        li.text = text

    def seq(name: str, kind: str, items: Sequence[str]) -> None:
        box = ET.SubElement(ET.SubElement(description, q("dc", name)), q("rdf", kind))
        for item in items:
            ET.SubElement(box, q("rdf", "li")).text = item

    alt("title", meta.title)
    alt("description", meta.subject)
    seq("creator", "Seq", [meta.author])
    seq("language", "Bag", [meta.lang])
    ET.SubElement(description, q("dc", "format")).text = "application/pdf"
    ET.SubElement(description, q("xmp", "CreateDate")).text = meta.date.isoformat()
    ET.SubElement(description, q("xmp", "ModifyDate")).text = meta.date.isoformat()
    ET.SubElement(description, q("xmp", "CreatorTool")).text = "printjournal"
    ET.SubElement(description, q("pdf", "Producer")).text = producer
    if meta.keywords:
        ET.SubElement(description, q("pdf", "Keywords")).text = meta.keywords
    if meta.pdfua:
        ET.SubElement(description, q("pdfuaid", "part")).text = "1"
    body = ET.tostring(xmpmeta, encoding="unicode")
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}\n'
            '<?xpacket end="w"?>').encode()
