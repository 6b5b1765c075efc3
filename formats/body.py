"""An article's body taken apart: the page furniture around the text (bylines, datelines, editor lines,
continuation markers, end marks) out of it, the rest into paragraphs, sub-headings and captions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from epaper_cli.formats.blocks import SENTENCE_END, blocks
from epaper_cli.formats.credits import is_chinese_name, parse_byline, parse_editors
from epaper_cli.formats.han import NON_ASCII_LETTER, simplified
from epaper_cli.formats.pagelabels import page_label
from epaper_cli.formats.spacing import has_cjk
from epaper_cli.model import Block, Person, Text

__all__ = ["SENTENCE_END", "Body", "opens_body", "read_body"]

_L = NON_ASCII_LETTER
_DATELINE = re.compile(
    r"(本报讯|"
    rf"{_L}{{2,10}}?(?:报讯|网讯|台讯|社讯)|"
    rf"(?:本报|新华社|中新社|{_L}{{2,8}}?(?:社|网|台|报))[^\s，。（(]{{0,12}}?"
    r"[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日(?:电|讯)|"
    r"据[^\s，。（(]{2,12}?(?:电|讯))"
)
"""A Chinese dateline opening the first paragraph: 本报讯, 江城日报讯, 新华社北京8月25日电 (matched through
`han.simplified`: 本報訊 too; a bracketed one, 【星島日報訊】, without its brackets)."""
_AFTER_DATELINE = re.compile(r"\s*(?:[（(]([^（）()]{1,40})[）)])?\s*(.*)$")
_DATELINE_BRACKETS = {"【": "】", "[": "]", "〔": "〕"}
_DATELINE_MAX = 40
"""A dateline is never longer: only so much of the paragraph is folded to simplified forms to match it."""
_ENGLISH_DATELINE = re.compile(
    r"^([A-Z][A-Z .'-]{2,30}(?:, [A-Z][a-z]{2,8}\.? [0-9]{1,2})?(?: \([^)]{1,30}\))?) ?(?:--|—|–) ?(.+)$"
)
_BRACKETED = re.compile(r"^[（(]([^（）()]{1,60})[）)]$")
# Patterns kept as text are for lines that are rare and tested first with a cheap look: `re` compiles them on
# their first use and keeps them, so a command that never meets such a line never pays for the compiling.
_INLINE_CREDIT = r"^([^：:，,。（(]{2,40}?)(?:报道|報道|報導|报导)?[：:，,]\s*(.*)$"
"""A byline set in the text after the dateline: 江城日报讯 记者林知远、通讯员郑宣报道：…"""
_REPORTED_FROM = (
    rf"^[〔［\[（(【]?\s*([记記]者[^／/〕］\]）)】。，]{{2,30}}?)\s*[／/]\s*({_L}{{2,8}}?(?:報導|報道|报道|报导))"
    r"\s*[〕］\]）)】]?\s*(.*)$"
)
"""Taiwan's byline and dateline in one: 記者鄭雅文／高雄報導."""
_ENGLISH_PLACE = r"^By .+? in ([A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3})$"
_EMAILS = r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+[\s,;]*)+$"
_CONTACT = r"(?i)^(?:contact|e-?mail|write to)\b[^@]{0,40}?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?$"
_NOTE_MAX = 30
"""A bracketed last line longer than this is a byline or a paragraph, never a source note."""
_AUTHOR_NOTE = (
    r"^[（(]\s*(作者(?:(单位|單位)?[：:]\s*([^，,；;（）()]{2,30}?))?\s*(?:(?:[，,；;]|(?=[系为為是])).{0,80}?)?)[）)]$"
)
"""An author's note: （作者：张晓岚，系江城大学教授）, （作者系…）, （作者单位：江城大学）."""
_SOURCE_NOTE = r"^(?:据|據|来源|來源|综合|綜合|转载|轉載|摘编|摘編|摘自|新华社|新華社|中新社)|[电讯電訊]$"
_SOURCE_WORD = ("来源", "來源")
_MARKER_PAGE = r"(?:第\s*)?([A-Za-z]{0,3}\s*[0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:版|面)?"
_CONTINUED = (
    rf"[（(]\s*(?:(下[转轉]|[转轉]至?|[续續]见|[续續]見)|(上接|[紧緊]接|接|承))\s*{_MARKER_PAGE}\s*[）)]|"
    r"\(?\s*(?i:continued|cont'd)\s+(?:(on)|(from))\s+(?i:page)\s+([A-Z]?[0-9]{1,3})\s*\)?"
)
_CONTINUED_AT_END = rf"\s*(?:{_CONTINUED})\s*$"
_CONTINUED_AT_START = rf"^\s*(?:{_CONTINUED})\s*"
_MARKER_SPAN = 28
"""Characters at either end of a paragraph where a continuation marker is looked for."""
_MARKER_OPENERS = frozenset("（(Cc")
_REPORTED_OPENERS = frozenset("〔［[（(【記记")
_MARKER_CLOSERS = frozenset("）)")
_END_MARK = r"^(?:[（(]\s*(?:完|全文完|(?i:END))\s*[）)]|[—-]{1,2}\s*完\s*[—-]{1,2})$"
_TRAILING_END_MARK = r"\s*[（(](?:完|全文完)[）)]$"
_END_MARK_LAST = frozenset("）)—-")
_PHOTO_CREDIT_END = ("摄", "攝", "摄影", "攝影")


