"""An article's front matter and the project's required governance elements in, a
problem at a line for each element missing out.

printjournal.toml ``[governance] require`` names what every article must carry, as
the PIF TICK and NHS standards ask of patient information:

- ``owner``: a named clinical owner (``review.owner``);
- ``review``: review dates and a version (the ``review`` group);
- ``sources``: at least one source of evidence;
- ``feedback``: a line telling readers how to give feedback (``feedback:``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..load.fields import Fields
from ..model import Article

WHY = {
    "owner": "'review.owner' is required (printjournal.toml [governance] requires a named "
             "owner): add review: {..., owner: \"Dr A. Example\"}",
    "review": "'review' is required (printjournal.toml [governance] requires review dates): "
              "add review: {version: \"1.0\", reviewed: YYYY-MM-DD, next_review: YYYY-MM-DD, "
              "owner: \"...\"}",
    "sources": "at least one source is required (printjournal.toml [governance] requires "
               "sources): list them under 'sources:'",
    "feedback": "'feedback' is required (printjournal.toml [governance] requires a feedback "
                "line): add feedback: \"Tell us what you think: ...\"",
}


def problems(f: Fields, article: Article, require: Sequence[str]) -> None:
    """Add to ``f.problems`` each required element ``article`` lacks, at the line of its
    key when it is there but empty, else at the first line of the front matter."""
    missing = {
        "owner": f.get("review") is None,     # in a review, owner is already required
        "review": f.get("review") is None,
        "sources": not f.get("sources") and "sources" not in f.misspelt,
        "feedback": not article.feedback and "feedback" not in f.misspelt,
    }
    for element in require:
        if missing[element]:
            f.problem((element,) if f.get(element) is not None else (), WHY[element])
