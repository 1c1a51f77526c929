"""An article's Markdown body in, sanitised HTML for the layouts out.

Python-Markdown does the parsing, with the extensions the journal uses
(tables, definition lists for "Common questions", admonition callouts) and
three of ours:

- citations ``[@id]`` / ``[@id1; @id2]`` become superscript source numbers
  linking to the Sources list; a source's first citation also carries a
  footnote with the source's text, which the print CSS floats to the foot of
  the page;
- links are made to work on paper: a link to another article
  (``/journal/<slug>``, or relative: ``<slug>.md``) gets its web address (or,
  inside an issue, "p. N") printed after it, and so does an external link;
- an image alone in its paragraph becomes a figure, its title the caption.

Raw HTML in the Markdown is not passed through: the HTML parsers are removed,
so it prints as the text it is, and the result is sanitised again with nh3
against an allow-list of the tags and attributes our layouts style.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name)
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..load.content import CITATION, CITATION_ID
from ..model import Article, Body, Heading, PrintedLink, Project
from . import makeup
from .breaks import add_breaks
from .figures import caption_text
from .keep import attach_calls, protect_runs
from .links import linked_article
from .notes import call_description
from .structure import normalise
from .typography import apostrophes, en_dash_ranges, smarty_config


@dataclass(frozen=True)
class PageRef:
    """A page number printed after a link ("p. 14"), placed once pages are known.

    ``label`` is the word before the number ("p.", "S."), ``target`` names what
    the number points at, ``digits`` is how many digits it will have: the
    placeholder ``<span class="page-ref" data-page-ref=target>88</span>`` takes
    that room (see pdf/folios.py).
    """

    label: str
    target: str
    digits: int


#: What a link to another article resolves to: the href, and the text printed
#: after the link so that paper still leads somewhere (or None to print nothing).
LinkResolver = Callable[[str], tuple[str, str | PageRef | None]]

_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i",
         "a", "sup", "sub", "span", "div", "blockquote", "code", "pre", "hr", "br",
         "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd",
         "figure", "figcaption", "img", "abbr"}
_ATTRIBUTES = {
    "*": {"class", "id", "lang"},
    "span": {"data-page-ref", "data-article"},
    "h2": {"data-bookmark"}, "h3": {"data-bookmark"}, "h4": {"data-bookmark"},
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"align", "style", "scope"},
    "td": {"align", "style"},
    "ol": {"start"},
    "abbr": {"title"},
}
_URL_SCHEMES = {"http", "https", "mailto", "file"}


@dataclass
class _State:
    """What one conversion has seen so far (reset for every article)."""

    article: Article
    resolve_link: LinkResolver
    cited: list[str]
    links: list[PrintedLink] = field(default_factory=list)
    compounds: bool = False


class _CitationProcessor(InlineProcessor):
    """``[@a; @b]`` → superscript source numbers linking to the Sources list."""

    def __init__(self, state: _State) -> None:
        super().__init__(CITATION.pattern)
        self.state = state

    def handleMatch(  # type: ignore[override]  # noqa: N802
            self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        ids = [CITATION_ID.match(part) for part in m.group(1).split(";")]
        found = [self.state.article.source(i[1]) for i in ids if i]
        sources = sorted({s.number: s for s in found if s is not None}.values(),
                         key=lambda s: s.number)
        if not sources or len(found) != len(ids) or None in found:
            return None, None, None  # left as text; the content checks report it
        wrapper = etree.Element("span", {"class": "citation",
                                         "data-sources": " ".join(s.id for s in sources)})
        sup = etree.SubElement(wrapper, "sup", {"class": "cite"})
        for n, source in enumerate(sources):
            link = etree.SubElement(sup, "a", {  # title: spoken by screen readers (notes.py)
                "href": f"#source-{source.number}", "class": "cite-ref",
                "title": call_description(self.state.article.lang, source.number, source.text)})
            link.text = str(source.number)
            if n < len(sources) - 1:
                link.tail = ","
        return wrapper, m.start(0), m.end(0)


class _PrintTreeprocessor(Treeprocessor):
    """Links that work on paper, figures with captions, grouped Q&A, headings."""

    def __init__(self, md: markdown.Markdown, state: _State, project: Project,
                 headings: list[Heading]) -> None:
        super().__init__(md)
        self.state = state
        self.project = project
        self.headings = headings

    def run(self, root: etree.Element) -> None:
        for citation in root.iter("span"):
            if citation.get("class") == "citation":
                self._footnotes(citation)
        printed: dict[etree.Element, PrintedLink] = {}
        for parent in list(root.iter()):
            for index, child in reversed(list(enumerate(parent))):
                if child.tag == "a" and (link := self._link(parent, index, child)):
                    printed[child] = link
        for a in root.iter("a"):    # "Read next": each address once, in the text's order
            if a in printed and printed[a].address not in {
                    link.address for link in self.state.links}:
                self.state.links.append(printed[a])
        folder = (self.project.root / self.state.article.path).parent
        for img in root.iter("img"):   # checked by content.check_body: a project file
            img.set("src", (folder / img.get("src", "")).resolve().as_uri())
        for p in list(root.iter("p")):
            self._figure(p)
        for dl in root.iter("dl"):
            self._group_questions(dl)
        for div in root.iter("div"):
            self._callout_title(div)
        for element in root.iter():
            if element.tag not in ("code", "pre") and element.text:
                element.text = en_dash_ranges(element.text)
            if element.tail:
                element.tail = en_dash_ranges(element.tail)
            if element.tag in ("h2", "h3", "h4"):
                text = " ".join(_own_text(element).split())
                element.set("id", f"h-{len(self.headings) + 1}")
                element.set("data-bookmark", text)     # print.css: the bookmark's label
                self.headings.append(Heading(int(element.tag[1]), text, element.get("id", "")))
        attach_calls(root)
        protect_runs(root, self.state.article.lang, self.state.compounds)
        add_breaks(root)

    def _footnotes(self, citation: etree.Element) -> None:
        """Give each source its footnote at its first citation, in reading order.

        Python-Markdown runs inline patterns in tree order, not reading order
        (a list can be handled after the paragraph below it), so first
        citations are found here, over the finished tree.
        """
        for source_id in citation.attrib.pop("data-sources", "").split():
            source = self.state.article.source(source_id)
            if source is None or source_id in self.state.cited:
                continue
            self.state.cited.append(source_id)
            note = etree.SubElement(citation, "span", {  # data-article: render/placement.py
                "class": "footnote", "id": f"note-{source.number}",
                "data-article": self.state.article.path.as_posix()})
            number = etree.SubElement(note, "span", {"class": "footnote-number"})
            number.text = str(source.number)
            number.tail = " " + source.text

    def _link(self, parent: etree.Element, index: int,
              a: etree.Element) -> PrintedLink | None:
        """Make the link ``a`` work on paper; its printed address, if it has one."""
        href = (a.get("href") or "").strip()
        if "cite-ref" in (a.get("class") or ""):
            return None
        note: str | PageRef | None = None
        slug = linked_article(href)
        if slug is not None:   # /journal/<slug>, or relative: fibre-guide.md, journal/x
            href, note = self.state.resolve_link(slug)
        elif href.startswith("/"):
            href = self.project.journal.base_url + href
            note = _short_url(href)
        elif re.match(r"^https?://", href):
            text = "".join(a.itertext()).strip()
            if _short_url(text) != _short_url(href):
                note = _short_url(href)
        elif href.startswith("mailto:") or href.startswith("#"):
            pass
        else:
            href = ""  # leads nowhere on paper or in a PDF (content.check_links warns)
        if href:
            a.set("href", href)
        else:
            a.attrib.pop("href", None)
        if note:
            span = etree.Element("span", {"class": "link-address"})
            if isinstance(note, PageRef):
                span.text = f" ({note.label}\u00a0"
                ref = etree.SubElement(span, "span", {"class": "page-ref",
                                                      "data-page-ref": note.target})
                ref.text, ref.tail = "8" * note.digits, ")"
            else:   # the address reads left to right, in right-to-left text too
                span.set("class", "link-address web")   # print.css: --inline-addresses
                span.text = "\u2060 "   # WORD JOINER: WeasyPrint 70 draws no blank-only box
                address = etree.SubElement(span, "span", {"class": "web-address"})
                address.text = f"({note})"
            span.tail, a.tail = a.tail, None
            parent.insert(index + 1, span)
            if isinstance(note, str):
                words = " ".join("".join(a.itertext()).split())   # an entry: a capital
                return PrintedLink(words[:1].upper() + words[1:], note, href)
        return None

    def _figure(self, p: etree.Element) -> None:
        children = list(p)
        if len(children) != 1 or children[0].tag != "img" or (p.text or "").strip() \
                or (children[0].tail or "").strip():
            return
        img = children[0]
        caption = caption_text(img.attrib.pop("title", ""))
        p.tag = "figure"
        img.tail = None
        if caption:   # numbered by print.css, per article
            p.set("class", "numbered")
            figcaption = etree.SubElement(p, "figcaption")
            figcaption.text = caption

    @staticmethod
    def _callout_title(div: etree.Element) -> None:
        """A callout's title that only repeats its type (``!!! note`` prints "Note") is
        left empty: the layouts open every title with the type's word ("Note:")."""
        classes = (div.get("class") or "").split()
        if "admonition" in classes and len(div) and div[0].get("class") == "admonition-title":
            title = div[0]
            if len(title) == 0 and (title.text or "").strip().lower() in classes:
                title.text = ""

    @staticmethod
    def _group_questions(dl: etree.Element) -> None:
        items = list(dl)
        for item in items:
            dl.remove(item)
        group: etree.Element | None = None
        for item in items:
            if item.tag == "dt" or group is None:
                group = etree.SubElement(dl, "div", {"class": "qa"})
            group.append(item)


