"""Leaflets and the sample issue with each font's subsets merged at assembly, and without.

    .venv/bin/python bench/font_sizes.py [--skip-issue]

For the five sample leaflets of tests/test_leaflet.py (no patient's name: the personal
layer is the same few hundred bytes either way), a ten-article leaflet, and both editions
of the sample issue: the file's size as printjournal writes it and as the assembly wrote
it before the merge (the same rendered parts: only the merge differs; a booklet is
imposed from either), the font programs each embeds, and the merge's processor time.
Renders use a render cache of their own in a temporary copy of the project.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import tempfile
import time
from pathlib import Path

import pikepdf

from printjournal import cache
from printjournal.issue.build import build_issue
from printjournal.leaflet import build as leaflet
from printjournal.load import config
from printjournal.pdf import booklet, fonts
from printjournal.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 21)
TEN = ("sleep-and-immunity", "winter-skin-eczema", "car-t-autoimmune",
       "eating-for-your-heart", "fibre-everyday-guide", "menopause-what-to-expect",
       "understanding-blood-pressure", "walking-for-health", "winter-low-mood-sad",
       "winter-viruses-colds-flu")
LEAFLETS = {
    "two": leaflet.LeafletRequest(("sleep-and-immunity", "walking-for-health"),
                                  allow_overdue=True),
    "large": leaflet.LeafletRequest(("winter-skin-eczema",), style="large-print",
                                    clinic="riverside"),
    "a5": leaflet.LeafletRequest(("winter-skin-eczema",), paper="A5"),
    "letter": leaflet.LeafletRequest(("sleep-and-immunity",), paper="Letter"),
    "booklet": leaflet.LeafletRequest(("sleep-and-immunity", "winter-skin-eczema"),
                                      booklet=True),
    "ten articles": leaflet.LeafletRequest(TEN, allow_overdue=True, allow_stale=True),
}


def programs(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sum(1 for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                   and obj.get("/Type") == "/FontDescriptor"
                   and any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")))


class Recorded:
    """fonts.merged, recording its input and its processor time."""

    def __init__(self) -> None:
        self.real = fonts.merged
        self.before: bytes = b""
        self.seconds = 0.0

    def __call__(self, data: bytes) -> bytes:
        self.before = data
        start = time.process_time()
        out = self.real(data)
        self.seconds = time.process_time() - start
        return out


def row(name: str, before: bytes, after: bytes, seconds: float) -> None:
    print(f"{name:<22} {len(before) // 1024:>6} KiB {programs(before):>4} fonts  ->"
          f" {len(after) // 1024:>6} KiB {programs(after):>3} fonts"
          f"  ({len(after) / len(before):.0%}; merge {seconds:.2f} s cpu)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-issue", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pj-fonts-") as folder:
        root = Path(folder) / "project"
        for name in ("content", "layouts", "fonts"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copy(ROOT / "printjournal.toml", root)
        pipeline = Pipeline.load(config.load_project(root))
        store = cache.RenderCache(root / ".printjournal-cache")
        recorded = Recorded()
        fonts.merged = recorded
        for name, request in LEAFLETS.items():
            made = leaflet.leaflet(pipeline, request, DAY, store=store)
            before = recorded.before
            if request.booklet:
                before = booklet.impose(before, title=made.title, lang="en-GB")[0]
            row(name, before, made.data, recorded.seconds)
        for edition in () if args.skip_issue else ("digital", "print"):
            out = Path(folder) / f"{edition}.pdf"
            build_issue(pipeline, root / "content/issues/winter-2026.yaml", out,
                        edition=edition, store=store)
            # the parts as assembled before the merge, finished by the press stage alike
            from printjournal import press

            before = press.finish(recorded.before, edition == "print",
                                  pipeline.project.press, Path("issue"))
            row(f"issue, {edition}", before, out.read_bytes(), recorded.seconds)


if __name__ == "__main__":
    main()
