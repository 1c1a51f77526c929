"""Issue manifests: every mistake is reported with the manifest's name and line."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from printjournal.checks.check import check
from printjournal.errors import ContentError, Notices
from printjournal.issue import manifest

COVER_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
             'viewBox="0 0 210 297"><rect width="210" height="297" fill="#123"/></svg>')

ARTICLE = """\
---
title: "Article {n}"
section: "Section {n}"
date: 2026-03-01
dek: "Standfirst {n}."
review: {{version: "1", reviewed: 2026-01-01, next_review: {review}, owner: "Dr A"}}
sources:
  - {{id: s1, text: "Source one", url: "https://example.org/one"}}
---
Text of article {n} citing [@s1]. {link}

## A heading

More text.
"""

MANIFEST = """\
title: "Test Journal"
issue: "Spring 2027"
number: 3
date: 2027-03-01
cover:
  image: images/cover.svg
  alt: "A plain blue cover"
  lines: ["One line", "Another line"]
editorial: issues/letter.md
articles: [one, two, three]
back_cover: issues/back.md
"""


@pytest.fixture
def issue_project(tmp_project):
    """A small project with three articles, a letter, a back cover and a manifest."""
    links = {1: "See [two](/journal/two).", 2: "", 3: "See [one](/journal/one)."}
    for n, slug in enumerate(("one", "two", "three"), start=1):
        tmp_project.article(slug, ARTICLE.format(n=n, review="2028-01-01", link=links[n]))
    tmp_project.write("content/images/cover.svg", COVER_SVG)
    tmp_project.write("content/issues/letter.md", """\
        ---
        title: "Dear reader"
        author: "The Editor"
        ---
        Welcome. Read [article one](/journal/one) first.
        """)
    tmp_project.write("content/issues/back.md", "---\ntitle: \"About us\"\n---\nWe are a clinic.\n")
    tmp_project.write("content/issues/spring.yaml", MANIFEST)
    return tmp_project


def problems(issue_project, text: str | None = None) -> list[str]:
    if text is not None:
        issue_project.write("content/issues/spring.yaml", textwrap.dedent(text))
    return [str(p) for p in check(issue_project.project())]


def edit(old: str, new: str) -> str:
    assert old in MANIFEST
    return MANIFEST.replace(old, new)


M = "content/issues/spring.yaml"


def test_the_small_issue_has_no_problems(issue_project):
    assert problems(issue_project) == []
    loaded = manifest.load_manifest(issue_project.root / M, issue_project.project())
    assert loaded.slugs == ("one", "two", "three")
    assert loaded.name == "Test Journal · Spring 2027"
    assert loaded.cover.lines == ("One line", "Another line")
    assert loaded.editorial.authors == ("The Editor",)


def test_sample_manifest_has_no_problems(sample_project):
    assert manifest.check_manifests(sample_project) == []


def test_unknown_slug(issue_project):
    assert problems(issue_project, edit("[one, two, three]", "[one, twoo, three]")) == [
        f"{M}:10: unknown article 'twoo': no content/articles/twoo.md (or front matter slug) "
        "in the project"]


def test_article_listed_twice(issue_project):
    text = edit("articles: [one, two, three]", "articles:\n  - one\n  - two\n  - one\n")
    assert problems(issue_project, text) == [
        f"{M}:13: article 'one' is listed twice (first on line 11)"]


def test_unknown_key(issue_project):
    assert problems(issue_project, MANIFEST + "colour: blue\n") == [
        f"{M}:12: unknown manifest key 'colour' (known: articles, back_cover, cover, date, "
        "editorial, issue, lang, number, sample, title)"]


def test_unknown_cover_key(issue_project):
    text = edit('  alt: "A plain blue cover"\n', '  alt: "A plain blue cover"\n  credit: me\n')
    assert problems(issue_project, text) == [
        f"{M}:8: unknown cover key 'credit' (known: image, alt, lines)"]


def test_bad_date(issue_project):
    assert problems(issue_project, edit("2027-03-01", "1 March 2027")) == [
        f"{M}:4: 'date' must be a date as YYYY-MM-DD, not '1 March 2027'"]


def test_impossible_date(issue_project):
    assert problems(issue_project, edit("2027-03-01", "2027-02-30")) == [
        f"{M}:4: 'date' is not a real date: 2027-02-30 (day is out of range for month)"]


def test_missing_cover_image(issue_project):
    assert problems(issue_project, edit("images/cover.svg", "images/nothing.svg")) == [
        f"{M}:6: cover image 'images/nothing.svg' not found"]


def test_cover_image_outside_the_content_folder(issue_project):
    assert problems(issue_project, edit("images/cover.svg", "../printjournal.toml")) == [
        f"{M}:6: cover image '../printjournal.toml' is outside the content folder"]


def test_missing_editorial_file(issue_project):
    assert problems(issue_project, edit("issues/letter.md", "issues/lettre.md")) == [
        f"{M}:9: 'editorial' file not found: content/issues/lettre.md"]


def test_missing_back_cover_file(issue_project):
    assert problems(issue_project, edit("issues/back.md", "issues/nothing.md")) == [
        f"{M}:11: 'back_cover' file not found: content/issues/nothing.md"]


def test_editorial_outside_the_content_folder(issue_project):
    assert problems(issue_project, edit("issues/letter.md", "../../etc/passwd")) == [
        f"{M}:9: 'editorial' must be a file inside the content folder, not '../../etc/passwd'"]


def test_required_keys(issue_project):
    text = "\n".join(line for line in MANIFEST.splitlines()
                     if not line.startswith(("title", "articles", "editorial")))
    assert problems(issue_project, text + "\n") == [
        f"{M}:1: 'articles' is required: the slugs of the issue's articles, in order",
        f"{M}:1: 'editorial' is required",
        f"{M}:1: 'title' is required"]


def test_number_must_be_a_whole_number(issue_project):
    assert problems(issue_project, edit("number: 3", 'number: "three"')) == [
        f"{M}:3: 'number' must be a whole number from 1"]


def test_article_due_for_review_before_the_issue_date(issue_project):
    issue_project.article("two", ARTICLE.format(n=2, review="2027-02-01", link=""))
    assert problems(issue_project) == [
        f"{M}:10: article 'two' is due for clinical review on 2027-02-01, before this "
        "issue's date 2027-03-01: review it first"]


def test_article_with_problems_shows_them(issue_project):
    issue_project.article("two", "---\ntitle: t\nsection: s\ndate: 2026-02-30\n---\nx\n")
    found = problems(issue_project)
    assert f"{M}:10: article 'two' has problems (1, listed below)" in found
    assert "content/articles/two.md:4: 'date' is not a real date: 2026-02-30 " \
        "(day is out of range for month)" in found


def test_editorial_problems_name_the_editorial(issue_project):
    issue_project.write("content/issues/letter.md",
                        "---\ntitle: Dear\nmood: happy\n---\nSee [x](/journal/nowhere).\n")
    assert problems(issue_project) == [
        "content/issues/letter.md:3: unknown front matter key 'mood' "
        "(known: author, lang, sample, title)"]
    notices = Notices()
    manifest.check_manifests(issue_project.project(), None, notices)
    assert [str(n) for n in notices.found] == [
        "content/issues/letter.md:5: warning: link to unknown article '/journal/nowhere': "
        "not in this project, printed with its web address"]


def test_yaml_syntax_error(issue_project):
    assert problems(issue_project, MANIFEST + "articles: [one\n") == [
        f"{M}:12: the list opened with '[' here is not closed: end it with ']' (and put "
        "items that hold ':' or ',' in quotes)"]


def test_a_key_given_twice(issue_project):
    assert problems(issue_project, MANIFEST + 'title: "Again"\n') == [
        f"{M}:12: 'title' is given twice"]


def test_check_names_only_the_manifests_asked_for(issue_project):
    problems(issue_project, edit("[one, two, three]", "[one, nope]"))
    project = issue_project.project()
    article = issue_project.root / "content/articles/one.md"
    assert check(project, [article]) == []
    assert len(check(project, [issue_project.root / M])) == 1


def test_load_manifest_raises_every_problem(issue_project):
    text = edit("[one, two, three]", "[one, nope]").replace("2027-03-01", "2027-13-01")
    issue_project.write(M, text)
    with pytest.raises(ContentError) as caught:
        manifest.load_manifest(issue_project.root / M, issue_project.project())
    assert [p.line for p in caught.value.problems] == [4, 10]


def run(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "printjournal", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_check_reports_manifest_problems(issue_project):
    issue_project.write(M, edit("[one, two, three]", "[one, two, two]"))
    result = run("check", cwd=issue_project.root)
    assert result.returncode == 1
    assert f"{M}:10: article 'two' is listed twice (first on line 10)" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_issue_with_a_bad_manifest_writes_nothing(issue_project):
    issue_project.write(M, edit("[one, two, three]", "[one, ghost]"))
    result = run("issue", M, cwd=issue_project.root)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{M}:10: unknown article 'ghost'")
    assert "Traceback" not in result.stderr
    assert not (issue_project.root / "dist").exists()


def test_cli_issue_refuses_an_unknown_edition(issue_project):
    result = run("issue", M, "--edition", "web", cwd=issue_project.root)
    assert result.returncode == 2
    assert "invalid choice: 'web'" in result.stderr


def test_a_file_name_too_long_for_the_disk_is_a_plain_problem_at_its_line(issue_project):
    long = "x" * 700
    text = edit("images/cover.svg", f"images/{long}.svg").replace(
        "back_cover: issues/back.md", f"back_cover: issues/{long}.md")
    found = problems(issue_project, text)
    assert sorted({p.split(": ", 1)[0] for p in found}) == [f"{M}:11", f"{M}:6"]
    assert not any("internal error" in p for p in found)
    assert sum("File name too long" in p for p in found) == 2
    assert all(len(p) < 200 for p in found)


def test_issue_and_build_report_a_bad_manifest_word_for_word_at_the_same_lines(
        issue_project):
    """The website build reads a manifest as ``printjournal issue`` does (one reader,
    manifest.read_manifest): the same problems, word for word, at the same lines. One
    article given as a single text is refused by both (a list even of one, as the key
    table says); build makes the articles and no edition of the issue."""
    issue_project.write(M, edit("articles: [one, two, three]", "articles: one").replace(
        "number: 3", "number: three\ncolour: blue").replace("issues/back.md",
                                                            "issues/back.txt"))
    issue = run("issue", M, "--jobs", "1", cwd=issue_project.root)
    build = run("build", "--jobs", "1", cwd=issue_project.root)
    assert (issue.returncode, build.returncode) == (1, 1)
    said = issue.stderr.splitlines()
    assert said == [
        f"{M}:3: 'number' must be a whole number from 1",
        f"{M}:4: unknown manifest key 'colour' (known: articles, back_cover, cover, date, "
        "editorial, issue, lang, number, sample, title)",
        f"{M}:11: 'articles' must be a list of article slugs",
        f"{M}:12: 'back_cover' file not found: content/issues/back.txt",
    ]
    assert build.stderr.splitlines() == said
    assert "Traceback" not in issue.stderr + build.stderr
    built = sorted(p.relative_to(issue_project.root / "dist").as_posix()
                   for p in (issue_project.root / "dist").rglob("*.pdf"))
    assert built == ["articles/one.pdf", "articles/three.pdf", "articles/two.pdf"]
