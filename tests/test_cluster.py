"""The website build on a Dask cluster: a scheduler and two workers started here as
processes of their own on 127.0.0.1 (stopped afterwards), outputs byte-identical to a
local build, a worker killed mid-render that does not stop the build, and the local
pool, an executor written here and the cluster going through one consumption loop."""

from __future__ import annotations

import os
import pickle
import shutil
import socket
import subprocess
import sys
import tempfile
from concurrent.futures import Future
from pathlib import Path

import pypdf
import pytest

from printjournal import cache, cli
from printjournal.errors import ClusterError
from printjournal.load import config
from printjournal.model import BuildSettings
from printjournal.pipeline import Pipeline
from printjournal.site import build as site
from printjournal.site import cluster, shipment, work
from printjournal.site.plan import plan
from printjournal.workers.pool import WorkerLostError

from .conftest import REPO, TmpProject
from .site_helpers import (
    KILLED_MARK,
    Collect,
    count_in_worker,
    counted,
    dying_issue,
    issue_dying_once,
)
from .test_site import DOT, ISSUE, article

DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cluster_marks():
    """A folder the workers can see (outside every test's tmp_path, which they cannot)."""
    folder = Path(tempfile.mkdtemp(prefix="pj-cluster-marks-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory, cluster_marks):
    """The address of a Dask scheduler with two single-threaded workers, each in a
    process of its own (and a nanny that restarts it if it dies). The workers run as if
    on other machines: from /, in a mount namespace of their own where the folder of
    every test's projects is an empty tmpfs, so they can read nothing of a project
    but what its tasks carry."""
    import distributed

    hidden = tmp_path_factory.getbasetemp()
    logs = tmp_path_factory.mktemp("dask")
    found = logs / "scheduler.json"      # the scheduler's address, once it listens
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
           KILLED_MARK: str(cluster_marks)}
    options = {"env": env, "stderr": subprocess.STDOUT, "cwd": "/"}
    processes = []
    # an output that took down two workers fails (Dask's default: four; each costs a
    # worker's restart); a worker holds only the task it runs, so that no other task
    # queued on a killed worker is held suspect with it
    scheduler_env = {**env, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
                     "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
    try:                                 # port 0: the system picks a free one, no race
        processes.append(subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", found], stdout=(logs / "scheduler.log").open("w"),
            **{**options, "env": scheduler_env}))
        with distributed.Client(scheduler_file=str(found), timeout=120,
                                set_as_default=False) as client:
            address = client.scheduler.address
            for name in ("one", "two"):
                processes.append(subprocess.Popen(
                    ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                     'mount -t tmpfs none "$0" && exec "$@"', hidden,
                     DASK, "worker", address, "--name", name, "--host", "127.0.0.1",
                     "--nthreads", "1", "--no-dashboard", "--memory-limit", "0"],
                    stdout=(logs / f"{name}.log").open("w"), **options))
            client.wait_for_workers(2, timeout=180)
            assert client.run(os.listdir, str(hidden)) == {w: [] for w in
                                                            client.scheduler_info()["workers"]}
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
def test_dask_s_profiler_samples_no_render_stack(scheduler, tmp_path):
    """Dask samples each task thread's stack every 10 ms; on WeasyPrint's deep layout
    stacks that cost a fifth more CPU per output. The renders run in the holder's own
    thread: the profiler sees the task waiting, never WeasyPrint."""
    import distributed

    project = small_project(tmp_path / "project")
    summary = site.build_site(project.project(), project.root / "dist", scheduler=scheduler,
                              reporter=Collect())
    assert (summary.built, summary.failed) == (3, 0)
    with distributed.Client(scheduler, set_as_default=False) as client:
        sampled = profiled_files(client.profile())
    assert any(f.endswith("printjournal/site/cluster.py") for f in sampled), sampled
    assert not [f for f in sampled if "weasyprint" in f or "pipeline.py" in f]


def profiled_files(tree: dict) -> set[str]:
    """Every file in a Dask profile tree (``Client.profile()``)."""
    found, stack = set(), [tree]
    while stack:
        node = stack.pop()
        found.add(node.get("description", {}).get("filename", ""))
        stack.extend(node.get("children", {}).values())
    return found


