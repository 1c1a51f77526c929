"""A manifest and an edition in, each part of the issue as an HTML document out.

The parts: cover, editor's letter, contents, each article, notes and advert pages
(fillers), back cover, each through its designers' template (``layouts/issue-*.html``).
A part knows the side its first page falls on; its page numbers are placeholders
(pdf/folios.py) with as many digits as ``digits`` says its targets need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import cache
from ..editions import Edition
from ..markup import body as markup
from ..model import Article
from ..pdf.anchors import goto
from ..pipeline import Pipeline
from ..template.layouts import Labels, article_html, shorten
from .manifest import Manifest
from .plan import contents_pages, estimate


@dataclass(frozen=True)
class PartSpec:
    """One part of the issue, ready to render."""

    name: str                   # unique: "cover", "letter", "article:<slug>", ...
    html: str
    source: Path                # the content file it comes from, for errors
    files: tuple[Path, ...]     # files it is made from beyond layouts/ (images)
    side: str                   # the side of its first page: "left" or "right"
    title: str
    lang: str
    bookmark: str | None        # one bookmark titled so, or None: the part's own headings
    target: str | None          # what links and page references call it
    estimate: int = 1           # predicted pages (only for digit counts)
    one_page: bool = False      # cover, back cover, notes and adverts: exactly one page


class Parts:
    """The parts of one edition of one issue, as HTML."""

    def __init__(self, pipeline: Pipeline, manifest: Manifest, edition: Edition) -> None:
        self.pipeline = pipeline
        self.project = pipeline.project
        self.manifest = manifest
        self.edition = edition
        self.labels = pipeline.layouts.labels(manifest.lang)

    def sequence(self, digits: dict[str, int]) -> list[PartSpec]:
        """Cover, letter, contents, articles, back cover (fillers come with the plan)."""
        return [self.cover(), self.letter(digits), self.contents(digits),
                *(self.article(a, digits) for a in self.manifest.articles),
                self.back_cover(digits)]

    def _frame(self, side: str, right_header: str) -> dict[str, Any]:
        """What issue-part.html needs."""
        return {"issue": self.manifest, "edition": self.edition, "side": side,
                "right_header": right_header, "base_template": "base.html"}

    def _words(self, lang: str) -> dict[str, Any]:
        """The journal and the words of a language, as article_html gives articles."""
        journal = self.project.journal
        return {"journal": journal, "labels": self.pipeline.layouts.labels(lang),
                "lang": lang, "disclaimer": journal.disclaimer_for(lang)}

    def _html(self, template: str, side: str, right_header: str, lang: str,
              **context: Any) -> str:
        return self.pipeline.layouts.render(
            template, **self._frame(side, right_header), **self._words(lang), **context)

    def cover(self) -> PartSpec:
        m = self.manifest
        html = self._html("issue-cover.html", "right", m.name, m.lang,
                          title=f"{m.title} — {m.issue}", cover_src=m.cover.image.as_uri())
        return PartSpec("cover", html, m.path, (m.cover.image,), "right", m.cover.alt,
                        m.lang, self.labels.cover, "cover", one_page=True)

    def letter(self, digits: dict[str, int]) -> PartSpec:
        letter = self.manifest.editorial
        labels = self.pipeline.layouts.labels(letter.lang)
        body = markup.to_html(letter, self.project, self.resolver(labels, digits))
        html = self._html("issue-letter.html", "left", labels.editors_letter, letter.lang,
                          title=letter.title, letter=letter, body=Markup(body.html))
        return PartSpec("letter", html, letter.path,
                        tuple(cache.article_inputs(letter, self.project)), "left",
                        letter.title, letter.lang, self.labels.editors_letter, "letter",
                        estimate=estimate(letter))

    def contents(self, digits: dict[str, int]) -> PartSpec:
        m = self.manifest
        entries = [_Entry(self.labels.editors_letter, m.editorial.title, "", m.editorial.lang,
                          "letter", digits.get("letter", 1))]
        entries += [_Entry(a.section, a.title, a.dek, a.lang, a.slug, digits.get(a.slug, 2))
                    for a in m.articles]
        html = self._html("issue-contents.html", "right", self.labels.contents, m.lang,
                          title=f"{self.labels.contents} — {m.name}", entries=entries)
        return PartSpec("contents", html, m.path, (), "right", self.labels.contents, m.lang,
                        self.labels.contents, "contents", estimate=contents_pages(m))

    def article(self, article: Article, digits: dict[str, int]) -> PartSpec:
        labels = self.pipeline.layouts.labels(article.lang)
        body = markup.to_html(article, self.project, self.resolver(labels, digits))
        frame = self._frame("right", f"{article.section} · {shorten(article.running_title)}")
        frame["base_template"] = "article.html"
        html = article_html(self.pipeline.layouts, article, body,
                            template="issue-article.html", **frame)
        return PartSpec(f"article:{article.slug}", html, article.path,
                        tuple(cache.article_inputs(article, self.project)), "right",
                        article.title, article.lang, None, article.slug,
                        estimate=estimate(article))

    def back_cover(self, digits: dict[str, int]) -> PartSpec:
        m = self.manifest
        back = m.back_cover
        body = Markup(markup.to_html(back, self.project, self.resolver(self.labels, digits))
                      .html) if back is not None else ""
        html = self._html("issue-back.html", "left", m.name, m.lang,
                          title=back.title if back else m.name, back=back, body=body)
        return PartSpec("back-cover", html, back.path if back else m.path,
                        tuple(cache.article_inputs(back, self.project)) if back else (),
                        "left", back.title if back else m.name, m.lang, None, None,
                        one_page=True)

    def filler(self, kind: str, side: str) -> PartSpec:
        m = self.manifest
        html = self._html("issue-filler.html", side, m.name, m.lang, title=m.name, kind=kind)
        return PartSpec(f"filler:{kind}:{side}", html, Path("layouts/issue-filler.html"), (),
                        side, m.name, m.lang, None, None, one_page=True)

    def resolver(self, labels: Labels, digits: dict[str, int]) -> markup.LinkResolver:
        """Links to an article of the issue jump to its page and print "p. N"."""
        web = markup.web_links(self.project)
        slugs = set(self.manifest.slugs)

        def resolve(slug: str) -> tuple[str, str | markup.PageRef | None]:
            if slug in slugs:
                return goto(slug), markup.PageRef(labels.page_short, slug,
                                                  digits.get(slug, 2))
            return web(slug)
        return resolve


@dataclass(frozen=True)
class _Entry:
    """A line of the contents, as issue-contents.html uses it."""

    section: str
    title: str
    dek: str
    lang: str
    target: str
    digits: int

    @property
    def href(self) -> str:
        return goto(self.target)

    @property
    def placeholder(self) -> str:
        return "8" * self.digits
