"""Every sample output built from scratch, and the SHA-256 of each: proof that a change
of code left what prints byte for byte as it was.

    .venv/bin/python bench/hash_outputs.py [--jobs N] > before.txt
    ... change the code ...
    .venv/bin/python bench/hash_outputs.py [--jobs N] | diff before.txt -

The sample project (content/, layouts/, fonts/, printjournal.toml) is copied to a
temporary folder, so the render cache starts empty and the repository is untouched.
Built there, each by a ``printjournal`` process as a user would run it:

- ``build``: the website's downloads (every article PDF, the issue in both editions,
  manifest.json, the downloads pages);
- the leaflets the README shows: with a clinic and large print, a booklet, one with a
  personal layer (``--for``, ``--note``) and one with several articles;
- ``article`` for one article, and ``issue`` in both editions.

One line per output, ``<sha256>  <name>``, sorted by name; the fonts the downloads pages
carry are left out (they are copies of fonts/).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("content", "layouts", "fonts", "printjournal.toml")
LEAFLETS = {
    "leaflet-large-print.pdf": ["winter-skin-eczema", "--clinic", "riverside",
                                "--large-print"],
    "leaflet-booklet.pdf": ["sleep-and-immunity", "--booklet"],
    "leaflet-personal.pdf": ["sleep-and-immunity", "winter-skin-eczema", "--for",
                             "Ada Example", "--note",
                             "Moisturise twice a day; back in two weeks."],
    "leaflet-four.pdf": ["sleep-and-immunity", "winter-skin-eczema", "walking-for-health",
                         "eating-for-your-heart", "--paper", "a5", "--allow-overdue"],
}


def printjournal(root: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "printjournal", "-C", str(root), *args],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"printjournal {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def build_all(root: Path, jobs: int) -> dict[str, Path]:
    """Every sample output under ``root``, by name."""
    out = root / "out"
    printjournal(root, "build", "-o", str(out / "dist"), "--jobs", str(jobs))
    for name, args in LEAFLETS.items():
        printjournal(root, "leaflet", *args, "-o", str(out / name))
    printjournal(root, "article", str(root / "content/articles/sleep-and-immunity.md"),
                 "-o", str(out / "article.pdf"))
    for edition in ("digital", "print"):
        printjournal(root, "issue", str(root / "content/issues/winter-2026.yaml"),
                     "--edition", edition,
                     "-o", str(out / f"issue-{edition}.pdf"), "--jobs", str(jobs))
    return {str(path.relative_to(out)): path for path in sorted(out.rglob("*"))
            if path.is_file() and "fonts" not in path.relative_to(out).parts}


def copy_project(root: Path) -> None:
    """The sample project's files copied into ``root``."""
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pj-hashes-") as folder:
        root = Path(folder)
        copy_project(root)
        for name, path in build_all(root, args.jobs).items():
            print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}")


if __name__ == "__main__":
    main()
