"""How long a hostile front matter takes to be refused, and a real one to be read.

    .venv/bin/python bench/yamlbombs.py

Each YAML bomb of issue 11 (a recursive alias, nine levels of "billion laughs",
10,000 nested lists, 100,000 tags) and the largest sample front matter, through
``load_yaml`` as every article and manifest is read. Goal: each bomb refused in
milliseconds, as a ``path:line`` error, with no expansion.
"""

from __future__ import annotations

import time
from pathlib import Path

from printjournal.errors import ContentError
from printjournal.load.content import split_front_matter
from printjournal.load.yamlsource import load_yaml

REPO = Path(__file__).resolve().parent.parent


def laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol"' + ', "lol"' * 8 + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


BOMBS = {
    "recursive alias": "tags: &r [*r]\n",
    "9 levels of laughs": laughs(9),
    "10,000 nested lists": "tags: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "100,000 tags": "tags: [" + ", ".join(f"t{i}" for i in range(100_000)) + "]\n",
}


def main() -> None:
    load_yaml("warm: up\n", Path("warm.md"))   # first use compiles PyYAML's regexes
    for name, text in BOMBS.items():
        start = time.perf_counter()
        try:
            load_yaml(text, Path("bomb.md"), first_line=2)
            outcome = "READ (not refused!)"
        except ContentError as exc:
            outcome = str(exc.problems[0])[:60]
        ms = 1000 * (time.perf_counter() - start)
        print(f"{name:22} {len(text):>8,} chars {ms:8.2f} ms  {outcome}")
    article = max((REPO / "content" / "articles").glob("*.md"), key=lambda p: p.stat().st_size)
    text = article.read_text(encoding="utf-8")
    start = time.perf_counter()
    split_front_matter(article, text)
    ms = 1000 * (time.perf_counter() - start)
    print(f"{'largest sample article':22} {len(text):>8,} chars {ms:8.2f} ms  read "
          f"({article.name})")


if __name__ == "__main__":
    main()
