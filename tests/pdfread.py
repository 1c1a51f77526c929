"""Reading PDFs as a reader sees them: text per page, footnotes, fonts, links.

Shared by the tests; every function opens the PDF with pypdf or pdfplumber and
reports facts, never renders. A right-to-left page (Arabic, Hebrew, Urdu) is read in
logical order: pdfplumber gives each line in visual order, left to right, so
:func:`logical_line` reorders its characters as the Unicode bidirectional algorithm
laid them out (right to left, a run of Latin letters or digits inside kept left to
right, a combining mark after its letter).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf

MM = 72 / 25.4


@dataclass(frozen=True)
class PageText:
    number: int          # 1-based
    header: str          # text in the top margin
    body: str            # text between the margins
    footer: str          # text in the bottom margin


@functools.lru_cache(maxsize=256)
def _pages(path: Path, digest: str, top_mm: float, bottom_mm: float,
           rtl: bool) -> tuple[PageText, ...]:
    result = []
    read = _rtl_text if rtl else (lambda part: part.extract_text() or "")
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            top, bottom = top_mm * MM, page.height - bottom_mm * MM
            header = read(page.crop((0, 0, page.width, top)))
            footer = read(page.crop((0, bottom, page.width, page.height)))
            body = read(page.crop((0, top, page.width, bottom)))
            result.append(PageText(number, header.strip(), body, footer.strip()))
    return tuple(result)


def pages(path: Path, top_mm: float = 20, bottom_mm: float = 20,
          rtl: bool = False) -> tuple[PageText, ...]:
    """Text of each page, split into running header, body and footer; ``rtl``: the
    pages are right to left (their lines are read in logical order). Read once per
    content (a file rewritten since reads as it now is, whatever its time stamp)."""
    return _pages(path, hashlib.sha256(path.read_bytes()).hexdigest(), top_mm, bottom_mm, rtl)


def _rtl_text(page) -> str:
    """A right-to-left page's text, a line per baseline, top down, in logical order."""
    return "\n".join(" ".join(logical_line(part) for part in reversed(_parts(line)))
                     for line in _baselines(page.chars))


def _baselines(chars: list[dict]) -> list[list[dict]]:
    """pdfplumber ``chars`` grouped by their baseline (within 3 pt), top down."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: -c["matrix"][5]):
        if lines and abs(lines[-1][0]["matrix"][5] - char["matrix"][5]) <= 3:
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def _parts(line: list[dict]) -> list[list[dict]]:
    """A line's characters cut where a gap wider than two of their ems parts two boxes
    (a running head's halves, a footer's disclaimer and folio), left to right."""
    parts: list[list[dict]] = []
    for char in sorted(line, key=lambda c: c["x0"]):
        if parts and char["x0"] - max(c["x1"] for c in parts[-1]) > 2 * char["size"]:
            parts.append([char])
        elif parts:
            parts[-1].append(char)
        else:
            parts.append([char])
    return parts


def logical_line(chars: list[dict]) -> str:
    """A right-to-left line's pdfplumber ``chars`` as text in logical order (a box
    with no right-to-left letter, such as an English disclaimer, reads as it is seen)."""
    chars = [c for c in chars if c["text"]]
    if not any(unicodedata.bidirectional(c["text"][0]) in ("R", "AL") for c in chars):
        seen = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])).strip()
        lead = re.match(r"[^\w(]*", seen)[0]   # the end of a right-to-left sentence
        return seen[len(lead):] + lead.strip()
    marks = [c for c in chars if unicodedata.combining(c["text"][0])]
    bases = sorted((c for c in chars if not unicodedata.combining(c["text"][0])),
                   key=lambda c: c["x0"])
    clusters = [[c["text"]] for c in bases]
    for mark in marks:    # after the letter it sits on
        centre = (mark["x0"] + mark["x1"]) / 2
        nearest = min(range(len(bases)), key=lambda i: abs(
            (bases[i]["x0"] + bases[i]["x1"]) / 2 - centre))
        clusters[nearest].append(mark["text"])
    texts = []
    for i, cluster in enumerate(clusters):   # a gap with no space drawn is a space
        if i and bases[i]["x0"] - bases[i - 1]["x1"] > 0.2 * bases[i]["size"] \
                and not (cluster[0] + clusters[i - 1][0]).isspace():
            texts.append(" ")
        texts.append("".join(cluster))
    texts.reverse()   # right to left
    kinds = _kinds(texts)
    out: list[str] = []
    run: list[str] = []      # a left-to-right run, met from its right end
    for text, kind in zip(texts, kinds, strict=True):
        if kind == "L":
            run.append(text)
            continue
        out += reversed(run)
        run = []
        out.append(text)
    out += reversed(run)
    return "".join(out)


def _kinds(texts: list[str]) -> list[str]:
    """Each cluster's resolved direction, "L" or "R" (a simplified bidi algorithm: digits
    after a Latin letter are Latin, a number is left to right, punctuation in a Latin
    word and neutrals between two left-to-right clusters are left to right, all else
    takes the page's direction)."""
    raw = []
    for text in texts:
        kind = unicodedata.bidirectional(text[0])
        raw.append("L" if kind == "L" else "R" if kind in ("R", "AL")
                   else "EN" if kind in ("EN", "AN") else "N")
    # a separator inside a number (10,000 or 1.5) belongs to it
    for i in range(1, len(raw) - 1):
        if raw[i] == "N" and raw[i - 1] == raw[i + 1] == "EN" and texts[i] in ",.:/":
            raw[i] = "EN"
    # punctuation inside a left-to-right word ("(cureon.example/journal/") belongs to it
    start = 0
    for end in [*(i for i, text in enumerate(texts) if text.isspace()), len(texts)]:
        word = raw[start:end]
        if "L" in word and "R" not in word:
            raw[start:end] = ["L" if kind == "N" else kind for kind in word]
        start = end + 1
    strong = "R"
    for i, kind in enumerate(raw):       # logical order: a number after Latin is Latin
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            raw[i] = "L"
    resolved = ["L" if kind in ("L", "EN") else kind for kind in raw]
    for i, kind in enumerate(raw):
        if kind == "N":
            before = next((k for k in reversed(raw[:i]) if k != "N"), "R")
            after = next((k for k in raw[i + 1:] if k != "N"), "R")
            resolved[i] = "L" if before == after == "L" else "R"
    return resolved