@dataclass
class Body:
    """An article body taken apart: credits, dateline and continuation pages separated from the blocks."""

    byline: str | None = None
    authors: list[Person] = field(default_factory=list)
    dateline: str | None = None
    blocks: list[Block] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)
    continued_from: str | None = None
    continued_to: str | None = None

    def add_byline(self, text: str, people: list[Person]) -> None:
        """Take a byline, or add a second credit (an author's note) to the one already taken."""
        if self.byline is None:
            self.byline = text
        else:
            self.byline += f"（{text}）" if has_cjk(text) else f" {text}"
        names = {person.name for person in self.authors}
        self.authors += [person for person in people if person.name not in names]


def read_body(paragraphs: list[str], plain: bool = False) -> Body:
    """Separate the furniture from the paragraphs, then tell paragraphs, headings and captions apart."""
    body = Body()
    if plain:
        body.blocks = [Text(paragraph) for paragraph in paragraphs]
        return body
    kept: list[str] = []
    for paragraph in paragraphs:
        editors = parse_editors(paragraph)
        if editors is None:
            kept.append(paragraph)
        else:
            body.editors.extend(editors)
    kept = _take_continuations(kept, body)
    kept = _take_byline(kept, body)
    kept = _take_dateline(kept, body)
    kept = _take_closing_notes(kept, body)
    body.blocks = blocks(kept)
    return body


def opens_body(line: str) -> bool:
    """Whether a line can only be the start of an article's body: a byline, or a dateline with its credit."""
    return parse_byline(line) is not None or _reported_from(line) is not None or _chinese_dateline(line) is not None


def _reported_from(line: str) -> re.Match[str] | None:
    """`記者鄭雅文／高雄報導`, bracketed or not, at the start of a line."""
    return re.match(_REPORTED_FROM, line) if line[:1] in _REPORTED_OPENERS else None


def _take_continuations(paragraphs: list[str], body: Body) -> list[str]:
    """`（下转第三版）` at the end of a paragraph and `（上接第一版）` at its start, or on a line of their own."""
    kept: list[str] = []
    for paragraph in paragraphs:
        # A marker is bracketed in Chinese and opens with Continued in English: look only where one can be.
        if paragraph[:1] in _MARKER_OPENERS:
            paragraph = _take_continuation(paragraph, True, body)
        if paragraph[-1:] in _MARKER_CLOSERS or "ontinue" in paragraph[-_MARKER_SPAN:]:
            paragraph = _take_continuation(paragraph, False, body)
        if paragraph:
            kept.append(paragraph)
    return kept


def _take_continuation(paragraph: str, at_start: bool, body: Body) -> str:
    """The paragraph without the marker at its start or end, noting the page it names."""
    span = paragraph[:_MARKER_SPAN] if at_start else paragraph[-_MARKER_SPAN:]
    match = re.search(_CONTINUED_AT_START if at_start else _CONTINUED_AT_END, span)
    if match is None:
        return paragraph
    onward, _back, number, on, _from, english_number = match.groups()
    page = page_label(f"{number or english_number}版")
    if page is None:
        return paragraph
    if onward or on:
        body.continued_to = body.continued_to or page[0]
    else:
        body.continued_from = body.continued_from or page[0]
    return paragraph[match.end() :] if at_start else paragraph[: len(paragraph) - len(span) + match.start()]


def _take_byline(paragraphs: list[str], body: Body) -> list[str]:
    """The byline: the first lines when they are only role words and names (an e-mail line and an author's note
    may follow); `By Jane Doe in Harbin` also gives the dateline."""
    lines = 0
    while paragraphs and lines < 2:
        first = paragraphs[0]
        byline = parse_byline(first)
        if byline is not None:
            body.byline = byline[0] if body.byline is None else f"{body.byline} {byline[0]}"
            body.authors.extend(byline[1])
            place = re.match(_ENGLISH_PLACE, byline[0]) if byline[0].startswith("By ") else None
            if place is not None and body.dateline is None:
                body.dateline = place[1]
            lines += 1
        elif body.byline is not None and "@" in first and re.match(_EMAILS, first):
            body.byline += f" {first}"
        elif (note := _author_note(first)) is not None:
            body.add_byline(*note)
        else:
            break
        paragraphs = paragraphs[1:]
    return paragraphs


