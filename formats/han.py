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


_TRADITIONAL = str.maketrans(
    "當報紙稱號頁週禮記訊電網華據員實習約見評論導圖攝視戶體譯責編輯術設計對審讀製簽終統籌劃監覺廣類專轉續緊來綜載單為發說聞簡組復／",
    "当报纸称号页周礼记讯电网华据员实习约见评论导图摄视户体译责编辑术设计对审读制签终统筹划监觉广类专转续紧来综载单为发说闻简组复/",
)


def simplified(text: str) -> str:
    """The text with the traditional forms of the words credits and datelines use (記者, 報訊, 責任編輯) in their
    simplified forms, one character for one: patterns then name each word once, and a match's place in this text
    is its place in the original (whose own forms are what the archive keeps)."""
    return text.translate(_TRADITIONAL)
