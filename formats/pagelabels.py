"""Page labels (版面): `03版:民生`, `第A03版`, `（GA01）` … read into a label such as '03' and a section name."""

from __future__ import annotations

import re

from epaper_cli.formats.spacing import clean_line, has_cjk, label_form

_PAGE = re.compile(
    r"^[(\[【〔]?\s*第?\s*([A-Z]{0,3})\s*([0-9]{1,3}(?![0-9])|[一二三四五六七八九十]{1,3})\s*版?\s*[)\]】〕]?"
    r"\s*(?:[:：·|/\-—]\s*|\s+)?(.*)$",
    re.IGNORECASE,
)
_PAGE_LINKS = re.compile(r"上一[篇版页頁]|下一[篇版页頁]|[<>《》]{1,2}")
_SECTION_BRACKETS = re.compile(r"^[(\[【〔（](.*)[)\]】〕）]$")
_CHINESE_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")}


def page_label(value: str) -> tuple[str, str | None] | None:
    """Read `03版:民生`, `第A03版`, `（GA01）` … into the label ('03', 'A03', 'GA01') and the section name."""
    folded = _PAGE_LINKS.sub(" ", label_form(value)).strip()
    match = _PAGE.match(folded)
    if match is None:
        return None
    letters, digits, rest = match.groups()
    number = int(digits) if digits.isdigit() else _chinese_number(digits)
    if number is None:
        return None
    label = f"{letters.upper()}{number:02d}"
    return label, section_name(rest)


def _chinese_number(text: str) -> int | None:
    """Read 三, 十二, 二十 as page numbers: some papers spell 第三版."""
    if text == "十":
        return 10
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    high = 1 if tens == "" else _CHINESE_DIGITS.get(tens)
    low = 0 if ones == "" else _CHINESE_DIGITS.get(ones)
    return None if high is None or low is None or len(tens) > 1 or len(ones) > 1 else high * 10 + low


def section_name(text: str) -> str | None:
    """A section name without the layout spaces Chinese pages put in it (要 闻 → 要闻)."""
    text = clean_line(text).strip(":：·|/-— ")
    match = _SECTION_BRACKETS.match(text)
    if match:
        text = match[1].strip()
    if has_cjk(text):
        text = text.replace(" ", "")
    return text or None
