"""Read web pages people copy: article pages of papers' web editions and of portals that repost them, and the
pages of e-paper web apps.

An article page: a breadcrumb, the title block, a publication line (`2025年08月26日06:31 | 来源：江海网－江海日报`),
the site's controls, the body, and the print edition's source footer (`《 江海日报 》（ 2025年08月26日 第 04 版）`)
that gives paper, date and page; editor lines and the site's link lists follow. An e-paper app page: the paper
and the full date, the list of the issue's pages, the current page (`01版：要闻`), the title block, byline, body.
Several pages may be pasted into one file. The site's own words are dropped, never a line of the article.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from epaper_cli.errors import InputError
from epaper_cli.formats import ReadOptions
from epaper_cli.formats.blocks import SENTENCE_END
from epaper_cli.formats.body import Body, opens_body, read_body
from epaper_cli.formats.credits import parse_byline, parse_editors
from epaper_cli.formats.pagelabels import page_label
from epaper_cli.formats.punctuation import fullwidth_punctuation
from epaper_cli.formats.spacing import clean_line, clean_lines
from epaper_cli.formats.titleblock import split_title
from epaper_cli.formats.webparts import (
    Footer,
    app_date,
    ends_the_article,
    footer,
    is_breadcrumb,
    is_page_list,
    is_ui_line,
    page_line,
    paper_name,
    published,
    source_paper,
    without_ui_words,
)
from epaper_cli.model import Article, Issue, Page, Source, article_id

_SNIFF_LINES = 40
_SNIFF_CHARS = 1500
_PAGE_LINE_MAX = 40
_READER_APP_LABELS = ("版面", "版 面", "字号", "字 号", "字號", "字 號")
"""A reader app's `版面:` label, or its empty `字号:`: those captures belong to the capture reader."""
_FULL_DATE = re.compile(r"[0-9]{4}\s*[年/.-]\s*[0-9]{1,2}\s*[月/.-]\s*[0-9]{1,2}")
_TITLE_LINES = 3
_TITLE_MAX = 60


def looks_like(text: str) -> bool:
    """An article page (a publication line near the top, or a source footer) or an e-paper app page (a masthead
    with a full date, then page lines), with none of a reader app's label lines."""
    head = text[:_SNIFF_CHARS]
    if any(label in head for label in _READER_APP_LABELS) and any(
        _is_reader_app_label(line) for line in head.split("\n", _SNIFF_LINES)[:_SNIFF_LINES]
    ):
        return False
    # Only lines holding a full date can be a publication line or a masthead: find those, test each.
    for found in _FULL_DATE.finditer(head):
        start, end = head.rfind("\n", 0, found.start()) + 1, head.find("\n", found.end())
        line = clean_line(head[start : end if end >= 0 else len(head)])
        if published(line):
            return True
        if end >= 0 and app_date(line):
            following = head[end + 1 :].split("\n", _SNIFF_LINES)[:_SNIFF_LINES]
            return any(page_line(clean_line(other)) for other in following if 0 < len(other) <= _PAGE_LINE_MAX)
    return ("》" in text or "page" in text) and any(
        footer(clean_line(line)) for line in text.split("\n") if "》" in line or "page" in line
    )


def _is_reader_app_label(line: str) -> bool:
    """`版面:03版:民生` or an empty `字号:`, as reader apps print them."""
    line = line.lstrip(" \t\u3000\u00a0")
    if not line.startswith(_READER_APP_LABELS):
        return False
    rest = line[3:] if line[1] == " " else line[2:]
    rest = rest.lstrip(" \t\u3000\u00a0")
    return rest[:1] in (":", "：") and (line[0] == "版" or not rest[1:].strip())


