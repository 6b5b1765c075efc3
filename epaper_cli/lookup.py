"""Articles by id or unique id prefix, for every command that takes ids (show, rm, edit, raw, cite).

An id is 12 hexadecimal digits; a prefix of at least 6 picks the one article whose id starts with it, as git
does with commits. `-` stands for ids read from standard input, one a line, so ids flow through pipes.

Ids are looked up in the archive's index (`index`), which says which issue file holds each; only that file is
read, and the article is checked to be really there. When the index is behind (the file changed since it was
indexed, or the id is not in it), the index is refreshed and asked again: hand edits and deleted files heal.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from epaper_cli import index
from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError, UsageError
from epaper_cli.model import Article, Issue, Page

ID_LENGTH = 12
MIN_PREFIX = 6
_NOT_FOUND = "no article with this id in the archive (`epaper list --paper P --date D` shows ids)"
_KEY = re.compile(rf"[0-9a-f]{{{MIN_PREFIX},{ID_LENGTH}}}")


@dataclass(frozen=True)
class Found:
    """One article with the issue and page it is printed in, and the issue file that holds it."""

    issue: Issue
    page: Page
    article: Article
    path: Path


def expand_keys(args: Iterable[str], stdin_lines: Iterable[str] | None) -> list[str]:
    """The ids the command line gives: `-` is replaced by the non-blank lines of standard input."""
    keys: list[str] = []
    for arg in args:
        if arg == "-":
            if stdin_lines is None:
                raise UsageError("-", "standard input is a terminal: pipe ids in, one a line")
            keys += [line.strip() for line in stdin_lines if line.strip()]
        else:
            keys.append(arg.strip())
    if not keys:
        raise UsageError("ID", "no article id given")
    for key in keys:
        if not _KEY.fullmatch(key.lower()):
            raise UsageError(key, f"not an article id: give its 12 hex digits, or at least the first {MIN_PREFIX}")
    return [key.lower() for key in keys]


def find(archive: Archive, keys: list[str]) -> list[Found]:
    """The article each key names, in the order of the keys; an unknown or ambiguous key is an error."""
    found = index.open_index(archive.root, note=_note)
    try:
        return found.heal(lambda: _find(archive, found, keys))
    finally:
        found.close()


def _find(archive: Archive, ids: index.Index, keys: list[str]) -> list[Found]:
    loaded: dict[str, Issue] = {}
    result = []
    for key in keys:
        candidates = _candidates(archive, ids, key, loaded)
        if candidates is None:  # the index is behind the files
            ids.refresh()
            loaded.clear()
            candidates = _candidates(archive, ids, key, loaded, settled=True) or {}
        if not candidates:
            raise ArchiveError(key, _NOT_FOUND)
        if len(candidates) > 1:
            listed = ", ".join(f"{f.article.id} ({f.article.title})" for f in candidates.values())
            raise ArchiveError(key, f"ambiguous id prefix: it starts {listed}; give more digits")
        result.append(next(iter(candidates.values())))
    return result


def _candidates(
    archive: Archive, ids: index.Index, key: str, loaded: dict[str, Issue], settled: bool = False
) -> dict[str, Found] | None:
    """The articles whose id starts with `key`, read from the files the index names; None when the index is
    behind (unless `settled`: just refreshed, so what is found is the answer)."""
    rows = ids.with_id_prefix(key)
    if not rows and not settled:
        return None
    found: dict[str, Found] = {}
    for article_id, relpath in rows:
        if relpath not in loaded:
            if not settled and not ids.current(relpath):
                return None
            try:
                loaded[relpath] = archive.load(archive.root / relpath)
            except ArchiveError:
                if settled:
                    continue
                return None
        issue = loaded[relpath]
        match = next(((page, a) for page, a in issue.articles() if a.id == article_id), None)
        if match is None:
            if settled:
                continue
            return None
        found.setdefault(article_id, Found(issue, match[0], match[1], archive.root / relpath))
    return found


def _note(message: str) -> None:
    print(f"epaper: {message}", file=sys.stderr)
