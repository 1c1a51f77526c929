"""A CMYK PDF (pikepdf) and the press settings in, the PDF identified as PDF/X-4 out.

PDF/X-4 (ISO 15930-7) asks for: an output intent (GTS_PDFX) carrying the press
profile and its output condition identifier (FOGRA39, ...); ``GTS_PDFXVersion`` in
the XMP metadata, with ``xmpMM:DocumentID``, ``VersionID``, ``RenditionClass`` and
the dates; ``Trapped`` set; a TrimBox on every page (assemble.py sets them); no
encryption, no JavaScript; PDF 1.6 at most. Transparency (the cover art's and the
images' soft masks) is allowed, which is why this is X-4 and not X-1a.
"""

from __future__ import annotations

import hashlib
import uuid

import pikepdf
from pikepdf import Array, Dictionary, Name, String

VERSION = "PDF/X-4"
PDF_VERSION = "1.6"
REGISTRY = "http://www.color.org"


def identify(pdf: pikepdf.Pdf, profile: bytes, condition: str, description: str) -> None:
    """Add the output intent and the PDF/X-4 identification to ``pdf``."""
    icc = pikepdf.Stream(pdf, profile)
    icc.N = 4
    pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFX,
        OutputConditionIdentifier=String(condition), OutputCondition=String(description),
        RegistryName=String(REGISTRY), Info=String(description),
        DestOutputProfile=pdf.make_indirect(icc)))])
    info = pdf.docinfo
    info.Trapped = Name("/False")
    info.GTS_PDFXVersion = String(VERSION)
    created = str(info.get("/CreationDate", ""))
    seed = hashlib.sha256(f"{info.get('/Title', '')}|{created}".encode()).digest()
    document = uuid.UUID(bytes=seed[:16])
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfxid:GTS_PDFXVersion"] = VERSION
        meta["pdf:Trapped"] = "False"
        meta["xmpMM:DocumentID"] = f"uuid:{document}"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
        # the print-shop file is PDF/X-4, built on PDF 1.6: it keeps its tags but claims
        # no PDF/UA-1 (built on 1.7); readers get the digital edition, which does
        if "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
        if "xmp:CreateDate" in meta:
            meta["xmp:MetadataDate"] = meta["xmp:CreateDate"]
