"""What each imported capture gave, so that importing it again need not parse it: `<archive>/.receipts.sqlite`.

One row per raw capture (its sha256): the import's key (the readers' version, the import options and the paper
registry's stamp), the articles it gave each issue with the issue file's stamp after that import, and its notes.
A receipt is a hint, never the truth: it is trusted for an issue whose file still has that stamp (nothing has
written it since), else only when the issue, read, holds exactly those articles with this capture as their
source; so a hand edit, a deleted issue or a replaced article sends the capture back to the reader. The file is
derived: when it is missing, unreadable or cannot be written, captures are simply parsed, and a damaged file is
replaced. `sqlite3` loads only when receipts are used (`importing.LARGE_RUN` inputs or more): it costs a
one-capture import more than parsing does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from epaper_cli.layout import RECEIPTS_FILE

if TYPE_CHECKING:
    import sqlite3


@dataclass(frozen=True)
class Given:
    """What one capture gave one issue: its articles as (page, id, title), and the issue file's stamp
    (`Archive.stamp`) right after the import that wrote them, when nothing else in that import could replace them."""

    paper: str
    date: dt.date
    articles: tuple[tuple[str, str, str], ...]
    stamp: str | None


@dataclass(frozen=True)
class Receipt:
    """What one capture gave, issue by issue, and the reader's notes."""

    issues: tuple[Given, ...]
    notes: tuple[str, ...]


class Receipts:
    """The receipts of one archive, opened on first use in each process (workers look up, the main process
    records)."""

    def __init__(self, root: Path | str, key: str) -> None:
        self.root = os.fspath(root)
        self.path = os.path.join(self.root, RECEIPTS_FILE)
        self.key = key
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._broken = False

    def __reduce__(self) -> tuple[type[Receipts], tuple[str, str]]:  # sent to workers without the connection
        return (Receipts, (self.root, self.key))

    def find(self, digest: str) -> Receipt | None:
        """The receipt of the capture with this digest made under this import's key, if any."""
        if not os.path.exists(self.path):
            return None
        row = self._run("SELECT issues, notes FROM receipts WHERE digest = ? AND key = ?", (digest, self.key))
        if not row:
            return None
        issues, notes = row[0]
        return Receipt(
            tuple(
                Given(paper, dt.date.fromisoformat(date), tuple(map(tuple, articles)), stamp)
                for paper, date, articles, stamp in json.loads(issues)
            ),
            tuple(json.loads(notes)),
        )

    def record(self, rows: list[tuple[str, Receipt]]) -> None:
        """Keep the receipts of captures whose issues are written (a failure to keep them is not an error)."""
        if not rows:
            return
        values = [
            (
                digest,
                self.key,
                json.dumps(
                    [(given.paper, given.date.isoformat(), given.articles, given.stamp) for given in receipt.issues],
                    ensure_ascii=False,
                ),
                json.dumps(list(receipt.notes), ensure_ascii=False),
            )
            for digest, receipt in rows
        ]
        self._run("INSERT OR REPLACE INTO receipts VALUES (?, ?, ?, ?)", values, many=True)

    def _run(self, sql: str, values: object, *, many: bool = False) -> list[tuple[str, str]]:
        import sqlite3

        if self._broken:
            return []
        try:
            connection = self._connect()
            with connection:
                if many:
                    connection.executemany(sql, values)  # type: ignore[arg-type]
                    return []
                return connection.execute(sql, values).fetchall()  # type: ignore[arg-type]
        except sqlite3.DatabaseError:
            self._replace_damaged()
        except sqlite3.Error:
            self._broken = True  # locked for too long, read-only folder...: parse this run's captures
        return []

    def _connect(self) -> sqlite3.Connection:
        import sqlite3

        if self._connection is None or self._pid != os.getpid():
            self._connection = sqlite3.connect(self.path, timeout=10)
            self._pid = os.getpid()
            self._connection.execute("PRAGMA synchronous=NORMAL")  # a receipt lost in a crash: parsed again
            self._connection.execute("PRAGMA cache_size=-512")  # 512 KiB: an import holds what it writes, not more
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS receipts (digest TEXT PRIMARY KEY, key TEXT, issues TEXT, notes TEXT)"
                " WITHOUT ROWID"
            )
        return self._connection

    def _replace_damaged(self) -> None:
        """A damaged file is dropped (it holds nothing that cannot be made again); this run goes on without it."""
        self._broken = True
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        for suffix in ("", "-journal"):
            with contextlib.suppress(OSError):
                os.remove(self.path + suffix)