def read(text: str, name: str, options: ReadOptions) -> list[Issue]:
    """Read every page pasted into the file, each into an issue with one page and one article."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    lines = clean_lines(text)
    fix: Callable[[str], str] = (lambda line: line) if options.keep_punctuation else fullwidth_punctuation
    dated = _dated_lines(text)
    starts = [i for i in dated if published(lines[i])]
    if starts:
        issues = [
            _article_page(lines, start, end, name, where, options, fix) for start, end, where in _spans(starts, lines)
        ]
    else:
        masts = sorted({_masthead_start(lines, i) for i in dated if app_date(lines[i])})
        if not masts:
            raise InputError(name, "no web page found: expected a publication line or an e-paper masthead")
        issues = [_app_page(lines, start, end, name, where, options, fix) for start, end, where in _spans(masts, lines)]
    return issues


def _dated_lines(text: str) -> list[int]:
    """The numbers of the lines that hold a full date: only those can be a publication line or a masthead."""
    found: list[int] = []
    line, counted = 0, 0
    for match in _FULL_DATE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if not found or found[-1] != line:
            found.append(line)
    return found


def _masthead_start(lines: list[str], index: int) -> int:
    """Where an e-paper app page begins: at its masthead, or at the paper's name on the line above the date."""
    mast = app_date(lines[index])
    if mast is None or mast[0]:
        return index
    above = next((i for i in range(index - 1, max(-1, index - 4), -1) if lines[i]), None)
    if above is None or is_ui_line(lines[above]) or app_date(lines[above]) or not _is_title_like(lines[above]):
        return index
    return above


def _spans(starts: list[int], lines: list[str]) -> list[tuple[int, int, str]]:
    """Each page's lines: from its start to the next one's, named `page N: ` in messages when there are several."""
    bounds = [*starts[1:], len(lines)]
    return [
        (s, e, f"page {n}: " if len(starts) > 1 else "") for n, (s, e) in enumerate(zip(starts, bounds, strict=True), 1)
    ]


# --- article pages ---------------------------------------------------------------------------------------------


def _article_page(
    lines: list[str], at: int, end: int, name: str, where: str, options: ReadOptions, fix: Callable[[str], str]
) -> Issue:
    """One article page: the title block above the publication line, the body under it down to the footer."""
    line = published(lines[at])
    assert line is not None
    title_lines = _title_above(lines, at)
    body_lines, printed, editor_lines = _article_body(lines, at + 1, _next_head(lines, end))
    kicker, title, subtitle = split_title([fix(text) for text in title_lines])
    if title is None:
        raise InputError(name, f"{where}no title above the publication line {lines[at]!r}")
    site, paper = source_paper(line.source) if line.source else (None, None)
    paper = options.paper or (printed.paper if printed else paper)
    if not paper:
        raise InputError(name, f"{where}no paper named: expected a 来源 or a source footer, or pass --paper")
    if printed is None:
        raise InputError(
            name,
            f"{where}no source footer such as 《 江海日报 》（ 2025年08月26日 第 04 版）: the printed page is unknown",
        )
    if line.author and not options.plain_body and parse_byline(line.author) is not None:
        body_lines.insert(0, line.author)
    body = read_body([fix(text) for text in body_lines], options.plain_body)
    for editor_line in editor_lines:
        body.editors += parse_editors(fix(editor_line)) or []
    if body.byline is None and line.author and not options.plain_body:
        byline = parse_byline(line.author)
        body.byline, body.authors = byline if byline else (line.author, [])
    if line.editor and (people := parse_editors(line.editor)):
        body.editors += people
    date = options.date or printed.date
    return _issue(paper, date, printed.page, None, (kicker, title, subtitle), body, site)


def _title_above(lines: list[str], at: int) -> list[str]:
    """The title block: the lines just above the publication line, up to the breadcrumb or a blank run of text."""
    found: list[str] = []
    index = at - 1
    while index >= 0 and len(found) < _TITLE_LINES:
        line = lines[index]
        index -= 1
        if not line or is_ui_line(line):
            continue
        if is_breadcrumb(line) or not _is_title_like(line):
            break
        found.insert(0, line)
    return found


def _next_head(lines: list[str], end: int) -> int:
    """Where the next page's title block begins, so this page's body stops above it."""
    if end >= len(lines):
        return end
    head = end
    index = end - 1
    taken = 0
    while index >= 0 and taken < _TITLE_LINES:
        line = lines[index]
        if not line or is_ui_line(line):
            index -= 1
            continue
        if is_breadcrumb(line):
            return index
        if not _is_title_like(line):
            break
        head, taken, index = index, taken + 1, index - 1
    return head


