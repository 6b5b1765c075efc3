"""`epaper import`: read each input into the model, keep its raw bytes, merge its articles into the archive."""

from __future__ import annotations

import datetime as dt
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from epaper_cli.archive import Archive, Outcome
from epaper_cli.errors import EpaperError, InputError
from epaper_cli.model import Article, Issue, Page
from epaper_cli.registry import under_registered_name
from epaper_cli.workers import ordered_map

Reader = Callable[[bytes, str], list[Issue]]
"""Parses one input's bytes (given its name, for messages) into issues."""

STDIN = "-"
MAX_INPUT_BYTES = 16 * 1024 * 1024
"""No real capture comes near this; a larger input is refused before it is read whole."""
HELD_ARTICLES = 100
"""Articles gathered before the oldest gathered issue is written out: memory stays the same however long the run."""
MAX_OPEN_ISSUES = 8
"""Issues gathered at once, so captures of a few papers or days interleaved in one folder still batch well."""


@dataclass
class Input:
    """One input file's name (as the user wrote it) and its raw bytes."""

    name: str
    data: bytes


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


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Turn the command line's paths into input names: folders become every *.txt below them, sorted."""
    for raw in paths:
        if raw != STDIN and os.path.isdir(raw):
            yield from _walk_sorted(raw)
        else:
            yield raw


def _walk_sorted(folder: str) -> Iterator[str]:
    """Every *.txt below a folder in path order, one folder at a time: years of captures are never listed at once."""
    try:
        with os.scandir(folder) as entries:
            found = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries)
    except OSError:
        return
    for name, is_dir in found:
        path = os.path.join(folder, name)
        if is_dir:
            yield from _walk_sorted(path)
        elif name.endswith(".txt"):
            yield path


def read_input(name: str, read_stdin: Callable[[int], bytes]) -> Input:
    """Read one input's bytes, turning OS errors into one-line input errors."""
    if name == STDIN:
        return _bounded(Input("<stdin>", read_stdin(MAX_INPUT_BYTES + 1)))
    try:
        with open(name, "rb") as handle:
            # Ask for what the file holds, not for the limit: read(limit) would allocate the limit every time.
            size = os.fstat(handle.fileno()).st_size
            return _bounded(Input(name, handle.read(min(size, MAX_INPUT_BYTES) + 1)))
    except FileNotFoundError as exc:
        raise InputError(name, "no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(name, "is a folder") from exc
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from exc


def _bounded(item: Input) -> Input:
    """Refuse an input too large to be a capture."""
    if len(item.data) > MAX_INPUT_BYTES:
        limit = MAX_INPUT_BYTES // (1024 * 1024)
        raise InputError(
            item.name, f"larger than {limit} MB: not a capture (split it, or import the files it came from)"
        )
    return item


@dataclass
class Parsed:
    """One input read, parsed and its raw bytes kept: its issues and notes, or the error that stopped it."""

    name: str
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: EpaperError | None = None
    unsynced: list[str] = field(default_factory=list)
    """Raw files written for it and not yet synced: the process that writes the issue files syncs them first."""


def parse_input(
    name: str, read: Reader, keep_raw: Archive | None = None, read_stdin: Callable[[int], bytes] | None = None
) -> Parsed:
    """Read one input, parse it and keep its raw bytes in `keep_raw` (none on a dry run).

    Any failure is kept in the result, which is all that goes back when this runs in a worker process.
    """
    try:
        item = read_input(name, read_stdin or sys.stdin.buffer.read)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            issues = read(item.data, item.name)
        if issues and keep_raw is not None:  # the reader has hashed the bytes: every article's source names them
            sources = (article.source for issue in issues for _page, article in issue.articles())
            keep_raw.store_raw(item.data, next((source.sha256 for source in sources if source), None))
    except EpaperError as error:
        return Parsed(name, error=error)
    notes = [str(warning.message) for warning in caught]
    if not issues and not notes:
        notes.append(f"{item.name}: no article in it: skipped")
    return Parsed(item.name, issues, notes, unsynced=keep_raw.release_unsynced() if keep_raw is not None else [])


def run_import(
    archive: Archive,
    names: Iterable[str],
    read: Reader,
    *,
    jobs: int = 1,
    dry_run: bool = False,
    report: ImportReport | None = None,
    progress: Callable[[], None] | None = None,
    read_stdin: Callable[[int], bytes] | None = None,
) -> ImportReport:
    """Import every input, each all-or-nothing; a failed input is reported and the rest still go in.

    With `jobs` > 1 the inputs are read, parsed and their raw bytes kept by that many worker processes while
    this one writes the issue files, in input order. Articles are gathered by issue, so an issue file is
    loaded and written once for a run of captures of that issue, not once per article; only a few issues are
    held at a time, so memory does not grow with the run.
    """
    report = report if report is not None else ImportReport()
    pending: dict[tuple[str, dt.date], tuple[Issue, dict[int, str]]] = {}
    held = 0

    def parse(name: str) -> Parsed:
        return parse_input(name, read, None if dry_run else archive, read_stdin)

    # Standard input can only be read here, not in a worker.
    workers = jobs if jobs > 1 else 0
    for parsed in ordered_map(parse, names, workers, here=lambda name: name == STDIN):
        if progress is not None:
            progress()
        report.notes.extend(parsed.notes)
        if parsed.error is not None:
            report.failures.append(parsed.error)
            continue
        archive.adopt_unsynced(parsed.unsynced)
        for issue in parsed.issues:
            issue = under_registered_name(archive, issue)  # an alias in papers.yaml: 衢州日報 → 衢州日报
            key = (issue.paper, issue.date)
            gathered, files = pending.pop(key) if key in pending else (Issue(issue.paper, issue.date, []), {})
            pending[key] = (gathered, files)  # most recently used last
            for page, article in issue.articles():
                _add(gathered, page, article)
                files[id(article)] = parsed.name
                held += 1
        while pending and (held > HELD_ARTICLES or len(pending) > MAX_OPEN_ISSUES):
            oldest = next(iter(pending))
            held -= _write(archive, *pending.pop(oldest), report, dry_run)
    for gathered, files in pending.values():
        _write(archive, gathered, files, report, dry_run)
    if not dry_run and archive.root.is_dir():
        archive.clean_stale_temps()
    return report


def _write(archive: Archive, gathered: Issue, names: dict[int, str], report: ImportReport, dry_run: bool) -> int:
    """Merge one gathered issue into the archive (or preview it); return how many articles it held."""
    try:
        outcomes = archive.merge(gathered, write=not dry_run)
    except EpaperError as error:
        report.failures.append(error)
        return len(names)
    files = [names[id(article)] for _page, article in gathered.articles()]
    for name, outcome in zip(files, outcomes, strict=True):
        report.record(name, outcome)
    return len(names)


def _add(issue: Issue, page: Page, article: Article) -> None:
    """Gather one article for its issue's single write, keeping every capture as its own entry."""
    target = issue.page(page.label)
    if target is None:
        target = Page(page.label, page.section, [])
        issue.pages.append(target)
    target.articles.append(article)
