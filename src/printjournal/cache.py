"""Inputs in, a content-hash key out; and a folder of rendered PDFs by key.

An output is reused only when every input that shaped it is byte for byte
the same: the article's file and the images it uses, everything in layouts/
and fonts/, printjournal.toml, printjournal's and WeasyPrint's versions, and
whatever options the caller adds (edition, folio, clinic, ...). Keys are
SHA-256 hex digests; entries are written atomically and named with the SHA-256
of their bytes, checked on every read, so neither a crash nor a damaged disk
gives a later run bytes it would trust wrongly.

The entries live in the project's .printjournal-cache/ (a :class:`FolderStore`), or,
with ``[build] cache`` in printjournal.toml, in a folder on a shared filesystem or
an S3-compatible object store reached through fsspec (an :class:`ObjectStore`), so
that every machine reuses every other's renders. Either store writes an entry whole
(an atomic rename; one PUT of the whole object) under a name holding the SHA-256
of its bytes, so builders writing the same entry at once never leave a mixed one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .errors import OutputError
from .files import write_atomic
from .load.content import IMAGE, body_lines
from .model import Article, Project

log = logging.getLogger(__name__)

_file_hashes: dict[tuple[str, int, int], str] = {}


def file_hash(path: Path) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime) within this process."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _file_hashes:
        _file_hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _file_hashes[key]


def project_fingerprint(project: Project) -> str:
    """What every output of the project depends on: layouts, fonts, config, versions,
    and printjournal's own code (its sources: a code change never reuses an old PDF)."""
    digest = hashlib.sha256(_code(Path(__file__).parent))
    for path in project_files(project):
        digest.update(f"\0{path.relative_to(project.root)}\0{file_hash(path)}".encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _code(code: Path) -> bytes:
    """What the key takes of printjournal's own code in the folder ``code``: the versions,
    each module's name and SHA-256. Read once per process (each key took about 7 ms to
    list and stat the ~90 modules again, 21 keys an issue build): the code this process
    runs is what it imported, whatever is edited on disk while it runs."""
    # WeasyPrint's version as its package records it (the string weasyprint.__version__ is),
    # so that a command needing no render (check, a no-op) does not import WeasyPrint
    weasyprint = importlib.metadata.version("weasyprint")
    parts = [f"printjournal {__version__} weasyprint {weasyprint}"]
    for source in sorted(code.rglob("*.py")):     # the packages' modules too (pdf/, issue/)
        parts.append(f"\0{source.relative_to(code).as_posix()}\0{file_hash(source)}")
    return "".join(parts).encode()


def project_files(project: Project) -> list[Path]:
    """The project's files every output is made from: printjournal.toml, layouts/, fonts/."""
    files = [project.config_path]
    for folder in (project.layouts_dir, project.fonts_dir):
        files += sorted(p for p in folder.rglob("*") if p.is_file())
    return files


def article_inputs(article: Article, project: Project) -> list[Path]:
    """The files an article's PDF is made from: its Markdown and its images."""
    folder = (project.root / article.path).parent
    files = [project.root / article.path]
    for _, line in body_lines(article):
        for match in IMAGE.finditer(line):
            image = (folder / match[2]).resolve()
            if image.is_file():
                files.append(image)
    return files


def key(project: Project, files: Iterable[Path], *options: object,
        fingerprint: str | None = None) -> str:
    """The cache key of an output made from ``files`` with ``options``. Files are named
    relative to the project folder, so two clones of a project (on two machines of a
    cluster, say) share their keys, and taken in name order, each once, so two commands
    that list an output's files in another order share its key (outputs.py).
    ``fingerprint``: the project's :func:`project_fingerprint`, when the caller took it
    once for many keys (it walks and stats ~180 files: a build's many outputs)."""
    digest = hashlib.sha256((fingerprint or project_fingerprint(project)).encode())
    named = {Path(os.path.relpath(path, project.root)).as_posix(): path for path in files}
    for name in sorted(named):
        digest.update(f"\0{name}\0{file_hash(named[name])}".encode())
    for option in options:
        digest.update(f"\0{option!r}".encode())
    return digest.hexdigest()


#: seconds a desk goes without a shared store that failed before it asks it again
RETRY_SECONDS = 60


class Outage:
    """A desk's way round a shared store that cannot be reached: go without it.

    The state is a file in this machine's cache folder, shared by the desk's processes
    (the web process and each worker): ``shared-cache-down`` holds the message, its
    modification time is the last failed try. The process that makes it says it in the
    log; whoever asks :meth:`news` first gets it for the staff's warnings; the process
    that finds the store answering again removes it and says so in the log."""

    def __init__(self, folder: Path, retry: float = RETRY_SECONDS) -> None:
        self.marker = folder / "shared-cache-down"
        self.told = folder / "shared-cache-down.told"
        self.retry = retry

    def skipping(self) -> bool:
        """Whether to go without the store now: it failed under ``retry`` seconds ago.
        When that time has passed, this process tries it again (the others keep going
        without it meanwhile)."""
        try:
            if time.time() - self.marker.stat().st_mtime < self.retry:
                return True
            os.utime(self.marker)
        except OSError:
            pass
        return False

    def failed(self, exc: Exception) -> None:
        """The store failed: go without it for ``retry`` seconds; said once an outage."""
        message = (f"{exc}: printing without the shared render cache (asked again every "
                   f"{self.retry:.0f} s)")
        try:
            self.marker.parent.mkdir(parents=True, exist_ok=True)
            with open(self.marker, "x", encoding="utf-8") as marker:   # the first to find it
                marker.write(message)
        except FileExistsError:
            with contextlib.suppress(OSError):
                os.utime(self.marker)
            return
        except OSError:                       # no local folder to note it in: said each time
            pass
        log.warning("%s", message)

    def worked(self) -> None:
        """The store answered: an outage, if there was one, is over."""
        if self.marker.exists():
            try:
                self.marker.unlink()
            except OSError:
                return                        # another process saw it first
            self.told.unlink(missing_ok=True)
            log.warning("the shared render cache answers again: using it")

    def news(self) -> str | None:
        """The outage's message, for the first who asks during one outage (then None)."""
        try:
            message = self.marker.read_text(encoding="utf-8")
            with open(self.told, "x", encoding="utf-8"):
                return message
        except OSError:                       # no outage, or told already
            return None


class DamagedEntryError(OutputError):
    """A render cache entry whose bytes are not those written (truncated, overwritten)."""


@dataclass(frozen=True)
class FolderStore:
    """Entries as files in a folder (this machine's, or one on a shared filesystem),
    named ``<2 hex>/<name>``, each written to a temporary file and renamed."""

    folder: Path

    def names(self, cache_key: str) -> list[str]:
        try:
            return sorted(f"{cache_key[:2]}/{p.name}" for p in
                          (self.folder / cache_key[:2]).glob(f"{cache_key}.*.pdf"))
        except OSError:
            return []

    def read(self, name: str) -> bytes | None:
        try:
            return (self.folder / name).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, name: str, data: bytes) -> None:
        write_atomic(self.folder / name, data)

    def remove(self, name: str) -> None:
        with contextlib.suppress(OSError):    # a read-only cache: a miss all the same
            (self.folder / name).unlink(missing_ok=True)

    def show(self, name: str) -> str:
        return str(self.folder.name / Path(name))


