"""The website build under faults: damaged cache entries and outputs, killed builds,
stale temporary files, full and read-only disks, files the build did not make.

Faults are injected for real where the test can: processes are killed with SIGKILL,
a small tmpfs is filled or remounted read-only (skipped where mounting is not
allowed; a monkeypatched ``os.replace`` covers the same path everywhere).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from printjournal import files
from printjournal.errors import OutputError
from printjournal.site import build as site
from printjournal.site import plan as siteplan

from . import test_site
from .conftest import REPO
from .site_helpers import stand_in_issue
from .test_site import ALL, DOT, ISSUE, article, build, manifest, run

project = test_site.project         # the fixture: a project of three small articles


def cache_entry(project, path: str) -> Path:
    """The render cache file of the output ``path``."""
    loaded = project.project()
    [output] = [o for o in siteplan.plan(loaded).outputs if o.path == path]
    key = output.key(loaded)
    [entry] = (project.root / ".printjournal-cache" / key[:2]).glob(f"{key}.*.pdf")
    return entry


def assert_manifest_matches(dist: Path, foreign: frozenset[str] = frozenset()) -> None:
    """manifest.json lists exactly the PDFs there (but ``foreign``), each with its bytes."""
    entries = manifest(dist)
    on_disk = {p.relative_to(dist).as_posix() for p in dist.rglob("*.pdf")}
    assert set(entries) == on_disk - foreign
    for path, entry in entries.items():
        data = (dist / path).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
        assert set(entry.get("articles", ())) <= set(entries)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_for(condition, seconds: float = 60) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (bounded, not a timing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def warnings(report) -> list[str]:
    """The build's warnings, as its user reads them."""
    return [str(notice) for notice in report.summary.warnings]


# ---- the render cache and the output folder are verified before they are trusted

