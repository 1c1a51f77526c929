"""The real article (content/articles/car-t-autoimmune.md) through every command.

It links to four journal pages that live on the website, not in the project:
each command warns about them, at their lines, and still builds; every PDF is
PDF/UA-1 (veraPDF).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from printjournal.checks.check import check
from printjournal.errors import Notices
from printjournal.load import config

from .conftest import REPO
from .pdfread import outline, pages, uri_links
from .test_accessibility import vera  # noqa: F401
from .test_cli import run

ARTICLE = "content/articles/car-t-autoimmune.md"
OFF_PROJECT = {29: ["car-t-therapy"], 78: ["autoimmune-disease", "lupus-sle"],
               82: ["regenerative-medicine"]}
WARNINGS = [f"{ARTICLE}:{line}: warning: link to unknown article '/journal/{slug}': not in "
            "this project, printed with its web address"
            for line, slugs in OFF_PROJECT.items() for slug in slugs]
ISSUE = """\
title: "Cureon Journal"
issue: "Seed 2026"
date: 2026-07-01
cover:
  image: images/winter-2026.svg
  alt: "An abstract winter night"
editorial: issues/winter-2026-editorial.md
articles: [car-t-autoimmune, walking-for-health]
"""


@dataclass(frozen=True)
class Made:
    stderr: str
    pdf: Path


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Made]:
    """The seed article as an article, a leaflet and an issue, by the CLI."""
    root = tmp_path_factory.mktemp("seed") / "project"
    root.mkdir()
    for name in ("content", "layouts", "fonts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "printjournal.toml", root)
    (root / "content/issues/seed.yaml").write_text(ISSUE, encoding="utf-8")
    commands = {"article": ["article", ARTICLE, "-o", "article.pdf"],
                "leaflet": ["leaflet", "car-t-autoimmune", "-o", "leaflet.pdf"],
                "issue": ["issue", "content/issues/seed.yaml", "-o", "issue.pdf", "-j", "1"]}
    found = {}
    for name, args in commands.items():
        result = run(*args, cwd=root)
        assert result.returncode == 0, result.stderr
        found[name] = Made(result.stderr, root / f"{name}.pdf")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("command", ["article", "leaflet", "issue"])
def test_each_command_warns_about_the_four_off_project_links(made, command):
    warnings = [line for line in made[command].stderr.splitlines() if "warning:" in line]
    assert [line for line in warnings if "link to unknown article" in line] == WARNINGS
    others = [line for line in warnings if "link to unknown article" not in line]
    if command == "leaflet":   # and its plain-language findings, one warning per kind
        assert len(others) == 2, others
        assert "sentences over 20 words" in others[0] and "reading grade" in others[1], others
    else:                      # and those check gives, for the articles it renders
        root = made[command].pdf.parent
        slugs = ["car-t-autoimmune"] + (["walking-for-health"] if command == "issue" else [])
        notices = Notices()
        check(config.load_project(root), [root / f"content/articles/{s}.md" for s in slugs],
              notices)
        assert others == [str(n) for n in notices.found if "link to unknown" not in n.message
                          and "clinical review was due" not in n.message]


@pytest.mark.slow
def test_the_seed_pdfs_pass_verapdf_ua1(vera, made):  # noqa: F811
    pdfs = [str(m.pdf) for m in made.values()]
    result = subprocess.run([vera, "ua1", *pdfs], capture_output=True, text=True, timeout=600)
    verdicts = re.findall(r"^(\S+) \[ua1\] compliant=(\w+)", result.stdout, re.MULTILINE)
    assert sorted(verdicts) == sorted((p, "true") for p in pdfs), result.stdout


@pytest.mark.slow
def test_the_article_prints_its_links_citations_table_and_questions(made):
    pdf = made["article"].pdf
    text = " ".join(p.body for p in pages(pdf))
    flat = " ".join(text.split())
    # each link prints as its words; the addresses are gathered under "Read next" at the
    # article's end (print.css --read-next), broken only after / (breaks.py): joined up
    assert "Read next" in flat
    read_next = "".join(flat.split("Read next", 1)[1].split())
    for slugs in OFF_PROJECT.values():
        for slug in slugs:
            assert f"cureon.example/journal/{slug}" in read_next, slug
    # the table: on the 138 mm measure its first column wraps after "(lupus,", and the
    # text reads across the row, so the cell's two lines are checked one by one
    assert "Severe autoimmune disease (lupus," in flat
    assert "myositis, systemic sclerosis)" in flat
    assert "Does Cureon offer CAR-T?" in flat                                # the questions
    assert "No. Cureon does not provide CAR-T therapy." in flat
    assert "“reset”" in flat and "patient’s own" in flat                     # curly quotes
    targets = {url for _, url in uri_links(pypdf.PdfReader(pdf))}
    assert "https://doi.org/10.1056/NEJMoa2308917" in targets
    assert {f"https://cureon.example/journal/{s}" for v in OFF_PROJECT.values() for s in v} \
        <= targets
    titles = [title for _, title, _ in outline(pypdf.PdfReader(pdf))]
    assert titles[:3] == ["CAR-T Beyond Cancer: the Autoimmune Frontier",
                          "The idea: from killing cancer to calming autoimmunity",
                          "What the early studies actually found"]
    assert "Why a “reset” might work where suppression doesn’t" in titles


@pytest.mark.slow
def test_the_issue_holds_the_article_and_its_bookmark(made):
    reader = pypdf.PdfReader(made["issue"].pdf)
    titles = [title for _, title, _ in outline(reader)]
    assert "CAR-T Beyond Cancer: the Autoimmune Frontier" in titles
    assert not any(re.search(r"\(p\.|\d$", t) for t in titles), titles
