"""The desk's worker pool under faults: killed workers, full queues, time and memory limits.

The pool's workers here load nothing (``start`` is ``dict``), so the tests are quick; the
desk's own jobs run through the same pool in tests/test_web.py and bench/desk.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from printjournal.workers.pool import (
    JobCancelledError,
    PoolBusyError,
    PoolLimits,
    RenderTimeoutError,
    Start,
    WorkerLostError,
    WorkerPool,
)


def pid(state, seconds=0.0):
    time.sleep(seconds)
    return os.getpid()


def allocate(state, size):
    return len(bytearray(size))


def divide(state, a, b):
    return a / b


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true"
        time.sleep(0.05)


@pytest.fixture
def pool():
    made = WorkerPool(PoolLimits(workers=2, seconds=3, memory=1 * 2**30, queue=4), dict)
    yield made
    made.close()


def test_a_killed_busy_worker_fails_only_its_own_job(pool):
    with ThreadPoolExecutor(2) as threads:
        doomed = threads.submit(pool.run, pid, 20)
        other = threads.submit(pool.run, pid, 1.5)
        wait_for(lambda: len(pool.pids()) == 2)
        time.sleep(0.8)                               # both jobs are running now
        victims = set(pool.pids())
        # the worker that runs the long job is the one still busy after the short one
        survivor = other.result(timeout=30)
        (busy,) = victims - {survivor}
        os.kill(busy, signal.SIGKILL)                 # as the OOM killer would
        with pytest.raises(WorkerLostError):
            doomed.result(timeout=30)
    assert busy not in pool.pids()
    # every later job goes on: both workers answer, one of them new
    with ThreadPoolExecutor(4) as threads:
        answered = set(threads.map(lambda _: pool.run(pid, 0.3), range(8)))
    assert busy not in answered and answered <= set(pool.pids())


def pid_with_a_temp_file(state):
    tempfile.mkstemp()                     # as WeasyPrint's font folder, never removed
    return os.getpid()


def test_a_killed_workers_temporary_files_go_with_it(pool):
    victim = pool.run(pid_with_a_temp_file)
    own = Path(pool.temp) / str(victim)
    assert len(list(own.iterdir())) == 1
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: _gone(victim))
    assert {pool.run(pid), pool.run(pid)} & {victim} == set()   # replaced at its next job
    assert not own.exists() and Path(pool.temp).is_dir()
    pool.close()
    assert not Path(pool.temp).exists()


def temp_file_then_wait(state, seconds):
    tempfile.mkstemp()
    time.sleep(seconds)
    return os.getpid()


@pytest.fixture
def patient_pool():
    """Jobs may run a minute: one stopped sooner was cancelled, not timed out."""
    made = WorkerPool(PoolLimits(workers=2, seconds=60, queue=4), dict)
    yield made
    made.close()


def test_a_cancelled_running_job_frees_its_worker_and_files_and_others_go_on(patient_pool):
    """The live preview's case: a newer save cancels the render that runs."""
    pool = patient_pool
    doomed = pool.submit(temp_file_then_wait, 20)
    other = pool.submit(pid, 1.0)                 # on the other worker, side by side
    waiting = pool.submit(pid)                    # waits for a free worker
    wait_for(lambda: len(pool.pids()) == 2 and any(
        any(folder.iterdir()) for folder in Path(pool.temp).iterdir() if folder.is_dir()))
    (busy,) = [p for p in pool.pids()
               if (Path(pool.temp) / str(p)).is_dir() and any((Path(pool.temp) / str(p)).iterdir())]
    started = time.monotonic()
    assert pool.cancel(doomed)
    with pytest.raises(JobCancelledError):
        doomed.result(timeout=30)
    assert time.monotonic() - started < 5         # killed, not left to its 20 s
    wait_for(lambda: _gone(busy))
    assert not (Path(pool.temp) / str(busy)).exists()     # its temporary files are gone
    assert busy not in pool.pids() and len(pool.pids()) == 2   # replaced
    assert other.result(timeout=30) != busy and waiting.result(timeout=30) != busy
    wait_for(lambda: pool.load() == 0)            # its slot is free again
    assert not pool.cancel(other)                 # finished: nothing to cancel
    assert busy not in {pool.run(pid), pool.run(pid)}


