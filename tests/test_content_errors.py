"""Every content mistake is a clear error naming the file and line, never a surprise."""

from __future__ import annotations

import pytest

from printjournal.errors import ContentError, Notices
from printjournal.load import content

P = "content/articles/bad.md"


def test_a_good_article_has_no_problems(problems_of):
    assert problems_of("""\
        ---
        title: "Fine"
        section: "S"
        date: 2026-01-02
        ---
        Text.
        """) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Just text, no front matter.\n", f"{P}:1: must start with a '---' line"),
    ("---\ntitle: x\nsection: y\n", f"{P}:1: front matter is not closed"),
    ("---\ntitle: [unclosed\nsection: s\ndate: 2026-01-01\n---\nx\n",
     f"{P}:2: the list opened with '[' here is not closed"),
    ("---\n- a\n- b\n---\nx\n", f"{P}:2: front matter must be a set of 'key: value' lines"),
    ("---\nsection: s\ndate: 2026-01-01\n---\nx\n", f"{P}:2: 'title' is required"),
    ("---\ntitle: t\ndate: 2026-01-01\n---\nx\n", f"{P}:2: 'section' is required"),
    ("---\ntitle: t\nsection: s\n---\nx\n", f"{P}:2: 'date' is required"),
    ("---\ntitle: t\nsection: s\ndate: 2026-13-45\n---\nx\n",
     f"{P}:4: 'date' is not a real date: 2026-13-45"),
    ("---\ntitle: t\nsection: s\ndate: 17 June 2026\n---\nx\n",
     f"{P}:4: 'date' must be a date as YYYY-MM-DD"),
    ("---\ntitle: 2026\nsection: s\ndate: 2026-01-01\n---\nx\n",
     f"{P}:2: 'title' must be text, not a number (put it in quotes)"),
    ("---\ntitle: t\nsection: s\ndate: 2026-01-01\ncolour: red\n---\nx\n",
     f"{P}:5: unknown front matter key 'colour'"),
    ("---\ntitle: t\ntitle: u\nsection: s\ndate: 2026-01-01\n---\nx\n",
     f"{P}:3: 'title' is given twice"),
    ("---\ntitle: t\nsection: s\ndate: 2026-01-01\nslug: Not A Slug\n---\nx\n",
     f"{P}:5: slug 'Not A Slug' must be lowercase"),
    ("---\ntitle: t\nsection: s\ndate: 2026-01-01\nreading_time: soon\n---\nx\n",
     f"{P}:5: 'reading_time' must be a whole number"),
    ("---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n# A second title\n",
     f"{P}:6: the title comes from the front matter"),
])
def test_front_matter_mistakes(problems_of, text, expected):
    found = problems_of(text)
    assert any(p.startswith(expected) for p in found), found


SOURCES = """\
---
title: "Cited"
section: "S"
date: 2026-01-02
sources:
  - id: smith2020
    text: "Smith 2020"
    url: "https://example.org/smith"
---
"""


def test_unknown_source_names_the_line(problems_of):
    found = problems_of(SOURCES + "First line [@smith2020].\n\nSecond [@jones2021].\n")
    assert found == [f"{P}:12: unknown source 'jones2021': this article's sources are "
                     "smith2020"]


def test_malformed_citation(problems_of):
    found = problems_of(SOURCES + "Text [@smith2020, smith2020].\n")
    assert found == [f"{P}:10: malformed citation '[@smith2020, smith2020]': "
                     "write [@id] or [@id1; @id2]"]


def test_source_problems_are_reported_together(problems_of):
    found = problems_of("""\
        ---
        title: "t"
        section: "s"
        date: 2026-01-01
        sources:
          - id: a
            text: "A"
          - id: a
            text: "Again"
          - id: b
            url: "ftp://example.org"
        ---
        x
        """)
    assert f"{P}:8: source id 'a' is used twice" in found
    assert any(p.startswith(f"{P}:10: 'sources.2.text' is required") for p in found)
    assert f"{P}:11: source 'url' must start with https://" in found


def test_review_dates_are_checked(problems_of):
    found = problems_of("""\
        ---
        title: "t"
        section: "s"
        date: 2026-01-01
        review:
          version: 1
          reviewed: 2026-05-01
          next_review: 2026-02-30
        ---
        x
        """)
    assert found == [f"{P}:8: 'review.next_review' is not a real date: 2026-02-30 "
                     "(day is out of range for month)",
                     f"{P}:5: 'review.owner' is required"] or \
        sorted(found) == sorted([f"{P}:5: 'review.owner' is required",
                                 f"{P}:8: 'review.next_review' is not a real date: 2026-02-30 "
                                 "(day is out of range for month)"])


