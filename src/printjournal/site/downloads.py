"""The files readers download in; ``manifest.json`` and the downloads pages out.

The website build (``site``) makes PDFs; this stage describes them. Each file
is a :class:`Download`: where it is (relative to the output folder), what it is
(a :class:`Listing`: kind, title, section or issue, date, ...) and its bytes
(pages, size, SHA-256). From the list of them come

- ``manifest.json``: one entry per PDF, what the website's own pages read;
- ``index.html``: every issue and article with its title, section, date, page
  count, file size and a link, and ``issues/<issue>.html`` per issue, rendered
  through the designers' ``layouts/site-*.html`` with inline CSS; when the articles
  are in more than one language, ``languages/<code>.html`` per language (the same page
  with that language's articles alone: a filter that needs no script), linked from each;
- the bundled font files those pages name (``url(fonts/...)``), copied beside
  them with their licence, so the pages need nothing from elsewhere.

Everything here is a pure function of its inputs: the same downloads give the
same bytes, so the website's caches only see a change when content changes. One
function reads files: :func:`as_listed`, for the desk's ``/downloads/``, which serves a
listed file only while its bytes are those manifest.json records (a build killed
between replacing a PDF and rewriting the manifest leaves the two apart until the
next build: the file is not served meanwhile).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LayoutError, relative
from ..model import Project
from ..outputs import ARTICLE, FONT, ISSUE, LANGUAGE, page_path
from ..template.layouts import Layouts

INDEX = "index.html"
MANIFEST = "manifest.json"
_FONT_URL = re.compile(r"url\(\s*[\"']?((?:\.\./)*)fonts/([^\"')\s]+)")


@dataclass(frozen=True)
class Listing:
    """What the manifest and the downloads pages say about a file, besides its bytes."""

    kind: str                        # ARTICLE or ISSUE
    slug: str                        # the article's slug, or the issue's manifest name
    title: str
    date: dt.date
    lang: str
    section: str = ""                # articles: their section
    issue: str = ""                  # issues: the issue's name, "Winter 2026"
    edition: str = ""                # issues: "digital" or "print"
    articles: tuple[str, ...] = ()   # issues: paths of their articles' PDFs, in order
    review_due: dt.date | None = None   # articles past their next review: its date


@dataclass(frozen=True)
class Download:
    """One file of the output folder that readers download."""

    path: str                        # relative to the output folder, with '/'
    listing: Listing
    pages: int
    bytes: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        item = self.listing
        entry: dict[str, Any] = {"path": self.path, "kind": item.kind, "slug": item.slug,
                                 "title": item.title}
        if item.kind == ARTICLE:
            entry["section"] = item.section
        else:
            entry |= {"issue": item.issue, "edition": item.edition,
                      "articles": list(item.articles)}
        return entry | {"date": item.date.isoformat(), "lang": item.lang, "pages": self.pages,
                        "bytes": self.bytes, "sha256": self.sha256}

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Download:
        listing = Listing(
            kind=entry["kind"], slug=entry["slug"], title=entry["title"],
            date=dt.date.fromisoformat(entry["date"]), lang=entry["lang"],
            section=entry.get("section", ""), issue=entry.get("issue", ""),
            edition=entry.get("edition", ""), articles=tuple(entry.get("articles", ())))
        return cls(entry["path"], listing, int(entry["pages"]), int(entry["bytes"]),
                   entry["sha256"])


@dataclass(frozen=True)
class IssueDownloads:
    """An issue on the downloads pages: its editions, its page, its articles."""

    slug: str
    name: str
    title: str
    date: dt.date
    lang: str
    page: str                                    # "issues/<slug>.html"
    editions: tuple[Download, ...]               # digital first
    articles: tuple[Download, ...] = field(default=())


@dataclass(frozen=True)
class LanguagePage:
    """The downloads page of the articles in one language ('ar', 'pl': no region)."""

    code: str
    name: str                   # in the journal's language, "Polish"
    native: str                 # in its own, "Polski"
    count: int                  # its articles

    @property
    def page(self) -> str:
        return page_path(LANGUAGE, self.code)


def language_pages(articles: Sequence[Download]) -> list[LanguagePage]:
    """One per language of ``articles``, the journal's most common first; none for one."""
    from ..checks.translations import LANGUAGE_NAMES, NATIVE_NAMES

    counts: dict[str, int] = {}
    for download in articles:
        code = download.listing.lang.split("-")[0].lower()
        counts[code] = counts.get(code, 0) + 1
    if len(counts) < 2:
        return []
    return [LanguagePage(code, LANGUAGE_NAMES.get(code, code), NATIVE_NAMES.get(code, code), n)
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def as_listed(dist: Path, name: str) -> bool:
    """Whether ``name`` under ``dist`` has the bytes and SHA-256 that ``manifest.json``
    records for it; a file the manifest has no entry for (its pages, fonts) passes."""
    try:
        files = json.loads((dist / MANIFEST).read_text(encoding="utf-8"))["files"]
        [entry] = [e for e in files if e.get("path") == name] or [None]
        if entry is None:
            return True
        data = (dist / name).read_bytes()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return (len(data), hashlib.sha256(data).hexdigest()) == (entry.get("bytes"),
                                                             entry.get("sha256"))


def manifest_json(project: Project, downloads: Iterable[Download]) -> bytes:
    """``manifest.json``: the journal's name and one entry per file, sorted by path; an
    issue lists those of its articles' PDFs that are among the files."""
    files = [d.to_json() for d in sorted(downloads, key=lambda d: d.path)]
    present = {entry["path"] for entry in files}
    for entry in files:
        if "articles" in entry:
            entry["articles"] = [p for p in entry["articles"] if p in present]
    data = {"journal": project.journal.name, "files": files}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def issue_groups(downloads: Sequence[Download]) -> list[IssueDownloads]:
    """The issues among ``downloads``, newest first, each with its editions and articles."""
    by_path = {d.path: d for d in downloads}
    editions: dict[str, list[Download]] = {}
    for download in downloads:
        if download.listing.kind == ISSUE:
            editions.setdefault(download.listing.slug, []).append(download)
    groups = []
    for slug, found in editions.items():
        found.sort(key=lambda d: (d.listing.edition != "digital", d.listing.edition))
        first = found[0].listing
        groups.append(IssueDownloads(
            slug=slug, name=first.issue, title=first.title, date=first.date, lang=first.lang,
            page=page_path(ISSUE, slug), editions=tuple(found),
            articles=tuple(by_path[p] for p in first.articles if p in by_path)))
    return sorted(groups, key=lambda g: (-g.date.toordinal(), g.slug))


def pages(layouts: Layouts, downloads: Sequence[Download]) -> dict[str, bytes]:
    """Every page file of the output folder (HTML, and the fonts they name) by path."""
    project = layouts.project
    labels = layouts.labels(project.journal.lang)
    try:
        words = labels.site
    except AttributeError:
        raise LayoutError.at(relative(project.layouts_dir / "labels.toml", project.root), 0,
                             "the downloads pages need their words: an [en.site] table "
                             "(and one per language, like [de.site])") from None
    articles = sorted((d for d in downloads if d.listing.kind == ARTICLE),
                      key=lambda d: (-d.listing.date.toordinal(), d.listing.title))
    issues = issue_groups(downloads)
    common = {"journal": project.journal, "labels": labels, "words": words,
              "lang": project.journal.lang,
              "disclaimer": project.journal.disclaimer_for(project.journal.lang)}
    languages = language_pages(articles)
    html = {INDEX: layouts.render("site-index.html", root="", articles=articles,
                                  issues=issues, languages=languages, chosen=None, **common)}
    for chosen in languages:
        html[chosen.page] = layouts.render(
            "site-index.html", root="../", languages=languages, chosen=chosen, issues=[],
            articles=[d for d in articles
                      if d.listing.lang.split("-")[0].lower() == chosen.code], **common)
    for issue in issues:
        html[issue.page] = layouts.render("site-issue.html", root="../", issue=issue,
                                          **common)
    files = {path: text.encode("utf-8") for path, text in html.items()}
    for path, text in html.items():
        files |= _fonts(project, path, text)
    return files


def _fonts(project: Project, page: str, html: str) -> dict[str, bytes]:
    """The bundled fonts ``html`` names as ``url(fonts/...)``, and their licences."""
    found: dict[str, bytes] = {}
    folder = project.fonts_dir.resolve()
    for match in _FONT_URL.finditer(html):
        name = match[2]
        source = (folder / name).resolve()
        if not source.is_relative_to(folder) or not source.is_file():
            path, line = _where(project, f"fonts/{name}")
            raise LayoutError.at(path, line, f"{page} names the font 'fonts/{name}', which "
                                 "is not in the project's fonts folder")
        found[page_path(FONT, name)] = source.read_bytes()
        licence = folder / f"LICENSE-{name.split('-')[0]}.txt"
        if licence.is_file():
            found[page_path(FONT, licence.name)] = licence.read_bytes()
    return found


def _where(project: Project, text: str) -> tuple[Path, int]:
    """The first layout file and line that contains ``text``, for an error message."""
    for path in sorted(project.layouts_dir.glob("site*")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text in line:
                return relative(path, project.root), number
    return relative(project.layouts_dir, project.root), 0

