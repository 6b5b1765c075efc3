"""`epaper import ARCHIVE`: another epaper archive's issues and kept captures merged into this one.

The other archive is read and checked whole first: every issue file must load, and every capture its articles
cite must be there and hash to its name; anything wrong is one error and nothing is changed. Then its captures
are kept here (before any issue that cites them is written), and its articles merged issue by issue by the rule
of re-importing: an article with an id this archive has replaces it, any other is added to its page. Papers it
files under a name this archive's registry calls an alias go under the registered name.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError, InputError
from epaper_cli.importing import ImportReport
from epaper_cli.layout import RAW_DIR
from epaper_cli.model import Issue
from epaper_cli.registry import under_registered_name


def is_archive_to_merge(path: str) -> bool:
    """Whether a command-line path is an epaper archive's folder (it keeps raw captures)."""
    return path != "-" and os.path.isdir(os.path.join(path, RAW_DIR))


def split_archives(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """The archive folders among the paths, and the other paths."""
    archives: list[str] = []
    others: list[str] = []
    for path in paths:
        (archives if is_archive_to_merge(path) else others).append(path)
    return archives, others


def merge_archive(archive: Archive, folder: str, report: ImportReport, *, dry_run: bool = False) -> None:
    """Merge the archive in `folder` into `archive`, recording each article's outcome in the report."""
    source = Archive(Path(folder))
    if source.root.resolve() == archive.root.resolve():
        raise InputError(folder, "is this archive: nothing to merge")
    files = list(source.all_issue_files())
    digests: set[str] = set()
    for path in files:
        issue = _checked(folder, source, path)
        digests |= {a.source.sha256 for _page, a in issue.articles() if a.source is not None}
    captures = {digest: _capture(folder, source, digest) for digest in sorted(digests)}
    if dry_run:
        captures = {}
    for digest, data in captures.items():
        archive.store_raw(data, digest)
    for path in files:
        incoming = under_registered_name(archive, source.load(path))
        for outcome in archive.merge(incoming, write=not dry_run):
            report.record(str(path), outcome)
    if not dry_run:
        archive.raw.flush()


def _checked(folder: str, source: Archive, path: Path) -> Issue:
    """One issue of the other archive, loaded and checked, or the error that makes the archive unfit to merge."""
    try:
        return source.load(path)
    except ArchiveError as error:
        raise InputError(folder, f"not a sound epaper archive: {error.what}: {error.why}") from error


def _capture(folder: str, source: Archive, digest: str) -> bytes:
    """A capture the other archive keeps, checked against its name."""
    try:
        data = source.read_raw(digest)
    except ArchiveError as error:
        raise InputError(folder, f"not a sound epaper archive: {error.what}: {error.why}") from error
    if hashlib.sha256(data).hexdigest() != digest:
        raise InputError(folder, f"not a sound epaper archive: capture {digest} is altered")
    return data
