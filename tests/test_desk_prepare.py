"""The desk makes the leaflet parts of articles too long for it ahead, in the background,
below staff requests (desk/prepare.py): a long article refused at first is printed once
that work is done, with no part rendered at request time."""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import Future

import pytest

from printjournal.desk import prepare as deskprepare
from printjournal.desk import web
from printjournal.desk.guard import CSRF_FIELD
from printjournal.site.work import TASK_SECONDS
from printjournal.workers.pool import PoolLimits, WorkerPool

from .conftest import ARTICLE, TmpProject, count_renders
from .test_desk_limits import ACCESS, CLINIC, TODAY
from .test_web import InlinePool, form_problems

PARAGRAPH = ("Walking most days keeps the heart and the mind in good shape, and it needs no "
             "equipment beyond comfortable shoes and a little time set aside for it. ") * 4
MAX_PAGES = 2       # the desk's limit here: the long article is estimated at 5 pages


class Pool(InlinePool):
    """The desk's jobs in this process, with the time limit each was given and a load
    the test sets (a free worker: below ``limits.workers``)."""

    limits = PoolLimits(workers=1, seconds=60)

    def __init__(self, project) -> None:
        super().__init__(project)
        self.busy = 0
        self.seconds: list[int] = []

    def load(self) -> int:
        return self.busy

    def run(self, job, *args, seconds: int = 0):
        self.seconds.append(seconds)
        return super().run(job, *args)

    def submit(self, job, *args, seconds: int = 0):
        done = Future()
        try:
            done.set_result(self.run(job, *args, seconds=seconds))
        except Exception as exc:
            done.set_exception(exc)
        return done

    def cancel(self, future):
        return False


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = TmpProject(tmp_path_factory.mktemp("desk-prepare") / "project")
    folder.write("printjournal.toml", (folder.root / "printjournal.toml").read_text() + CLINIC)
    folder.article("long", ARTICLE + "\n" + "\n\n".join([PARAGRAPH] * 12) + "\n")
    return folder.project()


def post(desk, **fields):
    return desk.post("/leaflet", data={CSRF_FIELD: ACCESS.csrf, "slug": ["long"], **fields})


def test_a_long_article_refused_at_first_is_printed_after_the_background_work(
        project, monkeypatch):
    pool = Pool(project)
    settings = web.DeskSettings(dist=project.root / "dist", max_pages=MAX_PAGES)
    app = web.create_app(project, settings, pool=pool, today=lambda: TODAY, access=ACCESS)
    desk = app.test_client()
    refused = post(desk, for_name="A Patient")
    assert refused.status_code == 400
    assert re.match(r"This article has about \d pages: too many", form_problems(refused)[0])
    ahead = app.extensions["printjournal.prepare"]
    ahead.start()                       # what printjournal serve does once it listens
    try:
        assert ahead.wait(300), "the background work did not finish"
        # each front box, with the build's time limit; nothing failed
        assert [(j.slug, j.box) for j in ahead.made] == [
            ("long", ""), ("long", "name"), ("long", "note")], ahead.failed
        assert set(pool.seconds) == {TASK_SECONDS}
        renders = count_renders(monkeypatch)
        for fields in ({"for_name": "A Patient"}, {"for_name": "A Patient", "note": "Rest."},
                       {}):
            made = post(desk, **fields)
            assert made.status_code == 303, form_problems(made)
        # only the patients' names and note, never stored, were rendered: no part
        assert renders == ["layouts/leaflet-personal.html"] * 2
    finally:
        ahead.stop()


class FakePool:
    """A pool whose load the test sets; a job only records that it ran."""

    limits = PoolLimits(workers=2, seconds=60)

    def __init__(self) -> None:
        self.busy = 2
        self.ran: list[tuple[str, str]] = []

    def load(self) -> int:
        return self.busy

    def submit(self, job, work, today, seconds):
        self.ran.append((work.slug, work.box))
        done = Future()
        done.set_result([])
        return done

    def cancel(self, future):
        return False


def test_background_jobs_wait_while_every_worker_is_busy_or_has_a_request_waiting():
    pool = FakePool()
    plans: list[int] = []

    def plan():
        plans.append(1)
        return [deskprepare.Job("long", box) for box in deskprepare.BOXES]

    ahead = deskprepare.Preparer(pool, plan, lambda: TODAY, 900)
    ahead.start()
    try:
        time.sleep(1.0)
        assert pool.ran == [] and not ahead.wait(0)     # staff first: nothing sent
        pool.busy = 1                                   # a worker free, nobody waiting
        assert ahead.wait(10)
        assert pool.ran == [("long", "")] + [("long", b) for b in ("name", "note")]
        # the library read again, unchanged: no new plan; changed: planned and made again
        ahead.library_read(0)
        assert ahead.wait(1) and len(plans) == 1
        ahead.library_read(1)
        assert ahead.wait(10) and len(plans) == 2 and len(pool.ran) == 6
    finally:
        ahead.stop()


def slow(state, job, today):
    """A background job that takes long (in a pool worker)."""
    time.sleep(60)
    return []


def wait_a_little(state, seconds):
    time.sleep(seconds)
    return os.getpid()


def test_a_staff_request_on_a_desk_of_one_worker_never_waits_for_a_background_job():
    """With one worker busy on a leaflet made ahead, a staff request stops it at once
    (the job is made again later), and is served in about its own time."""
    pool = WorkerPool(PoolLimits(workers=1, seconds=30, queue=4), dict)
    ahead = deskprepare.Preparer(pool, lambda: [deskprepare.Job("long", "")],
                                 lambda: TODAY, 900, make=slow)
    try:
        ahead.start()
        deadline = time.monotonic() + 30
        while pool.load() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)                        # the background job has the worker
        assert pool.load() == 1
        started = time.monotonic()
        assert pool.run(wait_a_little, 0.5) > 0
        assert time.monotonic() - started < 10      # not the job's 60 s
        assert ahead.gave_way >= 1 and ahead.made == [] and ahead.failed == []
    finally:
        ahead.stop()
        pool.close()
