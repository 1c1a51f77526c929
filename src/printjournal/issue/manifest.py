"""An issue manifest (content/issues/*.yaml) in, a validated :class:`Manifest` out.

A manifest names everything a quarterly issue is made of::

    title: "Cureon Journal"
    issue: "Winter 2026"
    number: 12
    date: 2026-12-01
    cover:
      image: images/winter-2026.svg      # relative to content/
      alt: "..."
      lines: ["...", "..."]              # optional
    editorial: issues/winter-2026-editorial.md
    articles: [slug-one, slug-two]       # in order
    back_cover: issues/winter-2026-back.md   # optional

Its keys are declared once (:data:`printjournal.load.yamlkeys.MANIFEST`, the letter's and
back cover's front matter :data:`~printjournal.load.yamlkeys.NOTE`). Every problem is
reported together, each naming the manifest (or the file it points at) and the line: an
unknown key, a missing or unreadable file or image, an unknown slug, an article listed
twice, a bad date, an article whose clinical review runs out before the issue appears, a
link to an article the project does not have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..checks import translations
from ..errors import ContentError, Notices, PrintjournalError, Problem, relative
from ..load import content
from ..load.content import Fields
from ..load.schema import read_group
from ..load.yamlkeys import MANIFEST, NOTE
from ..load.yamlsource import load_yaml
from ..markup import links
from ..model import Article, Project

MANIFEST_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Cover:
    """The front cover: a full-bleed image, its description, and the cover lines."""

    image: Path                 # absolute, inside content/
    alt: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    """One issue as its manifest describes it, with every file it names loaded."""

    path: Path                  # relative to the project folder
    title: str
    issue: str
    date: dt.date
    lang: str
    cover: Cover
    editorial: Article          # the editor's letter (title, author, Markdown body)
    articles: tuple[Article, ...]
    files: tuple[Path, ...]     # every file it is made from (:func:`issue_inputs`)
    back_cover: Article | None = None
    number: int | None = None

    @property
    def name(self) -> str:
        """'Cureon Journal · Winter 2026': the running header of left pages."""
        return f"{self.title} · {self.issue}"

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(a.slug for a in self.articles)


def issue_inputs(project: Project, path: Path, data: Any,
                 articles: Sequence[Article]) -> list[Path]:
    """Every file the issue of the manifest at ``path`` is made from: the manifest, each
    file inside content/ that a text value of its YAML (``data``) names and the images
    of those that are Markdown (editorial, back_cover, cover.image, ...), and the files
    of each of its ``articles``. Their order does not matter (cache.key sorts)."""
    from ..cache import article_inputs

    inputs = [path, *_content_files(project, list(_strings(data)))]
    for article in articles:
        inputs += article_inputs(article, project)
    return inputs


def manifest_paths(project: Project) -> list[Path]:
    folder = project.content_dir / "issues"
    return sorted(p for p in folder.glob("*") if p.suffix in MANIFEST_SUFFIXES and p.is_file())


def load_manifest(path: Path, project: Project, notices: Notices | None = None) -> Manifest:
    """Read and check the manifest at ``path``; raise every problem together."""
    manifest, problems = read_manifest(path, project, notices)
    if problems or manifest is None:
        raise ContentError(sorted(set(problems)))
    return manifest


def check_manifests(project: Project, paths: Sequence[Path] | None = None,
                    notices: Notices | None = None,
                    articles: Sequence[Article] | None = None) -> list[Problem]:
    """Problems of every manifest in content/issues (or of those among ``paths``);
    ``articles``: the project's, as loaded (loaded here when None)."""
    wanted = None if paths is None else {p.resolve() for p in paths}
    problems: list[Problem] = []
    for path in manifest_paths(project):
        if wanted is None or path.resolve() in wanted:
            try:
                problems += read_manifest(path, project, notices, articles)[1]
            except Exception as exc:  # one manifest never stops the others
                problems.append(content.internal_problem(relative(path, project.root), exc))
    return problems


def read_manifest(path: Path, project: Project, notices: Notices | None = None,
                  articles: Sequence[Article] | None = None
                  ) -> tuple[Manifest | None, list[Problem]]:
    """The manifest at ``path`` and its problems (None when it has any), as both
    ``printjournal issue`` and ``printjournal build`` read it: the same problems, word for
    word, and the same :attr:`Manifest.files` (so the same cache key). ``articles``: the
    project's articles as :func:`content.load_articles` gave them (loaded when None).
    Warnings (links that lead nowhere) go to ``notices``. Raises nothing for bad content:
    an unreadable file or bad YAML is one of the problems."""
    shown = relative(path, project.root)
    try:
        doc = load_yaml(content.read_text(path, project.root), shown)
    except PrintjournalError as exc:
        return None, list(exc.problems)
    if not isinstance(doc.data, dict):
        return None, [Problem(shown, 1, "a manifest must be a set of 'key: value' lines")]
    f = Fields(doc)
    values = read_group(f, MANIFEST, defaults={"lang": project.journal.lang})
    cover = _cover(f, values["cover"], project)
    editorial = _note(f, "editorial", values["editorial"], project)
    back_cover = _note(f, "back_cover", values["back_cover"], project)
    date = values["date"]
    every = content.load_articles(project)[0] if articles is None else articles
    chosen = _articles(f, values["articles"], project, date, every)
    texts = [a for a in (editorial, back_cover) if a is not None]
    slugs = {a.slug for a in (*texts, *chosen, *every)}
    f.problems += links.check_links([*texts, *chosen], project, slugs, notices)
    if f.problems or cover is None or editorial is None or date is None:
        return None, f.problems
    files = issue_inputs(project, path, doc.data, chosen)
    made = {**values, "cover": cover, "editorial": editorial, "articles": tuple(chosen),
            "back_cover": back_cover, "files": tuple(files)}
    del made["sample"]
    return Manifest(path=shown, **made), f.problems


