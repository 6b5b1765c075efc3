"""The archive's index: derived data in `<archive>/.index.sqlite` that finds articles by text and by id.

It holds, per issue file, the size and modification time it was indexed at, and per article its id, the file
that holds it, where it was printed and its searchable text (title, kicker, subtitle, byline, dateline, body,
one line each). Full-text search is SQLite FTS5 over **one token per character**: every character of the folded
text (`fold`) is its own token, so a term of any length is the phrase of its characters at consecutive positions,
which is exactly a substring match; no candidate needs verifying. (FTS5's trigram tokenizer finds nothing for
one- and two-character terms in SQLite before 3.43, and a word segmenter misses words it cuts differently.)

Never stale: `refresh` compares each issue file's (size, mtime_ns) with what was indexed (a stat walk, no reads)
and re-reads only the files that changed, appeared or went; the commands that write issue files update it as
they write (`apply`). A missing, corrupt or outdated index file is rebuilt with a note. Many processes may
use it at once: SQLite's WAL journal, writes in short transactions, a bounded busy wait.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from epaper_cli.errors import ArchiveError
from epaper_cli.searchtext import fold, searchable, tokens

if TYPE_CHECKING:
    from epaper_cli.model import Issue

INDEX_FILE = ".index.sqlite"
VERSION = "4"
BUSY_SECONDS = 30.0
"""Longest wait for another process's write to the index; writers hold it a batch of files at a time."""
BATCH_FILES = 20
"""Issue files re-read per write transaction when refreshing, so an import waiting to write is not held long."""
_ISSUE_NAME = re.compile(r"\d{4}-\d{2}-\d{2}\.yaml")

_PUNCTUATION = "".join(chr(code) for code in range(0x21, 0x7F) if not chr(code).isalnum())
_TOKENIZER = ("ascii tokenchars '" + _PUNCTUATION.replace("'", "''") + "'").replace('"', '""')
"""FTS5's `ascii` tokenizer with ASCII punctuation as token characters (only spaces and controls separate),
quoted for the SQL string it goes in."""
_SCHEMA = f"""CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS articles(
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, file TEXT NOT NULL, paper TEXT NOT NULL, date TEXT NOT NULL,
    page TEXT NOT NULL, section TEXT, title TEXT NOT NULL, place INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS texts(rowid INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS articles_id ON articles(id);
CREATE INDEX IF NOT EXISTS articles_file ON articles(file);
CREATE INDEX IF NOT EXISTS articles_paper ON articles(paper, date);
CREATE VIRTUAL TABLE IF NOT EXISTS chars USING fts5(text, content='', tokenize="{_TOKENIZER}", detail=full);
INSERT INTO chars(chars, rank) VALUES('pgsz', 16000);
INSERT INTO chars(chars, rank) VALUES('automerge', 8);
INSERT OR IGNORE INTO meta VALUES('version', '{VERSION}')"""


# -- the database ----------------------------------------------------------------------------------------


class Row(NamedTuple):
    """One indexed article: where it was printed, and its searchable text."""

    rowid: int
    id: str
    file: str
    paper: str
    date: str
    page: str
    section: str | None
    title: str
    text: str


T = TypeVar("T")
Stamp = tuple[int, int]
"""An issue file's (size, mtime_ns): what changes when it is written, by epaper or by hand."""
ArticleRow = tuple[str, str, str, str, "str | None", str, str]
"""What the index holds of one article: id, paper, date, page, section, title, searchable text."""


Update = tuple[str, "list[ArticleRow] | None", "Stamp | None"]
"""What `Index.apply` takes for one issue file: its path in the archive and the rows and stamp it was written
with, or (path, None, None): read it from disk again (it was removed)."""


def update(root: Path, path: Path, issue: Issue | None) -> Update:
    """The update for an issue file just written from `issue` (None: just removed). The stamp is taken now: a
    later write of the file must not lend its stamp to these rows."""
    relpath = path.relative_to(root).as_posix()
    if issue is None:
        return relpath, None, None
    stat = os.stat(path)
    return relpath, rows_of(issue), (stat.st_size, stat.st_mtime_ns)


