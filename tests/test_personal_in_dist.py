"""A leaflet with a patient's name that an earlier version wrote into dist/ is moved out of
the published folder by the next build, and the build says where it went."""

from __future__ import annotations

import datetime as dt

import pypdf

from printjournal import pipeline
from printjournal.leaflet import build as leaflet

from . import test_site
from .test_build_faults import assert_manifest_matches
from .test_leaflet_errors import CLINICS
from .test_site import build

project = test_site.project         # the fixture: a project of three small articles


def test_a_personal_leaflet_in_dist_is_moved_out_and_said(project):
    with (project.root / "printjournal.toml").open("a") as toml:
        toml.write(CLINICS)
    made = leaflet.leaflet(pipeline.Pipeline.load(project.project()),
                           leaflet.LeafletRequest(("alpha",)), dt.date(2026, 11, 1),
                           leaflet.Personal("A Patient"))
    dist = project.root / "dist"
    build(project)
    named = dist / "leaflets/alpha-north-a4.pdf"             # as an earlier version wrote
    named.parent.mkdir(parents=True)
    named.write_bytes(made.data)
    plain = dist / "leaflets/alpha-north-a5.pdf"             # no personal details: stays
    plain.write_bytes((dist / "articles/alpha.pdf").read_bytes())
    taken = project.root / "printouts/from-dist/leaflets/alpha-north-a4.pdf"
    taken.parent.mkdir(parents=True)
    taken.write_bytes(b"%PDF-1.7 a file already there")

    report = build(project)
    moved = project.root / "printouts/from-dist/leaflets/alpha-north-a4-2.pdf"
    assert [str(w) for w in report.summary.warnings] == [
        "dist: warning: leaflets/alpha-north-a4.pdf carries a patient's name or a clinician's "
        "note: moved out of the published folder to "
        "printouts/from-dist/leaflets/alpha-north-a4-2.pdf"]
    assert not named.exists() and plain.is_file()
    assert moved.read_bytes() == made.data and taken.read_bytes().startswith(b"%PDF-1.7 a")
    assert "A Patient" in pypdf.PdfReader(moved).pages[0].extract_text()
    assert not [p for p in dist.rglob("*.pdf")
                if "A Patient" in pypdf.PdfReader(p).pages[0].extract_text()]
    assert_manifest_matches(dist, foreign=frozenset({"leaflets/alpha-north-a5.pdf"}))
