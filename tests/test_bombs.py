"""Decompression bombs wherever an image can come from: an article, a clinic's logo, an
issue's cover, the layouts. A 49-megapixel PNG of a few kilobytes is refused before any
decoder opens it, with the file named, and nothing is written.

An article's images are checked by ``printjournal check``; the render's fetcher is the only
guard for the others, so each is tried through a real render here, and the fetcher alone.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from printjournal.checks.check import check
from printjournal.errors import ConfigError, PrintjournalError
from printjournal.issue import build as issue
from printjournal.leaflet import build as leaflet
from printjournal.pipeline import Pipeline, build_article
from printjournal.render.weasy import ProjectFetcher, RefusedResourceError

from .test_issue_manifest import M, issue_project  # noqa: F401 (the fixture)

BOMB_MESSAGE = r"has 49 megapixels; at most 40 are printed"
CLINIC = """
[[clinics]]
id = "bay"
name = "Bay Clinic"
logo = "content/images/bomb.png"
address = "1 Bay Road"
phone = "0100 000 0000"
default = true
"""


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 7000 × 7000 pixel PNG (49 megapixels) that compresses to a few kilobytes."""
    from PIL import Image

    path = tmp_path_factory.mktemp("bomb") / "bomb.png"
    Image.new("1", (7000, 7000)).save(path, optimize=True)
    assert path.stat().st_size < 100_000
    return path


def _written(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.pdf") if ".printjournal-cache" not in p.parts]


@pytest.mark.parametrize("folder", ["content/images", "content/clinics", "layouts"])
def test_the_fetcher_refuses_a_bomb_in_every_folder_a_render_reads(tmp_project, bomb, folder):
    target = tmp_project.root / folder / "bomb.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(bomb, target)
    with pytest.raises(RefusedResourceError, match=BOMB_MESSAGE):
        ProjectFetcher(tmp_project.project()).fetch(target.as_uri())


def test_a_bomb_as_a_clinic_logo_is_refused_at_its_line(tmp_project, bomb):
    shutil.copy(bomb, tmp_project.root / "content/images/bomb.png")
    config = tmp_project.root / "printjournal.toml"
    config.write_text(config.read_text() + CLINIC)
    line = config.read_text().splitlines().index('logo = "content/images/bomb.png"') + 1
    with pytest.raises(ConfigError) as caught:
        tmp_project.project()
    assert [str(p) for p in caught.value.problems] == [
        f"{config}:{line}: clinic logo image 'content/images/bomb.png' has 49 "
        "megapixels; at most 40 are printed"]


def test_an_unreadable_clinic_logo_is_refused_at_its_line(tmp_project):
    (tmp_project.root / "content/images/bomb.png").write_text("not a picture")
    config = tmp_project.root / "printjournal.toml"
    config.write_text(config.read_text() + CLINIC)
    with pytest.raises(ConfigError, match=r"printjournal.toml:9: clinic logo image "
                       r"'content/images/bomb.png' cannot be read: "):
        tmp_project.project()


def test_a_bomb_as_a_clinic_logo_is_refused_by_the_render_too(tmp_project, bomb):
    """Should a logo reach the render unchecked, the fetcher still refuses it."""
    config = tmp_project.root / "printjournal.toml"
    config.write_text(config.read_text() + CLINIC.replace('logo = "content/images/bomb.png"\n',
                                                          ""))
    tmp_project.article()
    project = tmp_project.project()
    logo = tmp_project.root / "content/images/bomb.png"
    shutil.copy(bomb, logo)
    project = replace(project, clinics=(replace(project.clinics[0], logo=logo),))
    with pytest.raises(PrintjournalError, match=BOMB_MESSAGE) as caught:
        leaflet.leaflet(Pipeline.load(project), leaflet.LeafletRequest(("small",)),
                        dt.date(2026, 3, 2))
    assert "content/images/bomb.png" in str(caught.value)


def test_a_bomb_as_a_layout_image_is_refused(tmp_project, bomb, tmp_path):
    shutil.copy(bomb, tmp_project.root / "layouts/bomb.png")
    css = tmp_project.root / "layouts/print.css"
    css.write_text(css.read_text() + "\nbody { background: url(bomb.png) no-repeat; }\n")
    path = tmp_project.article()
    out = tmp_path / "small.pdf"
    with pytest.raises(PrintjournalError, match=BOMB_MESSAGE) as caught:
        build_article(Pipeline.load(tmp_project.project()), path, out)
    assert "layouts/bomb.png" in str(caught.value)
    assert not out.exists()


def test_a_bomb_as_an_issue_cover_is_refused_with_its_line(issue_project, bomb):  # noqa: F811
    shutil.copy(bomb, issue_project.root / "content/images/bomb.png")
    manifest = issue_project.root / M
    manifest.write_text(manifest.read_text().replace("images/cover.svg", "images/bomb.png"))
    project = issue_project.project()
    assert [str(p) for p in check(project)] == [
        f"{M}:6: cover image 'images/bomb.png' has 49 megapixels; at most 40 are printed"]
    with pytest.raises(PrintjournalError, match=BOMB_MESSAGE):
        issue.build_issue(Pipeline.load(project), manifest,
                          issue_project.root / "dist/spring.pdf")
    assert _written(issue_project.root) == []
