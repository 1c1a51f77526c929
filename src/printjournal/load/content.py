"""Content files in, validated :class:`~printjournal.model.Article` values out.

An article is ``content/articles/<slug>.md``: YAML front matter between ``---`` lines,
then Markdown. Everything that can be checked without rendering is checked here, so
``printjournal check`` and every build see the same problems: front matter keys and
types (each key declared once in :mod:`printjournal.load.yamlkeys`), dates, sources and the
citations that name them, images (present, inside the project, not a decompression bomb)
and the nesting of lists and quotes (links to other articles: markup/links.py).
Every problem names its file and line.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..checks import governance
from ..errors import ContentError, PrintjournalError, Problem, relative
from ..markup.structure import lines, structure_problems
from ..markup.typography import typeset
from ..model import Article, Project, Source
from ..render import fonts
from .fields import Fields
from .schema import read_group
from .yamlkeys import FRONT_MATTER, SOURCE_ID
from .yamlsource import YamlDoc, load_yaml

WORDS_PER_MINUTE = 200
MAX_IMAGE_PIXELS = 40_000_000          # 40 megapixels: far beyond print need
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
CITATION = re.compile(r"\[(@[^\]]*)\]")
CITATION_ID = re.compile(rf"^\s*@({SOURCE_ID})\s*$")
CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")   # as Python-Markdown finds them
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^\s)>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
INVISIBLE = {"\x00": "contains a NUL character",
             "\ufeff": "an invisible byte-order mark (U+FEFF) inside the text, often pasted "
                       "with text from another file: delete it"}
# A line that cannot belong to front matter: not indented, not a comment, a list item
# or a 'key:' line. The first one shows where a missing closing '---' belongs.
UNCLOSED, ABOVE = "front matter is not closed by a '---' line", ": put one above this line"
NOT_FRONT_MATTER = re.compile(r"^(?![ \t#]|-(?:\s|$)|[^\s:]+\s*:(?:\s|$)|[\"'].*:)\S")


@dataclass(frozen=True)
class FrontMatter:
    """A content file split into its parsed front matter and its Markdown body."""

    doc: YamlDoc
    body: str
    body_line: int


def read_text(path: Path, root: Path) -> str:
    """The UTF-8 text of a content file that lies inside ``root``."""
    shown = relative(path, root)
    if not path.resolve().is_relative_to(root.resolve()):
        raise ContentError.at(shown, 0, "is outside the project folder")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError.at(shown, 0, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError.at(shown, line, f"not UTF-8 text (a byte 0x{raw[exc.start]:02X} "
                              "on this line): save the file as UTF-8") from None
    for char, message in INVISIBLE.items():
        if char in text:
            raise ContentError.at(shown, text[: text.index(char)].count("\n") + 1, message)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(path: Path, text: str) -> FrontMatter:
    """Split ``---`` front matter from the body and parse it."""
    if not text.startswith("---\n"):
        raise ContentError.at(path, 1, "must start with a '---' line and YAML front matter")
    end = re.search(r"^---[ \t]*$", text[4:], re.MULTILINE)
    lines = text.split("\n")
    if end is None:
        line = next((n for n, t in enumerate(lines[1:], start=2) if NOT_FRONT_MATTER.match(t)),
                    1)
        raise ContentError.at(path, line, UNCLOSED + ("" if line == 1 else ABOVE))
    yaml_text = text[4: 4 + end.start()]
    body = text[4 + end.end():].removeprefix("\n")
    body_line = 2 + yaml_text.count("\n") + 1
    try:
        doc = load_yaml(yaml_text, path, first_line=2)
    except ContentError as exc:
        # A '---' further down (a rule in the body) closed it: body text after a blank
        # line, at or before the YAML mistake, is where the real closing line belongs.
        upto = exc.problems[0].line
        line = next((n for n in range(3, upto + 1) if not lines[n - 2].strip()
                     and NOT_FRONT_MATTER.match(lines[n - 1])), None)
        if line is None:
            raise
        raise ContentError.at(path, line, UNCLOSED + ABOVE) from None
    if not isinstance(doc.data, dict):
        raise ContentError.at(path, 2, "front matter must be a set of 'key: value' lines")
    return FrontMatter(doc, body, body_line)


def parse_article(path: Path, text: str, project: Project) -> Article:
    """Validate one article's text (its front matter by :data:`yamlkeys.FRONT_MATTER`);
    raise every problem in it together."""
    fm = split_front_matter(path, text)
    f = Fields(fm.doc)
    minutes = max(1, math.ceil(len(fm.body.split()) / WORDS_PER_MINUTE))
    values = read_group(f, FRONT_MATTER, defaults={
        "slug": path.stem, "lang": project.journal.lang, "reading_time": minutes,
        "url": lambda values: project.article_url(values["slug"])})
    lang = values["lang"]
    article = Article(path=path, body=fm.body, body_line=fm.body_line, **{
        **values, **{key: typeset(values[key], lang) for key in ("title", "short_title",
                                                                  "dek")},
        "sample": values["sample"] is True})
    governance.problems(f, article, project.editorial.require)
    f.problems.extend(check_body(article, project, cite="sources" not in f.misspelt))
    if project.source_order == "citation":
        article = replace(article, sources=in_citation_order(article))
    f.problems.extend(fonts.check_article(fm.doc, fm.body, fm.body_line,
                                          fonts.coverage(project.fonts_dir)))
    if f.problems:
        raise ContentError(sorted(set(f.problems)))
    return article


def in_citation_order(article: Article) -> tuple[Source, ...]:
    """The article's sources numbered in order of first citation (Vancouver), those never
    cited after them in the order listed; ``[@b; @a]`` cites b first."""
    order: list[str] = []
    for _, line in body_lines(article):
        for match in CITATION.finditer(line):
            order += [cited[1] for part in match[1].split(";")
                      if (cited := CITATION_ID.match(part)) and cited[1] not in order]
    rank = {source_id: n for n, source_id in enumerate(order)}
    ranked = sorted(article.sources, key=lambda s: (rank.get(s.id, len(rank)), s.number))
    return tuple(replace(s, number=n) for n, s in enumerate(ranked, start=1))


def body_lines(article: Article) -> Iterable[tuple[int, str]]:
    """The body's lines with their line numbers in the file, as checks should read them:
    code (fenced, indented, or `in a line`) left out, since it prints as typed."""
    for line in lines(article.body):
        if not line.code:
            yield article.body_line + line.index, CODE_SPAN.sub("", line.text)


def check_body(article: Article, project: Project, cite: bool = True) -> list[Problem]:
    """Citations name known sources (unless not ``cite``: the sources were given under
    a misspelt key, already reported); images are present, safe and described; lists
    and quotes are not nested too deep."""
    problems: list[Problem] = []
    path = article.path
    known = {s.id for s in article.sources}
    problems += [Problem(path, article.body_line + index, message)
                 for index, message in structure_problems(article.body)]
    for number, line in body_lines(article):
        if re.match(r"^#(?!#)\s", line):
            problems.append(Problem(path, number, "the title comes from the front matter: "
                                    "start headings in the body at '##'"))
        for match in CITATION.finditer(line):
            for part in match[1].split(";"):
                cited = CITATION_ID.match(part)
                if not cited:
                    problems.append(Problem(path, number, f"malformed citation '{match[0]}': "
                                            "write [@id] or [@id1; @id2]"))
                elif cited[1] not in known and cite:
                    problems.append(Problem(path, number, unknown_source(cited[1], known)))
        for match in IMAGE.finditer(line):
            alt, src = match[1].strip(), match[2]
            if not alt:
                problems.append(Problem(path, number, f"image '{src}' needs alt text: "
                                        "![what the picture shows](...)"))
            message = image_problem((project.root / path).parent, src, project)
            if message:
                problems.append(Problem(path, number, message))
    return problems


def unknown_source(cited: str, known: set[str]) -> str:
    """Why ``[@cited]`` names no source, and which ids there are."""
    if not known:
        return f"unknown source '{cited}': this article has no sources (list them under " \
               "'sources:' in the front matter)"
    close = difflib.get_close_matches(cited, sorted(known), n=1, cutoff=0.7)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown source '{cited}': {hint}this article's sources are " \
           f"{', '.join(sorted(known))}"


def image_problem(folder: Path, src: str, project: Project) -> str | None:
    """Why the image ``src`` (relative to ``folder``) cannot be printed, or None."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith("/"):
        return f"image '{src}' must be a file in the project's content folder, given by " \
               "a relative path"
    try:
        target = (folder / src).resolve()
        inside = target.is_relative_to(project.content_dir.resolve())
        found = inside and target.is_file()
    except OSError as exc:       # a name too long for the file system, a loop of links
        return f"image '{src[:60]}…' cannot be read: {exc.strerror or exc}"
    if not inside:
        return f"image '{src}' is outside the content folder"
    if not found:
        return f"image '{src}' not found"
    if target.suffix.lower() not in IMAGE_TYPES:
        return f"image '{src}' is not a PNG, JPEG, GIF, WebP or SVG file"
    if target.suffix.lower() != ".svg":
        return raster_problem(target, src)
    from ..render.images import svg_problem
    return svg_problem(target, src)


