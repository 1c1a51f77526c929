"""A hostile YAML file is one plain error for that file: nothing is expanded, nothing
nests deeper than printjournal reads, and every other file is checked and built.

No test here is timed. That a YAML bomb is refused before it is expanded is shown
structurally: under a recursion limit barely above the caller's depth (deep nesting
would need thousands of frames) and under tracemalloc (nine levels of "laughs" would
need gigabytes; the refusal must allocate under 2 MB).
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from printjournal.errors import ContentError
from printjournal.load.yamlsource import load_yaml

from .conftest import TmpProject


def laughs(levels: int) -> str:
    """The "billion laughs": each level an anchor naming the level below nine times."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


BOMBS = {
    "recursive alias": ("tags: &r [*r]\n", 1, "'&r' is a YAML anchor, which printjournal "
                        "does not accept (editors never need one, and a few can make a file "
                        "expand without limit)"),
    "nine levels of laughs": (laughs(9), 1, "'&a0' is a YAML anchor"),
    "an alias to nowhere": ("title: t\ntags: [*x]\n", 2, "'*x' is a YAML alias"),
    "10,000 nested lists": ("tags: " + "[" * 10_000 + "]" * 10_000 + "\n", 1,
                            "lists and groups are nested more than 6 deep here; printjournal "
                            "reads at most 6 levels"),
    "5,000 nested groups": ("tags: " + "{a: " * 5_000 + "\n", 1, "lists and groups are "
                             "nested more than 6 deep"),
    "nested list items": ("tags:\n" + "- " * 5_000 + "x\n", 2, "lists and groups are nested "
                          "more than 6 deep"),
    "seven indented levels": ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 8)), 7,
                              "lists and groups are nested more than 6 deep"),
    "a type tag": ("title: !!python/object:os.system x\n", 1,
                   "'tag:yaml.org,2002:python/object:os.system' is a YAML type tag"),
    "100,000 tags": ("tags: [" + ", ".join(f"t{i}" for i in range(100_000)) + "]\n", 1,
                     "the YAML is longer than 32,000 characters (it runs past this line); is "
                     "a closing '---' line missing?"),
}


@pytest.mark.parametrize("name", BOMBS)
def test_a_yaml_bomb_is_refused_before_it_is_expanded(name):
    text, line, message = BOMBS[name]
    depth = len(_frames())
    limit = sys.getrecursionlimit()
    tracemalloc.start()
    sys.setrecursionlimit(depth + 120)
    try:
        with pytest.raises(ContentError) as caught:
            load_yaml(text, Path("content/articles/bomb.md"), first_line=2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        sys.setrecursionlimit(limit)
        tracemalloc.stop()
    assert str(caught.value.problems[0]).startswith(
        f"content/articles/bomb.md:{line + 1}: {message}")
    assert len(caught.value.problems) == 1
    assert peak < 2_000_000 + 4 * len(text), peak


def _frames() -> list:
    import inspect
    return inspect.stack(0)


def test_six_levels_are_read():
    """The document itself is the first level: a: k1: k2: k3: k4: makes six."""
    text = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 5)) + "  " * 5 + "k5: x\n"
    doc = load_yaml(text, Path("deep.yaml"))
    assert doc.data["a"]["k1"]["k2"]["k3"]["k4"] == {"k5": "x"}


POISONS = {
    "laughs": "---\n" + laughs(9) + "title: t\nsection: s\ndate: 2026-01-01\n---\nx\n",
    "recursive": "---\ntitle: t\nsection: s\ndate: 2026-01-01\ntags: &r [*r]\n---\nx\n",
    "deep": "---\ntitle: t\nsection: s\ndate: 2026-01-01\ntags: " + "[" * 10_000 + "\n---\nx\n",
    "tagflood": "---\ntitle: t\nsection: s\ndate: 2026-01-01\ntags: ["
                + ", ".join(f"t{i}" for i in range(100_000)) + "]\n---\nx\n",
    # a real input that once raised OSError from deep inside pathlib: the safety net
    # (or a proper check, if the image stage learns one) must report it for this file
    "longname": "---\ntitle: t\nsection: s\ndate: 2026-01-01\n---\n"
                f"![a picture](../images/{'a' * 300}.png)\n",
}
EXPECTED = {
    "laughs": "content/articles/laughs.md:2: '&a0' is a YAML anchor",
    "recursive": "content/articles/recursive.md:5: '&r' is a YAML anchor",
    "deep": "content/articles/deep.md:5: lists and groups are nested more than 6 deep",
    "tagflood": "content/articles/tagflood.md:5: the YAML is longer than 32,000 characters",
    "longname": "content/articles/longname.md:",
    "manifest": "content/issues/bomb.yaml:1: '&t' is a YAML anchor",
}


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory) -> Path:
    """A project with one good article, five poisoned ones and a poisoned manifest."""
    project = TmpProject(tmp_path_factory.mktemp("poisoned") / "project")
    project.article()
    for name, text in POISONS.items():
        project.article(name, text)
    project.write("content/issues/bomb.yaml", "title: &t [*t]\n")
    return project.root


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "printjournal", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def _reported(stderr: str) -> None:
    assert "Traceback" not in stderr
    for expected in EXPECTED.values():
        assert [line for line in stderr.splitlines() if line.startswith(expected)], expected
    assert "small.md" not in stderr


def test_check_reports_each_poisoned_file_and_only_those(poisoned):
    result = run("check", cwd=poisoned)
    assert result.returncode == 1
    _reported(result.stderr)


def test_build_builds_the_rest(poisoned):
    result = run("build", "--jobs", "1", cwd=poisoned)
    assert result.returncode == 1
    _reported(result.stderr)
    import pypdf
    reader = pypdf.PdfReader(poisoned / "dist" / "articles" / "small.pdf")
    assert "Some text that cites a source" in reader.pages[0].extract_text()
    assert sorted(p.name for p in (poisoned / "dist" / "articles").iterdir()) == ["small.pdf"]


@pytest.mark.parametrize("name", ["laughs", "longname"])
def test_rendering_one_poisoned_article_is_its_error(poisoned, name, tmp_path):
    result = run("article", f"content/articles/{name}.md", "-o", str(tmp_path / "x.pdf"),
                 cwd=poisoned)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(EXPECTED[name]), result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_the_desk_stays_up_with_poisoned_articles(poisoned, tmp_path):
    from printjournal.desk import web
    from printjournal.load import config

    from .test_web import ACCESS, TODAY, InlinePool

    project = config.load_project(poisoned)
    app = web.create_app(project, web.DeskSettings(dist=tmp_path), pool=InlinePool(project),
                         today=lambda: TODAY, access=ACCESS)
    client = app.test_client()
    library = client.get("/")
    assert library.status_code == 200
    assert "A small article" in library.get_data(as_text=True)
    assert client.get("/articles/small").status_code == 200
    for name in POISONS:
        assert client.get(f"/articles/{name}").status_code == 404
