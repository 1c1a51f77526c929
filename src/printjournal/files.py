"""Bytes in, files on disk out: atomic writes, and the clean-up after a killed run.

A file is written to a temporary file beside it, named ``.<name>.<pid>.<random>.tmp``,
then renamed over it: a reader sees the old file or the new one, never half of one.
A run killed between the write and the rename leaves its temporary file behind; the
name says which process wrote it, so a later run can tell a stale one (its process
is gone, or it is older than any write takes) from one being written right now, and
remove it (:func:`remove_stale_temps`).

An error writing our own files (a full disk, a read-only folder) is not the fault of
an article: :func:`output_error` turns it into one plain :class:`OutputError` that
names the folder; :func:`output_faults` does the same around a command that writes
one file (``printjournal article``, ``leaflet``, ``issue``), naming that file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import FileProblem, OutputError, relative

STALE_AFTER = 15 * 60     # seconds: no write of ours takes this long
_UNNAMED_AFTER = 60       # seconds: a temporary file without a pid (older versions)
_TEMP = re.compile(r"^\..+?\.(?:(?P<pid>\d+)\.)?[^.]+\.tmp$")
_PLAIN = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is read-only",
    errno.EACCES: "no permission to write there",
    errno.EPERM: "no permission to write there",
    errno.ENOTDIR: "a file is in the way where a folder should be",
    errno.EEXIST: "a file is in the way where a folder should be",
    errno.EIO: "the disk reported an input/output error",
}


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a failed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:   # a write(): say where
            exc.filename = str(path)
        raise


def is_temp(path: Path) -> bool:
    """Whether ``path`` is named as a temporary file of :func:`write_atomic`."""
    return _TEMP.match(path.name) is not None


def remove_stale_temps(folder: Path) -> int:
    """Remove the temporary files under ``folder`` that no running write will rename:
    their process is gone, or they are older than STALE_AFTER. Returns how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    now = time.time()
    for path in folder.rglob(".*.tmp"):
        match = _TEMP.match(path.name)
        if match is None or not path.is_file():
            continue
        with contextlib.suppress(FileNotFoundError):
            age = now - path.stat().st_mtime
            pid = match["pid"]
            gone = age > _UNNAMED_AFTER if pid is None else not alive(int(pid))
            if gone or age > STALE_AFTER:
                path.unlink()
                removed += 1
    return removed


def alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def under(exc: OSError, folders: Iterable[Path]) -> bool:
    """Whether ``exc`` was raised on a path in (or above) one of ``folders``: on a write
    of our own there, not on reading content."""
    if not exc.filename:
        return False
    where = Path(os.fsdecode(exc.filename)).absolute()
    return any(where.is_relative_to(f) or f.is_relative_to(where) for f in folders)


def output_error(exc: OSError, folders: dict[Path, Path], root: Path) -> OutputError:
    """``exc``, raised writing under one of ``folders`` (folder → the name to show),
    as one plain error naming that folder (or the file, when it is under none)."""
    where = Path(exc.filename) if exc.filename else None
    shown: Path | None = None
    if where is not None:
        for folder, name in folders.items():
            if where.resolve().is_relative_to(folder.resolve()):
                shown = name
                break
    if shown is None:
        shown = relative(where.parent, root) if where is not None \
            else next(iter(folders.values()))
    return OutputError.about(shown, f"cannot write the output: {plain(exc)}")


def plain(exc: OSError) -> str:
    """What went wrong writing, in plain words ("no space left on device")."""
    return _PLAIN.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


@contextlib.contextmanager
def output_faults(out: Path, root: Path, cache: Path) -> Iterator[None]:
    """Around a command writing the one file ``out``: an OSError raised writing it (its
    folder, its temporary file) or the render cache ``cache`` becomes one OutputError
    naming that file or folder. Anything else (reading content) passes through."""
    try:
        yield
    except OSError as exc:
        cache = cache.absolute()
        in_cache = bool(exc.filename) and \
            Path(os.fsdecode(exc.filename)).absolute().is_relative_to(cache)
        if not in_cache and under(exc, (out.parent.absolute(),)):
            raise OutputError([FileProblem(relative(out, root), 0,
                                           f"cannot write the output: {plain(exc)}")]) \
                from None
        if under(exc, (cache,)):
            raise output_error(exc, {cache: Path(cache.name)}, root) from None
        raise
