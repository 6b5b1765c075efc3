"""Chinese typesetting for the PDF writer: line breaking, justification and page make-up, without reportlab.

reportlab's own CJK wrap lets `，；：？！”` start a line and leaves opening brackets at line ends, and its
justification stretches only spaces; this module breaks lines the way Chinese books do (kinsoku, Latin words
whole), spreads each line's slack between its characters, and places the lines on sheets (no lone line of a
paragraph at a page's foot or head), so the PDF writer only has to draw what it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, Protocol

Kind = Literal["cjk", "word", "space"]
Align = Literal["justify", "left", "center", "right"]
Role = Literal["body", "head"]
Measure = Callable[[str], float]

NO_LINE_START = frozenset(
    "，。、；：？！”’）》〉】』」〕〗］｝…‥·・〃々〻ー～％‰℃°ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.;:?!)]}"
)
"""Closing punctuation and small kana: they stay on the line of the character before them."""

NO_LINE_END = frozenset("“‘（《〈【『「〔〖［｛([{")
"""Opening punctuation: it moves to the next line with the character after it."""

INSEPARABLE = frozenset("—…")
"""The two halves of a 破折号 —— or 省略号 …… are never split across lines."""

_CJK_RANGES = (
    (0x2E80, 0x9FFF),  # radicals, CJK symbols and punctuation, kana, bopomofo, Ext A, unified ideographs
    (0xA960, 0xA97F),
    (0xAC00, 0xD7AF),  # hangul
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),  # supplementary ideographs
)
_CJK_PUNCTUATION = frozenset("“”‘’…—·")


class Unit(NamedTuple):
    """The smallest thing a line is made of: one CJK character, one Latin word or number, or a space.

    A named tuple, not a dataclass: a 128-article issue makes hundreds of thousands of them.
    """

    text: str
    kind: Kind


def is_cjk(char: str) -> bool:
    """CJK characters may be broken between, and take part in inter-character justification."""
    return _CJK_CHAR.match(char) is not None


def is_invisible(char: str) -> bool:
    """Zero-width and format characters need no glyph and take no room on the line."""
    return _INVISIBLE.match(char) is not None


_CJK_CLASS = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _CJK_RANGES) + "".join(_CJK_PUNCTUATION)
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]"
)
_TOKEN = re.compile(rf"(?P<space>[^\S\u00a0\u3000])|(?P<cjk>[{_CJK_CLASS}]+)|(?P<word>(?:[^\s{_CJK_CLASS}]|\u00a0)+)")


def tokenize(text: str) -> list[Unit]:
    """Split text into units: Latin words and numbers stay whole so they are never broken."""
    units: list[Unit] = []
    append = units.append
    for match in _TOKEN.finditer(_INVISIBLE.sub("", text)):
        kind = match.lastgroup
        piece = match.group()
        if kind == "space":
            append(Unit(" ", "space"))
        elif kind == "cjk":
            units.extend([Unit(char, "cjk") for char in piece])
        else:
            append(Unit(piece, "word"))
    return units


def glue(units: Sequence[Unit]) -> list[list[Unit]]:
    """Group units into boxes no line break may enter: closing marks join the box before, opening the one after."""
    boxes: list[list[Unit]] = []
    opening: list[Unit] = []
    for unit in units:
        if unit.kind == "space":
            if opening:
                boxes.append(opening)
                opening = []
            boxes.append([unit])
            continue
        last = boxes[-1] if boxes else None
        joins_previous = unit.text[0] in NO_LINE_START or (
            unit.text in INSEPARABLE and last is not None and last[-1].text == unit.text
        )
        if joins_previous and not opening and last is not None and last[0].kind != "space":
            last.append(unit)
            continue
        box = [*opening, unit]
        opening = []
        if (unit.kind == "cjk" and unit.text in NO_LINE_END) or (unit.kind == "word" and unit.text[-1] in NO_LINE_END):
            opening = box
        else:
            boxes.append(box)
    if opening:
        boxes.append(opening)
    return boxes


def _split_long(unit: Unit, measure: Measure, width: float) -> list[Unit]:
    """Cut a word longer than a whole line (a URL, say) into pieces that fit: the last resort."""
    pieces: list[Unit] = []
    current = ""
    for char in unit.text:
        if current and measure(current + char) > width:
            pieces.append(Unit(current, "word"))
            current = ""
        current += char
    if current:
        pieces.append(Unit(current, "word"))
    return pieces


def wrap(units: Sequence[Unit], measure: Measure, first: float, rest: float) -> list[list[Unit]]:
    """Fill lines greedily (first line `first` wide, the others `rest`), breaking only where the rules allow.

    Nothing overflows the measure: a box wider than a whole line (sixty …, say) is broken between its
    characters, and a word wider than a line is cut, as the last resorts.
    """
    widths: dict[str, float] = {}

    def width_of(unit: Unit) -> float:
        found = widths.get(unit.text)
        if found is None:
            found = widths[unit.text] = measure(unit.text)
        return found

    lines: list[list[Unit]] = []
    line: list[Unit] = []
    used = 0.0
    limit = first
    widest = max(first, rest) + 1e-6
    boxes = glue(units)
    boxes.reverse()
    while boxes:
        box = boxes.pop()
        if box[0].kind == "space":
            if line:
                line.append(box[0])
                used += width_of(box[0])
            continue
        box_width = width_of(box[0]) if len(box) == 1 else sum(map(width_of, box))
        if box_width > widest and len(box) > 1:
            boxes.extend([unit] for unit in reversed(box))
            continue
        if used + box_width > limit + 1e-6 and any(unit.kind != "space" for unit in line):
            lines.append(_strip(line))
            line, used, limit = [], 0.0, rest
        if not line and box_width > limit + 1e-6 and box[0].kind == "word":
            pieces = _split_long(box[0], measure, limit)
            for piece in pieces[:-1]:
                lines.append([piece])
                limit = rest
            box = pieces[-1:]
            box_width = width_of(box[0])
        line.extend(box)
        used += box_width
    if any(unit.kind != "space" for unit in line):
        lines.append(_strip(line))
    return lines


def _strip(line: list[Unit]) -> list[Unit]:
    """Spaces at either end of a line are the break itself, not content."""
    start, end = 0, len(line)
    while start < end and line[start].kind == "space":
        start += 1
    while end > start and line[end - 1].kind == "space":
        end -= 1
    return line[start:end]


def break_text(text: str, measure: Measure, first: float, rest: float | None = None) -> list[str]:
    """Break a paragraph into line strings; the simple interface the tests and callers without fonts use."""
    lines = wrap(tokenize(text), measure, first, first if rest is None else rest)
    return ["".join(unit.text for unit in line) for line in lines]


class Fonts(Protocol):
    """What setting a line needs to know about fonts: each character's font, widths, the space width."""

    space: float

    @property
    def glyphs(self) -> Mapping[str, tuple[str, float]]:
        """Each character's font name and width per point of size."""
        ...

    def width(self, text: str, size: float) -> float:
        """The natural width of a text at a size."""
        ...

    def pieces(self, text: str) -> list[tuple[str, str]]:
        """The text split into (font, text) pieces."""
        ...


