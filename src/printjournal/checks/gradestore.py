"""An article's prose (as the formulas read it) in, its reading grade from an earlier run
out: textstat, and the nltk it imports (about 0.7 s of CPU), are loaded only when some
article's prose is new or changed.

An entry is keyed by the SHA-256 of the article's language, its paragraphs as the
formulas read them, and what else shapes the result: the versions of textstat and Pyphen
and the text of readability.py. It is one small JSON file in the render cache's folder
(``.printjournal-cache/grades/``), written atomically. A damaged entry is a miss, and a
folder that cannot be written is no error: the grade is measured again next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..files import write_atomic
from ..model import Project


@dataclass(frozen=True)
class Graded:
    """What the formula says of an article's prose, and where its hardest paragraph is."""

    score: float | None
    grade: float | None
    hardest: int | None        # index of the hardest paragraph, when graded


@dataclass(frozen=True)
class GradeStore:
    """Reading grades by key, in ``folder``."""

    folder: Path
    salt: str                  # the versions and code that shape a grade

    @classmethod
    def for_project(cls, project: Project) -> GradeStore:
        code = Path(__file__).with_name("readability.py").read_bytes()
        versions = [_version(name) for name in ("textstat", "pyphen", "sentencex")]
        salt = hashlib.sha256(code + repr(versions).encode()).hexdigest()
        return cls(project.root / ".printjournal-cache" / "grades", salt)

    def key(self, lang: str, texts: Sequence[str]) -> str:
        return hashlib.sha256(json.dumps([self.salt, lang, *texts]).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Graded | None:
        try:
            data = json.loads(self._path(key).read_bytes())
            return Graded(*(None if v is None else t(v) for v, t in
                            zip(data, (float, float, int), strict=True)))
        except (OSError, ValueError, TypeError):    # none yet, or damaged: a miss
            return None

    def put(self, key: str, graded: Graded) -> None:
        with contextlib.suppress(OSError):         # a read-only cache: measured again
            write_atomic(self._path(key), json.dumps(
                [graded.score, graded.grade, graded.hardest]).encode())


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
