"""Punctuation: half-width `, ; : ( ) ! ?` in Chinese sentences made full-width, the rest left as written.

A mark is Chinese when the character before or after it (looking through quote marks, which both languages
share) is an ideograph or CJK/full-width punctuation; both brackets of a pair change when either one does; marks
inside a URL stay. This runs on every paragraph of every capture, so it works a mark type at a time with
`str.split`/`str.replace` (C speed) and looks at single characters in Python only where a mark has a Latin
neighbour, and pairs brackets one by one only when some change and some do not (`bench/punctuation.py`).
"""

from __future__ import annotations

import re

from epaper_cli.formats.han import is_ideograph
from epaper_cli.formats.spacing import has_cjk

# A URL ends on a character a URL can end with, so a comma or bracket after it is still punctuation.
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[!-~]*[A-Za-z0-9/#=&_%~+-]")
_QUOTES = "“”‘’\"'"
_ASCII_PUNCTUATION = re.compile(r"[,;:()!?]")
_BRACKETS = re.compile(r"[()]")
_FULLWIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_SEPARATORS = ",;:!?"
"""Marks decided one at a time; brackets are decided in pairs (`_brackets`)."""


def _is_chinese(ch: str) -> bool:
    """A character that makes neighbouring ASCII punctuation Chinese: an ideograph or CJK/full-width punctuation."""
    return ch >= "\u3000" and (ch <= "\u303f" or is_ideograph(ch) or "\uff01" <= ch <= "\uff60")


def fullwidth_punctuation(text: str) -> str:
    """Give Chinese sentences full-width `，；：（）！？` while numbers, times, Latin text and URLs keep theirs.

    Marks inside a URL never have a Chinese neighbour (a URL starts and ends on ASCII letters or signs), so only
    bracket pairing needs to know where URLs are.
    """
    if _ASCII_PUNCTUATION.search(text) is None or not has_cjk(text):
        return text
    return _brackets(text, _separators(text))


def fullwidth_lines(lines: list[str]) -> list[str]:
    """`fullwidth_punctuation` of each line, done over the lines joined: a line break is never Chinese, so the
    separators of every line are decided in one pass; lines with brackets or without Chinese are then seen alone."""
    text = "\n".join(lines)
    if _ASCII_PUNCTUATION.search(text) is None or not has_cjk(text) or text.count("\n") != len(lines) - 1:
        return [fullwidth_punctuation(line) for line in lines]
    out = _separators(text).split("\n")
    for index, line in enumerate(lines):
        if out[index] == line and "(" not in line and ")" not in line:
            continue
        if not has_cjk(line):
            out[index] = line
        elif "(" in line or ")" in line:
            out[index] = _brackets(line, out[index])
    return out


def _separators(text: str) -> str:
    """The text with its `, ; : ! ?` decided, a mark type at a time (each by its neighbours in `text` as given)."""
    result = text
    for mark in _SEPARATORS:
        if mark in text:
            result = _convert(result, mark, _kept(text.split(mark)))
    return result


def _kept(parts: list[str]) -> set[int]:
    """Which marks between `parts` (the text split at one mark) stay half-width: neither neighbour is Chinese."""
    # Most marks in a Chinese paragraph follow a common ideograph: only the others are looked at one by one.
    doubtful = [index for index, part in enumerate(parts[:-1]) if not "\u4e00" <= part[-1:] <= "\u9fff"]
    kept: set[int] = set()
    for index in doubtful:
        before = parts[index].rstrip(_QUOTES)[-1:]
        after = parts[index + 1].lstrip(_QUOTES)[:1]
        if not (_is_chinese(before) or _is_chinese(after)):
            kept.add(index)
    return kept


def _convert(text: str, mark: str, kept: set[int]) -> str:
    """The text with every `mark` made full-width except the ones counted in `kept`."""
    if not kept:
        return text.replace(mark, _FULLWIDTH[mark])
    if len(kept) == text.count(mark):
        return text
    parts = text.split(mark)
    out = [parts[0]]
    for index, part in enumerate(parts[1:]):
        out.append(mark if index in kept else _FULLWIDTH[mark])
        out.append(part)
    return "".join(out)


def _brackets(text: str, result: str) -> str:
    """Decide the brackets of `text` into `result` (the same length, its other marks decided): a bracket is Chinese
    by its neighbours, and both brackets of a pair change when either one does, so `（ABC Ltd)` never happens."""
    if "(" not in text and ")" not in text:
        return result
    kept = {"(": _kept(text.split("(")), ")": _kept(text.split(")"))}
    if not 0 < len(kept["("]) + len(kept[")"]) < text.count("(") + text.count(")"):
        return _convert(_convert(result, "(", kept["("]), ")", kept[")"])  # all change, or none: nothing to pair
    urls = [match.span() for match in _URL.finditer(text)] if "://" in text or "www." in text else []
    convert: set[int] = set()
    stack: list[int] = []
    counted = {"(": 0, ")": 0}
    for match in _BRACKETS.finditer(text):
        i, bracket = match.start(), match[0]
        if counted[bracket] not in kept[bracket]:
            convert.add(i)
        counted[bracket] += 1
        if any(start <= i < end for start, end in urls):
            continue  # a URL's brackets pair with nothing outside it
        if bracket == "(":
            stack.append(i)
        elif stack:
            opening = stack.pop()
            if opening in convert or i in convert:
                convert.update((opening, i))
    chars = list(result)
    for i in convert:
        chars[i] = _FULLWIDTH[text[i]]
    return "".join(chars)
