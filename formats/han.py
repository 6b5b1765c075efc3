"""Telling Chinese characters apart, without regular expressions.

A pattern with a range of ideographs ([\u4e00-\u9fff]) makes `re` walk every code point of the range when it
compiles, milliseconds per pattern at every start of the command; these tests cost nothing to set up.
"""

from __future__ import annotations


def is_ideograph(ch: str) -> bool:
    """A Chinese character: the unified ideographs, extension A, the compatibility block, extensions B and up."""
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003ffff"
    )


def has_ideograph(text: str) -> bool:
    """Whether the text holds a Chinese character (quick for Chinese text: the first one ends the search)."""
    return not text.isascii() and any(map(is_ideograph, text))


NON_ASCII_LETTER = r"[^\W\d_A-Za-z]"
"""In a pattern, a letter outside ASCII: in a Chinese capture, a Chinese character (a range of ideographs would
be slow to compile, see above)."""
