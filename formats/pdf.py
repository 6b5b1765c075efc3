"""PDF writer: issues as a print-ready book with embedded CJK fonts, Chinese line breaking and bookmarks.

Issues are taken one at a time. Each is broken into lines by `pdf_linebreak` and placed on sheets by
`pdf_makeup` before anything is drawn, so its title page can list the PDF page of every printed page; its
sheets are then drawn on a reportlab canvas and each sheet's content kept compressed, so a volume of a month
holds its finished pages, never its issues. Each font is embedded as one composite TrueType subset
(`pdf_type0`); the fonts come from the options' `Fonts` (`pdf_fonts` picks a face for each character); every
label from `vocabulary`.

A volume (several issues) has three levels of bookmarks (issue, page, article) and a contents list at the
front, whose pages are numbered i, ii, … so that the issues' pages are numbered from 1 as they are drawn.
"""

from __future__ import annotations

import datetime as dt
import functools
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, A5, letter
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from epaper_cli.errors import ExportError
from epaper_cli.formats import WriteOptions, several
from epaper_cli.formats.pdf_fonts import FontSet, registered
from epaper_cli.formats.pdf_linebreak import Role
from epaper_cli.formats.pdf_makeup import Layout, Mark, PageRef, Rule, Sheet, Style, TextLine
from epaper_cli.formats.pdf_type0 import Composite, text_block
from epaper_cli.formats.vocabulary import (
    BookLanguage,
    IssueLanguages,
    Vocabulary,
    issue_title,
    span_title,
    vocabulary,
)
from epaper_cli.model import Article, Issue, Page, block_kind, page_sort_key

PAGE_SIZES = {"a4": A4, "a5": A5, "letter": letter}
_CUT = "…"
"""Ends a contents entry cut short."""


@functools.lru_cache(maxsize=4)
def _styles(body: float) -> dict[str, Style]:
    """The type scale, proportional to the body size as a newspaper's is."""
    return {
        "text": Style("body", body, body * 1.75, indent=2),
        "heading": Style("head", body * 1.05, body * 1.75, align="left", before=body * 0.6),
        "caption": Style("head", body * 0.86, body * 1.45, before=body * 0.4, after=body * 0.4, gray=0.25),
        "kicker": Style("head", body * 1.05, body * 1.6, align="center"),
        "title": Style("head", body * 1.7, body * 2.35, align="center"),
        "subtitle": Style("head", body * 1.1, body * 1.7, align="center"),
        "byline": Style("body", body * 0.95, body * 1.7, align="center", before=body * 0.2, gray=0.2),
        "editors": Style("body", body * 0.8, body * 1.4, align="right", before=body * 0.3, gray=0.35),
        "page": Style("head", body * 1.9, body * 2.6, align="left"),
        "paper": Style("head", body * 3.2, body * 4.2, align="center"),
        "date": Style("body", body * 1.3, body * 2.0, align="center"),
        "summary": Style("body", body * 0.95, body * 1.6, align="center", gray=0.35),
        "toc": Style("body", body * 1.05, body * 2.0, align="left"),
        "toc_article": Style("body", body * 0.95, body * 1.6, indent=2, align="left", gray=0.2),
    }


def _header(issue: Issue, page: Page, words: Vocabulary) -> str:
    """The running header: paper · date · page and section."""
    return f"{issue.paper} · {issue.date.isoformat()} · {words.page_heading(page.label, page.section)}"


def _texts(issue: Issue, words: Vocabulary) -> Iterator[tuple[Role, str]]:
    """Every string the issue will print, by font role, so fonts are prepared in one batch."""
    yield "head", issue.paper
    yield "body", words.long_date(issue.date) + words.summary(len(issue.pages), len(issue.articles()))
    yield "body", "0123456789" + words.dateline_sep
    for page in issue.pages:
        yield "head", words.page_heading(page.label, page.section)
        yield "body", _header(issue, page, words)
        for article in page.articles:
            yield "head", "".join(filter(None, (article.kicker, words.title(article), article.subtitle)))
            yield "body", words.title(article) + _CUT
            yield "body", "".join(filter(None, (article.byline, article.dateline, words.people(article.editors))))
            for block in article.body:
                yield ("body" if block_kind(block) == "text" else "head"), block.text


