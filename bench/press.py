"""The press stage on the sample issue's print edition, against opening and saving it.

    .venv/bin/python bench/press.py [--rounds 3]

Builds the print edition once (the render cache makes later runs quick), then times,
in CPU seconds of this process and the tools it runs (Ghostscript, pdftoppm):
the baseline (pikepdf opens and saves the assembled file), the finish of the digital
edition (font names, gradients), of the print edition without its preflight (plus CMYK,
PDF/X-4), and the preflight (object checks; ink and engine renders).
"""

from __future__ import annotations

import argparse
import io
import resource
import tempfile
from pathlib import Path

import pikepdf

from printjournal import cache, editions, press
from printjournal import pipeline as build
from printjournal.issue.build import IssueBuild
from printjournal.issue.manifest import load_manifest
from printjournal.load import config
from printjournal.press import checks, colour, fontnames, patterns, pdfx, renders

ROOT = Path(__file__).resolve().parent.parent


def cpu() -> float:
    own, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(rounds: int, work) -> float:
    start = cpu()
    for _ in range(rounds):
        work()
    return (cpu() - start) / rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    project = config.load_project(ROOT)
    pipeline = build.Pipeline.load(project)
    manifest = load_manifest(ROOT / "content/issues/winter-2026.yaml", project)
    assembled = {}

    def keep(data: bytes, press_ready: bool, *_: object) -> bytes:
        assembled["print" if press_ready else "digital"] = data
        return data

    real, press.finish = press.finish, keep
    for edition in ("digital", "print"):
        IssueBuild(pipeline, manifest, editions.edition(edition, manifest.path),
                   cache.RenderCache.for_project(project), 1).pdf()
    press.finish = real
    profile = colour.Press(press.profile_bytes(project.press))

    def reopen() -> None:
        with pikepdf.open(io.BytesIO(assembled["print"])) as pdf:
            pdf.save(io.BytesIO())

    def digital() -> None:
        with pikepdf.open(io.BytesIO(assembled["digital"])) as pdf:
            fontnames.unique_font_names(pdf)
            patterns.shading_patterns(pdf)
            pdf.save(io.BytesIO(), deterministic_id=True)

    def printed() -> bytes:
        with pikepdf.open(io.BytesIO(assembled["print"])) as pdf:
            fontnames.unique_font_names(pdf)
            patterns.shading_patterns(pdf)
            colour.to_cmyk(pdf, profile)
            pdfx.identify(pdf, profile.profile, "FOGRA39", "FOGRA39")
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, force_version="1.6")
            return out.getvalue()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "print.pdf"
        path.write_bytes(printed())

        def structure() -> None:
            with pikepdf.open(path) as pdf:
                checks.check_structure(pdf, project.press)

        base = timed(rounds, reopen)
        rows = [("open and save (baseline)", base), ("finish, digital", timed(rounds, digital)),
                ("finish, print (no preflight)", timed(rounds, printed)),
                ("preflight: objects", timed(rounds, structure)),
                ("preflight: ink and engines", timed(1, lambda: renders.check_renders(
                    path, project.press.ink_limit)))]
    for name, seconds in rows:
        print(f"{name:32} {seconds:6.2f} s CPU  {seconds / base:6.1f} × baseline")


if __name__ == "__main__":
    main()
