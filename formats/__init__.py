"""The formats epaper reads and writes, as two tables (pandoc's `Readers` and `Writers`).

A reader turns one input's decoded text into issues: `read(text, name, options) -> list[Issue]`; a writer
turns issues into bytes: `write(issues, out, options) -> None`. Modules load only when their format is used,
so a command pays for the formats it touches and no other. Nothing here imports the command-line layer,
forks a process, keeps a cache or touches the archive: that is `epaper_cli`'s work.

The formats, each one module named in a table: `capture` (reader-app captures), `frontmatter` (text with a
YAML header), `text` (plain text, read and written), `epub`, `pdf`, `jsonl` (one JSON object per article, for
engines bigger than epaper). Every other module is a helper:

- of the readers: `decode` (bytes to text), `normalize` (spaces, punctuation, dates, page labels, bylines),
  `han` (telling Chinese characters apart);
- of the writers: `vocabulary` (an issue's language and every label the writers print), `typefaces` (how
  the writers are given fonts), `epub_*` (the EPUB's documents, package and cover), `pdf_*` (the PDF's line
  breaking, page make-up, fonts and composite-font embedding);
- of the text format, both ways: `text_escapes` (how a value that would not read back is written).
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import TYPE_CHECKING

from epaper_cli.errors import InputError
from epaper_cli.model import Issue, PaperInfo, Source

if TYPE_CHECKING:
    from epaper_cli.formats.typefaces import Fonts


READERS_VERSION = 1
"""Bumped whenever a reader gives something else for the same bytes (a normalisation changes, say): an import
then parses again the captures the archive already keeps instead of trusting what they gave before."""


@dataclass(frozen=True)
class ReadOptions:
    """What the user told the importer: corrections (`paper`, `date`) and fill-ins (`year`)."""

    paper: str | None = None
    date: dt.date | None = None
    year: int | None = None
    encoding: str | None = None
    keep_punctuation: bool = False
    plain_body: bool = False
    """Every body line a paragraph as captured: no sub-headings, captions, bylines or markers taken out of it."""


@dataclass(frozen=True)
class Reader:
    """One input format: its module, and a cheap look at the text that says whether the module should be asked."""

    name: str
    module: str
    may_be: Callable[[str], bool]
    """A quick test on the decoded text; the module's own `looks_like` confirms it (the module loads only then)."""

    def load(self) -> ModuleType:
        """The format's module."""
        return importlib.import_module(f"{__name__}.{self.module}")


READERS: tuple[Reader, ...] = (
    Reader("frontmatter", "frontmatter", lambda text: text.startswith("---\n")),
    Reader("text", "text", lambda text: "\n===" in text[:400]),
    # Reader-app captures, the bulk of any import, name their paper in a label near the top: no web page does.
    Reader("webpage", "webpage", lambda text: "报纸名称" not in text[:600] and "報紙名稱" not in text[:600]),
    Reader("capture", "capture", lambda text: True),
)
"""Tried in order; the reader-app capture reader, last, takes whatever the others do not recognise."""


def reader_for(text: str) -> Reader:
    """The first reader in the table that recognises the text."""
    for reader in READERS:
        if reader.may_be(text) and reader.load().looks_like(text):
            return reader
    raise AssertionError("the capture reader takes any text")  # pragma: no cover


def read_bytes(data: bytes, name: str, options: ReadOptions) -> list[Issue]:
    """Read one input file's raw bytes into issues; every article's source points at those bytes."""
    import hashlib  # here: exporting and listing never need it

    from epaper_cli.formats.controls import strip_controls
    from epaper_cli.formats.decode import decode

    text, removed = strip_controls(decode(data, name, options.encoding))
    if removed:
        import warnings

        warnings.warn(f"{name}: {removed} control characters removed (terminal escapes are never kept)", stacklevel=2)
    issues: list[Issue] = reader_for(text).load().read(text, name, options)
    digest = hashlib.sha256(data).hexdigest()
    for issue in issues:
        _refuse_implausible_date(issue, name)
        for _page, article in issue.articles():
            article.source = replace(article.source or Source(sha256=digest), sha256=digest)
    return issues