@dataclass(frozen=True)
class ObjectStore:
    """Entries as objects under an fsspec URL (``s3://bucket/prefix``), named
    ``<url>/<2 hex>/<name>``: each written in one request holding all its bytes, which
    the store makes visible whole or not at all. Where the store is and who may use it
    come from the environment, as its client library reads them (for S3: AWS_ENDPOINT_URL,
    AWS_ACCESS_KEY_ID, ...), never from the project. A store that cannot be reached or
    written stops the command with an OutputError naming the URL."""

    url: str

    def _fs(self) -> tuple[Any, str]:
        import fsspec  # heavy: only a project with an object store cache needs it

        try:   # no listings cache: another builder's new entry is seen at once
            fs, root = fsspec.core.url_to_fs(self.url, use_listings_cache=False)
        except ImportError as exc:
            raise OutputError(f"the render cache {self.url} needs a library that is not "
                              f"installed: {exc}") from None
        return fs, root.rstrip("/")

    def names(self, cache_key: str) -> list[str]:
        fs, root = self._fs()
        with self._failing("read"):
            found = fs.glob(f"{root}/{cache_key[:2]}/{cache_key}.*.pdf")
        return sorted(f"{cache_key[:2]}/{p.rsplit('/', 1)[-1]}" for p in found)

    def read(self, name: str) -> bytes | None:
        fs, root = self._fs()
        with self._failing("read"):
            try:
                return bytes(fs.cat_file(f"{root}/{name}"))
            except FileNotFoundError:
                return None

    def write(self, name: str, data: bytes) -> None:
        fs, root = self._fs()
        with self._failing("write"):
            fs.pipe_file(f"{root}/{name}", data)

    def remove(self, name: str) -> None:
        fs, root = self._fs()
        with contextlib.suppress(Exception):   # gone already, or not ours to remove: a miss
            fs.rm_file(f"{root}/{name}")

    def show(self, name: str) -> str:
        return f"{self.url.rstrip('/')}/{name}"

    @contextlib.contextmanager
    def _failing(self, what: str) -> Iterator[None]:
        try:
            yield
        except FileNotFoundError:
            raise
        except Exception as exc:   # the client's own kinds (OSError, botocore's, aiohttp's)
            raise OutputError(f"the render cache {self.url} cannot be {what}: "
                              f"{type(exc).__name__}: {exc}") from None


