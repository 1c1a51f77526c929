"""PDFs found in the published folder in, those carrying a patient's details moved out.

Earlier versions wrote a leaflet printed ``--for`` a patient (or with a clinician's
``--note``) into ``dist/leaflets/``, the folder the website publishes. This version never
writes one there, but a build still finds the old ones. :func:`move_personal` looks at
each PDF in the output folder that the build did not make: one whose first page prints
the "Prepared for" or "Note from your clinician" label (in any language of
``layouts/labels.toml``) is moved to ``printouts/from-dist/`` in the project (the folder
for personal leaflets, never published), never over another file, and said. The rest stay
where they are (the build names them; they are never listed).
"""

from __future__ import annotations

import io
import logging
import shutil
import tomllib
from collections.abc import Sequence
from pathlib import Path

from ..errors import relative
from ..model import Project

log = logging.getLogger(__name__)

#: Where, in the project, personal PDFs found in the published folder are moved to.
MOVED_TO = Path("printouts") / "from-dist"
_LABELS = ("prepared_for", "clinician_note")


def personal_labels(project: Project) -> set[str]:
    """The words a personal leaflet prints beside a name or note, in every language."""
    try:
        tables = tomllib.loads((project.layouts_dir / "labels.toml").read_text("utf-8"))
    except (OSError, ValueError):
        tables = {}
    found = {"Prepared for", "Note from your clinician"}
    found.update(str(table[key]) for table in tables.values() if isinstance(table, dict)
                 for key in _LABELS if isinstance(table.get(key), str))
    return found


def carries_personal_details(pdf: Path, labels: set[str]) -> bool:
    """Whether the first page of ``pdf`` prints one of ``labels`` (a name or a note)."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
        text = reader.pages[0].extract_text() if reader.pages else ""
    except Exception:      # an unreadable PDF is no leaflet of ours
        return False
    return any(label in text for label in labels)


def move_personal(project: Project, out: Path, paths: Sequence[str]) -> dict[str, str]:
    """Move those of ``paths`` (PDFs under ``out``, the published folder) that carry
    personal details to :data:`MOVED_TO`; a line for each saying where it went."""
    labels = personal_labels(project)
    said: dict[str, str] = {}
    for path in paths:
        source = out / path
        if not carries_personal_details(source, labels):
            continue
        target = _free(project.root / MOVED_TO / path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
        said[path] = (f"{path} carries a patient's name or a clinician's note: moved out of "
                      f"the published folder to {relative(target, project.root).as_posix()}")
        log.warning("%s", said[path])
    return said


def _free(target: Path) -> Path:
    """``target``, or the first ``<name>-2.pdf``, ``-3`` ... that is not taken."""
    number = 1
    found = target
    while found.exists():
        number += 1
        found = target.with_name(f"{target.stem}-{number}{target.suffix}")
    return found
