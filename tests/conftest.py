"""Fixtures: the sample project rendered once, and small projects made per test."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import socket
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from printjournal.checks.check import check as check_project
from printjournal.errors import Problem
from printjournal.load import config, content
from printjournal.model import Article, Project
from printjournal.pipeline import Pipeline

from . import makers

if TYPE_CHECKING:
    from printjournal.leaflet.build import Leaflet, LeafletRequest

REPO = Path(__file__).resolve().parent.parent


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the content file named by each WeasyPrint render (``Renderer.pdf``),
    in the list returned: what a test of the render cache counts."""
    from printjournal.render.weasy import Renderer

    renders: list[str] = []
    real = Renderer.pdf

    def counted(self, html, name, **options):
        renders.append(str(name))
        return real(self, html, name, **options)

    monkeypatch.setattr(Renderer, "pdf", counted)
    return renders


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in printjournal may reach the network: any connection fails the test."""
    def refuse(self, address, *args, **kwargs):
        if isinstance(address, str) or (isinstance(address, tuple) and
                                        str(address[0]).startswith(("127.", "::1", "localhost"))):
            return original(self, address, *args, **kwargs)
        raise AssertionError(f"network access attempted: {address}")
    original = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="session")
def sample_project() -> Project:
    return config.load_project(REPO)


@pytest.fixture(scope="session")
def fresh_sample_project(tmp_path_factory) -> Project:
    """A copy of the sample project with an empty render cache of its own (the desk's
    tests: a warm cache in the repository must never answer for the code under test)."""
    root = tmp_path_factory.mktemp("sample") / "project"
    for name in ("content", "layouts", "fonts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "printjournal.toml", root)
    return config.load_project(root)


@pytest.fixture(scope="session")
def sample_pipeline(sample_project: Project) -> Pipeline:
    return Pipeline.load(sample_project)


@dataclass(frozen=True)
class Sample:
    article: Article
    pdf: Path
    html: str


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               make: Callable[[Path], None], wait: bool = True) -> Path | None:
    """A folder filled by ``make(folder)`` once per test run, shared by every pytest-xdist
    worker (the sample PDFs and issues take a minute to render: ``./run.sh test`` runs the
    suite in one process per core, and each would otherwise render them again). The first
    worker to ask renders under a file lock; the others wait and read what it wrote, or,
    with ``wait=False``, get None at once while another worker is making it (to make
    something else meanwhile and come back for it)."""
    from filelock import FileLock, Timeout

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder all workers of this run share
    folder = base / f"once-{name}"
    lock = FileLock(str(folder) + ".lock")
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        return None
    try:
        done = folder / ".done"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    finally:
        lock.release()
    return folder


def shared(tmp_path_factory: pytest.TempPathFactory, name: str,
           make: Callable[[Path], None]) -> Path:
    """:func:`built_once` that waits: the folder, made by this worker or another."""
    folder = built_once(tmp_path_factory, name, make)
    assert folder is not None
    return folder


@pytest.fixture(scope="session")
def samples(sample_pipeline: Pipeline, tmp_path_factory) -> dict[str, Sample]:
    """Every sample article rendered once for the whole run, each also kept in the render
    cache :func:`samples_cache` under the key the website build gives its PDF."""
    project = sample_pipeline.project
    articles = [content.load_article(path, project) for path in content.article_paths(project)]
    htmls = {article.slug: sample_pipeline.article_html(article) for article in articles}
    store = shared_cache(tmp_path_factory, "samples-cache")

    def render(article: Article) -> Callable[[Path], None]:
        return lambda folder: makers.sample_article(folder, sample_pipeline, store, article,
                                                    htmls[article.slug])

    # one folder per article: two workers that ask at once render different articles
    # (each takes those no one is rendering, then waits for the rest), not one each
    out = {a.slug: built_once(tmp_path_factory, f"article-{a.slug}", render(a), wait=False)
           for a in articles}
    for article in articles:
        out[article.slug] = out[article.slug] or shared(
            tmp_path_factory, f"article-{article.slug}", render(article))
    rendered = {article.slug: Sample(article, out[article.slug] / f"{article.slug}.pdf",
                                     htmls[article.slug])
                for article in articles}
    assert len(rendered) >= 8
    return rendered


def shared_cache(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A render cache folder, empty at first, for every worker of the run (cache.py
    writes each entry whole: workers writing at once leave no mixed one)."""
    return shared(tmp_path_factory, name, lambda folder: (folder / "cache").mkdir()) / "cache"


@pytest.fixture(scope="session")
def samples_cache(samples, tmp_path_factory) -> Path:
    """:func:`samples`' render cache: a website build of a copy of the sample project
    finds each sample article's PDF there under its key (copy it, never write it)."""
    return shared_cache(tmp_path_factory, "samples-cache")


