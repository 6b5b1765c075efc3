"""The newspaper model every reader returns and every writer takes.

Order is always list order: pages in the paper's page order, articles in the order they were imported,
body blocks in reading order. The small value types (Person, Text, Heading, Caption, Source) are frozen:
`dataclasses.replace` makes a changed copy. (Freezing costs about half a millisecond per class when the
command starts, measured: 2.8 ms for the five, against about 100 ms for a one-capture import.)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """A named contributor with the role the paper gives them (记者, 通讯员, 责任编辑 …)."""

    role: str
    name: str


@dataclass(frozen=True)
class Text:
    """A body paragraph."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A sub-heading (小标题) inside an article."""

    text: str


@dataclass(frozen=True)
class Caption:
    """A picture caption, with its credit when the paper gives one."""

    text: str


Block = Text | Heading | Caption

BLOCK_KINDS: dict[str, type[Text] | type[Heading] | type[Caption]] = {
    "text": Text,
    "heading": Heading,
    "caption": Caption,
}
"""Archive key of each body block kind, in the order the schema documents them."""


def block_kind(block: Block) -> str:
    """Name a block by its archive key, so writers need no isinstance ladders."""
    for key, cls in BLOCK_KINDS.items():
        if isinstance(block, cls):
            return key
    raise TypeError(f"not a body block: {block!r}")


@dataclass(frozen=True)
class Source:
    """Where an article came from: the digest of the raw capture kept in the archive."""

    sha256: str
    reader: str | None = None
    read_on: dt.date | None = None


@dataclass
class Article:
    """One article on one page; its identity is paper, date, page and title."""

    title: str
    id: str = ""
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    authors: list[Person] = field(default_factory=list)
    dateline: str | None = None
    body: list[Block] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)
    source: Source | None = None


@dataclass
class Page:
    """A printed page (版面): its label such as '03' or 'A03', and its section name when it has one."""

    label: str
    section: str | None = None
    articles: list[Article] = field(default_factory=list)


@dataclass
class Issue:
    """One day's issue of one paper."""

    paper: str
    date: dt.date
    pages: list[Page] = field(default_factory=list)

    def page(self, label: str) -> Page | None:
        """Find a page by its label."""
        for page in self.pages:
            if page.label == label:
                return page
        return None

    def articles(self) -> list[tuple[Page, Article]]:
        """Every article with its page, in page order."""
        return [(page, article) for page in self.pages for article in page.articles]


@dataclass(frozen=True)
class PaperInfo:
    """What the archive's paper registry (papers.yaml) knows of a paper beyond its issues, for citations and
    metadata; every field is optional but the name, and holds only values that passed the registry's checks."""

    name: str
    aliases: tuple[str, ...] = ()
    language: str | None = None
    place: str | None = None
    publisher: str | None = None
    issn: str | None = None
    cn: str | None = None
    frequency: str | None = None


_PAGE_LABEL = re.compile(r"^([A-Z]*)(\d+)$")


def page_sort_key(label: str) -> tuple[int, str, int, str]:
    """Order pages as the paper does: 3 before 12, unlettered pages first, then A01 < A02 < B01."""
    match = _PAGE_LABEL.match(label)
    if match is None:
        return (2, label, 0, label)
    letters, number = match.groups()
    return (1 if letters else 0, letters, int(number), label)


def article_id(paper: str, date: dt.date, page: str, title: str) -> str:
    """Derive an article's stable id from its identity, so a corrected capture replaces the old one."""
    import hashlib  # here, not at the top: listing and exporting never need it

    key = "\x1f".join([paper, date.isoformat(), page, unicodedata.normalize("NFC", title)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