def _is_title_like(line: str) -> bool:
    """A line that may be a deck of a title: short, not a sentence, not a credit or a footer."""
    core = line.rstrip("”’」』）)")
    return (
        len(line) <= _TITLE_MAX
        and bool(core)
        and core[-1] not in SENTENCE_END
        and footer(line) is None
        and parse_editors(line) is None
    )


def _article_body(lines: list[str], start: int, end: int) -> tuple[list[str], Footer | None, list[str]]:
    """The body's lines down to the source footer, the footer, and the editor lines after it."""
    body: list[str] = []
    printed: Footer | None = None
    after: list[str] = []
    for line in lines[start:end]:
        if not line or is_ui_line(line):
            continue
        if printed is not None:
            credit = without_ui_words(line)
            if parse_editors(credit) is not None:
                after.append(credit)
            continue
        if ends_the_article(line):
            break
        found = footer(line)
        if found is None:
            body.append(line)
            continue
        printed = found
        before = line[: line.rfind("《")].strip() if "》" in line else ""
        if before:
            body.append(before)
    return body, printed, after


# --- e-paper app pages -----------------------------------------------------------------------------------------


def _app_page(
    lines: list[str], at: int, end: int, name: str, where: str, options: ReadOptions, fix: Callable[[str], str]
) -> Issue:
    """One e-paper app page: masthead, the list of pages, the current page, the title block and the body."""
    paper, date, index = "", None, at
    while index < end and date is None:
        mast = app_date(lines[index]) if lines[index] else None
        if mast is not None:
            paper, date = mast[0] or paper, mast[1]
        elif lines[index] and not is_ui_line(lines[index]):
            paper = lines[index]
        index += 1
    if date is None:  # pragma: no cover - every span holds its masthead
        raise InputError(name, f"{where}no masthead with the issue's date")
    current = None
    while index < end:
        line = lines[index]
        entry = page_line(line) if line else None
        if entry is not None:
            current = entry
        elif line and current is not None and not is_ui_line(line) and not is_page_list(line):
            break
        index += 1
    if current is None:
        raise InputError(name, f"{where}no page line (such as 01版：要闻) under the masthead")
    page = page_label(current[0]) or page_label(f"{current[0]}版")
    if page is None:
        raise InputError(name, f"{where}cannot read the page in {current[0]!r}")
    title_lines: list[str] = []
    while index < end and len(title_lines) < _TITLE_LINES:
        line = lines[index]
        if line and (not _is_title_like(line) or opens_body(line)):
            break
        if line:
            title_lines.append(line)
        index += 1
    kicker, title, subtitle = split_title([fix(text) for text in title_lines])
    if title is None:
        raise InputError(name, f"{where}no title under the page line {current[0]!r}")
    body_lines = [fix(line) for line in lines[index:end] if line and not is_ui_line(line) and not is_page_list(line)]
    body = read_body(body_lines, options.plain_body)
    section = current[1] or page[1]
    paper = options.paper or paper_name(paper)
    if not paper:
        raise InputError(name, f"{where}no paper named above the date: pass --paper")
    return _issue(paper, options.date or date, page[0], section, (kicker, title, subtitle), body, None)


def _issue(
    paper: str,
    date: dt.date,
    label: str,
    section: str | None,
    deck: tuple[str | None, str | None, str | None],
    body: Body,
    site: str | None,
) -> Issue:
    """One page's article as an issue."""
    kicker, title, subtitle = deck
    assert title is not None
    article = Article(
        title=title,
        id=article_id(paper, date, label, title, body.blocks),
        kicker=kicker,
        subtitle=subtitle,
        byline=body.byline,
        authors=body.authors,
        dateline=body.dateline,
        body=body.blocks,
        editors=body.editors,
        source=Source(sha256="", reader=site),
        continued_from=body.continued_from,
        continued_to=body.continued_to,
    )
    return Issue(paper=paper, date=date, pages=[Page(label=label, section=section, articles=[article])])