CORPUS = REPO / "tests" / "corpus"
CORPUS_CASES = sorted(p.stem for p in CORPUS.glob("*.md"))
CORPUS_REFUSED = sorted(p.stem for p in (CORPUS / "refused").glob("*.md"))


@dataclass(frozen=True)
class CorpusOutcome:
    """What became of one case of tests/corpus: its PDF (or None) and every problem
    reported, by ``check`` and by rendering."""

    pdf: Path | None
    checked: tuple[Problem, ...]
    rendered: tuple[Problem, ...]


@pytest.fixture(scope="session")
def corpus_outcomes(tmp_path_factory) -> dict[str, CorpusOutcome]:
    """Every case of tests/corpus (``refused/`` too) in one project (the sample
    printjournal.toml, layouts/, fonts/), checked, then rendered as ``printjournal article``
    does with one pipeline: once per run for every module and worker (test_corpus.py,
    test_fonts.py's script cases). The PDFs are read, never written."""
    folder = shared(tmp_path_factory, "corpus", lambda f: makers.corpus(
        f, REPO, CORPUS, CORPUS_CASES, CORPUS_REFUSED))
    outcomes = pickle.loads((folder / "outcomes.pickle").read_bytes())
    return {name: CorpusOutcome(folder / pdf if pdf else None, checked, rendered)
            for name, (pdf, checked, rendered) in outcomes.items()}


ARTICLE = """\
---
title: "A small article"
section: "Testing"
date: 2026-03-01
dek: "A standfirst."
sources:
  - id: one
    text: "Source one"
    url: "https://example.org/one"
---
Some text that cites a source [@one].
"""


