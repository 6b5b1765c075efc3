"""The raw store's layout before the packs: one file per capture, `<archive>/.raw/<ab>/<sha256>`.

Archives written by earlier versions keep their captures so. `rawstore` reads them where they are and moves them
into its packs at its next write, or at `epaper check --fix` (`move_into_packs`); `checking` hashes them where
they are until then.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator

from epaper_cli.atomic import clean_stale, read_regular
from epaper_cli.errors import ArchiveError

SHARD_NAME = re.compile(r"[0-9a-f]{2}")
DIGEST_NAME = re.compile(r"[0-9a-f]{64}")
MOVE_BATCH = 1000
"""Captures moved per append: the move's memory is bounded by this many captures."""


def file_of(folder: str, digest: str) -> str:
    """Where the layout before the packs kept a capture, under the raw store's folder."""
    return os.path.join(folder, digest[:2], digest)


def shards(folder: str) -> Iterator[str]:
    """The `<ab>` folders under the raw store's folder."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if SHARD_NAME.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                yield entry.path


def files(folder: str) -> Iterator[tuple[str, str]]:
    """(digest, path) of every capture kept in a file of its own, a shard at a time."""
    for shard in sorted(shards(folder)):
        with contextlib.suppress(OSError), os.scandir(shard) as entries:
            yield from sorted((entry.name, entry.path) for entry in entries if DIGEST_NAME.fullmatch(entry.name))


def move_into_packs(folder: str, append: Callable[[dict[str, bytes]], None]) -> int:
    """Hand every capture kept in a file of its own to `append` (the packs' writer, which syncs and indexes
    them), then delete the files; the number moved. A file whose bytes no longer match its name, or that is not
    a regular file, stays where it is, for `check` to report. Called under the archive's lock."""
    import hashlib

    moved = 0
    batch: dict[str, bytes] = {}
    for digest, path in [*files(folder), ("", "")]:  # (a last, empty one moves the rest)
        if path:
            try:
                data = read_regular(path)
            except ArchiveError:
                continue  # a link, a FIFO, unreadable
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                continue
            batch[digest] = data
        if batch and (len(batch) >= MOVE_BATCH or not path):
            append(batch)
            for moved_digest in batch:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(file_of(folder, moved_digest))
            moved += len(batch)
            batch = {}
    for shard in list(shards(folder)):
        clean_stale(shard)  # what interrupted writes of earlier versions left, once an hour old
        with contextlib.suppress(OSError):
            os.rmdir(shard)  # empty now, unless something `check` reports is left in it
    return moved
