"""`epaper import`: read each input into the model, keep its raw bytes, merge its articles into the archive."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from epaper_cli.archive import Archive, Outcome
from epaper_cli.errors import EpaperError, InputError
from epaper_cli.model import Article, Issue, Page

STDIN = "-"
MAX_INPUT_BYTES = 16 * 1024 * 1024
"""No real capture comes near this; a larger input is refused before it is read whole."""
FLUSH_AFTER_ARTICLES = 400
"""Gathered articles are written out at this count, so memory stays bounded however large the run."""


@dataclass(frozen=True)
class Input:
    """One input file's name (as the user wrote it) and its raw bytes."""

    name: str
    data: bytes


@dataclass
class ImportReport:
    """What an import run did: outcomes for the articles, and the inputs that failed with why."""

    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)
    failures: list[EpaperError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Turn the command line's paths into input names: folders become every *.txt below them, sorted."""
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob("*.txt")) if p.is_file())
        else:
            yield raw


def read_input(name: str, read_stdin: Callable[[int], bytes]) -> Input:
    """Read one input's bytes, turning OS errors into one-line input errors."""
    if name == STDIN:
        return _bounded(Input("<stdin>", read_stdin(MAX_INPUT_BYTES + 1)))
    try:
        with open(name, "rb") as handle:
            return _bounded(Input(name, handle.read(MAX_INPUT_BYTES + 1)))
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


def run_import(
    archive: Archive,
    inputs: Iterable[Callable[[], Input]],
    read: Callable[[bytes, str], list[Issue]],
    *,
    dry_run: bool = False,
) -> ImportReport:
    """Import every input, each all-or-nothing; a failed input is reported and the rest still go in.

    Articles are gathered by issue so each issue file is loaded and written once per batch, not once per article.
    """
    report = ImportReport()
    pending: dict[tuple[str, dt.date], Issue] = {}
    names: dict[int, str] = {}
    gathered_count = 0
    for load_input in inputs:
        try:
            item = load_input()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                issues = read(item.data, item.name)
            report.notes.extend(str(warning.message) for warning in caught)
            if not issues:
                if not caught:
                    report.notes.append(f"{item.name}: no article in it: skipped")
                continue
            if not dry_run:
                archive.store_raw(item.data)
        except EpaperError as error:
            report.failures.append(error)
            continue
        for issue in issues:
            key = (issue.paper, issue.date)
            gathered = pending.setdefault(key, Issue(issue.paper, issue.date, []))
            for page, article in issue.articles():
                _add(gathered, page, article)
                names[id(article)] = item.name
                gathered_count += 1
        if gathered_count >= FLUSH_AFTER_ARTICLES:
            _flush(archive, pending, names, report, dry_run)
            gathered_count = 0
    _flush(archive, pending, names, report, dry_run)
    return report


def _flush(
    archive: Archive,
    pending: dict[tuple[str, dt.date], Issue],
    names: dict[int, str],
    report: ImportReport,
    dry_run: bool,
) -> None:
    """Merge every gathered issue into the archive (or preview it), then forget it."""
    for gathered in pending.values():
        try:
            outcomes = _preview(archive, gathered) if dry_run else archive.merge(gathered)
        except EpaperError as error:
            report.failures.append(error)
            continue
        files = [names[id(article)] for _page, article in gathered.articles()]
        report.outcomes.extend(zip(files, outcomes, strict=True))
    pending.clear()
    names.clear()


def _add(issue: Issue, page: Page, article: Article) -> None:
    """Gather one article for its issue's single write, keeping every capture as its own entry."""
    target = issue.page(page.label)
    if target is None:
        target = Page(page.label, page.section, [])
        issue.pages.append(target)
    target.articles.append(article)


def _preview(archive: Archive, incoming: Issue) -> list[Outcome]:
    """What merging would do, without writing anything."""
    from epaper_cli.archive import merge_article

    path = archive.issue_path(incoming.paper, incoming.date)
    current = archive.load(path) if path.exists() else Issue(incoming.paper, incoming.date, [])
    return [
        Outcome(
            current.paper,
            current.date,
            page.label,
            article.id,
            article.title,
            merge_article(current, page, article),
            path,
        )
        for page in incoming.pages
        for article in page.articles
    ]
