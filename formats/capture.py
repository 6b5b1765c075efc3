"""Read text copied out of digital-newspaper reader apps (电子报): header, labels, title block and body."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from epaper_cli.errors import InputError
from epaper_cli.formats import ReadOptions
from epaper_cli.formats.body import SENTENCE_END, read_body
from epaper_cli.formats.credits import parse_editors
from epaper_cli.formats.issuedates import (
    full_date,
    has_year,
    infer_year,
    is_read_date,
    is_weekday,
    make_date,
    month_day,
)
from epaper_cli.formats.pagelabels import page_label
from epaper_cli.formats.punctuation import fullwidth_lines
from epaper_cli.formats.spacing import clean_line, clean_lines, has_cjk
from epaper_cli.formats.titleblock import split_title
from epaper_cli.model import Article, Issue, Page, Source, article_id


class SkippedCapture(UserWarning):
    """A capture with no article (only a credit line, or an advertisement): skipped rather than failed."""


class EarlierYear(UserWarning):
    """A month-day date taken as one of the year before the read date (02-29 read on 2025-03-01): right, but
    worth a look."""


_NEW_YEAR_DAYS = 31
"""A date of the year before at most this many days before the read date (12-31 read on 01-02) is no surprise."""


_LABEL_NAMES = (
    *("当前报纸名称", "报纸名称", "出版日期", "日期", "字号", "版面", "版次"),
    *("當前報紙名稱", "報紙名稱", "字號"),
)
"""Label names, simplified and traditional (Hong Kong, Taiwan and Macau papers' apps)."""
# Label names may carry a layout space between their characters (日 期：08-26).
_LABEL = re.compile(rf"^({'|'.join(' ?'.join(name) for name in _LABEL_NAMES)})\s*[:：]\s*(.*)$")
_PAPER_LABELS = frozenset({"当前报纸名称", "报纸名称", "當前報紙名稱", "報紙名稱"})
_DATE_LABELS = frozenset({"出版日期", "日期"})
_PAGE_LABELS = frozenset({"版面", "版次"})
_NAVIGATION = re.compile(r"^(?:上一[篇版页頁]|下一[篇版页頁]|\s)+$")
_LATIN = re.compile(r"[A-Za-z]")
_HEADER_KINDS = frozenset({"paper", "read", "weekday"})
_HEADER_LINE_MAX = 40
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_WEEKDAY_MAX = 10
_APP_NAME_MAX = 24

_ADVERT = re.compile(
    r"^(?:[广廣]\s*告|公益[广廣]告|分[类類][广廣]告|[广廣]告[专專]版|advertisement|advertising)$", re.IGNORECASE
)


@dataclass
class _Header:
    """What the header block says: the reader app, the day it was read, and the paper."""

    app: str | None = None
    read_on: dt.date | None = None
    paper: str | None = None


@dataclass
class _Labels:
    """The label lines under the title: 日期 and 版面 values as written."""

    date: str | None = None
    page: str | None = None


def looks_like(text: str) -> bool:
    """Any text may be a capture: this reader is the last one tried, and says why when it finds none."""
    return True


def read(text: str, name: str, options: ReadOptions) -> list[Issue]:
    """Read every capture pasted into one file, each into an issue with one page and one article."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    lines = clean_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    starts = _capture_starts(lines, name)
    bounds = list(zip(starts, [*starts[1:], len(lines)], strict=True))
    issues: list[Issue] = []
    for number, (start, end) in enumerate(bounds, 1):
        where = f"capture {number}: " if len(bounds) > 1 else ""
        issue = _read_capture(lines[start:end], name, where, options)
        if issue is not None:
            issues.append(issue)
    return issues


# --- where captures start --------------------------------------------------------------------------------------


def _header_kind(line: str) -> str | None:
    """Classify a line for the header block: blank, paper, read date, weekday, or None for anything else."""
    if not line:
        return "blank"
    if len(line) > _HEADER_LINE_MAX:
        return None
    label = _label(line)
    if label:
        return "paper" if label[0] in _PAPER_LABELS else None
    # Cheap guards first: this runs on every line, and a read date starts with a digit, a weekday is short.
    if line[0] in _DIGITS and is_read_date(line):
        return "read"
    return "weekday" if len(line) <= _WEEKDAY_MAX and is_weekday(line) else None


def _capture_starts(lines: list[str], name: str) -> list[int]:
    """Find where each pasted capture begins: at its header block, counting the app-name line above it."""
    kinds = [
        _header_kind(line) if line and len(line) <= _HEADER_LINE_MAX else None if line else "blank" for line in lines
    ]
    content = [i for i, kind in enumerate(kinds) if kind != "blank"]
    if not content:
        raise InputError(name, "empty file")
    starts: list[int] = []
    apps: set[str] = set()
    for first, members in _header_clusters(kinds):
        app = _app_line_before(lines, kinds, first, members, content[0], apps)
        if app is not None:
            apps.add(lines[app])
            first = app
        if not starts or first > starts[-1]:
            starts.append(first)
    if not starts or content[0] < starts[0]:
        preamble = lines[content[0] : starts[0]] if starts else lines
        if any(_is_label(line) for line in preamble):
            starts.insert(0, content[0])
        elif not starts:
            raise InputError(
                name, "no capture found: expected reader-app text with 当前报纸名称, 日期 and 版面 lines, or a web page"
            )
        else:
            warnings.warn(f"{name}: text before the first capture ignored", SkippedCapture, stacklevel=3)
    return starts


def _header_clusters(kinds: list[str | None]) -> list[tuple[int, set[str]]]:
    """Group header lines (blank lines allowed between) into blocks that name a paper or a read date and day."""
    clusters: list[tuple[int, set[str]]] = []
    first = -1
    members: set[str] = set()
    for index, kind in enumerate(kinds):
        if kind == "blank":
            continue
        if kind in _HEADER_KINDS and kind is not None and kind not in members and "paper" not in members:
            if not members:
                first = index
            members.add(kind)
            continue
        if _is_header_block(members):
            clusters.append((first, members))
        members = {kind} if kind in _HEADER_KINDS and kind is not None else set()
        first = index
    if _is_header_block(members):
        clusters.append((first, members))
    return clusters


def _is_header_block(members: set[str]) -> bool:
    """A header block names the paper, or gives both the read date and its weekday."""
    return "paper" in members or {"read", "weekday"} <= members


def _app_line_before(
    lines: list[str], kinds: list[str | None], first: int, members: set[str], first_content: int, apps: set[str]
) -> int | None:
    """The reader app's name line just above a header block, when that line can only be one."""
    above = next((i for i in range(first - 1, -1, -1) if kinds[i] != "blank"), None)
    if above is None or kinds[above] is not None or not _looks_like_app(lines[above]):
        return None
    if above == first_content or members & {"read", "weekday"} or lines[above] in apps:
        return above
    return None


def _looks_like_app(line: str) -> bool:
    """An app name is a short label, not a sentence, a label line or a credit."""
    return (
        len(line) <= _APP_NAME_MAX
        and line[-1] not in SENTENCE_END
        and not _is_label(line)
        and parse_editors(line) is None
    )


def _is_label(line: str) -> bool:
    """A 日期/字号/版面 label line (not the paper's name, which belongs to the header)."""
    label = _label(line)
    return label is not None and label[0] not in _PAPER_LABELS


def _label(line: str) -> tuple[str, str] | None:
    """A label line's name without layout spaces, and its value."""
    match = _LABEL.match(line)
    return (match[1].replace(" ", ""), match[2]) if match else None


# --- one capture -----------------------------------------------------------------------------------------------


def _read_capture(lines: list[str], name: str, where: str, options: ReadOptions) -> Issue | None:
    """Read one capture into an issue; None for a credit-only or advertisement capture."""
    fix = _punctuation(options)
    header, index = _read_header(lines)
    title_lines, labels, body_start = _read_title_and_labels(lines, index)
    kicker, title, subtitle = split_title(fix(title_lines))
    if title is None:
        raise InputError(name, f"{where}no title in the capture")
    if _ADVERT.match(title) or parse_editors(title) is not None:
        warnings.warn(f"{name}: {where}no article ({title}): skipped", SkippedCapture, stacklevel=4)
        return None
    paper = options.paper or header.paper
    if not paper:
        raise InputError(name, f"{where}no 当前报纸名称 line in the capture: pass --paper")
    date = _issue_date(labels.date, header.read_on, options, name, where)
    page = page_label(labels.page) if labels.page is not None else None
    if page is None:
        what = "no 版面 line" if labels.page is None else f"cannot read the page in 版面 line {labels.page!r}"
        raise InputError(name, f"{where}{what}: expected e.g. 版面:03版:要闻")
    paragraphs = fix([line for line in lines[body_start:] if line and not _NAVIGATION.match(line)])
    body = read_body(paragraphs, options.plain_body)
    article = Article(
        title=title,
        id=article_id(paper, date, page[0], title, body.blocks),
        kicker=kicker,
        subtitle=subtitle,
        byline=body.byline,
        authors=body.authors,
        dateline=body.dateline,
        body=body.blocks,
        editors=body.editors,
        continued_from=body.continued_from,
        continued_to=body.continued_to,
        source=Source(sha256="", reader=header.app, read_on=header.read_on),
    )
    return Issue(paper=paper, date=date, pages=[Page(label=page[0], section=page[1], articles=[article])])


def _punctuation(options: ReadOptions) -> Callable[[list[str]], list[str]]:
    """The punctuation pass the user asked for, over lines: full-width in Chinese text, or left as captured."""
    return (lambda lines: lines) if options.keep_punctuation else fullwidth_lines


def _read_header(lines: list[str]) -> tuple[_Header, int]:
    """Take the app name, read date, weekday and paper lines off the top of a capture."""
    header = _Header()
    seen: set[str] = set()
    index = 0
    while index < len(lines):
        line, kind = lines[index], _header_kind(lines[index])
        if kind == "blank":
            index += 1
            continue
        if kind is None or kind in seen:
            if seen or header.app is not None or not _header_follows(lines, index + 1):
                break
            header.app = line
        else:
            seen.add(kind)
            if kind == "read":
                header.read_on = full_date(line)
            elif kind == "paper":
                header.paper = _paper_name(_LABEL.sub(r"\2", line))
                return header, index + 1
        index += 1
    return header, index


def _paper_name(value: str) -> str | None:
    """The paper's name; a layout space inside a Chinese name (衢州 日报) is dropped, English names keep theirs."""
    value = clean_line(value)
    return (value.replace(" ", "") if has_cjk(value) and not _LATIN.search(value) else value) or None


def _header_follows(lines: list[str], index: int) -> bool:
    """Whether the next non-blank line belongs to the header, making the line above it the app name."""
    for line in lines[index:]:
        if line:
            return _header_kind(line) in _HEADER_KINDS
    return False


def _read_title_and_labels(lines: list[str], start: int) -> tuple[list[str], _Labels, int]:
    """Split the lines under the header into the title block, the label lines, and where the body starts."""
    first_label = next((i for i in range(start, len(lines)) if _is_label(lines[i])), None)
    if first_label is None:
        title = next((i for i in range(start, len(lines)) if lines[i]), None)
        return ([lines[title]], _Labels(), title + 1) if title is not None else ([], _Labels(), len(lines))
    labels = _Labels()
    index = first_label
    while index < len(lines):
        line = lines[index]
        label = _label(line)
        if label is not None and label[0] not in _PAPER_LABELS:
            if label[0] in _DATE_LABELS and labels.date is None:
                labels.date = label[1]
            elif label[0] in _PAGE_LABELS and labels.page is None:
                labels.page = label[1]
        elif line and not _NAVIGATION.match(line):
            break
        index += 1
    return [line for line in lines[start:first_label] if line], labels, index


def _issue_date(value: str | None, read_on: dt.date | None, options: ReadOptions, name: str, where: str) -> dt.date:
    """The issue's date: --date wins; a full date stands; a month-day takes its year from the read date or --year."""
    if options.date is not None:
        return options.date
    if value is None:
        raise InputError(name, f"{where}no 日期 line in the capture: pass --date YYYY-MM-DD")
    if has_year(value):
        date = full_date(value)
        if date is None:
            raise InputError(name, f"{where}impossible date {value!r} in the 日期 line: pass --date YYYY-MM-DD")
        return date
    parts = month_day(value)
    if parts is None:
        raise InputError(name, f"{where}cannot read the 日期 line {value!r}: expected MM-DD or YYYY-MM-DD")
    if read_on is not None:
        inferred = infer_year(read_on, *parts)
        if inferred is not None and inferred.year < read_on.year and (read_on - inferred).days > _NEW_YEAR_DAYS:
            warnings.warn(
                f"{name}: {where}日期 {value} read on {read_on.isoformat()} taken as {inferred.isoformat()}, "
                f"in the year before (pass --date to correct it)",
                EarlierYear,
                stacklevel=4,
            )
    elif options.year is not None:
        inferred = make_date(options.year, *parts)
    else:
        raise InputError(name, f"{where}no read date in the capture: pass --year or --date")
    if inferred is None:
        raise InputError(name, f"{where}impossible date {value!r} in the 日期 line: pass --date YYYY-MM-DD")
    return inferred
