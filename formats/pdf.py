"""PDF writer: issues as a print-ready book with embedded CJK fonts, Chinese line breaking and bookmarks.

Lines are broken by `cjkwrap` and drawn one by one on a reportlab canvas, so CJK text can be justified by
spacing the characters (reportlab's Paragraph only stretches spaces). Layout runs before drawing, so the
title page can list the PDF page of every printed page.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, A5, letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from epaper_cli.errors import ExportError
from epaper_cli.model import Article, Issue, Page, block_kind, page_sort_key
from formats import cjkwrap, fonts
from formats.cjkwrap import Layout, Mark, PageRef, Rule, Style, TextLine

PAGE_SIZES = {"a4": A4, "a5": A5, "letter": letter}
Role = cjkwrap.Role
WEEKDAYS = "一二三四五六日"


class FontSet:
    """Which embedded font draws each character for one role, and each character's width per point of size."""

    def __init__(self, face: fonts.Face, user_font: bool) -> None:
        self.face = face
        self.user_font = user_font
        self.glyphs: dict[str, tuple[str, float]] = {}
        self.ems: dict[str, float] = {}
        self.space = 0.3

    def add(self, chars: Iterable[str]) -> None:
        """Find a font for every new character: the main face, then fallbacks; ExportError names what is left."""
        wanted = {
            ord(c)
            for c in chars
            if c not in self.glyphs and (c in "\u00a0\u3000" or not c.isspace()) and not cjkwrap.is_invisible(c)
        }
        if not wanted:
            return
        for face in self._candidates(wanted):
            found = fonts.embeddable(face, wanted, warm=face == self.face)
            if found is None:
                continue
            name, font = _register(*found, required=face == self.face)
            if font is None:
                continue
            widths, default = font.face.charWidths, font.face.defaultWidth
            for code in [code for code in wanted if code in font.face.charToGlyph]:
                self.glyphs[chr(code)] = (name, widths.get(code, default) / 1000)
                wanted.discard(code)
            if face == self.face and 32 in widths:
                self.space = widths[32] / 1000
            if not wanted:
                return
        listed = " ".join(f"{chr(code)} (U+{code:04X})" for code in sorted(wanted)[:12])
        hint = "pass --font PATH with a font that has them" if self.user_font else fonts.INSTALL_HINT
        raise ExportError(self.face.path, f"no installed font has a glyph for {listed}: {hint}")

    def _candidates(self, wanted: set[int]) -> Iterator[fonts.Face]:
        """The main face first; the fallbacks are looked for only when it lacks something."""
        yield self.face
        yield from (face for face in fonts.fallbacks(wanted, self.face) if face != self.face)

    def width(self, text: str, size: float) -> float:
        """The natural width of a text (a word or a character) at a size."""
        em = self.ems.get(text)
        if em is None:
            if any(c not in self.glyphs for c in text):
                self.add(text)
            em = self.ems[text] = sum(self.glyphs[c][1] for c in text if c in self.glyphs)
        return em * size

    def pieces(self, text: str) -> list[tuple[str, str]]:
        """Split a text into (font, text) pieces so each is drawn in a font that has its characters."""
        out: list[tuple[str, str]] = []
        for char in text:
            if char not in self.glyphs:
                continue  # invisible characters only: `add` has raised for anything else
            font = self.glyphs[char][0]
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + char)
            else:
                out.append((font, char))
        return out


class _TrueType(TTFont):  # type: ignore[misc]
    """reportlab's TrueType font, with ToUnicode entries right for characters beyond U+FFFF (𠮷 in a name).

    reportlab writes such a code as five hex digits, which readers truncate; PDF wants UTF-16 there.
    """

    def addObjects(self, doc: Any) -> None:
        """Add the font's subsets to the document, then rewrite any ToUnicode entry past the BMP."""
        super().addObjects(doc)
        for key, stream in doc.idToObject.items():
            if key.startswith("toUnicodeCMap:") and isinstance(stream.content, str):
                stream.content = _ASTRAL.sub(_utf16, stream.content)


