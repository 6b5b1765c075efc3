"""`epaper check`: fixity and schema checks over the whole archive, reported as (file, reason).

The check holds the archive's lock, so no import changes an issue file under it, and reads one file at a time:
the digests that issues refer to go to a temporary on-disk table, never into a set in memory, so its memory
stays flat however large the archive. Nothing inside the archive is followed through a link or opened unless it
is a regular file (a FIFO would block the check; a link could lead anywhere).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from epaper_cli import fixity
from epaper_cli.archive import Archive
from epaper_cli.atomic import STALE_AFTER, is_temp_name, read_regular
from epaper_cli.errors import ArchiveError
from epaper_cli.layout import LOCK_FILE, RAW_DIR, safe_component
from epaper_cli.model import Issue, article_id, page_sort_key
from epaper_cli.packs import PACK_NAME, records
from epaper_cli.rawfiles import SHARD_NAME
from epaper_cli.rawstore import PACKS_DIR, RawStore
from epaper_cli.registry import archive_problems
from epaper_cli.visible import visible

if TYPE_CHECKING:
    import sqlite3

Problem = tuple[str, str]

_ISSUE_NAME = re.compile(r"\d{4}-\d{2}-\d{2}\.yaml")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_LINK = "a symlink inside the archive: epaper follows none and makes none; replace it with what it points to"
_LEFTOVER = "temp file left by an interrupted write: safe to delete (the next import into this folder does)"


def check_archive(archive: Archive) -> list[Problem]:
    """Every problem in the archive; an empty list means every file is valid, sealed and every capture intact."""
    problems: list[Problem] = []
    locked = contextlib.ExitStack()
    with contextlib.suppress(ArchiveError):  # a read-only archive has no writer to wait for; a linked lock is reported
        locked.enter_context(archive.lock())
    with locked, _Referenced() as referenced:
        started = time.time()
        for path, problem in _walk(archive, started):
            if problem is not None:
                problems.append((str(path), problem))
                continue
            problems.extend((str(path), reason) for reason in _check_issue_file(archive, path, referenced))
        problems.extend(_check_raw(archive, referenced, started))
    problems.extend(archive_problems(archive))  # papers.yaml, the paper registry
    return [(visible(file), visible(reason)) for file, reason in problems]


def repair_raw(archive: Archive) -> list[Problem]:
    """Move the captures an earlier epaper kept one file each into the packs, and build the raw store's index
    again from the packs; what was done, as (file, what) (the index named when that changed what it holds)."""
    done: list[Problem] = []
    with archive.lock():
        moved = archive.raw.migrate()
        if moved:
            done.append((str(archive.root / RAW_DIR), f"{_count(moved, 'capture')} moved into packs"))
        before = archive.raw.count()
        if archive.raw.pack_numbers():
            archive.raw.rebuild_index()
            if archive.raw.count() != before:
                done.append((archive.raw.index_path, "built again from the packs"))
    return done


def seal(archive: Archive) -> list[str]:
    """Write the digest line of every issue file that lacks one (written by an earlier epaper) or whose digest no
    longer matches (changed by hand), when the file passes every other check; the files sealed.

    This is how an archive written before issue files had digest lines, or a file a person corrected in an
    editor, gets a clean `check`: the content is kept byte for byte, only the last line is written anew."""
    from epaper_cli.atomic import write_atomic

    sealed: list[str] = []
    with archive.lock():
        for path, problem in _walk(archive, time.time()):
            if problem is not None:
                continue
            try:
                data = read_regular(path)
                if data is None or fixity.problem(data) is None:
                    continue
                issue = archive.parse(path, data)
            except ArchiveError:
                continue  # `check` names it; there is nothing here to seal
            if issue_problems(archive, path, issue):
                continue
            content, _stated = fixity.split(data)
            content = content if content.endswith(b"\n") else content + b"\n"

            def fill(handle: BinaryIO, content: bytes = content) -> None:
                sealing = fixity.Sealing(handle)
                sealing.write(content)
                sealing.seal()

            try:
                write_atomic(path, fill)
            except OSError as exc:
                raise ArchiveError(str(path), f"cannot write: {exc.strerror or exc}") from exc
            archive.indexed(path, issue)
            sealed.append(str(path))
    return sealed


def _walk(archive: Archive, started: float) -> Iterator[tuple[Path, str | None]]:
    """Every issue file (with None) and every entry that should not be there (with why), in paper, date order."""
    for entry in _entries(archive.root):
        if entry.name in (RAW_DIR, LOCK_FILE) and not entry.is_symlink():
            continue
        if entry.is_symlink():
            yield Path(entry.path), _LINK
        elif is_temp_name(entry.name):
            if _mtime(entry) <= started - STALE_AFTER:  # papers.yaml is written here without the lock: only old ones
                yield Path(entry.path), _LEFTOVER
        elif entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
            for year in _entries(entry.path):
                if year.is_symlink():
                    yield Path(year.path), _LINK
                elif is_temp_name(year.name):
                    yield Path(year.path), _LEFTOVER
                elif year.is_dir(follow_symlinks=False) and year.name.isdigit():
                    yield from _walk_year(Path(year.path))


def _walk_year(folder: Path) -> Iterator[tuple[Path, str | None]]:
    for entry in _entries(folder):
        path = Path(entry.path)
        if entry.is_symlink():
            yield path, _LINK
        elif is_temp_name(entry.name):
            yield path, _LEFTOVER  # issue folders are written under the lock this check holds: no write is running
        elif _ISSUE_NAME.fullmatch(entry.name):
            yield path, None


def _entries(folder: str | Path) -> list[os.DirEntry[str]]:
    """One folder's entries sorted by name (one folder's worth in memory, never the archive's)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError:
        return []


