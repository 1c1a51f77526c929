"""Printed addresses and long ids in, the places a line may break in them out.

A web address breaks only after ``/`` (after ``//`` as a whole): a break at its own
hyphens or dots reads like a hyphenated word ("long-" / "term"), so a reader could
not type it back; a segment wider than the line still breaks anywhere, as a last
resort (in a QR code's caption, before one of its own hyphens first: :func:`address_lines`).
A long id or DOI in running text (``NCT0123-4567``, ``10.1056/NEJMoa2308917``) breaks
after its punctuation. The break opportunity
is U+200B ZERO WIDTH SPACE in the text (not ``<wbr>``: WeasyPrint 70 lays each
``<wbr>`` out as a box of its own and, with ``overflow-wrap: anywhere``, then breaks
anywhere): it breaks without adding a hyphen, and it adds nothing to the PDF's
extracted text or to a link's target (tests/test_breaks.py). ``print.css`` keeps
printed addresses and ids from being hyphenated (``.link-address``, ``.source-url``,
and ``.address``, the span running text's ids and addresses are set in: ``hyphens:
manual``); anything still too long breaks anywhere, as a last resort.

- :func:`break_points` gives the offsets where a token may break: the one rule;
- :func:`add_breaks` puts them into an ElementTree's text (the Markdown stage);
- :func:`breakable_url` is the layouts' Jinja filter for a printed address in running
  text (Sources): U+200B at each break, U+2060 WORD JOINER after its own hyphens;
- :func:`address_lines` is the filter for an address in a narrow caption (a QR code's):
  the same pieces, each ``<span class="piece">`` (leaflet.css: ``inline-block``, so a
  piece that fits on a line moves to the next line whole, and a line breaks after a "/"
  wherever it can). Only a piece wider than the whole line breaks inside, and then
  before one of its own hyphens (:func:`hyphen_points`, Chicago style: "understanding" /
  "-blood-pressure": the hyphen that opens the line shows it belongs to the address, where
  "understanding-" / "blood" would read as a hyphenated word); a run between hyphens still
  too wide breaks anywhere (``overflow-wrap: anywhere``), as the last resort.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name)

from markupsafe import Markup

#: A token this long (no spaces) gets break opportunities in running text.
LONG = 15
URL_START = re.compile(r"^\(?(?:https?://|www\.)", re.IGNORECASE)
_AFTER_ID = frozenset("/.-_:;,?&=+")            # in an id, break after these
_TOKEN = re.compile(rf"\S{{{LONG},}}")
_SKIP = frozenset({"code", "pre"})
#: Python-Markdown's placeholders for what it put aside (``\x02wzxhzdk:3\x03``): whole.
_PLACEHOLDER = re.compile("\x02[^\x03]*\x03")
BREAK = "\u200b"
JOINER_AFTER = re.compile(r"([-?!])(?=\w)")   # where a line breaks by the Unicode rules


def break_points(token: str, url: bool) -> list[int]:
    """Offsets in ``token`` where a line may break (never at either end, never
    before trailing punctuation): address rules when ``url``, id rules otherwise."""
    points = []
    for i in range(1, len(token) - 1):
        before, char, rest = token[i - 1], token[i], token[i:]
        if not any(c.isalnum() for c in rest):
            break   # only closing punctuation follows: "….pdf)." stays whole
        if url:
            if before == "/" and char != "/":
                points.append(i)
        elif before in _AFTER_ID and char.isalnum():
            points.append(i)
    return points


def pieces(text: str, url: bool = False) -> list[str]:
    """``text`` cut at the break opportunities of its long tokens (every token when
    ``url``: the text is a printed address)."""
    cuts: list[int] = []
    for match in (re.finditer(r"\S+", text) if url else _TOKEN.finditer(text)):
        token = match[0]
        as_url = url or bool(URL_START.match(token))
        if not as_url and not any(c.isdigit() for c in token) and "/" not in token:
            continue  # a long word, hyphenated or not: the language's own breaks
        cuts += [match.start() + p for p in break_points(token, as_url)]
    stashed = [range(m.start() + 1, m.end()) for m in _PLACEHOLDER.finditer(text)]
    cuts = [cut for cut in cuts if not any(cut in inside for inside in stashed)]
    ends = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(ends)]


def add_breaks(root: etree.Element) -> None:
    """Put a break opportunity at every place a printed address (``.link-address``) or a
    long id or address in the text under ``root`` may break, leaving code as typed."""
    _element(root, url=False)


def _element(element: etree.Element, url: bool) -> None:
    url = url or "link-address" in (element.get("class") or "").split()
    if element.text and element.tag not in _SKIP:
        element.text, spans = _split(element.text, url)
        for offset, span in enumerate(spans):
            element.insert(offset, span)
    for child in list(element):
        ours = child.get("class") in ("address", "address id")
        if child.tag not in _SKIP and not ours:
            _element(child, url)
        if child.tail:
            child.tail, spans = _split(child.tail, url)
            at = list(element).index(child) + 1
            for offset, span in enumerate(spans):
                element.insert(at + offset, span)


def _split(text: str, url: bool) -> tuple[str, list[etree.Element]]:
    """``text`` with its break opportunities: in a printed address, the text itself;
    in running text, each long id or address set apart as ``<span class="address">``
    (print.css: never hyphenated), and the text after it as its tail."""
    if url:
        return _address(text), []
    lead, spans, position = None, [], 0
    for match in _TOKEN.finditer(text):
        parts = pieces(match[0])
        unbroken = len(parts) == 1
        if unbroken and not any(c.isdigit() for c in match[0]):
            continue   # a long word: the language's own breaks
        before = text[position:match.start()]
        if spans:
            spans[-1].tail += before
        else:
            lead = before
        # an id with no punctuation (ISRCTN9876…) may break anywhere, in a table cell too,
        # where overflow-wrap: break-word leaves a column as wide as the id (print.css)
        span = etree.Element("span", {"class": "address id" if unbroken else "address"})
        span.text, span.tail = BREAK.join(parts), ""
        spans.append(span)
        position = match.end()
    if not spans:
        return text, []
    spans[-1].tail += text[position:]
    return lead or "", spans


def breakable_url(url: str) -> str:
    """A printed address with a break opportunity where it may break (Jinja filter)."""
    return _address(str(url))


def hyphen_points(piece: str) -> list[int]:
    """Offsets in an address ``piece`` where a line too narrow for it may break: before
    each of its own hyphens that stands between two letters or digits."""
    return [i for i in range(1, len(piece) - 1)
            if piece[i] == "-" and piece[i - 1].isalnum() and piece[i + 1].isalnum()]


def address_lines(url: str) -> Markup:
    """``url`` as the pieces a line may part it into (:func:`pieces`), each a
    ``<span class="piece">`` kept whole where the line has room for it; inside a piece,
    U+200B before each hyphen of :func:`hyphen_points` and U+2060 WORD JOINER after it
    (never "understanding-" / "blood")."""
    def piece(text: str) -> Markup:
        ends = [0, *hyphen_points(text), len(text)]
        runs = [JOINER_AFTER.sub("\\1\u2060", text[a:b]) for a, b in itertools.pairwise(ends)]
        return Markup('<span class="piece">{}</span>').format(BREAK.join(runs))
    return Markup(BREAK).join(piece(p) for p in pieces(str(url), url=True))


def _address(text: str) -> str:
    """A printed address that breaks after ``/`` only: U+200B there, and U+2060 WORD
    JOINER after the ``-``, ``?`` and ``!`` a line could otherwise break after."""
    return JOINER_AFTER.sub("\\1\u2060", BREAK.join(pieces(text, url=True)))
