"""The checks that prove accessibility run, or the test run fails: never a silent skip.

``./run.sh test`` stops when veraPDF cannot be set up; a test that needs veraPDF or
Chromium fails without it, unless PRINTJOURNAL_ALLOW_SKIP names it (and never in CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ALLOW_SKIP, REPO, required_tool

VERA_TEST = "tests/test_accessibility.py::test_verapdf_can_fail"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k != "CI" and not k.startswith("PRINTJOURNAL_")}
    return env | extra


def outcome(name: str) -> tuple[str, str]:
    """What a test that needs the tool ``name``, missing here, comes to: Failed or Skipped."""
    try:
        required_tool(name, "not here")
    except (pytest.fail.Exception, pytest.skip.Exception) as exc:
        return type(exc).__name__, str(exc)
    return "Passed", ""


def test_a_missing_tool_fails_unless_skipping_it_is_asked_for_by_name(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv(ALLOW_SKIP, raising=False)
    assert outcome("verapdf") == ("Failed", "verapdf is required: not here. To skip its tests "
                                  "on purpose, set PRINTJOURNAL_ALLOW_SKIP=verapdf")
    monkeypatch.setenv(ALLOW_SKIP, "chromium")
    assert outcome("verapdf")[0] == "Failed"
    monkeypatch.setenv(ALLOW_SKIP, "chromium, verapdf")
    assert outcome("verapdf") == ("Skipped", "verapdf skipped on purpose "
                                  "(PRINTJOURNAL_ALLOW_SKIP=verapdf): not here")
    monkeypatch.setenv("CI", "true")             # in CI, nothing may skip it
    assert outcome("verapdf")[0] == "Failed"


def test_a_plain_pytest_without_verapdf_fails_its_tests(tmp_path):
    """A fresh pytest on a machine where veraPDF was never set up."""
    result = subprocess.run([sys.executable, "-m", "pytest", VERA_TEST, "-q",
                             "-p", "no:cacheprovider"], cwd=REPO, capture_output=True,
                            text=True, timeout=300,
                            env=clean_env(XDG_CACHE_HOME=str(tmp_path / "empty-cache")))
    assert result.returncode == 1, result.stdout
    assert "verapdf is required: no veraPDF at " in result.stdout
    assert "1 error" in result.stdout, result.stdout


@pytest.mark.parametrize("setup", ["exit 1", None], ids=["setup-fails", "no-setup"])
def test_run_sh_test_stops_when_verapdf_cannot_be_set_up(tmp_path, setup):
    """A clone of run.sh beside a ../shared whose veraPDF setup fails (or is missing)."""
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("run.sh", "pyproject.toml"):
        shutil.copy2(REPO / name, clone / name)
    (clone / ".venv").symlink_to(REPO / ".venv")
    for folder in ("src", "tests", "bench"):     # nothing to lint, nothing to test
        (clone / folder).mkdir()
    if setup is not None:
        tool = tmp_path / "shared/tools/verapdf/setup.sh"
        tool.parent.mkdir(parents=True)
        tool.write_text(f"#!/bin/bash\necho 'no Java here' >&2\n{setup}\n")
        tool.chmod(0o755)
    result = subprocess.run(["bash", str(clone / "run.sh"), "test", "-q"], env=clean_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "veraPDF" in result.stderr and "All checks passed" not in result.stdout, \
        result.stdout + result.stderr
