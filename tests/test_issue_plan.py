"""The issue's page order, planned from page counts and sides alone: no rendering."""

from __future__ import annotations

import random

import pytest

from printjournal.issue import plan
from printjournal.issue.plan import Sketch

SEQUENCE = [Sketch("cover", "right", "cover"), Sketch("letter", "left", "letter"),
            Sketch("contents", "right", "contents"), Sketch("article:a", "right", "a"),
            Sketch("article:b", "right", "b"), Sketch("back-cover", "left")]


def filler(kind: str, side: str) -> Sketch:
    return Sketch(f"filler:{kind}:{side}", side)


def names(order: list[Sketch]) -> list[str]:
    return [part.name for part in order]


def test_articles_open_on_right_hand_pages_with_fillers_in_the_gaps():
    pages = {"cover": 1, "letter": 1, "contents": 1, "article:a": 3, "article:b": 2,
             "back-cover": 1}
    order = plan.plan(SEQUENCE, pages, filler, multiple=2)
    assert names(order) == ["cover", "letter", "contents", "filler:notes:left", "article:a",
                            "filler:online:left", "article:b", "filler:reviewed:right",
                            "back-cover"]
    all_pages = pages | {p.name: 1 for p in order if p.name.startswith("filler:")}
    assert plan.starts(order, all_pages) == [1, 2, 3, 4, 5, 8, 9, 11, 12]
    assert plan.digits(order, all_pages) == {"cover": 1, "letter": 1, "contents": 1,
                                             "a": 1, "b": 1}


def test_print_pads_to_a_multiple_of_four_before_the_back_cover():
    pages = {"cover": 1, "letter": 1, "contents": 1, "article:a": 3, "article:b": 1,
             "back-cover": 1}
    digital = plan.plan(SEQUENCE, pages, filler, multiple=2)
    printed = plan.plan(SEQUENCE, pages, filler, multiple=4)
    assert names(digital)[-2:] == ["article:b", "back-cover"]          # 10 pages
    # the gaps take notes, online, reviewed, then notes pages: each advert once an issue
    assert names(printed)[-4:] == ["article:b", "filler:reviewed:left", "filler:notes:right",
                                   "back-cover"]                       # 12 pages


def test_two_digit_folios_are_counted():
    pages = {"cover": 1, "letter": 1, "contents": 1, "article:a": 7, "article:b": 2,
             "back-cover": 1}
    order = plan.plan(SEQUENCE, pages, filler, multiple=2)
    all_pages = pages | {p.name: 1 for p in order if p.name.startswith("filler:")}
    assert plan.digits(order, all_pages)["b"] == 2     # a: 5-11, b opens on 13


@pytest.mark.parametrize("multiple", [2, 4])
def test_any_page_counts_keep_the_rules(multiple):
    rng = random.Random(13)
    for _ in range(200):
        pages = {p.name: rng.randint(1, 9) for p in SEQUENCE} | {"cover": 1, "back-cover": 1}
        order = plan.plan(SEQUENCE, pages, filler, multiple)
        all_pages = pages | {p.name: 1 for p in order if p.name.startswith("filler:")}
        starts = plan.starts(order, all_pages)
        for part, start in zip(order, starts, strict=True):
            assert (start % 2 == 1) == (part.side == "right"), (part, start)
        assert order[-1].name == "back-cover"
        assert starts[-1] % multiple == 0     # the back cover is the last page of a sheet
        assert [p.name for p in order if not p.name.startswith("filler:")] == names(SEQUENCE)