def write(issues: Iterable[Issue], out: BinaryIO, options: WriteOptions | None = None) -> None:
    """Write issues as one PDF book, an issue at a time: a title page per issue, then its pages in the paper's
    order; several issues make a volume with a contents list at the front."""
    options = options or WriteOptions()
    size = PAGE_SIZES.get(options.page_size.lower())
    if size is None:
        raise ExportError(options.page_size, "unknown page size: use A4, A5 or letter")
    stream, volume = several(issues)
    book: _Book | None = None
    for issue in stream:
        if book is None:
            book = _Book(size, options, volume, out)
        book.add(issue)
        del issue  # hold no issue while the next one loads
    if book is None:
        raise ExportError("PDF", "no issue to write")
    book.finish()


@dataclass(frozen=True)
class _Written:
    """What the book keeps of an issue once its pages are drawn: what the contents and metadata need."""

    paper: str
    date: dt.date
    pages: int
    articles: int
    folio: int
    """The number of its title page."""


class _Book:
    """The book being drawn: the fonts, the canvas with the finished pages, and a little per issue."""

    def __init__(self, size: tuple[float, float], options: WriteOptions, volume: bool, out: BinaryIO) -> None:
        if options.fonts is None:
            raise ExportError("PDF", "no fonts to set the text in")
        self.options, self.volume, self.out = options, volume, out
        body_face, head_face = options.fonts.text_faces()
        sets: dict[Role, FontSet] = {
            "body": FontSet(body_face, options.fonts),
            "head": FontSet(head_face, options.fonts),
        }
        self.sets = sets
        self.layout = Layout(size, 9.5 if size == A5 else 10.5, sets)
        self.canvas: Canvas | None = None
        self.codes: dict[str, Composite] = {}
        self.written: list[_Written] = []
        self.sections: dict[str, None] = {}
        self.language = BookLanguage()
        self.first_lang = ""

    def prepare(self, texts: Iterable[tuple[Role, str]]) -> None:
        """Find a font for every character the texts will print, in one batch per role."""
        wanted: dict[Role, set[str]] = {"body": set(), "head": set()}
        for role, text in texts:
            wanted[role].update(text)
        for role, chars in wanted.items():
            self.sets[role].add(chars)

    def add(self, issue: Issue) -> None:
        """Lay out one issue and draw its sheets."""
        languages = IssueLanguages(issue)
        if self.volume:
            self.language.add(languages)
        elif not self.written:
            self.first_lang = languages.lang
        words = vocabulary(languages.lang)
        self.prepare(_texts(issue, words))
        folio = self.drawn + 1
        _lay_issue(self.layout, issue, len(self.written), words, nested=self.volume)
        sheets, self.layout.sheets = self.layout.sheets, []
        self.draw(sheets, folio)
        articles = sum(len(page.articles) for page in issue.pages)
        self.written.append(_Written(issue.paper, issue.date, len(issue.pages), articles, folio))
        self.sections.update(dict.fromkeys(page.section for page in issue.pages if page.section))

    @property
    def drawn(self) -> int:
        """How many of the issues' sheets are drawn: the next one is numbered one more."""
        return 0 if self.canvas is None else len(self.canvas._doc.Pages.pages)

    def open(self) -> Canvas:
        """The canvas, made when the first sheet is drawn (its first font must be one the book embeds)."""
        if self.canvas is None:
            self.canvas = Canvas(
                self.out,
                pagesize=(self.layout.page_width, self.layout.page_height),
                pageCompression=1,
                initialFontName=next(iter(self.sets["body"].glyphs.values()))[0],  # no unembedded Helvetica
            )
        return self.canvas

    def draw(self, sheets: Sequence[Sheet], first: int, pages_of: dict[str, int] | None = None) -> None:
        """Draw laid-out sheets: text, rules, running header, folio (numbered from `first`), bookmarks, links;
        each sheet's content is compressed as soon as it is drawn."""
        canvas, layout = self.open(), self.layout
        body = layout.sets["body"]
        if pages_of is None:
            pages_of = {op.key: first + n for n, sh in enumerate(sheets) for op in sh.ops if isinstance(op, Mark)}
        small = layout.body * 0.8
        for number, sheet in enumerate(sheets, start=first):
            lines = [op for op in sheet.ops if isinstance(op, TextLine)]
            if sheet.header is not None:
                header_y = layout.top + layout.body * 1.6
                lines.append(TextLine(header_y, small, 0.35, layout.plain(sheet.header, "body", small, layout.left)))
                canvas.setLineWidth(0.4)
                canvas.setStrokeGray(0.5)
                canvas.line(layout.left, header_y - 4, layout.left + layout.measure, header_y - 4)
                folio, size = str(number), layout.body * 0.9
                x = layout.left + (layout.measure - body.width(folio, size)) / 2
                lines.append(
                    TextLine(layout.bottom - layout.body * 2.4, size, 0.2, layout.plain(folio, "body", size, x))
                )
            for op in sheet.ops:
                if isinstance(op, Mark):
                    canvas.bookmarkPage(op.key, fit="XYZ", left=0, top=op.y)
                    canvas.addOutlineEntry(op.title, op.key, level=op.level)
                elif isinstance(op, Rule):
                    canvas.setStrokeGray(0)
                    canvas.setLineWidth(op.width)
                    canvas.line(op.x1, op.y, op.x2, op.y)
                elif isinstance(op, PageRef):
                    folio = str(pages_of.get(op.key, ""))
                    x = op.x - body.width(folio, op.size)
                    lines.append(TextLine(op.y, op.size, 0, layout.plain(folio, "body", op.size, x)))
                    _leader(canvas, op.leader, x - op.size * 0.6, op.y)
                    canvas.linkAbsolute("", op.key, op.link)
            canvas.addLiteral(text_block(lines, self.codes, registered))
            canvas.showPage()
            _compress(canvas._doc.Pages.pages[-1])

    def front(self, words: Vocabulary) -> None:
        """A volume's front matter: its papers, span and counts, then the contents, one line per issue with the
        number of its title page; drawn last, then moved before the issues and numbered i, ii, …"""
        papers = [issue.paper for issue in self.written]
        masthead = words.list_sep.join(dict.fromkeys(papers))
        dates = [issue.date for issue in self.written]
        span = words.date_span(min(dates), max(dates))
        pages, articles = sum(i.pages for i in self.written), sum(i.articles for i in self.written)
        summary = words.volume_summary(len(self.written), pages, articles)
        several_papers = len(set(papers)) > 1
        entries = [
            f"{words.long_date(i.date)}{words.list_sep + i.paper if several_papers else ''}" for i in self.written
        ]
        self.prepare([("head", masthead + words.contents), ("body", span + summary + "0123456789" + "".join(entries))])
        layout, styles = self.layout, _styles(self.layout.body)
        layout.new_sheet(None)
        layout.y -= layout.body * 4
        layout.paragraph(masthead, styles["paper"])
        layout.paragraph(span, styles["date"])
        layout.paragraph(summary, styles["summary"])
        layout.rule(1.2, layout.body)
        layout.paragraph(words.contents, styles["page"])
        for number, entry in enumerate(entries):
            _contents_line(layout, entry, f"i{number}")
        sheets, layout.sheets = layout.sheets, []
        self.draw(sheets, 0, {f"i{n}": issue.folio for n, issue in enumerate(self.written)})
        canvas = self.open()
        pages = canvas._doc.Pages.pages
        pages[:] = pages[-len(sheets) :] + pages[: -len(sheets)]
        canvas.addPageLabel(0, "ROMAN_LOWER")
        canvas.addPageLabel(len(sheets), "ARABIC")

    def finish(self) -> None:
        """The front matter of a volume, the metadata, the outline and the fonts; then save the book."""
        lang = self.language.lang if self.volume else self.first_lang
        words = vocabulary(lang)
        if self.volume:
            self.front(words)
        canvas = self.open()
        papers = [issue.paper for issue in self.written]
        title = span_title(papers, [issue.date for issue in self.written], words)
        canvas._doc.Catalog.Lang = pdfdoc.PDFString(self.options.language(papers) or words.lang)
        canvas.setTitle(title)
        canvas.setAuthor(words.list_sep.join(self.options.publishers(papers)))
        canvas.setSubject(f"{title}: {words.pdf_subject(sum(issue.articles for issue in self.written))}")
        canvas.setCreator("epaper")
        canvas.setKeywords(", ".join([*self.options.places(papers), *self.sections]))
        canvas.showOutline()
        doc = canvas._doc  # reportlab's TrueType subsets are kept per document
        for composite in self.codes.values():
            composite.add_objects(doc)
        use_a85 = rl_config.useA85
        rl_config.useA85 = 0  # binary streams: a third smaller, and ASCII85 in pure Python is slow
        try:
            canvas.save()
        finally:
            rl_config.useA85 = use_a85