def glyph_lines(path: Path, font: str) -> list[str]:
    """The glyphs of the font named ``font`` (e.g. "Inter") on each line of the PDF, top
    down, page by page, read left to right by their x positions (whatever the text's
    direction), spaces left out: what a reader sees, not what extraction reorders."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if font in c["fontname"] and c["text"].strip()]
            found += ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
                      for line in _baselines(chars)]
    return found

def link_pages(reader: pypdf.PdfReader, prefix: str) -> dict[str, list[int]]:
    """For internal links whose destination starts with ``prefix``: the pages they stand on."""
    found: dict[str, list[int]] = {}
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            action = annot.get("/A")
            dest = action.get("/D") if action else annot.get("/Dest")
            if isinstance(dest, str) and dest.startswith(prefix):
                found.setdefault(dest.removeprefix(prefix), []).append(number)
    return found


def uri_links(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    links = []
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A")
            if action and action.get("/S") == "/URI":
                links.append((number, str(action["/URI"])))
    return links


def destination_pages(reader: pypdf.PdfReader, prefix: str) -> dict[str, int]:
    """Named destinations starting with ``prefix`` and the page each lands on."""
    return {name.removeprefix(prefix): reader.get_page_number(dest.page) + 1
            for name, dest in reader.named_destinations.items() if name.startswith(prefix)}


def fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Every font used on any page (subset prefix removed) → whether it is embedded."""
    found: dict[str, bool] = {}

    def visit(resources) -> None:
        if not resources:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font) \
                .get("/FontDescriptor")
            embedded = bool(descriptor and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")))
            name = str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1]
            found[name] = found.get(name, True) and embedded
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """Bookmarks as (depth, title, page)."""
    result: list[tuple[int, str, int]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item) + 1
                result.append((depth, str(item.title), page))

    walk(reader.outline, 0)
    return result


