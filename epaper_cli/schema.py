"""The issue file schema (`format: epaper/1`): model ⇄ plain data ⇄ readable YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, BinaryIO

from epaper_cli import yamltext
from epaper_cli.errors import ArchiveError
from epaper_cli.model import BLOCK_KINDS, Article, Block, Issue, Page, Person, Source, block_kind

FORMAT = "epaper/1"
_BLOCK_SCALAR_FROM = 40
"""Body text at least this long is written as a `|-` block scalar, so long paragraphs read and diff well."""

# -- model → YAML ---------------------------------------------------------------------------------------


def dump(issue: Issue) -> str:
    """Write an issue as its archive file's text."""
    return yamltext.dump(issue_to_data(issue))


def dump_to(issue: Issue, out: BinaryIO) -> None:
    """Write an issue's archive file text to a binary file a few hundred lines at a time, turning one page at a
    time into plain data: an issue of hundreds of articles is never held twice over in memory."""
    pages = (_page_to_data(page) for page in issue.pages)
    yamltext.dump_to(_issue_data(issue, pages), lambda text: out.write(text.encode("utf-8")))


def dump_with_pyyaml(issue: Issue) -> str:
    """The same text through PyYAML's own emitter: the reference `dump` is tested against."""
    return yamltext.dump_with_pyyaml(issue_to_data(issue))


def issue_to_data(issue: Issue) -> dict[str, Any]:
    """Turn an issue into plain data in the schema's key order, optional keys left out."""
    return _issue_data(issue, [_page_to_data(page) for page in issue.pages])


def _issue_data(issue: Issue, pages: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"format": FORMAT, "paper": issue.paper, "date": issue.date, "pages": pages}


