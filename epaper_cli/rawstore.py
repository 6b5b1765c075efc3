"""The raw store: the bytes of every imported capture, kept verbatim under their sha256, in a few large files.

`<archive>/.raw/packs/000001.pack`, `000002.pack`, ... are only ever written at their end (and where `rm`
blanks a capture), records that describe themselves (`packs`: the format, and the index's). A pack grows to
`PACK_LIMIT`, then the next is started: 146 million captures of 4 KB take about 2,300 files, where one file per
capture took 146 million inodes. `<archive>/.raw/index.sqlite` says where each digest's bytes start; it is
derived: missing or unreadable, it is built again from the packs.

Captures are queued (`put`) and kept by `flush`, which the archive calls under its lock before it writes any
issue file: the bytes are appended and synced, then their index rows committed, so an issue never names a
capture that is not on disk. A crash leaves at most bytes past a pack's last indexed record, which the next
`flush` cuts. Captures kept by earlier versions, one file each at `.raw/<ab>/<sha256>`, are read where they are
until the next write moves them into the packs (`rawfiles`).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from epaper_cli import rawfiles
from epaper_cli.atomic import READ_FLAGS, fsync_dir, read_regular
from epaper_cli.errors import ArchiveError
from epaper_cli.layout import RAW_DIR
from epaper_cli.packs import PACK_NAME, REMOVED, connect_index, fill_index, header

if TYPE_CHECKING:
    import sqlite3

PACKS_DIR = "packs"
INDEX_FILE = "index.sqlite"
PACK_LIMIT = 256 << 20
"""A pack is closed once it holds this many bytes; the next capture starts a new one."""
DIGEST_NAME = re.compile(r"[0-9a-f]{64}")


class Place(NamedTuple):
    """Where a kept capture's bytes are: pack number, offset of its first byte, size; when it was stored."""

    pack: int
    start: int
    size: int
    stored: int


