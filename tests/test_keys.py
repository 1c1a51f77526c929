"""Front matter and issue manifests are declared once (yamlkeys.py, read by schema.py):
a wrong type anywhere is a problem at its line, all of them together, and the README's
table of limits says what the declarations say."""

from __future__ import annotations

import re
from pathlib import Path

from printjournal.load import yamlkeys
from printjournal.load.fields import MAX_TEXT

from .test_issue_manifest import issue_project, problems  # noqa: F401 (a fixture)

README = Path(__file__).resolve().parent.parent / "README.md"


def test_wrong_types_in_every_key_of_front_matter_are_collected_with_their_lines(
        problems_of):
    assert problems_of("""\
        ---
        title: 12
        short_title: [a, b]
        section: {a: b}
        date: 2026-02-30
        dek: true
        slug: Not A Slug
        lang: 7
        authors: {a: b}
        reading_time: "seven"
        tags: "sleep, rest"
        sample: "yes"
        feedback: 1.5
        translation_of: [x]
        review: {version: [1], reviewed: 2026-13-01, next_review: soon, owner: 3}
        sources:
          - {id: 5, text: [t], url: 7}
          - "just text"
          - {id: "a b", text: "T", url: "ftp://x", pages: 3}
        ---
        Text.
        """) == [
        "content/articles/bad.md:2: 'title' must be text, not a number (put it in quotes)",
        # the url made from that slug, at the front matter's first line (no 'url:' line)
        "content/articles/bad.md:2: 'url' must be a web address starting with https://",
        "content/articles/bad.md:3: 'short_title' must be text, not a list: write one text on "
        "the line of its key, in quotes if it holds ': ' or ' #'",
        "content/articles/bad.md:4: 'section' must be text, not a group of 'key: value' "
        "lines: write one text on the line of its key, in quotes if it holds ': ' or ' #'",
        "content/articles/bad.md:5: 'date' is not a real date: 2026-02-30 (day is out of "
        "range for month)",
        "content/articles/bad.md:6: 'dek' must be text, not true/false (put it in quotes)",
        "content/articles/bad.md:7: slug 'Not A Slug' must be lowercase letters, digits and "
        "hyphens",
        "content/articles/bad.md:8: 'lang' must be text, not a number (put it in quotes)",
        "content/articles/bad.md:9: 'authors' must be a list of text",
        "content/articles/bad.md:10: 'reading_time' must be a whole number of minutes",
        "content/articles/bad.md:11: 'tags' is one text with commas: write a list, "
        "[sleep, rest]",
        "content/articles/bad.md:12: 'sample' must be true or false",
        "content/articles/bad.md:13: 'feedback' must be text, not a number (put it in quotes)",
        "content/articles/bad.md:14: 'translation_of' must be text, not a list: write one "
        "text on the line of its key, in quotes if it holds ': ' or ' #'",
        "content/articles/bad.md:15: 'review.next_review' must be a date as YYYY-MM-DD, not "
        "'soon'",
        "content/articles/bad.md:15: 'review.owner' must be text, not a number (put it in "
        "quotes)",
        "content/articles/bad.md:15: 'review.reviewed' is not a real date: 2026-13-01 (month "
        "must be in 1..12)",
        "content/articles/bad.md:15: 'review.version' must be text, not a list: write one "
        "text on the line of its key, in quotes if it holds ': ' or ' #'",
        "content/articles/bad.md:17: 'sources.0.id' must be text, not a number (put it in "
        "quotes)",
        "content/articles/bad.md:17: 'sources.0.text' must be text, not a list: write one "
        "text on the line of its key, in quotes if it holds ': ' or ' #'",
        "content/articles/bad.md:17: 'sources.0.url' must be text, not a number (put it in "
        "quotes)",
        "content/articles/bad.md:18: each source needs 'id', 'text' and 'url'",
        "content/articles/bad.md:19: source 'url' must start with https://",
        "content/articles/bad.md:19: source id 'a b' may only use letters, digits, '-', '_', "
        "'.' and ':'",
        "content/articles/bad.md:19: unknown source key 'pages' (known: id, text, url)",
    ]


