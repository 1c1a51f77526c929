"""printjournal.toml ``[governance] overdue``: what the website does with an article past
its clinical review on the day of the build ("mark" it, or "withhold" it).

One small project of two short articles, one due for review long ago (2020) and one far
ahead (2099), so the clock's day cannot change the outcome; it is built once marked, then
again withheld into the same folder (the marked PDF already there must go).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from printjournal.checks.check import check as check_project
from printjournal.errors import ConfigError, Notices
from printjournal.load import config, content
from printjournal.site import build as site
from printjournal.site import plan as siteplan

from .conftest import TmpProject
from .pdfread import pages
from .site_helpers import Collect

NOTE = "Due for clinical review since 1 January 2020; information may be out of date."
PARAGRAPH = ("Walking every day keeps the heart strong, and a short walk after meals helps "
             "the body use sugar from food. Start slowly and build up over some weeks. ")


def article(title: str, next_review: str, paragraphs: int = 1) -> str:
    body = "\n\n".join(PARAGRAPH * 4 for _ in range(paragraphs))
    return (f'---\ntitle: "{title}"\nsection: "Testing"\ndate: 2019-03-01\n'
            f'dek: "What a walk a day does for you."\n'
            f'review:\n  version: "1.0"\n  reviewed: 2019-01-01\n  next_review: {next_review}\n'
            f'  owner: "Dr Test"\n---\n{body}\n')


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The project built with the default rule ("mark"), then with "withhold"."""
    project = TmpProject(tmp_path_factory.mktemp("overdue") / "project")
    project.article("old", article("Old Advice", "2020-01-01", paragraphs=9))
    project.article("fresh", article("Fresh Advice", "2099-01-01"))
    out = project.root / "dist"
    runs = {}
    for rule in ("mark", "withhold"):
        if rule == "withhold":
            project.write("printjournal.toml", (project.root / "printjournal.toml").read_text()
                          + '\n[governance]\noverdue = "withhold"\n')
        report = Collect()
        site.build_site(project.project(), out, jobs=1, reporter=report)
        runs[rule] = (report, {p.relative_to(out).as_posix(): p.read_bytes()
                               for p in out.rglob("*") if p.is_file()})
    return project, runs


def _index_text(files: dict[str, bytes]) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", files["index.html"].decode()).split())


def test_marked_the_overdue_pdf_says_so_under_its_standfirst_and_on_every_page(
        built, tmp_path):
    _, runs = built
    report, files = runs["mark"]
    assert report.summary.failed == 0, [str(p) for p in report.summary.problems]
    old = tmp_path / "old.pdf"
    old.write_bytes(files["articles/old.pdf"])
    texts = pages(old)
    assert len(texts) >= 2
    first = " ".join(texts[0].body.split())
    assert f"What a walk a day does for you. {NOTE}" in first      # under the standfirst
    for page in texts:                                             # and in every footer
        # on today's wider outer margin the note wraps to two lines, with "Page x of y"
        # on the first line's right: read the note without it
        footer = re.sub(r"Page \d+ of \d+", " ", page.footer)
        assert NOTE in " ".join(footer.split()), (page.number, page.footer)
    fresh = tmp_path / "fresh.pdf"
    fresh.write_bytes(files["articles/fresh.pdf"])
    assert not [p for p in pages(fresh) if "clinical review" in p.body + p.footer]


def test_marked_the_downloads_page_and_manifest_offer_both(built):
    _, runs = built
    _, files = runs["mark"]
    text = _index_text(files)
    assert text.count("Due for clinical review since") == 1
    assert f"Old Advice {NOTE}" in text
    listed = {e["path"] for e in json.loads(files["manifest.json"])["files"]}
    assert {"articles/old.pdf", "articles/fresh.pdf"} <= listed


def test_withheld_the_overdue_article_is_gone_from_the_site_and_the_summary_says_why(built):
    project, runs = built
    report, files = runs["withhold"]
    summary = report.summary
    assert summary.failed == 0 and summary.problems == ()
    assert "articles/old.pdf" not in files and "articles/fresh.pdf" in files
    listed = {e["path"] for e in json.loads(files["manifest.json"])["files"]}
    assert "articles/old.pdf" not in listed and "articles/fresh.pdf" in listed
    text = _index_text(files)
    assert "Old Advice" not in text and "Fresh Advice" in text
    assert "clinical review" not in text
    line = content.split_front_matter(
        project.root / "content/articles/old.md",
        (project.root / "content/articles/old.md").read_text()).doc.line(
            "review", "next_review")
    assert [str(w) for w in summary.warnings] == [
        f"content/articles/old.md:{line}: warning: withheld from the website: its clinical "
        'review was due on 2020-01-01 (printjournal.toml: [governance] overdue = "withhold")']
    assert summary.removed == 1                  # the marked PDF of the first build


def test_a_pdf_made_before_the_review_fell_due_is_not_reused_after(tmp_project):
    tmp_project.article("due", article("Due Soon", "2026-10-01"))
    project = tmp_project.project()
    [due] = content.load_articles(project)[0]

    def output(day: dt.date) -> siteplan.Output:
        [made] = siteplan.article_outputs(project, [due], today=day)
        return made
    before, on_the_day, after = (output(dt.date(2026, 10, d)) for d in (1, 1, 2))
    assert before.key(project) == on_the_day.key(project)
    assert after.key(project) != on_the_day.key(project)
    assert (on_the_day.args, after.args) == ((due, None), (due, dt.date(2026, 10, 1)))
    assert after.listing.review_due == dt.date(2026, 10, 1)


JOURNAL = '[journal]\nname = "J"\npublisher = "P"\nbase_url = "https://j.example"\n'


@pytest.mark.parametrize(("text", "expected"), [
    (JOURNAL + '[governance]\noverdue = "hide"\n',
     '6: \'overdue\' must be one of "mark", "withhold"'),
    (JOURNAL + '[governance]\noverdue = "mark"\nhide = true\n',
     "7: unknown key 'hide' in [governance]"),
    ('governance = "withhold"\n' + JOURNAL,
     "1: governance must be given as a [governance] table"),
])
def test_a_bad_overdue_rule_is_refused_with_its_line(tmp_path, text, expected):
    (tmp_path / "printjournal.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load_project(tmp_path)
    path = tmp_path / "printjournal.toml"
    assert [str(p) for p in caught.value.problems] == [f"{path}:{expected}"]


def test_the_overdue_rule_defaults_to_mark(tmp_path):
    (tmp_path / "printjournal.toml").write_text(JOURNAL, encoding="utf-8")
    assert config.load_project(tmp_path).governance.overdue == "mark"


def test_check_warns_of_an_overdue_review_at_its_line(tmp_project):
    tmp_project.article("old", article("Old Advice", "2020-01-01"))
    tmp_project.article("fresh", article("Fresh Advice", "2099-01-01"))
    notices = Notices()
    check_project(tmp_project.project(), notices=notices)
    assert [str(n) for n in notices.found if "review" in n.message] == [
        "content/articles/old.md:9: warning: its clinical review was due on 2020-01-01: "
        "leaflets refuse it (--allow-overdue prints it marked) and the website marks it on "
        "its downloads ([governance] overdue)"]
    strict = Notices(strict=True)
    assert [(p.path.name, p.line) for p in check_project(tmp_project.project(), notices=strict)
            if "review was due" in p.message] == [("old.md", 9)]
