"""Helpers for the website build's tests: stand-ins that run in its worker processes.

They live in a module of their own (not a test file) so that a worker process
can import them by name, as it imports the real builders.
"""

from __future__ import annotations

import io
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import pypdf

from printjournal.errors import ContentError, Problem
from printjournal.load.yamlsource import load_yaml
from printjournal.pipeline import Pipeline
from printjournal.render.weasy import Rendered
from printjournal.site.build import Summary
from printjournal.site.work import Outcome


def stand_in_issue(pipeline: Pipeline, manifest: Path, edition: str) -> Rendered:
    """Stands in for issue 3's builder: one blank page per article of the issue,
    titled with the issue and edition. Fails, as the real one can, when the issue's name
    says "(fail)" (a manifest's own problems are the website build's plan's)."""
    data = load_yaml(manifest.read_text(encoding="utf-8"), manifest, 1).data
    if not isinstance(data, dict) or "(fail)" in str(data.get("issue")):
        raise ContentError([Problem(Path("content/issues") / manifest.name, 1,
                                    "the issue cannot be built")])
    writer = pypdf.PdfWriter()
    for _ in data.get("articles", []):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": f"{data['issue']} ({edition})"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return Rendered(buffer.getvalue(), len(writer.pages))


def dying_issue(pipeline: Pipeline, manifest: Path, edition: str) -> Rendered:
    """An issue builder whose print edition kills its process, as the kernel's OOM
    killer would."""
    if edition == "print":
        os.kill(os.getpid(), signal.SIGKILL)
    return stand_in_issue(pipeline, manifest, edition)


def sleepy_issue(pipeline: Pipeline, manifest: Path, edition: str) -> Rendered:
    """An issue builder that says it started (a file ``workers/<edition>.<pid>`` in the
    project) and then takes a long time: a build to kill while its workers render."""
    folder = pipeline.project.root / "workers"
    folder.mkdir(exist_ok=True)
    (folder / f"{edition}.{os.getpid()}").touch()
    time.sleep(30)
    return stand_in_issue(pipeline, manifest, edition)


def crashing_issue(pipeline: Pipeline, manifest: Path, edition: str) -> Rendered:
    """An issue builder with a bug."""
    raise RuntimeError("a bug in the issue builder")


@dataclass
class Collect:
    """A reporter that remembers what it was told."""

    outcomes: list[Outcome] = field(default_factory=list)
    other_problems: list[Problem] = field(default_factory=list)
    started: tuple[int, int] | None = None
    summary: Summary | None = None

    def start(self, total: int, todo: int) -> None:
        self.started = (total, todo)

    def update(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def problems(self, problems) -> None:
        self.other_problems.extend(problems)

    def finish(self, summary: Summary) -> None:
        self.summary = summary

    def paths(self, status: str) -> set[str]:
        return {o.path for o in self.outcomes if o.status == status}


KILLED_MARK = "PRINTJOURNAL_TEST_KILLED_MARK"


def issue_dying_once(pipeline: Pipeline, manifest: Path, edition: str) -> Rendered:
    """An issue builder whose print edition kills its process the first time (the
    process's id left in ``killed`` in the project, or in the folder KILLED_MARK names:
    a cluster's workers render in folders of their own), as the OOM killer would a
    cluster's worker mid-render; run again (on another worker), it renders."""
    mark = Path(os.environ.get(KILLED_MARK) or pipeline.project.root) / "killed"
    if edition == "print":
        try:
            with mark.open("x") as file:
                file.write(str(os.getpid()))
        except FileExistsError:
            pass
        else:
            os.kill(os.getpid(), signal.SIGKILL)
    return stand_in_issue(pipeline, manifest, edition)


def count_in_worker(dask_worker: object) -> None:
    """On a Dask worker (``client.run``): from now on count, in the worker's
    ``printjournal_counts``, the project's shared files arriving (a shipment holding
    printjournal.toml unpickled there, however it came) and pipelines loaded."""
    from printjournal.site.shipment import Shipment

    counts: dict[str, int] = {"shipped": 0, "loaded": 0}
    dask_worker.printjournal_counts = counts            # type: ignore[attr-defined]
    if getattr(Pipeline.load, "counting", False):
        return
    load = Pipeline.load.__func__                       # type: ignore[attr-defined]

    def counted_load(cls: type[Pipeline], project: object) -> Pipeline:
        dask_worker.printjournal_counts["loaded"] += 1   # type: ignore[attr-defined]
        return load(cls, project)

    def arrived(shipment: Shipment, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(shipment, name, value)
        if any(name == "printjournal.toml" for name, _ in shipment.files):
            dask_worker.printjournal_counts["shipped"] += 1   # type: ignore[attr-defined]

    counted_load.counting = True                        # type: ignore[attr-defined]
    Pipeline.load = classmethod(counted_load)           # type: ignore[assignment]
    Shipment.__setstate__ = arrived                     # type: ignore[attr-defined]


def counted(dask_worker: object) -> dict[str, int]:
    """On a Dask worker: what :func:`count_in_worker` counted so far."""
    return dict(getattr(dask_worker, "printjournal_counts", {}))
