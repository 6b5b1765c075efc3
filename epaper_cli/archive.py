"""The YAML archive: layout, schema, locking and atomic writes. The only code that touches archive files.

Layout: `<root>/<paper>/<YYYY>/<YYYY-MM-DD>.yaml`, one file per issue, and the raw bytes of every imported
capture under `<root>/.raw/<ab>/<sha256>`, where no paper's folder can clash with them (paper folders never
start with a dot).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from epaper_cli import schema
from epaper_cli.atomic import TEMP_PREFIX, can_defer_sync, sync_files, write_atomic
from epaper_cli.errors import ArchiveError
from epaper_cli.model import Article, Issue, Page, page_sort_key

RAW_DIR = ".raw"
LOCK_FILE = ".lock"
_MAX_COMPONENT_BYTES = 180
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_ISSUE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.yaml$")


def safe_component(name: str) -> str:
    """Make a paper's name one harmless path component: no separators, controls, dot names or overlong names."""
    cleaned = unicodedata.normalize("NFC", name)
    cleaned = _UNSAFE.sub("_", cleaned).strip().strip(".") or "_"
    if cleaned.startswith("."):
        cleaned = "_" + cleaned
    encoded = cleaned.encode("utf-8")
    if len(encoded) > _MAX_COMPONENT_BYTES:
        import hashlib  # only for overlong names; exporting and listing never load it

        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        cleaned = encoded[: _MAX_COMPONENT_BYTES - 9].decode("utf-8", "ignore") + "-" + digest
    return cleaned


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


class Archive:
    """A folder of issue files and raw captures."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock_depth = 0
        self._unsynced: list[str] = []
        self._made: set[str] = set()

    # -- paths -------------------------------------------------------------------------------------------

    def paper_dir(self, paper: str) -> Path:
        """The folder that holds one paper's issues."""
        return self.root / safe_component(paper)

    def issue_path(self, paper: str, date: dt.date) -> Path:
        """Where one issue lives."""
        return self.issue_path_in(self.paper_dir(paper), date)

    def issue_path_in(self, paper_dir: Path, date: dt.date) -> Path:
        """Where one issue lives inside a paper's folder."""
        return paper_dir / f"{date.year:04d}" / f"{date.isoformat()}.yaml"

    def raw_path(self, sha256: str) -> Path:
        """Where the raw capture with this digest is kept."""
        return self.root / RAW_DIR / sha256[:2] / sha256

    # -- writing -----------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the archive's write lock; the kernel drops it if the process dies, so it never goes stale."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        self._mkdir(self.root)
        path = self.root / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(str(path), f"cannot open the archive lock: {exc.strerror}") from exc
        try:
            _lock_fd(fd)
            self._lock_depth = 1
            yield
        finally:
            self._lock_depth = 0
            os.close(fd)

    def store_raw(self, data: bytes, digest: str | None = None) -> str:
        """Keep a capture's bytes verbatim under their sha256 (pass it when known); storing twice is a no-op."""
        if digest is None:
            import hashlib

            digest = hashlib.sha256(data).hexdigest()
        # Plain strings, not Path objects: this runs for every capture, and pathlib (before Python 3.12)
        # interns every name it parses, which would grow with the run.
        folder = os.path.join(self.root, RAW_DIR, digest[:2])
        path = os.path.join(folder, digest)
        if os.path.exists(path):
            return digest
        # No lock needed: the name is the content, so writers racing on it write the same bytes, and the
        # rename is atomic. The temp name is this process's own, so no one else's write is ever touched.
        self._mkdir(folder)
        temp = os.path.join(folder, f"{TEMP_PREFIX}{digest}-{os.getpid()}")
        deferred = can_defer_sync()
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if not deferred:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(temp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise ArchiveError(path, f"cannot write: {exc.strerror or exc}") from exc
        if deferred:
            self._unsynced.append(path)
        return digest

    def release_unsynced(self) -> list[str]:
        """Hand over the raw files this process wrote and has not synced (an import's worker process hands them
        to the process that writes the issue files, which must sync them before an issue refers to them)."""
        paths, self._unsynced = self._unsynced, []
        return paths

    def adopt_unsynced(self, paths: Iterable[str]) -> None:
        """Take over raw files another process (or `release_unsynced`) left to sync before the next issue write."""
        self._unsynced.extend(paths)

    def clean_stale_temps(self, older_than: float = 3600.0) -> None:
        """Remove temp files that interrupted raw-capture writes left behind; no write takes this long."""
        cutoff = time.time() - older_than
        for temp in (self.root / RAW_DIR).glob(f"*/{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()

    def merge(self, incoming: Issue, *, write: bool = True) -> list[Outcome]:
        """Add or replace the incoming articles in their issue file, under the lock, writing only on change.

        With `write=False` nothing is written: the outcomes say what an import would do (`--dry-run`).
        """
        path = self.issue_path(incoming.paper, incoming.date)
        with self.lock() if write else contextlib.nullcontext():
            current = self.load(path) if path.exists() else Issue(incoming.paper, incoming.date, [])
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
                if self._unsynced:  # raw captures reach the disk before any issue refers to them
                    try:
                        sync_files(self._unsynced)
                    except OSError as exc:
                        raise ArchiveError(str(self.root / RAW_DIR), f"cannot write: {exc.strerror or exc}") from exc
                    self._unsynced = []
                self._write_atomic(path, lambda handle: schema.dump_to(current, handle))
        return outcomes

    def _write_atomic(self, path: Path, fill: Callable[[BinaryIO], None]) -> None:
        """Write an archive file whole or not at all; called under the lock, so older temp files are stale."""
        self._mkdir(path.parent)
        for stale in path.parent.glob(f"{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                stale.unlink()
        try:
            write_atomic(path, fill)
        except OSError as exc:
            raise ArchiveError(str(path), f"cannot write: {exc.strerror or exc}") from exc

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

    # -- reading -----------------------------------------------------------------------------------------

    def load(self, path: Path) -> Issue:
        """Read and validate one issue file."""
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError as exc:
            raise ArchiveError(str(path), "no such issue file") from exc
        except UnicodeDecodeError as exc:
            raise ArchiveError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
        except OSError as exc:
            raise ArchiveError(str(path), f"cannot read: {exc.strerror or exc}") from exc
        return schema.load(text, str(path))

    def paper_dirs(self) -> list[Path]:
        """Every paper folder, sorted by name."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def issue_files(self, paper_dir: Path) -> list[tuple[dt.date, Path]]:
        """One paper's issue files with their dates, oldest first, found by name without reading them."""
        found: list[tuple[dt.date, Path]] = []
        for year_dir in sorted(p for p in paper_dir.iterdir() if p.is_dir() and p.name.isdigit()):
            for path in year_dir.iterdir():
                match = _ISSUE_NAME.match(path.name)
                if match is None:
                    continue
                try:
                    found.append((dt.date(*map(int, match.groups())), path))
                except ValueError:
                    continue
        return sorted(found)

    def all_issue_files(self) -> Iterator[Path]:
        """Every issue file in the archive, in paper then date order."""
        for paper_dir in self.paper_dirs():
            for _date, path in self.issue_files(paper_dir):
                yield path


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


def _lock_fd(fd: int) -> None:
    """Block until this process holds an exclusive lock on the file."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
