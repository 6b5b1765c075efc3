"""The YAML archive's files: issue files loaded, checked against the schema and saved whole; raw captures kept
(through its `raw` store); incoming articles merged into their issue under the lock. The only code that writes
issue files.

Where things live is `layout`, the lock is `locking`, every issue file is written by `atomic.write_atomic`, raw
captures are kept by `rawstore`, and they reach the disk before any issue file that refers to them is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from epaper_cli import fixity, schema
from epaper_cli.atomic import clean_stale, read_regular, write_atomic
from epaper_cli.errors import ArchiveError
from epaper_cli.layout import LOCK_FILE, RAW_DIR, Layout, paper_from_folder, safe_component
from epaper_cli.locking import Lock
from epaper_cli.model import Issue
from epaper_cli.placing import Places

if TYPE_CHECKING:
    from epaper_cli.index import Index
    from epaper_cli.indexer import Indexer
    from epaper_cli.rawstore import RawStore

__all__ = ["LOCK_FILE", "RAW_DIR", "Archive", "Outcome", "Stored", "safe_component"]


@dataclass
class Outcome:
    """What an import did to one article: added, replaced or unchanged."""

    paper: str
    date: dt.date
    page: str
    article_id: str
    title: str
    status: str
    path: Path
    changes: tuple[str, ...] = ()
    """For a replaced article: what differs from the one it replaces (`byline`, `body (block 3)`)."""


@dataclass
class Stored:
    """An issue as its file held it when read (`data` None: no file yet), to merge into without reading it again
    when the file has not changed since; the merge takes the issue over."""

    path: Path
    data: bytes | None
    issue: Issue


class Archive(Layout):
    """A folder of issue files and raw captures."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._lock = Lock(self.lock_path())
        self._made: set[str] = set()
        self._index: Index | None = None
        self._indexer: Indexer | None = None
        self._linkfree: set[str] = set()
        self.stamps: dict[Path, str | None] = {}
        """Each issue file's stamp as the last merge into it (under the lock) left it; the importer takes them."""

    # -- reading -----------------------------------------------------------------------------------------

    def load(self, path: Path) -> Issue:
        """Read and validate one issue file."""
        data = self._read(path)
        if data is None:
            raise ArchiveError(str(path), "no such issue file")
        return self.parse(path, data)

    def paper_name(self, paper_dir: Path) -> str:
        """The name of the paper a folder holds: read from the folder's name, or from an issue when that was cut."""
        name = paper_from_folder(paper_dir.name)
        if name is None:
            files = self.issue_files(paper_dir)
            name = self.load(files[0][1]).paper if files else paper_dir.name
        return name

    def read_issue(self, paper: str, date: dt.date) -> Stored:
        """Read and validate the issue file of one paper and day, or an empty issue when there is none yet."""
        path = self.issue_path(paper, date)
        data = self._read(path)
        return Stored(path, data, Issue(paper, date, []) if data is None else self.parse(path, data))

    def _read(self, path: Path) -> bytes | None:
        self._refuse_links(os.fspath(path.parent))
        return read_regular(path)

    def _refuse_links(self, folder: str) -> None:
        """Refuse a folder inside the archive reached through a symlink: a link there leads reads and writes
        anywhere. Each folder is checked once per run."""
        if folder in self._linkfree:
            return
        root = os.fspath(self.root)
        inside = os.path.relpath(folder, root)
        if inside != "." and not inside.startswith(".."):
            step = root
            for part in inside.split(os.sep):
                step = os.path.join(step, part)
                if os.path.islink(step):
                    raise ArchiveError(step, "is a symlink: epaper follows no link inside the archive; remove it")
        self._linkfree.add(folder)

    def parse(self, path: Path, data: bytes) -> Issue:
        """Validate one issue file's bytes as read (its digest line, if any, set aside)."""
        return schema.load_file(data, str(path))

    # -- writing -----------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the archive's write lock (creating the archive if need be: `create`)."""
        self.create()
        with self._lock.held():
            yield

    def create(self) -> None:
        """Make the archive's folder and its `.raw`, which makes a folder an archive (`layout.is_archive`), before
        anything else is written into it: killed at any moment, a command leaves a folder that is an archive."""
        self._mkdir(self.root / RAW_DIR)

    @functools.cached_property
    def raw(self) -> RawStore:
        """The archive's kept captures (loaded when first asked: listing and exporting never need them)."""

        from epaper_cli import rawstore  # (as a module: the name above is for the type checker alone)

        return rawstore.RawStore(self.root, self.lock, self._mkdir)

    def store_raw(self, data: bytes, digest: str | None = None) -> str:
        """Keep a capture's bytes verbatim under their sha256 (pass it when known); storing twice is a no-op.

        The capture is queued in the raw store (`rawstore`), which keeps it, synced and indexed, before the next
        issue file is written, or when its `flush` is called.
        """
        if digest is None:
            import hashlib

            digest = hashlib.sha256(data).hexdigest()
        self.raw.put(data, digest)
        return digest

    def merge(self, incoming: Issue, *, base: Stored | None = None, write: bool = True) -> list[Outcome]:
        """Add or replace the incoming articles in their issue file, under the lock, writing only on change.

        `base` is the issue as read earlier (`read_issue`): used as it is if the file has not changed since.
        With `write=False` nothing is written: the outcomes say what an import would do (`--dry-run`).
        """
        path = self.issue_path(incoming.paper, incoming.date)
        with self.lock() if write else contextlib.nullcontext():
            if write:
                self._mkdir(path.parent)
                # Under the lock no one else writes this folder: every temp file of ours in it is a leftover.
                clean_stale(path.parent, older_than=0)
            data = self._read(path)
            if base is not None and base.path == path and base.data == data:
                current = base.issue
            else:
                current = Issue(incoming.paper, incoming.date, []) if data is None else self.parse(path, data)
            sections = [(page.label, page.section) for page in current.pages]
            before = {article.id: article for _page, article in current.articles()}
            places = Places(current)
            steps = [
                (page, article, *places.merge(page, article)) for page in incoming.pages for article in page.articles
            ]
            after = {article.id: article for _page, article in current.articles()}
            outcomes = [
                Outcome(
                    current.paper,
                    current.date,
                    page.label,
                    article.id,
                    article.title,
                    # Two captures of one article that leave it as the file held it: unchanged, not replaced twice.
                    "unchanged" if before.get(article.id) == after[article.id] else status,
                    path,
                    () if before.get(article.id) == after[article.id] else changes,
                )
                for page, article, status, changes in steps
            ]
            changed = any(outcome.status != "unchanged" for outcome in outcomes)
            if write and (changed or sections != [(page.label, page.section) for page in current.pages]):
                self._save(path, current)
            if write:
                self.stamps[path] = self.stamp(path)
        return outcomes

    @staticmethod
    def stamp(path: Path) -> str | None:
        """A file's identity as the filesystem sees it (inode, change time, size): every write of an issue file
        is a rename, which makes a new inode; None when there is no file."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return f"{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_size}"

    def _save(self, path: Path, issue: Issue) -> None:
        """Write an issue file whole or not at all; called under the lock, so older temp files beside it are stale."""
        self.raw.flush()  # raw captures reach the disk before any issue refers to them
        self._mkdir(path.parent)

        def fill(handle: BinaryIO) -> None:
            sealing = fixity.Sealing(handle)
            schema.dump_to(issue, sealing)  # type: ignore[arg-type]  # it has the one method dump_to uses
            sealing.seal()

        try:
            write_atomic(path, fill, clean=False)
        except OSError as exc:
            raise ArchiveError(str(path), f"cannot write: {exc.strerror or exc}") from exc
        self.indexed(path, issue)

    def indexed(self, path: Path, issue: Issue | None) -> None:
        """Bring the archive's index up to date with an issue file just written (`issue` None: just removed).

        Best effort: when the index cannot be written (busy for long, read-only, corrupt), the next search or
        lookup finds the file's size and time changed and reads it then."""
        import sqlite3

        from epaper_cli import index

        try:
            change = index.update(self.root, path, issue)
            if self._indexer is not None:  # stored by the thread, while this one goes on
                self._indexer.put(change)
                return
            if self._index is None:
                self._index = index.open_index(self.root)
            self._index.apply([change])
        except (sqlite3.Error, ArchiveError, OSError):
            pass

    @contextlib.contextmanager
    def indexing_aside(self) -> Iterator[None]:
        """While inside, the index updates of the issue files written are stored by a thread beside this one
        (`indexer`), overlapping with the caller's work; all of them are stored on leaving."""
        from epaper_cli.indexer import Indexer

        self._indexer = Indexer(self.root)
        try:
            yield
        finally:
            indexer, self._indexer = self._indexer, None
            indexer.close()

    def replace_issue(self, path: Path, issue: Issue) -> None:
        """Write an issue file whole, under the lock; an issue with no article left has its file removed.

        Empty pages go too. A crash leaves the old file or the new one, never a mix.
        """
        issue.pages = [page for page in issue.pages if page.articles]
        with self.lock():
            if issue.pages:
                self._save(path, issue)
                return
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise ArchiveError(str(path), f"cannot remove: {exc.strerror or exc}") from exc
            self.indexed(path, None)

    def read_raw(self, sha256: str) -> bytes:
        """The kept capture with this digest, byte for byte."""
        return self.raw.get(sha256)

    def _mkdir(self, path: str | Path) -> None:
        """Create a folder inside the archive, with a clear error when that is impossible, and refuse to go
        through a symlink inside the archive (one planted there would send the writes elsewhere)."""
        key = os.fspath(path)
        if key in self._made:
            return
        root = os.fspath(self.root)
        inside = os.path.relpath(key, root)
        steps = [] if inside == "." or inside.startswith("..") else inside.split(os.sep)
        step = root
        try:
            os.makedirs(root if steps else key, exist_ok=True)
            for part in steps:  # one folder at a time, each checked before anything is made inside it
                step = os.path.join(step, part)
                self._refuse_links(step)
                with contextlib.suppress(FileExistsError):
                    os.mkdir(step)
        except OSError as exc:
            raise ArchiveError(step if steps else key, f"cannot create folder: {exc.strerror or exc}") from exc
        self._made.add(key)
