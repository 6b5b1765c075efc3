"""What `epaper report` needs to know of an issue, read cheaply: its date and page labels, and per article its
place, title, continuation markers, whether its body is empty or looks cut off, and a digest of its text.

`issue_facts(path)` is the one door: today it scans the file's text directly when it is in the layout epaper
writes (a few string searches per article; loading the whole model costs some forty times more), else it loads
the issue; a derived index of the archive can stand behind the same function later. `article_facts` gives the
same facts from a loaded article, and both paths agree (`tests/test_report.py` checks every sample).
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from pathlib import Path
from typing import NamedTuple

from epaper_cli.errors import ArchiveError
from epaper_cli.model import Article, Caption, Heading, Issue

DUPLICATE_MIN = 30
"""Bodies with fewer characters of text than this are too short to call two articles the same text."""
_ENDS_SENTENCE = frozenset("。！？!?…；;.:：”’」』）)】》—")
_CLOSERS = "”’」』）)】》\"' "
_NEXT_KEY = re.compile(rb"\n    [a-z]")
_BLOCK_HEAD = re.compile(rb"\n    - [a-z]+: (?:\|-\n        )?")
_MARKS = re.compile(rb"\n(?:(- page: )|  - id: )")
"""Where each page and each article starts."""
_QUOTES = frozenset(b"'\"|>")


class ArticleFacts(NamedTuple):
    """One article as the report sees it (a named tuple: a hundred thousand of them are made in a second)."""

    id: str
    page: str
    title: str
    empty: bool
    cut_off: bool
    digest: str | None
    """Of the body's words (see `text_digest`); None when the body is too short to compare."""
    continued_to: str | None = None
    continued_from: str | None = None


class IssueFacts(NamedTuple):
    """One issue as the report sees it."""

    paper: str
    date: dt.date
    pages: tuple[str, ...]
    articles: tuple[ArticleFacts, ...]


def issue_facts(path: Path) -> IssueFacts:
    """The facts of one issue file: scanned from its bytes, or read from the loaded issue when they are not in
    the layout epaper writes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    scanned = _scan(data)
    if scanned is not None:
        return scanned
    from epaper_cli import schema

    return facts_of(schema.load_file(data, str(path)))


def facts_of(issue: Issue) -> IssueFacts:
    """The facts of a loaded issue: the same as those of its file written by epaper (it is scanned as written)."""
    from epaper_cli import schema

    scanned = _scan(schema.dump(issue).encode("utf-8"))
    if scanned is None:  # a value that must be quoted: each article on its own
        articles = tuple(article_facts(page.label, article) for page, article in issue.articles())
        return IssueFacts(issue.paper, issue.date, tuple(page.label for page in issue.pages), articles)
    return scanned


def article_facts(page: str, article: Article) -> ArticleFacts:
    """The facts of one loaded article, as the scan of its issue file would find them."""
    import datetime as _dt

    from epaper_cli import schema
    from epaper_cli.model import Page

    alone = Issue("x", _dt.date(2000, 1, 1), [Page(page, None, [article])])
    scanned = _scan(schema.dump(alone).encode("utf-8"))
    if scanned is not None and len(scanned.articles) == 1:
        return scanned.articles[0]
    words = " ".join(block.text for block in article.body)
    final = article.body[-1] if article.body else None
    cut = final is not None and not isinstance(final, (Heading, Caption)) and not article.continued_to
    return ArticleFacts(
        article.id,
        page,
        article.title,
        not words.strip(),
        cut and final is not None and looks_cut_off(final.text),
        text_digest(words.encode("utf-8")) if len(words) >= DUPLICATE_MIN else None,
        article.continued_to,
        article.continued_from,
    )


def text_digest(body: bytes | memoryview) -> str:
    """The digest two articles with the same body share: of the body as the issue file writes it. Two checksums
    and the length (80 bits): a tenth of a cryptographic hash's cost, and a false match among a million bodies
    about as likely as one in a lottery; the report's duplicates are for a person to confirm anyway."""
    return f"{zlib.crc32(body):08x}{zlib.adler32(body):08x}{len(body):04x}"


def looks_cut_off(text: str) -> bool:
    """A last paragraph that stops without ending its sentence (no 。！？ or closing quote at its end)."""
    core = text.rstrip(_CLOSERS) or text
    return len(text) >= 10 and core[-1] not in _ENDS_SENTENCE and text[-1] not in _ENDS_SENTENCE