@pytest.mark.slow
def test_a_worker_killed_mid_render_does_not_stop_the_build(scheduler, cluster_marks,
                                                            tmp_path):
    project = small_project(tmp_path / "project")
    project.write("content/issues/spring.yaml", ISSUE)
    project.write("content/issues/spring-editorial.md", "---\ntitle: Editorial\n---\nHi.\n")
    project.write("content/images/cover.svg", DOT.format(4))
    summary = site.build_site(project.project(), project.root / "dist", scheduler=scheduler,
                              issue_builder=issue_dying_once, reporter=Collect())
    assert (cluster_marks / "killed").read_text().isdigit()   # a worker SIGKILLed itself
    assert (summary.built, summary.failed, summary.problems) == (5, 0, ())
    assert {d.path for d in summary.downloads} >= {"issues/spring.pdf",
                                                   "issues/spring-print.pdf"}


@pytest.mark.slow
def test_warm_workers_keep_the_shared_files_and_pipeline_and_take_a_changed_layout(
        scheduler, tmp_path):
    import distributed

    project = small_project(tmp_path / "project")

    def build(expected: int) -> None:
        summary = site.build_site(project.project(), project.root / "dist",
                                  scheduler=scheduler, reporter=Collect())
        assert (summary.built, summary.failed) == (expected, 0)

    with distributed.Client(scheduler, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=120)    # one killed by a test before: back
        client.run(count_in_worker)
        build(3)
        for slug in ("alpha", "beta", "gamma"):
            project.article(slug, article(slug.title(), "Edited: a second build."))
        build(3)
        # six renders on two workers: each got the shared files and loaded the pipeline
        # at most once (none at all when an earlier test left them warm)
        for counts in client.run(counted).values():
            assert counts["shipped"] <= 1 and counts["loaded"] <= 1, counts
        layout = project.root / "layouts/article.html"
        layout.write_text(layout.read_text().replace(
            '{% include "article-content.html" %}',
            '<p>Set by the changed layout.</p>\n{% include "article-content.html" %}'))
        client.run(count_in_worker)
        build(3)
        after = list(client.run(counted).values())
    # a new digest: sent to each worker once (before the renders), loaded where rendered
    assert [c["shipped"] for c in after] == [1, 1]
    assert 1 <= sum(c["loaded"] for c in after) <= 2 and max(c["loaded"] for c in after) == 1
    for slug in ("alpha", "beta", "gamma"):
        text = pypdf.PdfReader(project.root / f"dist/articles/{slug}.pdf").pages[0]
        assert "Set by the changed layout." in text.extract_text()


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


def test_a_task_carries_its_files_and_no_path_of_the_submitting_machine(tmp_path):
    project = small_project(tmp_path / "project")
    project.write("content/issues/spring.yaml", ISSUE)
    project.write("content/issues/spring-editorial.md", "---\ntitle: Editorial\n---\nHi.\n")
    project.write("content/images/cover.svg", DOT.format(4))
    project.write("printjournal.toml", (project.root / "printjournal.toml").read_text()
                  + '[build]\ncache = "../shared"\n')
    loaded = project.project()
    sent, shared = shipment.portable(loaded)
    assert sent.build == BuildSettings()     # a worker caches in its own folder, not the shared
    assert {"printjournal.toml", "layouts/print.css", "fonts/CharisSIL-Regular.ttf"} <= \
        {name for name, _ in shared.files}
    carried = {}
    for output in plan(loaded, issue_dying_once).outputs:
        job = work.Job(output, loaded, (tmp_path / "project/dist", tmp_path / "shared"))
        parcel, own = cluster.parcel(job, sent, loaded.root)
        assert parcel.project == sent and parcel.written == ()
        assert str(tmp_path).encode() not in pickle.dumps((parcel, shared, own))
        carried[output.path] = {name for name, _ in own.files}
    assert carried["articles/alpha.pdf"] == {"content/articles/alpha.md",
                                             "content/images/dot.svg"}
    assert carried["articles/beta.pdf"] == {"content/articles/beta.md"}
    assert carried["issues/spring-print.pdf"] >= {
        "content/issues/spring.yaml", "content/issues/spring-editorial.md",
        "content/images/cover.svg", "content/articles/alpha.md", "content/articles/beta.md"}


