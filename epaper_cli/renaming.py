"""`epaper rename-paper OLD NEW`: a paper's issues filed under another name, merged into NEW's when it has some.

Every article gets the id its new name gives it (printed old → new when it changes), and its recorded import
options name the new paper, so `epaper rebuild` reads its capture under the new name. An article whose id NEW's
issue already holds replaces it, as re-importing would. Each issue is written whole, under the lock, before the
old file is removed: an interrupted rename leaves every article in one of the two papers (or both), and running
it again finishes it. The paper registry (papers.yaml, created if need be) follows: OLD's entry becomes NEW's (or
is merged into it) and OLD becomes an alias of NEW, so that captures still naming OLD are imported under NEW.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from dataclasses import dataclass, replace

from epaper_cli import registry
from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError, UsageError
from epaper_cli.layout import safe_component
from epaper_cli.model import Issue, article_id
from epaper_cli.options import with_paper
from epaper_cli.placing import merge_article
from epaper_cli.registry import Entry, Registry


@dataclass(frozen=True)
class Renamed:
    """One article moved to the new name: its date, page and title, its id before and after."""

    date: str
    page: str
    title: str
    old_id: str
    new_id: str


def rename_paper(archive: Archive, old: str, new: str) -> list[Renamed]:
    """Move every issue of OLD under NEW; the articles moved, each with its old and new id."""
    old, new = (unicodedata.normalize("NFC", name).strip() for name in (old, new))
    if not new:
        raise UsageError("NEW", "a paper's name cannot be empty")
    if old == new:
        raise UsageError(new, "OLD and NEW are the same name: nothing to rename")
    folder = archive.paper_dir(old)
    files = archive.issue_files(folder) if folder.is_dir() else []
    if not files:
        raise ArchiveError(old, "no such paper in the archive (see `epaper list`)")
    if safe_component(old) == safe_component(new):
        raise UsageError(new, f"files under the same folder as {old}: nothing to rename")
    moved: list[Renamed] = []
    with archive.lock():
        current = registry.load(archive.root)
        entries = _registry_change(current, old, new)
        if entries is not None and not current.rewritable:
            raise ArchiveError(
                str(current.path), "not in the layout epaper writes; fix it by hand first (epaper check)"
            )
        sources: dict[str, str | None] = {}
        for _day, path in files:
            issue = archive.load(path)
            sources.update((a.source.sha256, a.source.options) for _p, a in issue.articles() if a.source)
            target = archive.read_issue(new, issue.date)
            moved += _move(issue, target.issue, new)
            archive.replace_issue(target.path, target.issue)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            archive.indexed(path, None)
        for empty in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
            with contextlib.suppress(OSError):
                empty.rmdir()
        with contextlib.suppress(OSError):
            folder.rmdir()
        _rename_removed(archive, sources, new)
        if entries is not None:
            from epaper_cli.papers import save

            current.entries = entries
            save(current)
    return moved


def _rename_removed(archive: Archive, sources: dict[str, str | None], new: str) -> None:
    """The ids `epaper rm` took from the renamed paper's captures, under the new name (each capture is read again
    to learn the identity of what it gave), so that `epaper rebuild` still leaves them out."""
    from epaper_cli.rebuilding import read_again
    from epaper_cli.removing import removed_ids, save_removed

    notes = removed_ids(archive)
    changed = False
    for digest, options in sources.items():
        if not notes.get(digest):
            continue
        parsed = read_again((os.fspath(archive.root), digest, options))
        for issue in parsed.issues:
            for page, article in issue.articles():
                if article.id in notes[digest]:
                    notes[digest].add(article_id(new, issue.date, page.label, article.title, article.body))
                    changed = True
    if changed:
        save_removed(archive, notes)


def _move(issue: Issue, target: Issue, new: str) -> list[Renamed]:
    """Put an issue's articles, with the ids of their new name, into the same day's issue of NEW."""
    moved = []
    for page, article in issue.articles():
        new_id = article_id(new, issue.date, page.label, article.title, article.body)
        source = article.source
        if source is not None:
            source = replace(source, options=with_paper(source.options, new))
        merge_article(target, page, replace(article, id=new_id, source=source))
        moved.append(Renamed(issue.date.isoformat(), page.label, article.title, article.id, new_id))
    return moved


def _registry_change(current: Registry, old: str, new: str) -> list[Entry] | None:
    """The registry's entries after the rename (OLD's entry becomes or joins NEW's, OLD an alias of NEW), or
    None when there is nothing to change (OLD is already an alias, of NEW or of another paper)."""
    old_entry, new_entry = current.entry(old), current.entry(new)
    if old_entry is None and any(old in _aliases(entry) for entry in current.entries):
        return None
    entries = [entry for entry in current.entries if entry is not old_entry]
    if new_entry is None and old_entry is None:
        new_entry = Entry(new, 0)
        entries.append(new_entry)
    elif new_entry is None:
        assert old_entry is not None
        new_entry = Entry(new, old_entry.line, dict(old_entry.fields), dict(old_entry.lines))
        entries.insert(current.entries.index(old_entry), new_entry)
    elif old_entry is not None:
        for key, value in old_entry.fields.items():
            if key != "aliases":
                new_entry.fields.setdefault(key, value)
    aliases = _aliases(new_entry) + (_aliases(old_entry) if old_entry is not None else []) + [old]
    new_entry.fields["aliases"] = [alias for alias in dict.fromkeys(aliases) if alias != new]
    return entries


def _aliases(entry: Entry) -> list[str]:
    value = entry.fields.get("aliases", [])
    return [value] if isinstance(value, str) else list(value)
