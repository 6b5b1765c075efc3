"""`epaper paper set` and `epaper paper show`: the paper registry edited and read without an editor.

An edit is checked as `epaper check` would check it, made under the archive's lock, and written whole or not
at all; every other paper's values are written back as they were, even wrong ones (comments are not kept).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from epaper_cli import registry
from epaper_cli.archive import Archive
from epaper_cli.atomic import write_atomic
from epaper_cli.errors import ArchiveError, UsageError
from epaper_cli.model import PaperInfo
from epaper_cli.registry import FIELDS, FORMAT, Entry, Registry

HEADER = (
    "# The papers of this epaper archive: what citations and exports need to know of each paper beyond its\n"
    "# issues. Keys per paper (all optional): aliases (other names, which import files under this one),\n"
    "# language (a tag such as zh-CN or en), place, publisher, issn (NNNN-NNNC), cn (CN 33-0012), frequency.\n"
    "# `epaper check` checks this file; `epaper paper set NAME --place ...` edits it (comments are not kept).\n"
)


@dataclass
class Change:
    """What `epaper paper set` was asked: values to set (an empty one removes its key), aliases to add or drop."""

    values: dict[str, str] = field(default_factory=dict)
    add_aliases: list[str] = field(default_factory=list)
    drop_aliases: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.values or self.add_aliases or self.drop_aliases)


def set_fields(archive: Archive, name: str, change: Change) -> tuple[PaperInfo, list[str]]:
    """Apply a change to one paper's entry (registering the paper if need be); return the paper as it now
    stands, and the comment lines the rewrite dropped."""
    name = _clean(name)
    if not name:
        raise UsageError("NAME", "a paper's name cannot be empty")
    with archive.lock():
        current = registry.load(archive.root)
        if not current.rewritable:
            line = min((line for line, _reason in current.problems), default=0)
            raise ArchiveError(
                str(current.path), f"line {line}: not in the layout epaper writes; fix it by hand first (epaper check)"
            )
        owner = next((e.name for e in current.entries if name in e.fields.get("aliases", [])), None)
        if owner is not None and current.entry(name) is None:
            raise UsageError(name, f"an alias of {owner}: give the paper's name")
        entry = current.entry(name)
        if entry is None:
            entry = Entry(name, 0)
            current.entries.append(entry)
        _apply(current, entry, change)
        dropped = list(comment_lines(current))
        save(current)
    updated = Registry(current.path, current.entries)
    registry.resolve(updated)
    return updated.papers[name], dropped


def _apply(current: Registry, entry: Entry, change: Change) -> None:
    """Change one entry's values in place, refusing any value `epaper check` would call a problem."""
    for key, raw in change.values.items():
        value = _clean(raw)
        if not value:
            entry.fields.pop(key, None)
            continue
        checked, reason = registry.check_value(key, value)
        if checked is None:
            raise UsageError(f"--{key}", reason or "not a valid value")
        entry.fields[key] = checked
    raw_aliases = entry.fields.get("aliases", [])
    aliases = [raw_aliases] if isinstance(raw_aliases, str) else list(raw_aliases)
    for alias in map(_clean, change.drop_aliases):
        if alias not in aliases:
            raise UsageError("--drop-alias", f"{alias} is not an alias of {entry.name}")
        aliases.remove(alias)
    others = [other for other in current.entries if other is not entry]
    for alias in map(_clean, change.add_aliases):
        if alias == entry.name or not alias:
            raise UsageError("--alias", f"{alias or 'an empty name'} cannot be an alias of {entry.name}")
        if any(other.name == alias for other in others):
            raise UsageError("--alias", f"{alias} is the name of another registered paper")
        owner = next((other.name for other in others if alias in other.fields.get("aliases", [])), None)
        if owner is not None:
            raise UsageError("--alias", f"{alias} is already an alias of {owner}")
        if alias not in aliases:
            aliases.append(alias)
    if aliases:
        entry.fields["aliases"] = aliases
    else:
        entry.fields.pop("aliases", None)


def _clean(text: str) -> str:
    """A value as the registry keeps it: NFC, without surrounding space."""
    return unicodedata.normalize("NFC", text).strip()


def dump(current: Registry) -> str:
    """The registry's text in the layout epaper writes: the header, then each paper's keys in FIELDS order."""
    import yaml

    papers: dict[str, Any] = {}
    for entry in current.entries:
        ordered = sorted(entry.fields.items(), key=lambda item: _field_order(item[0]))
        papers[entry.name] = dict(ordered) or None
    body = yaml.safe_dump(
        {"format": FORMAT, "papers": papers}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000
    )
    return HEADER + body.replace(": null\n", ":\n")


def _field_order(key: str) -> int:
    """Known keys in FIELDS order, unknown ones after them as written."""
    return FIELDS.index(key) if key in FIELDS else len(FIELDS)


def save(current: Registry) -> None:
    """Write the registry whole or not at all."""
    text = dump(current).encode("utf-8")
    try:
        write_atomic(current.path, lambda handle: _write_all(handle, text))
    except OSError as exc:
        raise ArchiveError(str(current.path), f"cannot write: {exc.strerror or exc}") from exc
    registry.forget(current.path.parent)


def _write_all(handle: Any, data: bytes) -> None:
    handle.write(data)


def comment_lines(current: Registry) -> Iterator[str]:
    """The comment lines of the file as it is, other than epaper's header (a rewrite does not keep them)."""
    try:
        text = current.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    header = set(HEADER.splitlines())
    yield from (line for line in text.splitlines() if line.lstrip().startswith("#") and line not in header)


def info_json(info: PaperInfo) -> dict[str, Any]:
    """A paper's registry entry as JSON: its name and the keys it has."""
    data = {key: value for key, value in asdict(info).items() if value}
    data["aliases"] = list(info.aliases)
    return {"name": info.name, **{key: data[key] for key in FIELDS if data.get(key)}}


def info_lines(info: PaperInfo) -> list[str]:
    """A paper's registry entry for people: its name, then `key: value` lines."""
    lines = [info.name]
    for key, value in info_json(info).items():
        if key != "name":
            lines.append(f"  {key}: {', '.join(value) if isinstance(value, list) else value}")
    return lines


def show(archive: Archive, name: str | None) -> list[PaperInfo]:
    """One paper's entry (by name or alias), or every registered paper's."""
    current = registry.load(archive.root)
    if name is None:
        return list(current.papers.values())
    info = current.info(name)
    if info is None:
        raise ArchiveError(name, f"not in the paper registry ({current.path}); `epaper paper set {name} ...` adds it")
    return [info]
