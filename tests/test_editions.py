"""Editions are data: a third edition is one row of editions.EDITIONS and a stylesheet."""

from __future__ import annotations

import pypdf
import pytest

from printjournal import editions
from printjournal.editions import Edition
from printjournal.issue import build as issue
from printjournal.pipeline import Pipeline
from printjournal.site import plan as siteplan

from .issueread import issue_pages
from .pdfread import structure_check
from .test_issue_manifest import M, issue_project  # noqa: F401 (the fixture)

PROOF = Edition("proof", "-proof", pdfua=False, links=False, bleed_mm=3.0, page_multiple=8,
                stylesheet="issue-proof.css")
PROOF_CSS = """\
@page { bleed: 8mm; marks: crop; }
@page { @top-center { content: "Proof copy"; font-size: 7pt; } }
"""


@pytest.fixture
def with_proof(issue_project, monkeypatch):  # noqa: F811
    monkeypatch.setattr(editions, "EDITIONS", (*editions.EDITIONS, PROOF))
    issue_project.write("layouts/issue-proof.css", PROOF_CSS)
    return issue_project


def test_a_third_edition_is_one_table_row_and_its_stylesheet(with_proof):
    project = with_proof.project()
    out = with_proof.root / "proof.pdf"
    issue.build_issue(Pipeline.load(project), with_proof.root / M, out, edition="proof",
                      workers=1)
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 16             # the digital edition has 10: padded to 8s
    assert structure_check(reader) == []
    pages = issue_pages(out)
    assert all("Proof copy" in page.header for page in pages)   # its stylesheet
    assert all("/Annots" not in page for page in reader.pages)   # no live links
    trim, bleed = reader.pages[3].trimbox, reader.pages[3]["/BleedBox"]
    assert float(trim.left) - float(bleed[0]) == pytest.approx(3 * 72 / 25.4, abs=0.01)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid" not in xmp                # it does not claim PDF/UA-1


def test_the_website_build_plans_every_edition(with_proof):
    paths = [o.path for o in siteplan.plan(with_proof.project()).outputs
             if o.listing.kind == "issue"]
    assert paths == ["issues/spring.pdf", "issues/spring-print.pdf", "issues/spring-proof.pdf"]


def test_an_unknown_edition_names_the_known_ones(with_proof):
    with pytest.raises(Exception, match="unknown edition 'draft': digital or print or proof"):
        editions.edition("draft", with_proof.root / M)