def structure_check(reader: pypdf.PdfReader) -> list[str]:
    """Problems with the tag structure: for every page, each marked-content id in its
    content stream has exactly one structure element, that element claims this page,
    and the ParentTree agrees; no two pages share a StructParents key. Also: no
    element claims content a page does not have; every link annotation has a
    StructParent of its own whose ParentTree entry is the Link element owning it
    (OBJR); every element's /P is the element that lists it."""
    problems: list[str] = []
    root = reader.trailer["/Root"]
    tree = root["/StructTreeRoot"].get_object()
    parent_tree = _number_tree(tree["/ParentTree"].get_object())
    page_refs = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, start=1)}
    # walk the structure tree: (page object number, mcid) -> elements claiming it
    claims: dict[tuple[int, int], list[int]] = {}
    owners_of_annotations: dict[int, list[int]] = {}

    def walk(node, inherited_page, parent_id) -> None:
        element = node.get_object()
        parent = element.get("/P")
        if parent_id is not None and getattr(parent, "idnum", None) != parent_id:
            problems.append(f"element {node.idnum}: /P is not the element that lists it")
        page = element.get("/Pg")
        page_id = page.idnum if page is not None else inherited_page
        kids = element.raw_get("/K") if "/K" in element else None
        if kids is None:
            return
        kids = kids.get_object() if isinstance(kids.get_object(), list) else kids
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                claims.setdefault((page_id, kid), []).append(node.idnum)
            else:
                obj = kid.get_object()
                if obj.get("/Type") == "/MCR":
                    mcr_page = obj.get("/Pg")
                    claims.setdefault((mcr_page.idnum if mcr_page else page_id,
                                       int(obj["/MCID"])), []).append(node.idnum)
                elif obj.get("/Type") == "/OBJR":
                    owners_of_annotations.setdefault(obj.raw_get("/Obj").idnum,
                                                     []).append(node.idnum)
                elif hasattr(kid, "idnum"):
                    walk(kid, page_id, node.idnum)

    top = tree.raw_get("/K")
    for kid in top.get_object() if isinstance(top.get_object(), list) else [top]:
        walk(kid, None, None)
    seen_keys: dict[int, str] = {}
    content: set[tuple[int, int]] = set()
    for number, page in enumerate(reader.pages, start=1):
        key = page.get("/StructParents")
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        mcids = [int(m) for m in re.findall(rb"/MCID\s+(\d+)", data)]
        if len(mcids) != len(set(mcids)):
            problems.append(f"page {number}: an MCID is used twice in its content")
        content.update((page.indirect_reference.idnum, mcid) for mcid in mcids)
        if key is None:
            if mcids:
                problems.append(f"page {number}: marked content but no /StructParents")
            continue
        if key in seen_keys:
            problems.append(f"page {number}: StructParents {key} also on {seen_keys[key]}")
        seen_keys[key] = f"page {number}"
        parents = parent_tree.get(int(key))
        if parents is None:
            problems.append(f"page {number}: StructParents {key} not in the ParentTree")
            continue
        parents = parents.get_object()
        for mcid in mcids:
            owners = claims.get((page.indirect_reference.idnum, mcid), [])
            if len(owners) != 1:
                problems.append(f"page {number}: MCID {mcid} claimed by {len(owners)} elements")
                continue
            if mcid >= len(parents) or getattr(parents[mcid], "idnum", None) != owners[0]:
                problems.append(f"page {number}: ParentTree disagrees for MCID {mcid}")
    for (page_id, mcid), _owners in claims.items():
        if page_id not in page_refs:
            problems.append(f"MCID {mcid} claimed on a page that is not in the document")
        elif (page_id, mcid) not in content:
            problems.append(f"page {page_refs[page_id]}: MCID {mcid} is claimed but not drawn")
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots", []) or []:
            obj = annotation.get_object()
            key = obj.get("/StructParent")
            if key is None:
                if obj.get("/Subtype") == "/Link":
                    problems.append(f"page {number}: a link annotation has no /StructParent")
                continue
            if key in seen_keys:
                problems.append(f"page {number}: annotation StructParent {key} also on "
                                f"{seen_keys[key]}")
            seen_keys[key] = f"an annotation on page {number}"
            entry = parent_tree.get(int(key))
            owners = owners_of_annotations.get(annotation.idnum, [])
            if len(owners) != 1:
                problems.append(f"page {number}: annotation owned by {len(owners)} elements")
            elif getattr(entry, "idnum", None) != owners[0]:
                problems.append(f"page {number}: ParentTree disagrees for annotation "
                                f"StructParent {key}")
            elif obj.get("/Subtype") == "/Link" and entry.get_object().get("/S") != "/Link":
                problems.append(f"page {number}: a link annotation owned by a "
                                f"{entry.get_object().get('/S')} element, not a Link")
    return problems


def _number_tree(node) -> dict[int, object]:
    result: dict[int, object] = {}
    nums = node.get("/Nums")
    if nums:
        for i in range(0, len(nums), 2):
            result[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []) or []:
        result.update(_number_tree(kid.get_object()))
    return result
