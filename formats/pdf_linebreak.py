"""Chinese line breaking for the PDF writer: kinsoku, Latin words kept whole, justification, without reportlab.

reportlab's own CJK wrap lets `，；：？！”` start a line and leaves opening brackets at line ends, and its
justification stretches only spaces; this module breaks lines the way Chinese books do and spreads each
line's slack between its characters. Placing the lines on pages is `pdf_makeup`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal, Protocol

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


def is_cjk(char: str) -> bool:
    """CJK characters may be broken between, and take part in inter-character justification."""
    return bisect_right(_CJK_BOUNDS, ord(char)) % 2 == 1 or char in _CJK_PUNCTUATION


def is_invisible(char: str) -> bool:
    """Zero-width and format characters need no glyph and take no room on the line."""
    return _INVISIBLE.match(char) is not None


_CJK_BOUNDS = [bound for low, high in _CJK_RANGES for bound in (low, high + 1)]
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]"
)
_SPACE = re.compile(r"[^\S\u00a0\u3000]")


_CJK_CLASS = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _CJK_RANGES) + "".join(_CJK_PUNCTUATION)
_CJK_RUN = re.compile(f"([{_CJK_CLASS}]+)")
"""Runs of CJK characters: the only regular expression over the CJK ranges, which take long to compile."""


def _units(line: str) -> list[tuple[str, str, str]]:
    """A clean line's units as (space, CJK run, word), one of them set; each CJK character is a unit."""
    units: list[tuple[str, str, str]] = []
    for index, part in enumerate(_CJK_RUN.split(line)):
        if index % 2:
            units.append(("", part, ""))
        elif " " in part:
            for number, word in enumerate(part.split(" ")):
                if number:
                    units.append((" ", "", ""))
                if word:
                    units.append(("", "", word))
        elif part:
            units.append(("", "", part))
    return units


class _WordChars(dict[str, bool]):
    """Whether a character belongs to a Latin word or number (not a space, not CJK), remembered per character."""

    def __missing__(self, char: str) -> bool:
        self[char] = found = char != " " and not is_cjk(char)
        return found


_wordish = _WordChars().__getitem__


def clean(text: str) -> str:
    """The text as lines are made of it: invisible characters dropped, every other space a plain space."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", text))


def _joined(text: str, at: int) -> bool:
    """Whether a line may not break before `text[at]`: inside a word, after an opening mark, before a closing
    one (unless a space separates them), or inside a —— or …… pair."""
    before, after = text[at - 1], text[at]
    return (
        (after in NO_LINE_START and before != " ")
        or (before in NO_LINE_END and after != " ")
        or (before == after and after in INSEPARABLE)
        or (_wordish(before) and _wordish(after))
    )


def _in_word(text: str, at: int) -> bool:
    """Whether `at` falls inside a Latin word: the only places a box too wide for any line cannot break."""
    return _wordish(text[at - 1]) and _wordish(text[at])


def _box_break(
    text: str, ends: list[float], pos: int, fit: int, limit: float, widest: float, big: tuple[int, int]
) -> tuple[int, tuple[int, int]]:
    """Where the line from `pos` ends when `text[pos:fit]` fits but `text[fit]` does not: at the nearest
    break allowed, and the span of a box too wide for any line, which breaks between its characters."""
    n, cut = len(text), fit
    while cut > pos and (_in_word(text, cut) if big[0] < cut < big[1] else _joined(text, cut)):
        cut -= 1
    if not big[0] <= cut < big[1]:
        end = fit + 1
        while end < n and _joined(text, end):
            end += 1
        if ends[end] - ends[cut] > widest and any(not _in_word(text, i) for i in range(cut + 1, end)):
            big = (cut, end)  # as many of its characters as fit go on this line
            cut = next((i for i in range(fit, cut, -1) if not _in_word(text, i)), cut)
    if cut == pos:  # not even the first box fits: it goes alone, cut if it is a word
        end = pos + 1
        inside = big[0] <= pos < big[1]
        while end < n and (_in_word(text, end) if inside else _joined(text, end)):
            end += 1
        if _wordish(text[pos]):
            word_end = pos + 1
            while word_end < end and _in_word(text, word_end):
                word_end += 1
            piece = bisect_right(ends, ends[pos] + limit, pos) - 1
            if piece < word_end:
                end = max(piece, pos + 1)
        cut = end
    return cut, big


def breaks(text: str, widths: Sequence[float], first: float, rest: float) -> list[tuple[int, int]]:
    """Fill lines greedily (first line `first` wide, the others `rest`), breaking only where the rules allow.

    `text` is clean (see `clean`) and `widths` gives each of its characters' widths; the result is each
    line's (start, end) in the text, spaces at either end left out. Each line is found with one search in
    the running widths and a step back to the nearest allowed break, so the cost is per line, not per
    character. Nothing overflows the measure: a box of unbreakable characters wider than a whole line
    (sixty …, say) is broken between its characters, and a word wider than a line is cut, as the last resorts.
    """
    n = len(text)
    ends = list(accumulate(widths, initial=0.0))
    widest = max(first, rest) + 1e-6
    lines: list[tuple[int, int]] = []
    big = (0, 0)  # a box too wide for any line, set between its characters
    limit, pos = first, 0
    while pos < n and text[pos] == " ":
        pos += 1
    while pos < n:
        cut = bisect_right(ends, ends[pos] + limit + 1e-6, pos) - 1  # text[pos:cut] fits
        if cut < n:
            cut, big = _box_break(text, ends, pos, cut, limit, widest, big)
        stop = cut
        while text[stop - 1] == " ":
            stop -= 1
        lines.append((pos, stop))
        limit, pos = rest, cut
        while pos < n and text[pos] == " ":
            pos += 1
    return lines


def break_text(text: str, measure: Measure, first: float, rest: float | None = None) -> list[str]:
    """Break a paragraph into line strings; the simple interface the tests and callers without fonts use."""
    text = clean(text)
    widths = [measure(char) for char in text]
    return [text[a:b] for a, b in breaks(text, widths, first, first if rest is None else rest)]


class Glyphs(Protocol):
    """What setting a line needs to know about fonts: each character's font, widths, the space width.

    Widths add up: a text is as wide as its characters together.
    """

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


class _Widths(dict[str, float]):
    """Each character's width in one font set at one size, measured once."""

    def __init__(self, fonts: Glyphs, size: float) -> None:
        super().__init__()
        self.fonts, self.size = fonts, size

    def __missing__(self, char: str) -> float:
        self[char] = width = self.fonts.width(char, self.size)
        return width


