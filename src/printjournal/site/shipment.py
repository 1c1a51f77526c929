"""A project in, the files every output of it is made from out (a :class:`Shipment`,
named by its digest), and the project as it is sent (:func:`portable`: its paths
relative to its folder) and placed again in a Dask worker's folder (:func:`placed`).

cluster.py sends them (a build on a Dask cluster); holder.py, the plugin on each worker
registered under :data:`PLUGIN`, keeps them unpacked. Neither imports the other for them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import cache
from ..files import write_atomic
from ..model import BuildSettings, Project

PRESS_PROFILE = ".printjournal-press.icc"   # a press profile from outside the project, shipped
PLUGIN = "printjournal"                     # the name of holder.Holder on the cluster


@dataclass(frozen=True)
class Shipment:
    """Files by their '/'-separated path in the project folder, with their bytes; the
    digest (over names and bytes) names the folder a worker unpacks them into."""

    files: tuple[tuple[str, bytes], ...]
    digest: str

    @classmethod
    def of(cls, paths: Iterable[Path], root: Path, extra: Iterable[tuple[str, bytes]] = ()
           ) -> Shipment:
        """``paths`` inside ``root`` (one outside it is not shipped) and ``extra``."""
        found = dict(extra)
        for path in paths:
            name = Path(os.path.relpath(path, root)).as_posix()
            if not name.startswith("../"):
                found[name] = path.read_bytes()
        files = tuple(sorted(found.items()))
        digest = hashlib.sha256()
        for name, data in files:
            digest.update(f"\0{name}\0{len(data)}\0".encode())
            digest.update(data)
        return cls(files, digest.hexdigest())

    def unpack(self, folder: Path) -> None:
        """Write the files into ``folder`` (those not there already with these bytes)."""
        inside = folder.resolve()
        for name, data in self.files:
            target = folder / name
            if not target.resolve().is_relative_to(inside):
                continue
            try:
                if target.read_bytes() == data:
                    continue
            except OSError:
                pass
            write_atomic(target, data)


def portable(project: Project) -> tuple[Project, Shipment]:
    """The project with its paths relative to its folder, and the files every output
    of it is made from."""
    extra: list[tuple[str, bytes]] = []
    press = project.press
    if press.profile is not None:
        profile = Path(os.path.relpath(press.profile, project.root))
        if profile.as_posix().startswith("../"):
            extra.append((PRESS_PROFILE, press.profile.read_bytes()))
            profile = Path(PRESS_PROFILE)
        press = dataclasses.replace(press, profile=profile)
    clinics = tuple(dataclasses.replace(c, logo=c.logo and
                                        Path(os.path.relpath(c.logo, project.root)))
                    for c in project.clinics)
    shared = Shipment.of([*cache.project_files(project),
                          *(project.root / c.logo for c in clinics if c.logo)],
                         project.root, extra)
    # a worker keeps what it caches (an issue's parts) in its own folder, never in the
    # shared cache: it needs no credentials of the project's object store
    return dataclasses.replace(project, root=Path(), press=press, clinics=clinics,
                               build=BuildSettings()), shared


def placed(project: Project, folder: Path) -> Project:
    """A portable project (:func:`portable`) in ``folder``."""
    press = project.press
    if press.profile is not None:
        press = dataclasses.replace(press, profile=folder / press.profile)
    clinics = tuple(dataclasses.replace(c, logo=c.logo and folder / c.logo)
                    for c in project.clinics)
    return dataclasses.replace(project, root=folder, press=press, clinics=clinics)
