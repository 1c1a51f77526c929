"""Any front matter and any Markdown end in a PDF or a clear content error, never a traceback."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from printjournal.errors import PrintjournalError
from printjournal.load import content
from printjournal.markup import body as markup
from printjournal.markup.typography import typeset
from printjournal.pipeline import Pipeline

from .conftest import TmpProject

printable = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
scalars = st.one_of(
    printable, st.integers(), st.booleans(), st.none(),
    st.sampled_from(RAW := ["no", "yes", "2026-13-45", "2026-02-03", "~", "null", "[a, b", "{x: 1}",
                     "'quoted'", '"dq"', "- item", "&anchor", "*alias", "!!python/object:os.system",
                     ":", "@x", "2026-01-01T10:00:00", "1e9", "0x1f", "é—ü", "\t"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(printable, inner, max_size=3)),
    max_leaves=6)
keys = st.sampled_from(["title", "section", "date", "dek", "slug", "lang", "url", "authors",
                        "reading_time", "sources", "review", "tags", "sample", "other"])


def yaml_value(value: object) -> str:
    import json
    # the YAML traps go in as typed; everything else as a JSON (= YAML flow) value
    return value if value in RAW else json.dumps(value, ensure_ascii=False)


good = {"title": st.just("T"), "section": st.just("S"), "date": st.just("2026-01-01")}
mapping = st.builds(lambda base, extra: {**base, **extra},
              st.fixed_dictionaries({k: st.one_of(v, v, v, values) for k, v in good.items()}),
              st.dictionaries(keys, values, max_size=3)).map(
        lambda d: "\n".join(f"{k}: {yaml_value(v)}" for k, v in d.items()))
front_matter = st.one_of(mapping, mapping, mapping, st.text(max_size=200))
markdown_bits = st.sampled_from([
    "Text", "[@a]", "[@a; @b]", "[@]", "[@a;]", "[@ a ]", "**bold**", "*em*", "\n\n## Heading\n\n",
    "\n# Title\n", "\n- item\n- item\n", "\n1. one\n2. two\n",
    "\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "\n!!! warning \"Careful\"\n    Body\n", "\nQ?\n:   A.\n", "![alt](../images/x.svg)",
    "![](nothing.png)", "[link](/journal/other)", "[x](https://example.org)", "[x](javascript:1)",
    "<script>x</script>", "<b>", "&amp;", "&#0;", "`code [@a]`", "\n```\n[@zz]\n```\n", "\\", "\t",
    "\u202e", "\U0001f600", "ß", "—", "\x0c", " " * 5, "\n", "<!-- c -->", "<img src=x>",
])
bodies = st.lists(st.one_of(markdown_bits, st.text(max_size=20)), max_size=25).map("".join)

VALID_HEAD = ('---\ntitle: "T"\nsection: "S"\ndate: 2026-01-01\nsources:\n'
              '  - id: a\n    text: "A"\n  - id: b\n    text: "B"\n---\n')


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory) -> TmpProject:
    project = TmpProject(tmp_path_factory.mktemp("fuzz") / "project")
    project.article("other", "---\ntitle: o\nsection: s\ndate: 2026-01-01\n---\nx\n")
    shutil.copy(Path(__file__).parent.parent / "content" / "images" / "fibre-chart.svg",
                project.root / "content" / "images" / "x.svg")
    return project


def attempt(project: TmpProject, text: str, render: bool) -> None:
    path = project.write("content/articles/fuzz.md", "")
    path.write_text(text, encoding="utf-8")
    loaded = project.project()
    try:
        article = content.load_article(path, loaded)
        html = markup.to_html(article, loaded)
        assert "<script" not in html.html
        if render:
            pipeline = Pipeline.load(loaded)
            pipeline.renderer.pdf(pipeline.article_html(article), article.path)
    except PrintjournalError as exc:
        for problem in exc.problems:
            assert str(problem.path) == "content/articles/fuzz.md"
            assert problem.message and problem.line > 0, str(problem)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(fm=front_matter, body=bodies)
def test_any_front_matter_gives_a_clear_error_or_an_article(fuzz_project, fm, body):
    attempt(fuzz_project, f"---\n{fm}\n---\n{body}", render=False)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=bodies)
def test_any_markdown_renders_or_gives_a_clear_error(fuzz_project, body):
    attempt(fuzz_project, VALID_HEAD + body, render=True)


# ---------- valid articles: each must give a PDF, never a refusal ----------

plain = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 ,.;:?'\"()&<>—"
                                     "–éüßøåçñ€%/+=")), min_size=1, max_size=40
                ).map(str.strip).filter(lambda t: t and t[0].isalnum())
days = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
reviews = st.builds(lambda reviewed, gap, version, owner: {
    "version": version, "reviewed": reviewed.isoformat(),
    "next_review": (reviewed + dt.timedelta(days=gap)).isoformat(), "owner": owner},
    st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)), st.integers(1, 3000),
    st.sampled_from(["1", "2.3", "10.0.1"]), plain)
optional = {"dek": plain, "authors": st.lists(plain, min_size=1, max_size=3),
            "tags": st.lists(plain, min_size=1, max_size=4),
            "lang": st.sampled_from(["en-GB", "de-DE"]),
            "reading_time": st.integers(1, 90), "review": reviews,
            "url": st.just("https://example.org/a/valid-page"), "sample": st.booleans()}
valid_front = st.builds(
    lambda title, section, day, extra: {"title": title, "section": section,
                                        "date": day.isoformat(), **extra},
    plain, plain, days, st.fixed_dictionaries({}, optional=optional))
CONSTRUCTS = [
    " [@a]", " [@a; @b]", " [@b]", " **bold words**", " *emphasis*", " `code`",
    "\n\n## A heading\n\n", "\n\n### A smaller heading\n\n", "\n\n- one\n- two\n\n",
    "\n\n1. first\n2. second\n\n", "\n\n| a | b |\n|---|---:|\n| 1 | 2 |\n\n",
    '\n\n!!! warning "Careful"\n    Seek help early.\n\n', "\n\nA question?\n:   An answer.\n\n",
    "\n\n![A bar chart of fibre](../images/x.svg)\n\n",
    '\n\n![A bar chart of fibre](../images/x.svg "Figure 1. A caption.")\n\n',
    " [another article](/journal/other)", " [a web page](https://example.org/page)",
    "\n\n```\n[@not-a-citation] # not a heading\n```\n\n", " <b>raw</b> &amp; <br>",
]
#: every construct an article may use, each once, in any order, between any plain words
valid_bodies = st.builds(lambda order, words: "".join(f"{w} {c}" for w, c in zip(
    words, order, strict=True)), st.permutations(CONSTRUCTS),
    st.lists(plain, min_size=len(CONSTRUCTS), max_size=len(CONSTRUCTS)))


def valid_article(front: dict, body: str) -> str:
    import json
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    lines.append('sources: [{id: a, text: "Source A", url: "https://example.org/a"}, '
                 '{id: b, text: "Source B", url: "https://example.org/b"}]')
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(front=valid_front, body=valid_bodies)
def test_a_valid_article_always_gives_a_pdf(fuzz_project, front, body):
    """A regression that refuses good articles fails here: no error is accepted."""
    path = fuzz_project.write("content/articles/fuzz.md", "")
    path.write_text(valid_article(front, body), encoding="utf-8")
    project = fuzz_project.project()
    article = content.load_article(path, project)
    title = typeset(front["title"], article.lang)     # curly quotes, dashes (test_markdown)
    assert article.title == title
    pipeline = Pipeline.load(project)
    rendered = pipeline.renderer.pdf(pipeline.article_html(article), article.path)
    reader = pypdf.PdfReader(io.BytesIO(rendered.data))
    assert rendered.pages == len(reader.pages) >= 1
    assert reader.metadata.title == title
    assert (reader.pages[0].extract_text() or "").strip()
