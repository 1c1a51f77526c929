"""How long an editor waits, in `printjournal preview`, from saving a 5-page article to
the updated page.

    .venv/bin/python bench/preview.py [--runs N]

In one run, side by side (noisy shared machine: compare the ratio):
- baseline: one render of the same article in this process (Pipeline.article_pdf), the
  least any preview can take;
- edit → page: the preview's server (a copy of the sample project, its worker warm) is
  asked for /state after each save of a changed sentence, until it shows that save with
  the new text: watcher, check, render, page images, all included.
Goal: edit → page at most 2 s on this machine when idle, and at most 1.5 x the baseline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from printjournal import pipeline as build
from printjournal.load import config, content
from printjournal.preview import server as preview
from printjournal.render.weasy import Rendered

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "winter-low-mood-sad"      # 5 pages as an article PDF


def state(port: int, after: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/state?after={after}") as r:
        return json.load(r)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        for name in ("content", "layouts", "fonts"):
            shutil.copytree(ROOT / name, root / name, symlinks=True)
        shutil.copy(ROOT / "printjournal.toml", root)
        project = config.load_project(root)
        path = root / "content" / "articles" / f"{ARTICLE}.md"
        pipeline = build.Pipeline.load(project)
        article = content.load_article(path, project)
        rendered: Rendered = pipeline.article_pdf(article)          # warm the process up
        baseline = []
        for _ in range(runs):
            start = time.perf_counter()
            pipeline.article_pdf(content.load_article(path, project))
            baseline.append(time.perf_counter() - start)

        httpd, live = preview.server(project, path, 0)
        port = httpd.server_address[1]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            shown = state(port, 0)
            while shown["version"] < 1:
                shown = state(port, 0)
            text = path.read_text(encoding="utf-8")
            waits = []
            for run in range(1, runs + 1):
                marker = f"Edited sentence number {run}."
                start = time.perf_counter()
                path.write_text(text.replace("\n\n## ", f"\n\n{marker}\n\n## ", 1),
                                encoding="utf-8")
                while not any(marker in t for t in shown["texts"]) or shown["problems"]:
                    shown = state(port, shown["version"])
                waits.append(time.perf_counter() - start)
        finally:
            httpd.shutdown()
            live.close()
    base, wait = statistics.median(baseline), statistics.median(waits)
    print(f"article: {ARTICLE}, {rendered.pages} pages, {runs} runs, medians")
    print(f"baseline render in-process   {base:6.2f} s")
    print(f"preview: edit → page shown   {wait:6.2f} s   ({wait / base:.2f} x baseline; "
          f"goal ≤ 2 s idle)")


if __name__ == "__main__":
    main()