@pytest.mark.parametrize("damage", [
    lambda data, other: data[: len(data) // 2],           # truncated
    lambda data, other: os.urandom(len(data)),            # random bytes, the same size
    lambda data, other: other,                            # another article's good PDF
], ids=["truncated", "random", "other-pdf"])
def test_a_damaged_cache_entry_is_rebuilt_not_published(project, damage):
    build(project)
    good = (project.root / "dist/articles/beta.pdf").read_bytes()
    entry = cache_entry(project, "articles/beta.pdf")
    entry.write_bytes(damage(entry.read_bytes(),
                             cache_entry(project, "articles/alpha.pdf").read_bytes()))

    out = project.root / "site"                    # a new folder: all from the cache
    report = build(project, out)
    assert report.paths("built") == {"articles/beta.pdf"}
    assert report.summary.reused == 2 and report.summary.failed == 0
    assert warnings(report) == [
        "site: warning: the render cache entry for articles/beta.pdf was damaged: rebuilt"]
    assert (out / "articles/beta.pdf").read_bytes() == good
    assert entry.read_bytes() == good              # the entry is whole again
    assert_manifest_matches(out)

    again = build(project, project.root / "site2")
    assert again.outcomes == [] and warnings(again) == []


def test_a_cache_entry_is_named_with_the_sha256_of_its_bytes(project):
    build(project)
    entry = cache_entry(project, "articles/gamma.pdf")
    data = (project.root / "dist/articles/gamma.pdf").read_bytes()
    assert entry.read_bytes() == data
    assert entry.name.split(".")[1] == hashlib.sha256(data).hexdigest()


def test_a_changed_output_file_is_rebuilt_and_said(project):
    build(project)
    dist = project.root / "dist"
    good = (dist / "articles/alpha.pdf").read_bytes()
    (dist / "articles/alpha.pdf").write_bytes((dist / "articles/beta.pdf").read_bytes())
    report = build(project)
    assert report.outcomes == []                   # restored from the render cache
    assert warnings(report) == [
        "dist: warning: articles/alpha.pdf was changed or damaged since it was built: rebuilt"]
    assert (dist / "articles/alpha.pdf").read_bytes() == good
    assert_manifest_matches(dist)


def test_with_strict_a_damaged_file_is_an_error_not_a_warning(project):
    """Faults go through the one warnings channel: counted, and --strict makes them errors."""
    build(project)
    dist = project.root / "dist"
    good = (dist / "articles/alpha.pdf").read_bytes()
    (dist / "articles/alpha.pdf").write_bytes(b"%PDF-1.7 changed by hand")
    result = run("build", "--strict", cwd=project.root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "dist: articles/alpha.pdf was changed or damaged since it was built: rebuilt "
        "(a warning; --strict makes it an error)"]
    assert "warning(s)" not in result.stdout
    assert (dist / "articles/alpha.pdf").read_bytes() == good     # still put right
    (dist / "articles/alpha.pdf").write_bytes(b"%PDF-1.7 changed by hand")
    result = run("build", cwd=project.root)
    assert result.returncode == 0
    assert "reused 3, failed 0, 1 warning(s) in " in result.stdout


def test_after_a_build_stopped_before_its_manifest_the_next_one_matches_the_files(
        project, monkeypatch):
    build(project)
    dist = project.root / "dist"
    before = manifest(dist)
    (project.root / "content/articles/alpha.md").write_text(
        article("Alpha", "Edited words, no dot."))

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt   # as a kill after the PDFs and before the manifest
    with monkeypatch.context() as patch:
        patch.setattr(site, "_write_pages", stopped)
        with pytest.raises(KeyboardInterrupt):
            build(project)
    new = (dist / "articles/alpha.pdf").read_bytes()
    assert before["articles/alpha.pdf"]["sha256"] != hashlib.sha256(new).hexdigest()

    report = build(project)
    assert report.outcomes == []                   # the PDF was made: nothing to render
    assert_manifest_matches(dist)
    assert (dist / "articles/alpha.pdf").read_bytes() == new


def test_a_failed_output_whose_old_file_was_changed_is_not_listed(project):
    build(project)
    dist = project.root / "dist"
    (dist / "articles/gamma.pdf").write_bytes(b"%PDF-1.7 not what was built")
    project.write("content/images/broken.svg", "<svg xmlns='http://www.w3.org/2000/svg'")
    project.article("gamma", article("Gamma", "![broken](../images/broken.svg)"))
    report = build(project)
    assert report.paths("failed") == {"articles/gamma.pdf"}
    assert set(manifest(dist)) == ALL - {"articles/gamma.pdf"}
    assert warnings(report) == [
        "dist: warning: articles/gamma.pdf is not made by this build: it is not in manifest.json"]


def test_an_issue_lists_only_the_article_pdfs_there(project):
    project.write("content/issues/spring.yaml", ISSUE)
    project.write("content/issues/spring-editorial.md", "---\ntitle: Editorial\n---\nHi.\n")
    project.write("content/images/cover.svg", DOT.format(4))
    build(project, issue_builder=stand_in_issue)
    dist = project.root / "dist"
    assert manifest(dist)["issues/spring.pdf"]["articles"] == [
        "articles/alpha.pdf", "articles/beta.pdf"]
    (project.root / "content/articles/beta.md").unlink()
    build(project, issue_builder=stand_in_issue)
    assert not (dist / "articles/beta.pdf").exists()
    for edition in ("issues/spring.pdf", "issues/spring-print.pdf"):
        assert manifest(dist)[edition]["articles"] == ["articles/alpha.pdf"]
    assert_manifest_matches(dist)


# ---- files the build did not make

def test_pdfs_the_build_did_not_make_are_named_and_never_listed(project):
    dist = project.root / "dist"
    build(project)
    stray = dist / "extra/alpha-copy.pdf"
    stray.parent.mkdir()
    stray.write_bytes((dist / "articles/alpha.pdf").read_bytes())
    leaflet = dist / "leaflets/alpha-riverside.pdf"    # `printjournal leaflet`'s own folder
    leaflet.parent.mkdir()
    leaflet.write_bytes((dist / "articles/alpha.pdf").read_bytes())
    cache_entry(project, "articles/beta.pdf").write_bytes(b"%PDF-1.7 damaged")
    (dist / "articles/beta.pdf").unlink()

    result = run("build", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "dist: warning: the render cache entry for articles/beta.pdf was damaged: rebuilt",
        "dist: warning: extra/alpha-copy.pdf is not made by this build: it is not in "
        "manifest.json"]
    assert "built 1, reused 2, failed 0, 2 warning(s) in " in result.stdout
    assert_manifest_matches(dist, foreign=frozenset({"extra/alpha-copy.pdf",
                                                     "leaflets/alpha-riverside.pdf"}))

    result = run("build", "--clean", cwd=project.root)    # --clean keeps its meaning
    assert result.returncode == 0, result.stderr
    assert stray.is_file() and leaflet.is_file()
    assert "extra/alpha-copy.pdf is not made by this build" in result.stderr
    assert "leaflets/" not in result.stderr


# ---- temporary files of killed runs

def test_a_kill_between_write_and_rename_leaves_a_temp_file_the_next_build_removes(project):
    build(project)
    dist = project.root / "dist"
    killed = subprocess.run([sys.executable, "-c", (
        "import os, sys; from pathlib import Path; from printjournal import files\n"
        "os.replace = lambda *a: os.kill(os.getpid(), 9)\n"
        "files.write_atomic(Path(sys.argv[1]), b'%PDF- half')"), str(dist / "articles/beta.pdf")],
        cwd=REPO, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    [left] = [p for p in dist.rglob("*") if p.name.endswith(".tmp")]
    assert left.name.startswith(".beta.pdf.") and files.is_temp(left)

    entry = cache_entry(project, "articles/gamma.pdf")
    in_cache = entry.with_name(f".{entry.name}.{dead_pid()}.x8y7z6w5.tmp")
    in_cache.write_bytes(b"half an entry")
    unnamed = dist / ".index.html.q1w2e3r4.tmp"        # as older versions named them
    unnamed.write_bytes(b"<html>")
    os.utime(unnamed, (time.time() - 600, time.time() - 600))
    live = dist / f".alpha.pdf.{os.getpid()}.a1b2c3d4.tmp"   # being written right now
    live.write_bytes(b"%PDF-")

    report = build(project)
    assert report.outcomes == []
    assert not left.exists() and not in_cache.exists() and not unnamed.exists()
    assert live.exists()
    assert (dist / "articles/beta.pdf").read_bytes().startswith(b"%PDF-1.")

    live.rename(dist / f".alpha.pdf.{dead_pid()}.a1b2c3d4.tmp")
    build(project, clean=True)
    assert not [p for p in project.root.rglob("*") if p.name.endswith(".tmp")]


# ---- render workers: end with their parent, leave no temporary folder

BUILD = """\
import sys
from pathlib import Path
from printjournal.load import config
from printjournal.site import build as site
from tests.site_helpers import {builder}
root = Path(sys.argv[1])
site.build_site(config.load_project(root), root / "dist", jobs=2, issue_builder={builder})
"""


def start_build(project, builder: str, tmpdir: Path) -> subprocess.Popen:
    # REPO for tests.site_helpers, then the PYTHONPATH given (the sources under test)
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), TMPDIR=str(tmpdir))
    return subprocess.Popen([sys.executable, "-c", BUILD.format(builder=builder),
                             str(project.root)], cwd=REPO, env=env)


