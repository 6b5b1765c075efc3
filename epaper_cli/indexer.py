"""The index kept current by a thread beside a large import: the importer hands over each issue file's rows as it
writes the file, and goes on with the next captures while SQLite stores them.

SQLite does its work without Python's global lock, so storing the tokens of one file overlaps with reading,
parsing and writing the next: the 2,880-capture bench import takes 0.94× the time it took with the index updated
in the importer's thread (10 pairs). Updates are made in the order given, at most `QUEUED_FILES` wait, so memory
stays flat, and `close` waits for all of them: when the import ends, the index is current.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from pathlib import Path

from epaper_cli.errors import ArchiveError
from epaper_cli.index import Index, Update, open_index

QUEUED_FILES = 2
"""Issue files whose rows may wait for the thread (the importer waits when it is this far ahead), stored in one
transaction when several wait; more made no difference to the time (the thread mostly keeps up) and held more."""


class Indexer:
    """Index updates made in order by one thread (started with the first update)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._queue: queue.Queue[Update | None] = queue.Queue(maxsize=QUEUED_FILES)
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def put(self, change: Update) -> None:
        """Have one file's update (`index.update`) applied as `Index.apply` does."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="epaper-index", daemon=True)
            self._thread.start()
        self._queue.put(change)

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
        done = False
        while not done:
            updates = [self._queue.get()]  # and whatever else waits, stored in one transaction
            while updates[-1] is not None and len(updates) <= QUEUED_FILES:
                try:
                    updates.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            done = updates[-1] is None
            if self._failure is not None:
                continue  # taken off the queue all the same, so the importer is never left waiting
            try:
                index = index or open_index(self.root)
                index.apply([change for change in updates if change is not None])
            except (sqlite3.Error, ArchiveError, OSError):
                pass  # best effort, as when the importer updates the index itself: the next search reads the file
            except BaseException as exc:  # raised by close(), in the importer's thread
                self._failure = exc
        if index is not None:
            index.close()
