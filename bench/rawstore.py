"""A prototype for keeping 150M raw captures: packs per paper and year with one index, against today's layout.

    python bench/rawstore.py [--captures N] [--workdir DIR]

Today (`files`): one file per capture, `.raw/<ab>/<sha256>`, each written through a temp file and a rename, one
`os.sync()` at the end (as an import does). The prototype (`packs`): `.raw/<paper>/<year>.pack`, append-only,
each record `<sha256> <length>\\n<bytes>\\n` (self-describing: the index can be rebuilt by reading the packs), and
one index, `.raw/index.sqlite` (digest → pack, offset, length), written in the same batches; one `os.sync()` at
the end too. For each: the time to store N captures, the inodes used, the time of N/10 lookups of kept digests
(read back and compared) and of N/10 lookups of absent ones. The captures are the benchmark corpus's (10 papers
of 40-capture issues). Nothing here is used by epaper: it is the measurement behind the README's proposal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from scale import PAGES, PAPERS, PER_PAGE  # noqa: E402


def captures(count: int) -> list[tuple[str, int, bytes]]:
    """(paper, year, bytes) of `count` captures, a day of 10 papers at a time."""
    rng = random.Random(corpus.SEED)
    found: list[tuple[str, int, bytes]] = []
    day = 0
    while len(found) < count:
        date = corpus.FIRST_ISSUE + dt.timedelta(days=day)
        for paper in PAPERS:
            issue = corpus.make_issue(rng, date, PAGES, PER_PAGE, paper=paper)
            found += [(paper, date.year, text.encode()) for _name, text in corpus.iter_captures(issue)]
        day += 1
    return found[:count]


def inodes(root: Path) -> int:
    """Files and folders under `root`, itself included."""
    return 1 + sum(len(dirs) + len(files) for _top, dirs, files in os.walk(root))


def store_files(root: Path, items: list[tuple[str, int, bytes]]) -> None:
    made: set[str] = set()
    for _paper, _year, data in items:
        digest = hashlib.sha256(data).hexdigest()
        folder = os.path.join(root, digest[:2])
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        path = os.path.join(folder, digest)
        if os.path.exists(path):
            continue
        temp = os.path.join(folder, f".tmp-{os.getpid()}.part")
        with open(temp, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    os.sync()


def read_files(root: Path, digest: str) -> bytes | None:
    try:
        with open(os.path.join(root, digest[:2], digest), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def store_packs(root: Path, items: list[tuple[str, int, bytes]]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    index = sqlite3.connect(root / "index.sqlite")
    index.execute("PRAGMA synchronous=NORMAL")
    index.execute("CREATE TABLE IF NOT EXISTS raw (digest BLOB PRIMARY KEY, pack TEXT, at INTEGER, size INTEGER)")
    handles: dict[str, object] = {}
    rows: list[tuple[bytes, str, int, int]] = []
    for paper, year, data in items:
        digest = hashlib.sha256(data).digest()
        if index.execute("SELECT 1 FROM raw WHERE digest = ?", (digest,)).fetchone():
            continue
        pack = f"{paper}/{year}.pack"
        handle = handles.get(pack)
        if handle is None:
            (root / paper).mkdir(exist_ok=True)
            handle = handles[pack] = open(root / pack, "ab")  # noqa: SIM115
        head = f"{digest.hex()} {len(data)}\n".encode()
        at = handle.tell() + len(head)  # type: ignore[attr-defined]
        handle.write(head + data + b"\n")  # type: ignore[attr-defined]
        rows.append((digest, pack, at, len(data)))
        if len(rows) >= 400:  # an import's batch: the packs reach the disk before their index rows
            for open_handle in handles.values():
                open_handle.flush()  # type: ignore[attr-defined]
            with index:
                index.executemany("INSERT INTO raw VALUES (?, ?, ?, ?)", rows)
            rows = []
    for handle in handles.values():
        handle.close()  # type: ignore[attr-defined]
    with index:
        index.executemany("INSERT INTO raw VALUES (?, ?, ?, ?)", rows)
    index.close()
    os.sync()


def read_packs(root: Path, index: sqlite3.Connection, digest: str) -> bytes | None:
    row = index.execute("SELECT pack, at, size FROM raw WHERE digest = ?", (bytes.fromhex(digest),)).fetchone()
    if row is None:
        return None
    with open(root / row[0], "rb") as handle:
        handle.seek(row[1])
        return handle.read(row[2])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=10000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    items = captures(args.captures)
    digests = [hashlib.sha256(data).hexdigest() for _p, _y, data in items]
    sample = random.Random(1).sample(range(len(items)), len(items) // 10)
    absent = [hashlib.sha256(str(i).encode()).hexdigest() for i in sample]
    work = Path(tempfile.mkdtemp(prefix="epaper-raw-", dir=args.workdir))
    try:
        print(
            f"{len(items)} captures, {sum(len(d) for _p, _y, d in items) / 1e6:.1f} MB; load {os.getloadavg()[0]:.1f}"
        )
        for name in ("files", "packs"):
            root = work / name
            os.sync()
            start = time.perf_counter()
            (store_files if name == "files" else store_packs)(root, items)
            stored = time.perf_counter() - start
            count = inodes(root)
            index = sqlite3.connect(root / "index.sqlite") if name == "packs" else None
            start = time.perf_counter()
            for i in sample:
                data = read_files(root, digests[i]) if index is None else read_packs(root, index, digests[i])
                assert data == items[i][2]
            kept = time.perf_counter() - start
            start = time.perf_counter()
            for digest in absent:
                assert (read_files(root, digest) if index is None else read_packs(root, index, digest)) is None
            missing = time.perf_counter() - start
            print(
                f"{name:5}: store {stored:6.2f} s ({stored / len(items) * 1e6:5.0f} µs each), "
                f"{count:6d} inodes ({count / len(items) * 1000:6.1f} per 1,000), "
                f"read kept {kept / len(sample) * 1e6:5.0f} µs, look up absent {missing / len(absent) * 1e6:5.0f} µs"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
