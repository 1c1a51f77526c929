"""pypdf against pikepdf on the work the assembler does, on our own article PDFs.

    .venv/bin/python bench/pdf_libraries.py [PDF ...] [--rounds 5]

(default: every PDF under dist/articles, as ``./run.sh build`` makes them). For each
library, the best of ``--rounds`` (other work on the machine only ever adds time):

- parse:  open the PDF and walk its whole structure tree (every element, its kids);
- copy:   copy every page into a new document and write it out (as assembly does).

Prints seconds per library and pikepdf's time as a fraction of pypdf's; the assembler
(src/printjournal/pdf/assemble.py) uses pypdf, the overlay pikepdf.
"""

from __future__ import annotations

import argparse
import io
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf

REPO = Path(__file__).resolve().parent.parent


def best(rounds: int, call: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def walk_pypdf(data: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(data))
    stack, seen = [reader.trailer["/Root"]["/StructTreeRoot"]], 0
    while stack:
        node = stack.pop().get_object()
        seen += 1
        kids = node.get("/K") if isinstance(node, pypdf.generic.DictionaryObject) else None
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
            if isinstance(kid, pypdf.generic.IndirectObject | pypdf.generic.DictionaryObject):
                stack.append(kid)
    return seen


def walk_pikepdf(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stack, seen = [pdf.Root.StructTreeRoot], 0
        while stack:
            node = stack.pop()
            seen += 1
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            if kids is None:
                continue
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary):
                    stack.append(kid)
        return seen


def copy_pypdf(data: bytes) -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def copy_pikepdf(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as source, pikepdf.new() as pdf:
        with warnings.catch_warnings():   # named destinations: not needed to time a copy
            warnings.simplefilter("ignore")
            pdf.pages.extend(source.pages)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    paths = args.pdfs or sorted((REPO / "dist" / "articles").glob("*.pdf"))
    if not paths:
        raise SystemExit("no PDFs: run ./run.sh build first, or name some")
    datas = [p.read_bytes() for p in paths]
    print(f"{len(datas)} PDFs, {sum(map(len, datas)) / 1e6:.1f} MB, best of {args.rounds}")
    print(f"{'':8} {'pypdf s':>9} {'pikepdf s':>10} {'pikepdf/pypdf':>14}")
    for name, slow, fast in (("parse", walk_pypdf, walk_pikepdf),
                             ("copy", copy_pypdf, copy_pikepdf)):
        a = best(args.rounds, lambda f=slow: [f(d) for d in datas])
        b = best(args.rounds, lambda f=fast: [f(d) for d in datas])
        print(f"{name:8} {a:9.3f} {b:10.3f} {b / a:14.2f}")


if __name__ == "__main__":
    main()
