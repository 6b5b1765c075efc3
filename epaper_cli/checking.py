"""`epaper check`: fixity and schema checks over the whole archive, reported as (file, reason)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError
from epaper_cli.layout import RAW_DIR, safe_component
from epaper_cli.model import Issue, article_id, page_sort_key
from epaper_cli.registry import archive_problems

Problem = tuple[str, str]


def check_archive(archive: Archive) -> list[Problem]:
    """Every problem in the archive; an empty list means every file is valid and every capture intact."""
    problems: list[Problem] = []
    raw_ok = _check_raw(archive, problems)
    for path in archive.all_issue_files():
        try:
            issue = archive.load(path)
        except ArchiveError as error:
            problems.append((error.what, error.why))
            continue
        problems.extend((str(path), reason) for reason in issue_problems(archive, path, issue, raw_ok))
    problems.extend(archive_problems(archive))  # papers.yaml, the paper registry
    return problems


def issue_problems(archive: Archive, path: Path, issue: Issue, raw_ok: set[str]) -> list[str]:
    """What is wrong with one loaded issue: its place, its page order, its ids and its sources."""
    reasons = []
    expected = archive.issue_path(issue.paper, issue.date)
    if path.parent.parent.name != safe_component(issue.paper) or path.name != expected.name:
        reasons.append(f"holds {issue.paper} {issue.date.isoformat()}, which belongs in {expected}")
    labels = [page.label for page in issue.pages]
    if len(set(labels)) != len(labels):
        reasons.append("a page label appears twice")
    if labels != sorted(labels, key=page_sort_key):
        reasons.append(f"pages out of order: {', '.join(labels)}")
    seen: set[str] = set()
    for page, article in issue.articles():
        if article.id in seen:
            reasons.append(f"article id {article.id} appears twice")
        seen.add(article.id)
        if article.id != article_id(issue.paper, issue.date, page.label, article.title, article.body):
            reasons.append(f"article {article.id} ({article.title}): id does not match its paper, date, page and title")
        if article.source is not None and article.source.sha256 not in raw_ok:
            reasons.append(f"article {article.id}: raw capture {article.source.sha256} is missing or altered")
    return reasons


def _check_raw(archive: Archive, problems: list[Problem]) -> set[str]:
    """Hash every kept capture; return the digests that are present and intact."""
    intact: set[str] = set()
    raw_root = archive.root / RAW_DIR
    if not raw_root.is_dir():
        return intact
    for path in sorted(raw_root.glob("*/*")):
        if path.name.startswith("."):
            continue
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() == path.name:
            intact.add(path.name)
        else:
            problems.append((str(path), "raw capture altered: its sha256 no longer matches its name"))
    return intact


def summary(archive: Archive) -> str:
    """What a clean check covered, for the line it prints: `28 issue files and 560 kept captures checked`."""
    issues = sum(1 for _path in archive.all_issue_files())
    raw_root = archive.root / RAW_DIR
    captures = sum(1 for path in raw_root.glob("*/*") if not path.name.startswith(".")) if raw_root.is_dir() else 0
    return f"{_count(issues, 'issue file')} and {_count(captures, 'kept capture')} checked, no problem found"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
