"""Spaces and invisible characters: layout spaces made plain, so labels and names compare equal."""

from __future__ import annotations

import re
import unicodedata

from epaper_cli.formats.han import has_ideograph

# Layout spaces become ASCII spaces; zero-width characters and stray BOMs vanish.
_SPACES: dict[int, str | None] = dict.fromkeys(map(ord, "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004"), " ")
_SPACES.update(dict.fromkeys(map(ord, "\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\v\f"), " "))
_SPACES.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None))
_JOINERS = re.compile("[\u200c\u200d]")
_RUNS_OF_SPACE = re.compile(r" {2,}")
_SPACE_CHARS = re.compile("[" + "".join(chr(c) for c, v in _SPACES.items() if v is not None) + "]")
_INVISIBLE_CHARS = re.compile("[" + "".join(chr(c) for c, v in _SPACES.items() if v is None) + "]")


def clean_line(line: str) -> str:
    """Make layout spaces plain and drop invisible characters, so labels and names compare equal."""
    return _plain_spaces(line).strip()


def clean_lines(text: str) -> list[str]:
    """`clean_line` for every line of a text, done over the whole text at once (this runs on every capture)."""
    return [line.strip() for line in _plain_spaces(text).split("\n")]


def _plain_spaces(text: str) -> str:
    # Regex scans beat str.translate with a dict here, and most text has nothing to change.
    if _SPACE_CHARS.search(text):
        text = _SPACE_CHARS.sub(" ", text)
    if _INVISIBLE_CHARS.search(text):
        text = _INVISIBLE_CHARS.sub(_drop_invisible, text)
    if "  " in text:
        text = _RUNS_OF_SPACE.sub(" ", text)
    return text


def _drop_invisible(match: re.Match[str]) -> str:
    """Nothing for a zero-width character, but a joiner that joins: ZWJ/ZWNJ between two characters that are
    not Chinese, spaces or ASCII (👨‍👩‍👧, क्‍ष, می‌خواهم) is part of the text; between Chinese characters it is noise."""
    char = match[0]
    if not _JOINERS.fullmatch(char):
        return ""
    text, at = match.string, match.start()
    if 0 < at < len(text) - 1 and _joinable(text[at - 1]) and _joinable(text[at + 1]):
        return char
    return ""


def _joinable(char: str) -> bool:
    return not char.isascii() and unicodedata.category(char)[0] in "LMS" and not has_ideograph(char)


def has_cjk(text: str) -> bool:
    """Tell Chinese text from Latin text: only Chinese gets full-width punctuation and space-free names."""
    return has_ideograph(text)


def label_form(text: str) -> str:
    """Fold full-width digits and letters (２０２５, Ａ０３) so labels and dates parse like ASCII."""
    return clean_line(unicodedata.normalize("NFKC", text))
