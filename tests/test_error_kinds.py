"""One exception hierarchy: every error a user can cause is a PrintjournalError, and the
CLI's exit status says whether it was a usage mistake (2) or a content problem (1)."""

from __future__ import annotations

import pickle

import pytest

from printjournal import cli
from printjournal.cache import DamagedEntryError
from printjournal.desk.guard import AccessError
from printjournal.errors import ClusterError, LayoutError, PrintjournalError, RenderError
from printjournal.leaflet.build import OptionError
from printjournal.leaflet.personal import DoesNotFitError, UnprintableError
from printjournal.pdf.overlay import OverlayError
from printjournal.workers.pool import (
    JobCancelledError,
    PoolBusyError,
    RenderTimeoutError,
    WorkerLostError,
)

#: each class a user can cause, and whether it is a usage mistake (exit status 2)
KINDS = {OptionError: True, UnprintableError: True, DoesNotFitError: True, AccessError: True,
         OverlayError: False, RenderTimeoutError: False, WorkerLostError: False,
         PoolBusyError: False, DamagedEntryError: False, ClusterError: False,
         JobCancelledError: False}


@pytest.mark.parametrize("kind", list(KINDS), ids=lambda k: k.__name__)
def test_every_user_error_is_a_printjournal_error(kind):
    assert issubclass(kind, PrintjournalError)
    assert kind.usage is KINDS[kind]


def test_kinds_keep_their_older_bases():
    # the desk answers a ValueError from a leaflet job as a plain 400
    assert issubclass(OptionError, ValueError) and issubclass(UnprintableError, ValueError)
    assert issubclass(OverlayError, LayoutError) and issubclass(RenderTimeoutError, RenderError)


def test_a_message_error_keeps_its_message_and_crosses_processes():
    error = OptionError("--paper must be one of A4, A5, Letter")
    assert str(error) == "--paper must be one of A4, A5, Letter" and error.problems == ()
    # the desk's workers send exceptions back pickled; a bare one has no message
    assert str(pickle.loads(pickle.dumps(RenderTimeoutError()))) == ""
    busy = pickle.loads(pickle.dumps(PoolBusyError(7)))
    assert busy.retry_after == 7 and str(busy) == "busy: try again in 7 s"


def test_a_usage_error_exits_2_after_the_command_name(tmp_project, capsys):
    tmp_project.article("small")
    status = cli.main(["-C", str(tmp_project.root), "leaflet", "small", "--for", "x" * 61])
    assert status == 2
    assert capsys.readouterr().err.splitlines() == [
        "printjournal leaflet: --for takes at most 60 characters (this one has 61)"]
    assert not list(tmp_project.root.rglob("*.pdf"))


def test_a_content_error_exits_1_at_its_line(tmp_project, capsys):
    tmp_project.article("bad", "---\ntitle: t\nsection: s\ndate: 2026-02-30\n---\nText.\n")
    bad = tmp_project.root / "content/articles/bad.md"
    status = cli.main(["-C", str(tmp_project.root), "article", str(bad)])
    assert status == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("content/articles/bad.md:4: 'date' is not a real date: 2026-02-30 "
                      "(day is out of range for month)")
    assert not (tmp_project.root / "dist").exists()

