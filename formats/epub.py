"""EPUB 3 export: a cover, a front page per issue, a page (版面) divider per page and one XHTML file per article.

The documents are written as text by `epub_xhtml`, the cover drawn by `epub_cover`, and the package
document and the zip container made by `epub_package` (ebooklib); every label comes from `vocabulary`.

Issues are taken one at a time and each is turned into finished XHTML at once, so a volume of a month or a
year holds its documents as bytes, never its issues. In a volume (several issues), issues are the top level
of the contents, and each article links to the one before it, the one after it and its issue's contents.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from epaper_cli.errors import ExportError
from epaper_cli.formats import WriteOptions, several
from epaper_cli.formats.epub_cover import cover_png
from epaper_cli.formats.epub_package import XHTML, File, Metadata, package, stylesheet
from epaper_cli.formats.epub_xhtml import Doc, Entry, esc, links, nav, ncx, xhtml, xml_safe
from epaper_cli.formats.vocabulary import (
    BookLanguage,
    IssueLanguages,
    Vocabulary,
    issue_title,
    span_title,
    vocabulary,
)
from epaper_cli.model import Article, Caption, Heading, Issue, block_kind

__all__ = ["book_identifier", "write", "xml_safe"]


def _byline(article: Article) -> str | None:
    """The byline as printed, or one made from the authors when the capture had none."""
    if article.byline:
        return article.byline
    parts: list[str] = []
    for number, person in enumerate(article.authors):
        if person.role and (number == 0 or article.authors[number - 1].role != person.role):
            parts.append(person.role)
        parts.append(person.name)
    return " ".join(parts) or None


def book_identifier(issues: Sequence[Issue]) -> str:
    """The same issues always get the same identifier, so readers replace an old copy instead of adding one."""
    return _identifier([(issue.paper, issue.date) for issue in issues])


def _identifier(issues: Iterable[tuple[str, dt.date]]) -> str:
    """The identifier of a book of these papers' issues of these dates."""
    key = "\x1e".join(f"{paper}\x1f{date.isoformat()}" for paper, date in issues)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'epaper:' + key)}"


def _article_body(article: Article, running: str, words: Vocabulary) -> str:
    """An article: its heading block, its body in reading order, then its editors."""
    out = ["<article>\n<header>\n", f'<p class="running">{esc(running)}</p>\n']
    if article.kicker:
        out.append(f'<p class="kicker">{esc(article.kicker)}</p>\n')
    out.append(f"<h1>{esc(words.title(article))}</h1>\n")
    if article.subtitle:
        out.append(f'<p class="subtitle">{esc(article.subtitle)}</p>\n')
    byline = _byline(article)
    if byline:
        out.append(f'<p class="byline">{esc(byline)}</p>\n')
    out.append("</header>\n")
    dateline = f'<span class="dateline">{esc(article.dateline)}</span>' if article.dateline else ""
    if dateline and not (article.body and block_kind(article.body[0]) == "text"):
        out.append(f"<p>{dateline}</p>\n")
        dateline = ""
    for block in article.body:
        if isinstance(block, Heading):
            out.append(f"<h2>{esc(block.text)}</h2>\n")
        elif isinstance(block, Caption):
            out.append(f'<p class="caption">{esc(block.text)}</p>\n')
        elif dateline:
            out.append(f"<p>{dateline}{esc(words.dateline_sep)}{esc(block.text)}</p>\n")
            dateline = ""
        else:
            out.append(f"<p>{esc(block.text)}</p>\n")
    if article.editors:
        out.append(f'<footer>\n<p class="editors">{esc(words.people(article.editors))}</p>\n</footer>\n')
    out.append("</article>\n")
    return "".join(out)


@dataclass
class _Written:
    """What the book keeps of an issue once its documents are written: what the cover and metadata need."""

    paper: str
    date: dt.date
    pages: int
    articles: int
    details: list[str]
    """What the cover lists for a book of this one issue: its pages."""


Link = tuple[str, str]
"""An article as a link points to it: its file and its title."""


