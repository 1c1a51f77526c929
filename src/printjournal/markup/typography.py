"""Text and its language in, the same text as a typesetter would set it out.

The body is set by Python-Markdown's smarty extension, configured here per
language (:func:`smarty_config`); the front matter's title and dek, plain
text, by :func:`typeset` with the same rules: “ ” ‘ ’ in English, „ “ ‚ ‘ in
German, straight quotes in a language we have no rule for (never another
language's), an apostrophe ’, ``--`` an en dash, ``---`` an em dash, ``...``
an ellipsis, and an en dash in a number range (8–10, not in 2026-01-01).
"""

from __future__ import annotations

import html
import re

#: Opening and closing double quotes, then single quotes, per language.
QUOTES = {
    "en": ("&ldquo;", "&rdquo;", "&lsquo;", "&rsquo;"),
    "de": ("&bdquo;", "&ldquo;", "&sbquo;", "&lsquo;"),
}
_NAMES = ("left-double-quote", "right-double-quote", "left-single-quote",
          "right-single-quote")
#: A number range (8-10, 1990-2000) takes an en dash; a date (2026-01-01) is left.
RANGE = re.compile(r"(?<![\d.,-])(\d+)-(\d+)(?![\d-]|[.,]\d)")
_OPENS = r"(^|[\s(\[{\u2013\u2014/-])"       # what a quote that opens follows


def _quotes(lang: str) -> tuple[str, ...] | None:
    return QUOTES.get(lang.split("-")[0].lower())


def smarty_config(lang: str) -> dict[str, dict[str, object]]:
    """Python-Markdown's smarty settings for a body in ``lang``."""
    quotes = _quotes(lang)
    return {"smarty": {"smart_quotes": quotes is not None, "smart_dashes": True,
                       "smart_ellipses": True, "smart_angled_quotes": False,
                       "substitutions": dict(zip(_NAMES, quotes, strict=True))
                       if quotes else {}}}


def apostrophes(body_html: str, lang: str) -> str:
    """Smarty sets an apostrophe as the closing single quote: in German that is ‘."""
    if _quotes(lang) and _quotes(lang)[3] != "&rsquo;":
        return re.sub(r"(?<=\w)" + re.escape(_quotes(lang)[3]) + r"(?=\w)", "&rsquo;",
                      body_html)
    return body_html


def en_dash_ranges(text: str) -> str:
    return RANGE.sub("\\1\u2013\\2", text)


def typeset(text: str, lang: str) -> str:
    """Plain ``text`` (a title, a dek) set for ``lang``, by the body's rules."""
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    text = en_dash_ranges(text)
    quotes = _quotes(lang)
    if quotes is None:
        return text
    left2, right2, left1, right1 = (html.unescape(q) for q in quotes)
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    text = re.sub(_OPENS + '"', lambda m: m[1] + left2, text).replace('"', right2)
    return re.sub(_OPENS + "'", lambda m: m[1] + left1, text).replace("'", right1)
