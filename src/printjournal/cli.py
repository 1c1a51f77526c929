"""Command-line arguments in, library calls and an exit status out.

The CLI is thin: it finds the project, calls the library, prints what was
written, and turns our errors into ``path:line: message`` lines on stderr, never a
traceback: exit status 2 for a usage mistake (``PrintjournalError.usage``), 1 for the rest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import printjournal

from . import __version__, files, progress, styles
from .checks.check import check
from .editions import EDITIONS, edition
from .errors import Notices, PrintjournalError
from .load import config
from .outputs import PUBLISHED

log = logging.getLogger("printjournal")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    logging.getLogger("printjournal").setLevel(
        logging.DEBUG if args.verbose else logging.WARNING)
    args.notices = Notices(strict=args.strict)
    try:
        return int(args.command(args) or 0)
    except PrintjournalError as exc:
        _show_warnings(args.notices)
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if not exc.problems:     # an error about no file: said after the command's name
            print(f"printjournal {args.command_name}: {exc}", file=sys.stderr)
        return 2 if exc.usage else 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:     # `printjournal ... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="printjournal", description="Turn journal articles into print-ready PDFs.")
    parser.add_argument("--version", action="version", version=f"printjournal {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="say more")
    parser.add_argument("-C", "--project", type=Path, default=None,
                        help="the project folder (default: look upward for printjournal.toml)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND", dest="command_name")
    strict = argparse.ArgumentParser(add_help=False)
    strict.add_argument("--strict", action="store_true", help="treat warnings as errors "
                        "(exit status 1, nothing written)")
    parser.set_defaults(strict=False)

    article = commands.add_parser("article", help="render one article to PDF", parents=[strict])
    article.add_argument("path", type=Path, help="the article's Markdown file")
    article.add_argument("-o", "--output", type=Path, help="the PDF to write "
                         "(default: dist/articles/<slug>.pdf)")
    article.set_defaults(command=_article)

    check = commands.add_parser("check", help="report every problem in the content",
                                parents=[strict])
    check.add_argument("paths", type=Path, nargs="*", help="files to check (default: all)")
    check.set_defaults(command=_check)

    serve = commands.add_parser("serve", help="run the leaflet desk, a local web app")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8040, help="port (default: 8040)")
    serve.add_argument("--debug", action="store_true", help="Flask's debug server, not waitress")
    serve.add_argument("--dist", type=Path, help="the website build to offer for download "
                       "(default: dist/)")
    serve.add_argument("--insecure", action="store_true", help="allow a --host beyond this "
                       "machine without a password (PRINTJOURNAL_DESK_PASSWORD_HASH)")
    serve.add_argument("--public-host", metavar="NAME:PORT", default="",
                       help="the address a reverse proxy serves the desks at")
    serve.set_defaults(command=_serve)

    leaflet = commands.add_parser(
        "leaflet", help="print a patient leaflet of one or more articles", parents=[strict],
        description="A patient leaflet for clinic staff: the clinic's front band, the "
                    "articles, and a closing panel with the clinic's details and QR codes.")
    leaflet.add_argument("slugs", nargs="+", metavar="SLUG", help="the articles, in order")
    leaflet.add_argument("--clinic", metavar="ID", help="clinic id from printjournal.toml "
                         "(default: the default clinic)")
    chosen = leaflet.add_mutually_exclusive_group()   # one option per style (styles.py)
    for style in styles.STYLES:
        if style != styles.STANDARD:
            chosen.add_argument(f"--{style.name}", dest="style", action="store_const",
                                const=style.name, help=style.help)
    leaflet.set_defaults(style=styles.STANDARD.name)
    leaflet.add_argument("--paper", type=str.lower, choices=["a4", "a5", "letter"],
                         help="paper size (default: the project's; A5 for --booklet)")
    leaflet.add_argument("--booklet", action="store_true",
                         help="an A5 booklet on A4 landscape sheets (print double-sided, "
                              "flip on the short edge, fold); print-only, not for screens")
    leaflet.add_argument("--allow-overdue", action="store_true",
                         help="print articles past their review date, marked 'Review overdue'")
    leaflet.add_argument("--allow-stale", action="store_true",
                         help="print translations older than their original, marked as such")
    leaflet.add_argument("--for", dest="for_name", default="", metavar="NAME",
                         help="the patient's name, printed on the front only")
    leaflet.add_argument("--note", default="", metavar="TEXT",
                         help="a clinician's note, printed on the front only")
    leaflet.add_argument("-o", "--output", type=Path, help="the PDF to write (default: "
                         "dist/leaflets/<slugs>-<clinic>-<paper>[-<options>].pdf; with "
                         "--for or --note, -o or --printouts is required)")
    leaflet.add_argument("--printouts", action="store_true", help="write to printouts/ "
                         "(outside dist/, never published): for leaflets with --for, --note")
    leaflet.add_argument("--force", action="store_true",
                         help="replace an existing file with a leaflet for a patient")
    leaflet.set_defaults(command=_leaflet)

    issue = commands.add_parser("issue", help="build a quarterly issue from its manifest",
                                parents=[strict])
    issue.add_argument("manifest", type=Path, help="the issue's manifest (content/issues/*.yaml)")
    issue.add_argument("--edition", choices=[e.name for e in EDITIONS], default="digital",
                       help="digital: for readers, PDF/UA (default); print: bleed, crop "
                       "marks, a multiple of 4 pages")
    issue.add_argument("-o", "--output", type=Path, help="the PDF to write "
                       "(default: dist/issues/<manifest>.pdf or <manifest>-print.pdf)")
    issue.add_argument("-j", "--jobs", type=_positive, default=None,
                       help="worker processes (default: one per core; 1 renders every part "
                       "here, slower but in the least memory)")
    issue.set_defaults(command=_issue)

    editorial = commands.add_parser(
        "report", help="every article's reading grade, review, owner, sources, translations")
    editorial.add_argument("-o", "--output", type=Path, help="folder for report.html "
                           "(default: dist)")
    editorial.set_defaults(command=_report)

    preview = commands.add_parser("preview", help="see an article's pages as you write: "
                                  "re-rendered on every save, on this machine only")
    preview.add_argument("path", type=Path, help="the article's Markdown file")
    preview.add_argument("--port", type=int, default=8041, help="port (default: 8041)")
    preview.set_defaults(command=_preview)

    check_pdf = commands.add_parser("preflight", help="check a PDF as a print shop would: "
                                    "PDF/X, CMYK, ink, fonts, images, bleed, renders")
    check_pdf.add_argument("pdf", type=Path, help="the PDF (a print edition)")
    check_pdf.add_argument("--json", action="store_true", help="the report as JSON")
    check_pdf.set_defaults(command=_preflight)

    website = commands.add_parser("build", help="build the website's downloads: every PDF, "
                                  "manifest.json and index.html, only what changed",
                                  parents=[strict])
    website.add_argument("-o", "--output", type=Path, help="folder (default: dist)")
    website.add_argument("-j", "--jobs", type=_positive, default=None,
                         help="worker processes (default: one per core)")
    website.add_argument("--scheduler", metavar="ADDRESS", type=_scheduler,
                         help="render on the Dask cluster whose scheduler is at ADDRESS "
                         "(tcp://host:port; default: [build] scheduler, else this machine)")
    website.add_argument("--clean", action="store_true",
                         help="first drop the render cache and everything built before")
    website.set_defaults(command=_build)
    return parser


def _project(args: argparse.Namespace) -> printjournal.Project:
    return printjournal.load_project(args.project)


def _article(args: argparse.Namespace) -> int:
    project = _project(args)
    built = printjournal.build_article(printjournal.Pipeline.load(project), args.path,
                                       args.output, args.notices)
    _show_warnings(args.notices)
    print(f"{built.path}  {built.pages} pages  {built.bytes // 1024} KiB")
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up, not {text!r}")
    return int(text)


def _scheduler(text: str) -> str:
    if not config.SCHEDULER_ADDRESS.match(text):
        raise argparse.ArgumentTypeError(f"must be a Dask scheduler's address such as "
                                         f"tcp://10.0.0.5:8786, not {text!r}")
    return text


def _build(args: argparse.Namespace) -> int:
    project = _project(args)
    summary = printjournal.build_site(
        project, args.output or project.root / PUBLISHED, jobs=args.jobs, clean=args.clean,
        reporter=progress.Progress(), notices=args.notices, scheduler=args.scheduler)
    return 1 if summary.failed or summary.problems else 0


def _serve(args: argparse.Namespace) -> int:
    from .desk import web
    from .desk.guard import PASSWORD_VARIABLE, DeskAccess, shared_secret

    project = _project(args)
    settings = web.DeskSettings(dist=args.dist or project.root / PUBLISHED)
    access = DeskAccess(args.host, args.port, os.environ.get(PASSWORD_VARIABLE, ""),
                        args.insecure, public=args.public_host,
                        csrf=shared_secret(project.root / ".printjournal-cache"))
    web.serve(project, settings, access, args.debug)
    return 0


def _leaflet(args: argparse.Namespace) -> int:
    # imported here: only this command needs pypdf's and segno's import time
    from .cache import RenderCache
    from .leaflet import build as leaflet

    project = _project(args)
    request = leaflet.LeafletRequest(
        slugs=tuple(args.slugs), clinic=args.clinic,
        paper={"a4": "A4", "a5": "A5", "letter": "Letter"}.get(args.paper or ""),
        style=args.style, booklet=args.booklet, allow_overdue=args.allow_overdue,
        allow_stale=args.allow_stale)
    store = RenderCache.for_project(project)
    personal = leaflet.Personal(args.for_name, args.note)
    out = leaflet.output_path(project, request, personal, args.output, args.printouts,
                              args.force)
    with files.output_faults(out, project.root, store.folder):
        made = printjournal.build_leaflet(printjournal.Pipeline.load(project), request,
                                          dt.date.today(), personal, store, args.notices)
        files.write_atomic(out, made.data)
    _show_warnings(args.notices)
    sheets = f" on {made.sheets} sheets, print double-sided, flip on the short edge" \
        if made.sheets else ""
    print(f"{out}  {made.pages} pages{sheets}  {len(made.data) // 1024} KiB")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from . import cache, outputs
    from .outputs import ISSUE

    project = _project(args)
    pipeline = printjournal.Pipeline.load(project)
    out = args.output or outputs.published(project, ISSUE, args.manifest.stem,
                                           edition(args.edition, args.manifest))
    store = cache.RenderCache.for_project(project)
    with files.output_faults(out, project.root, store.folder):
        built = printjournal.build_issue(pipeline, args.manifest, out, edition=args.edition,
                                  store=store, workers=args.jobs, notices=args.notices)
    _show_warnings(args.notices)
    print(f"{built.path}  {built.pages} pages  {built.bytes // 1024} KiB")
    return 0


def _report(args: argparse.Namespace) -> int:
    from .checks import report

    project = _project(args)
    table, page = report.report(project, args.output or project.root / PUBLISHED, dt.date.today())
    print(table)
    print(f"\n{page}")
    return 0


def _preview(args: argparse.Namespace) -> int:
    from .preview import server as preview

    project = _project(args)
    if not args.path.is_file():
        print(f"printjournal preview: {args.path}: no such file", file=sys.stderr)
        return 2
    try:
        preview.serve(project, args.path, args.port)
    except OSError as exc:
        print(f"printjournal preview: port {args.port}: {exc.strerror}: try --port N",
              file=sys.stderr)
        return 2
    return 0


def _preflight(args: argparse.Namespace) -> int:
    from . import press
    from .errors import ContentError
    from .model import PrintSettings

    try:   # the project's [print] settings when there is one, else the defaults
        settings = _project(args).press
    except PrintjournalError:
        settings = PrintSettings()
    if not args.pdf.is_file():
        raise ContentError.at(args.pdf, 0, "no such file")
    report = press.preflight(args.pdf, settings)
    print(report.json() if args.json else report.text())
    return 1 if report.failed else 0


def _check(args: argparse.Namespace) -> int:
    project = _project(args)
    problems = check(project, args.paths or None, args.notices)
    _show_warnings(args.notices)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"no problems, {len(args.notices)} warning(s)" if args.notices else "no problems")
    return 0


def _show_warnings(notices: Notices) -> None:
    for notice in notices.found:
        print(notice, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
