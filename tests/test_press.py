"""The press-ready issue: unique font names in both editions (issue 14)."""

from __future__ import annotations

import pypdf
import pytest


def font_objects(path) -> dict[str, set[int]]:
    """BaseFont → the object numbers of the distinct fonts carrying it, found through
    every page's resources and the form XObjects they draw."""
    found: dict[str, set[int]] = {}
    seen: set[int] = set()

    def visit(resources) -> None:
        resources = resources.get_object() if resources else {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            found.setdefault(str(font["/BaseFont"]), set()).add(ref.idnum)
            for descendant in font.get("/DescendantFonts") or []:
                descendant = descendant.get_object()
                assert descendant["/BaseFont"] == font["/BaseFont"]
                assert descendant["/FontDescriptor"]["/FontName"] == font["/BaseFont"]
        for ref in (resources.get("/XObject") or {}).values():
            if ref.idnum not in seen:
                seen.add(ref.idnum)
                visit(ref.get_object().get("/Resources"))

    for page in pypdf.PdfReader(path).pages:
        visit(page.get("/Resources"))
    return found


@pytest.mark.parametrize("edition", ["digital", "print"])
def test_no_two_font_objects_share_a_base_font(edition, sample_issue, sample_print_issue):
    issue = sample_issue if edition == "digital" else sample_print_issue
    names = font_objects(issue.pdf)
    assert len(names) > 6          # every part's own subsets are there, each named
    shared = {name: sorted(objects) for name, objects in names.items() if len(objects) > 1}
    assert not shared
