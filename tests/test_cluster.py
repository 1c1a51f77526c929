"""The website build on a Dask cluster: a scheduler and two workers started here as
processes of their own on 127.0.0.1 (stopped afterwards), outputs byte-identical to a
local build, and a worker killed mid-render that does not stop the build."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from printjournal import cli, config
from printjournal.errors import ClusterError
from printjournal.site import build as site
from printjournal.site import cluster

from .conftest import REPO, TmpProject
from .site_helpers import Collect, issue_dying_once
from .test_site import DOT, ISSUE, article

DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The address of a Dask scheduler with two single-threaded workers, each in a
    process of its own (and a nanny that restarts it if it dies)."""
    import distributed

    logs = tmp_path_factory.mktemp("dask")
    found = logs / "scheduler.json"      # the scheduler's address, once it listens
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    options = {"cwd": REPO, "env": env, "stderr": subprocess.STDOUT}
    processes = []
    try:                                 # port 0: the system picks a free one, no race
        processes.append(subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", found], stdout=(logs / "scheduler.log").open("w"), **options))
        for name in ("one", "two"):
            processes.append(subprocess.Popen(
                [DASK, "worker", "--scheduler-file", found, "--name", name, "--host",
                 "127.0.0.1", "--nthreads", "1", "--no-dashboard", "--memory-limit", "0"],
                stdout=(logs / f"{name}.log").open("w"), **options))
        with distributed.Client(scheduler_file=str(found), timeout=120,
                                set_as_default=False) as client:
            client.wait_for_workers(2, timeout=180)
            address = client.scheduler.address
        yield address
    finally:
        for process in reversed(processes):     # the workers first, then the scheduler
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def small_project(root: Path) -> TmpProject:
    project = TmpProject(root)
    project.write("content/images/dot.svg", DOT.format(3))
    project.article("alpha", article("Alpha", "A dot:\n\n![a dot](../images/dot.svg)"))
    project.article("beta", article("Beta"))
    project.article("gamma", article("Gamma"))
    return project


def every_file(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_build_on_the_cluster_is_byte_identical_to_a_local_build(scheduler, tmp_path):
    here = small_project(tmp_path / "here")
    there = tmp_path / "there"
    shutil.copytree(here.root, there, symlinks=True)   # a render cache of its own
    local = site.build_site(here.project(), here.root / "dist", jobs=2, reporter=Collect())
    report = Collect()
    remote = site.build_site(config.load_project(there), there / "dist", scheduler=scheduler,
                             reporter=report)
    assert (local.built, local.failed) == (remote.built, remote.failed) == (3, 0)
    assert report.paths("built") == {"articles/alpha.pdf", "articles/beta.pdf",
                                     "articles/gamma.pdf"}
    assert every_file(here.root / "dist") == every_file(there / "dist")
    for data in every_file(there / "dist").values():
        assert str(there).encode() not in data and str(here.root).encode() not in data
    again = site.build_site(config.load_project(there), there / "dist", scheduler=scheduler,
                            reporter=Collect())
    assert (again.built, again.reused) == (0, 3)


@pytest.mark.slow
def test_a_worker_killed_mid_render_does_not_stop_the_build(scheduler, tmp_path):
    project = small_project(tmp_path / "project")
    project.write("content/issues/spring.yaml", ISSUE)
    project.write("content/issues/spring-editorial.md", "---\ntitle: Editorial\n---\nHi.\n")
    project.write("content/images/cover.svg", DOT.format(4))
    summary = site.build_site(project.project(), project.root / "dist", scheduler=scheduler,
                              issue_builder=issue_dying_once, reporter=Collect())
    assert (project.root / "killed").read_text().isdigit()   # a worker SIGKILLed itself
    assert (summary.built, summary.failed, summary.problems) == (5, 0, ())
    assert {d.path for d in summary.downloads} >= {"issues/spring.pdf",
                                                   "issues/spring-print.pdf"}


def test_a_scheduler_that_is_not_there_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 2)
    project = small_project(tmp_path / "project")
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(ClusterError, match=f"cannot reach the Dask scheduler at {address}"):
        site.build_site(project.project(), project.root / "dist", scheduler=address,
                        reporter=Collect())
    assert not (project.root / "dist/articles").exists()


def test_a_scheduler_option_that_is_no_address_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["build", "--scheduler", "10.0.0.5"])
    assert caught.value.code == 2
    assert ("--scheduler: must be a Dask scheduler's address such as tcp://10.0.0.5:8786, "
            "not '10.0.0.5'") in capsys.readouterr().err