def test_a_cancelled_waiting_job_is_dropped(pool):
    running = [pool.submit(pid, 1.5) for _ in range(2)]
    dropped = pool.submit(pid_with_a_temp_file)
    assert pool.cancel(dropped) and dropped.cancelled()
    assert all(job.result(timeout=30) for job in running)
    assert not any(any(folder.iterdir()) for folder in Path(pool.temp).iterdir())


def test_a_killed_idle_worker_is_replaced_before_its_next_job(pool):
    first = {pool.run(pid) for _ in range(4)}
    for worker in pool.pids():
        os.kill(worker, signal.SIGKILL)
    time.sleep(0.3)
    with ThreadPoolExecutor(2) as threads:
        answered = set(threads.map(lambda _: pool.run(pid, 0.2), range(6)))
    assert answered and not answered & first


def test_a_full_queue_is_refused_at_once(pool):
    """2 workers busy, 4 waiting: the seventh job is told to come back, not kept waiting."""
    with ThreadPoolExecutor(6) as threads:
        running = [threads.submit(pool.run, pid, 1.5) for _ in range(6)]
        wait_for(lambda: pool.load() == 6)
        started = time.monotonic()
        with pytest.raises(PoolBusyError) as refused:
            pool.run(pid)
        assert time.monotonic() - started < 1
        assert refused.value.retry_after > 0
        assert all(job.result(timeout=30) for job in running)
    assert pool.run(pid)


def test_a_job_past_its_time_limit_is_stopped_and_the_pool_goes_on(pool):
    with pytest.raises(RenderTimeoutError):
        pool.run(pid, 30)
    assert pool.run(pid)


def test_a_job_past_its_memory_limit_fails_alone(pool):
    with pytest.raises(MemoryError):
        pool.run(allocate, 2 * 2**30)
    assert pool.run(allocate, 1000) == 1000


def test_a_job_that_raises_raises_in_the_server(pool):
    with pytest.raises(ZeroDivisionError):
        pool.run(divide, 1, 0)


# ---------- the desk itself, with its real worker processes ----------

