"""`epaper cite`: the articles named by ids or prefixes, with their papers' registry entries, in a citation style."""

from __future__ import annotations

from dataclasses import dataclass

from epaper_cli import lookup, registry
from epaper_cli.archive import Archive
from epaper_cli.errors import UsageError
from epaper_cli.formats.citation import STYLES, Reference

DEFAULT_STYLE = next(iter(STYLES))


@dataclass
class Citations:
    """The text to print, and how many problems the registry has (their fields were left out)."""

    text: str
    registry_problems: int


def references(archive: Archive, keys: list[str]) -> tuple[list[Reference], int]:
    """One reference per article, in the order of the keys, each article once; and the registry's problem count."""
    found = lookup.find(archive, keys)
    papers = registry.load(archive.root)
    refs: list[Reference] = []
    seen: set[str] = set()
    for item in found:
        if item.article.id in seen:
            continue
        seen.add(item.article.id)
        issue, page = item.issue, item.page
        refs.append(
            Reference(issue.paper, issue.date, page.label, page.section, item.article, papers.info(issue.paper))
        )
    return refs, len(papers.problems)


def check_style(style: str) -> None:
    """Refuse an unknown style before any id is read."""
    if style not in STYLES:
        raise UsageError("--style", f"unknown style {style!r} (choose {', '.join(STYLES)})")


def cite(archive: Archive, keys: list[str], style: str) -> Citations:
    """The articles' references in one style (gbt7714, csl-json, ris, bibtex)."""
    check_style(style)
    refs, problems = references(archive, keys)
    return Citations(STYLES[style](refs), problems)
