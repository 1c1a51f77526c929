"""The public API: what ``import printjournal`` offers, cheaply, and what it says of itself."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import printjournal
from printjournal import errors


def test_importing_printjournal_loads_no_heavy_library():
    code = ("import sys, printjournal; print(sorted(m for m in ('weasyprint', 'pypdf', "
            "'pikepdf', 'jinja2', 'markdown') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_every_public_name_is_there():
    for name in printjournal.__all__:
        assert getattr(printjournal, name) is not None, name
    assert set(printjournal.__all__) <= set(dir(printjournal))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        printjournal.nothing  # noqa: B018


def test_every_error_type_a_user_can_cause_is_public_and_one_hierarchy():
    kinds = {name for name, value in vars(errors).items()
             if inspect.isclass(value) and issubclass(value, errors.PrintjournalError)}
    assert kinds <= set(printjournal.__all__)
    assert issubclass(printjournal.OptionError, printjournal.PrintjournalError)
    assert printjournal.OptionError.usage


@pytest.mark.parametrize("name", ["load_project", "build_article", "build_issue",
                                  "build_site", "build_leaflet"])
def test_each_public_function_says_what_it_raises(name):
    doc = inspect.getdoc(getattr(printjournal, name)) or ""
    assert "Raises" in doc, name


def test_load_project_finds_the_project_upward(tmp_project, monkeypatch):
    monkeypatch.chdir(tmp_project.root / "content" / "articles")
    assert printjournal.load_project().root == tmp_project.root.resolve()
    assert printjournal.load_project(str(tmp_project.root)).journal.name == "Test Journal"
    monkeypatch.chdir(tmp_project.root.parent)
    with pytest.raises(printjournal.ConfigError, match=r"no printjournal\.toml here"):
        printjournal.load_project()