def _compress(page: pdfdoc.PDFPage) -> None:
    """Keep a drawn page's content compressed, as the file will hold it, rather than as text until the save."""
    content = zlib.compress(page.stream.encode("utf-8"))  # as reportlab would
    filters = pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])})
    page.Contents = pdfdoc.PDFStream(filters, content)
    page.stream = None


def _lay_issue(layout: Layout, issue: Issue, number: int, words: Vocabulary, *, nested: bool) -> None:
    """Lay out one issue: title page with its contents, then each printed page on new sheets."""
    styles = _styles(layout.body)
    pages = sorted(issue.pages, key=lambda p: page_sort_key(p.label))
    layout.new_sheet(None)
    level = 1 if nested else 0
    if nested:
        layout.mark(f"i{number}", issue_title(issue), 0)
    layout.y -= layout.body * 4
    layout.paragraph(issue.paper, styles["paper"])
    layout.paragraph(words.long_date(issue.date), styles["date"])
    layout.paragraph(words.summary(len(issue.pages), len(issue.articles())), styles["summary"])
    layout.rule(1.2, layout.body)
    for index, page in enumerate(pages):
        _contents_line(layout, words.page_heading(page.label, page.section), f"i{number}p{index}")
        for article_number, article in enumerate(page.articles):
            key = f"i{number}p{index}a{article_number}"
            _contents_line(layout, words.title(article), key, "toc_article")
    for index, page in enumerate(pages):
        title = words.page_heading(page.label, page.section)
        layout.new_sheet(_header(issue, page, words))
        layout.mark(f"i{number}p{index}", title, level)
        layout.paragraph(title, styles["page"])
        layout.rule(1.5, layout.body * 0.5)
        layout.y -= layout.body * 0.5
        for article_number, article in enumerate(page.articles):
            if article_number:
                layout.rule(0.4, layout.body * 0.8)
            _lay_article(layout, article, f"i{number}p{index}a{article_number}", level + 1, words)