def _check_issue_file(archive: Archive, path: Path, referenced: _Referenced) -> list[str]:
    """What is wrong with one issue file: its fixity, its schema, its place, its pages, ids and sources."""
    try:
        data = read_regular(path)
        if data is None:
            return []  # removed since the folder was listed (by hand: imports wait for the lock)
        sealed = fixity.problem(data)
        issue = archive.parse(path, data)
    except ArchiveError as error:
        referenced.complete = False  # the captures this file refers to are unknown: none can be called orphaned
        return [error.why]
    reasons = [] if sealed is None else [sealed]
    reasons += issue_problems(archive, path, issue)
    for _page, article in issue.articles():
        if article.source is not None:
            referenced.add(article.source.sha256)
            if not archive.raw.has(article.source.sha256):
                reasons.append(f"article {article.id}: raw capture {article.source.sha256} is missing")
    return reasons


def issue_problems(archive: Archive, path: Path, issue: Issue) -> list[str]:
    """What is wrong with one loaded issue: its place, its page order and its ids."""
    reasons = []
    expected = archive.issue_path(issue.paper, issue.date)
    if path.parent.parent.name != safe_component(issue.paper) or path.name != expected.name:
        reasons.append(f"holds {issue.paper} {issue.date.isoformat()}, which belongs in {expected}")
    labels = [page.label for page in issue.pages]
    if len(set(labels)) != len(labels):
        reasons.append("a page label appears twice")
    if labels != sorted(labels, key=page_sort_key):
        reasons.append(f"pages out of order: {', '.join(labels)}")
    seen: set[str] = set()
    for page, article in issue.articles():
        if article.id in seen:
            reasons.append(f"article id {article.id} appears twice")
        seen.add(article.id)
        if article.id != article_id(issue.paper, issue.date, page.label, article.title, article.body):
            reasons.append(f"article {article.id} ({article.title}): id does not match its paper, date, page and title")
    return reasons


def _check_raw(archive: Archive, referenced: _Referenced, started: float) -> Iterator[Problem]:
    """Read every pack front to back, hashing each capture against its digest and the index, and find captures no
    article refers to (their issue file deleted or cut); captures an earlier epaper kept one file each are hashed
    where they are."""
    store = archive.raw
    for entry in _entries(archive.root / RAW_DIR):
        if entry.is_symlink():
            yield entry.path, _LINK
        elif entry.name == PACKS_DIR:
            if not entry.is_dir(follow_symlinks=False):
                yield entry.path, "not a folder: the raw store keeps its packs in this folder"
                continue
            for pack in _entries(entry.path):
                if pack.is_symlink():
                    yield pack.path, _LINK
                elif not PACK_NAME.fullmatch(pack.name) or not pack.is_file(follow_symlinks=False):
                    yield pack.path, "not a pack: this folder holds only the raw store's packs"
        elif SHARD_NAME.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            for capture in _entries(entry.path):
                yield from _check_capture(capture, referenced, started)
        elif is_temp_name(entry.name):
            yield entry.path, _LEFTOVER
    found = 0
    for number in store.pack_numbers():
        found += yield from _check_pack(store, number, referenced, started)
    indexed = store.packed()
    if indexed > found:
        why = f"names {indexed - found} capture(s) the packs do not hold intact: `epaper check --fix` rebuilds it"
        yield store.index_path, why


