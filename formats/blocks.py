"""Body lines told apart: paragraphs, sub-headings, picture captions, and verse or rows (one text block a line).

A sub-heading stands alone between prose: a short line with no sentence-ending punctuation, followed by more of
the article. Two or more such lines in a row are the lines of a poem or the rows of a list of figures, so each
stays a paragraph, unless they are an outline whose numbering goes a level deeper at each line (一、 then （一）).
"""

from __future__ import annotations

import itertools
import re

from epaper_cli.formats.credits import parse_byline, unwrap
from epaper_cli.formats.spacing import has_cjk
from epaper_cli.model import Block, Caption, Heading, Text

SENTENCE_END = frozenset("。！？!?…；;：:，,、.")
"""Characters that end a sentence or a clause: a line ending in one is prose, never a heading or a name."""
_CLOSERS = "”’\"'）)】」』》〉 "
_HEADING_MAX = 30
_NUMBERED_HEADING_MAX = 40
_ENGLISH_HEADING_MAX = 80
_ENGLISH_HEADING_WORDS = 12

_CHINESE_DIGITS = frozenset("一二三四五六七八九十")
_CAPITAL_DIGITS = frozenset("壹贰叁肆伍陆柒捌玖拾")
_DIGITS = frozenset("0123456789")
_ENUMERATION = frozenset("、.．")
_OPENING = frozenset("（(")
_CLOSING = frozenset("）)")
_BRACKETED = re.compile(r"^[（(]([^（）()]{1,30})[）)]$")
_CAPTION_START = re.compile(
    r"^(?:[▲△▼▽]|[图圖][为為]|(?:上|下|左|右|本)[图圖][：:为為]|[图圖][①-⑩0-9一二三四五六七八九十]+)"
)
# The credit patterns are kept as text: `re` compiles each when a line first ends the way its credit does.
_CAPTION_CREDIT = (
    r"[（(][^（）()]{0,30}(?:[摄攝]|[摄攝]影|供[图圖]|提供|资料[图圖]片?|資料[图圖]片?|[图圖]片来源[^（）()]*|"
    r"[^（）()\s]{1,8}社发|[^（）()\s]{1,8}社發)[）)]$"
)
_AGENCY_CREDIT = r"(?:^|[。！？.!?\s])[^\s，。（(]{0,8}?社[发發](?:\s*[（(][^（）()]{1,20}[）)])?$"
"""A picture from an agency: 新华社发, 中新社发（王五 摄）."""
_ENGLISH_CREDIT = r"(?i)[(\[](?:photos?|photograph|file photo|image)\b[^()\[\]]{0,40}[)\]]$"
_NAME_SLASH_PAPER = (
    r"(?:^|[.!?”’\"] )(?:[A-ZÀ-Þ][\w'.-]*(?: [A-ZÀ-Þ][\w'.-]*){0,3}) ?/ ?(?:[A-Z][\w&'.-]*(?: [A-Z][\w&'.-]*){0,3})$"
)
"""An English picture credit: `WANG JING / CHINA DAILY` after the caption's last sentence."""
_CREDIT_WORDS = 5
_CLOSING_BRACKETS = frozenset("）)]")


def blocks(paragraphs: list[str]) -> list[Block]:
    """Tell captions, sub-headings and paragraphs apart; runs of short unpunctuated lines stay paragraphs."""
    found: list[Block] = []
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        if _is_caption(paragraph):
            found.append(Caption(paragraph))
            index += 1
            continue
        if not _is_short_line(paragraph):
            found.append(Text(paragraph))
            index += 1
            continue
        end = index + 1
        while end < len(paragraphs) and _is_short_line(paragraphs[end]) and not _is_caption(paragraphs[end]):
            end += 1
        run = paragraphs[index:end]
        headings = end < len(paragraphs) and (len(run) == 1 or _is_outline(run))
        found += [Heading(line) if headings else Text(line) for line in run]
        index = end
    return found


def _is_short_line(paragraph: str) -> bool:
    """A line that may be a sub-heading: short, with no sentence-ending punctuation, not a bracketed note."""
    core = paragraph.rstrip(_CLOSERS)
    if not core or core[-1] in SENTENCE_END or _BRACKETED.match(paragraph):
        return False
    if has_cjk(paragraph):
        return len(paragraph) <= (_NUMBERED_HEADING_MAX if _level(paragraph) is not None else _HEADING_MAX)
    return len(paragraph) <= _ENGLISH_HEADING_MAX and len(paragraph.split()) <= _ENGLISH_HEADING_WORDS


def _is_outline(run: list[str]) -> bool:
    """Several headings in a row: each numbered, each a level deeper than the one before (一、 then （一）)."""
    levels = [_level(line) for line in run]
    return all(level is not None for level in levels) and all(
        a is not None and b is not None and a < b for a, b in itertools.pairwise(levels)
    )


def _level(line: str) -> int | None:
    """The numbering level of a numbered heading: 0 for 第一章 and 一、, 1 for （一）, 2 for 1., 3 for （1） and ①.

    Read without a regular expression: a class of scattered ideographs costs a millisecond to compile.
    """
    first = line[:1]
    if first == "第":
        count = _run(line, 1, _CHINESE_DIGITS, 3)
        return 0 if count and line[1 + count : 2 + count] in ("章", "节", "部", "篇") else None
    if first in _CHINESE_DIGITS or first in _CAPITAL_DIGITS:
        chinese = first in _CHINESE_DIGITS
        count = _run(line, 0, _CHINESE_DIGITS if chinese else _CAPITAL_DIGITS, 3 if chinese else 2)
        return 0 if count and line[count : count + 1] in _ENUMERATION else None
    if first in _OPENING:
        for digits, level in ((_CHINESE_DIGITS, 1), (_DIGITS, 3)):
            count = _run(line, 1, digits, 3 if level == 1 else 2)
            if count and line[1 + count : 2 + count] in _CLOSING:
                return level
        return None
    if first in _DIGITS:
        count = _run(line, 0, _DIGITS, 2)
        following = line[count + 1 : count + 2]
        return 2 if line[count : count + 1] in _ENUMERATION and following not in _DIGITS else None
    return 3 if first and "①" <= first <= "⑳" else None


def _run(line: str, start: int, members: frozenset[str], most: int) -> int:
    """How many characters from `start` on belong to `members`, when that is 1 to `most` of them; else 0."""
    count = 0
    while start + count < len(line) and line[start + count] in members:
        count += 1
    return count if count <= most else 0


def _is_caption(paragraph: str) -> bool:
    """A picture caption: it opens like one (图为, ▲) or ends in a photo credit (新华社记者 周牧摄, （记者 X 摄）,
    新华社发, WANG JING / CHINA DAILY)."""
    if _CAPTION_START.match(paragraph):
        return True
    # Each credit ends the line with its own kind of character: look at that one before searching the line.
    last = paragraph[-1]
    if last in _CLOSING_BRACKETS:
        return bool(re.search(_CAPTION_CREDIT, paragraph) or re.search(_ENGLISH_CREDIT, paragraph))
    if last in "发發":
        return re.search(_AGENCY_CREDIT, paragraph) is not None
    if last.isascii():
        return last.isalpha() and "/" in paragraph[-40:] and re.search(_NAME_SLASH_PAPER, paragraph) is not None
    if not paragraph.endswith(("摄", "摄影", "攝", "攝影")):
        return False
    words = unwrap(paragraph).split()
    for size in range(1, min(_CREDIT_WORDS, len(words)) + 1):
        if parse_byline(" ".join(words[-size:])) is not None:
            return True
    return False
