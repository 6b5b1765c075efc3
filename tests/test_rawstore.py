"""The raw store: captures in packs with a derived index, crash safety, the layout of earlier versions moved in."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from epaper_cli import rawstore
from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError
from epaper_cli.packs import records
from epaper_cli.rawstore import RawStore
from tests.helpers import kept_captures
from tests.test_cli import run
from tests.test_e2e import epaper
from tests.test_reliability import backdate
from tests.test_robustness import capture, write_captures


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored(root: Path, *captures: bytes) -> RawStore:
    archive = Archive(root)
    for data in captures:
        archive.store_raw(data)
    archive.raw.flush()
    return RawStore(root)


def imported(tmp_path: Path, count: int) -> tuple[Path, list[Path]]:
    paths = write_captures(tmp_path / "in", count)
    code, _out, err = run("import", "-q", "--archive", str(tmp_path / "a"), str(tmp_path / "in"))
    assert code == 0, err
    return tmp_path / "a", paths


def assert_clean(archive: Path) -> None:
    code, out, err = run("check", "--archive", str(archive))
    assert (code, out) == (0, ""), out + err


def test_a_thousand_captures_take_a_handful_of_files(tmp_path: Path) -> None:
    archive, paths = imported(tmp_path, 1000)
    names = sorted(p.name for p in (archive / ".raw").rglob("*") if not p.name.startswith("index.sqlite-"))
    assert names == ["000001.pack", "index.sqlite", "packs"]  # (with the index's log and map while it is open)
    kept = kept_captures(archive)
    assert kept == {digest_of(p.read_bytes()): p.read_bytes() for p in paths}
    assert_clean(archive)


def test_every_kept_capture_reads_back_by_its_digest_and_an_unknown_one_is_a_clear_error(tmp_path: Path) -> None:
    captures = [f"capture {i}\r\n".encode() * (i + 1) for i in range(50)]
    store = stored(tmp_path, *captures)
    for data in captures:
        assert store.get(digest_of(data)) == data and store.has(digest_of(data))
    assert store.count() == 50
    with pytest.raises(ArchiveError, match="is missing"):
        store.get("0" * 64)
    assert not store.has("0" * 64) and not store.has("not a digest")


def test_storing_a_capture_again_appends_nothing(tmp_path: Path) -> None:
    stored(tmp_path, b"one", b"two")
    pack = tmp_path / ".raw" / "packs" / "000001.pack"
    size = pack.stat().st_size
    stored(tmp_path, b"two", b"one")
    assert pack.stat().st_size == size


def test_packs_roll_over_at_their_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rawstore, "PACK_LIMIT", 1000)
    captures = [os.urandom(300) for _ in range(20)]
    store = stored(tmp_path, *captures[:7])
    store = stored(tmp_path, *captures[7:])
    assert store.pack_numbers() == list(range(1, len(store.pack_numbers()) + 1))
    assert len(store.pack_numbers()) >= 6
    for number in store.pack_numbers():
        path = store.pack_path(number)
        assert os.path.getsize(path) < 1000 + 400  # a pack ends at the first record past the limit
    assert all(store.get(digest_of(data)) == data for data in captures)


def test_bytes_an_interrupted_import_left_past_the_last_record_are_cut_by_the_next_one(tmp_path: Path) -> None:
    archive, _paths = imported(tmp_path, 20)
    pack = archive / ".raw" / "packs" / "000001.pack"
    whole = pack.read_bytes()
    with pack.open("ab") as handle:  # a record appended and synced, the process killed before its index row
        handle.write(f"{'a' * 64} 1000\nhalf a capt".encode())
    assert run("check", "--archive", str(archive))[:2] == (0, "")  # a running import may be writing it
    backdate(archive / ".raw")  # an hour later: what an interrupted import left
    code, out, _err = run("check", "--archive", str(archive))
    tail = len(f"{'a' * 64} 1000\nhalf a capt")
    assert (code, out) == (
        1,
        f"{pack}: {tail} bytes after its last capture, left by an interrupted import (the next one cuts them)\n",
    )
    (tmp_path / "new.txt").write_text(capture("新来的稿件"), encoding="utf-8")
    assert run("import", "--archive", str(archive), str(tmp_path / "new.txt"))[0] == 0
    data = pack.read_bytes()
    assert data.startswith(whole) and b"half a capt" not in data
    assert [record.digest for record in records(str(pack))][-1] == digest_of((tmp_path / "new.txt").read_bytes())
    assert_clean(archive)


def test_a_missing_or_damaged_index_is_built_again_from_the_packs(tmp_path: Path) -> None:
    archive, paths = imported(tmp_path, 30)
    index = archive / ".raw" / "index.sqlite"
    for damage in ("missing", "garbage"):
        for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
            (archive / ".raw" / name).unlink(missing_ok=True)
        if damage == "garbage":
            index.write_bytes(b"this is not a database" * 100)
        assert kept_captures(archive) == {digest_of(p.read_bytes()): p.read_bytes() for p in paths}
        some = Archive(archive)
        one = next(iter(some.all_issue_files()))
        article = some.load(one).articles()[0][1]
        assert article.source is not None
        code, out, _err = run("raw", "--archive", str(archive), article.id)
        assert code == 0 and out.encode() == RawStore(archive).get(article.source.sha256)
        assert index.read_bytes().startswith(b"SQLite format 3")
        assert_clean(archive)


def test_check_fix_builds_an_index_that_names_what_the_packs_do_not_hold(tmp_path: Path) -> None:
    import sqlite3

    archive, _paths = imported(tmp_path, 5)
    db = sqlite3.connect(archive / ".raw" / "index.sqlite")
    with db:
        db.execute("UPDATE kept SET start = start + 1")
    db.close()
    code, out, _err = run("check", "--archive", str(archive))
    assert code == 1 and "names 5 capture(s) the packs do not hold intact" in out
    code, _out, err = run("check", "--fix", "--archive", str(archive))
    assert code == 0, err
    assert_clean(archive)


def test_rm_blanks_the_bytes_and_a_capture_imported_again_is_kept_anew(tmp_path: Path) -> None:
    archive, paths = imported(tmp_path, 3)
    data = paths[0].read_bytes()
    store = Archive(archive)
    ids = [a.id for path in store.all_issue_files() for _p, a in store.load(path).articles()]
    gone = next(i for i in ids if run("raw", "--archive", str(archive), i)[1].encode() == data)
    assert run("rm", "--archive", str(archive), gone)[0] == 0
    pack = archive / ".raw" / "packs" / "000001.pack"
    assert data not in pack.read_bytes()
    assert f"{digest_of(data)}-{len(data)}\n".encode() + bytes(len(data)) in pack.read_bytes()
    assert digest_of(data) not in kept_captures(archive)
    assert_clean(archive)
    assert run("import", "--archive", str(archive), str(paths[0]))[0] == 0
    assert kept_captures(archive)[digest_of(data)] == data
    assert_clean(archive)


def test_an_index_row_left_by_a_stopped_rm_does_not_keep_a_capture_from_coming_back(tmp_path: Path) -> None:
    archive, paths = imported(tmp_path, 2)
    data = paths[0].read_bytes()
    store = RawStore(archive)
    place = store.place(digest_of(data))
    assert place is not None
    pack = archive / ".raw" / "packs" / "000001.pack"
    line = f"{digest_of(data)} {len(data)}\n".encode()
    content = pack.read_bytes()  # the record blanked, the process stopped before the index row went
    at = place.start - len(line)
    blank = f"{digest_of(data)}-{len(data)}\n".encode() + bytes(len(data))
    pack.write_bytes(content[:at] + blank + content[at + len(line) + len(data) :])
    with pytest.raises(ArchiveError, match="not where the index says"):
        RawStore(archive).get(digest_of(data))
    stored(archive, data)
    assert RawStore(archive).get(digest_of(data)) == data


def test_captures_kept_one_file_each_by_earlier_versions_are_read_then_moved_into_packs(tmp_path: Path) -> None:
    archive, _paths = imported(tmp_path, 12)
    kept = kept_captures(archive)
    for digest, data in kept.items():  # the layout of earlier versions: .raw/<ab>/<sha256>
        shard = archive / ".raw" / digest[:2]
        shard.mkdir(exist_ok=True)
        (shard / digest).write_bytes(data)
    for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
        (archive / ".raw" / name).unlink(missing_ok=True)
    (archive / ".raw" / "packs" / "000001.pack").unlink()
    (archive / ".raw" / "packs").rmdir()
    store = RawStore(archive)
    assert all(store.get(digest) == data for digest, data in kept.items())
    assert_clean(archive)
    code, _out, err = run("check", "--fix", "--archive", str(archive))
    assert code == 0 and f"epaper: {archive / '.raw'}: 12 captures moved into packs" in err
    assert sorted(p.name for p in (archive / ".raw").iterdir() if not p.name.startswith("index.sqlite")) == ["packs"]
    assert kept_captures(archive) == kept
    assert_clean(archive)


def test_the_first_write_moves_the_captures_of_earlier_versions_and_an_altered_one_stays(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    shard = archive / ".raw" / "ab"
    shard.mkdir(parents=True)
    good = b"a capture kept by an earlier version\n"
    (archive / ".raw" / digest_of(good)[:2]).mkdir(exist_ok=True)
    (archive / ".raw" / digest_of(good)[:2] / digest_of(good)).write_bytes(good)
    altered = shard / ("ab" + "0" * 62)
    altered.write_bytes(b"not what its name says")
    stored(archive, b"something new")
    assert kept_captures(archive) == {digest_of(good): good, digest_of(b"something new"): b"something new"}
    assert altered.exists() and not (archive / ".raw" / digest_of(good)[:2] / digest_of(good)).exists()
    _code, out, _err = run("check", "--archive", str(archive))
    assert f"{altered}: raw capture altered: its sha256 no longer matches its name" in out


def test_two_imports_at_once_keep_every_capture_once(tmp_path: Path) -> None:
    write_captures(tmp_path / "one", 60)
    two = tmp_path / "two"
    two.mkdir()
    for i in range(60):
        (two / f"d{i:04d}.txt").write_text(capture(f"第{i}篇另外的稿件", day=20), encoding="utf-8")
    command = [epaper(), "import", "-q", "--archive", str(tmp_path / "a")]
    first = subprocess.Popen([*command, str(tmp_path / "one")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    second = subprocess.Popen([*command, str(two)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for process in (first, second):
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert len(kept_captures(tmp_path / "a")) == 120
    store = RawStore(tmp_path / "a")
    digests = [record.digest for number in store.pack_numbers() for record in records(store.pack_path(number))]
    assert len(digests) == len(set(digests)) == 120
    assert_clean(tmp_path / "a")


def test_an_index_built_again_by_another_process_is_not_written_while_unlinked(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.store_raw(b"first")
    archive.raw.flush()
    RawStore(tmp_path, Archive(tmp_path).lock).rebuild_index()  # `check --fix` elsewhere, between two batches
    archive.store_raw(b"second")
    archive.raw.flush()
    assert kept_captures(tmp_path) == {digest_of(b"first"): b"first", digest_of(b"second"): b"second"}
    assert RawStore(tmp_path).get(digest_of(b"second")) == b"second"


def test_a_pack_that_cannot_be_synced_fails_its_issues_alone_and_the_next_import_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from epaper_cli.formats import ReadOptions
    from epaper_cli.importing import run_import

    paths = write_captures(tmp_path / "in", 30)
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".pack"):
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    report = run_import(Archive(tmp_path / "a"), map(str, paths), ReadOptions(), jobs=1)
    assert report.failures and all("No space left on device" in str(error) for error in report.failures)
    assert list(Archive(tmp_path / "a").all_issue_files()) == []  # no issue names a capture not on disk
    monkeypatch.setattr(os, "fsync", real_fsync)
    report = run_import(Archive(tmp_path / "a"), map(str, paths), ReadOptions(), jobs=1)
    assert report.counts["added"] == 30 and not report.failures
    assert len(kept_captures(tmp_path / "a")) == 30
    assert_clean(tmp_path / "a")
