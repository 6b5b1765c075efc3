"""An article's body taken apart: byline, dateline and editors out of the text; paragraphs, headings, captions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from epaper_cli.formats.credits import parse_byline, parse_editors, unwrap
from epaper_cli.formats.han import NON_ASCII_LETTER
from epaper_cli.formats.spacing import has_cjk
from epaper_cli.model import Block, Caption, Heading, Person, Text

SENTENCE_END = frozenset("。！？!?…；;：:，,、.")
"""Characters that end a sentence or a clause: a line ending in one is prose, never a heading or a name."""
_CLOSERS = "”’\"'）)】」』》〉 "
_HEADING_MAX = 30
_ENGLISH_HEADING_MAX = 80
_ENGLISH_HEADING_WORDS = 12

_DATELINE = re.compile(
    r"^(本报讯|"
    rf"(?:本报|新华社|中新社|{NON_ASCII_LETTER}{{2,8}}?(?:社|网|台|报))[^\s，。（(]{{0,12}}?"
    r"[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日[电讯]|"
    r"据[^\s，。（(]{2,12}?[电讯])"
    r"\s*(?:[（(]([^（）()]{1,40})[）)])?\s*(.*)$"
)
_ENGLISH_DATELINE = re.compile(
    r"^([A-Z][A-Z .'-]{2,30}(?:, [A-Z][a-z]{2,8}\.? [0-9]{1,2})?(?: \([^)]{1,30}\))?) ?(?:--|—|–) ?(.+)$"
)
_BRACKETED = re.compile(r"^[（(]([^（）()]{1,30})[）)]$")
_SOURCE_NOTE = re.compile(r"^(?:据|来源|综合|转载|摘编|摘自|新华社|中新社)|[电讯]$")
_CAPTION_START = re.compile(r"^(?:[▲△▼▽]|图为|(?:上|下|左|右|本)图[：:为]|图[①-⑩0-9一二三四五六七八九十]+)")
_CAPTION_CREDIT = re.compile(r"[（(][^（）()]{0,30}(?:摄|摄影|供图|提供|资料图片?|图片来源[^（）()]*)[）)]$")
_ENGLISH_CREDIT = re.compile(r"[(\[](?:photos?|photograph|file photo|image)\b[^()\[\]]{0,40}[)\]]$", re.IGNORECASE)
_CREDIT_WORDS = 5
_CLOSING_BRACKETS = ("）", ")", "]")


@dataclass
class Body:
    """An article body taken apart: credits and dateline separated from the blocks."""

    byline: str | None = None
    authors: list[Person] = field(default_factory=list)
    dateline: str | None = None
    blocks: list[Block] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)


def read_body(paragraphs: list[str]) -> Body:
    """Separate credits, byline and dateline from the paragraphs, then tell paragraphs, headings and captions apart."""
    body = Body()
    kept: list[str] = []
    for paragraph in paragraphs:
        editors = parse_editors(paragraph)
        if editors is None:
            kept.append(paragraph)
        else:
            body.editors.extend(editors)
    kept = _take_byline(kept, body)
    kept = _take_dateline(kept, body)
    kept = _take_closing_note(kept, body)
    body.blocks = [_block(paragraph) for paragraph in kept]
    return body


def _take_byline(paragraphs: list[str], body: Body) -> list[str]:
    """The byline: the first lines when they are made only of role words and names."""
    bylines: list[str] = []
    while paragraphs and len(bylines) < 2:
        byline = parse_byline(paragraphs[0])
        if byline is None:
            break
        bylines.append(byline[0])
        body.authors.extend(byline[1])
        paragraphs = paragraphs[1:]
    body.byline = " ".join(bylines) or None
    return paragraphs


def _take_dateline(paragraphs: list[str], body: Body) -> list[str]:
    """A dateline opening the first paragraph (本报讯, 新华社北京8月25日电（记者 X）); the rest stays a paragraph."""
    if not paragraphs:
        return paragraphs
    first = paragraphs[0]
    match = _DATELINE.match(first)
    if match is not None:
        dateline, credit, rest = match[1], match[2], match[3]
        byline = parse_byline(credit) if credit else None
        if byline is not None and body.byline is None:
            body.byline, body.authors = byline[0], byline[1]
        elif credit:
            dateline = f"{dateline}（{credit}）" if has_cjk(dateline) else f"{dateline} ({credit})"
    else:
        english = _ENGLISH_DATELINE.match(first)
        if english is None:
            return paragraphs
        dateline, rest = english[1], english[2]
    body.dateline = dateline
    rest = rest.strip()
    return [rest, *paragraphs[1:]] if rest else paragraphs[1:]


def _take_closing_note(paragraphs: list[str], body: Body) -> list[str]:
    """A bracketed last line: the byline (（记者 X）) or, when there is no other, the dateline (（据新华社）)."""
    if not paragraphs:
        return paragraphs
    match = _BRACKETED.match(paragraphs[-1])
    if match is None:
        return paragraphs
    note = match[1].strip()
    byline = parse_byline(note)
    if byline is not None and body.byline is None and not note.endswith("摄"):
        body.byline, body.authors = byline[0], byline[1]
        return paragraphs[:-1]
    if body.dateline is None and byline is None and _SOURCE_NOTE.search(note):
        body.dateline = note
        return paragraphs[:-1]
    return paragraphs


def _block(paragraph: str) -> Block:
    """One body line as a caption, a sub-heading or a paragraph."""
    if _is_caption(paragraph):
        return Caption(paragraph)
    return Heading(paragraph) if _is_heading(paragraph) else Text(paragraph)


def _is_caption(paragraph: str) -> bool:
    """A picture caption: it opens like one (图为, ▲) or ends in a photo credit (新华社记者 周牧摄, （记者 X 摄）)."""
    if _CAPTION_START.match(paragraph):
        return True
    # Both credit patterns end the line with a bracket: test that before searching the whole paragraph.
    if paragraph.endswith(_CLOSING_BRACKETS) and (
        _CAPTION_CREDIT.search(paragraph) or _ENGLISH_CREDIT.search(paragraph)
    ):
        return True
    if not paragraph.endswith(("摄", "摄影")):
        return False
    words = unwrap(paragraph).split()
    for size in range(1, min(_CREDIT_WORDS, len(words)) + 1):
        if parse_byline(" ".join(words[-size:])) is not None:
            return True
    return False


def _is_heading(paragraph: str) -> bool:
    """A sub-heading is a short line with no sentence-ending punctuation; bracketed notes are paragraphs."""
    if _BRACKETED.match(paragraph):
        return False
    core = paragraph.rstrip(_CLOSERS)
    if not core or core[-1] in SENTENCE_END:
        return False
    if has_cjk(paragraph):
        return len(paragraph) <= _HEADING_MAX
    return len(paragraph) <= _ENGLISH_HEADING_MAX and len(paragraph.split()) <= _ENGLISH_HEADING_WORDS
