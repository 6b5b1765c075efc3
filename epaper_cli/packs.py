"""The raw store's pack format and its index: what `rawstore` writes and `check` reads.

A pack is a series of records, `<sha256> <size>\\n<bytes>\\n` (a removed capture: `<sha256>-<size>\\n` and as many
zero bytes), so it describes itself; the index (`kept`: digest → pack, start of the bytes, size, when stored;
`packs`: where each pack's last indexed record ends) can always be built again from the packs (`fill_index`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from epaper_cli.atomic import READ_FLAGS
from epaper_cli.errors import ArchiveError

if TYPE_CHECKING:
    import sqlite3

PACK_NAME = re.compile(r"(\d{6})\.pack")
_HEADER = re.compile(rb"([0-9a-f]{64})([ -])(\d{1,12})\n")
REMOVED = b"-"
"""What separates a removed capture's digest from its size in its record (its bytes are zeros)."""
_SCHEMA = """
BEGIN;
CREATE TABLE IF NOT EXISTS kept (
    digest BLOB PRIMARY KEY, pack INTEGER NOT NULL, start INTEGER NOT NULL, size INTEGER NOT NULL,
    stored INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS packs (pack INTEGER PRIMARY KEY, end INTEGER NOT NULL);
COMMIT;
"""
"""(in one transaction: one sync where a new archive's index is made)"""


class Record(NamedTuple):
    """One record of a pack as read front to back: its digest, where its bytes start, the bytes, and whether
    `rm` removed it (then the bytes are zeros)."""

    digest: str
    start: int
    data: bytes
    removed: bool = False


def header(digest: str, size: int, separator: bytes = b" ") -> bytes:
    """The line before a capture's bytes in its pack."""
    return digest.encode("ascii") + separator + b"%d\n" % size


def records(path: str) -> Iterator[Record]:
    """The complete records of a pack, front to back; it stops where the bytes are not a record (the part an
    interrupted write left, or damage: `check` compares where it stopped with the pack's indexed end)."""
    try:
        handle = os.fdopen(os.open(path, READ_FLAGS), "rb")
    except OSError:
        return
    with handle:
        at = 0
        while True:
            line = handle.readline(80)
            match = _HEADER.fullmatch(line)
            if match is None:
                return
            size = int(match[3])
            data = handle.read(size)
            if len(data) != size or handle.read(1) != b"\n":
                return
            yield Record(match[1].decode("ascii"), at + len(line), data, match[2] == REMOVED)
            at += len(line) + size + 1


def connect_index(path: str) -> sqlite3.Connection:
    """The index at `path`, opened (made if need be) to read and write."""
    import sqlite3

    try:
        db = sqlite3.connect(path, timeout=60, check_same_thread=False)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA cache_size = -256")  # KiB: lookups by digest are scattered, a cache saves little
        db.executescript(_SCHEMA)
    except sqlite3.Error as exc:
        raise ArchiveError(path, f"cannot open: {exc}") from exc
    return db


def fill_index(db: sqlite3.Connection, packs: list[tuple[int, str]]) -> None:
    """Build the index in `db` from the packs (number, path), read front to back."""
    db.executescript(_SCHEMA)
    with db:
        for number, path in packs:
            try:
                stored = int(os.lstat(path).st_mtime)
            except OSError:
                continue  # gone since it was listed
            end = 0
            for record in records(path):
                end = record.start + len(record.data) + 1
                if not record.removed:
                    row = (bytes.fromhex(record.digest), number, record.start, len(record.data), stored)
                    db.execute("INSERT OR IGNORE INTO kept VALUES (?, ?, ?, ?, ?)", row)
            db.execute("INSERT OR REPLACE INTO packs VALUES (?, ?)", (number, end))
