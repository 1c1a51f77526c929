"""A git revision's own copy of a bench, run in the same sitting as this checkout's.

    from baseline import own_run
    print(own_run("8397020", "articles.py", ["--repeat", "3"]), end="")

The revision's files come from ``git archive`` into a temporary folder (bench/desk.py's
``checkout``: nothing in the repository changes); its bench runs there, in a process of
its own, on its own sources (PYTHONPATH) and its own sample project, so that each
design is measured on the content it shipped with, minutes apart on the same machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from desk import checkout  # bench/desk.py: git archive into a folder


def own_run(rev: str, script: str, args: list[str]) -> str:
    """What ``bench/<script> args`` of ``rev`` printed (stdout; its progress on stderr
    goes to ours). Raises SystemExit when it fails."""
    with tempfile.TemporaryDirectory(prefix="pj-bench-baseline-") as folder:
        old = checkout(rev, Path(folder))
        paths = [str(old / "src"), os.environ.get("PYTHONPATH", "")]
        result = subprocess.run([sys.executable, str(old / "bench" / script), *args],
                                stdout=subprocess.PIPE, text=True, check=False,
                                env={**os.environ,
                                     "PYTHONPATH": os.pathsep.join(p for p in paths if p)})
    if result.returncode:
        raise SystemExit(f"bench/{script} of {rev} failed (exit {result.returncode})")
    return result.stdout
