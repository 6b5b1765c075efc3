"""The index kept current by a thread beside a large import: the importer hands over each issue file's rows as it
writes the file, and goes on with the next captures while SQLite stores them.

SQLite does its work without Python's global lock, so storing the tokens of one file overlaps with reading,
parsing and writing the next; on the 2,880-capture bench import that took the index's share of the time from
0.98 s to 0.18 s (see README, Speed). Updates are made in the order given, at most `QUEUED_FILES` wait, so
memory stays flat, and `close` waits for all of them: when the import ends, the index is current.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from pathlib import Path

from epaper_cli.errors import ArchiveError
from epaper_cli.index import ArticleRow, Index, Stamp, open_index

QUEUED_FILES = 4
"""Issue files whose rows may wait for the thread; the importer waits when it is this far ahead."""

_Update = tuple[str, "list[ArticleRow] | None", "Stamp | None"]


class Indexer:
    """Index updates made in order by one thread (started with the first update)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._queue: queue.Queue[_Update | None] = queue.Queue(maxsize=QUEUED_FILES)
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def put(self, relpath: str, rows: list[ArticleRow] | None, stamp: Stamp | None) -> None:
        """Have one file's rows stored as `Index.write_rows` does, or with `rows` None the file read again from
        disk (`Index.refresh_file`: it was removed)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="epaper-index", daemon=True)
            self._thread.start()
        self._queue.put((relpath, rows, stamp))

    def close(self) -> None:
        """Wait until every update given is made. A failure other than the index's own (a bug) is raised here."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join()
        self._thread = None
        if self._failure is not None:
            raise self._failure

    def _run(self) -> None:
        index: Index | None = None
        while (update := self._queue.get()) is not None:
            if self._failure is not None:
                continue  # taken off the queue all the same, so the importer is never left waiting
            relpath, rows, stamp = update
            try:
                index = index or open_index(self.root)
                if rows is None or stamp is None:
                    index.refresh_file(relpath)
                else:
                    index.write_rows(relpath, rows, stamp)
            except (sqlite3.Error, ArchiveError, OSError):
                pass  # best effort, as when the importer updates the index itself: the next search reads the file
            except BaseException as exc:  # raised by close(), in the importer's thread
                self._failure = exc
        if index is not None:
            index.close()
