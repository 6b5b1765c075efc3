"""The YAML archive's files: issue files loaded, checked against the schema and saved whole; raw captures kept;
incoming articles merged into their issue under the lock. The only code that writes into the archive.

Where things live is `layout`, the lock is `locking`, every write goes through `atomic.write_atomic`. Raw captures
reach the disk before any issue file that refers to them is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from epaper_cli import schema
from epaper_cli.atomic import TEMP_PREFIX, can_defer_sync, sync_files, write_atomic
from epaper_cli.errors import ArchiveError
from epaper_cli.layout import LOCK_FILE, RAW_DIR, Layout, safe_component
from epaper_cli.locking import Lock
from epaper_cli.model import Article, Issue, Page, page_sort_key

__all__ = ["LOCK_FILE", "RAW_DIR", "Archive", "Outcome", "Stored", "merge_article", "safe_component"]


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
        self._unsynced: list[str] = []
        self._made: set[str] = set()
        self.stamps: dict[Path, str | None] = {}
        """Each issue file's stamp as the last merge into it (under the lock) left it; the importer takes them."""

    # -- reading -----------------------------------------------------------------------------------------

    def load(self, path: Path) -> Issue:
        """Read and validate one issue file."""
        data = self._read(path)
        if data is None:
            raise ArchiveError(str(path), "no such issue file")
        return self._parse(path, data)

    def read_issue(self, paper: str, date: dt.date) -> Stored:
        """Read and validate the issue file of one paper and day, or an empty issue when there is none yet."""
        path = self.issue_path(paper, date)
        data = self._read(path)
        return Stored(path, data, Issue(paper, date, []) if data is None else self._parse(path, data))

    def _read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ArchiveError(str(path), f"cannot read: {exc.strerror or exc}") from exc

    def _parse(self, path: Path, data: bytes) -> Issue:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArchiveError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
        return schema.load(text, str(path))

    # -- writing -----------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the archive's write lock (creating the archive folder if need be)."""
        self._mkdir(self.root)
        with self._lock.held():
            yield

    def store_raw(self, data: bytes, digest: str | None = None) -> str:
        """Keep a capture's bytes verbatim under their sha256 (pass it when known); storing twice is a no-op.

        No lock is needed: the name is the content, so writers racing on it write the same bytes. The file is
        synced, with every other one stored since, before the next issue file is written.
        """
        if digest is None:
            import hashlib

            digest = hashlib.sha256(data).hexdigest()
        path = self.raw_file(digest)
        if os.path.exists(path):
            return digest
        self._mkdir(os.path.dirname(path))
        deferred = can_defer_sync()
        try:
            write_atomic(path, lambda handle: handle.write(data), durable=not deferred)
        except OSError as exc:
            raise ArchiveError(path, f"cannot write: {exc.strerror or exc}") from exc
        if deferred:
            self._unsynced.append(path)
        return digest

    def merge(self, incoming: Issue, *, base: Stored | None = None, write: bool = True) -> list[Outcome]:
        """Add or replace the incoming articles in their issue file, under the lock, writing only on change.

        `base` is the issue as read earlier (`read_issue`): used as it is if the file has not changed since.
        With `write=False` nothing is written: the outcomes say what an import would do (`--dry-run`).
        """
        path = self.issue_path(incoming.paper, incoming.date)
        with self.lock() if write else contextlib.nullcontext():
            data = self._read(path)
            if base is not None and base.path == path and base.data == data:
                current = base.issue
            else:
                current = Issue(incoming.paper, incoming.date, []) if data is None else self._parse(path, data)
            sections = [(page.label, page.section) for page in current.pages]
            outcomes: list[Outcome] = []
            for page in incoming.pages:
                for article in page.articles:
                    status = merge_article(current, page, article)
                    outcomes.append(
                        Outcome(current.paper, current.date, page.label, article.id, article.title, status, path)
                    )
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
        if self._unsynced:  # raw captures reach the disk before any issue refers to them
            try:
                sync_files(self._unsynced)
            except OSError as exc:
                raise ArchiveError(str(self.root / RAW_DIR), f"cannot write: {exc.strerror or exc}") from exc
            self._unsynced = []
        self._mkdir(path.parent)
        for stale in path.parent.glob(f"{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                stale.unlink()
        try:
            write_atomic(path, lambda handle: schema.dump_to(issue, handle))
        except OSError as exc:
            raise ArchiveError(str(path), f"cannot write: {exc.strerror or exc}") from exc

    def clean_stale_temps(self, older_than: float = 3600.0) -> None:
        """Remove temp files that interrupted raw-capture writes left behind; no write takes this long."""
        cutoff = time.time() - older_than
        for temp in (self.root / RAW_DIR).glob(f"*/{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()

    def _mkdir(self, path: str | Path) -> None:
        """Create a folder inside the archive, with a clear error when that is impossible."""
        key = os.fspath(path)
        if key in self._made:
            return
        try:
            os.makedirs(key, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(key, f"cannot create folder: {exc.strerror or exc}") from exc
        self._made.add(key)


def merge_article(issue: Issue, incoming_page: Page, article: Article) -> str:
    """Put one article into an issue: replace the one with its id in place, else append it to its page."""
    page = issue.page(incoming_page.label)
    if page is None:
        page = Page(incoming_page.label, incoming_page.section, [])
        issue.pages.append(page)
        issue.pages.sort(key=lambda p: page_sort_key(p.label))
    elif incoming_page.section and page.section != incoming_page.section:
        page.section = incoming_page.section
    for index, existing in enumerate(page.articles):
        if existing.id == article.id:
            if existing == article:
                return "unchanged"
            page.articles[index] = article
            return "replaced"
    page.articles.append(article)
    return "added"
