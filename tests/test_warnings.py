"""Warnings: links that print but lead off the project, shown with path:line, --strict."""

from __future__ import annotations

import pypdf
import pytest

from printjournal.checks.check import check
from printjournal.errors import ConfigError, ContentError, Notices
from printjournal.load import config, content
from printjournal.pipeline import Pipeline, load_checked_article

from .pdfread import pages, uri_links
from .test_cli import run
from .test_issue_manifest import M, issue_project  # noqa: F401

HEAD = "---\ntitle: Linking\nsection: s\ndate: 2026-01-01\n---\n"
OFF = ("warning: link to unknown article '/journal/elsewhere': not in this project, "
       "printed with its web address")


@pytest.fixture
def linking(tmp_project):
    tmp_project.article("other", HEAD + "The other article.\n")
    tmp_project.article("linking", HEAD + "See [a page](/journal/elsewhere).\n\n"
                        "Read [the other](other.md), [again](journal/other#top)\n"
                        "and [notes](notes.pdf).\n")
    return tmp_project


def test_check_shows_warnings_with_their_lines_and_passes(linking):
    result = run("check", cwd=linking.root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"content/articles/linking.md:6: {OFF}",
        "content/articles/linking.md:9: warning: link 'notes.pdf' leads nowhere on paper: "
        "link an article as /journal/<slug>, anything else by its https:// address"]
    assert result.stdout.strip() == "no problems, 2 warning(s)"


def test_strict_check_makes_warnings_errors(linking):
    result = run("check", "--strict", cwd=linking.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/articles/linking.md:6: link to unknown article '/journal/elsewhere': not in "
        "this project, printed with its web address (a warning; --strict makes it an error)")
    assert "2 problem(s)" in result.stderr


def test_article_prints_web_address_and_resolves_relative_links(linking):
    result = run("article", "content/articles/linking.md", cwd=linking.root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"content/articles/linking.md:6: {OFF}"
    pdf = linking.root / "dist/articles/linking.pdf"
    text = " ".join(p.body for p in pages(pdf)).replace("\n", " ")
    # each link prints as its words; the addresses follow under "Read next", once each, in
    # the text's order (the second link to the other article adds none)
    assert "See a page. Read the other, again and notes." in text
    assert ("Read next A page test.example/journal/elsewhere The other "
            "test.example/journal/other") in text
    targets = {url for _, url in uri_links(pypdf.PdfReader(pdf))}
    assert targets == {"https://test.example/journal/elsewhere",
                       "https://test.example/journal/other"}


def test_strict_article_writes_nothing(linking):
    result = run("article", "content/articles/linking.md", "--strict", cwd=linking.root)
    assert result.returncode == 1
    assert "(a warning; --strict makes it an error)" in result.stderr
    assert not (linking.root / "dist").exists()


@pytest.mark.parametrize(("setting", "expected"), [
    ("ignore", []),
    ("error", ["content/articles/linking.md:6: link to unknown article '/journal/elsewhere'"]),
])
def test_unknown_links_setting(linking, setting, expected):
    with (linking.root / "printjournal.toml").open("a") as toml:
        toml.write(f'\n[validation]\nunknown_links = "{setting}"\n')
    notices = Notices()
    problems = check(linking.project(), None, notices)
    assert [str(p) for p in problems] == expected
    assert [n.line for n in notices.found] == [9]      # notes.pdf: always a warning


def test_validation_settings_are_checked_together(tmp_project):
    with (tmp_project.root / "printjournal.toml").open("a") as toml:
        toml.write('\n[validation]\nunknown_links = "maybe"\nbroken_links = "warn"\n')
    with pytest.raises(ConfigError) as caught:
        config.load_project(tmp_project.root)
    path = tmp_project.root / "printjournal.toml"
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:7: 'unknown_links' must be one of \"warn\", \"error\", \"ignore\"",
        f"{path}:8: unknown key 'broken_links' in [validation]"]


def test_leaflet_and_strict_leaflet(linking):
    with (linking.root / "printjournal.toml").open("a") as toml:
        toml.write('\n[[clinics]]\nid = "north"\nname = "North"\naddress = "1 Road"\n'
                   'phone = "0100"\ndefault = true\n')
    result = run("leaflet", "linking", "-o", "out.pdf", cwd=linking.root)
    assert result.returncode == 0, result.stderr
    assert f"content/articles/linking.md:6: {OFF}" in result.stderr.splitlines()
    result = run("leaflet", "linking", "-o", "strict.pdf", "--strict", cwd=linking.root)
    assert result.returncode == 1
    assert not (linking.root / "strict.pdf").exists()


def test_code_is_not_checked_for_links(tmp_project):
    tmp_project.article("code", HEAD + "```\n[x](/journal/nowhere)\n```\n")
    notices = Notices()
    assert check(tmp_project.project(), None, notices) == []
    assert notices.found == ()


def test_strict_collector_returns_errors_not_warnings(linking):
    project = linking.project()
    article = content.load_article(project.articles_dir / "linking.md", project)
    notices = Notices(strict=True)
    with pytest.raises(ContentError):
        load_checked_article(project, project.articles_dir / "linking.md", notices)
    assert notices.found == ()
    assert article.slug == "linking"