def _contents_line(layout: Layout, title: str, key: str, style: str = "toc") -> None:
    """One line of a contents list: the title (cut short to keep on one line), dot leaders, and the number of the
    page where `key` is marked."""
    toc = _styles(layout.body)[style]
    width = layout.sets["body"].width
    indent = toc.indent * toc.size
    room = layout.measure - indent - 4 * toc.size  # the leader and a page number of up to four digits
    if width(title, toc.size) > room:
        while title and width(title + _CUT, toc.size) > room:
            title = title[:-1]
        title = title.rstrip() + _CUT
    layout.need(toc.leading)
    layout.paragraph(title, toc)
    y = layout.y + toc.leading / 2 - 0.36 * toc.size
    right = layout.left + layout.measure
    start = layout.left + indent + width(title, toc.size) + toc.size
    link = (layout.left, y - 4, right, y + toc.size)
    layout.sheets[-1].ops.append(PageRef(key, right, y, toc.size, link, start))


def _lay_article(layout: Layout, article: Article, key: str, level: int, words: Vocabulary) -> None:
    """Kicker, title, subtitle, byline, then the body with the dateline leading its first paragraph."""
    styles = _styles(layout.body)
    head = [
        (text, styles[name])
        for name, text in (
            ("kicker", article.kicker),
            ("title", words.title(article)),
            ("subtitle", article.subtitle),
            ("byline", article.byline),
        )
        if text
    ]
    height = sum(layout.text_height(text, style) for text, style in head)
    layout.need(height + 3 * styles["text"].leading)
    layout.mark(key, words.title(article), level)
    for text, style in head:
        layout.paragraph(text, style)
    layout.y -= layout.body * 0.6
    dateline = article.dateline
    trailing = dateline if dateline and dateline[0] in "（(" else None
    lead = None if trailing else dateline
    for block in article.body:
        kind = block_kind(block)
        text = block.text
        if kind == "text" and lead:
            text, lead = f"{lead}{words.dateline_sep}{text}", None
        if kind == "heading":
            layout.need(layout.text_height(text, styles["heading"]) + 2 * styles["text"].leading)
        layout.paragraph(text, styles[kind])
    for extra in (lead, trailing):
        if extra:
            layout.paragraph(extra, styles["text"])
    if article.editors:
        layout.paragraph(words.people(article.editors), styles["editors"])


def _leader(canvas: Canvas, x1: float, x2: float, y: float) -> None:
    """Dot leaders from a contents entry to its page number."""
    canvas.saveState()
    canvas.setStrokeGray(0.45)
    canvas.setLineWidth(0.8)
    canvas.setLineCap(1)
    canvas.setDash([0.01, 3])
    canvas.line(x1, y + 1, x2, y + 1)
    canvas.restoreState()