def rows_of(issue: Issue) -> list[ArticleRow]:
    """The index's rows of an issue's articles, in the issue's order."""
    date = issue.date.isoformat()
    return [
        (article.id, issue.paper, date, page.label, page.section, article.title, searchable(article))
        for page, article in issue.articles()
    ]


class Index:
    """The open index of one archive."""

    def __init__(self, root: Path, note: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.path = root / INDEX_FILE
        self.note = note
        self._db = self._connect()

    def close(self) -> None:
        self._db.close()

    def heal(self, action: Callable[[], T]) -> T:
        """Run `action` on the index; a corrupt index is rebuilt (with a note) and the action run again."""
        try:
            return action()
        except sqlite3.OperationalError as exc:  # busy past the timeout, disk full, read-only
            raise ArchiveError(str(self.path), f"cannot use the index: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            self._db.close()
            self._remove_files()
            self._say(f"{self.path}: corrupt ({exc}): rebuilt")
            self._db = self._open_file()
            self.refresh()
            return action()

    # -- opening ------------------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """Open the index file, creating it when missing, rebuilding it when corrupt or of another version."""
        fresh = not self.path.exists()
        try:
            db = self._open_file()
        except sqlite3.DatabaseError as exc:
            self._remove_files()
            self._say(f"{self.path}: unreadable ({exc}): rebuilt")
            return self._open_file()
        if fresh:
            self._say(f"{self.path}: no index yet: built")
        return db

    def _open_file(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA cache_size=-512")  # 512 KiB: SQLite's default 2 MiB shows in an import's peak memory
            found = db.execute("SELECT name FROM sqlite_master WHERE name='meta'").fetchone()
            version = found and db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
            if found and (version is None or version[0] != VERSION):
                raise sqlite3.DatabaseError(f"index version {version and version[0]}, this epaper writes {VERSION}")
            if not found:
                with self._writing(db):
                    for statement in _SCHEMA.split(";\n"):  # one a line (the tokenizer's holds a ;)
                        db.execute(statement)
        except BaseException:
            db.close()
            raise
        return db

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    def _say(self, message: str) -> None:
        if self.note is not None:
            self.note(message)

    @contextlib.contextmanager
    def _writing(self, db: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so readers never have to upgrade."""
        db = db or self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- keeping it current -------------------------------------------------------------------------------

    def refresh(self) -> int:
        """Bring the index up to date with the issue files on disk; how many files were re-read or dropped."""
        on_disk = dict(self._stat_walk())
        known = {path: (size, mtime) for path, size, mtime in self._db.execute("SELECT * FROM files")}
        changed = [path for path, stamp in on_disk.items() if known.get(path) != stamp]
        changed += [path for path in known if path not in on_disk]
        for start in range(0, len(changed), BATCH_FILES):
            with self._writing():
                for path in changed[start : start + BATCH_FILES]:
                    self._reindex(path)
        return len(changed)

    def current(self, relpath: str) -> bool:
        """Whether one file is on disk as it was indexed."""
        known = self._db.execute("SELECT size, mtime_ns FROM files WHERE path=?", (relpath,)).fetchone()
        try:
            stat = os.stat(self.root / relpath)
        except OSError:
            return False
        return known is not None and tuple(known) == (stat.st_size, stat.st_mtime_ns)

    def apply(self, updates: list[Update]) -> None:
        """Index issue files just written (`update`: the writer knows their content, no re-read) or removed (read
        again: dropped when gone), in one write transaction (FTS5 stores a transaction's tokens in one go, so
        several files at once cost less than each alone)."""
        with self._writing():
            for relpath, rows, stamp in updates:
                if rows is None or stamp is None:
                    self._reindex(relpath)
                else:
                    self._set_rows(relpath, rows, stamp)

    def _reindex(self, relpath: str) -> None:
        """Inside a write transaction: the file's rows as the file is now (read from one open file, so the
        stamp recorded is that of the bytes indexed, even while another process replaces the file)."""
        try:
            with open(self.root / relpath, "rb") as handle:
                stat = os.fstat(handle.fileno())
                data = handle.read()
        except OSError as exc:
            if not isinstance(exc, FileNotFoundError):
                self._say(f"{self.root / relpath}: cannot read: {exc.strerror or exc}: not searched")
            self._set_rows(relpath, None, None)
            return
        from epaper_cli import schema  # here: a search with nothing to re-read never loads YAML

        try:
            rows = rows_of(schema.load_file(data, str(self.root / relpath)))
        except ArchiveError as exc:
            why = exc.why
            self._say(f"{self.root / relpath}: {why}: not searched (epaper check)")
            rows = None
        self._set_rows(relpath, rows, (stat.st_size, stat.st_mtime_ns))

    def _set_rows(self, relpath: str, rows: list[ArticleRow] | None, stamp: Stamp | None) -> None:
        """Inside a write transaction: one file's rows made `rows` (None: no article), stamped `stamp` (None: the
        file forgotten). An article indexed as it is keeps its row and only the others go and come, so writing
        one more article into a large issue costs the tokens of one article, not of the issue."""
        db = self._db
        indexed: dict[tuple[str | None, ...], list[tuple[int, int]]] = {}  # (id, where, title, text): (rowid, place)
        query = (
            "SELECT a.rowid, a.place, a.id, a.paper, a.date, a.page, a.section, a.title, t.text "
            "FROM articles a JOIN texts t ON t.rowid = a.rowid WHERE a.file=?"
        )
        for rowid, place, *row in db.execute(query, (relpath,)).fetchall():
            indexed.setdefault(tuple(row), []).append((rowid, place))
        db.execute("DELETE FROM files WHERE path=?", (relpath,))
        if stamp is not None:
            db.execute("INSERT INTO files VALUES(?, ?, ?)", (relpath, *stamp))
        for place, row in enumerate(rows or ()):
            same = indexed.get(row)
            if same:
                rowid, was = same.pop()
                if was != place:
                    db.execute("UPDATE articles SET place=? WHERE rowid=?", (place, rowid))
                continue
            cursor = db.execute(
                "INSERT INTO articles(id, file, paper, date, page, section, title, place) VALUES(?,?,?,?,?,?,?,?)",
                (row[0], relpath, *row[1:-1], place),  # id, the file, paper … title (the text goes below)
            )
            db.execute("INSERT INTO texts VALUES(?, ?)", (cursor.lastrowid, row[-1]))
            db.execute("INSERT INTO chars(rowid, text) VALUES(?, ?)", (cursor.lastrowid, tokens(fold(row[-1]))))
        for row, gone in indexed.items():
            for rowid, _place in gone:
                db.execute(
                    "INSERT INTO chars(chars, rowid, text) VALUES('delete', ?, ?)", (rowid, tokens(fold(str(row[-1]))))
                )
                db.execute("DELETE FROM texts WHERE rowid=?", (rowid,))
                db.execute("DELETE FROM articles WHERE rowid=?", (rowid,))

    def _stat_walk(self) -> Iterator[tuple[str, Stamp]]:
        """Every issue file's relative path and stamp: paper folders, year folders, dated YAML files."""
        for paper in _entries(self.root):
            if paper.name.startswith(".") or not paper.is_dir():
                continue
            for year in _entries(paper.path):
                if not (year.name.isdigit() and year.is_dir()):
                    continue
                for entry in _entries(year.path):
                    if _ISSUE_NAME.fullmatch(entry.name):
                        with contextlib.suppress(OSError):
                            stat = entry.stat()
                            yield f"{paper.name}/{year.name}/{entry.name}", (stat.st_size, stat.st_mtime_ns)

    # -- asking -------------------------------------------------------------------------------------------

    def with_id_prefix(self, prefix: str) -> list[tuple[str, str]]:
        """(id, file) of every article whose id starts with `prefix` (lower-case hexadecimal digits)."""
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        query = "SELECT id, file FROM articles WHERE id >= ? AND id < ? ORDER BY id, file"
        return [(i, f) for i, f in self._db.execute(query, (prefix, end))]

    def has_paper(self, paper: str) -> bool:
        return self._db.execute("SELECT 1 FROM articles WHERE paper=? LIMIT 1", (paper,)).fetchone() is not None

    def search(self, match: str, where: Where, order: str, limit: int | None) -> list[int]:
        """The rowids of at most `limit` articles the FTS5 query `match` finds within `where`, best first
        (`relevance`: FTS5's bm25 rank) or newest first (`date`)."""
        clauses, params = where.sql()
        found = "SELECT rowid FROM chars WHERE chars MATCH ?"
        if order == "relevance":
            within = f" AND rowid IN (SELECT a.rowid FROM articles a WHERE 1 {clauses})" if where else ""
            query = f"{found}{within} ORDER BY rank LIMIT ?"
        else:
            query = f"SELECT a.rowid FROM articles a WHERE a.rowid IN ({found}) {clauses}"
            query += " ORDER BY a.date DESC, a.paper, a.file, a.place LIMIT ?"
        args = [match, *params, -1 if limit is None else limit]
        return [rowid for (rowid,) in self._db.execute(query, args)]

    def count(self, match: str, where: Where) -> int:
        """How many articles the FTS5 query `match` finds within `where`."""
        if not where:
            return int(self._db.execute("SELECT count(*) FROM chars WHERE chars MATCH ?", (match,)).fetchone()[0])
        clauses, params = where.sql()
        found = "SELECT rowid FROM chars WHERE chars MATCH ?"
        query = f"SELECT count(*) FROM articles a WHERE a.rowid IN ({found}) {clauses}"
        return int(self._db.execute(query, [match, *params]).fetchone()[0])

    def rows(self, rowids: list[int]) -> list[Row]:
        """The articles with these rowids, with their searchable text, in that order."""
        found: dict[int, Row] = {}
        for start in range(0, len(rowids), 500):
            chunk = rowids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = (
                "SELECT a.rowid, a.id, a.file, a.paper, a.date, a.page, a.section, a.title, t.text "
                f"FROM articles a JOIN texts t ON t.rowid = a.rowid WHERE a.rowid IN ({marks})"
            )
            for values in self._db.execute(query, chunk):
                found[values[0]] = Row(*values)
        return [found[rowid] for rowid in rowids if rowid in found]


class Where(NamedTuple):
    """Which articles a search looks at: one paper, and days from `first` to `last` (ISO dates), when given."""

    paper: str | None = None
    first: str | None = None
    last: str | None = None

    def __bool__(self) -> bool:
        return any((self.paper, self.first, self.last))

    def sql(self) -> tuple[str, list[str]]:
        clauses, params = [], []
        for clause, value in (("a.paper = ?", self.paper), ("a.date >= ?", self.first), ("a.date <= ?", self.last)):
            if value is not None:
                clauses.append(f"AND {clause}")
                params.append(value)
        return " ".join(clauses), params


def _entries(folder: str | os.PathLike[str]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as listing:
            return list(listing)
    except OSError:
        return []


def open_index(root: Path, note: Callable[[str], None] | None = None) -> Index:
    """The archive's index, opened (created, or rebuilt when corrupt); an index that cannot be opened at all, e.g.
    in a read-only archive, is an error that names the file."""
    if not root.is_dir():
        raise ArchiveError(str(root), "no archive here (import something first, or pass --archive)")
    try:
        return Index(root, note)
    except sqlite3.Error as exc:
        raise ArchiveError(str(root / INDEX_FILE), f"cannot open the index: {exc}") from exc


def up_to_date(root: Path, note: Callable[[str], None] | None = None) -> Index:
    """The archive's index, opened and refreshed: what every search answers from."""
    index = open_index(root, note)
    index.heal(index.refresh)
    return index