def _take_dateline(paragraphs: list[str], body: Body) -> list[str]:
    """A dateline opening the first paragraph (本报讯, 新华社北京8月25日电（记者 X）), perhaps with the byline after it
    (江城日报讯 记者林知远报道：); the rest stays a paragraph."""
    if not paragraphs:
        return paragraphs
    first = paragraphs[0]
    found = _chinese_dateline(first)
    if found is not None:
        dateline, credit, rest = found
        byline = parse_byline(credit) if credit else None
        if byline is not None and body.byline is None:
            body.byline, body.authors = byline[0], byline[1]
        elif credit:
            dateline = f"{dateline}（{credit}）" if has_cjk(dateline) else f"{dateline} ({credit})"
        rest = _take_inline_credit(rest, body)
    elif (reported := _reported_from(first)) is not None and (byline := parse_byline(reported[1])) is not None:
        body.add_byline(*byline)
        dateline, rest = reported[2], reported[3]
    else:
        english = _ENGLISH_DATELINE.match(first)
        if english is None:
            return paragraphs
        dateline, rest = english[1], english[2]
    body.dateline = dateline
    rest = rest.strip()
    return [rest, *paragraphs[1:]] if rest else paragraphs[1:]


def _chinese_dateline(line: str) -> tuple[str, str | None, str] | None:
    """The dateline opening a paragraph, the credit bracketed after it, and the rest of the paragraph."""
    opening = line[:1]
    start = 1 if opening in _DATELINE_BRACKETS else 0
    while start < len(line) and line[start] == " ":
        start += 1
    match = _DATELINE.match(simplified(line[: start + _DATELINE_MAX]), start)
    if match is None:
        return None
    end = match.end()
    if start:
        after = line[end:].lstrip(" ")
        if after.startswith(_DATELINE_BRACKETS[opening]):
            end = len(line) - len(after) + 1
    after_match = _AFTER_DATELINE.match(line, end)
    assert after_match is not None  # it matches any text
    return line[match.start(1) : match.end(1)], after_match[1], after_match[2]


def _take_inline_credit(rest: str, body: Body) -> str:
    """`记者林知远、通讯员郑宣报道：` right after a dateline: the byline, out of the paragraph."""
    match = re.match(_INLINE_CREDIT, rest)
    if match is None:
        return rest
    byline = parse_byline(match[1])
    if byline is None:
        return rest
    body.add_byline(*byline)
    return match[2]


def _take_closing_notes(paragraphs: list[str], body: Body) -> list[str]:
    """The furniture at the end, last line first: end marks (（完）), a byline or an author's note, a source note,
    a repeat of the dateline, an e-mail to write to."""
    while paragraphs:
        last = paragraphs[-1]
        if last[-1] in _END_MARK_LAST and re.match(_END_MARK, last):
            paragraphs = paragraphs[:-1]
            continue
        if last.endswith(("完）", "完)")) and re.search(_TRAILING_END_MARK, last):
            rest = re.sub(_TRAILING_END_MARK, "", last)
            paragraphs = [*paragraphs[:-1], rest] if rest else paragraphs[:-1]
            continue
        if not _take_closing_note(last, body):
            break
        paragraphs = paragraphs[:-1]
    return paragraphs


def _take_closing_note(last: str, body: Body) -> bool:
    """Whether the last line is furniture, taken into the byline, authors or dateline (or dropped as a repeat)."""
    note = _author_note(last)
    if note is not None:
        body.add_byline(*note)
        return True
    bracketed = _BRACKETED.match(last)
    if bracketed is None:
        if body.byline is not None and "@" in last and (re.match(_CONTACT, last) or re.match(_EMAILS, last)):
            body.byline += f" {last}"
            return True
        byline = parse_byline(last) if body.byline is None and not last.endswith(_PHOTO_CREDIT_END) else None
        if byline is not None:
            body.byline, body.authors = byline[0], byline[1]
        return byline is not None
    note_text = bracketed[1].strip()
    byline = parse_byline(note_text)
    if byline is not None and body.byline is None and not note_text.endswith(_PHOTO_CREDIT_END):
        body.byline, body.authors = byline[0], byline[1]
        return True
    if byline is not None or len(note_text) > _NOTE_MAX or not re.search(_SOURCE_NOTE, note_text):
        return False
    if body.dateline is None:
        body.dateline = note_text
        return True
    return _same_dateline(note_text, body.dateline) or note_text.startswith(_SOURCE_WORD)


def _same_dateline(note: str, dateline: str) -> bool:
    """A bracketed last line that repeats the dateline (（新华社杭州8月25日电）, （据新华社杭州8月25日电）)."""
    note = note.lstrip("据據").replace(" ", "")
    dateline = dateline.lstrip("据據").replace(" ", "")
    return note == dateline or dateline.startswith(note)


def _author_note(line: str) -> tuple[str, list[Person]] | None:
    """`（作者：张晓岚，系江城大学教授）` or `（作者系江城大学教授）`: the note, and the authors it names."""
    if not line.startswith(("（", "(")) or "作者" not in line[:4]:
        return None
    match = re.match(_AUTHOR_NOTE, line)
    if match is None:
        return None
    names = re.split(r"[、\s]+", match[3].strip()) if match[3] and not match[2] else []
    if not all(is_chinese_name(name) for name in names):
        return None
    return match[1].strip(), [Person("作者", name) for name in names]
