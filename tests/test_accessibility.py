"""PDF/UA-1: veraPDF passes, and the tags point at the content they claim."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pypdf
import pytest

from .conftest import required_tool
from .pdfread import structure_check
from .tagread import note_problems, read_tags

#: Where ../shared/tools/verapdf/setup.sh puts the validator unless told otherwise.
SET_UP_VERA = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "verapdf/vera"


@pytest.fixture(scope="session")
def vera() -> str:
    """veraPDF's command: $PRINTJOURNAL_VERAPDF, or where ./run.sh test set it up."""
    command = os.environ.get("PRINTJOURNAL_VERAPDF") or str(SET_UP_VERA)
    if not os.access(command, os.X_OK):
        required_tool("verapdf", f"no veraPDF at {command} (./run.sh test sets it up from "
                      "../shared/tools/verapdf; or set PRINTJOURNAL_VERAPDF to its command)")
    return command


def test_every_sample_article_passes_verapdf_ua1(vera, samples):
    pdfs = [str(s.pdf) for s in samples.values()]
    result = subprocess.run([vera, "ua1", *pdfs], capture_output=True, text=True, timeout=600)
    verdicts = re.findall(r"^(\S+) \[ua1\] compliant=(\w+)", result.stdout, re.MULTILINE)
    assert len(verdicts) == len(pdfs), result.stdout + result.stderr
    assert result.returncode == 0, result.stdout


def test_verapdf_can_fail(vera, tmp_path):
    """The check is real: an untagged PDF is not PDF/UA."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    path = tmp_path / "untagged.pdf"
    writer.write(path)
    result = subprocess.run([vera, "ua1", str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "compliant=false" in result.stdout


def test_tags_point_at_their_own_pages(samples):
    for slug, sample in samples.items():
        problems = structure_check(pypdf.PdfReader(sample.pdf))
        assert problems == [], (slug, problems[:5])


def test_headings_and_lists_are_tagged(samples):
    sample = max(samples.values(), key=lambda s: len(s.article.body))
    reader = pypdf.PdfReader(sample.pdf)
    kinds: set[str] = set()

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if not isinstance(kid, int):
                        walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Link", "/Table", "/TH", "/TD"} <= kinds, kinds


def test_the_tag_check_catches_scrambled_tags(samples, tmp_path):
    """Like a naive merge would: pages' StructParents swapped, so tags point at the wrong page."""
    sample = next(s for s in samples.values() if len(pypdf.PdfReader(s.pdf).pages) > 2)
    writer = pypdf.PdfWriter(clone_from=sample.pdf)
    first, second = writer.pages[0], writer.pages[1]
    first[pypdf.generic.NameObject("/StructParents")], \
        second[pypdf.generic.NameObject("/StructParents")] = \
        second["/StructParents"], first["/StructParents"]
    path = tmp_path / "scrambled.pdf"
    writer.write(path)
    assert structure_check(pypdf.PdfReader(path))


def test_footnotes_are_notes_on_the_page_of_their_call(samples):
    """Each footnote is a Note with a unique ID whose text is its number and source, on
    the page of the source's first call; emphasis reaches the tags, mapped to Span."""
    sample = samples["sleep-and-immunity"]
    tags = read_tags(sample.pdf)
    assert len(tags.notes) == sample.html.count('class="footnote"') == 7
    assert note_problems(sample.pdf, tags) == []
    assert tags.roles["/Em"] >= 1 and tags.roles["/Strong"] >= 1, tags.roles
    assert {"/Em": "/Span", "/Strong": "/Span"}.items() <= tags.role_map.items()
    assert "/Note" not in tags.role_map    # a standard type, never remapped
