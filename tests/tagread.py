"""Reading a PDF's structure tree as a screen reader meets it: notes, their calls, roles.

Shared by the tests of footnote tags (article, leaflet, issue); pikepdf walks the tree,
pdfplumber gives the text of each marked-content id. Reports facts, never renders.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf

#: A call link's spoken description: "source 5: NHS — Insomnia" (notes.py).
CALL = re.compile(r"^\S+ (\d+): (.*)$", re.DOTALL)


@dataclass(frozen=True)
class NoteTag:
    id: str
    part: str | None                     # the issue part it sits in, its /T
    pages: frozenset[int]                # 0-based pages of its marked content
    mcids: tuple[tuple[int, int], ...]   # (page, mcid), in reading order


@dataclass(frozen=True)
class Call:
    part: str | None
    number: int
    description: str                     # what follows "source 5: "
    page: int


@dataclass(frozen=True)
class Tags:
    notes: tuple[NoteTag, ...]
    calls: tuple[Call, ...]
    roles: Counter[str]                  # structure types, as written
    role_map: dict[str, str]
    id_tree: dict[str, tuple[int, int]]  # ID → the element's object id
    emphasis: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()  # (Em|Strong, mcids)


def read_tags(path: Path) -> Tags:
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        root = pdf.Root.StructTreeRoot
        notes: list[NoteTag] = []
        calls: list[Call] = []
        roles: Counter[str] = Counter()
        emphasis: list[tuple[str, tuple[tuple[int, int], ...]]] = []

        def walk(element, part: str | None) -> None:
            role = str(element.get("/S"))
            roles[role] += 1
            if role == "/Part":
                part = str(element.get("/T"))
            if role in ("/Em", "/Strong"):
                emphasis.append((role[1:], tuple(_content(element, None, pages))))
            if role == "/Note":
                mcids = tuple(_content(element, None, pages))
                notes.append(NoteTag(str(element.get("/ID")), part,
                                     frozenset(p for p, _ in mcids), mcids))
            for kid in _kids(element):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    annotation = kid.Obj
                    found = CALL.match(str(annotation.get("/Contents", "")))
                    if role == "/Link" and found:
                        page = pages[annotation.P.objgen] if "/P" in annotation \
                            else pages[kid.Pg.objgen]
                        calls.append(Call(part, int(found[1]), found[2], page))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
                    walk(kid, part)

        for top in _kids(root):
            walk(top, None)
        role_map = {str(k): str(v) for k, v in root.get("/RoleMap", {}).items()}
        names = root.IDTree.Names if "/IDTree" in root else []
        id_tree = {str(names[i]): names[i + 1].objgen for i in range(0, len(names), 2)}
        return Tags(tuple(notes), tuple(calls), roles, role_map, id_tree, tuple(emphasis))


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _content(element, page, pages):
    """(page, mcid) of everything under ``element``, in order."""
    page = pages[element.Pg.objgen] if "/Pg" in element else page
    for kid in _kids(element):
        if isinstance(kid, int):
            yield page, int(kid)
        elif kid.get("/Type") == "/MCR":
            yield (pages[kid.Pg.objgen] if "/Pg" in kid else page), int(kid.MCID)
        elif kid.get("/Type") != "/OBJR":
            yield from _content(kid, page, pages)


def marked_text(path: Path, wanted: set[int]) -> dict[tuple[int, int], str]:
    """The text of each marked-content id on the ``wanted`` pages: (page, mcid) → text."""
    found: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(path) as pdf:
        for index in sorted(wanted):
            for char in pdf.pages[index].chars:
                if char.get("mcid") is not None:
                    found[index, char["mcid"]] += char["text"]
    return dict(found)


def squeezed(text: str) -> str:
    """Text as compared: no spaces, no invisible joiners or soft hyphens."""
    return re.sub(r"[\s\u00ad\u200b\u2060]", "", text)


def note_problems(path: Path, tags: Tags, read_text: bool = True) -> list[str]:
    """What is wrong with the notes of ``tags``: each must have an ID unique in the file
    and in the IDTree, sit on one page, the page of its source's first call, and (with
    ``read_text``) read as its number and the source its calls describe; every source
    called must have its Note."""
    problems = []
    ids = Counter(note.id for note in tags.notes)
    problems += [f"ID {i} is used {n} times" for i, n in ids.items() if n > 1]
    problems += [f"ID {note.id} is not in the IDTree" for note in tags.notes
                 if note.id not in tags.id_tree]
    text = marked_text(path, {p for note in tags.notes for p in note.pages}) \
        if read_text else {}
    first_calls: dict[tuple, Call] = {}
    for call in tags.calls:
        key = (call.part, call.number, squeezed(call.description) if read_text else None)
        first_calls.setdefault(key, call)
    held: set[tuple] = set()
    for note in tags.notes:
        if len(note.pages) != 1:
            problems.append(f"{note.id} is on pages {sorted(note.pages)}")
            continue
        words = "".join(text.get(m, "") for m in note.mcids)
        number = re.match(r"\d+", words) if read_text else re.search(r"(\d+)$", note.id)
        if number is None:
            problems.append(f"{note.id} does not start with its number: {words!r}")
            continue
        key = (note.part, int(number[0]),
               squeezed(words[number.end():]) if read_text else None)
        held.add(key)
        call = first_calls.get(key)
        if call is None:
            problems.append(f"{note.id} ({words!r}) has no call describing it")
        elif call.page not in note.pages:
            problems.append(f"{note.id} is on page {min(note.pages) + 1}, "
                            f"its first call on page {call.page + 1}")
    problems += [f"source {call.number} is called on page {call.page + 1}, but no Note "
                 f"holds it" for key, call in first_calls.items() if key not in held]
    return problems
