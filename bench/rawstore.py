"""The raw store: epaper's packs (`epaper_cli.rawstore`) against one file per capture, the layout before them.

    python bench/rawstore.py [--captures N] [--batch 400] [--workdir DIR]

`files`: one file per capture, `.raw/<ab>/<sha256>`, each written through a temp file and a rename, one
`os.sync()` at the end, as epaper kept captures before the packs. `packs`: `RawStore.put` for each capture and
`RawStore.flush` every `--batch` captures (as an import does before each batch of issue files: the pack appended
and fsynced, then the index rows committed). For each: the time to store N captures, the files and folders used,
the time of N/10 reads of kept captures (compared with what was stored) and of N/10 lookups of absent ones. The
captures are the benchmark corpus's (10 papers of 40-capture issues).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from scale import PAGES, PAPERS, PER_PAGE  # noqa: E402

from epaper_cli.rawstore import RawStore  # noqa: E402


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


def store_packs(root: Path, items: list[tuple[str, int, bytes]], batch: int) -> None:
    root.parent.mkdir(parents=True)
    store = RawStore(root.parent)
    for count, (_paper, _year, data) in enumerate(items, 1):
        store.put(data, hashlib.sha256(data).hexdigest())
        if count % batch == 0:
            store.flush()
    store.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=400)
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
            root = work / name / ".raw"
            os.sync()
            start = time.perf_counter()
            if name == "files":
                store_files(root, items)
            else:
                store_packs(root, items, args.batch)
            stored = time.perf_counter() - start
            count = inodes(root)
            store = RawStore(root.parent)
            start = time.perf_counter()
            for i in sample:
                data = read_files(root, digests[i]) if name == "files" else store.get(digests[i])
                assert data == items[i][2]
            kept = time.perf_counter() - start
            start = time.perf_counter()
            for digest in absent:
                assert (read_files(root, digest) is None) if name == "files" else not store.has(digest)
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