class TmpProject:
    """A throwaway project folder with the real layouts and fonts."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(REPO / "layouts", root / "layouts")
        # the script fonts (Noto*, 23 MB: 200 projects a run) are linked, not copied; no
        # test may write to them
        shutil.copytree(REPO / "fonts", root / "fonts", ignore=shutil.ignore_patterns("Noto*"))
        for font in (REPO / "fonts").glob("Noto*"):
            (root / "fonts" / font.name).symlink_to(font)
        (root / "content" / "articles").mkdir(parents=True)
        (root / "content" / "images").mkdir()
        self.write("printjournal.toml", """\
            [journal]
            name = "Test Journal"
            publisher = "Test Clinic"
            base_url = "https://test.example"
            """)

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def article(self, slug: str = "small", text: str = ARTICLE) -> Path:
        return self.write(f"content/articles/{slug}.md", text)

    def project(self) -> Project:
        return config.load_project(self.root)


@pytest.fixture
def tmp_project(tmp_path: Path) -> TmpProject:
    return TmpProject(tmp_path / "project")


@pytest.fixture
def problems_of(tmp_project: TmpProject) -> Callable[[str], list[str]]:
    """Write an article and return the problems ``check`` finds, as printed."""
    def problems(text: str, slug: str = "bad") -> list[str]:
        tmp_project.article(slug, textwrap.dedent(text))
        return [str(p) for p in check_project(tmp_project.project())]
    return problems


@dataclass(frozen=True)
class SampleIssue:
    """The sample issue (content/issues/winter-2026.yaml) as built once per session."""

    manifest_path: Path
    pdf: Path
    edition: str


def _build_sample_issue(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory,
                        edition: str) -> SampleIssue:
    manifest_path = REPO / "content" / "issues" / "winter-2026.yaml"
    name = f"winter-2026-{edition}.pdf"
    folder = shared(tmp_path_factory, f"issue-{edition}", lambda f: makers.issue(
        f, pipeline, manifest_path, name, edition))
    return SampleIssue(manifest_path, folder / name, edition)


@pytest.fixture(scope="session")
def sample_issue(sample_pipeline: Pipeline, tmp_path_factory) -> SampleIssue:
    """The digital edition of the sample issue, built once for the whole run."""
    return _build_sample_issue(sample_pipeline, tmp_path_factory, "digital")


@pytest.fixture(scope="session")
def sample_print_issue(sample_pipeline: Pipeline, tmp_path_factory) -> SampleIssue:
    """The print edition of the sample issue, built once for the whole run."""
    return _build_sample_issue(sample_pipeline, tmp_path_factory, "print")


#: test_leaflet.py's sample leaflets as other modules read them (its booklet is left out:
#: no other module reads it): name -> (slugs, LeafletRequest options, (name, note) or None).
#: The date printed is test_leaflet.py's: walking-for-health past its review date.
LEAFLET_DAY = dt.date(2026, 11, 21)
LEAFLET_PERSONAL = ("Zebedee Quartermaine",
                    "Walk for twenty minutes every day; see Dr Okafor in two weeks.")
SAMPLE_LEAFLETS: dict[str, tuple[tuple[str, ...], dict[str, object], tuple[str, str] | None]] = {
    "two": (("sleep-and-immunity", "walking-for-health"), {"allow_overdue": True},
            LEAFLET_PERSONAL),
    "large": (("winter-skin-eczema",), {"style": "large-print", "clinic": "riverside"},
              LEAFLET_PERSONAL),
    "a5": (("winter-skin-eczema",), {"paper": "A5"}, None),
    "letter": (("sleep-and-immunity",), {"paper": "Letter"}, None),
}


@dataclass(frozen=True)
class SampleLeaflet:
    """One of :data:`SAMPLE_LEAFLETS` as rendered once per run (read it, never write it)."""

    request: LeafletRequest
    pdf: Path
    result: Leaflet     # what ``leaflet()`` returned, its ``data`` left out (read ``pdf``)
    cache: Path         # the render cache it was made with, its own: what the cache kept


@pytest.fixture(scope="session")
def sample_leaflet(sample_pipeline: Pipeline,
                   tmp_path_factory) -> Callable[[str], SampleLeaflet]:
    """``sample_leaflet(name)``: the sample leaflet ``name`` of :data:`SAMPLE_LEAFLETS`,
    rendered on first use into an empty render cache of its own and shared by every
    module and worker of the run through ``built_once``; a module that needs one leaflet
    renders only that one."""
    from printjournal.leaflet import build as leaflet

    def one(name: str) -> SampleLeaflet:
        slugs, options, personal = SAMPLE_LEAFLETS[name]
        request = leaflet.LeafletRequest(slugs, **options)  # type: ignore[arg-type]
        who = leaflet.Personal(*personal) if personal else None
        folder = shared(tmp_path_factory, f"leaflet-{name}", lambda f: makers.sample_leaflet(
            f, sample_pipeline, request, LEAFLET_DAY, who, name))
        return SampleLeaflet(request, folder / f"{name}.pdf",
                             pickle.loads((folder / "result.pickle").read_bytes()),
                             folder / "cache")
    return one


@pytest.fixture(scope="session")
def one_article_leaflet(sample_pipeline: Pipeline, tmp_path_factory
                        ) -> Callable[[str, str, str], makers.OneArticleLeaflet]:
    """``one_article_leaflet(slug, style, paper)``: the sample article ``slug`` alone as a
    leaflet (makers.one_article_leaflet) printed on :data:`LEAFLET_DAY`, rendered on first
    use and shared by every module and worker of the run through ``built_once``; the
    articles loaded once a worker (the desk's ``loaded``), the parts in one render cache."""
    from printjournal import cache

    store = cache.RenderCache(shared_cache(tmp_path_factory, "one-article-leaflets-cache"))
    loaded: list = []

    def one(slug: str, style: str, paper: str) -> makers.OneArticleLeaflet:
        def make(folder: Path) -> None:
            loaded[:] = loaded or [content.load_articles(sample_pipeline.project)]
            makers.one_article_leaflet(folder, sample_pipeline, store, loaded[0], slug,
                                       style, paper, LEAFLET_DAY)

        return makers.OneArticleLeaflet.read(
            shared(tmp_path_factory, f"one-article-leaflet-{slug}-{style}-{paper}", make))
    return one


ALLOW_SKIP = "PRINTJOURNAL_ALLOW_SKIP"


def required_tool(name: str, why: str) -> NoReturn:
    """A tool that proves the output right (veraPDF, Chromium) cannot run: the test fails.

    Skipped only when asked for by name (PRINTJOURNAL_ALLOW_SKIP=verapdf,chromium) on a
    machine without the tool, and never in CI: a check that proves accessibility is never
    skipped silently."""
    allowed = os.environ.get(ALLOW_SKIP, "").replace(",", " ").split()
    if name in allowed and not os.environ.get("CI"):
        pytest.skip(f"{name} skipped on purpose ({ALLOW_SKIP}={name}): {why}")
    pytest.fail(f"{name} is required: {why}. To skip its tests on purpose, set "
                f"{ALLOW_SKIP}={name}", pytrace=False)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright (never a browser of its own)."""
    if not CHROMIUM.exists():
        required_tool("chromium", "it is not installed (./run.sh test installs it)")
    try:
        from playwright import sync_api
    except ImportError:
        required_tool("chromium", "playwright is not installed (./run.sh test installs it)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: $PRINTJOURNAL_SCREENSHOTS if set (to look at them)."""
    folder = Path(os.environ.get("PRINTJOURNAL_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
