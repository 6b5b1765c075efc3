"""What the writers print around the news, in the issue's language: the one place that decides an issue's
language and holds every label (page headings, dates, counts, contents, cover, landmarks, separators).

The rule: a text is Chinese when it holds at least as many CJK characters as Latin letters, English when it
holds more Latin letters; a text with neither is Chinese (epaper is made for Chinese papers). An issue's
text is its paper's name, its sections and its articles; a book's is all of its issues'.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from epaper_cli.formats.han import has_ideograph
from epaper_cli.model import Article, Issue, Person

CHINESE, ENGLISH = "zh-CN", "en"

_NOT_LATIN_BYTES = bytes(sorted(set(range(256)) - set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")))
_NOT_LATIN_BYTES = bytes(b for b in _NOT_LATIN_BYTES if not 0xC3 <= b <= 0xC9)


@dataclass(frozen=True)
class Vocabulary:
    """The labels of one language; templates take `str.format` fields, counts a (one, more) pair of forms."""

    lang: str
    """The BCP 47 tag the writers give what they make (`lang`, `/Lang`, `dc:language`)."""
    contents: str
    landmarks: str
    cover: str
    start: str
    untitled: str
    empty_page: str
    empty_issue: str
    list_sep: str
    """Between the papers of a book of several: `衢州日报、东江日报`."""
    people_sep: str
    """Between the people of an editor line: `责任编辑：李华　校对：王明`."""
    role_sep: str
    """Between a role and a name: `责任编辑：李华`, `Editor: Jane Doe`."""
    dateline_sep: str
    """Between a dateline and the paragraph it leads: `本报讯　…`, `WASHINGTON — …`."""
    page: str
    page_section: str
    date: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    counts: str
    pages: tuple[str, str]
    articles: tuple[str, str]
    subject: str
    """The PDF's subject after the papers and dates: `电子报 128 篇`, `128 articles`."""
    fields: dict[str, str]
    """The names of an article's parts, as the text export marks its lines: `【标题】`, `[Title] `."""

    def page_heading(self, label: str, section: str | None) -> str:
        """Name a page as the paper does: `03版 民生`, `Page A05: Metro`."""
        if section is None:
            return self.page.format(label=label)
        return self.page_section.format(label=label, section=section)

    def long_date(self, date: dt.date) -> str:
        """The date as the paper prints it under its masthead: `2025年8月26日 星期二`, `Tuesday, 26 August 2025`."""
        weekday, month = self.weekdays[date.weekday()], self.months[date.month - 1]
        return self.date.format(year=date.year, month=month, day=date.day, weekday=weekday)

    def count(self, number: int, forms: tuple[str, str]) -> str:
        """`1 page`, `3 pages`, `3 版`."""
        return (forms[0] if number == 1 else forms[1]).format(n=number)

    def summary(self, pages: int, articles: int) -> str:
        """How much an issue holds: `共 3 版 · 12 篇`, `1 page · 1 article`."""
        return self.counts.format(pages=self.count(pages, self.pages), articles=self.count(articles, self.articles))

    def pdf_subject(self, articles: int) -> str:
        """The PDF's subject after its papers and dates."""
        return self.subject.format(articles=self.count(articles, self.articles))

    def people(self, people: Sequence[Person]) -> str:
        """`责任编辑：李华　校对：王明`; a person without a role by name alone."""
        return self.people_sep.join(
            f"{person.role}{self.role_sep}{person.name}" if person.role else person.name for person in people
        )

    def title(self, article: Article) -> str:
        """An article's title for lists and outlines, never empty (an empty link is useless)."""
        return article.title if article.title.strip() else self.untitled


