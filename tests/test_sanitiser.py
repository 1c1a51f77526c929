"""The second layer on its own: hostile HTML through markup.sanitise, with no Markdown first.

Python-Markdown already prints raw HTML as text (test_safety.py), so nothing hostile
reaches nh3 through an article today. These fragments go straight to the sanitiser, so it
still holds if the first layer ever changes. The allow-list below is written out here on
purpose, not taken from markup.py: widening the sanitiser must fail a test.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from printjournal.markup.body import sanitise

#: Every tag an article's HTML may contain once sanitised (the layouts style these).
PRINTED_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i",
                "a", "sup", "sub", "span", "div", "blockquote", "code", "pre", "hr", "br",
                "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd",
                "figure", "figcaption", "img", "abbr"}
ATTRIBUTES = {"*": {"class", "id", "lang"}, "span": {"data-page-ref"}, "a": {"href", "title"},
              "img": {"src", "alt", "width", "height"}, "th": {"align", "style", "scope"},
              "td": {"align", "style"}, "ol": {"start"}, "abbr": {"title"}}
SCHEMES = {"http", "https", "mailto", "file"}     # file: images; the fetcher fences them


class Seen(HTMLParser):
    """Every tag and attribute of a fragment, as a browser or WeasyPrint would parse it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


HOSTILE = {
    "iframe": '<p>a</p><iframe src="https://example.org/"></iframe>',
    "link": '<link rel="stylesheet" href="https://example.org/x.css"><p>a</p>',
    "link-attachment": '<link rel="attachment" href="file:///etc/passwd">',
    "script": "<script>alert(1)</script><p>a</p>",
    "style": "<style>body { display: none }</style><p>a</p>",
    "object": '<object data="file:///etc/passwd"></object>',
    "embed": '<embed src="file:///etc/passwd">',
    "meta": '<meta http-equiv="refresh" content="0; url=https://example.org/">',
    "base": '<base href="https://example.org/"><a href="x">x</a>',
    "form": '<form action="https://example.org/"><input name="q"><button>go</button></form>',
    "svg": '<svg><script>alert(1)</script><image href="https://example.org/x.png"/></svg>',
    "math": '<math><mtext><img src=x onerror="alert(1)"></mtext></math>',
    "img-onerror": '<img src="x.png" alt="a" onerror="alert(1)">',
    "a-javascript": '<a href="javascript:alert(1)">click</a>',
    "a-javascript-entities": '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "a-data": '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    "img-data-svg": '<img alt="a" src="data:image/svg+xml,<svg onload=alert(1)>">',
    "p-onclick-style": '<p onclick="steal()" style="position:fixed">a</p>',
    "td-style-url": '<table><tr><td style="background: url(https://example.org/t.png)">a'
                    "</td></tr></table>",
    "comment": "<!--[if IE]><script>alert(1)</script><![endif]--><p>a</p>",
    "unclosed": '<p>a<iframe src="https://example.org/"',
    "nested-escape": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "template": "<template><iframe></iframe></template>",
    "noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    "xml-stylesheet": '<?xml-stylesheet href="https://example.org/x.css"?><p>a</p>',
    "audio-video": '<video src="https://example.org/v.mp4"></video><audio src="x.mp3"></audio>',
    "attachment-a": '<a rel="attachment" href="file:///etc/passwd">x</a>',
}


@pytest.mark.parametrize("fragment", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_html_leaves_only_printed_tags_and_safe_attributes(fragment):
    for tag, attrs in Seen(sanitise(fragment)).tags:
        assert tag in PRINTED_TAGS, (tag, fragment)
        for name, value in attrs.items():
            assert name in ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set()), (tag, name, fragment)
            scheme = re.match(r"([a-z][a-z0-9+.-]*):", value.strip().lower())
            if name in ("href", "src") and scheme:
                assert scheme[1] in SCHEMES, (tag, name, value)


@pytest.mark.parametrize("tag", ["iframe", "link", "script", "style", "object", "embed",
                                 "meta", "base", "form", "svg", "math", "template"])
def test_each_dangerous_tag_is_removed_not_kept(tag):
    clean = sanitise(f'<{tag} src="https://example.org/" href="https://example.org/">'
                     f"</{tag}><p>kept</p>")
    assert f"<{tag}" not in clean.lower()
    assert clean.endswith("<p>kept</p>")


def test_what_an_article_prints_goes_through_unchanged():
    html = ('<h2 id="a">Heading</h2><p>Text <em>with</em> <strong>marks</strong>, a '
            '<a href="https://example.org/x" title="t">link</a> and a note'
            '<sup class="cite"><a href="#src-1">1</a></sup>.</p>'
            '<figure><img alt="a chart" src="../images/chart.svg"><figcaption>Chart'
            "</figcaption></figure><dl><dt>Q?</dt><dd>A.</dd></dl>"
            '<table><thead><tr><th scope="col" style="text-align: right">n</th></tr></thead>'
            '<tbody><tr><td align="right" style="text-align: right">1</td></tr></tbody>'
            "</table>")
    assert sanitise(html) == html