_ASTRAL = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")


def _utf16(match: re.Match[str]) -> str:
    """One ToUnicode entry with its code point as UTF-16 (a surrogate pair)."""
    return f"<{match[1]}> <{chr(int(match[2], 16)).encode('utf-16-be').hex().upper()}>"


_registered: dict[str, TTFont] = {}


def _register(path: str, index: int, *, required: bool) -> tuple[str, TTFont | None]:
    """Register a TrueType face with reportlab once per version of the file."""
    stat = os.stat(path)
    name = "ep" + hashlib.sha256(f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    if name not in _registered:
        try:
            font = _TrueType(name, path, subfontIndex=index)
        except (TTFError, ValueError, OSError) as error:
            if required:
                raise ExportError(path, f"the font cannot be embedded ({error}): pass --font PATH") from None
            return name, None
        pdfmetrics.registerFont(font)
        _registered[name] = font
    return name, _registered[name]


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


def _is_chinese(issue: Issue) -> bool:
    """Chinese papers get Chinese labels (03版, 星期二) and /Lang zh-CN; others English ones."""
    sample = issue.paper + "".join(a.title for _page, a in issue.articles()[:20])
    return any(cjkwrap.is_cjk(c) for c in sample)


def _date(issue: Issue, chinese: bool) -> str:
    """The issue date as the paper prints it."""
    d = issue.date
    return (
        f"{d.year}年{d.month}月{d.day}日 星期{WEEKDAYS[d.weekday()]}" if chinese else f"{d:%A}, {d.day} {d:%B} {d.year}"
    )


def _page_title(page: Page, chinese: bool) -> str:
    """A page's name in headers and bookmarks: 03版 民生, or Page A3: Metro."""
    if chinese:
        return f"{page.label}版" + (f" {page.section}" if page.section else "")
    return f"Page {page.label}" + (f": {page.section}" if page.section else "")


def _header(issue: Issue, page: Page, chinese: bool) -> str:
    """The running header: paper · date · page and section."""
    return f"{issue.paper} · {issue.date.isoformat()} · {_page_title(page, chinese)}"


def _people(article: Article, chinese: bool) -> str:
    """The editor line printed small at an article's end."""
    sep = "：" if chinese else ": "
    return ("　" if chinese else "; ").join(f"{p.role}{sep}{p.name}" for p in article.editors)


def _summary(issue: Issue, chinese: bool) -> str:
    """How much the issue holds, for its title page."""
    pages, articles = len(issue.pages), len(issue.articles())
    return f"共 {pages} 版 · {articles} 篇" if chinese else f"{pages} pages · {articles} articles"


def _texts(issue: Issue, chinese: bool) -> Iterator[tuple[Role, str]]:
    """Every string the issue will print, by font role, so fonts are prepared in one batch."""
    yield "head", issue.paper
    yield "body", _date(issue, chinese) + _summary(issue, chinese) + "0123456789　—"
    for page in issue.pages:
        yield "head", _page_title(page, chinese)
        yield "body", _header(issue, page, chinese) + _page_title(page, chinese)
        for article in page.articles:
            yield "head", "".join(filter(None, (article.kicker, article.title, article.subtitle)))
            yield "body", "".join(filter(None, (article.byline, article.dateline, _people(article, chinese))))
            for block in article.body:
                yield ("body" if block_kind(block) == "text" else "head"), block.text


def write(issues: Sequence[Issue], out: BinaryIO, *, font: str | None = None, page_size: str = "A4") -> None:
    """Write issues as one PDF book: a title page per issue, then its pages in the paper's order."""
    size = PAGE_SIZES.get(page_size.lower())
    if size is None:
        raise ExportError(page_size, "unknown page size: use A4, A5 or letter")
    if not issues:
        raise ExportError("PDF", "no issue to write")
    chinese = _is_chinese(issues[0])
    body_face, head_face = fonts.choose(font)
    sets: dict[Role, FontSet] = {"body": FontSet(body_face, bool(font)), "head": FontSet(head_face, bool(font))}
    wanted: dict[Role, set[str]] = {"body": set(), "head": set()}
    for issue in issues:
        for role, text in _texts(issue, _is_chinese(issue)):
            wanted[role].update(text)
    for role, chars in wanted.items():
        sets[role].add(chars)
    layout = Layout(size, 9.5 if size == A5 else 10.5, sets)
    for number, issue in enumerate(issues):
        _lay_issue(layout, issue, number, nested=len(issues) > 1)
    _render(layout, issues, out, chinese)


def _lay_issue(layout: Layout, issue: Issue, number: int, *, nested: bool) -> None:
    """Lay out one issue: title page with its contents, then each printed page on new sheets."""
    chinese = _is_chinese(issue)
    styles = _styles(layout.body)
    pages = sorted(issue.pages, key=lambda p: page_sort_key(p.label))
    layout.new_sheet(None)
    level = 1 if nested else 0
    if nested:
        layout.mark(f"i{number}", f"{issue.paper} {issue.date.isoformat()}", 0)
    layout.y -= layout.body * 4
    layout.paragraph(issue.paper, styles["paper"])
    layout.paragraph(_date(issue, chinese), styles["date"])
    layout.paragraph(_summary(issue, chinese), styles["summary"])
    layout.rule(1.2, layout.body)
    toc = styles["toc"]
    for index, page in enumerate(pages):
        layout.need(toc.leading)
        key = f"i{number}p{index}"
        title = _page_title(page, chinese)
        layout.paragraph(title, toc)
        y = layout.y + toc.leading / 2 - 0.36 * toc.size
        right = layout.left + layout.measure
        start = layout.left + layout.sets["body"].width(title, toc.size) + toc.size
        link = (layout.left, y - 4, right, y + toc.size)
        layout.sheets[-1].ops.append(PageRef(key, right, y, toc.size, link, start))
    for index, page in enumerate(pages):
        layout.new_sheet(_header(issue, page, chinese))
        layout.mark(f"i{number}p{index}", _page_title(page, chinese), level)
        layout.paragraph(_page_title(page, chinese), styles["page"])
        layout.rule(1.5, layout.body * 0.5)
        layout.y -= layout.body * 0.5
        for article_number, article in enumerate(page.articles):
            if article_number:
                layout.rule(0.4, layout.body * 0.8)
            _lay_article(layout, article, f"i{number}p{index}a{article_number}", level + 1, chinese)


def _lay_article(layout: Layout, article: Article, key: str, level: int, chinese: bool) -> None:
    """Kicker, title, subtitle, byline, then the body with the dateline leading its first paragraph."""
    styles = _styles(layout.body)
    head = [
        (text, styles[name])
        for name, text in (
            ("kicker", article.kicker),
            ("title", article.title),
            ("subtitle", article.subtitle),
            ("byline", article.byline),
        )
        if text
    ]
    height = sum(layout.text_height(text, style) for text, style in head)
    layout.need(height + 3 * styles["text"].leading)
    layout.mark(key, article.title, level)
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
            text, lead = f"{lead}{'　' if chinese else ' — '}{text}", None
        if kind == "heading":
            layout.need(layout.text_height(text, styles["heading"]) + 2 * styles["text"].leading)
        layout.paragraph(text, styles[kind])
    for extra in (lead, trailing):
        if extra:
            layout.paragraph(extra, styles["text"])
    if article.editors:
        layout.paragraph(_people(article, chinese), styles["editors"])


def _render(layout: Layout, issues: Sequence[Issue], out: BinaryIO, chinese: bool) -> None:
    """Draw the laid-out sheets: text, rules, running header, folio, bookmarks and metadata."""
    first, last = issues[0], issues[-1]
    papers = list(dict.fromkeys(issue.paper for issue in issues))
    dates = first.date.isoformat() + (f"–{last.date.isoformat()}" if len(issues) > 1 else "")
    body = layout.sets["body"]
    canvas = Canvas(
        out,
        pagesize=(layout.page_width, layout.page_height),
        lang="zh-CN" if chinese else "en",
        pageCompression=1,
        initialFontName=next(iter(body.glyphs.values()))[0],  # a TrueType font, so no unembedded Helvetica
    )
    canvas.setTitle(f"{' / '.join(papers)} {dates}")
    canvas.setAuthor("、".join(papers) if chinese else ", ".join(papers))
    count = sum(len(issue.articles()) for issue in issues)
    canvas.setSubject(f"{' / '.join(papers)} {dates}: " + (f"电子报 {count} 篇" if chinese else f"{count} articles"))
    canvas.setCreator("epaper")
    canvas.setKeywords(", ".join(dict.fromkeys(p.section for i in issues for p in i.pages if p.section)))
    pages_of = {op.key: n + 1 for n, sheet in enumerate(layout.sheets) for op in sheet.ops if isinstance(op, Mark)}
    small = layout.body * 0.8
    doc = canvas._doc  # reportlab's TrueType subsets are kept per document
    for number, sheet in enumerate(layout.sheets, start=1):
        lines = [op for op in sheet.ops if isinstance(op, TextLine)]
        if sheet.header is not None:
            header_y = layout.top + layout.body * 1.6
            lines.append(TextLine(header_y, small, 0.35, _plain(body, sheet.header, layout.left, small)))
            canvas.setLineWidth(0.4)
            canvas.setStrokeGray(0.5)
            canvas.line(layout.left, header_y - 4, layout.left + layout.measure, header_y - 4)
            folio, size = str(number), layout.body * 0.9
            x = layout.left + (layout.measure - body.width(folio, size)) / 2
            lines.append(TextLine(layout.bottom - layout.body * 2.4, size, 0.2, _plain(body, folio, x, size)))
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
                lines.append(TextLine(op.y, op.size, 0, _plain(body, folio, x, op.size)))
                _leader(canvas, op.leader, x - op.size * 0.6, op.y)
                canvas.linkAbsolute("", op.key, op.link)
        canvas.addLiteral(_text_block(lines, doc))
        canvas.showPage()
    canvas.showOutline()
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


def _plain(fs: cjkwrap.Fonts, text: str, x: float, size: float) -> list[cjkwrap.Run]:
    """Unjustified runs for a short text such as a header or a page number."""
    units = cjkwrap.tokenize(text)
    return cjkwrap.place(units, cjkwrap.unit_widths(units, fs, size), fs, size, x, 0.0)


def _text_block(lines: list[TextLine], doc: object) -> str:
    """One BT…ET block for a sheet: each run placed with Tm, fonts and spacing set only when they change.

    reportlab's text object measures every string it draws to move its cursor; the runs are already
    placed, so the operators are written directly, with each TrueType subset's codes as hex strings.
    """
    out = ["BT"]
    names: dict[tuple[str, int], str] = {}
    font_state: tuple[str, float] | None = None
    space_state: float | None = None
    gray_state: float | None = None
    for line in lines:
        if line.gray != gray_state:
            out.append(f"{line.gray:g} g")
            gray_state = line.gray
        for run in line.runs:
            out.append(f"1 0 0 1 {run.x:.2f} {line.y:.2f} Tm")
            if run.char_space != space_state:
                out.append(f"{run.char_space:.3f} Tc")
                space_state = run.char_space
            font = _registered[run.font]
            for subset, codes in font.splitString(run.text, doc):
                name = names.get((run.font, subset)) or names.setdefault(
                    (run.font, subset), font.getSubsetInternalName(subset, doc)
                )
                if (name, line.size) != font_state:
                    out.append(f"{name} {line.size:.2f} Tf")
                    font_state = (name, line.size)
                out.append(f"<{codes.hex()}> Tj")
    out.append("ET")
    return "\n".join(out)
