"""`epaper import`: parse each input into the model, check every issue it touches, keep its raw bytes, merge its
articles into the archive.

The inputs are read and parsed in worker processes when there are many (`inputs`, `pool`); everything else
happens here, in input order: the check, keeping the raw captures, the issue files. Articles are gathered by
issue, so an issue file is read and written once for a run of captures of that issue, not once per article; only
a few issues are held at a time, so memory does not grow with the run. A capture the archive already keeps is not
parsed again while its receipt holds (`receipts`): its articles are reported unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from epaper_cli import pool
from epaper_cli.archive import Archive, Outcome, Stored
from epaper_cli.errors import EpaperError, InputError
from epaper_cli.formats import READERS_VERSION, ReadOptions
from epaper_cli.inputs import STDIN, Parsed, parse_input
from epaper_cli.model import Article, Issue, Page
from epaper_cli.registry import registry_path, under_registered_name

if TYPE_CHECKING:
    from epaper_cli.receipts import Receipt, Receipts

HELD_ARTICLES = 400
"""Articles gathered before the oldest gathered issues are written out (down to half of this, so that one sync of
the raw captures serves several issue files), beyond as many as the gathered issues' files already hold: memory
stays within a few issues however long the run, and an issue that grows through a long run is rewritten each
time it has doubled at most, so writing it costs time linear in its size, not quadratic."""
MAX_OPEN_ISSUES = 8
"""Issues gathered at once, so captures of a few papers or days interleaved in one folder still batch well."""
LARGE_RUN = 16
"""Inputs from which a run is large: it looks for and keeps receipts (`receipts`) and has the index updated by a
thread beside it (`Archive.indexing_aside`). Below that, parsing again is cheaper than loading sqlite3, and
starting a thread gains nothing."""


@dataclass
class ImportReport:
    """What an import run did: a count per status, the inputs that failed with why, and notes.

    Each article's outcome goes to `emit` as soon as its issue is written, so a long run keeps no list of them.
    """

    emit: Callable[[str, Outcome], None] | None = None
    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("added", "replaced", "unchanged"), 0))
    failures: list[EpaperError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def record(self, name: str, outcome: Outcome) -> None:
        """Count one article's outcome and pass it on (or keep it, when nobody listens)."""
        self.counts[outcome.status] += 1
        if self.emit is not None:
            self.emit(name, outcome)
        else:
            self.outcomes.append((name, outcome))


def run_import(
    archive: Archive,
    names: Iterable[str],
    options: ReadOptions,
    *,
    jobs: int | None = None,
    dry_run: bool = False,
    report: ImportReport | None = None,
    progress: Callable[[], None] | None = None,
) -> ImportReport:
    """Import every input, each all-or-nothing; a failed input is reported and the rest still go in.

    `jobs` processes read and parse (default: one per free CPU; standard input is always read here).
    """
    report = report if report is not None else ImportReport()
    names = iter(names)
    first = list(itertools.islice(names, LARGE_RUN))
    large = len(first) == LARGE_RUN  # (a one-file import, the commonest in shell loops, is not)
    receipts = None
    if large:
        from epaper_cli.receipts import Receipts

        receipts = Receipts(archive.root, _receipt_key(archive, options))
    gathering = _Gathering(archive, report, dry_run, receipts)
    parse = functools.partial(parse_input, options=options, receipts=receipts)
    jobs = jobs if jobs is not None else pool.default_jobs()
    inputs = itertools.chain(first, names)
    with archive.indexing_aside() if large and not dry_run else contextlib.nullcontext():
        for parsed in pool.ordered_map(parse, inputs, jobs, here=lambda name: name == STDIN, weight=_size):
            if progress is not None:
                progress()
            if parsed.receipt is not None:
                if gathering.unchanged(parsed.name, *parsed.receipt):
                    report.notes.extend(parsed.notes)
                    continue
                parsed = parse_input(parsed.name, options)  # the archive no longer holds what the receipt says
            report.notes.extend(parsed.notes)
            if parsed.error is not None:
                report.failures.append(parsed.error)
                continue
            try:
                gathering.add(parsed)
            except EpaperError as error:
                report.failures.append(error)
        gathering.write_all()
    return report


def _size(name: str) -> int:
    """An input's size in bytes, as a worker's share of the work (0 when it cannot be told: read and see)."""
    try:
        return os.stat(name).st_size
    except (OSError, ValueError):
        return 0