def test_wrong_types_in_every_key_of_a_manifest_are_collected_with_their_lines(
        issue_project):  # noqa: F811 (the fixture)
    m = "content/issues/spring.yaml"
    assert problems(issue_project, """\
        title: [x]
        issue: 2027
        number: "3"
        date: 2027-3-1
        lang: true
        sample: "no"
        cover:
          image: {a: b}
          alt: 5
          lines: "One line"
          colour: blue
        editorial: 12
        articles: [one, [two], three, one]
        back_cover: issues/back.txt
        """) == [
        f"{m}:1: 'title' must be text, not a list: write one text on the line of its key, "
        "in quotes if it holds ': ' or ' #'",
        f"{m}:2: 'issue' must be text, not a number (put it in quotes)",
        f"{m}:3: 'number' must be a whole number from 1",
        f"{m}:4: 'date' must be a date as YYYY-MM-DD, not '2027-3-1'",
        f"{m}:5: 'lang' must be text, not true/false (put it in quotes)",
        f"{m}:6: 'sample' must be true or false",
        f"{m}:8: 'cover.image' must be text, not a group of 'key: value' lines: write one "
        "text on the line of its key, in quotes if it holds ': ' or ' #'",
        f"{m}:9: 'cover.alt' must be text, not a number (put it in quotes)",
        f"{m}:10: 'cover.lines' must be a list of text",
        f"{m}:11: unknown cover key 'colour' (known: image, alt, lines)",
        f"{m}:12: 'editorial' must be text, not a number (put it in quotes)",
        f"{m}:13: 'articles.1' must be text, not a list: write one text on the line of its "
        "key, in quotes if it holds ': ' or ' #'",
        f"{m}:13: article 'one' is listed twice (first on line 13)",
        f"{m}:14: 'back_cover' file not found: content/issues/back.txt",
    ]


def _readme_limits() -> dict[str, str]:
    """The README's table of limits: each `key` named in a row's first cell, with the
    row's second cell."""
    section = README.read_text(encoding="utf-8").split("Limits, in every YAML file", 1)[1]
    rows = [line.split("|")[1:3] for line in section.split("\n\n", 2)[1].splitlines()
            if line.startswith("| ")]
    return {name: f"{what} | {limit}" for what, limit in rows
            for name in re.findall(r"`([a-z_]+)`", what)}


def test_the_readme_table_of_limits_is_what_the_keys_declare():
    """Every key that declares a limit other than the default is in the README's table
    with it (and its number of items), and the default is the table's "any other
    text"; each key the table names is declared with the limits the row gives."""
    limits = _readme_limits()
    declared = {(key.name, key.limit, key.items)
                for group in (yamlkeys.FRONT_MATTER, yamlkeys.SOURCE, yamlkeys.NOTE,
                              yamlkeys.COVER, yamlkeys.MANIFEST)
                for key in group.keys if key.limit != MAX_TEXT or key.items}
    for name, limit, items in declared:
        assert name in limits, f"the README's table of limits lacks `{name}`"
        numbers = {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", limits[name])}
        assert limit in numbers and (not items or items in numbers), (name, limits[name])
    for name in limits:
        assert any(name == key for key, _, _ in declared), f"`{name}` declares no limit"
    assert f"| any other text | {MAX_TEXT} characters |" in README.read_text(encoding="utf-8")
    assert yamlkeys.FRONT_MATTER["tags"].commas and "`tags: a, b` is an error" in limits["tags"]


def test_the_readme_tables_of_keys_are_the_declarations():
    """The README shows each YAML file's keys as yamlkeys declares them (to update the
    README, paste keys_table's output)."""
    text = README.read_text(encoding="utf-8")
    for group in (yamlkeys.FRONT_MATTER, yamlkeys.MANIFEST, yamlkeys.NOTE):
        assert yamlkeys.keys_table(group) in text, yamlkeys.keys_table(group)
    assert "| `sources[].url` | text | 1000 characters | its web address |" in text