def _scan(data: bytes) -> IssueFacts | None:
    """The facts straight from bytes in the layout `schema.dump` writes; None for anything else.

    Every key the scan reads stands at a fixed place in that layout and is ASCII, so the bytes are searched in
    place, never copied whole: only ids, titles, labels and each body's last paragraph are decoded.
    """
    if not data.startswith(b"format: epaper/1\npaper: ") or b"\t" in data or b"\r" in data:
        return None
    if b'"' in data and b': "' in data:  # a double-quoted value (the first test is the quick one)
        return None
    header = data[: data.find(b"\n- page: ") if b"\n- page: " in data else len(data)].split(b"\n")
    if len(header) < 3 or not header[2].startswith(b"date: ") or header[1][7:8] in (b"'", b'"'):
        return None
    size = len(data)
    while size and data[size - 1] == 10:  # the file's last newline belongs to no body
        size -= 1
    try:
        date = dt.date.fromisoformat(header[2][6:].decode("ascii"))
        marks = [(match.start(), match.end(), match[1] is not None) for match in _MARKS.finditer(data)]
        marks.append((size, size, True))
        labels: list[str] = []
        articles = []
        for number, (_at, after, is_page) in enumerate(marks[:-1]):
            if is_page:
                labels.append(_unquote(data[after : data.find(b"\n", after)]))
                continue
            facts = _scan_article(data, after, marks[number + 1][0], labels[-1])
            if facts is None:
                return None
            articles.append(facts)
        return IssueFacts(header[1][7:].decode("utf-8"), date, tuple(labels), tuple(articles))
    except (ValueError, UnicodeDecodeError, IndexError):
        return None


def _scan_article(data: bytes, at: int, end: int, label: str) -> ArticleFacts | None:
    """One article's facts from its bytes data[at:end] (from its id on), or None when they are not in the layout
    epaper writes."""
    eol = data.find(b"\n", at, end)
    title_at = eol + 12
    if eol < 0 or not data.startswith(b"\n    title: ", eol, end) or data[title_at] in _QUOTES:
        return None
    title = data[title_at : data.find(b"\n", title_at, end)].decode("utf-8")
    start = data.find(b"\n    body:\n", title_at, end)
    if start < 0:
        if data.find(b"\n    body: []", title_at, end) < 0:
            return None
        start = stop = title_at
    else:
        start += 11
        after = _NEXT_KEY.search(data, start, end)
        stop = after.start() if after is not None else end
    continued_to = _value(data, b"\n    continued_to: ", eol, start)
    final_text = None
    final = data.rfind(b"\n    - ", start, stop) + 1 or start
    if data.startswith(b"    - text: ", final, stop):
        text_at = final + 12
        if data.startswith(b"|-\n", text_at, stop):
            text_at += 11
        # The end of the paragraph is all the test needs: its last 64 bytes hold more than 10 characters.
        final_text = data[max(text_at, stop - 64) : stop].decode("utf-8", "ignore")
    body = memoryview(data)[start:stop]
    long_enough = (
        stop - start >= 200 or len(_BLOCK_HEAD.sub(b"", b"\n" + body).decode("utf-8").strip()) >= DUPLICATE_MIN
    )
    article_id = data[at:eol]
    return ArticleFacts(
        (article_id[1:-1] if article_id[:1] == b"'" else article_id).decode("ascii"),
        label,
        title,
        stop == start,
        final_text is not None and not continued_to and looks_cut_off(final_text),
        text_digest(body) if stop > start and long_enough else None,
        continued_to,
        _value(data, b"\n    continued_from: ", eol, start),
    )


def _text_of(body: bytes) -> str:
    """A short body's text, without its blocks' keys."""
    return _BLOCK_HEAD.sub(b"", body).decode("utf-8").strip()


def _value(data: bytes, key: bytes, at: int, end: int) -> str | None:
    found = data.find(key, at, end)
    if found < 0:
        return None
    found += len(key)
    return _unquote(data[found : data.find(b"\n", found, end)])


def _unquote(value: bytes) -> str:
    if len(value) >= 2 and value[:1] == value[-1:] == b"'":
        value = value[1:-1]
    return value.decode("utf-8")
