"""The renderer's post-layout checks: their cost per sample article.

    .venv/bin/python bench/footnote_check.py

Lays out each sample article once (WeasyPrint's render, as the renderer does), then
times placement.misplaced_notes (footnotes) and pagearea.strays (nothing outside the
page area) over the laid-out pages (best of 20 each) against the layout.
"""

from __future__ import annotations

import time
from pathlib import Path

from printjournal.load import config, content
from printjournal.pipeline import Pipeline
from printjournal.render import pagearea, placement

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    project = config.load_project(ROOT)
    pipeline = Pipeline.load(project)
    total_layout = total_check = total_area = 0.0
    for path in content.article_paths(project):
        article = content.load_article(path, project)
        html = pipeline.article_html(article)
        started = time.perf_counter()
        document = __import__("weasyprint").HTML(
            string=html, base_url=project.layouts_dir.as_uri() + "/").render(
                font_config=pipeline.renderer.fonts)
        layout = time.perf_counter() - started
        check = min(_timed(placement.misplaced_notes, document.pages) for _ in range(20))
        area = min(_timed(pagearea.strays, document.pages) for _ in range(20))
        total_layout += layout
        total_check += check
        total_area += area
        print(f"{article.slug:32} layout {layout * 1000:7.1f} ms   check {check * 1000:6.3f} ms"
              f"   area {area * 1000:6.3f} ms   ({len(document.pages)} pages)")
    print(f"{'all':32} layout {total_layout * 1000:7.1f} ms   check {total_check * 1000:6.3f} ms"
          f"   ({100 * total_check / total_layout:.3f} % of layout)   area "
          f"{total_area * 1000:6.3f} ms ({100 * total_area / total_layout:.3f} % of layout)")


def _timed(check, pages) -> float:
    started = time.perf_counter()
    check(pages)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