def test_yaml_no_is_text_not_false(tmp_project):
    path = tmp_project.article("no", "---\ntitle: no\nsection: yes\ndate: 2026-01-01\n---\nx\n")
    article = content.load_article(path, tmp_project.project())
    assert (article.title, article.section) == ("no", "yes")


def test_every_problem_in_every_file_at_once(tmp_project, problems_of):
    tmp_project.article("first", "---\ntitle: t\n---\nx\n")
    found = problems_of("---\ntitle: t\nsection: s\ndate: 2026-99-01\n---\n[@x]\n", slug="second")
    assert "content/articles/first.md:1: front matter is not closed by a '---' line" not in found
    assert any(p.startswith("content/articles/first.md:2: 'section' is required") for p in found)
    assert any(p.startswith("content/articles/second.md:4: 'date' is not a real date")
               for p in found)
    assert "content/articles/second.md:6: unknown source 'x': this article has no sources " \
           "(list them under 'sources:' in the front matter)" in found


def test_image_needs_alt_text_and_must_exist(problems_of):
    found = problems_of("---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                        "![](../images/missing.png)\n")
    assert f"{P}:6: image '../images/missing.png' needs alt text: " \
           "![what the picture shows](...)" in found
    assert f"{P}:6: image '../images/missing.png' not found" in found


@pytest.mark.parametrize("src", ["https://example.org/x.png", "/etc/passwd",
                                 "file:///etc/passwd", "data:image/png;base64,AAAA"])
def test_image_must_be_a_project_file(problems_of, src):
    found = problems_of(f"---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n![a picture]({src})\n")
    assert found == [f"{P}:6: image '{src}' must be a file in the project's content folder, "
                     "given by a relative path"]


def test_image_outside_the_content_folder(problems_of, tmp_project):
    (tmp_project.root / "secret.png").write_bytes(b"x")
    found = problems_of("---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                        "![a picture](../../secret.png)\n")
    assert found == [f"{P}:6: image '../../secret.png' is outside the content folder"]


def test_decompression_bomb_is_a_clear_error(problems_of, tmp_project):
    from PIL import Image
    Image.new("1", (20_000, 20_000)).save(tmp_project.root / "content/images/bomb.png",
                                          optimize=True)
    assert (tmp_project.root / "content/images/bomb.png").stat().st_size < 200_000
    found = problems_of("---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                        "![a picture](../images/bomb.png)\n")
    assert found == [f"{P}:6: image '../images/bomb.png' has 400 megapixels; "
                     "at most 40 are printed"]


def test_link_to_an_unknown_article(tmp_project, problems_of):
    with tmp_project.root.joinpath("printjournal.toml").open("a") as toml:
        toml.write('[validation]\nunknown_links = "error"\n')
    found = problems_of("---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n\n"
                        "See [this](/journal/nowhere).\n")
    assert found == [f"{P}:7: link to unknown article '/journal/nowhere'"]


def test_two_articles_with_one_slug(tmp_project, problems_of):
    tmp_project.article("one", "---\ntitle: t\nsection: s\ndate: 2026-01-01\nslug: same\n---\nx\n")
    found = problems_of("---\ntitle: t\nsection: s\ndate: 2026-01-01\nslug: same\n---\nx\n")
    assert any("slug 'same' is also used by" in p for p in found)


def test_not_utf8(tmp_project):
    path = tmp_project.root / "content/articles/latin1.md"
    path.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    with pytest.raises(ContentError, match=r"latin1.md:2: not UTF-8 text"):
        content.load_article(path, tmp_project.project())


def test_article_outside_the_project_is_refused(tmp_project, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\nx\n")
    with pytest.raises(ContentError, match="is outside the project folder"):
        content.load_article(outside, tmp_project.project())


def test_link_to_an_article_with_its_own_slug(tmp_project):
    from printjournal.pipeline import load_checked_article
    tmp_project.article("file-name", "---\ntitle: t\nsection: s\ndate: 2026-01-01\n"
                                     "slug: \"custom-slug\"\n---\nx\n")
    path = tmp_project.article("linking", "---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                                          "See [it](/journal/custom-slug) or "
                                          "[not](/journal/file-name).\n")
    notices = Notices()
    load_checked_article(tmp_project.project(), path, notices)
    assert [str(p) for p in notices.found] == [
        "content/articles/linking.md:6: warning: link to unknown article '/journal/file-name':"
        " not in this project, printed with its web address"]
