"""`epaper search`: the terms of the command line as a query, the index asked, each article found with a snippet.

A term is a substring whatever its length (one Chinese character too); every term must occur (AND), a
`"quoted phrase"` is one term, `-term` must not occur. Latin case and full-/half-width forms are folded away on
both sides (`searchtext.fold`). Title, kicker, subtitle, byline, dateline and body are searched
(`searchtext.searchable`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from epaper_cli import index
from epaper_cli.errors import UsageError
from epaper_cli.searchtext import fold, tokens

if TYPE_CHECKING:
    from epaper_cli.dates import DateSpan

SORTS = ("relevance", "date")
_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_BEFORE, _AFTER = 16, 40
"""Characters of context a snippet shows before and after the first match."""
HIGHLIGHT = ("\033[1;31m", "\033[0m")


class Query(NamedTuple):
    """The folded terms that must occur and those that must not."""

    include: tuple[str, ...]
    exclude: tuple[str, ...]

    def match(self) -> str:
        """The FTS5 query: each term the phrase of its characters' tokens (see `searchtext.tokens`)."""

        def phrase(term: str) -> str:
            return '"' + tokens(term).replace('"', '""') + '"'  # a quote in a phrase is written twice

        wanted = " AND ".join(phrase(term) for term in self.include)
        if not self.exclude:
            return wanted
        return f"({wanted}) NOT ({' OR '.join(phrase(term) for term in self.exclude)})"


def parse_terms(args: list[str]) -> Query:
    """Read the TERM arguments: words, "quoted phrases", -exclusions; an empty term is a usage error."""
    include: list[str] = []
    exclude: list[str] = []
    for arg in args:
        if arg.startswith("--"):
            raise UsageError(arg, "no such option (a term starting with -- can be quoted: '\"--x\"')")
        if not arg.strip():
            raise UsageError("TERM", "an empty term matches everything: give some text")
        for minus, quoted, word in _PART.findall(arg):
            term, excluded = (quoted, bool(minus)) if word == "" else (word, False)
            if word.startswith("-"):
                term, excluded = word[1:], True
            if not term.strip():
                raise UsageError(arg, "an empty term: give some text to look for")
            (exclude if excluded else include).append(fold(unicodedata.normalize("NFC", term)))
    if not include:
        raise UsageError("TERM", "give at least one term to look for, not only -exclusions")
    return Query(tuple(include), tuple(exclude))


class Hit(NamedTuple):
    """One article found, as the output shows it."""

    id: str
    paper: str
    date: str
    page: str
    section: str | None
    title: str
    snippet: str
    marks: tuple[tuple[int, int], ...]
    """Where the terms occur in the snippet: (start, end) character offsets."""

    def as_json(self) -> dict[str, Any]:
        keys = ("id", "paper", "date", "page", "section", "title", "snippet")
        return {key: getattr(self, key) for key in keys}

    def line(self, highlight: bool) -> str:
        """The tab-separated line: id, paper, date, page, title, snippet (its matches in bold red)."""
        snippet = self.snippet
        if highlight:
            for start, end in reversed(self.marks):
                snippet = f"{snippet[:start]}{HIGHLIGHT[0]}{snippet[start:end]}{HIGHLIGHT[1]}{snippet[end:]}"
        return "\t".join((self.id, self.paper, self.date, self.page, _flat(self.title), snippet))


class Found(NamedTuple):
    """What a search found: how many in all, and the hits to show (at most `limit`)."""

    total: int
    hits: list[Hit]


def search(
    root: Path,
    query: Query,
    *,
    paper: str | None = None,
    span: DateSpan | None = None,
    sort: str = "relevance",
    limit: int | None = None,
    count_only: bool = False,
    note: Callable[[str], None] | None = None,
) -> Found:
    """Refresh the archive's index, then find the articles that hold every included term and no excluded one."""
    if sort not in SORTS:
        raise UsageError("--sort", f"unknown order {sort!r} (choose {' or '.join(SORTS)})")
    found = index.up_to_date(root, note)
    try:
        where = index.Where(
            paper=_paper(root, found, paper) if paper is not None else None,
            first=span.first.isoformat() if span is not None and span.first else None,
            last=span.last.isoformat() if span is not None and span.last else None,
        )
        total = found.heal(lambda: found.count(query.match(), where))
        if count_only or not total:
            return Found(total, [])
        rows = found.heal(lambda: found.rows(found.search(query.match(), where, sort, limit)))
        return Found(total, [_hit(row, query) for row in rows])
    finally:
        found.close()


def _paper(root: Path, found: index.Index, name: str) -> str:
    """The paper's name as its issues carry it: the name given, or the paper an alias in papers.yaml names."""
    name = unicodedata.normalize("NFC", name.strip())
    if found.has_paper(name):
        return name
    from epaper_cli import registry

    registered = registry.cached(root).aliases.get(name)
    if registered is not None and found.has_paper(registered):
        return registered
    from epaper_cli.archive import Archive
    from epaper_cli.finding import paper_folder

    archive = Archive(root)  # the rule every command goes by: a Latin name in any case, else the closest names
    return archive.paper_name(paper_folder(archive, name))


def _hit(row: index.Row, query: Query) -> Hit:
    """The article with a snippet around the first place an included term occurs."""
    folded = fold(row.text)
    places = [(folded.find(term), term) for term in query.include]
    first = min((place for place in places if place[0] >= 0), default=(0, ""))[0]
    start = max(0, first - _BEFORE)
    end = min(len(folded), first + max(len(term) for term in query.include) + _AFTER)
    window = folded[start:end]
    marks: list[tuple[int, int]] = []
    for term in sorted(query.include, key=len, reverse=True):
        at = window.find(term)
        while at >= 0:
            if not any(a < at + len(term) and at < b for a, b in marks):
                marks.append((at, at + len(term)))
            at = window.find(term, at + 1)
    lead, tail = ("…" if start > 0 else ""), ("…" if end < len(folded) else "")
    snippet = lead + _flat(row.text[start:end]) + tail
    shifted = tuple(sorted((a + len(lead), b + len(lead)) for a, b in marks))
    return Hit(row.id, row.paper, row.date, row.page, row.section, row.title, snippet, shifted)


def _flat(text: str) -> str:
    """Text on one line of a tab-separated output: line breaks and tabs become spaces, one for one."""
    return text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
