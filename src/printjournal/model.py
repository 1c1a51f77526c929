"""The values that pass between stages: frozen dataclasses, no loose dicts.

``config`` makes a :class:`Project`, ``content`` makes :class:`Article` values,
``markup`` turns an article's Markdown into :class:`Body` HTML, and the later
stages only read these.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from pathlib import Path

PAPER_SIZES: dict[str, tuple[float, float]] = {  # millimetres, portrait
    "A4": (210, 297),
    "A5": (148, 210),
    "Letter": (215.9, 279.4),
}


@dataclass(frozen=True)
class Journal:
    """The journal as printjournal.toml describes it."""

    name: str
    publisher: str
    base_url: str
    paper: str
    lang: str
    disclaimer: str
    disclaimers: tuple[tuple[str, str], ...] = ()  # (language, text) overrides

    def disclaimer_for(self, lang: str) -> str:
        primary = lang.split("-")[0].lower()
        for code, text in self.disclaimers:
            if code.lower() in (lang.lower(), primary):
                return text
        return self.disclaimer


@dataclass(frozen=True)
class Clinic:
    """A clinic whose staff print leaflets (printjournal.toml ``[[clinics]]``)."""

    id: str
    name: str
    logo: Path | None
    address: str
    phone: str
    email: str
    hours: str
    website: str
    default: bool = False


#: How sources are numbered (printjournal.toml ``[sources] order``): in order of first
#: citation (Vancouver, ICMJE: the default), or in the order the front matter lists them.
SOURCE_ORDERS = ("citation", "list")

#: What ``[validation]`` in printjournal.toml may say about a kind of finding.
SEVERITIES = ("warn", "error", "ignore")


@dataclass(frozen=True)
class Validation:
    """How strictly content is judged (printjournal.toml ``[validation]``), as in MkDocs.

    ``unknown_links``: a link to an article the project does not hold (it lives
    on the website only) is a warning, an error, or let pass.
    """

    unknown_links: str = "warn"


OVERDUE_RULES = ("mark", "withhold")


@dataclass(frozen=True)
class Governance:
    """Clinical governance of what readers download (printjournal.toml ``[governance]``).

    ``overdue``: an article past its next review on the day of a website build is
    offered marked "Due for clinical review since ..." (``"mark"``), or left out of
    the website (``"withhold"``).
    """

    overdue: str = "mark"


@dataclass(frozen=True)
class PlainLimits:
    """How plain one product's language must be (printjournal.toml ``[plain_language.*]``)."""

    max_grade: float           # reading grade (school years) above which check warns
    sentence_words: int        # a sentence longer than this is long
    long_sentence_percent: float   # warn at each long sentence when more are long than this


#: Products judged for plain language; leaflets go to patients, so stricter.
PLAIN_DEFAULTS = {"article": PlainLimits(8, 25, 10), "leaflet": PlainLimits(6, 20, 5)}
#: Governance elements a project may require of every article.
GOVERNANCE_ELEMENTS = ("owner", "review", "sources", "feedback")


@dataclass(frozen=True)
class Editorial:
    """What editors require (printjournal.toml ``[plain_language]``, ``[governance]``)."""

    plain: tuple[tuple[str, PlainLimits], ...] = tuple(PLAIN_DEFAULTS.items())
    require: tuple[str, ...] = ()          # of GOVERNANCE_ELEMENTS

    def limits(self, product: str) -> PlainLimits:
        return dict(self.plain)[product]


@dataclass(frozen=True)
class PrintSettings:
    """The press the print edition is made for (printjournal.toml ``[print]``)."""

    profile: Path | None = None   # the press's CMYK ICC profile (the output intent)
    condition: str = "FOGRA39"    # its output condition identifier (color.org registry)
    ink_limit: int = 300          # total area coverage, % (C + M + Y + K)
    bleed_mm: float = 3.0         # BleedBox beyond the TrimBox on each side


@dataclass(frozen=True)
class BuildSettings:
    """``[build]``: where the website build renders (None: local worker processes)."""

    scheduler: str | None = None     # a Dask scheduler's address, "tcp://host:port"
    cache: str | None = None         # render cache entries: a folder, or "s3://bucket/prefix"