class _FontOf(dict[str, str]):
    """Each character's font name ("" for none, " " for a space), looked up once."""

    def __init__(self, fonts: Glyphs) -> None:
        super().__init__({" ": " "})
        self.glyphs = fonts.glyphs

    def __missing__(self, char: str) -> str:
        found = self.glyphs.get(char)
        if found is None:
            return ""  # not remembered: the font set may find one later
        self[char] = found[0]
        return found[0]


def justify(widths: float, units: int, size: float, room: float, align: Align) -> tuple[float, float]:
    """Where a line of `units` units `widths` wide starts within its room, and the gap after each unit:
    justification spreads the slack evenly between characters (and words), as Chinese typesetting does,
    not only over spaces."""
    slack = room - widths
    if align == "justify":
        gap = slack / (units - 1) if units > 1 and slack > 0 else 0.0
        return 0.0, gap if gap <= size else 0.0  # a line too loose to justify is left ragged
    if align == "left":
        return 0.0, 0.0
    return max(slack, 0.0) / (2 if align == "center" else 1), 0.0


class Metrics:
    """How one font set sets lines at one size: character widths and fonts, remembered per character."""

    def __init__(self, fonts: Glyphs, size: float) -> None:
        self.fonts, self.size = fonts, size
        self.widths = _Widths(fonts, size)
        self.font_of = _FontOf(fonts)

    def set(self, line: str, x: float, room: float, align: Align) -> list[Run]:
        """A line's runs from x, justified or aligned in `room` points; spaces are gaps, not glyphs."""
        runs: list[Run] = []
        fonts, size, widths = self.fonts, self.size, self.widths.__getitem__
        space = fonts.space * size
        tokens = _units(line)
        sizes = [space if blank else sum(map(widths, cjk or word)) for blank, cjk, word in tokens]
        units = len(line) - sum(len(word) - 1 for _blank, _cjk, word in tokens if word)
        offset, gap = justify(sum(sizes), units, size, room, align)
        x += offset
        found = set(map(self.font_of.__getitem__, line))
        found.discard(" ")
        single = found.pop() if len(found) == 1 else ""  # one font for the whole line: the usual case
        for (blank, cjk, word), width in zip(tokens, sizes, strict=True):
            if blank:
                x += width + gap
            elif single:
                runs.append(Run(x, cjk or word, single, gap if cjk else 0.0))
                x += width + gap * (len(cjk) if cjk else 1)
            elif cjk:
                open_run = False
                for char in cjk:
                    font = self.font_of[char]
                    if open_run and runs[-1].font == font:
                        runs[-1].text += char
                    elif font:
                        runs.append(Run(x, char, font, gap))
                    open_run = bool(font)
                    x += widths(char) + gap
            else:
                piece_x = x
                for font, piece in fonts.pieces(word):
                    runs.append(Run(piece_x, piece, font))
                    piece_x += fonts.width(piece, size)
                x += width + gap
        return runs
