"""Punctuation: half-width `, ; : ( ) ! ?` in Chinese sentences made full-width, the rest left as written."""

from __future__ import annotations

import re

from epaper_cli.formats.han import is_ideograph
from epaper_cli.formats.spacing import has_cjk

# A URL ends on a character a URL can end with, so a comma or bracket after it is still punctuation.
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[!-~]*[A-Za-z0-9/#=&_%~+-]")
_QUOTES = frozenset("“”‘’\"'")
_ASCII_PUNCTUATION = re.compile(r"[,;:()!?]")
_FULLWIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


def _is_chinese(ch: str) -> bool:
    """A character that makes neighbouring ASCII punctuation Chinese: an ideograph or CJK/full-width punctuation."""
    return is_ideograph(ch) or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff60"


def _neighbour(text: str, index: int, step: int) -> str:
    """The character next to `index`, looking through quote marks that both languages share."""
    index += step
    while 0 <= index < len(text) and text[index] in _QUOTES:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def fullwidth_punctuation(text: str) -> str:
    """Give Chinese sentences full-width `，；：（）！？` while numbers, times, Latin text and URLs keep theirs."""
    if _ASCII_PUNCTUATION.search(text) is None or not has_cjk(text):
        return text
    urls = [match.span() for match in _URL.finditer(text)]
    positions = [
        match.start()
        for match in _ASCII_PUNCTUATION.finditer(text)
        if not any(start <= match.start() < end for start, end in urls)
    ]
    convert = {i for i in positions if _is_chinese(_neighbour(text, i, -1)) or _is_chinese(_neighbour(text, i, 1))}
    convert |= _paired_brackets(text, positions, convert)
    chars = list(text)
    for i in convert:
        chars[i] = _FULLWIDTH[chars[i]]
    return "".join(chars)


def _paired_brackets(text: str, positions: list[int], convert: set[int]) -> set[int]:
    """Convert both brackets of a pair when either one is, so `（ABC Ltd)` never happens."""
    pairs: set[int] = set()
    stack: list[int] = []
    for i in positions:
        if text[i] == "(":
            stack.append(i)
        elif text[i] == ")" and stack:
            opening = stack.pop()
            if opening in convert or i in convert:
                pairs.update((opening, i))
    return pairs