@dataclass(frozen=True)
class RenderCache:
    """Rendered PDFs by key: in ``shared`` (a store of ``[build] cache``) when there is
    one, else in ``folder`` (.printjournal-cache/ in the project), which also holds
    what is this machine's alone (build records, converted images).

    An entry is sealed by its name, ``<key>.<sha256 of its bytes>.pdf``, written
    whole, and returned only if its bytes still have that SHA-256; one that does not
    (a truncated file, other bytes) is removed and is a miss.
    """

    folder: Path
    shared: FolderStore | ObjectStore | None = None
    outage: Outage | None = None     # a desk's: go on without a shared store that fails

    @classmethod
    def for_project(cls, project: Project, desk: bool = False) -> RenderCache:
        """The project's cache (``[build] cache``); a ``desk`` prints on without a shared
        store that cannot be reached, where a build stops with an OutputError."""
        local = project.root / ".printjournal-cache"
        where = project.build.cache
        if where is None:
            return cls(local)
        shared = ObjectStore(where) if "://" in where \
            else FolderStore(project.root / where)    # an absolute one stays
        return cls(local, shared, Outage(local) if desk else None)

    def news(self) -> str | None:
        """A desk's: that it prints without the shared store, once an outage."""
        return self.outage.news() if self.outage is not None else None

    @property
    def entries(self) -> FolderStore | ObjectStore:
        return self.shared or FolderStore(self.folder)

    @property
    def written(self) -> tuple[Path, ...]:
        """The folders of this machine the cache writes into."""
        shared = self.shared
        return (self.folder, shared.folder) if isinstance(shared, FolderStore) \
            else (self.folder,)

    def get(self, cache_key: str) -> bytes | None:
        """The entry's bytes; None when there is none, or it was damaged (then logged), or
        (a desk's) the shared store cannot be reached."""
        outage = self.outage
        if outage is not None and outage.skipping():
            return None
        try:
            data = self.verified(cache_key)
        except DamagedEntryError as exc:
            log.warning("%s", exc)
            return None
        except (OutputError, OSError) as exc:
            if outage is None:
                raise
            outage.failed(exc)
            return None
        if outage is not None:
            outage.worked()
        return data

    def verified(self, cache_key: str) -> bytes | None:
        """The entry's bytes, None when there is none; raises DamagedEntryError (the entry
        removed) when its bytes do not have the SHA-256 its name says."""
        entries = self.entries
        for name in entries.names(cache_key):
            data = entries.read(name)
            if data is None:
                continue
            if hashlib.sha256(data).hexdigest() == name.split(".")[-2]:
                return data
            entries.remove(name)
            raise DamagedEntryError(f"the render cache entry {entries.show(name)} "
                                    "was damaged: it is rendered again")
        return None

    def put(self, cache_key: str, data: bytes) -> None:
        """Keep ``data`` under ``cache_key`` (a desk's: not while the store is down)."""
        outage = self.outage
        if outage is not None and outage.skipping():
            return
        try:
            self._put(cache_key, data)
        except (OutputError, OSError) as exc:
            if outage is None:
                raise
            outage.failed(exc)

    def _put(self, cache_key: str, data: bytes) -> None:
        entries = self.entries
        name = f"{cache_key[:2]}/{cache_key}.{hashlib.sha256(data).hexdigest()}.pdf"
        entries.write(name, data)
        for other in entries.names(cache_key):
            if other != name:
                entries.remove(other)
