"""JSON Lines export: one JSON object per article per line, for engines made for more than one machine holds.

Each line holds the article's keys as the archive writes them (`id paper date page section title kicker
subtitle byline authors dateline body editors source`, optional keys left out) and `text`, the article's body
as plain text (its blocks in reading order, a blank line between them), so a search engine can index it
without knowing the archive's body blocks. Lines are in date, page and article order, written an issue at a
time: the memory the export takes does not grow with the number of issues.

UTF-8, no ASCII escaping (Chinese is written as it is); the line and paragraph separators U+2028 and U+2029
are escaped, since some line-oriented tools take them for line ends.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from epaper_cli.model import Article, Issue, Page, Person, block_kind

if TYPE_CHECKING:
    from epaper_cli.formats import WriteOptions

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _people(people: list[Person]) -> list[dict[str, str]]:
    return [{"role": person.role, "name": person.name} for person in people]


def plain_text(article: Article) -> str:
    """The article's body as plain text: its blocks in reading order, a blank line between them."""
    return "\n\n".join(block.text for block in article.body)


def record(issue: Issue, page: Page, article: Article) -> dict[str, Any]:
    """One article as a JSON object, in the archive's keys and order, then its plain text."""
    data: dict[str, Any] = {"id": article.id, "paper": issue.paper, "date": issue.date.isoformat(), "page": page.label}
    if page.section:
        data["section"] = page.section
    data["title"] = article.title
    for key in ("kicker", "subtitle", "byline"):
        value = getattr(article, key)
        if value:
            data[key] = value
    if article.authors:
        data["authors"] = _people(article.authors)
    if article.dateline:
        data["dateline"] = article.dateline
    data["body"] = [{block_kind(block): block.text} for block in article.body]
    if article.editors:
        data["editors"] = _people(article.editors)
    if article.source is not None:
        source: dict[str, str] = {"sha256": article.source.sha256}
        if article.source.reader:
            source["reader"] = article.source.reader
        if article.source.read_on:
            source["read_on"] = article.source.read_on.isoformat()
        data["source"] = source
    data["text"] = plain_text(article)
    return data


def lines(issue: Issue) -> Iterator[str]:
    """One issue's articles as JSON lines, each ending with a line feed."""
    for page in issue.pages:
        for article in page.articles:
            line = _ENCODER.encode(record(issue, page, article))
            if "\u2028" in line or "\u2029" in line:
                line = line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
            yield line + "\n"


def write(issues: Iterable[Issue], out: BinaryIO, options: WriteOptions | None = None) -> None:
    """Write every article of the issues as one JSON object per line, an issue at a time."""
    for issue in issues:
        out.write("".join(lines(issue)).encode("utf-8"))
