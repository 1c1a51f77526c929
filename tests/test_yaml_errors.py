"""Common YAML mistakes read as plain words at the line the editor must change.

Each case is a whole article as an editor might write it; the expected problem is
exactly what ``printjournal check`` prints, and it is the only one (no knock-on
errors after a YAML mistake).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import TmpProject
from .test_issue_manifest import MANIFEST, M, issue_project  # noqa: F401
from .test_issue_manifest import problems as manifest_problems

P = "content/articles/bad.md"
TAIL = "section: Sleep\ndate: 2026-01-01\n---\nBody.\n"
QUOTES_HINT = "put the whole value in quotes"
INDENT = ("this line does not line up with the lines above it: keys of one group start in "
          "the same column, and what belongs to a key is indented under it, with spaces")

CASES = {
    "unclosed double quote": (
        '---\ntitle: "Sleep well\nsection: Sleep\ndate: 2026-01-01\n---\nBody.\n', 2,
        "'title' has an opening quote (\") but no closing one: end the text with \" on "
        "the same line"),
    "unclosed double quote, quotes below": (
        '---\ntitle: "Sleep well\nsection: "Sleep"\ndate: 2026-01-01\n---\nBody.\n', 2,
        "'title' has an opening quote (\") but no closing one"),
    "unclosed double quote, @ below": (
        '---\ntitle: "Sleep well\nsection: s\ndek: "@home"\ndate: 2026-01-01\n---\nBody.\n', 2,
        "'title' has an opening quote (\") but no closing one"),
    "unclosed single quote": (
        "---\ntitle: 'Sleep well\nsection: 'Sleep'\ndate: 2026-01-01\n---\nBody.\n", 2,
        "'title' has an opening quote (') but no closing one: end the text with ' on "
        "the same line"),
    "unclosed quote in a list": (
        "---\ntitle: t\ntags: ['sleep, rest]\n" + TAIL, 3,
        "'tags' has an opening quote (') but no closing one"),
    "text after the closing quote": (
        '---\ntitle: "Sleep" and rest\n' + TAIL, 2,
        "the text of 'title' goes on after its closing quote: put the whole value in one "
        "pair of quotes"),
    "quotes inside quotes": (
        '---\ntitle: "The "best" sleep"\n' + TAIL, 2,
        "the text of 'title' goes on after its closing quote"),
    "colon and space inside a value": (
        "---\ntitle: Sleep: why it matters\n" + TAIL, 2,
        "a colon followed by a space inside a value: " + QUOTES_HINT),
    "tab indenting": (
        "---\ntitle: t\nreview:\n\tversion: 1\n" + TAIL, 4,
        "a tab character: YAML is indented and separated with spaces only; replace the "
        "tab with spaces"),
    "tab after a colon": (
        "---\ntitle:\tSleep\n" + TAIL, 2, "a tab character"),
    "list item under a value": (
        "---\ntitle: t\ntags: sleep\n  - immunity\n" + TAIL, 4,
        "a list item under 'tags', which already has a value on line 3: either leave "
        "'tags' with nothing after its colon and put each item on its own '- ' line, or "
        "write [item, item]"),
    "list item indented under a list item": (
        "---\ntitle: t\ntags:\n  - sleep\n    - immunity\n" + TAIL, 5,
        "this list item is indented more than the one on line 4: items of one list start "
        "in the same column"),
    "no space after a list dash": (
        "---\ntitle: t\ntags:\n  -sleep\n  -immunity\n" + TAIL, 4,
        "a list item needs a space after its '-': write '- sleep'"),
    "a list where text belongs": (
        "---\ntitle: [Sleep, rest]\n" + TAIL, 2,
        "'title' must be text, not a list: write one text on the line of its key, in quotes "
        "if it holds ': ' or ' #'"),
    "a group where a list belongs": (
        "---\ntitle: t\nsources:\n  id: nhs\n  text: NHS\n" + TAIL, 3,
        "'sources' must be a list, each source starting with '- ': - {id: nhs, text: "
        "\"NHS: Sleep\", url: \"https://www.nhs.uk/\"}"),
    "list item where a key belongs": (
        "---\ntitle: t\ntags: sleep\n- immunity\n" + TAIL, 4,
        "a list item ('- ') where a key was expected"),
    "indented too far": (
        "---\ntitle: t\nreview:\n  version: 1\n   reviewed: 2026-01-01\n" + TAIL, 5, INDENT),
    "indented too little": (
        "---\ntitle: t\nreview:\n  version: 1\n reviewed: 2026-01-01\n" + TAIL, 5, INDENT),
    "a key indented under a value": (
        "---\ntitle: t\n section: s\ndate: 2026-01-01\n---\nBody.\n", 3, INDENT),
    "no colon after a key": (
        "---\ntitle: t\nsection Sleep\ndate: 2026-01-01\n---\nBody.\n", 3,
        "this line has no colon after its key: write 'key: value'"),
    "no space after a colon": (
        "---\ntitle:Sleep\n" + TAIL, 2,
        "this line has no colon and space after its key: write 'key: value'"),
    "value starts with @": ("---\ntitle: @home care\n" + TAIL, 2,
                            "a value cannot start with '@': " + QUOTES_HINT),
    "value starts with a backtick": ("---\ntitle: `code` words\n" + TAIL, 2,
                                     "a value cannot start with '`': " + QUOTES_HINT),
    "value starts with %": ("---\ntitle: %50 less salt\n" + TAIL, 2,
                            "a value cannot start with '%': " + QUOTES_HINT),
    "value starts with *": ("---\ntitle: *new* advice\n" + TAIL, 2,
                            "a value cannot start with '*': " + QUOTES_HINT),
    "value is *name": ("---\ntitle: *important\n" + TAIL, 2,
                       "'*important' is a YAML alias, which printjournal does not accept"),
    "value starts with &": (
        "---\ntitle: &more sleep\n" + TAIL, 2,
        "'&more' is a YAML anchor, which printjournal does not accept (editors never need "
        "one, and a few can make a file expand without limit): if '&' belongs to the text, "
        + QUOTES_HINT),
    "value starts with !": (
        "---\ntitle: !important news\n" + TAIL, 2,
        "'!important' is a YAML type tag, which printjournal does not accept: if '!' "
        "belongs to the text, " + QUOTES_HINT),
    "value starts with |": (
        "---\ntitle: | pipes\n" + TAIL, 2,
        "'|' at the start of a value means 'the text follows on the lines below': "
        + QUOTES_HINT),
    "value starts with >": ("---\ntitle: > 5 hours of sleep\n" + TAIL, 2,
                            "'>' at the start of a value means"),
    "value starts with }": ("---\ntitle: } curly\n" + TAIL, 2,
                            "a value cannot start with '}': " + QUOTES_HINT),
    "line starts with %": ("---\ntitle: t\n%YAML\n" + TAIL, 3,
                           "a value cannot start with '%': " + QUOTES_HINT),
    "value starts with !x}": ("---\ntitle: !b} x\n" + TAIL, 2,
                              "a value cannot start with '!': " + QUOTES_HINT),
    "value starts with ?": ("---\ntitle: ? why\n" + TAIL, 2,
                            "a value cannot start with '?': " + QUOTES_HINT),
    "# inside a value": (
        "---\ntitle: Sleep #1 tips\n" + TAIL, 2,
        "' #' starts a comment in YAML, so 'title' stops before it: " + QUOTES_HINT),
    "list not closed": (
        "---\ntitle: t\ntags: [sleep, rest\n" + TAIL, 3,
        "the list opened with '[' here is not closed: end it with ']'"),
    "group not closed": (
        "---\ntitle: t\nreview: {version: 1\n" + TAIL, 3, "the '{' opened here is not closed"),
    "a list as a key": ("---\ntitle: t\nreview: {[a, b]: 1}\n" + TAIL, 3,
                        "a key must be a plain word, not a list or a group"),
    "a control character": ("---\ntitle: t\x01x\n" + TAIL, 2,
                            "an invisible control character (U+0001) that cannot be "
                            "printed: delete it"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_yaml_mistake_is_one_plain_message_at_its_line(problems_of, name):
    text, line, message = CASES[name]
    found = problems_of(text)
    assert len(found) == 1, found
    assert found[0].startswith(f"{P}:{line}: {message}"), found
    for jargon in ("but found", "<block", "token", "scalar", "mapping", "YAML:"):
        assert jargon not in found[0].removeprefix(f"{P}:{line}: "), found


HEAD = "---\ntitle: t\nsection: Sleep\ndate: 2026-01-01\n"


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ntitle: t\nsection: s\ndate: 2026-01-01\nsorces:\n  - {id: a, text: A}\n---\n"
     "Cited [@a].\n",
     [f"{P}:5: unknown front matter key 'sorces': did you mean 'sources'?"]),
    ("---\ntittle: t\nsection: s\ndate: 2026-01-01\n---\nx\n",
     [f"{P}:2: unknown front matter key 'tittle': did you mean 'title'?"]),
    ("---\nTitle: t\nsection: s\ndate: 2026-01-01\n---\nx\n",
     [f"{P}:2: unknown front matter key 'Title': did you mean 'title'?"]),
    (HEAD + "sources:\n  - {id: a, txt: A}\n---\nCited [@a].\n",
     [f"{P}:6: unknown source key 'txt': did you mean 'text'?"]),
    (HEAD + "review: {version: 1, reviewed: 2026-01-01, next_reveiw: 2027-01-01, owner: o}\n"
     "---\nx\n",
     [f"{P}:5: unknown review key 'next_reveiw': did you mean 'next_review'?"]),
    (HEAD + "colour: red\n---\nx\n",
     [f"{P}:5: unknown front matter key 'colour' (known: authors, date, dek, feedback, "
      "lang, reading_time, review, sample, section, short_title, slug, source_version, "
      "sources, tags, title, translation_of, url)"]),
])
def test_a_misspelt_key_is_one_problem_naming_the_likely_key(problems_of, text, expected):
    assert problems_of(text) == expected


SOURCES = HEAD + "sources:\n  - {id: smith2020, text: Smith}\n  - {id: nhs, text: NHS}\n---\n"


@pytest.mark.parametrize(("body", "expected"), [
    ("See [@smith2021].\n", "unknown source 'smith2021': did you mean 'smith2020'? this "
                            "article's sources are nhs, smith2020"),
    ("See [@who].\n", "unknown source 'who': this article's sources are nhs, smith2020"),
])
def test_an_unknown_source_lists_the_ids(problems_of, body, expected):
    assert problems_of(SOURCES + body) == [f"{P}:9: {expected}"]


@pytest.mark.parametrize(("text", "expected"), [
    (HEAD + "\nSleep is the body's repair time.\n\nMore text.\n",
     f"{P}:6: front matter is not closed by a '---' line: put one above this line"),
    (HEAD + "\nSleep, the body's repair time.\n\n---\n\nMore text.\n",
     f"{P}:6: front matter is not closed by a '---' line: put one above this line"),
])
def test_an_unclosed_front_matter_points_where_the_line_belongs(problems_of, text, expected):
    assert problems_of(text) == [expected]


def test_a_body_line_read_as_a_key_says_the_front_matter_may_be_open(problems_of):
    found = problems_of(HEAD + "\nSleep matters: here is why\n\n---\n\nMore.\n")
    assert found == [f"{P}:6: unknown front matter key 'Sleep matters': a key is one word; "
                     "if this line is body text, the front matter needs its closing '---' "
                     "line above it"]


@pytest.mark.parametrize(("line", "expected", "at"), [
    ("title: " + "Sleep " * 30, "'title' is 179 characters long; at most 150 fit: shorten it",
     2),
    ("dek: " + "d" * 401, "'dek' is 401 characters long; at most 400 fit", 2),
    ("tags: [" + ", ".join(f"t{i}" for i in range(21)) + "]",
     "'tags' has 21 items; at most 20 are allowed", 2),
    ("tags: [sleep, " + "x" * 41 + "]", "'tags.1' is 41 characters long; at most 40 fit", 2),
    ("authors: [" + ", ".join(f"A{i}" for i in range(11)) + "]",
     "'authors' has 11 items; at most 10 are allowed", 2),
    ("sources:\n  - {id: a, text: " + "s" * 501 + "}",
     "'sources.0.text' is 501 characters long; at most 500 fit", 3),
    ("slug: " + "a" * 81, "'slug' is 81 characters long; at most 80 fit", 2),
    ("lang: en" + "-abc" * 80, "'lang' is 322 characters long; at most 300 fit", 2),
    ("tags: sleep, immunity", "'tags' is one text with commas: write a list, [sleep, immunity]",
     2),
    ("reading_time: " + "9" * 5000, "'reading_time' must be a whole number of minutes", 2),
])
def test_limits_and_shapes_are_errors_at_their_line(problems_of, line, expected, at):
    text = "---\n" + line + "\ntitle: t\nsection: s\ndate: 2026-01-01\n---\nx\n"
    found = problems_of(text.replace("title: t\n", "") if line.startswith("title") else text)
    assert len(found) == 1 and found[0].startswith(f"{P}:{at}: {expected}"), found


def test_numbers_are_read_as_written(tmp_project):
    from printjournal.load import content

    path = tmp_project.article("n", HEAD + "reading_time: 012\nreview: {version: 1.10, reviewed: "
                               "2026-01-01, next_review: 2027-01-01, owner: o}\n---\nx\n")
    article = content.load_article(path, tmp_project.project())
    assert article.reading_time == 12            # YAML 1.1 read 012 as octal ten
    assert article.review.version == "1.10"       # not the number 1.1


def test_a_byte_order_mark_first_is_fine_inside_it_is_named(tmp_project):
    from printjournal.checks.check import check

    tmp_project.article("bom", "\ufeff" + HEAD + "---\nx\n")
    tmp_project.article("pasted", HEAD + "\ufefftags: [a]\n---\nx\n")
    assert [str(p) for p in check(tmp_project.project())] == [
        "content/articles/pasted.md:5: an invisible byte-order mark (U+FEFF) inside the text, "
        "often pasted with text from another file: delete it"]


def test_not_utf8_names_the_byte_and_what_to_do(tmp_project):
    from printjournal.checks.check import check

    (tmp_project.root / "content/articles/latin1.md").write_bytes(
        b"---\ntitle: t\nsection: caf\xe9\ndate: 2026-01-01\n---\nx\n")
    assert [str(p) for p in check(tmp_project.project())] == [
        "content/articles/latin1.md:3: not UTF-8 text (a byte 0xE9 on this line): save the "
        "file as UTF-8"]


@pytest.mark.parametrize(("text", "expected"), [
    (MANIFEST.replace("articles:", "artciles:"),
     [f"{M}:10: unknown manifest key 'artciles': did you mean 'articles'?"]),
    (MANIFEST.replace("  alt:", "  atl:"),
     [f"{M}:7: unknown cover key 'atl': did you mean 'alt'?"]),
    (MANIFEST.replace('issue: "Spring 2027"', 'issue: "Spring 2027'),
     [f"{M}:2: 'issue' has an opening quote (\") but no closing one: end the text with \" "
      "on the same line"]),
    (MANIFEST + "---\ntitle: again\n",
     [f"{M}:12: a second '---' line: the file holds one block of 'key: value' lines"]),
    (MANIFEST.replace("number: 3", "number: &n 3"),
     [f"{M}:3: '&n' is a YAML anchor, which printjournal does not accept (editors never "
      "need one, and a few can make a file expand without limit): if '&' belongs to the "
      "text, put the whole value in quotes"]),
    ("\ufeff" + MANIFEST.replace("number: 3", "number: 012"), []),
])
def test_manifest_mistakes_read_the_same(issue_project, text, expected):  # noqa: F811
    assert manifest_problems(issue_project, text) == expected


def test_a_manifest_number_is_read_as_written(issue_project):  # noqa: F811
    from printjournal.issue import manifest

    manifest_problems(issue_project, MANIFEST.replace("number: 3", "number: 012"))
    loaded = manifest.load_manifest(issue_project.root / M, issue_project.project())
    assert loaded.number == 12


REFUSED = sorted((Path(__file__).parent / "corpus" / "refused").glob("yaml-*.md"))


@pytest.fixture(scope="module")
def refused_project(tmp_path_factory) -> TmpProject:
    """This module's refused corpus cases, all in one project (the corpus harness checks
    every case against every invariant; this checks only these, cheaply)."""
    project = TmpProject(tmp_path_factory.mktemp("refused") / "project")
    for case in REFUSED:
        project.article(case.stem, case.read_text(encoding="utf-8"))
    return project


@pytest.fixture(scope="module")
def refused_problems(refused_project) -> list[str]:
    from printjournal.checks.check import check

    return [str(p) for p in check(refused_project.project())]


@pytest.mark.parametrize("case", REFUSED, ids=lambda p: p.stem)
def test_refused_corpus_case(refused_project, refused_problems, case, tmp_path):
    from printjournal.errors import ContentError
    from printjournal.pipeline import Pipeline, build_article

    expected = re.search(r"# expect-error: (.*)", case.read_text(encoding="utf-8"))[1].strip()
    mine = [p for p in refused_problems if p.startswith(f"content/articles/{case.name}:")]
    assert len(mine) == 1 and expected in mine[0], mine
    assert int(mine[0].split(":")[1]) > 1
    path = refused_project.root / "content" / "articles" / case.name
    with pytest.raises(ContentError, match=re.escape(expected)):
        build_article(Pipeline.load(refused_project.project()), path,
                            tmp_path / "out.pdf")
    assert not list(tmp_path.iterdir())


YAMLISH = st.lists(st.text(alphabet=" \t:-#\"'[]{},&*!|>?@%`ab\u00e9", max_size=16),
                   max_size=8).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(YAMLISH)
def test_any_yaml_text_is_values_or_plain_errors_at_real_lines(text):
    from printjournal.errors import ContentError
    from printjournal.load.yamlsource import load_yaml

    try:
        load_yaml(text, Path("x.yaml"), first_line=2)
    except ContentError as exc:
        for problem in exc.problems:
            assert 2 <= problem.line <= text.count("\n") + 2, (problem, text)
            assert not re.search(r"<\w|but found|expected '|token|scalar|mapping|YAML:",
                                 problem.message), problem