@pytest.fixture
def with_issue(project):
    project.write("content/issues/spring.yaml", ISSUE)
    project.write("content/issues/spring-editorial.md", "---\ntitle: Editorial\n---\nHi.\n")
    project.write("content/images/cover.svg", DOT.format(4))
    return project


def test_killing_a_build_ends_its_workers(with_issue, tmp_path):
    build_process = start_build(with_issue, "sleepy_issue", tmp_path)
    started = with_issue.root / "workers"
    try:
        assert wait_for(lambda: len(list(started.glob("*"))) == 2, 120)
        pids = [int(p.suffix[1:]) for p in started.iterdir()]
        assert all(running(pid) for pid in pids)
    finally:
        build_process.send_signal(signal.SIGKILL)
        build_process.wait()
    assert wait_for(lambda: not any(running(pid) for pid in pids), 10), \
        "the workers kept rendering after their build was killed"
    assert not list((with_issue.root / "dist").glob("issues/*.pdf"))


def test_a_build_leaves_no_temporary_folder_behind(project, tmp_path):
    (tmp_path / "tmp").mkdir()
    project.article("delta", article("Delta"))         # 4 outputs: 3 go to workers
    build_process = start_build(project, "stand_in_issue", tmp_path / "tmp")
    assert build_process.wait(timeout=300) == 0
    assert len(list((project.root / "dist/articles").glob("*.pdf"))) == 4
    assert left_behind(tmp_path / "tmp") == []


