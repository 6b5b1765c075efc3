"""PDF writer: issues as a print-ready book with embedded CJK fonts, Chinese line breaking and bookmarks.

Lines are broken by `pdf_linebreak` and placed on sheets by `pdf_makeup` before anything is drawn, so the
title page can list the PDF page of every printed page; the sheets are then drawn on a reportlab canvas, each
font embedded as one composite TrueType subset (`pdf_type0`). The fonts come from the options' `Fonts`
(`pdf_fonts` picks a face for each character); every label from `vocabulary`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, A5, letter
from reportlab.pdfgen.canvas import Canvas

from epaper_cli.errors import ExportError
from epaper_cli.formats import WriteOptions
from epaper_cli.formats.pdf_fonts import FontSet, registered
from epaper_cli.formats.pdf_linebreak import Role
from epaper_cli.formats.pdf_makeup import Layout, Mark, PageRef, Rule, Style, TextLine
from epaper_cli.formats.pdf_type0 import Composite, text_block
from epaper_cli.formats.vocabulary import Languages, Vocabulary, book_title, issue_title, vocabulary
from epaper_cli.model import Article, Issue, Page, block_kind, page_sort_key

PAGE_SIZES = {"a4": A4, "a5": A5, "letter": letter}


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
            yield "body", "".join(filter(None, (article.byline, article.dateline, words.people(article.editors))))
            for block in article.body:
                yield ("body" if block_kind(block) == "text" else "head"), block.text


def write(issues: Iterable[Issue], out: BinaryIO, options: WriteOptions | None = None) -> None:
    """Write issues as one PDF book: a title page per issue, then its pages in the paper's order."""
    options = options or WriteOptions()
    size = PAGE_SIZES.get(options.page_size.lower())
    if size is None:
        raise ExportError(options.page_size, "unknown page size: use A4, A5 or letter")
    issues = list(issues)
    if not issues:
        raise ExportError("PDF", "no issue to write")
    if options.fonts is None:
        raise ExportError("PDF", "no fonts to set the text in")
    languages = Languages(issues)
    words = [vocabulary(lang) for lang in languages.issues]
    body_face, head_face = options.fonts.text_faces()
    sets: dict[Role, FontSet] = {"body": FontSet(body_face, options.fonts), "head": FontSet(head_face, options.fonts)}
    wanted: dict[Role, set[str]] = {"body": set(), "head": set()}
    for issue, issue_words in zip(issues, words, strict=True):
        for role, text in _texts(issue, issue_words):
            wanted[role].update(text)
    for role, chars in wanted.items():
        sets[role].add(chars)
    layout = Layout(size, 9.5 if size == A5 else 10.5, sets)
    for number, (issue, issue_words) in enumerate(zip(issues, words, strict=True)):
        _lay_issue(layout, issue, number, issue_words, nested=len(issues) > 1)
    _render(layout, issues, out, vocabulary(languages.book))


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
    toc = styles["toc"]
    for index, page in enumerate(pages):
        layout.need(toc.leading)
        key = f"i{number}p{index}"
        title = words.page_heading(page.label, page.section)
        layout.paragraph(title, toc)
        y = layout.y + toc.leading / 2 - 0.36 * toc.size
        right = layout.left + layout.measure
        start = layout.left + layout.sets["body"].width(title, toc.size) + toc.size
        link = (layout.left, y - 4, right, y + toc.size)
        layout.sheets[-1].ops.append(PageRef(key, right, y, toc.size, link, start))
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


def _render(layout: Layout, issues: Sequence[Issue], out: BinaryIO, words: Vocabulary) -> None:
    """Draw the laid-out sheets: text, rules, running header, folio, bookmarks and metadata."""
    papers = list(dict.fromkeys(issue.paper for issue in issues))
    title = book_title(issues, words)
    body = layout.sets["body"]
    canvas = Canvas(
        out,
        pagesize=(layout.page_width, layout.page_height),
        lang=words.lang,
        pageCompression=1,
        initialFontName=next(iter(body.glyphs.values()))[0],  # a TrueType font, so no unembedded Helvetica
    )
    canvas.setTitle(title)
    canvas.setAuthor(words.list_sep.join(papers))
    canvas.setSubject(f"{title}: {words.pdf_subject(sum(len(issue.articles()) for issue in issues))}")
    canvas.setCreator("epaper")
    canvas.setKeywords(", ".join(dict.fromkeys(p.section for i in issues for p in i.pages if p.section)))
    pages_of = {op.key: n + 1 for n, sheet in enumerate(layout.sheets) for op in sheet.ops if isinstance(op, Mark)}
    small = layout.body * 0.8
    doc = canvas._doc  # reportlab's TrueType subsets are kept per document
    codes: dict[str, Composite] = {}
    for number, sheet in enumerate(layout.sheets, start=1):
        lines = [op for op in sheet.ops if isinstance(op, TextLine)]
        if sheet.header is not None:
            header_y = layout.top + layout.body * 1.6
            lines.append(TextLine(header_y, small, 0.35, layout.plain(sheet.header, "body", small, layout.left)))
            canvas.setLineWidth(0.4)
            canvas.setStrokeGray(0.5)
            canvas.line(layout.left, header_y - 4, layout.left + layout.measure, header_y - 4)
            folio, size = str(number), layout.body * 0.9
            x = layout.left + (layout.measure - body.width(folio, size)) / 2
            lines.append(TextLine(layout.bottom - layout.body * 2.4, size, 0.2, layout.plain(folio, "body", size, x)))
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
        canvas.addLiteral(text_block(lines, codes, registered))
        canvas.showPage()
    canvas.showOutline()
    for composite in codes.values():
        composite.add_objects(doc)
    use_a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: a third smaller, and ASCII85 in pure Python is slow
    try:
        canvas.save()
    finally:
        rl_config.useA85 = use_a85


def _leader(canvas: Canvas, x1: float, x2: float, y: float) -> None:
    """Dot leaders from a contents entry to its page number."""
    canvas.saveState()
    canvas.setStrokeGray(0.45)
    canvas.setLineWidth(0.8)
    canvas.setLineCap(1)
    canvas.setDash([0.01, 3])
    canvas.line(x1, y + 1, x2, y + 1)
    canvas.restoreState()