# ---- one consumption loop: the pool, an executor written here, the cluster

LOST = "issues/spring-print.pdf"     # dying_issue's print edition kills its process


def with_issue(root: Path) -> TmpProject:
    project = small_project(root)
    project.write("content/issues/spring.yaml", ISSUE)
    project.write("content/issues/spring-editorial.md", "---\ntitle: Editorial\n---\nHi.\n")
    project.write("content/images/cover.svg", DOT.format(4))
    return project


def tasks_of(project: TmpProject, out: str) -> list[work.Task]:
    """Every output of ``project`` to build into ``out``, as build.py makes them."""
    loaded = project.project()
    store = cache.RenderCache.for_project(loaded)
    fingerprint = cache.project_fingerprint(loaded)
    return [work.Task(o, o.key(loaded, fingerprint), loaded, project.root / out / o.path,
                      store) for o in plan(loaded, dying_issue).outputs]


def seen(outcomes: list[work.Outcome], project: TmpProject, out: str) -> dict[str, tuple]:
    """What a reader gets of each outcome: its status and problems, and the PDF's bytes
    in the output folder with what the listing says of them."""
    found = {}
    for o in outcomes:
        data = (project.root / out / o.path).read_bytes() if o.status == "built" else None
        found[o.path] = (o.status, tuple(str(p) for p in o.problems), data, o.download)
    return found


@pytest.fixture(scope="module")
def pool_built(tmp_path_factory):
    """A project with an issue whose print edition kills its worker, built by the local
    pool: the project and what the reader gets."""
    project = with_issue(tmp_path_factory.mktemp("executors") / "project")
    loaded = project.project()
    outcomes = list(work.run(tasks_of(project, "pool"), 2, lambda: Pipeline.load(loaded)))
    return project, seen(outcomes, project, "pool")


class Scripted:
    """An Executor written here: each job runs at once in this thread with one state, but
    the outputs named in ``lost`` lose their worker (their future fails with
    WorkerLostError, as a pool's or the cluster's does)."""

    def __init__(self, lost: set[str]) -> None:
        self.lost, self.jobs, self.costs, self.state = lost, [], [], {}

    def submit(self, job, *args) -> Future:
        self.jobs.append(job)
        self.costs.append(args[0].output.cost)
        future: Future = Future()
        if args[0].output.path in self.lost:
            future.set_exception(WorkerLostError("killed"))
        else:
            future.set_result(job(self.state, *args))
        return future


def test_the_pool_and_another_executor_go_through_one_consumption_loop(pool_built):
    project, by_pool = pool_built
    assert by_pool[LOST][:3] == ("failed", (
        f"content/issues/spring.yaml: the process building {LOST} stopped "
        "(out of memory?)",), None)
    assert sorted(p for p, seen in by_pool.items() if seen[0] == "built") == [
        "articles/alpha.pdf", "articles/beta.pdf", "articles/gamma.pdf", "issues/spring.pdf"]
    executor = Scripted({LOST})
    loaded = project.project()
    outcomes = list(work.run(tasks_of(project, "scripted"), 2,
                             lambda: Pipeline.load(loaded), executor))
    assert seen(outcomes, project, "scripted") == by_pool     # same words, same bytes
    assert executor.jobs == [work.render_job] * 5      # the pool's job, longest first
    assert executor.costs == sorted(executor.costs, reverse=True) != executor.costs[::-1]


@pytest.mark.slow
def test_the_cluster_goes_through_the_pool_s_consumption_loop(scheduler, pool_built):
    """The Dask adapter in the pool's place: the same outcomes and bytes; the print
    edition kills each worker that takes it until Dask gives up on it (KilledWorker),
    which fails that output alone, in the pool's words."""
    project, by_pool = pool_built
    loaded = project.project()
    with cluster.Cluster.connect(scheduler, loaded) as executor:
        outcomes = list(work.run(tasks_of(project, "cluster"), 2,
                                 lambda: Pipeline.load(loaded), executor))
    assert seen(outcomes, project, "cluster") == by_pool
