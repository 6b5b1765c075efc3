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
from collections.abc import Sequence
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
    options: str | None = None
    """The import options the capture was read with, as on the command line (`--paper 衢州日报 --year 2025`), so
    that `epaper rebuild` reads it again the same way; None when it was read with none."""


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
    continued_from: str | None = None
    """The page label this article is continued from (上接第一版 → '01'), when it is the rest of one."""
    continued_to: str | None = None
    """The page label this article continues on (下转第三版 → '03')."""
    edited: dt.date | None = None
    """The day a person last changed the article with `epaper edit`: `epaper rebuild` leaves it as it is."""


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


GENERIC_TITLES = frozenset(
    {"图片新闻", "新闻图片", "图片报道", "图说", "图说新闻", "摄影报道", "简讯", "短讯", "快讯", "简报", "新闻简报"}
    | {"圖片新聞", "新聞圖片", "圖片報道", "圖說", "圖說新聞", "攝影報道", "簡訊", "短訊", "快訊", "簡報", "新聞簡報"}
    | {"photo news", "in pictures", "news in brief", "in brief", "briefs"}
)
"""Titles that name a kind of item, not the item: a page may carry two 图片新闻, so their ids also hold the body's
opening (see `article_id`)."""
_OPENING = 16


def article_id(paper: str, date: dt.date, page: str, title: str, body: Sequence[Block] = ()) -> str:
    """Derive an article's stable id from its identity, so a corrected capture replaces the old one.

    The identity is paper, date, page and title; under a generic title (`GENERIC_TITLES`) it is also the first
    16 letters and digits of the body, so two picture-news items on one page are two articles.
    """
    import hashlib  # here, not at the top: listing and exporting never need it

    title = unicodedata.normalize("NFC", title)
    parts = [paper, date.isoformat(), page, title]
    if body and title.strip().casefold() in GENERIC_TITLES:
        parts.append("".join(ch for ch in unicodedata.normalize("NFKC", body[0].text) if ch.isalnum())[:_OPENING])
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