class _PrintExtension(Extension):
    def __init__(self, state: _State, project: Project, headings: list[Heading]) -> None:
        super().__init__()
        self.state = state
        self.project = project
        self.headings = headings

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_CitationProcessor(self.state), "citation", 175)
        md.treeprocessors.register(
            _PrintTreeprocessor(md, self.state, self.project, self.headings), "print", 5)


def _own_text(element: etree.Element) -> str:
    """The text a reader sees as the element's own: no citation numbers, footnotes,
    printed web addresses or page references."""
    if {"citation", "link-address", "footnote"} & set((element.get("class") or "").split()):
        return element.tail or ""
    inner = "".join(_own_text(child) for child in element)
    return (element.text or "") + inner + (element.tail or "")


def _short_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def web_links(project: Project) -> LinkResolver:
    """Links to other articles go to their web pages, with the address printed."""
    def resolve(slug: str) -> tuple[str, str | None]:
        url = project.article_url(slug)
        return url, _short_url(url)
    return resolve


def to_html(article: Article, project: Project,
            resolve_link: LinkResolver | None = None, compounds: bool = False) -> Body:
    """Convert ``article.body`` to sanitised HTML; ``compounds``: mark hyphenated compounds
    to be kept whole (large print: keep.py)."""
    state = _State(article, resolve_link or web_links(project), [], compounds=compounds)
    headings: list[Heading] = []
    md = markdown.Markdown(
        extensions=["tables", "def_list", "admonition", "sane_lists", "fenced_code", "smarty",
                    _PrintExtension(state, project, headings)],
        extension_configs=smarty_config(article.lang), output_format="html")
    html = md.convert(normalise(article.body))
    clean = makeup.spaces_inside(sanitise(apostrophes(html, article.lang)))
    return Body(html=clean, headings=tuple(headings), cited=tuple(state.cited),
                links=tuple(state.links))


def sanitise(html: str) -> str:
    """The second layer: only the tags, attributes and URL schemes an article prints."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                     link_rel=None, strip_comments=True)


def image_path(article: Article, project: Project, src: str) -> Path:
    return ((project.root / article.path).parent / src).resolve()