@dataclass
class Run:
    """A piece of a set line in one font, at x; CJK runs carry the justification gap as character spacing."""

    x: float
    text: str
    font: str
    char_space: float = 0.0


def unit_widths(units: Sequence[Unit], fonts: Fonts, size: float) -> list[float]:
    """Each unit's natural width: spaces are not drawn, so they take the main font's space width."""
    space, width = fonts.space * size, fonts.width
    return [space if unit.kind == "space" else width(unit.text, size) for unit in units]


def justify(widths: Sequence[float], size: float, room: float, align: Align) -> tuple[float, float]:
    """Where a line starts within its room, and the gap after each unit: justification spreads the slack
    evenly between characters (and words), as Chinese typesetting does, not only over spaces."""
    slack = room - sum(widths)
    if align == "justify":
        gap = slack / (len(widths) - 1) if len(widths) > 1 and slack > 0 else 0.0
        return 0.0, gap if gap <= size else 0.0  # a line too loose to justify is left ragged
    if align == "left":
        return 0.0, 0.0
    return max(slack, 0.0) / (2 if align == "center" else 1), 0.0


def place(units: Sequence[Unit], widths: Sequence[float], fonts: Fonts, size: float, x: float, gap: float) -> list[Run]:
    """Turn a line's units into runs from x with `gap` after each unit; spaces are gaps, not glyphs."""
    runs: list[Run] = []
    open_run = False
    glyphs = fonts.glyphs
    for unit, width in zip(units, widths, strict=True):
        if unit.kind == "cjk":
            found = glyphs.get(unit.text)
            font = found[0] if found else ""
            if open_run and runs[-1].font == font:
                runs[-1].text += unit.text
            elif font:
                runs.append(Run(x, unit.text, font, gap))
            open_run = bool(font)
        else:
            open_run = False
            piece_x = x
            for font, piece in fonts.pieces(unit.text) if unit.kind == "word" else ():
                runs.append(Run(piece_x, piece, font))
                piece_x += fonts.width(piece, size)
        x += width + gap
    return runs


# -- page make-up: lines onto sheets, before anything is drawn ---------------------------------------