class RawStore:
    """One archive's kept captures. `lock` is the archive's write lock: `flush`, `remove` and `migrate` take it
    (it is re-entrant); reading needs none."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        lock: Callable[[], AbstractContextManager[None]] | None = None,
        mkdir: Callable[[str], None] | None = None,
    ) -> None:
        self.folder = os.path.join(os.fspath(root), RAW_DIR)
        self.packs = os.path.join(self.folder, PACKS_DIR)
        self._lock = lock or contextlib.nullcontext
        self._mkdir = mkdir or _mkdir
        self._queued: dict[str, bytes] = {}
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._readers: dict[int, int] = {}
        self._legacy: bool | None = None
        self._opened: tuple[int, int] | None = None
        """The index file's (device, inode) when this process opened it."""

    # -- reading -----------------------------------------------------------------------------------------

    def place(self, digest: str) -> Place | None:
        """Where the packs hold a capture, None when they do not."""
        db = self._index()
        if db is None or not DIGEST_NAME.fullmatch(digest):
            return None
        row = db.execute("SELECT pack, start, size, stored FROM kept WHERE digest = ?", (bytes.fromhex(digest),))
        found = row.fetchone()
        return None if found is None else Place(*found)

    def has(self, digest: str) -> bool:
        """Whether the capture with this digest is kept (or queued to be)."""
        if digest in self._queued or self.place(digest) is not None:
            return True
        return self.has_legacy() and os.path.exists(rawfiles.file_of(self.folder, digest))

    def get(self, digest: str) -> bytes:
        """The kept capture with this digest, byte for byte."""
        place = self.place(digest)
        if place is None:
            data = read_regular(rawfiles.file_of(self.folder, digest)) if self.has_legacy() else None
            if data is None:
                raise ArchiveError(self.folder, f"capture {digest} is missing (`epaper check` tells more)")
            return data
        data = self._read_at(digest, place)
        if data is None:
            where = self.pack_path(place.pack)
            raise ArchiveError(where, f"capture {digest} is not where the index says (`epaper check` tells more)")
        return data

    def _intact(self, digest: str) -> bool:
        """Whether the index's row of a capture points at its record."""
        place = self.place(digest)
        return place is not None and self._read_at(digest, place, 0) is not None

    def _read_at(self, digest: str, place: Place, size: int | None = None) -> bytes | None:
        """The capture's bytes at its place (only the first `size` of them if given), None when its record is not
        there (`rm` took it out, or the pack was damaged)."""
        path = self.pack_path(place.pack)
        line = header(digest, place.size)
        wanted = len(line) + (place.size if size is None else size)
        try:
            fd = self._readers.get(place.pack)
            if fd is None:
                fd = self._readers[place.pack] = os.open(path, READ_FLAGS)
            data = os.pread(fd, wanted, place.start - len(line))
        except OSError as exc:
            raise ArchiveError(path, f"cannot read: {exc.strerror or exc}") from exc
        return data[len(line) :] if data.startswith(line) and len(data) == wanted else None

    def count(self) -> int:
        """How many captures are kept (in the packs, and in files of their own)."""
        return self.packed() + (sum(1 for _file in rawfiles.files(self.folder)) if self.has_legacy() else 0)

    def packed(self) -> int:
        """How many captures the index says the packs hold."""
        db = self._index()
        return 0 if db is None else int(db.execute("SELECT COUNT(*) FROM kept").fetchone()[0])

    def pack_numbers(self) -> list[int]:
        """The packs there are, by number (regular files only: `check` reports anything else)."""
        with contextlib.suppress(OSError), os.scandir(self.packs) as entries:
            return sorted(
                int(m[1])
                for entry in entries
                if (m := PACK_NAME.fullmatch(entry.name)) and entry.is_file(follow_symlinks=False)
            )
        return []

    def pack_path(self, number: int) -> str:
        return os.path.join(self.packs, f"{number:06d}.pack")

    def indexed_end(self, number: int) -> int:
        """Where the last indexed record of a pack ends: bytes after it were never committed."""
        db = self._index()
        row = None if db is None else db.execute("SELECT end FROM packs WHERE pack = ?", (number,)).fetchone()
        return 0 if row is None else row[0]

    def has_legacy(self) -> bool:
        """Whether captures are kept in the layout before the packs (`rawfiles`; one listing of `.raw`, once)."""
        if self._legacy is None:
            self._legacy = any(True for _shard in rawfiles.shards(self.folder))
        return self._legacy

    # -- writing -----------------------------------------------------------------------------------------

    def put(self, data: bytes, digest: str) -> None:
        """Queue a capture to be kept by the next `flush` (a capture kept already is skipped then)."""
        self._queued[digest] = data

    def flush(self) -> None:
        """Keep every queued capture: appended to the newest pack and synced, then indexed. Under the lock."""
        if not self._queued and not self.has_legacy():
            return
        with self._lock():
            if self._queued:  # (failing, they stay queued: every issue file that names them fails the same way)
                self._append(self._queued)
                self._queued = {}
            if self.has_legacy():
                self.migrate()

    def _append(self, captures: dict[str, bytes]) -> None:
        db = self._writable()
        # (an index row of a capture `rm` was taking out when it was stopped does not count as kept)
        new = [(digest, data) for digest, data in captures.items() if not self._intact(digest)]
        if not new:
            return
        row = db.execute("SELECT pack, end FROM packs ORDER BY pack DESC LIMIT 1").fetchone()
        number, end = row if row is not None else (1, 0)
        rows: list[tuple[object, ...]] = []
        ends: dict[int, int] = {}
        now = int(time.time())
        self._mkdir(self.packs)
        taken = 0
        while taken < len(new):
            if end >= PACK_LIMIT:
                number, end = number + 1, 0
            at, parts = end, list[bytes]()
            while taken < len(new) and end < PACK_LIMIT:
                digest, data = new[taken]
                taken += 1
                line = header(digest, len(data))
                parts += (line, data, b"\n")
                rows.append((bytes.fromhex(digest), number, end + len(line), len(data), now))
                end += len(line) + len(data) + 1
            self._write_pack(number, at, parts)
            ends[number] = end
        self._commit(
            ("INSERT OR REPLACE INTO kept VALUES (?, ?, ?, ?, ?)", rows),
            ("INSERT OR REPLACE INTO packs VALUES (?, ?)", list(ends.items())),
        )

    def _write_pack(self, number: int, at: int, parts: list[bytes]) -> None:
        """Write records at `at` in a pack (cutting what an interrupted write left past it), and sync them."""
        with self._open_pack(number, os.O_CREAT) as handle:
            created = os.fstat(handle.fileno()).st_size == 0
            handle.truncate(at)
            handle.seek(at)
            handle.write(b"".join(parts))
            handle.flush()
            os.fsync(handle.fileno())
        if created:
            fsync_dir(self.packs)
        self._close_reader(number)

    @contextlib.contextmanager
    def _open_pack(self, number: int, flags: int = 0) -> Iterator[BinaryIO]:
        """A pack opened to write in place (never through a link), OS errors told as the pack's."""
        path = self.pack_path(number)
        flags |= os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            with os.fdopen(os.open(path, flags, 0o644), "r+b") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise ArchiveError(path, "is not a regular file")
                yield handle
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ArchiveError(path, "is a symlink: epaper follows no link inside the archive") from exc
            raise ArchiveError(path, f"cannot write: {exc.strerror or exc}") from exc

    def _commit(self, *changes: tuple[str, list[tuple[object, ...]]]) -> None:
        """Statements run on the index, each over its rows, in one transaction."""
        db = self._writable()
        try:
            with db:
                for statement, rows in changes:
                    db.executemany(statement, rows)
        except Exception as exc:  # sqlite3.Error: the module is loaded lazily
            raise ArchiveError(self.index_path, f"cannot write: {exc}") from exc

    def remove(self, digests: Iterable[str]) -> None:
        """Forget captures: their bytes in the pack are overwritten (digest with dashes, content with zeros)
        and synced before their index rows go; a capture in a file of its own is deleted."""
        with self._lock():
            gone: list[tuple[object, ...]] = []
            for digest in digests:
                place = self.place(digest)
                if place is None:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(rawfiles.file_of(self.folder, digest))
                    continue
                line = header(digest, place.size)
                with self._open_pack(place.pack) as handle:
                    if os.pread(handle.fileno(), len(line), place.start - len(line)) == line:
                        blank = header(digest, place.size, REMOVED) + bytes(place.size)
                        os.pwrite(handle.fileno(), blank, place.start - len(line))
                        os.fsync(handle.fileno())
                gone.append((bytes.fromhex(digest),))
            if gone:
                self._commit(("DELETE FROM kept WHERE digest = ?", gone))

    def migrate(self) -> int:
        """Move the captures kept one file each (the layout before the packs) into the packs; the number moved."""
        with self._lock():
            moved = rawfiles.move_into_packs(self.folder, self._append)
            self._legacy = None
        return moved

    # -- the index ---------------------------------------------------------------------------------------

    @property
    def index_path(self) -> str:
        return os.path.join(self.folder, INDEX_FILE)

    def _index(self) -> sqlite3.Connection | None:
        """The index, opened once per process; None when there is no raw store. One that is missing or damaged
        while packs exist is built again from them (in memory when the archive cannot be written)."""
        if self._db is not None and self._pid == os.getpid():
            return self._db
        import sqlite3

        self._db, self._pid, self._readers = None, os.getpid(), {}
        self._refuse_links()
        self._opened = _identity(self.index_path)
        if not os.path.exists(self.index_path):
            return self._rebuilt() if self.pack_numbers() else None
        try:
            self._db = connect_index(self.index_path)
        except ArchiveError:
            try:  # a read-only archive: read as it is
                self._db = sqlite3.connect(f"file:{self.index_path}?immutable=1", uri=True, check_same_thread=False)
                self._db.execute("SELECT pack FROM packs LIMIT 1").fetchall()
            except sqlite3.Error:
                return self._rebuilt()
        return self._db

    def _writable(self) -> sqlite3.Connection:
        """The index, to write to (created when there is none); called under the lock, so an index that another
        process built again since this one opened it (`check --fix`) is opened anew, never written while unlinked."""
        if self._db is not None and self._opened != _identity(self.index_path):
            self._db.close()
            self._db = None
        db = self._index()
        if db is None:
            self._mkdir(self.folder)
            db = self._db = connect_index(self.index_path)
            self._opened = _identity(self.index_path)
        return db

    def _rebuilt(self) -> sqlite3.Connection:
        """A new index made from the packs, read front to back, replacing a missing or damaged one (or, when
        the archive cannot be written, held in memory for this command)."""
        import sqlite3

        temp = f"{self.index_path}.rebuilding"
        try:
            with self._lock():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
                db = sqlite3.connect(temp)
                fill_index(db, [(n, self.pack_path(n)) for n in self.pack_numbers()])
                db.close()
                for stale in (f"{self.index_path}-wal", f"{self.index_path}-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(stale)
                os.replace(temp, self.index_path)
                self._db = connect_index(self.index_path)
                self._opened = _identity(self.index_path)
        except (ArchiveError, OSError, sqlite3.Error):
            self._db = sqlite3.connect(":memory:", check_same_thread=False)
            fill_index(self._db, [(n, self.pack_path(n)) for n in self.pack_numbers()])
        return self._db

    def rebuild_index(self) -> None:
        """Build the index again from the packs (`check --fix`, when `check` found it wrong)."""
        with self._lock():
            if self._db is not None:
                self._db.close()
            self._db, self._pid = None, 0
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.index_path)
            self._index()

    # -- helpers -----------------------------------------------------------------------------------------

    def _refuse_links(self) -> None:
        """Refuse a raw store reached through a symlink: SQLite and the packs would read and write elsewhere."""
        index = self.index_path
        for path in (self.folder, self.packs, index, f"{index}-wal", f"{index}-shm"):
            if os.path.islink(path):
                raise ArchiveError(path, "is a symlink: epaper follows no link inside the archive; remove it")

    def _close_reader(self, number: int) -> None:
        fd = self._readers.pop(number, None)
        if fd is not None:
            os.close(fd)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


@functools.cache
def opened(root: str) -> RawStore:
    """An archive's raw store as a worker process reads it (one per process and archive)."""
    return RawStore(root)


def _mkdir(path: str) -> None:
    """How a store used on its own (benchmarks, tests) makes its folders; an archive passes its own."""
    os.makedirs(path, exist_ok=True)
