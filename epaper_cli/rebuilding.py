"""`epaper rebuild`: every kept capture read again by today's importer, with the options it was imported with.

The articles a capture gave are replaced by what it gives now: changed in place, added, or removed when it no
longer gives them; articles edited by hand (`edited:`) are left as they are and listed, and a capture that has
one adds nothing new (what looks new may be its reading of the article a person retitled); ids `epaper rm` took
from a capture stay out. An issue file is written only when it changes, whole, under the lock, so a second run
changes nothing. Captures are read in worker processes as an import's are; an issue's articles are held only
until every capture it cites has been read again.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from epaper_cli import pool, rawstore
from epaper_cli.archive import Archive
from epaper_cli.atomic import clean_stale, stale_temps
from epaper_cli.dates import DateSpan
from epaper_cli.errors import ArchiveError, EpaperError, InputError
from epaper_cli.inputs import Parsed, parse_bytes
from epaper_cli.layout import RAW_DIR
from epaper_cli.model import Article, Issue, Page, block_kind
from epaper_cli.options import from_text
from epaper_cli.placing import merge_article
from epaper_cli.registry import under_registered_name
from epaper_cli.removing import removed_ids

Key = tuple[str, str | None]
"""A kept capture and the import options it is read with."""
_SOURCE = re.compile(r"\n( +)sha256: ([0-9a-f]{64})((?:\n\1[a-z_]+: .*)*)")
_OPTIONS = re.compile(r"\n +options: (.*)")


@dataclass
class Change:
    """What a rebuild did (or would do) to one article."""

    status: str
    """changed, added, removed, or kept (edited by hand)."""
    paper: str
    date: dt.date
    page: str
    id: str
    title: str
    details: str = ""

    def line(self) -> str:
        fields = [self.status, self.paper, self.date.isoformat(), self.page, self.id, self.title]
        return "\t".join([*fields, self.details] if self.details else fields)


@dataclass
class RebuildReport:
    """Every change, the captures read again, and the ones that could not be."""

    changes: list[Change] = field(default_factory=list)
    captures: int = 0
    failures: list[EpaperError] = field(default_factory=list)


def rebuild(
    archive: Archive,
    paper: str | None,
    span: DateSpan | None,
    *,
    dry_run: bool = False,
    jobs: int | None = None,
    emit: Callable[[Change], None] | None = None,
) -> RebuildReport:
    """Read every capture the selected issues cite again and put what it gives in place of what it gave."""
    report = RebuildReport()
    files = _selected(archive, paper, span)
    cited: dict[Path, list[Key]] = {}
    first_seen: dict[Key, Path] = {}
    for path in files:
        cited[path] = _cited(archive, path)
        for key in cited[path]:
            first_seen.setdefault(key, path)
    waiting = {path: len(keys) for path, keys in cited.items()}
    users: dict[Key, list[Path]] = defaultdict(list)
    for path, keys in cited.items():
        for key in keys:
            users[key].append(path)
    keys = list(first_seen)
    report.captures = len(keys)
    state = _State(archive, removed_ids(archive), dry_run, report, emit)
    tasks = [(os.fspath(archive.root), sha, options) for sha, options in keys]
    for key, parsed in zip(keys, pool.ordered_map(read_again, tasks, jobs or pool.available_cpus()), strict=True):
        state.take(key, parsed)
        for path in users[key]:
            waiting[path] -= 1
            if waiting[path] == 0:
                state.apply(path, cited[path])
    state.apply_elsewhere()
    return report


def read_again(task: tuple[str, str, str | None]) -> Parsed:
    """One kept capture (archive folder, digest, import options) read with the options it was imported with
    (a worker's job); it is named `<archive>/.raw/<sha256>` in messages."""
    root, digest, options = task
    name = os.path.join(root, RAW_DIR, digest)
    try:
        read_options = from_text(options)
        data = rawstore.opened(root).get(digest)
    except ValueError as exc:
        return Parsed(name, error=ArchiveError(name, f"cannot replay its import options {options!r}: {exc}"))
    except EpaperError as error:
        return Parsed(name, error=error)
    return parse_bytes(name, data, read_options)


def _selected(archive: Archive, paper: str | None, span: DateSpan | None) -> list[Path]:
    """The issue files of the paper and dates chosen (all of them by default)."""
    if paper is not None:
        folder = archive.paper_dir(paper)
        if not folder.is_dir():
            raise ArchiveError(paper, "no such paper in the archive (see `epaper list`)")
        folders = [folder]
    else:
        folders = archive.paper_dirs()
    return [path for folder in folders for day, path in archive.issue_files(folder) if span is None or day in span]


def _cited(archive: Archive, path: Path) -> list[Key]:
    """The captures an issue file's articles name, found in its text (the whole file is read only when an
    options value is quoted); each once, in order."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(str(path), f"cannot read: {exc}") from exc
    keys: dict[Key, None] = {}
    for match in _SOURCE.finditer(text):
        options = _OPTIONS.search(match[3])
        value = options[1] if options else None
        if value is not None and value[:1] in "'\"":
            return _cited_loaded(archive.load(path))
        keys[(match[2], value)] = None
    return list(keys)


def _cited_loaded(issue: Issue) -> list[Key]:
    keys: dict[Key, None] = {}
    for _page, article in issue.articles():
        if article.source is not None:
            keys[(article.source.sha256, article.source.options)] = None
    return list(keys)


def _key(article: Article) -> Key | None:
    return None if article.source is None else (article.source.sha256, article.source.options)


class _State:
    """New readings waiting for their issue file to be read again, and what has been done."""

    def __init__(
        self,
        archive: Archive,
        removed: dict[str, set[str]],
        dry_run: bool,
        report: RebuildReport,
        emit: Callable[[Change], None] | None,
    ) -> None:
        self.archive = archive
        self.removed = removed
        self.dry_run = dry_run
        self.report = report
        self.emit = emit
        self.readings: dict[Key, dict[Path, list[tuple[Page, Article]]]] = {}
        self.elsewhere: dict[Path, Issue] = {}
        self.visited: set[Path] = set()

    def take(self, key: Key, parsed: Parsed) -> None:
        """Hold a capture's new reading, by the issue file each of its articles belongs in."""
        if parsed.error is not None:
            self.report.failures.append(
                InputError(f"capture {key[0][:12]}", f"cannot be read again: {parsed.error.why}")
            )
            return
        by_path: dict[Path, list[tuple[Page, Article]]] = defaultdict(list)
        for issue in parsed.issues:
            issue = under_registered_name(self.archive, issue)
            path = self.archive.issue_path(issue.paper, issue.date)
            for page, article in issue.articles():
                by_path[path].append((page, article))
            self.elsewhere.setdefault(path, Issue(issue.paper, issue.date, []))
        self.readings[key] = by_path

    def apply(self, path: Path, keys: list[Key]) -> None:
        """Put the new readings of an issue's captures into it, writing the file when anything changed."""
        if not self.dry_run and path.parent not in self.visited:
            self.visited.add(path.parent)
            if stale_temps(path.parent, older_than=0):  # an interrupted write's leftover, e.g. a killed rebuild
                with self.archive.lock():  # issue folders are written under the lock: none is being written now
                    clean_stale(path.parent, older_than=0)
        changes = self._changes(self.archive.load(path), path, keys)
        if _writes(changes) and not self.dry_run:
            with self.archive.lock():  # again under the lock: another process may have written it meanwhile
                issue = self.archive.load(path)
                changes = self._changes(issue, path, keys)
                self.archive.replace_issue(path, issue)
        for change in changes:
            self._record(change)
        for key in keys:
            reading = self.readings.get(key)
            if reading is not None:
                reading.pop(path, None)

    def _changes(self, issue: Issue, path: Path, keys: list[Key]) -> list[Change]:
        changes: list[Change] = []
        for key in keys:
            reading = self.readings.get(key)
            if reading is None:  # could not be read again: its articles stay as they are
                continue
            changes += self._replace(issue, key, reading.get(path, []))
        issue.pages = [page for page in issue.pages if page.articles]
        return changes

    def _replace(self, issue: Issue, key: Key, new: list[tuple[Page, Article]]) -> Iterator[Change]:
        latest = {article.id: (page, article) for page, article in new}  # a later capture of an id wins, as on import
        new = list(latest.values())
        old = {article.id: (page, article) for page, article in issue.articles() if _key(article) == key}
        edited = {article_id for article_id, (_p, article) in old.items() if article.edited is not None}
        new_ids = {article.id for _page, article in new}
        for article_id, (page, article) in old.items():
            if article_id in edited:
                yield self._change("kept", issue, page, article, "edited by hand")
            elif article_id not in new_ids:
                page.articles.remove(article)
                yield self._change("removed", issue, page, article, "the capture no longer gives it")
        for page, article in new:
            if article.id in edited or article.id in self.removed.get(key[0], ()):
                continue
            if article.id not in old and edited:
                continue
            before = next((a for _p, a in issue.articles() if a.id == article.id), None)
            status, _changes = merge_article(issue, page, article)
            if status == "replaced" and before is not None:
                yield self._change("changed", issue, page, article, describe(before, article))
            elif status == "added":
                yield self._change("added", issue, page, article)

    def apply_elsewhere(self) -> None:
        """Articles whose capture now reads as another issue's (another paper or date) go into that issue."""
        for key, reading in self.readings.items():
            for path, new in reading.items():
                if not new:
                    continue
                incoming = self.elsewhere[path]
                issue = self.archive.read_issue(incoming.paper, incoming.date).issue
                changes = list(self._replace(issue, key, new))
                if _writes(changes) and not self.dry_run:
                    with self.archive.lock():
                        issue = self.archive.read_issue(incoming.paper, incoming.date).issue
                        changes = list(self._replace(issue, key, new))
                        self.archive.replace_issue(path, issue)
                for change in changes:
                    self._record(change)

    def _change(self, status: str, issue: Issue, page: Page, article: Article, details: str = "") -> Change:
        return Change(status, issue.paper, issue.date, page.label, article.id, article.title, details)

    def _record(self, change: Change) -> None:
        self.report.changes.append(change)
        if self.emit is not None:
            self.emit(change)


def _writes(changes: list[Change]) -> bool:
    """Whether the changes touch the file (articles kept as edited by hand do not)."""
    return any(change.status != "kept" for change in changes)


def describe(before: Article, after: Article) -> str:
    """What changed in an article, for a person: title, byline, blocks added, removed and changed, other keys."""
    parts = []
    if before.title != after.title:
        parts.append(f"title {before.title} → {after.title}")
    if before.byline != after.byline:
        parts.append(f"byline {before.byline or '(none)'} → {after.byline or '(none)'}")
    old = [(block_kind(b), b.text) for b in before.body]
    new = [(block_kind(b), b.text) for b in after.body]
    counts = {"added": 0, "removed": 0, "changed": 0}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "insert":
            counts["added"] += j2 - j1
        elif tag == "delete":
            counts["removed"] += i2 - i1
        elif tag == "replace":
            counts["changed"] += min(i2 - i1, j2 - j1)
            counts["added"] += max(0, (j2 - j1) - (i2 - i1))
            counts["removed"] += max(0, (i2 - i1) - (j2 - j1))
    parts += [f"{count} block{'s' if count > 1 else ''} {what}" for what, count in counts.items() if count]
    others = ("kicker", "subtitle", "authors", "dateline", "editors", "continued_from", "continued_to", "source")
    differ = [name for name in others if getattr(before, name) != getattr(after, name)]
    if differ:
        parts.append("also " + ", ".join(differ))
    return "; ".join(parts)
