"""Articles by id or unique id prefix, for every command that takes ids (show, rm, edit, raw, cite).

An id is 12 hexadecimal digits; a prefix of at least 6 picks the one article whose id starts with it, as git
does with commits. `-` stands for ids read from standard input, one a line, so ids flow through pipes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

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
    matches: dict[str, dict[str, Found]] = {key: {} for key in keys}
    for found in _scan(archive, set(keys)):
        for key in keys:
            if found.article.id.startswith(key):
                matches[key].setdefault(found.article.id, found)
    result = []
    for key in keys:
        candidates = matches[key]
        if not candidates:
            raise ArchiveError(
                key, "no article with this id in the archive (`epaper list --paper P --date D` shows ids)"
            )
        if len(candidates) > 1:
            listed = ", ".join(f"{f.article.id} ({f.article.title})" for f in candidates.values())
            raise ArchiveError(key, f"ambiguous id prefix: it starts {listed}; give more digits")
        result.append(next(iter(candidates.values())))
    return result


def _scan(archive: Archive, keys: set[str]) -> Iterator[Found]:
    """Every article whose id starts with a key, reading only the issue files whose text holds a key."""
    for path in archive.all_issue_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if not any(key in text for key in keys):
            continue
        issue = archive.load(path)
        for page, article in issue.articles():
            if any(article.id.startswith(key) for key in keys):
                yield Found(issue, page, article, path)
