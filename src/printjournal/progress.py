"""A build's events in, what its user sees out: the CLI's view of ``printjournal build``.

On a terminal: a progress bar (tqdm) with each problem printed above it. Not on
a terminal (CI logs, pipes): one plain line per output. Either way, problems
as ``path:line: message`` on stderr (warnings as ``path:line: warning: message``),
then a one-line summary that counts them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from tqdm import tqdm

from .errors import Notice, Problem

if TYPE_CHECKING:   # for annotations only: site.build imports WeasyPrint, which every
    #                 command but build, article, leaflet and issue can do without (check)
    from .site.build import Summary
    from .site.work import Outcome


class _Bar(tqdm):
    monitor_interval = 0     # no monitor thread running beside the build


class Progress:
    """Reports a build to a person (a bar on a terminal) or to a log (plain lines)."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None,
                 bar: bool | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.use_bar = _is_terminal(self.err) if bar is None else bar
        self.bar: tqdm | None = None

    def start(self, total: int, todo: int) -> None:
        if self.use_bar and todo:
            self.bar = _Bar(total=todo, unit="PDF", file=self.err, dynamic_ncols=True,
                            leave=False, desc="building")
        elif not self.use_bar:
            print(f"{total} outputs: {total - todo} up to date, {todo} to build",
                  file=self.out, flush=True)

    def update(self, outcome: Outcome) -> None:
        self.problems(outcome.problems)
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(outcome.path, refresh=True)
        elif not self.use_bar:
            line = f"{outcome.status:6} {outcome.path}"
            if outcome.download is not None:
                d = outcome.download
                line += f"  {d.pages} pages  {d.bytes // 1024} KiB  {outcome.seconds:.1f} s"
            print(line, file=self.out, flush=True)

    def problems(self, problems: Sequence[Problem | Notice]) -> None:
        for problem in problems:
            if self.bar is not None:
                self.bar.write(str(problem), file=self.err)
            else:
                print(problem, file=self.err, flush=True)

    def finish(self, summary: Summary) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        removed = f", removed {summary.removed}" if summary.removed else ""
        count = len(summary.warnings)
        warned = f", {count} warning(s)" if count else ""
        print(f"built {summary.built}, reused {summary.reused}, failed {summary.failed}"
              f"{removed}{warned} in {summary.seconds:.1f} s → {summary.out}", file=self.out,
              flush=True)


def _is_terminal(stream: TextIO) -> bool:
    """A terminal with a width (a pseudo-terminal of width 0 shows no bar: plain lines)."""
    try:
        return stream.isatty() and os.get_terminal_size(stream.fileno()).columns > 0
    except (OSError, ValueError):
        return False