@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The desk on a copy of the sample project whose render cache is empty, so that a
    preview really renders (and keeps its worker busy) whatever ran before."""
    import shutil

    from printjournal.desk import web
    from printjournal.desk.guard import DeskAccess
    from printjournal.load import config

    from .conftest import REPO

    root = tmp_path_factory.mktemp("cold") / "project"
    for name in ("content", "layouts", "fonts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "printjournal.toml", root)
    sample_project = config.load_project(root)

    settings = web.DeskSettings(dist=tmp_path_factory.mktemp("dist"), workers=1, queue=0,
                                render_seconds=60)
    pool = web.render_pool(sample_project, settings)
    access = DeskAccess(port=80)
    app = web.create_app(sample_project, settings, pool=pool, access=access)
    yield app.test_client(), pool, access
    pool.close()


def test_a_worker_killed_mid_leaflet_gives_that_request_a_503_and_the_desk_goes_on(desk):
    client, pool, access = desk
    form = {"csrf": access.csrf, "slug": "sleep-and-immunity", "for_name": "Ada Example"}
    assert client.post("/leaflet", data=form).status_code == 303   # made: worker warm
    (worker,) = pool.pids()
    with ThreadPoolExecutor(1) as threads:
        # a preview of an article not rendered yet keeps the worker busy for a while
        killed = threads.submit(client.get, "/articles/understanding-blood-pressure")
        time.sleep(1.0)
        os.kill(worker, signal.SIGKILL)
        response = killed.result(timeout=60)
    assert response.status_code == 503
    assert "stopped unexpectedly" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    again = client.post("/leaflet", data=form)
    assert again.status_code == 303                    # to the result page, the PDF ready
    assert client.get(again.headers["Location"] + "/leaflet.pdf").data.startswith(b"%PDF")
    assert worker not in pool.pids()


def test_a_full_desk_answers_503_with_retry_after(desk):
    client, pool, access = desk
    form = {"csrf": access.csrf, "slug": "eating-for-your-heart"}
    with ThreadPoolExecutor(2) as threads:
        first = threads.submit(client.post, "/leaflet", data=form)
        wait_for(lambda: pool.load() == 1)
        second = client.post("/leaflet", data=form)      # one worker, no queue: refused
        assert second.status_code == 503
        assert second.headers["Retry-After"].isdigit()
        assert "try again" in second.get_data(as_text=True)
        assert first.result(timeout=60).status_code == 303


def wait_at(state, barrier, seconds):
    return barrier.wait(seconds)


def test_the_pool_serves_requests_at_once():
    """Two jobs that each wait for the other can only finish if they run side by side.

    Not timed: the waits are long enough for a worker to start on a busy machine, so only
    a pool that runs one job at a time fails (when the wait runs out)."""
    from multiprocessing import Manager

    side_by_side = WorkerPool(PoolLimits(workers=2, seconds=180, memory=1 * 2**30, queue=4),
                              dict)
    try:
        with Manager() as manager:
            barrier = manager.Barrier(2)
            with ThreadPoolExecutor(2) as threads:
                results = list(threads.map(
                    lambda _: side_by_side.run(wait_at, barrier, 120), range(2)))
    finally:
        side_by_side.close()
    assert sorted(results) == [0, 1]


def _gone(pid_: int) -> bool:
    """Dead: no process, or a zombie not yet reaped by the pool."""
    try:
        with open(f"/proc/{pid_}/status") as status:
            return any(line.startswith("State:\tZ") for line in status)
    except FileNotFoundError:
        return True


def test_a_worker_that_dies_after_the_pool_looked_is_replaced_not_an_error(pool, monkeypatch):
    """Killed between the pool's "is it alive?" and the job being sent: the job never
    ran, so a fresh worker runs it (this failed with BrokenPipeError under load)."""
    from printjournal.workers import pool as workers

    for _ in range(4):
        pool.run(pid)
    killed = pool.pids()
    for worker in killed:
        os.kill(worker, signal.SIGKILL)
    # every killed worker gone, not only those that ran a job: a worker still dying takes
    # the job and then dies under it, a lost job rather than one never begun
    wait_for(lambda: all(_gone(p) for p in killed))
    monkeypatch.setattr(workers._Worker, "alive", lambda self: True)   # as if not yet seen
    assert pool.run(pid) not in killed


def test_closing_a_forked_pool_ends_its_idle_workers_without_killing_them():
    """A forked worker holds the pool's ends of the pipes of the workers forked before it:
    closing a pipe never reached its worker, so close() waited IDLE_EXIT for each and
    killed it (4 s of wall time in every issue build with two workers)."""
    forked = WorkerPool(PoolLimits(workers=2, seconds=60), dict, how=Start("fork"))
    try:
        assert forked.run(pid) != os.getpid()
        workers = list(forked._workers)
    finally:
        forked.close()
    assert len(workers) == 2
    assert [worker.process.exitcode for worker in workers] == [0, 0], "killed, not ended"


def test_a_worker_starting_after_its_pool_closed_ends_quietly(tmp_path):
    """A worker that starts after its pool closed and removed the pool's folder (a build
    that failed on a full disk just then) ends without a word: it once printed a
    traceback of its folder's mkdir on the build's stderr."""
    code = ("import multiprocessing as mp, os\n"
            "from printjournal.workers.process import _worker_main\n"
            "a, b = mp.Pipe()\n"
            "_worker_main(b, dict, (), 0, os.getpid(), sys.argv[1])\n"
            "print('ended')\n")
    gone = tmp_path / "removed-by-the-pool"
    result = subprocess.run([sys.executable, "-c", "import sys\n" + code, str(gone)],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "ended\n", "")
    assert not gone.exists()