def _receipt_key(archive: Archive, options: ReadOptions) -> str:
    """What a capture's receipt holds for: the readers' version, the options and the paper registry as it is."""
    try:
        stat = os.stat(registry_path(archive.root))
        registry = f"{stat.st_mtime_ns}:{stat.st_size}"
    except OSError:
        registry = "-"
    return f"{READERS_VERSION}|{options!r}|{registry}"


@dataclass
class _Pending:
    """A parsed capture whose receipt waits for the issues it touches to be written."""

    digest: str
    notes: tuple[str, ...]
    given: dict[tuple[str, dt.date], list[tuple[str, str, str]]]
    waiting: set[tuple[str, dt.date]]
    stamps: dict[tuple[str, dt.date], str | None] = field(default_factory=dict)

    def receipt(self) -> Receipt:
        from epaper_cli.receipts import Given, Receipt

        given = (Given(*key, tuple(articles), self.stamps.get(key)) for key, articles in self.given.items())
        return Receipt(tuple(given), self.notes)


@dataclass
class _Open:
    """One issue being gathered: its file as checked when opened, the incoming articles, each one's input."""

    stored: Stored
    incoming: Issue
    size: int
    """Articles the issue's file held when opened."""
    inputs: dict[int, str] = field(default_factory=dict)
    pending: set[int] = field(default_factory=set)
    sources: dict[str, list[tuple[Page, Article]]] | None = None
    """The stored articles by their capture's digest, made when a receipt is first checked against the issue."""

    def from_capture(self, digest: str) -> list[tuple[Page, Article]]:
        """The stored articles that came from the capture with this digest."""
        if self.sources is None:
            self.sources = {}
            for page, article in self.stored.issue.articles():
                if article.source is not None:
                    self.sources.setdefault(article.source.sha256, []).append((page, article))
        return self.sources.get(digest, [])