def _check_pack(store: RawStore, number: int, referenced: _Referenced, started: float) -> Generator[Problem, None, int]:
    """One pack's problems; returns how many of the index's rows point at one of its records."""
    path = store.pack_path(number)
    found = end = 0
    for record in records(path):
        end = record.start + len(record.data) + 1
        where = f"capture {record.digest} (byte {record.start})"
        place = store.place(record.digest)
        at_record = place is not None and (place.pack, place.start) == (number, record.start)
        if record.removed:  # (a row still pointing here: `rm` was stopped before dropping it; harmless)
            found += at_record
        elif hashlib.sha256(record.data).hexdigest() != record.digest:
            yield path, f"{where} altered: its sha256 no longer matches"
        elif place is None:
            yield path, f"{where} is missing from the raw store's index: `epaper check --fix` rebuilds the index"
        elif at_record:  # (else a second copy, which the index does not use)
            found += 1
            if referenced.complete and place.stored <= started - STALE_AFTER and record.digest not in referenced:
                # (a capture kept within the hour may be one a running import has kept and not yet filed)
                yield path, f"{where}: no article refers to this raw capture: its issue file was deleted or cut short"
    if end < store.indexed_end(number):
        yield path, f"damaged at byte {end}: what follows is not a capture, though the index counts on it"
    elif os.path.getsize(path) > end and os.path.getmtime(path) <= started - STALE_AFTER:  # (as a temp file)
        tail = os.path.getsize(path) - end
        yield path, f"{tail} bytes after its last capture, left by an interrupted import (the next one cuts them)"
    return found


def _check_capture(entry: os.DirEntry[str], referenced: _Referenced, started: float) -> Iterator[Problem]:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISLNK(info.st_mode):
        yield entry.path, _LINK
    elif is_temp_name(entry.name):
        if info.st_mtime <= started - STALE_AFTER:  # raw captures are written without the lock: only old ones
            yield entry.path, _LEFTOVER
    elif not stat.S_ISREG(info.st_mode):
        yield entry.path, "not a regular file: the raw store holds only captures"
    elif not _DIGEST.fullmatch(entry.name):
        yield entry.path, "not a raw capture: its name is not a sha256 digest"
    elif _sha256(entry.path) != entry.name:
        yield entry.path, "raw capture altered: its sha256 no longer matches its name"
    elif referenced.complete and info.st_mtime <= started - STALE_AFTER and entry.name not in referenced:
        # (a capture kept within the hour may be one a running import has gathered and not yet filed)
        yield entry.path, "no article refers to this raw capture: its issue file was deleted or cut short"


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _mtime(entry: os.DirEntry[str]) -> float:
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:  # gone since the folder was listed
        return time.time()


def _is_regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


class _Referenced:
    """The set of digests that articles refer to, kept in a temporary SQLite file rather than in memory."""

    def __init__(self) -> None:
        self._folder: contextlib.ExitStack | None = None
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str]] = []
        self.complete = True
        """False once an issue file could not be read: then no capture can be called one nobody refers to."""

    def __enter__(self) -> _Referenced:
        import sqlite3
        import tempfile

        self._folder = contextlib.ExitStack()
        folder = self._folder.enter_context(tempfile.TemporaryDirectory(prefix="epaper-check-"))
        self._db = sqlite3.connect(os.path.join(folder, "referenced.db"))
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("PRAGMA cache_size = -256")  # KiB: the file's pages stay in the OS's cache anyway
        self._db.execute("CREATE TABLE referenced (digest TEXT PRIMARY KEY) WITHOUT ROWID")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._db is not None:
            self._db.close()
        if self._folder is not None:
            self._folder.close()

    def add(self, digest: str) -> None:
        self._pending.append((digest,))
        if len(self._pending) >= 10_000:
            self._flush()

    def __contains__(self, digest: str) -> bool:
        self._flush()
        assert self._db is not None
        return self._db.execute("SELECT 1 FROM referenced WHERE digest = ?", (digest,)).fetchone() is not None

    def _flush(self) -> None:
        if self._pending and self._db is not None:
            self._db.executemany("INSERT OR IGNORE INTO referenced VALUES (?)", self._pending)
            self._pending = []


def summary(archive: Archive) -> str:
    """What a clean check covered, for the line it prints: `28 issue files and 560 kept captures checked`."""
    issues = sum(1 for _path in archive.all_issue_files())
    captures = archive.raw.count()
    return f"{_count(issues, 'issue file')} and {_count(captures, 'kept capture')} checked, no problem found"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