def test_build_counts_warnings_and_strict_build_fails(linking):
    result = run("build", "--jobs", "1", cwd=linking.root)
    assert result.returncode == 0, result.stderr
    assert f"content/articles/linking.md:6: {OFF}" in result.stderr.splitlines()
    assert ", 2 warning(s) in " in result.stdout.splitlines()[-1]
    assert (linking.root / "dist/articles/linking.pdf").is_file()
    result = run("build", "--jobs", "1", "-o", "strict", "--strict", cwd=linking.root)
    assert result.returncode == 1
    assert "--strict makes it an error" in result.stderr
    assert not (linking.root / "strict/articles/linking.pdf").exists()
    assert (linking.root / "strict/articles/other.pdf").is_file()


def test_strict_issue_stops_before_rendering(issue_project):  # noqa: F811
    issue_project.write("content/issues/letter.md",
                        "---\ntitle: Dear\n---\nSee [x](/journal/nowhere).\n")
    result = run("issue", M, "-o", "strict.pdf", "--strict",
                 cwd=issue_project.root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/issues/letter.md:4: link to unknown article '/journal/nowhere': not in this "
        "project, printed with its web address (a warning; --strict makes it an error)"]
    assert not (issue_project.root / "strict.pdf").exists()


def test_build_collects_the_warnings_of_issues_and_strict_stops_that_issue(linking):
    from printjournal.site import build as site

    from .site_helpers import Collect, stand_in_issue
    from .test_issue_manifest import COVER_SVG

    linking.article("linking", HEAD + "No links now.\n")
    linking.write("content/images/cover.svg", COVER_SVG)
    linking.write("content/issues/spring.yaml", (
        'issue: "Spring 2026"\ntitle: "T"\ndate: 2026-03-01\neditorial: issues/letter.md\n'
        'cover: {image: images/cover.svg, alt: "A cover"}\narticles: [other]\n'))
    linking.write("content/issues/letter.md",
                  "---\ntitle: Dear\n---\nSee [x](/journal/elsewhere).\n")
    warning = f"content/issues/letter.md:4: {OFF}"

    def build_into(folder: str, strict: bool) -> Collect:
        report = Collect()
        site.build_site(linking.project(), linking.root / folder, jobs=1, reporter=report,
                        issue_builder=stand_in_issue, notices=Notices(strict=strict))
        return report
    report = build_into("dist", strict=False)
    assert [str(w) for w in report.summary.warnings] == [warning]
    assert report.summary.problems == ()
    assert report.paths("built") >= {"issues/spring.pdf", "issues/spring-print.pdf"}

    report = build_into("strict", strict=True)
    assert report.summary.warnings == ()
    assert [str(p) for p in report.summary.problems] == [
        warning.replace("warning: ", "") + " (a warning; --strict makes it an error)"]
    assert not (linking.root / "strict/issues").exists()
    assert (linking.root / "strict/articles/other.pdf").is_file()


def test_a_leaflet_returns_its_warnings(linking):
    import datetime as dt

    from printjournal.leaflet import build as leaflet

    with (linking.root / "printjournal.toml").open("a") as toml:
        toml.write('\n[[clinics]]\nid = "north"\nname = "North"\naddress = "1 Road"\n'
                   'phone = "0100"\ndefault = true\n')
    project = linking.project()
    notices = Notices()
    made = leaflet.leaflet(Pipeline.load(project), leaflet.LeafletRequest(("linking",)),
                           dt.date(2026, 11, 1), notices=notices)
    assert made.notices == notices.found
    shown = [str(n) for n in made.notices]
    assert shown[0] == f"content/articles/linking.md:6: {OFF}"
    assert len(shown) == 2 and "link 'notes.pdf' leads nowhere on paper" in shown[1]


def test_an_article_in_a_language_without_its_own_disclaimer_is_warned_at_its_lang_line(
        tmp_project):
    tmp_project.article("polski", "---\ntitle: Spacer\nsection: s\ndate: 2026-01-01\n"
                        "lang: pl\n---\nChodzenie jest dobre.\n")
    notices = Notices()
    assert check(tmp_project.project(), notices=notices) == []
    assert [str(n) for n in notices.found] == [
        "content/articles/polski.md:5: warning: no disclaimer in 'pl' in printjournal.toml "
        "([journal.disclaimers]): its pages print the en-GB one"]
    tmp_project.write("printjournal.toml", """\
        [journal]
        name = "Test Journal"
        publisher = "Test Clinic"
        base_url = "https://test.example"
        [journal.disclaimers]
        pl = "Tylko do celów informacyjnych."
        """)
    notices = Notices()
    assert check(tmp_project.project(), notices=notices) == []
    assert not notices.found


def test_every_sample_article_prints_a_disclaimer_in_its_own_language(sample_project):
    notices = Notices()
    check(sample_project, notices=notices)
    assert not [n for n in notices.found if "no disclaimer" in n.message]


@pytest.mark.parametrize("rule", ["---", "***", "_ _ _"])
def test_a_rule_left_above_the_text_is_warned_at_its_line(tmp_project, rule):
    tmp_project.article("ruled", f"---\ntitle: Ruled\nsection: s\ndate: 2026-01-01\n---\n\n"
                        f"{rule}\nThe first paragraph.\n\n---\n\nA rule between two is meant.\n")
    notices = Notices()
    assert check(tmp_project.project(), notices=notices) == []
    assert [str(n) for n in notices.found] == [
        "content/articles/ruled.md:7: warning: the text opens with a rule ('---' under the "
        "front matter prints a line above the first paragraph): delete it if it is left over"]
