"""How close check's table estimate (render/tablefit.py) comes to the real layout, in points.

For each table of the sample articles named (default: the three whose tables are too wide
for an A5 large-print leaflet) and each paper, in standard and large print, the estimate
of how far the table reaches past the text area beside WeasyPrint's laid-out table
(0: it fits), and the time ``check`` takes with and without the estimate, side by side.

    .venv/bin/python bench/tablefit.py [slug ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from lxml import html as lxml_html

from printjournal.checks.check import _tables, check
from printjournal.errors import Notices
from printjournal.leaflet import build as leaflet
from printjournal.leaflet import parts as leafletparts
from printjournal.load import config, content
from printjournal.markup import body as markup
from printjournal.model import ReviewState
from printjournal.pipeline import Pipeline
from printjournal.render import tablefit
from printjournal.render.pagearea import PT_PER_PX, page_box
from printjournal.render.weasy import ProjectFetcher

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ("fibre-everyday-guide", "impfschutz-erwachsene", "understanding-blood-pressure")


def laid_out(pipeline: Pipeline, html: str) -> dict[int, float]:
    """How far (points) each table of ``html`` (by its order in the document) reaches past
    its page's area at most, over the pages it spans."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    renderer, project = pipeline.renderer, pipeline.project
    fetcher = ProjectFetcher(project)
    html, sheets = renderer._stylesheets(html, fetcher)
    source = weasyprint.HTML(string=html, base_url=project.layouts_dir.as_uri() + "/",
                             url_fetcher=fetcher)
    order = {id(e): n for n, e in enumerate(
        e for e in source.etree_element.iter() if str(e.tag).endswith("table"))}
    document = source.render(stylesheets=sheets, font_config=renderer.fonts)
    found: dict[int, float] = {}

    def walk(box, right: float) -> None:
        if isinstance(box, boxes.TableBox):
            number = order[id(box.element)]
            past = (box.border_box_x() + box.border_width() - right) * PT_PER_PX
            found[number] = max(found.get(number, 0.0), past)
            return
        for child in getattr(box, "children", None) or ():
            walk(child, right)

    for page in document.pages:
        area = page_box(page)
        walk(area, area.content_box_x() + area.width)
    return found


def main(slugs: list[str]) -> None:
    project = config.load_project(ROOT)
    pipeline = Pipeline.load(project)
    clinic = leaflet.find_clinic(project, None)
    faces = tablefit.Faces(project.fonts_dir)
    print(f"{'article':30} {'product':34} {'estimate':>9} {'laid out':>9}  (pt past the area)")
    for slug in slugs:
        article = content.load_article(project.articles_dir / f"{slug}.md", project)
        body = markup.to_html(article, project).html
        root = lxml_html.fragment_fromstring(body, create_parent="div")
        for product in tablefit.products():
            sizes = tablefit.sizes(project.layouts_dir, product.style)
            estimates = [tablefit.least_width(t, sizes, product.large, faces)[0]
                         + i[0] * sizes.body + i[1] - product.measure
                         for t, i in tablefit.tables(root)]
            if all(e <= -tablefit.EDGE for e in estimates):
                continue    # every table far inside the area: nothing to compare
            html = leafletparts.leaflet_html(
                pipeline, [article], [ReviewState.REVIEWED], clinic, product.paper,
                lambda lang: "1 January 2026", style=product.style, personal_slot="")
            real = laid_out(pipeline, html)
            for number, estimate in enumerate(estimates):
                if estimate > -tablefit.EDGE:   # near or past the edge: worth comparing
                    print(f"{slug[:30]:30} {product.name:34} {estimate:9.1f} "
                          f"{real.get(number, 0.0):9.1f}")
    start = time.process_time()
    check(project)
    whole = time.process_time() - start
    articles, _ = content.load_articles(project)
    start = time.process_time()
    _tables(articles, project, Notices())
    print(f"check: {whole:.2f} s CPU, of which the tables (Markdown and estimate): "
          f"{time.process_time() - start:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:] or list(DEFAULT))
