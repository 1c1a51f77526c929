"""Values in, an HTML document out: the Jinja2 layouts in ``layouts/``.

Templates belong to designers. They receive frozen dataclasses (the article,
the journal, the labels of the article's language) and never need the
Python. The environment is strict (an undefined name is an error, not an
empty string) and autoescapes, and a mistake in a template is reported as
``layouts/<file>:<line>: message``.
"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import LayoutError, Problem, relative
from ..markup import makeup
from ..markup.breaks import address_lines, breakable_url
from ..model import PAPER_SIZES, Article, Body, Project


@dataclass(frozen=True)
class Labels:
    """The words the layouts print around the content, in one language."""

    lang: str
    values: tuple[tuple[str, Any], ...]

    def __getattr__(self, name: str) -> Any:
        for key, value in self.values:
            if key == name:
                return value
        raise AttributeError(f"no label '{name}' for language '{self.lang}' in labels.toml")

    def date(self, day: dt.date) -> str:
        """A date as people read it: '17 June 2026', '17. Juni 2026'."""
        months = self.months
        return str(self.date_format).format(day=day.day, month=months[day.month - 1],
                                            year=day.year)


class Layouts:
    """The project's layouts folder as a Jinja environment."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.folder = project.layouts_dir
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.folder),
            autoescape=jinja2.select_autoescape(["html", "xml", "svg"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True)
        self.env.filters["shorten"] = shorten
        self.env.filters["filesize"] = filesize
        self.env.filters["direction"] = direction
        self.env.filters["breakable_url"] = breakable_url
        self.env.filters["unbroken"] = makeup.unbroken
        self.env.filters["address_lines"] = address_lines
        self._labels = self._load_labels()

    def _load_labels(self) -> dict[str, dict[str, Any]]:
        path = self.folder / "labels.toml"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise LayoutError.at(relative(path, self.project.root), 0,
                                 f"cannot read: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise LayoutError.at(relative(path, self.project.root), 1, f"TOML: {exc}") from None
        if "en" not in data:
            raise LayoutError.at(relative(path, self.project.root), 1,
                                 "labels.toml needs an [en] table, the fallback language")
        return data

    def check(self) -> list[Problem]:
        """Compile every template, so ``printjournal check`` finds layout mistakes too."""
        problems: list[Problem] = []
        for path in sorted(self.folder.glob("*.html")):
            try:
                self.env.get_template(path.name)
            except jinja2.TemplateSyntaxError as exc:
                where = Path(exc.filename) if exc.filename else path
                problems.append(Problem(relative(where, self.project.root), exc.lineno or 0,
                                        exc.message or "syntax error"))
        return problems

    def labels(self, lang: str) -> Labels:
        """Labels for ``lang`` (en-GB → en), falling back to English."""
        chosen = self._labels.get(lang.lower(), self._labels.get(lang.split("-")[0].lower(), {}))
        merged = {**self._labels["en"], **chosen}
        return Labels(lang, tuple(sorted(merged.items())))

    def render(self, name: str, **context: Any) -> str:
        """Render ``layouts/<name>`` with ``context``."""
        paper = self.project.journal.paper
        context.setdefault("paper", paper)
        context.setdefault("paper_size", PAPER_SIZES[paper])
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            path = Path(exc.filename) if exc.filename else self.folder / name
            raise LayoutError.at(relative(path, self.project.root), exc.lineno,
                                 exc.message or "syntax error") from None
        except jinja2.TemplateNotFound as exc:
            raise LayoutError.at(relative(self.folder / str(exc.name), self.project.root), 0,
                                 "template not found") from None
        except (jinja2.UndefinedError, TypeError, AttributeError, ValueError,
                KeyError, IndexError) as exc:
            path, line = self._template_frame(exc, name)
            raise LayoutError([Problem(path, line, str(exc))]) from None

    def _template_frame(self, exc: BaseException, name: str) -> tuple[Path, int]:
        """The innermost template file and line in ``exc``'s traceback."""
        found = (self.folder / name, 0)
        tb = exc.__traceback__ or sys.exc_info()[2]
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.startswith(str(self.folder)):
                found = (Path(filename), tb.tb_lineno)
            tb = tb.tb_next
        return relative(found[0], self.project.root), found[1]


def shorten(text: str, limit: int = 48) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, with '…' (a
    first word longer than that is kept whole: never cut inside a word)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if not text[limit - 1].isspace():     # the cut falls inside a word: drop that word
        head = head.rsplit(" ", 1)[0] if " " in head else text.split(" ", 1)[0]
    return text if head == text else head.rstrip(" ,;:–—-") + "…"


#: Languages written right to left (ISO 639 codes): Arabic, Urdu, Persian, Pashto,
#: Sindhi, Kurdish (Sorani), Uyghur, Hebrew, Yiddish, Dhivehi.
RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "ps", "sd", "ckb", "ug", "he", "yi", "dv"})


def direction(lang: str) -> str:
    """The HTML ``dir`` of a language tag: 'rtl' for ar, ur-PK, he, ...; else 'ltr'."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def filesize(size: int, decimal_mark: str = ".") -> str:
    """A file size as readers read it: '98 KB', '2.4 MB' (1 KB = 1000 bytes)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".", decimal_mark)


def article_html(layouts: Layouts, article: Article, body: Body,
                 template: str = "article.html", **extra: Any) -> str:
    """The full HTML document of one article."""
    journal = layouts.project.journal
    return layouts.render(
        template,
        journal=journal,
        article=article,
        body=Markup(body.html),
        cited=body.cited,
        read_next=body.links,
        labels=layouts.labels(article.lang),
        disclaimer=journal.disclaimer_for(article.lang),
        **extra)
