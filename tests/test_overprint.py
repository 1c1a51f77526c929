"""No two lines of text print into each other (tests/overprint.py), on the sample
articles and leaflets; and the measure finds such lines where they are (16 pt text on a
12 pt leading, the large-print footnotes' fault)."""

from __future__ import annotations

import pytest

from . import overprint


def test_the_measure_finds_lines_set_tighter_than_their_size():
    from weasyprint import HTML

    def pdf(leading: str) -> bytes:
        return HTML(string=f"<p style='font: 16pt sans-serif; line-height: {leading}; "
                    "width: 60mm'>Two notes of sixteen point text on a twelve point "
                    "line, printed into each other</p>").write_pdf()

    found = list(overprint.deepest(pdf("12pt")))
    assert found and 3.5 < max(depth for _, depth, _, _ in found) < 4.5   # 16 - 12 pt
    assert overprint.overprinted(pdf("1.3")) == []


@pytest.mark.parametrize("name", ["two", "large", "a5", "letter"])
def test_no_lines_overprint_in_the_sample_leaflets(sample_leaflet, name):
    assert overprint.overprinted(sample_leaflet(name).pdf) == []


def test_no_lines_overprint_in_the_sample_articles(samples):
    for slug, sample in samples.items():
        assert overprint.overprinted(sample.pdf) == [], slug
