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

from . import __version__, build, config
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

    articles = commands.add_parser("articles", help="render every article to PDF")
    articles.add_argument("-o", "--output", type=Path, help="folder (default: dist/articles)")
    articles.set_defaults(command=_articles)

    issue = commands.add_parser("issue", help="build a quarterly issue from its manifest")
    issue.add_argument("manifest", type=Path, help="the issue's manifest (content/issues/*.yaml)")
    issue.add_argument("--edition", choices=("digital", "print"), default="digital",
                       help="digital: for readers, PDF/UA (default); print: bleed, crop "
                       "marks, a multiple of 4 pages")
    issue.add_argument("-o", "--output", type=Path, help="the PDF to write "
                       "(default: dist/issues/<manifest>.pdf or <manifest>-print.pdf)")
    issue.set_defaults(command=_issue)
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


def _articles(args: argparse.Namespace) -> int:
    project = _project(args)
    problems = build.check(project)
    if problems:
        raise PrintjournalError(problems)
    pipeline = build.Pipeline.load(project)
    folder = args.output or project.root / "dist" / "articles"
    for path in build.content.article_paths(project):
        article = build.load_checked_article(project, path)
        built = build.build_article(pipeline, path, folder / f"{article.slug}.pdf")
        print(f"{built.path}  {built.pages} pages  {built.bytes // 1024} KiB")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from . import cache, issue

    project = _project(args)
    pipeline = build.Pipeline.load(project)
    name = args.manifest.stem + ("-print" if args.edition == "print" else "")
    out = args.output or project.root / "dist" / "issues" / f"{name}.pdf"
    built = issue.build_issue(pipeline, args.manifest, out, edition=args.edition,
                              store=cache.RenderCache.for_project(project))
    print(f"{built.path}  {built.pages} pages  {built.bytes // 1024} KiB")
    return 0


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