@dataclass(frozen=True)
class Project:
    """A printjournal project folder and its validated configuration."""

    root: Path
    journal: Journal
    clinics: tuple[Clinic, ...] = ()
    validation: Validation = field(default_factory=Validation)
    editorial: Editorial = field(default_factory=Editorial)
    source_order: str = "citation"
    press: PrintSettings = field(default_factory=PrintSettings)
    governance: Governance = field(default_factory=Governance)
    build: BuildSettings = field(default_factory=BuildSettings)

    @property
    def config_path(self) -> Path:
        return self.root / "printjournal.toml"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def articles_dir(self) -> Path:
        return self.content_dir / "articles"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    def article_url(self, slug: str) -> str:
        return f"{self.journal.base_url}/journal/{slug}"


@dataclass(frozen=True)
class Source:
    """One numbered entry of an article's Sources list."""

    id: str
    number: int
    text: str
    url: str | None
    line: int


@dataclass(frozen=True)
class Review:
    """Clinical governance of an article (front matter ``review``)."""

    version: str
    reviewed: dt.date
    next_review: dt.date
    owner: str

    def overdue(self, today: dt.date) -> bool:
        return self.next_review < today


class ReviewState(enum.StrEnum):
    """Where an article stands in its clinical review on a day: the one set of states
    check, the website's ``overdue`` rule, leaflets, the report and the desk share.

    The values are the words the layouts test and use as CSS classes (leaflet.css
    ``.part.overdue``, desk.css ``.status-unreviewed``); :attr:`words` is how the report
    says them."""

    REVIEWED = "reviewed"        # reviewed, the next review not yet due
    DUE_SOON = "due-soon"        # reviewed, the next review due within the warning days
    OVERDUE = "overdue"          # past its next review date
    UNREVIEWED = "unreviewed"    # no ``review`` in its front matter

    @classmethod
    def of(cls, review: Review | None, today: dt.date, warn_days: int = 0) -> ReviewState:
        """The state of ``review`` on ``today``; DUE_SOON only when ``warn_days`` > 0 and
        the next review falls within that many days (the report warns 60 days ahead)."""
        if review is None:
            return cls.UNREVIEWED
        if review.overdue(today):
            return cls.OVERDUE
        if review.next_review <= today + dt.timedelta(days=warn_days) and warn_days > 0:
            return cls.DUE_SOON
        return cls.REVIEWED

    @property
    def words(self) -> str:
        """As the report prints it: "reviewed", "due soon", "overdue", "not reviewed"."""
        return "not reviewed" if self is ReviewState.UNREVIEWED else self.replace("-", " ")


@dataclass(frozen=True)
class Article:
    """An article as its file says it, validated."""

    path: Path           # relative to the project folder
    slug: str
    title: str
    section: str
    date: dt.date
    lang: str
    url: str
    body: str            # the Markdown after the front matter
    body_line: int       # line of the file where ``body`` starts
    dek: str = ""
    short_title: str = ""  # for running heads and captions, where the title is too long
    authors: tuple[str, ...] = ()
    reading_time: int = 1
    sources: tuple[Source, ...] = ()
    review: Review | None = None
    tags: tuple[str, ...] = ()
    sample: bool = False
    feedback: str = ""          # how readers tell the journal what they think
    translation_of: str = ""    # the slug of the original, for a translation
    source_version: str = ""    # the original's review.version it was translated from

    @property
    def running_title(self) -> str:
        """The title where room is short (running heads, captions): ``short_title``, if
        given; the layouts shorten it further at a word boundary if they must."""
        return self.short_title or self.title

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str


@dataclass(frozen=True)
class PrintedLink:
    """A link whose web address prints at the article's end (the "Read next" list)."""

    text: str       # the link's text, as the article words it
    address: str    # the address as printed ("cureon.example/journal/...")
    href: str


@dataclass(frozen=True)
class Body:
    """An article's body as sanitised HTML, with what the layout needs to know."""

    html: str
    headings: tuple[Heading, ...] = field(default=())
    cited: tuple[str, ...] = field(default=())   # source ids in order of first citation
    links: tuple[PrintedLink, ...] = field(default=())   # in order of first mention
