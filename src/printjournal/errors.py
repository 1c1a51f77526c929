"""Errors a user can cause, each pointing at a file and line.

Every stage raises a subclass of :class:`PrintjournalError`. Its ``str()`` reads
``path:line: message`` so the CLI can print it as it is, the way a compiler would.
Stages that check many things at once collect :class:`Problem` records and raise
them together in one :class:`ProblemsError`.

Warnings are not errors: something that prints, but maybe not as meant (a link
to an article the project does not hold, ...). A :class:`Notice` records one;
the command's :class:`Notices` collector, passed explicitly to the stages,
gathers them for the CLI to print as ``path:line: warning: message``. With
``strict`` (``--strict``) the collector hands each warning back as a
:class:`Problem` instead, so it stops the command like any error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        """``path:line: message``; ``path: message`` when no line is known (line 0: a
        whole file, an output, a render), never a made-up ``:0:``."""
        return f"{self.path}:{self.line}: {self.message}" if self.line \
            else f"{self.path}: {self.message}"

    def __lt__(self, other: Problem) -> bool:
        """By file, line and message, whatever the kind (a folder's problem among a
        file's sort together; dataclass ordering compares one class only)."""
        if not isinstance(other, Problem):
            return NotImplemented
        return (str(self.path), self.line, self.message) < \
            (str(other.path), other.line, other.message)


@dataclass(frozen=True)
class Notice(Problem):
    """One warning about one file: it prints, but perhaps not as its author meant."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: warning: {self.message}"


class Notices:
    """The warnings one command has found so far, each kept once, in file order."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._found: set[Notice] = set()

    def warn(self, problems: list[Problem], path: Path, line: int, message: str) -> None:
        """Record a warning, or with ``strict`` add it to ``problems`` as an error."""
        if self.strict:
            problems.append(Problem(path, line, f"{message} (a warning; --strict makes "
                                    "it an error)"))
        else:
            self._found.add(Notice(path, line, message))

    def extend(self, notices: Iterable[Notice]) -> None:
        self._found.update(notices)

    @property
    def found(self) -> tuple[Notice, ...]:
        return tuple(sorted(self._found))

    def __len__(self) -> int:
        return len(self._found)


class FolderProblem(Problem):
    """Something wrong with a whole folder (a full disk, a read-only folder): no line."""

    def __str__(self) -> str:
        return f"{self.path.as_posix().rstrip('/')}/: {self.message}"


class FileProblem(Problem):
    """Something wrong writing a whole file (a full disk, a read-only folder): no line."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class PrintjournalError(Exception):
    """Base class of every error printjournal reports to its user.

    Most carry :class:`Problem` records, each with its file and line. An error about
    no file (a wrong option, a busy desk) carries a plain message instead and no
    problems; the CLI prints it after the command's name. ``usage`` marks a usage
    mistake (a wrong option or combination of options): the CLI exits with status 2
    for it, and 1 for everything else (content, layout, rendering, output)."""

    usage = False

    def __init__(self, problems: Iterable[Problem] | str = ()) -> None:
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            super().__init__(problems)
        else:
            self.problems = tuple(problems)
            super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: Path, line: int, message: str) -> PrintjournalError:
        return cls([Problem(path, line, message)])


class ConfigError(PrintjournalError):
    """printjournal.toml is missing or wrong."""


class ContentError(PrintjournalError):
    """An article, manifest or other content file is wrong."""


class LayoutError(PrintjournalError):
    """A template or stylesheet in layouts/ is wrong."""


class RenderError(PrintjournalError):
    """WeasyPrint could not make the PDF (a refused or broken resource, ...)."""


class PlacementError(RenderError):
    """The laid-out pages put something where it must not be (a note away from its call,
    a word past the margin); ``pages``: how many pages the layout had, so that a
    leaflet's later parts can still be laid out, on the right side, for their problems."""

    def __init__(self, problems: Iterable[Problem], pages: int) -> None:
        super().__init__(problems)
        self.pages = pages


class AssemblyError(RenderError):
    """Rendered parts cannot be put together (a clash, a missing target, ...)."""


class OutputError(PrintjournalError):
    """The output folder or the render cache cannot be written (a disk fault, not content)."""

    @classmethod
    def about(cls, folder: Path, message: str) -> OutputError:
        return cls([FolderProblem(folder, 0, message)])


class ClusterError(PrintjournalError):
    """The Dask scheduler a build was sent to cannot be reached."""


class ReviewError(PrintjournalError):
    """An article is past its clinical review date."""


class OptionError(PrintjournalError, ValueError):
    """An option the user gave is wrong (the CLI reports it as a usage error)."""

    usage = True


def relative(path: Path, root: Path) -> Path:
    """``path`` relative to ``root`` when inside it, for short messages."""
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return path