def left_behind(folder):
    """What a build or worker left in the temporary folder, but the one fontconfig file
    every process shares (named by its contents: fonts.isolate), which is meant to stay."""
    return [p for p in folder.iterdir()
            if not (p.name.startswith("printjournal-fonts-") and p.suffix == ".conf")]


def test_a_desk_worker_leaves_no_temporary_folder_behind(project, tmp_path, monkeypatch):
    from printjournal.desk import preview as deskpreview
    from printjournal.desk import web

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)     # read again: the pool's folder there
    pool = web.render_pool(project.project(), web.DeskSettings(dist=tmp_path, workers=1))
    try:
        assert pool.run(deskpreview.article_pdf, "alpha").startswith(b"%PDF-")
        [ours] = [p for p in folder.iterdir() if p.name.startswith("printjournal-worker-")]
        [worker] = pool.pids()
        # WeasyPrint's font folder is in the worker's own folder inside the pool's
        assert "weasyprint-" in {p.name[:11] for p in (ours / str(worker)).iterdir()}
    finally:
        pool.close()                                   # the worker exits, as when recycled
    assert left_behind(folder) == []


# ---- the output folder cannot be written

def test_a_full_disk_is_one_plain_error_and_the_old_files_stay(project, monkeypatch):
    build(project)
    dist = project.root / "dist"
    before = snapshot(dist)
    for slug in ("beta", "gamma"):
        (project.root / f"content/articles/{slug}.md").write_text(article(slug, "Edited."))
    replace = os.replace

    def full(source, target, *args, **kwargs):
        if Path(target).is_relative_to(dist):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return replace(source, target, *args, **kwargs)
    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError) as caught:
        build(project)
    assert str(caught.value) == "dist/: cannot write the output: no space left on device"
    assert snapshot(dist) == before                  # no half file, no temp file, no manifest


def test_an_output_folder_that_cannot_be_made_is_one_plain_error(project):
    (project.root / "site").write_text("a file where the folder should be")
    result = run("build", "-o", "site/dist", cwd=project.root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "site/dist/: cannot write the output: a file is in the way where a folder should be"]


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MiB tmpfs (mounting needs root and CAP_SYS_ADMIN: skipped without them)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (root and CAP_SYS_ADMIN needed)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_real_full_or_read_only_disk(project, small_disk, fault):
    dist = small_disk / "dist"
    assert run("build", "-o", str(dist), cwd=project.root).returncode == 0
    before = snapshot(dist)
    for slug in ("alpha", "beta", "gamma"):          # three to build: in the workers
        append = (project.root / f"content/articles/{slug}.md")
        append.write_text(append.read_text() + "\nEdited.\n")
    if fault == "full":
        with open(small_disk / "filler", "wb", buffering=0) as filler, \
                pytest.raises(OSError):
            while True:
                filler.write(b"\0" * 65536)
        message = "no space left on device"
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
        message = "the folder is read-only"
    result = run("build", "-o", str(dist), "--jobs", "2", cwd=project.root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{dist}/: cannot write the output: {message}"]
    assert snapshot(dist) == before
    json.loads((dist / "manifest.json").read_text())


# ---- a bug while reading one article

def test_a_bug_reading_one_article_fails_that_article_only(project, monkeypatch):
    from printjournal.load import content

    parse = content.parse_article

    def buggy(shown, text, loaded):
        if shown.name == "beta.md":
            raise IndexError("list index out of range")
        return parse(shown, text, loaded)
    monkeypatch.setattr(content, "parse_article", buggy)
    report = build(project, jobs=1)
    assert report.paths("built") == {"articles/alpha.pdf", "articles/gamma.pdf"}
    assert [str(p) for p in report.other_problems] == [
        "content/articles/beta.md:1: could not read this file (internal error: IndexError: "
        "list index out of range); please report it"]
    assert report.summary.failed == 1
