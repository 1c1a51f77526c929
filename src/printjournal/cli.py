"""Command-line arguments in, library calls and an exit status out.

The CLI is thin: it finds the project, calls the library, prints what was
written, and turns our errors into ``path:line: message`` lines on stderr and
exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, build, config, progress, site
from .errors import PrintjournalError

log = logging.getLogger("printjournal")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    logging.getLogger("printjournal").setLevel(
        logging.DEBUG if args.verbose else logging.INFO)
    try:
        return int(args.command(args) or 0)
    except PrintjournalError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="printjournal", description="Turn journal articles into print-ready PDFs.")
    parser.add_argument("--version", action="version", version=f"printjournal {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="say more")
    parser.add_argument("-C", "--project", type=Path, default=None,
                        help="the project folder (default: look upward for printjournal.toml)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    article = commands.add_parser("article", help="render one article to PDF")
    article.add_argument("path", type=Path, help="the article's Markdown file")
    article.add_argument("-o", "--output", type=Path, help="the PDF to write "
                         "(default: dist/articles/<slug>.pdf)")
    article.set_defaults(command=_article)

    check = commands.add_parser("check", help="report every problem in the content")
    check.add_argument("paths", type=Path, nargs="*", help="files to check (default: all)")
    check.set_defaults(command=_check)

    website = commands.add_parser("build", help="build the website's downloads: every PDF, "
                                  "manifest.json and index.html, only what changed")
    website.add_argument("-o", "--output", type=Path, help="folder (default: dist)")
    website.add_argument("-j", "--jobs", type=_positive, default=None,
                         help="worker processes (default: one per core)")
    website.add_argument("--clean", action="store_true",
                         help="first drop the render cache and everything built before")
    website.set_defaults(command=_build)
    return parser


def _project(args: argparse.Namespace):  # noqa: ANN202
    root = args.project if args.project else config.find_root(Path.cwd())
    return config.load_project(root)


def _article(args: argparse.Namespace) -> int:
    project = _project(args)
    pipeline = build.Pipeline.load(project)
    article = build.load_checked_article(project, args.path)
    out = args.output or project.root / "dist" / "articles" / f"{article.slug}.pdf"
    built = build.build_article(pipeline, args.path, out)
    print(f"{built.path}  {built.pages} pages  {built.bytes // 1024} KiB")
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up, not {text!r}")
    return int(text)


def _build(args: argparse.Namespace) -> int:
    project = _project(args)
    summary = site.build_site(project, args.output or project.root / "dist", jobs=args.jobs,
                              clean=args.clean, reporter=progress.Progress())
    return 1 if summary.failed or summary.problems else 0


def _check(args: argparse.Namespace) -> int:
    project = _project(args)
    problems = build.check(project, args.paths or None)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