def _page_to_data(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = {"page": yamltext.plain(page.label)}
    if page.section:
        data["section"] = page.section
    data["articles"] = [article_to_data(article) for article in page.articles]
    return data


def article_to_data(article: Article) -> dict[str, Any]:
    """Turn one article into plain data in the schema's key order."""
    data: dict[str, Any] = {"id": yamltext.plain(article.id), "title": article.title}
    for key in ("kicker", "subtitle", "byline"):
        value = getattr(article, key)
        if value:
            data[key] = value
    if article.authors:
        data["authors"] = [yamltext.Flow(role=p.role, name=p.name) for p in article.authors]
    if article.dateline:
        data["dateline"] = article.dateline
    for key in ("continued_from", "continued_to"):
        value = getattr(article, key)
        if value:
            data[key] = yamltext.plain(value)
    data["body"] = [{block_kind(block): _text_value(block.text)} for block in article.body]
    if article.editors:
        data["editors"] = [yamltext.Flow(role=p.role, name=p.name) for p in article.editors]
    if article.edited is not None:
        data["edited"] = article.edited
    if article.source is not None:
        source: dict[str, Any] = {"sha256": article.source.sha256}
        if article.source.reader:
            source["reader"] = article.source.reader
        if article.source.read_on:
            source["read_on"] = article.source.read_on
        if article.source.options:
            source["options"] = article.source.options
        data["source"] = source
    return data


def _text_value(text: str) -> str:
    return yamltext.Long(text) if len(text) >= _BLOCK_SCALAR_FROM else text


# -- YAML → model ---------------------------------------------------------------------------------------


def load_file(data: bytes, where: str) -> Issue:
    """An issue file's bytes as read, its digest line (if any) set aside: `check` verifies it, reading needs only
    the content, which the fast reader then takes (with the line, every file would go to PyYAML)."""
    from epaper_cli import fixity

    content, _digest = fixity.split(data)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArchiveError(where, f"not UTF-8 text (byte {exc.start})") from exc
    return load(text, where)


def load(text: str, where: str) -> Issue:
    """Read an issue file's text, checking the format version and every field's type."""
    return issue_from_data(yamltext.load(text, where), where)


def issue_from_data(data: Any, where: str) -> Issue:
    """Build an issue from plain data, refusing anything that is not the schema."""
    if not isinstance(data, dict) or "format" not in data:
        raise ArchiveError(where, "not an epaper issue file (no `format` key)")
    if data["format"] != FORMAT:
        raise ArchiveError(
            where, f"unknown format version {data['format']!r}: this epaper reads {FORMAT}; upgrade epaper"
        )
    paper = _string(data, "paper", where)
    date = _date(data.get("date"), "date", where)
    pages_data = _list(data, "pages", where)
    pages = [_page_from_data(item, f"pages[{i}]", where) for i, item in enumerate(pages_data)]
    return Issue(paper, date, pages)


def _page_from_data(data: Any, at: str, where: str) -> Page:
    data = _mapping(data, at, where)
    label = _string(data, "page", where, at)
    section = _optional_string(data, "section", where, at)
    articles = [
        _article_from_data(item, f"{at}.articles[{i}]", where)
        for i, item in enumerate(_list(data, "articles", where, at))
    ]
    return Page(label, section, articles)


def article_from_data(data: Any, at: str, where: str) -> Article:
    """Build one article from plain data, refusing anything that is not the schema."""
    return _article_from_data(data, at, where)


def _article_from_data(data: Any, at: str, where: str) -> Article:
    data = _mapping(data, at, where)
    source_data = data.get("source")
    source = None
    if source_data is not None:
        source_data = _mapping(source_data, f"{at}.source", where)
        read_on = source_data.get("read_on")
        source = Source(
            sha256=_string(source_data, "sha256", where, f"{at}.source"),
            reader=_optional_string(source_data, "reader", where, f"{at}.source"),
            read_on=None if read_on is None else _date(read_on, f"{at}.source.read_on", where),
            options=_optional_string(source_data, "options", where, f"{at}.source"),
        )
    edited = data.get("edited")
    return Article(
        title=_string(data, "title", where, at),
        id=_string(data, "id", where, at),
        kicker=_optional_string(data, "kicker", where, at),
        subtitle=_optional_string(data, "subtitle", where, at),
        byline=_optional_string(data, "byline", where, at),
        authors=_people(data.get("authors"), f"{at}.authors", where),
        dateline=_optional_string(data, "dateline", where, at),
        continued_from=_optional_string(data, "continued_from", where, at),
        continued_to=_optional_string(data, "continued_to", where, at),
        body=[_block(item, f"{at}.body[{i}]", where) for i, item in enumerate(_list(data, "body", where, at))],
        editors=_people(data.get("editors"), f"{at}.editors", where),
        source=source,
        edited=None if edited is None else _date(edited, f"{at}.edited", where),
    )


def _block(data: Any, at: str, where: str) -> Block:
    if not isinstance(data, dict) or len(data) != 1:
        raise ArchiveError(where, f"{at}: a body block is one of text/heading/caption with its text")
    ((kind, text),) = data.items()
    if kind not in BLOCK_KINDS or not isinstance(text, str):
        raise ArchiveError(where, f"{at}: unknown body block {kind!r}")
    return BLOCK_KINDS[kind](text)


def _people(data: Any, at: str, where: str) -> list[Person]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ArchiveError(where, f"{at}: expected a list of {{role, name}}")
    people = []
    for i, item in enumerate(data):
        item = _mapping(item, f"{at}[{i}]", where)
        people.append(Person(_string(item, "role", where, f"{at}[{i}]"), _string(item, "name", where, f"{at}[{i}]")))
    return people


def _mapping(data: Any, at: str, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ArchiveError(where, f"{at}: expected a mapping")
    return data


def _list(data: dict[str, Any], key: str, where: str, at: str = "") -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ArchiveError(where, f"{_at(at, key)}: expected a list")
    return value


def _string(data: dict[str, Any], key: str, where: str, at: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ArchiveError(where, f"{_at(at, key)}: expected text")
    return value


def _optional_string(data: dict[str, Any], key: str, where: str, at: str = "") -> str | None:
    if data.get(key) is None:
        return None
    return _string(data, key, where, at)


def _date(value: Any, at: str, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ArchiveError(where, f"{at}: expected a date YYYY-MM-DD")


def _at(at: str, key: str) -> str:
    return f"{at}.{key}" if at else key
