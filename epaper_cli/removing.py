"""`epaper rm`: articles taken out of their issue files, under the lock, each file whole or not at all.

An issue left with no article has its file removed. A kept capture that no article cites any more is removed
too (`rm` forgets what was imported by mistake); one that still gives other articles stays, and the ids taken
from it are noted in `<archive>/.raw/removed`, so that `epaper rebuild` does not bring them back.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from pathlib import Path

from epaper_cli.archive import Archive
from epaper_cli.atomic import write_atomic
from epaper_cli.errors import ArchiveError
from epaper_cli.layout import RAW_DIR
from epaper_cli.lookup import Found

REMOVED_FILE = "removed"
"""Under the raw captures' folder: `<sha256> <id>` a line, the articles `rm` took from a capture still kept."""


def remove(archive: Archive, found: list[Found]) -> list[Found]:
    """Remove the articles found; returns them, each once, in the order given."""
    chosen: dict[str, Found] = {}
    for item in found:
        chosen.setdefault(item.article.id, item)
    by_path: dict[Path, set[str]] = defaultdict(set)
    for item in chosen.values():
        by_path[item.path].add(item.article.id)
    digests = {item.article.source.sha256 for item in chosen.values() if item.article.source is not None}
    with archive.lock():
        notes = removed_ids(archive)
        for item in chosen.values():  # noted first: a crash before the captures are sorted out loses nothing
            if item.article.source is not None:
                notes[item.article.source.sha256].add(item.article.id)
        save_removed(archive, notes)
        for path, ids in by_path.items():
            issue = archive.load(path)  # again, under the lock: another process may have changed it
            for page in issue.pages:
                page.articles = [article for article in page.articles if article.id not in ids]
            archive.replace_issue(path, issue)
        unused = digests - cited_digests(archive, digests)
        for digest in unused:
            notes.pop(digest, None)
        archive.raw.remove(sorted(unused))
        save_removed(archive, notes)
    return list(chosen.values())


def cited_digests(archive: Archive, digests: set[str]) -> set[str]:
    """Those of the digests that some article in the archive still names as its source."""
    cited: set[str] = set()
    if not digests:
        return cited
    for path in archive.all_issue_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        cited |= {digest for digest in digests - cited if digest in text}
        if cited == digests:
            break
    return cited


def removed_ids(archive: Archive) -> dict[str, set[str]]:
    """Per kept capture, the ids `rm` took from it."""
    notes: dict[str, set[str]] = defaultdict(set)
    try:
        text = (archive.root / RAW_DIR / REMOVED_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return notes
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(str(archive.root / RAW_DIR / REMOVED_FILE), f"cannot read: {exc}") from exc
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2:
            notes[parts[0]].add(parts[1])
    return notes


def save_removed(archive: Archive, notes: dict[str, set[str]]) -> None:
    """Write the removal notes whole (or remove the file when there are none)."""
    path = archive.root / RAW_DIR / REMOVED_FILE
    lines = [f"{digest} {article}\n" for digest in sorted(notes) for article in sorted(notes[digest])]
    if not lines:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(lines).encode("utf-8")
    try:
        write_atomic(path, lambda handle: handle.write(text))
    except OSError as exc:
        raise ArchiveError(str(path), f"cannot write: {exc.strerror or exc}") from exc
