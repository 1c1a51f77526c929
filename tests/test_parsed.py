"""tests/parsed.py serves each PDF's reading once, and never a stale or shared-mutable
one: a file a test changes reads as what it now holds, in this process and from the
pickles shared with the run's other worker."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict

import pytest

from . import parsed as parsing


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p style='font: 12pt sans-serif'>{text}</p>").write_pdf()


@pytest.fixture(scope="module")
def two() -> tuple[bytes, bytes]:
    return _pdf("Take 10 mg twice a day"), _pdf("Take 20 mg once a day")


def _text(pages) -> str:
    return "".join(g.text for page in pages for g in page.glyphs)


def test_a_changed_file_reads_as_it_now_is(two, tmp_path, monkeypatch):
    path = tmp_path / "once-leaflet" / "leaflet.pdf"       # shared as conftest's are
    path.parent.mkdir()
    path.write_bytes(two[0])
    first = parsing.parsed(path, text=True)
    assert "10 mg twice" in first[0].text
    assert _text(first).replace(" ", "") == "Take10mgtwiceaday"
    assert parsing.parsed(path) is first                     # read once
    path.write_bytes(two[1])
    assert "20 mg once" in parsing.parsed(path)[0].text
    path.write_bytes(two[0])
    monkeypatch.setattr(parsing, "_PARSED", OrderedDict())  # as the run's other worker
    monkeypatch.setattr(parsing, "_parse", lambda *args: pytest.fail("parsed again"))
    again = parsing.parsed(path)
    assert again == first and again is not first            # from the shared pickle
    assert len(list((tmp_path / "parsed-pdfs").glob("*.pickle"))) == 2


def test_bytes_and_paths_read_alike_and_read_only(two, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(two[1])
    pages = parsing.parsed(two[1], text=True)
    assert parsing.parsed(path, text=True) == pages
    assert not (tmp_path / "parsed-pdfs").exists()          # not a shared folder
    assert isinstance(pages, tuple) and isinstance(pages[0].glyphs, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pages[0].glyphs[0].text = "X"                       # type: ignore[misc]


def test_text_is_read_when_asked():
    data = _pdf("Ask your pharmacist")
    assert parsing.parsed(data)[0].text is None
    assert "Ask your pharmacist" in parsing.parsed(data, text=True)[0].text
    assert parsing.parsed(data)[0].text is not None         # the fuller reading is kept


def test_a_file_rewritten_with_its_old_time_stamp_reads_as_it_now_is(two, tmp_path):
    """pdfread.pages and issueread.issue_pages, cached by content too: a copy rewritten
    within the file system's time stamp granularity reads as it now holds."""
    import os

    from .issueread import issue_pages
    from .pdfread import pages

    path = tmp_path / "copy.pdf"
    path.write_bytes(two[0])
    stamp = path.stat()
    assert "10 mg twice" in pages(path, 1, 1)[0].body
    assert "10 mg twice" in issue_pages(path)[0].body + issue_pages(path)[0].header
    path.write_bytes(two[1])
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert "20 mg once" in pages(path, 1, 1)[0].body
    assert "20 mg once" in issue_pages(path)[0].body + issue_pages(path)[0].header
