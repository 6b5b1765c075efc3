"""The index kept current by a thread beside a large import (`epaper_cli.indexer`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from epaper_cli import importing
from epaper_cli.archive import Archive
from epaper_cli.index import Update, open_index, rows_of
from epaper_cli.indexer import Indexer
from epaper_cli.model import Issue, Page
from epaper_cli.searching import parse_terms, search
from tests.helpers import make_article
from tests.test_cli import run
from tests.test_robustness import write_captures
from tests.test_search import brute_force

PAPER, DATE = "清溪晚报", dt.date(2025, 3, 14)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_large_import_leaves_the_index_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    # More captures than the importer holds, so each of the three issues is written, and indexed, several times.
    paths = write_captures(tmp_path / "in", importing.HELD_ARTICLES + 150)
    handed: list[str] = []
    real_put = Indexer.put

    def put(self: Indexer, change: Update) -> None:
        handed.append(change[0])
        real_put(self, change)

    monkeypatch.setattr(Indexer, "put", put)
    code, _out, err = run("import", "-q", "--archive", str(tmp_path / "a"), "--jobs", jobs, *map(str, paths))
    assert code == 0, err
    assert len(handed) > 3 and len(set(handed)) == 3, "every write went to the thread, each issue more than once"
    index = open_index(tmp_path / "a")
    assert index.refresh() == 0, "nothing left for a search to read again"
    index.close()
    archive = Archive(tmp_path / "a")
    for terms in (["号稿件"], ["第17号稿件"], ["第3", "-插秧"], ["春耕", "第1号"]):
        query = parse_terms(terms)
        found = {hit.id for hit in search(archive.root, query, limit=None).hits}
        assert found == brute_force(archive, query), terms
    assert len(brute_force(archive, parse_terms(["号稿件"]))) == len(paths)


def test_a_short_import_updates_the_index_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = write_captures(tmp_path / "in", importing.LARGE_RUN - 1)
    monkeypatch.setattr(Indexer, "put", lambda *args: pytest.fail("no thread for a short import"))
    code, _out, err = run("import", "-q", "--archive", str(tmp_path / "a"), *map(str, paths))
    assert code == 0, err
    index = open_index(tmp_path / "a")
    assert index.refresh() == 0
    index.close()


def _issue_file(tmp_path: Path, titles: list[str]) -> tuple[Archive, Issue, Path]:
    archive = Archive(tmp_path / "a")
    issue = Issue(PAPER, DATE, [Page("01", None, [make_article(PAPER, DATE, "01", title) for title in titles])])
    archive.replace_issue(archive.issue_path(PAPER, DATE), issue)
    return archive, issue, archive.issue_path(PAPER, DATE)


def test_updates_are_stored_in_order_and_close_waits_for_them(tmp_path: Path) -> None:
    archive, first, path = _issue_file(tmp_path, ["春耕", "秋收"])
    second = Issue(PAPER, DATE, [Page("01", None, [make_article(PAPER, DATE, "01", "冬藏")])])
    indexer = Indexer(archive.root)
    relpath = path.relative_to(archive.root).as_posix()
    indexer.put((relpath, rows_of(first), (1, 1)))
    indexer.put((relpath, rows_of(second), (2, 2)))
    indexer.close()
    index = open_index(archive.root)
    assert index._db.execute("SELECT size, mtime_ns FROM files").fetchall() == [(2, 2)]
    assert [row[0] for row in index._db.execute("SELECT title FROM articles")] == ["冬藏"]
    index.close()


def test_a_bug_in_the_thread_is_raised_by_close_and_never_blocks_the_importer(tmp_path: Path) -> None:
    archive, _issue, path = _issue_file(tmp_path, ["春耕"])
    indexer = Indexer(archive.root)
    relpath = path.relative_to(archive.root).as_posix()
    indexer.put((relpath, [None], (1, 1)))  # type: ignore[list-item]  # a bug: no row at all
    for _ in range(20):  # more than the queue holds: taken off all the same
        indexer.put((relpath, [], (1, 1)))
    with pytest.raises(TypeError):
        indexer.close()


def test_an_index_that_cannot_be_written_does_not_fail_the_import(tmp_path: Path) -> None:
    paths = write_captures(tmp_path / "in", importing.LARGE_RUN + 4)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".index.sqlite").mkdir()  # a folder where the index file should be
    code, out, err = run("import", "--archive", str(tmp_path / "a"), *map(str, paths))
    assert code == 0, err
    assert out.count("added") == len(paths)