@dataclass(frozen=True)
class Style:
    """How one kind of line is set: font role, size, leading, first-line indent (in em), alignment, spacing."""

    role: Role
    size: float
    leading: float
    indent: float = 0.0
    align: Align = "justify"
    before: float = 0.0
    after: float = 0.0
    gray: float = 0.0


@dataclass
class TextLine:
    """One set line of text at its baseline."""

    y: float
    size: float
    gray: float
    runs: list[Run]


@dataclass
class Rule:
    """A horizontal rule across the measure."""

    x1: float
    x2: float
    y: float
    width: float = 0.5


@dataclass
class Mark:
    """A bookmark: a named destination at y, and its entry in the outline."""

    key: str
    y: float
    title: str
    level: int


@dataclass
class PageRef:
    """The PDF page number of a bookmark, right-aligned at x, with a link over the whole contents entry."""

    key: str
    x: float
    y: float
    size: float
    link: tuple[float, float, float, float]
    leader: float


Op = TextLine | Rule | Mark | PageRef


@dataclass
class Sheet:
    """One PDF page: its running header (None on title pages) and what is drawn on it."""

    header: str | None
    ops: list[Op] = field(default_factory=list)


class Layout:
    """Places lines on sheets top to bottom, breaking pages and keeping headings with what follows."""

    def __init__(self, size: tuple[float, float], body: float, sets: Mapping[Role, Fonts]) -> None:
        self.page_width, self.page_height = size
        self.body = body
        small = self.page_width < 500
        measure = (self.page_width - (2 * 42.5 if small else 2 * 70.9)) // body * body
        self.left = (self.page_width - measure) / 2
        self.measure = measure
        self.top = self.page_height - (56 if small else 76)
        self.bottom = 48 if small else 64
        self.sets = sets
        self.sheets: list[Sheet] = []
        self.y = self.top

    def new_sheet(self, header: str | None) -> None:
        """Start a PDF page."""
        self.sheets.append(Sheet(header))
        self.y = self.top

    def room(self) -> float:
        """Height left on the current sheet."""
        return self.y - self.bottom

    def need(self, height: float) -> None:
        """Start a new sheet unless `height` still fits on this one."""
        if height > self.room() and self.y < self.top:
            self.new_sheet(self.sheets[-1].header)

    def lines(self, text: str, style: Style) -> list[list[Unit]]:
        """Break a text into lines for a style."""
        fs = self.sets[style.role]
        indent = style.indent * style.size
        return wrap(tokenize(text), lambda t: fs.width(t, style.size), self.measure - indent, self.measure)

    def text_height(self, text: str, style: Style) -> float:
        """The height a text takes in a style, spacing included."""
        return style.before + len(self.lines(text, style)) * style.leading + style.after

    def paragraph(self, text: str, style: Style) -> None:
        """Set a paragraph, never leaving one line of it alone at the foot or the head of a sheet."""
        lines = self.lines(text, style)
        if self.y < self.top:
            self.y -= min(style.before, max(0.0, self.room()))
        done = 0
        while done < len(lines):
            left = len(lines) - done
            fits = min(int(self.room() // style.leading), left)
            if fits < left:
                if self.y < self.top and (fits < 2 or (left - fits == 1 and fits < 3)):
                    self.new_sheet(self.sheets[-1].header)  # an orphan, or a widow only a new sheet avoids
                    continue
                if left - fits == 1 and fits >= 3:
                    fits -= 1  # take one more line over so the last is not alone
            for number in range(done, done + max(fits, 1)):
                self.set_line(lines[number], style, first=number == 0, last=number == len(lines) - 1)
            done += max(fits, 1)
            if done < len(lines):
                self.new_sheet(self.sheets[-1].header)
        self.y -= style.after

    def set_line(self, units: list[Unit], style: Style, *, first: bool, last: bool) -> None:
        """Position one line's runs at the next baseline, justified or aligned as the style says."""
        fs, size = self.sets[style.role], style.size
        indent = style.indent * size if first else 0.0
        align = "left" if last and style.align == "justify" else style.align
        widths = unit_widths(units, fs, size)
        offset, gap = justify(widths, size, self.measure - indent, align)
        baseline = self.y - style.leading / 2 - 0.36 * size
        runs = place(units, widths, fs, size, self.left + indent + offset, gap)
        self.sheets[-1].ops.append(TextLine(baseline, size, style.gray, runs))
        self.y -= style.leading

    def rule(self, width: float = 0.5, space: float = 6.0) -> None:
        """A full-measure rule with a little room above and below."""
        self.y -= space
        self.sheets[-1].ops.append(Rule(self.left, self.left + self.measure, self.y, width))
        self.y -= space

    def mark(self, key: str, title: str, level: int) -> None:
        """A bookmark at the current position."""
        self.sheets[-1].ops.append(Mark(key, min(self.y + 4, self.page_height), title, level))
