"""An issue's language, told from its text (Chinese or English: it picks labels, fonts and the `lang` tag of
what the writers make), and a page's name in that language."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from epaper_cli.formats.han import has_ideograph
from epaper_cli.model import Article, Issue

_NOT_LATIN_BYTES = bytes(sorted(set(range(256)) - set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")))
_NOT_LATIN_BYTES = bytes(b for b in _NOT_LATIN_BYTES if not 0xC3 <= b <= 0xC9)


class Letters:
    """The letters of some texts, for language detection: the Latin ones counted at once, the CJK ones only when
    a decision needs their number (never for text without Latin letters)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.text = "\n".join(texts)
        self.latin = _latin_letters(self.text)

    @functools.cached_property
    def cjk(self) -> int:
        """How many CJK characters the texts hold."""
        return sum(map(len, _cjk_runs().findall(self.text)))


def _latin_letters(text: str) -> int:
    """How many of A–Z, a–z and U+00C0–U+027F (accented Latin, IPA) the text holds, counted on its UTF-8 bytes:
    each such letter is one ASCII letter byte or one lead byte C3–C9 (lead bytes are never continuation bytes),
    and deleting every other byte runs in C, ten times quicker than a regular expression over Chinese text."""
    return len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_LATIN_BYTES))


@functools.cache
def _cjk_runs() -> re.Pattern[str]:
    """Runs of Chinese characters; compiled only when a text with Latin letters needs them counted."""
    return re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")


def language_from(parts: Sequence[Letters], default: str = "en") -> str:
    """Chinese when the parts hold at least as many CJK characters as Latin letters; `default` when neither."""
    latin, cjk = sum(part.latin for part in parts), 0
    if not latin:
        return "zh-CN" if any(has_ideograph(part.text) for part in parts) else default
    for part in parts:
        cjk += part.cjk
        if cjk >= latin:
            return "zh-CN"
    return "en"


def language_of(texts: Iterable[str], default: str = "en") -> str:
    """Tag text as Chinese when it has at least as many CJK characters as Latin letters, so readers pick fonts."""
    return language_from([Letters(texts)], default)


def issue_texts(issue: Issue) -> Iterable[str]:
    """Every human-written string of an issue, for language detection."""
    yield issue.paper
    for page in issue.pages:
        yield page.section or ""
        for article in page.articles:
            yield from article_texts(article)


def article_texts(article: Article) -> Iterable[str]:
    """Every human-written string of one article, for language detection."""
    yield article.title
    yield article.kicker or ""
    yield article.subtitle or ""
    yield article.byline or ""
    yield article.dateline or ""
    for block in article.body:
        yield block.text


def page_heading(label: str, section: str | None, lang: str) -> str:
    """Name a page as the paper does: `03版 民生` in Chinese, `Page 03: Business` in English."""
    if lang.startswith("zh"):
        return f"{label}版 {section}" if section is not None else f"{label}版"
    return f"Page {label}: {section}" if section is not None else f"Page {label}"
