"""The day a clinical review falls due: the article still prints that day, not the day after.

"Next review 1 October 2026" means the information is good up to and including that
day: a leaflet printed on it prints without a mark, an issue dated on it may carry the
article; from the next day the leaflet is refused (or marked with --allow-overdue) and
the issue is refused. The other tests try the day before and long after; these try the
day itself and the day after, in leaflets, the desk, issue manifests and the website build.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest

from printjournal.desk import web
from printjournal.errors import ReviewError
from printjournal.leaflet import build as leaflet
from printjournal.site import build as site

from .site_helpers import Collect
from .test_issue_manifest import M, edit, issue_project, problems  # noqa: F401 (the fixture)
from .test_web import ACCESS, InlinePool, form_problems, made, post

DUE = dt.date(2026, 10, 1)            # walking-for-health's next_review
DAY_AFTER = DUE + dt.timedelta(days=1)
WALKING = "walking-for-health"


def _texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def test_a_leaflet_prints_unmarked_on_its_review_day_and_is_refused_the_day_after(
        sample_pipeline):
    request = leaflet.LeafletRequest((WALKING,), paper="A5")
    texts = _texts(leaflet.leaflet(sample_pipeline, request, DUE).data)
    assert all("Next review 1 October 2026" in t and "Printed 1 October 2026" in t
               for t in texts), texts
    assert not [t for t in texts if "overdue" in t.lower()]
    with pytest.raises(ReviewError, match="its next review was due on 2026-10-01"):
        leaflet.leaflet(sample_pipeline, request, DAY_AFTER)


@pytest.fixture(scope="module")
def desk_on(fresh_sample_project, tmp_path_factory):
    """The desk's test client on a given day."""
    def client(day: dt.date):
        app = web.create_app(fresh_sample_project,
                             web.DeskSettings(dist=tmp_path_factory.mktemp("dist")),
                             pool=InlinePool(fresh_sample_project), today=lambda: day,
                             access=ACCESS)
        return app.test_client()
    return client


def _library_entry(client, slug: str) -> str:
    page = client.get("/").get_data(as_text=True)
    entry = re.search(rf'value="{slug}".*?</li>', page, re.DOTALL)
    assert entry, slug
    return " ".join(re.sub(r"<[^>]+>", " ", entry[0]).split())


def test_the_desk_shows_and_prints_an_article_on_its_review_day(desk_on):
    on_the_day = desk_on(DUE)
    assert "✓ Reviewed 1 October 2025, next 1 October 2026" in _library_entry(on_the_day, WALKING)
    _result, response = made(on_the_day, {"slug": WALKING, "paper": "A5"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert not [t for t in _texts(response.data) if "overdue" in t.lower()]
    day_after = desk_on(DAY_AFTER)
    assert "⚠ Review overdue since 1 October 2026" in _library_entry(day_after, WALKING)
    refused = post(day_after, {"slug": WALKING, "paper": "A5"})
    assert refused.status_code == 400
    assert any("its next review was due on 1 October 2026" in p
               for p in form_problems(refused)), \
        form_problems(refused)


# the small issue's articles are due for review on 2028-01-01 (test_issue_manifest.py)

def test_an_issue_dated_on_the_review_day_may_carry_the_article(issue_project):  # noqa: F811
    assert problems(issue_project, edit("date: 2027-03-01", "date: 2028-01-01")) == []
    assert problems(issue_project, edit("date: 2027-03-01", "date: 2028-01-02")) == [
        f"{M}:10: article '{slug}' is due for clinical review on 2028-01-01, before "
        "this issue's date 2028-01-02: review it first" for slug in ("one", "three", "two")]


@pytest.mark.slow
def test_the_website_builds_an_issue_dated_on_the_review_day(issue_project):  # noqa: F811
    issue_project.write(M, edit("date: 2027-03-01", "date: 2028-01-01"))
    report = Collect()
    summary = site.build_site(issue_project.project(), issue_project.root / "dist", jobs=1,
                              reporter=report)
    assert summary.failed == 0, [str(p) for p in summary.problems]
    assert {"issues/spring.pdf", "issues/spring-print.pdf"} <= report.paths("built")
