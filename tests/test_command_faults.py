"""`printjournal article`, `leaflet` and `issue` on a full or read-only disk: one plain
line naming the file (or the render cache), exit status 1, no partial or temporary file,
the previous file intact.

The disk is real: a 3 MiB tmpfs, filled up or remounted read-only (skipped where the test
may not mount one). The project and its render cache stay on the ordinary disk, warmed
once for the module, so each fault costs little rendering.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from printjournal import cli

from . import test_build_faults
from .conftest import TmpProject
from .test_build_faults import snapshot
from .test_issue_manifest import ARTICLE, COVER_SVG
from .test_leaflet_errors import CLINICS

ISSUE = """\
title: "Test Journal"
issue: "Spring 2027"
date: 2027-03-01
cover: {image: images/cover.svg, alt: "A plain blue cover"}
editorial: issues/letter.md
articles: [one]
"""

small_disk = test_build_faults.small_disk     # the fixture: a 3 MiB tmpfs

COMMANDS = {
    "article": ["article", "{root}/content/articles/one.md"],
    "leaflet": ["leaflet", "one"],
    "issue": ["issue", "{root}/content/issues/spring.yaml", "--jobs", "1"],
}


def command(project: TmpProject, name: str, out: Path) -> list[str]:
    """The arguments of the command ``name`` writing ``out``."""
    return ["-C", str(project.root), *(a.format(root=project.root) for a in COMMANDS[name]),
            "-o", str(out)]


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """A project of one article, a clinic and an issue, each command run once (the render
    cache warm: the fault tests then cost the write, not the render)."""
    project = TmpProject(tmp_path_factory.mktemp("faults") / "project")
    project.article("one", ARTICLE.format(n=1, review="2099-01-01", link=""))
    project.write("content/images/cover.svg", COVER_SVG)
    project.write("content/issues/letter.md", "---\ntitle: Dear reader\n---\nHello.\n")
    project.write("content/issues/spring.yaml", ISSUE)
    with (project.root / "printjournal.toml").open("a") as toml:
        toml.write(CLINICS)
    for name in COMMANDS:
        assert cli.main(command(project, name, project.root / f"warm-{name}.pdf")) == 0
    return project


def fill(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as filler, pytest.raises(OSError):
        while True:
            filler.write(b"\0" * 65536)


def make_read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


FAULTS = {"full": (fill, "no space left on device"),
          "read-only": (make_read_only, "the folder is read-only")}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_on_a_full_or_read_only_disk(faulty, small_disk, capsys, name, fault):
    out = small_disk / "out" / f"{name}.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF-1.7 the previous file")
    inject, message = FAULTS[fault]
    inject(small_disk)
    before = snapshot(small_disk)

    status = cli.main(command(faulty, name, out))
    assert status == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: cannot write the output: {message}"]
    assert snapshot(small_disk) == before            # no half file, no temporary file


def test_a_folder_that_cannot_be_made_names_the_file(faulty, tmp_path, capsys):
    (tmp_path / "site").write_text("a file where the folder should be")
    out = tmp_path / "site" / "one.pdf"
    assert cli.main(command(faulty, "article", out)) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: cannot write the output: a file is in the way where a folder should be"]


def test_a_read_only_render_cache_is_named(faulty, small_disk, capsys, tmp_path):
    """A leaflet not in the cache yet, the cache on a read-only disk: the cache is named,
    and no leaflet is written."""
    project = TmpProject(tmp_path / "fresh")
    project.article("one", ARTICLE.format(n=1, review="2099-01-01", link=""))
    with (project.root / "printjournal.toml").open("a") as toml:
        toml.write(CLINICS)
    make_read_only(small_disk)
    (project.root / ".printjournal-cache").symlink_to(small_disk)
    out = project.root / "one.pdf"
    assert cli.main(["-C", str(project.root), "leaflet", "one", "-o", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        ".printjournal-cache/: cannot write the output: the folder is read-only"]
    assert not out.exists()
    assert not [p for p in project.root.iterdir() if p.name.endswith(".tmp")]