EARLIEST_ISSUE = dt.date(1800, 1, 1)
"""No paper a reader app offers is older: an earlier date is a misread or a typo."""
AHEAD_DAYS = 7
"""How far an issue's date may lie after the day it was read (or after today): weekend editions come early."""


def _refuse_implausible_date(issue: Issue, name: str) -> None:
    """Refuse an issue date no reader could have read: before 1800, or days after it was read or after today."""
    read_on = [a.source.read_on for _p, a in issue.articles() if a.source is not None and a.source.read_on]
    reference = min([dt.date.today(), *read_on])
    said = f"it was read on {reference.isoformat()}" if read_on and reference in read_on else "today"
    if issue.date < EARLIEST_ISSUE:
        raise InputError(name, f"issue date {issue.date.isoformat()} is before 1800: a misread date? pass --date")
    if (issue.date - reference).days > AHEAD_DAYS:
        raise InputError(
            name, f"issue date {issue.date.isoformat()} is more than {AHEAD_DAYS} days after {said}: pass --date"
        )


@dataclass(frozen=True)
class WriteOptions:
    """What the user told the exporter; each writer reads what concerns it."""

    fonts: Fonts | None = None
    """Where the PDF and the EPUB cover get their fonts (see `typefaces`); without it the cover has no text."""
    page_size: str = "A4"
    vertical: bool = False
    papers: Mapping[str, PaperInfo] = field(default_factory=dict)
    """What the archive's paper registry knows of the papers, by name: the books' metadata takes it from here."""

    def publishers(self, papers: Iterable[str]) -> list[str]:
        """Who publishes the papers: the registry's publisher, else the paper itself (each named once)."""
        found = []
        for paper in papers:
            info = self.papers.get(paper)
            found.append(info.publisher if info is not None and info.publisher else paper)
        return list(dict.fromkeys(found))

    def places(self, papers: Iterable[str]) -> list[str]:
        """Where the papers are published, as far as the registry says."""
        found = [info.place for info in map(self.papers.get, papers) if info is not None and info.place]
        return list(dict.fromkeys(found))

    def language(self, papers: Iterable[str]) -> str | None:
        """The registry's language of the papers, when it gives one and the same for each of them."""
        tags = {info.language if info is not None else None for info in map(self.papers.get, papers)}
        return next(iter(tags)) if len(tags) == 1 else None


def several(issues: Iterable[Issue]) -> tuple[Iterator[Issue], bool]:
    """The issues again, one at a time, and whether there are more than one: a writer lays out a book of several
    (a volume) differently, and learns which it writes from the first two alone, holding no more of them."""
    stream = iter(issues)
    head = list(itertools.islice(stream, 2))

    def again() -> Iterator[Issue]:
        while head:
            yield head.pop(0)  # let go of each as it is handed over
        yield from stream

    return again(), len(head) > 1


@dataclass(frozen=True)
class Writer:
    """One output format: its module, the extension of its files, and whether what it writes is binary (bytes
    a terminal should not be sent)."""

    name: str
    module: str
    extension: str
    description: str
    binary: bool

    def load(self) -> ModuleType:
        """The format's module; it has `write(issues, out, options)`."""
        return importlib.import_module(f"{__name__}.{self.module}")


WRITERS: tuple[Writer, ...] = (
    Writer("epub", "epub", "epub", "EPUB 3 e-book", binary=True),
    Writer("pdf", "pdf", "pdf", "print-ready PDF", binary=True),
    Writer("text", "text", "txt", "plain UTF-8 text", binary=False),
    Writer("jsonl", "jsonl", "jsonl", "JSON Lines, one article per line", binary=False),
)


def writer_named(name: str) -> Writer:
    """The writer of a format name; KeyError names it when there is none."""
    for writer in WRITERS:
        if writer.name == name:
            return writer
    raise KeyError(name)