def _cover(f: Fields, values: dict[str, Any] | None, project: Project) -> Cover | None:
    """The cover (read by :data:`yamlkeys.COVER`) whose image is there and safe."""
    if values is None or not values["image"]:
        return None
    message = content.image_problem(project.content_dir, values["image"], project)
    if message:
        f.problem(("cover", "image"), f"cover {message}")
        return None
    return Cover(image=(project.content_dir / values["image"]).resolve(), alt=values["alt"],
                 lines=tuple(line for line in values["lines"] if line))


def _content_file(f: Fields, key: str, name: str, project: Project) -> Path | None:
    """The file ``name`` given at ``key`` (relative to content/), if it is there and safe."""
    if not name:
        return None
    folder = project.content_dir.resolve()
    try:
        target = (folder / name).resolve()
        found = target.is_file()
    except OSError as exc:       # a name too long for the file system, a loop of links
        f.problem((key,), f"'{key}' cannot be read: {exc.strerror or exc}: {name[:60]}…")
        return None
    if name.startswith("/") or not target.is_relative_to(folder):
        f.problem((key,), f"'{key}' must be a file inside the content folder, not {name!r}")
        return None
    if not found:
        f.problem((key,), f"'{key}' file not found: content/{name}")
        return None
    if target.suffix.lower() != ".md":
        f.problem((key,), f"'{key}' must be a Markdown file (.md): {name}")
        return None
    return target


def _note(f: Fields, key: str, name: str, project: Project) -> Article | None:
    """The editor's letter or the back cover: Markdown with title (and author) first.

    Its own problems are collected (it is still returned, so that its links get
    checked too); only an unreadable file gives None.
    """
    path = _content_file(f, key, name, project)
    if path is None:
        return None
    try:
        note, problems = parse_note(path, project, key.replace("_", "-"))
    except PrintjournalError as exc:
        f.problems.extend(exc.problems)
        return None
    f.problems.extend(problems)
    return note


def parse_note(path: Path, project: Project, slug: str) -> tuple[Article, list[Problem]]:
    """A Markdown text of the issue (not an article) as an :class:`Article`, and its
    problems; raises only when the file cannot be read or its front matter parsed."""
    shown = relative(path, project.root)
    text = content.read_text(path, project.root)
    fm = content.split_front_matter(shown, text)
    nf = Fields(fm.doc)
    values = read_group(nf, NOTE, defaults={"lang": project.journal.lang})
    note = Article(path=shown, slug=slug, title=values["title"], section="",
                   date=dt.date(1970, 1, 1), lang=values["lang"], url=project.journal.base_url,
                   body=fm.body, body_line=fm.body_line,
                   authors=(values["author"],) if values["author"] else ())
    nf.problems.extend(content.check_body(note, project))
    return note, nf.problems


def _articles(f: Fields, slugs: Sequence[str], project: Project, date: dt.date | None,
              all_articles: Sequence[Article]) -> list[Article]:
    """The issue's articles (``slugs``, read by :data:`yamlkeys.MANIFEST`: one that is not
    text is "") in order, from ``all_articles`` (every article of the project)."""
    by_slug = {a.slug: a for a in all_articles}
    paths = {p.stem: p for p in content.article_paths(project)}
    chosen: list[Article] = []
    seen: dict[str, int] = {}
    for i, slug in enumerate(slugs):
        if not slug:
            continue
        line = f.doc.line("articles", i)
        if slug in seen:
            f.problem(("articles", i), f"article '{slug}' is listed twice "
                      f"(first on line {seen[slug]})")
            continue
        seen[slug] = line
        article = by_slug.get(slug)
        if article is None:
            if slug in paths:  # the file is there but has problems: show them
                try:
                    content.load_article(paths[slug], project)
                except PrintjournalError as exc:
                    f.problem(("articles", i), f"article '{slug}' has problems "
                              f"({len(exc.problems)}, listed below)")
                    f.problems.extend(exc.problems)
                    continue
            f.problem(("articles", i), f"unknown article '{slug}': no content/articles/"
                      f"{slug}.md (or front matter slug) in the project")
            continue
        if date is not None and article.review is not None \
                and article.review.next_review < date:
            f.problem(("articles", i), f"article '{slug}' is due for clinical review on "
                      f"{article.review.next_review.isoformat()}, before this issue's date "
                      f"{date.isoformat()}: review it first")
        if stale := translations.stale_note(article, all_articles):   # checks/translations.py
            f.problem(("articles", i), f"article '{slug}' is a stale translation ({stale}): "
                      "update it first")
        chosen.append(article)
    return chosen


def _strings(data: Any) -> Iterator[str]:
    """Every text value in parsed YAML: any of them may name a file (editorial,
    back_cover, cover.image, whatever issue 3's manifests name)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _content_files(project: Project, names: Sequence[str], base: Path | None = None
                   ) -> list[Path]:
    """Those of ``names`` (relative to ``base``, default content/) that are files inside
    content/, and the images named in those that are Markdown."""
    folder = project.content_dir.resolve()
    found = []
    for name in names:
        try:
            path = ((base or folder) / name).resolve()
            is_file = path.is_relative_to(folder) and path.is_file()
        except (OSError, ValueError):     # text that cannot be a file name
            continue
        if name.strip() and is_file:
            found.append(path)
            if path.suffix == ".md":
                text = path.read_text(encoding="utf-8", errors="replace")
                found += _content_files(project, [m[2] for m in content.IMAGE.finditer(text)],
                                        path.parent)
    return found