class _Gathering:
    """The issues being gathered, most recently used last, each written once it is the oldest of too many."""

    def __init__(self, archive: Archive, report: ImportReport, dry_run: bool, receipts: Receipts | None) -> None:
        self.archive = archive
        self.report = report
        self.dry_run = dry_run
        self.receipts = receipts if not dry_run else None
        self.open: dict[tuple[str, dt.date], _Open] = {}
        self.held = 0
        self.stored = 0
        self.pending: dict[int, _Pending] = {}
        self.inputs = 0
        self.ready: list[tuple[str, Receipt]] = []

    def unchanged(self, name: str, digest: str, receipt: Receipt) -> bool:
        """Whether the archive holds what the capture's receipt says it gave; if so, each article is reported
        unchanged. An issue file with the receipt's stamp is trusted unread; any other is read and must hold
        exactly those articles from this capture. Articles about to be written may replace them: not unchanged."""
        found: list[Outcome] = []
        for given in receipt.issues:
            key = (given.paper, given.date)
            path = self.archive.issue_path(given.paper, given.date)
            gathered = self.open.get(key)
            if gathered is not None and gathered.inputs:
                incoming = {article.id for _page, article in gathered.incoming.articles()}
                if any(article_id in incoming for _page, article_id, _title in given.articles):
                    return False
            if given.stamp is None or self.archive.stamp(path) != given.stamp:
                if gathered is None:
                    try:
                        stored = self.archive.read_issue(*key)
                    except EpaperError:
                        return False  # parsed again, the capture meets the error where an import meets it
                    gathered = self.open[key] = _Open(stored, Issue(*key, []), len(stored.issue.articles()))
                    self.stored += gathered.size
                mine = [(page.label, article.id, article.title) for page, article in gathered.from_capture(digest)]
                if sorted(mine) != sorted(given.articles):
                    return False
            found += [Outcome(*key, *article, "unchanged", path) for article in given.articles]
        for outcome in found:
            self.report.record(name, outcome)
        self._write_surplus()
        return True

    def add(self, parsed: Parsed) -> None:
        """Take one input whole, or nothing of it: every issue file it touches is read and checked first, then
        its raw bytes are kept, then its articles gathered."""
        opened: dict[tuple[str, dt.date], _Open] = {}
        # An alias in papers.yaml files the issue under the paper's name: 衢州日報 → 衢州日报 (a broken papers.yaml
        # is named as itself, not as this input's fault).
        parsed.issues = [under_registered_name(self.archive, issue) for issue in parsed.issues]
        try:
            if parsed.issues and not self.dry_run:
                self.archive.create()  # (before reading: so that `check` can name a planted link that refuses it)
            for issue in parsed.issues:
                key = (issue.paper, issue.date)
                if key not in self.open and key not in opened:
                    stored = self.archive.read_issue(*key)
                    opened[key] = _Open(stored, Issue(issue.paper, issue.date, []), len(stored.issue.articles()))
            if parsed.issues and not self.dry_run:
                self.archive.store_raw(parsed.raw, parsed.digest)
        except EpaperError as error:
            raise InputError(parsed.name, f"{error.what}: {error.why}") from error
        self.inputs += 1
        token = self.inputs
        given: dict[tuple[str, dt.date], list[tuple[str, str, str]]] = {}
        for issue in parsed.issues:
            key = (issue.paper, issue.date)
            if key in opened:
                gathered = opened.pop(key)
                self.stored += gathered.size
            else:
                gathered = self.open.pop(key)
            self.open[key] = gathered  # most recently used last
            gathered.pending.add(token)
            for page, article in issue.articles():
                _add(gathered.incoming, page, article)
                gathered.inputs[id(article)] = parsed.name
                self.held += 1
                given.setdefault(key, []).append((page.label, article.id, article.title))
        if self.receipts is not None and given and parsed.digest:
            self.pending[token] = _Pending(parsed.digest, tuple(parsed.notes), given, set(given))
        self._write_surplus()

    def _write_surplus(self) -> None:
        """Write the oldest issues while too many articles (beyond what their files held) or issues are held."""
        if self.held > HELD_ARTICLES + self.stored:
            while self.open and self.held > HELD_ARTICLES // 2 + self.stored:
                self._write(next(iter(self.open)))
        while len(self.open) > MAX_OPEN_ISSUES:
            self._write(next(iter(self.open)))

    def write_all(self) -> None:
        """Write every issue still gathered, then keep the receipts of the captures written."""
        while self.open:
            self._write(next(iter(self.open)))
        if not self.dry_run:
            try:
                self.archive.raw.flush()  # the captures whose issue files needed no write
            except EpaperError as error:  # (told once: the issue files that needed these failed the same way)
                if all(str(failure) != str(error) for failure in self.report.failures):
                    self.report.failures.append(error)
        self._keep_receipts(0)

    def _write(self, key: tuple[str, dt.date]) -> None:
        """Merge one gathered issue into the archive (or preview it) and report each article's outcome."""
        gathered = self.open.pop(key)
        self.stored -= gathered.size
        if not gathered.inputs:
            return  # opened to check receipts against: nothing to write
        self.held -= len(gathered.inputs)
        try:
            outcomes = self.archive.merge(gathered.incoming, base=gathered.stored, write=not self.dry_run)
        except EpaperError as error:
            self.report.failures.append(error)
            for token in gathered.pending:
                self.pending.pop(token, None)
            return
        inputs = [gathered.inputs[id(article)] for _page, article in gathered.incoming.articles()]
        for name, outcome in zip(inputs, outcomes, strict=True):
            self.report.record(name, outcome)
        ids = [article.id for _page, article in gathered.incoming.articles()]
        # Two inputs giving one id: the later replaced the earlier, whose receipt must not trust the stamp.
        stamp = self.archive.stamps.pop(gathered.stored.path, None)
        stamp = stamp if len(set(ids)) == len(ids) else None
        for token in gathered.pending:
            pending = self.pending.get(token)
            if pending is not None:
                pending.waiting.discard(key)
                pending.stamps[key] = stamp
                if not pending.waiting:
                    self.ready.append((pending.digest, pending.receipt()))
                    del self.pending[token]
        self._keep_receipts(256)

    def _keep_receipts(self, batch: int) -> None:
        """Keep the receipts of captures whose issues are all written, once `batch` of them are ready."""
        if self.receipts is not None and len(self.ready) >= max(batch, 1):
            self.receipts.record(self.ready)
            self.ready = []


def _add(issue: Issue, page: Page, article: Article) -> None:
    """Gather one article for its issue's single write, keeping every capture as its own entry."""
    target = issue.page(page.label)
    if target is None:
        target = Page(page.label, page.section, [])
        issue.pages.append(target)
    target.articles.append(article)