_MONTHS = "January February March April May June July August September October November December"
_FIELDS = ("kicker", "title", "subtitle", "byline", "author", "dateline", "from", "to", "caption", "editor")
_CHINESE = Vocabulary(
    lang=CHINESE,
    contents="目录",
    landmarks="导航",
    cover="封面",
    start="正文",
    untitled="（无题）",
    empty_page="本版没有文章。",
    empty_issue="本期没有版面。",
    list_sep="、",
    people_sep="\u3000",
    role_sep="：",
    dateline_sep="\u3000",
    page="{label}版",
    page_section="{label}版 {section}",
    date="{year}年{month}月{day}日 星期{weekday}",
    weekdays=tuple("一二三四五六日"),
    months=tuple(str(month) for month in range(1, 13)),
    counts="共 {pages} · {articles}",
    pages=("{n} 版", "{n} 版"),
    articles=("{n} 篇", "{n} 篇"),
    subject="电子报 {articles}",
    fields=dict(
        zip(_FIELDS, ("引题", "标题", "副题", "署名", "作者", "电头", "上接", "下转", "图", "编辑"), strict=True)
    ),
)
_ENGLISH_FIELDS = (
    *("Kicker", "Title", "Subtitle", "Byline", "Author", "Dateline"),
    *("Continued from", "Continued on", "Caption", "Editor"),
)
_ENGLISH = Vocabulary(
    lang=ENGLISH,
    contents="Contents",
    landmarks="Landmarks",
    cover="Cover",
    start="Start",
    untitled="(untitled)",
    empty_page="No articles on this page.",
    empty_issue="No pages in this issue.",
    list_sep=", ",
    people_sep="; ",
    role_sep=": ",
    dateline_sep=" — ",
    page="Page {label}",
    page_section="Page {label}: {section}",
    date="{weekday}, {day} {month} {year}",
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=tuple(_MONTHS.split()),
    counts="{pages} · {articles}",
    pages=("{n} page", "{n} pages"),
    articles=("{n} article", "{n} articles"),
    subject="{articles}",
    fields=dict(zip(_FIELDS, _ENGLISH_FIELDS, strict=True)),
)


def vocabulary(lang: str) -> Vocabulary:
    """The labels of a language tag (Chinese for any `zh` tag, English for the rest)."""
    return _CHINESE if lang.startswith("zh") else _ENGLISH


def issue_title(issue: Issue) -> str:
    """An issue by name, as the contents and the outline list it: `衢州日报 2025-08-26`."""
    return f"{issue.paper} {issue.date.isoformat()}"


def book_title(issues: Sequence[Issue], words: Vocabulary) -> str:
    """`衢州日报 2025-08-26`; for several issues, their papers and the span of their dates."""
    papers = words.list_sep.join(dict.fromkeys(issue.paper for issue in issues))
    dates = sorted({issue.date for issue in issues})
    span = dates[0].isoformat() if len(dates) == 1 else f"{dates[0].isoformat()} – {dates[-1].isoformat()}"
    return f"{papers} {span}"


# -- the language: one rule ----------------------------------------------------------------------------


class Letters:
    """The letters of some texts: the Latin ones counted at once, the CJK ones only when a decision needs their
    number (never for text without Latin letters)."""

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


def language_from(parts: Sequence[Letters], default: str = CHINESE) -> str:
    """The rule: Chinese when the parts hold at least as many CJK characters as Latin letters, English when
    they hold more Latin letters, `default` when they hold neither."""
    latin, cjk = sum(part.latin for part in parts), 0
    if not latin:
        return CHINESE if any(has_ideograph(part.text) for part in parts) else default
    for part in parts:
        cjk += part.cjk
        if cjk >= latin:
            return CHINESE
    return ENGLISH


def language_of(texts: Iterable[str], default: str = CHINESE) -> str:
    """The language of some texts, by the rule."""
    return language_from([Letters(texts)], default)


def article_texts(article: Article) -> Iterable[str]:
    """Every human-written string of one article, for its language."""
    yield article.title
    yield article.kicker or ""
    yield article.subtitle or ""
    yield article.byline or ""
    yield article.dateline or ""
    for block in article.body:
        yield block.text


class Languages:
    """The language of a book, of each of its issues and of each of their articles, each text scanned once.

    An issue's language picks its labels; an article whose own text holds no letter takes its issue's.
    """

    def __init__(self, issues: Sequence[Issue]) -> None:
        self._own = [Letters([issue.paper, *(page.section or "" for page in issue.pages)]) for issue in issues]
        self._articles = [
            [[Letters(article_texts(article)) for article in page.articles] for page in issue.pages] for issue in issues
        ]
        parts = [
            [own, *(part for page in pages for part in page)]
            for own, pages in zip(self._own, self._articles, strict=True)
        ]
        self.book = language_from([part for issue in parts for part in issue])
        self.issues = [language_from(issue) for issue in parts]

    def article(self, issue: int, page: int, article: int) -> str:
        """The language of one article (numbered from 0 in the book, the issue and the page)."""
        return language_from([self._articles[issue][page][article]], self.issues[issue])


def issue_language(issue: Issue) -> str:
    """The language of one issue, by the rule."""
    return Languages([issue]).issues[0]