def raster_problem(target: Path, shown: str) -> str | None:
    """Read only the image header: refuse unreadable files and decompression bombs."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(target) as image:
            pixels = image.size[0] * image.size[1]
    except Image.DecompressionBombError as exc:  # Pillow's own, larger limit
        match = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(match[1]) if match else MAX_IMAGE_PIXELS * 5
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        return f"image '{shown}' cannot be read: {exc}"
    if pixels > MAX_IMAGE_PIXELS:
        return (f"image '{shown}' has {pixels / 1e6:.0f} megapixels; at most "
                f"{MAX_IMAGE_PIXELS // 1_000_000} are printed")
    return None


def known_slugs(project: Project) -> set[str]:
    """Every article's slug, read cheaply (the file name, or a ``slug:`` line up top)."""
    slugs = set()
    for path in article_paths(project):
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
        match = re.search(r"^slug:[ \t]*[\"']?([a-z0-9-]+)", head.split("\n---", 1)[0],
                          re.MULTILINE)
        slugs.add(match[1] if match else path.stem)
    return slugs


def internal_problem(path: Path, exc: Exception) -> Problem:
    """A last resort: an unexpected failure reading the file at ``path``, told plainly."""
    return Problem(path, 1, f"could not read this file (internal error: "
                   f"{type(exc).__name__}: {str(exc)[:200]}); please report it")


def article_paths(project: Project) -> list[Path]:
    return sorted(project.articles_dir.glob("*.md"))


def load_article(path: Path, project: Project) -> Article:
    """The article at ``path``; every failure is a :class:`ContentError` for this file."""
    shown = relative(path, project.root)
    try:
        return parse_article(shown, read_text(path, project.root), project)
    except PrintjournalError:
        raise
    except Exception as exc:  # a last resort: one article never stops the others
        raise ContentError([internal_problem(shown, exc)]) from exc


def load_articles(project: Project, paths: Sequence[Path] | None = None
                  ) -> tuple[list[Article], list[Problem]]:
    """Every article (or those at ``paths``), and every problem found in them."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in paths if paths is not None else article_paths(project):
        try:
            articles.append(load_article(path, project))
        except PrintjournalError as exc:
            problems.extend(exc.problems)
    seen: dict[str, Article] = {}
    for article in articles:
        if article.slug in seen:
            problems.append(Problem(article.path, 1, f"slug '{article.slug}' is also used by "
                                    f"{seen[article.slug].path}"))
        seen[article.slug] = article
    return articles, problems
