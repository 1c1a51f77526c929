"""Every message ``printjournal check`` gives for broken front matter and manifests, to
diff before and after a change of the checks (issue 13: the schemas keep every word).

    PYTHONPATH=<old>/src .venv/bin/python bench/schema_messages.py > before.txt
    PYTHONPATH=<new>/src .venv/bin/python bench/schema_messages.py | diff before.txt -

The sample project is copied to a temporary folder with every refused corpus case
(tests/corpus/refused/) and a few hundred mutations (seeded, so the same every run) of
the sample articles' front matter, of the editor's letter and of the issue manifest:
each key dropped, given a wrong type, misspelt, an unknown key added, a bad date, a
source or review broken. ``printjournal check`` (a process, as a user runs it) reads
the articles in one project, the manifests in another; the messages are printed with
the folder name taken out, and their count last.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from hash_outputs import REPO, copy_project  # bench/, the folder of this script

WRONG = ([1, 2], True, 42, 1.5, {"a": "b"}, "", None, "2026-13-45", "x" * 700)
BAD_DATES = ("2026-13-45", "next week", "2026-2-3", 20260914, "2026-02-30")


def _project(root: Path) -> None:
    copy_project(root)
    shutil.copytree(REPO / "tests/corpus/images", root / "content/images", dirs_exist_ok=True)


def _misspell(key: str, rng: random.Random) -> str:
    i = rng.randrange(len(key) - 1)
    return key[:i] + key[i + 1] + key[i] + key[i + 2:] if rng.random() < 0.5 \
        else key[:i] + key[i + 1:]


def _mutations(data: dict, rng: random.Random) -> list[dict]:
    """Broken copies of the mapping ``data`` (and of its nested groups and lists)."""
    cases: list[dict] = []
    for key in data:
        cases.append({k: v for k, v in data.items() if k != key})
        cases.append({(_misspell(k, rng) if k == key else k): v for k, v in data.items()})
        for wrong in rng.sample(WRONG, 3):
            cases.append({**data, key: wrong})
        value = data[key]
        if isinstance(value, dict):
            for inner in _mutations(value, rng)[:: 2]:
                cases.append({**data, key: inner})
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for inner in _mutations(value[0], rng)[:: 3]:
                cases.append({**data, key: [inner, *value[1:]]})
            cases.append({**data, key: [*value, dict(value[0])]})   # an id twice
            cases.append({**data, key: ["just text", *value[1:]]})
    cases.append({**data, "colour": "red"})
    cases.append({**data, "a key with spaces": "x"})
    for bad in BAD_DATES:
        if "date" in data:
            cases.append({**data, "date": bad})
        if isinstance(data.get("review"), dict):
            cases.append({**data, "review": {**data["review"], "next_review": bad}})
    return cases


def _front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _check(root: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "printjournal", "-C", str(root), "check"],
                            capture_output=True, text=True, check=False)
    return (result.stdout + result.stderr).replace(str(root), "<root>").splitlines()


def main() -> None:
    rng = random.Random(13)
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pj-schema-") as folder:
        root = Path(folder) / "articles"
        _project(root)
        articles = root / "content/articles"
        for case in sorted((REPO / "tests/corpus/refused").glob("*.md")):
            shutil.copy2(case, articles / f"refused-{case.name}")
        cases = 0
        for sample in sorted(articles.glob("[!r]*.md")):
            data, body = _front(sample)
            for n, broken in enumerate(_mutations(data, rng)):
                (articles / f"m{n:03d}-{sample.name}").write_text(
                    f"---\n{_dump(broken)}---\n{body}", encoding="utf-8")
                cases += 1
        lines += _check(root)
        root = Path(folder) / "manifests"
        _project(root)
        issues = root / "content/issues"
        manifest = yaml.safe_load((issues / "winter-2026.yaml").read_text(encoding="utf-8"))
        for n, broken in enumerate(_mutations(manifest, rng)):
            (issues / f"m{n:03d}.yaml").write_text(_dump(broken), encoding="utf-8")
            cases += 1
        letter, body = _front(issues / "winter-2026-editorial.md")
        for n, broken in enumerate(_mutations(letter, rng)):
            (issues / f"letter{n:03d}.md").write_text(f"---\n{_dump(broken)}---\n{body}",
                                                      encoding="utf-8")
            (issues / f"l{n:03d}.yaml").write_text(
                _dump({**manifest, "editorial": f"issues/letter{n:03d}.md"}), encoding="utf-8")
            cases += 1
        lines += _check(root)
    print("\n".join(lines))
    print(f"{cases} cases, {len(lines)} lines")


if __name__ == "__main__":
    main()
