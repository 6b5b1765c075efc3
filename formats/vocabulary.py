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
    issues: tuple[str, str]
    volume_counts: str
    """How much a volume holds: `共 30 期 · 480 版 · 3840 篇`."""
    short_date: str
    span: str
    """The first and last day of a volume: `2025年8月1日至2025年8月30日`."""
    previous: str
    next: str
    issue_contents: str
    """The link from an article of a volume back to its issue's contents."""
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

    def volume_summary(self, issues: int, pages: int, articles: int) -> str:
        """How much a volume holds: `共 30 期 · 480 版 · 3840 篇`, `30 issues · 480 pages · 3840 articles`."""
        return self.volume_counts.format(
            issues=self.count(issues, self.issues),
            pages=self.count(pages, self.pages),
            articles=self.count(articles, self.articles),
        )

    def date_span(self, first: dt.date, last: dt.date) -> str:
        """The days a volume covers: `2025年8月1日至2025年8月30日`, `1 August 2025 – 30 August 2025`."""
        days = [self.short_date.format(year=d.year, month=self.months[d.month - 1], day=d.day) for d in (first, last)]
        return days[0] if first == last else self.span.format(first=days[0], last=days[1])

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
    issues=("{n} 期", "{n} 期"),
    volume_counts="共 {issues} · {pages} · {articles}",
    short_date="{year}年{month}月{day}日",
    span="{first}至{last}",
    previous="上一篇",
    next="下一篇",
    issue_contents="本期目录",
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
    issues=("{n} issue", "{n} issues"),
    volume_counts="{issues} · {pages} · {articles}",
    short_date="{day} {month} {year}",
    span="{first} – {last}",
    previous="Previous",
    next="Next",
    issue_contents="Contents of this issue",
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
    return span_title([issue.paper for issue in issues], [issue.date for issue in issues], words)


def span_title(papers: Iterable[str], dates: Iterable[dt.date], words: Vocabulary) -> str:
    """A book's title from its issues' papers and dates, which is all a writer keeps of them once written."""
    named = words.list_sep.join(dict.fromkeys(papers))
    days = sorted(set(dates))
    span = days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()} – {days[-1].isoformat()}"
    return f"{named} {span}"


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


class IssueLanguages:
    """The language of one issue and of each of its articles, each text scanned once.

    The issue's language picks its labels; an article whose own text holds no letter takes its issue's.
    """

    def __init__(self, issue: Issue) -> None:
        own = Letters([issue.paper, *(page.section or "" for page in issue.pages)])
        self._articles = [[Letters(article_texts(article)) for article in page.articles] for page in issue.pages]
        self._parts = [own, *(part for page in self._articles for part in page)]
        self.lang = language_from(self._parts)
        self.latin = sum(part.latin for part in self._parts)

    def article(self, page: int, article: int) -> str:
        """The language of one article (pages and articles numbered from 0)."""
        return language_from([self._articles[page][article]], self.lang)

    def cjk(self) -> int:
        """How many CJK characters the issue holds (counted only when asked: a book of several issues asks)."""
        return sum(part.cjk for part in self._parts)


class BookLanguage:
    """The language of a book of several issues by the rule, added an issue at a time: only their counts of
    letters are kept, so a writer need not hold the issues it has written."""

    def __init__(self) -> None:
        self.latin = 0
        self.cjk = 0

    def add(self, issue: IssueLanguages) -> None:
        """Count one more issue's letters."""
        self.latin += issue.latin
        self.cjk += issue.cjk()

    @property
    def lang(self) -> str:
        """Chinese when the issues hold at least as many CJK characters as Latin letters (or no letter)."""
        return ENGLISH if self.cjk < self.latin else CHINESE


class Languages:
    """The language of a book, of each of its issues and of each of their articles, for issues in a list."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self._issues = [IssueLanguages(issue) for issue in issues]
        self.issues = [found.lang for found in self._issues]
        if len(self._issues) == 1:
            self.book = self.issues[0]
        else:
            book = BookLanguage()
            for found in self._issues:
                book.add(found)
            self.book = book.lang

    def article(self, issue: int, page: int, article: int) -> str:
        """The language of one article (numbered from 0 in the book, the issue and the page)."""
        return self._issues[issue].article(page, article)


def issue_language(issue: Issue) -> str:
    """The language of one issue, by the rule."""
    return IssueLanguages(issue).lang
