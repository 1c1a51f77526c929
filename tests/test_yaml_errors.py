"""Common YAML mistakes read as plain words at the line the editor must change.

Each case is a whole article as an editor might write it; the expected problem is
exactly what ``printjournal check`` prints, and it is the only one (no knock-on
errors after a YAML mistake).
"""

from __future__ import annotations

import pytest

P = "content/articles/bad.md"
TAIL = "section: Sleep\ndate: 2026-01-01\n---\nBody.\n"
QUOTES_HINT = "put the whole value in quotes"
INDENT = ("this line does not line up with the lines above it: keys of one group start in "
          "the same column, and what belongs to a key is indented under it, with spaces")

CASES = {
    "unclosed double quote": (
        '---\ntitle: "Sleep well\nsection: Sleep\ndate: 2026-01-01\n---\nBody.\n', 2,
        "'title' has an opening quote (\") but no closing one: end the text with \" on "
        "the same line"),
    "unclosed double quote, quotes below": (
        '---\ntitle: "Sleep well\nsection: "Sleep"\ndate: 2026-01-01\n---\nBody.\n', 2,
        "'title' has an opening quote (\") but no closing one"),
    "unclosed single quote": (
        "---\ntitle: 'Sleep well\nsection: 'Sleep'\ndate: 2026-01-01\n---\nBody.\n", 2,
        "'title' has an opening quote (') but no closing one: end the text with ' on "
        "the same line"),
    "unclosed quote in a list": (
        "---\ntitle: t\ntags: ['sleep, rest]\n" + TAIL, 3,
        "'tags' has an opening quote (') but no closing one"),
    "text after the closing quote": (
        '---\ntitle: "Sleep" and rest\n' + TAIL, 2,
        "the text of 'title' goes on after its closing quote: put the whole value in one "
        "pair of quotes"),
    "quotes inside quotes": (
        '---\ntitle: "The "best" sleep"\n' + TAIL, 2,
        "the text of 'title' goes on after its closing quote"),
    "colon and space inside a value": (
        "---\ntitle: Sleep: why it matters\n" + TAIL, 2,
        "a colon followed by a space inside a value: " + QUOTES_HINT),
    "tab indenting": (
        "---\ntitle: t\nreview:\n\tversion: 1\n" + TAIL, 4,
        "a tab character: YAML is indented and separated with spaces only; replace the "
        "tab with spaces"),
    "tab after a colon": (
        "---\ntitle:\tSleep\n" + TAIL, 2, "a tab character"),
    "list item under a value": (
        "---\ntitle: t\ntags: sleep\n  - immunity\n" + TAIL, 4,
        "a list item under 'tags', which already has a value on line 3: either leave "
        "'tags' with nothing after its colon and put each item on its own '- ' line, or "
        "write [item, item]"),
    "list item under a list item": (
        "---\ntitle: t\ntags:\n  - sleep\n    - immunity\n" + TAIL, 5,
        "a list item under the value, which already has a value on line 4"),
    "list item where a key belongs": (
        "---\ntitle: t\ntags: sleep\n- immunity\n" + TAIL, 4,
        "a list item ('- ') where a key was expected"),
    "indented too far": (
        "---\ntitle: t\nreview:\n  version: 1\n   reviewed: 2026-01-01\n" + TAIL, 5, INDENT),
    "indented too little": (
        "---\ntitle: t\nreview:\n  version: 1\n reviewed: 2026-01-01\n" + TAIL, 5, INDENT),
    "a key indented under a value": (
        "---\ntitle: t\n section: s\ndate: 2026-01-01\n---\nBody.\n", 3, INDENT),
    "no colon after a key": (
        "---\ntitle: t\nsection Sleep\ndate: 2026-01-01\n---\nBody.\n", 3,
        "this line has no colon after its key: write 'key: value'"),
    "no space after a colon": (
        "---\ntitle:Sleep\n" + TAIL, 2,
        "this line has no colon and space after its key: write 'key: value'"),
    "value starts with @": ("---\ntitle: @home care\n" + TAIL, 2,
                            "a value cannot start with '@': " + QUOTES_HINT),
    "value starts with a backtick": ("---\ntitle: `code` words\n" + TAIL, 2,
                                     "a value cannot start with '`': " + QUOTES_HINT),
    "value starts with %": ("---\ntitle: %50 less salt\n" + TAIL, 2,
                            "a value cannot start with '%': " + QUOTES_HINT),
    "value starts with *": ("---\ntitle: *new* advice\n" + TAIL, 2,
                            "a value cannot start with '*': " + QUOTES_HINT),
    "value is *name": ("---\ntitle: *important\n" + TAIL, 2,
                       "'*important' is a YAML alias, which printjournal does not accept"),
    "value starts with &": (
        "---\ntitle: &more sleep\n" + TAIL, 2,
        "'&more' is a YAML anchor, which printjournal does not accept (editors never need "
        "one, and a few can make a file expand without limit): if '&' belongs to the text, "
        + QUOTES_HINT),
    "value starts with !": (
        "---\ntitle: !important news\n" + TAIL, 2,
        "'!important' is a YAML type tag, which printjournal does not accept: if '!' "
        "belongs to the text, " + QUOTES_HINT),
    "value starts with |": (
        "---\ntitle: | pipes\n" + TAIL, 2,
        "'|' at the start of a value means 'the text follows on the lines below': "
        + QUOTES_HINT),
    "value starts with >": ("---\ntitle: > 5 hours of sleep\n" + TAIL, 2,
                            "'>' at the start of a value means"),
    "value starts with ?": ("---\ntitle: ? why\n" + TAIL, 2,
                            "a value cannot start with '?': " + QUOTES_HINT),
    "# inside a value": (
        "---\ntitle: Sleep #1 tips\n" + TAIL, 2,
        "' #' starts a comment in YAML, so 'title' stops before it: " + QUOTES_HINT),
    "list not closed": (
        "---\ntitle: t\ntags: [sleep, rest\n" + TAIL, 3,
        "the list opened with '[' here is not closed: end it with ']'"),
    "group not closed": (
        "---\ntitle: t\nreview: {version: 1\n" + TAIL, 3, "the '{' opened here is not closed"),
    "a list as a key": ("---\ntitle: t\nreview: {[a, b]: 1}\n" + TAIL, 3,
                        "a key must be a plain word, not a list or a group"),
    "a control character": ("---\ntitle: t\x01x\n" + TAIL, 2,
                            "an invisible control character (U+0001) that cannot be "
                            "printed: delete it"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_yaml_mistake_is_one_plain_message_at_its_line(problems_of, name):
    text, line, message = CASES[name]
    found = problems_of(text)
    assert len(found) == 1, found
    assert found[0].startswith(f"{P}:{line}: {message}"), found
    for jargon in ("but found", "<block", "token", "scalar", "mapping", "YAML:"):
        assert jargon not in found[0].removeprefix(f"{P}:{line}: "), found