@dataclass
class _Pending:
    """A volume's latest article, kept until the next one is known so it can link to it."""

    slot: int
    doc: Doc
    words: Vocabulary
    contents: str
    previous: Link | None


def _pager(words: Vocabulary, contents: str, previous: Link | None, following: Link | None) -> str:
    """The links under an article of a volume: the previous article, its issue's contents, the next article."""
    items = []
    if previous is not None:
        label = f"{words.previous}{words.role_sep}{previous[1]}"
        items.append(f'<li class="previous"><a href="{previous[0]}" rel="prev">{esc(label)}</a></li>\n')
    items.append(f'<li class="contents"><a href="{contents}">{esc(words.issue_contents)}</a></li>\n')
    if following is not None:
        label = f"{words.next}{words.role_sep}{following[1]}"
        items.append(f'<li class="next"><a href="{following[0]}" rel="next">{esc(label)}</a></li>\n')
    return f'<nav class="pager">\n<ul>\n{"".join(items)}</ul>\n</nav>\n'


def _file(doc: Doc) -> File:
    """A document as the package holds it: finished XHTML, all that is kept of it."""
    return File(doc.file.removesuffix(".xhtml"), doc.file, XHTML, xhtml(doc))


@dataclass
class _Book:
    """The book being written: finished documents in spine order, the contents tree, and a little per issue."""

    options: WriteOptions
    volume: bool
    files: list[File | None] = field(default_factory=list)
    toc: list[Entry] = field(default_factory=list)
    written: list[_Written] = field(default_factory=list)
    language: BookLanguage = field(default_factory=BookLanguage)
    first_lang: str = ""
    pending: _Pending | None = None

    def add(self, issue: Issue) -> None:
        """Write one issue's documents: its front page, then each page's divider and articles."""
        number = len(self.written) + 1
        languages = IssueLanguages(issue)
        if self.volume:
            self.language.add(languages)
        elif number == 1:
            self.first_lang = languages.lang
        words = vocabulary(languages.lang)
        date = words.long_date(issue.date)
        front = f"issue{number}.xhtml"
        pages: list[Entry] = []
        articles: list[list[Doc]] = []
        for p, page in enumerate(issue.pages, 1):
            heading = words.page_heading(page.label, page.section)
            entry = Entry(heading, f"issue{number}-p{p}.xhtml")
            docs = []
            running = f"{issue.paper} · {date} · {heading}"
            for a, article in enumerate(page.articles, 1):
                child = Entry(words.title(article), f"issue{number}-p{p}-a{a}.xhtml")
                entry.children.append(child)
                body = _article_body(article, running, words)
                docs.append(Doc(child.href, child.label, languages.article(p - 1, a - 1), body))
            pages.append(entry)
            articles.append(docs)
        count = sum(len(page.articles) for page in issue.pages)
        masthead = (
            f'<header class="front">\n<h1 class="masthead">{esc(issue.paper)}</h1>\n'
            f'<p class="issue-date">{esc(date)}</p>\n'
            f'<p class="issue-count">{esc(words.summary(len(issue.pages), count))}</p>\n</header>\n'
        )
        index = links(pages, "pages", "titles") or f'<p class="empty">{esc(words.empty_issue)}</p>\n'
        self.put(Doc(front, issue_title(issue), languages.lang, masthead + index, "front"))
        for entry, docs in zip(pages, articles, strict=True):
            body = (
                f'<p class="running">{esc(issue.paper)} · {esc(date)}</p>\n'
                f'<h1 class="page-title">{esc(entry.label)}</h1>\n'
                + (links(entry.children, "titles") or f'<p class="empty">{esc(words.empty_page)}</p>\n')
            )
            self.put(Doc(entry.href, entry.label, languages.lang, body, "page"))
            for doc in docs:
                self.put_article(doc, words, front)
        self.toc.append(Entry(issue_title(issue), front, pages))
        details = [entry.label for entry in pages] if number == 1 else []
        self.written.append(_Written(issue.paper, issue.date, len(issue.pages), count, details))

    def put(self, doc: Doc) -> None:
        """A finished document, in spine order."""
        self.files.append(_file(doc))

    def put_article(self, doc: Doc, words: Vocabulary, contents: str) -> None:
        """An article: in a volume its place is kept until the next article is known, then it is written."""
        if not self.volume:
            self.put(doc)
            return
        previous = None
        if self.pending is not None:
            previous = (self.pending.doc.file, self.pending.doc.title)
            self.finish_pending((doc.file, doc.title))
        self.pending = _Pending(len(self.files), doc, words, contents, previous)
        self.files.append(None)

    def finish_pending(self, following: Link | None) -> None:
        """Write the waiting article with its links, now that the one after it (or the end) is known."""
        held = self.pending
        if held is None:
            return
        held.doc.body += _pager(held.words, held.contents, held.previous, following)
        self.files[held.slot] = _file(held.doc)
        self.pending = None

    def finish(self, out: BinaryIO) -> None:
        """The navigation, the cover and the package, now that every issue is written."""
        self.finish_pending(None)
        lang = self.language.lang if self.volume else self.first_lang
        words = vocabulary(lang)
        papers = [issue.paper for issue in self.written]
        title = span_title(papers, [issue.date for issue in self.written], words)
        identifier = _identifier((issue.paper, issue.date) for issue in self.written)
        toc = self.toc
        if not self.volume and self.toc[0].children:
            toc = self.toc[0].children
        start = "issue1.xhtml"
        image = f'<div><img src="cover.png" alt="{esc(title)}"/></div>\n'
        cover_doc = Doc("cover.xhtml", words.cover, words.lang, image, "cover")
        nav_doc = nav(toc, words, start)
        files = [
            File("style", "style.css", "text/css", stylesheet(self.options.vertical, self.volume).encode("utf-8")),
            File("ncx", "toc.ncx", "application/x-dtbncx+xml", ncx(toc, title, identifier, words.lang)),
            File("cover", "cover.xhtml", XHTML, xhtml(cover_doc)),
            File("nav", "nav.xhtml", XHTML, xhtml(nav_doc), "nav"),
            *(file for file in self.files if file is not None),
            File("cover-img", "cover.png", "image/png", self.cover(words), "cover-image"),
        ]
        guide = [
            {"type": "cover", "href": "cover.xhtml", "title": words.cover},
            {"type": "toc", "href": "nav.xhtml", "title": words.contents},
            {"type": "text", "href": start, "title": words.start},
        ]
        meta = Metadata(
            title=title,
            identifier=identifier,
            lang=self.options.language(papers) or words.lang,
            date=self.written[0].date.isoformat(),
            publishers=self.options.publishers(papers),
            places=self.options.places(papers),
            series=papers[0],
            position=self.written[0].date.strftime("%Y%m%d"),
        )
        package(meta, files, guide, self.options.vertical, out)

    def cover(self, words: Vocabulary) -> bytes:
        """The cover image: masthead, date (or the span of a volume), counts, and the pages or issues inside."""
        masthead = words.list_sep.join(dict.fromkeys(issue.paper for issue in self.written))
        dates = sorted({issue.date for issue in self.written})
        pages = sum(issue.pages for issue in self.written)
        articles = sum(issue.articles for issue in self.written)
        if self.volume:
            lines = [words.date_span(dates[0], dates[-1]), words.volume_summary(len(self.written), pages, articles)]
            details = [words.long_date(issue.date) for issue in self.written]
        else:
            lines = [words.long_date(dates[0]), words.summary(pages, articles)]
            details = self.written[0].details
        safe = [xml_safe(line) for line in details]
        return cover_png(xml_safe(masthead), lines, safe, self.options.fonts)


def write(issues: Iterable[Issue], out: BinaryIO, options: WriteOptions | None = None) -> None:
    """Write the issues as one EPUB 3 book, an issue at a time; several issues make a volume."""
    stream, volume = several(issues)
    book = _Book(options or WriteOptions(), volume)
    for issue in stream:
        book.add(issue)
        del issue  # hold no issue while the next one loads
    if not book.written:
        raise ExportError("EPUB", "no issue to write")
    book.finish(out)
