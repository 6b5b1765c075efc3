"""PDF writer: issues as a print-ready book with embedded CJK fonts, Chinese line breaking and bookmarks.

Lines are broken by `cjkwrap` and drawn one by one on a reportlab canvas, so CJK text can be justified by
spacing the characters (reportlab's Paragraph only stretches spaces). Layout runs before drawing, so the
title page can list the PDF page of every printed page. Each font is embedded as one composite (Type0)
TrueType subset with two-byte codes, and the text operators are written directly.
"""

from __future__ import annotations

import functools
import hashlib
import os
import struct
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, A5, letter
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from epaper_cli.errors import ExportError
from epaper_cli.formats import cjkwrap, fonts, truetype
from epaper_cli.formats.cjkwrap import Layout, Mark, PageRef, Rule, Style, TextLine
from epaper_cli.model import Article, Issue, Page, block_kind, page_sort_key

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
            found = truetype.embeddable(face, wanted, warm=face == self.face)
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
            em = self.ems[text] = sum(
                self.glyphs[c][1] if c in self.glyphs else self.space if c == " " else 0.0 for c in text
            )
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


_registered: dict[str, TTFont] = {}


def _register(path: str, index: int, *, required: bool) -> tuple[str, TTFont | None]:
    """Register a TrueType face with reportlab once per version of the file."""
    stat = os.stat(path)
    name = "ep" + hashlib.sha256(f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    if name not in _registered:
        try:
            font = TTFont(name, path, subfontIndex=index)
        except (TTFError, ValueError, OSError) as error:
            if required:
                raise ExportError(path, f"the font cannot be embedded ({error}): pass --font PATH") from None
            return name, None
        pdfmetrics.registerFont(font)
        _registered[name] = font
    return name, _registered[name]


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
    codes: dict[str, _Composite] = {}
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
        canvas.addLiteral(_text_block(lines, doc, codes))
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


class _Composite(dict[str, str]):
    """One TrueType font in one document, embedded as a composite (Type0) font with two-byte codes given in
    order of first use: each character's code as hex, looked up once.

    reportlab's own embedding splits a font into 256-character subsets, so Chinese text switches fonts
    every few characters; here a run is one string, and the pages' content streams are a third smaller.
    """

    def __init__(self, font: TTFont, key: str) -> None:
        super().__init__()
        self.font, self.key = font, key
        self.chars: dict[int, int] = font.face.charToGlyph
        self.codes: list[int] = []
        """The code point of each code from 1 on (code 0 is .notdef)."""

    def __missing__(self, char: str) -> str:
        if char == "\u00a0":
            found = self[" "]  # drawn as a space, as reportlab does
        elif ord(char) not in self.chars:
            found = "0000"
        else:
            self.codes.append(ord(char))
            found = f"{len(self.codes):04X}"
        self[char] = found
        return found

    def add_objects(self, doc: Any) -> None:
        """The font's PDF objects: the Type0 font, its CIDFont with widths, the subset font file, ToUnicode."""
        face = self.font.face
        digest = hashlib.sha256(repr((self.key, self.font.fontName, self.codes)).encode()).digest()
        tag = "".join(chr(65 + byte % 26) for byte in digest[:6])  # the subset's name, unique in the document
        base = f"{tag}+{(face.name + face.subfontNameX).decode('latin-1')}"
        gids, glyphs = [0], {0: 0}  # the glyph numbers reportlab's makeSubset gives, in the same order
        for code in self.codes:
            gids.append(glyphs.setdefault(self.chars[code], len(glyphs)))
        cid_font = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/CIDFontType2",
                "BaseFont": pdfdoc.PDFName(base),
                "CIDSystemInfo": pdfdoc.PDFDictionary(dict(_IDENTITY)),
                "FontDescriptor": face.addSubsetObjects(doc, base, self.codes),
                "DW": face.defaultWidth,
                "W": f"[1 [{' '.join(f'{face.getCharWidth(code):g}' for code in self.codes)}]]" if self.codes else "[]",
                "CIDToGIDMap": _stream(doc, f"cidToGid:{base}", struct.pack(f">{len(gids)}H", *gids)),
            }
        )
        font = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/Type0",
                "BaseFont": pdfdoc.PDFName(base),
                "Encoding": "/Identity-H",
                "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font, f"cidFont:{base}")]),
                "ToUnicode": _stream(doc, f"toUnicode:{base}", _to_unicode(self.codes)),
            }
        )
        doc.idToObject["BasicFonts"].dict[self.key] = doc.Reference(font, f"type0:{base}")


def _stream(doc: Any, name: str, content: str | bytes) -> Any:
    """A compressed stream object in the document, by reference."""
    return doc.Reference(pdfdoc.PDFStream(content=content, filters=[pdfdoc.PDFZCompress]), name)


def _to_unicode(codes: list[int]) -> str:
    """The CMap that maps each two-byte code back to its character (UTF-16, so 𠮷 is a surrogate pair)."""
    entries = [f"<{n:04X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for n, code in enumerate(codes, start=1)]
    blocks = [
        f"{len(entries[i : i + 100])} beginbfchar\n" + "\n".join(entries[i : i + 100]) + "\nendbfchar"
        for i in range(0, len(entries), 100)
    ]
    return _CMAP_HEAD + "\n".join(blocks) + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


_CMAP_HEAD = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
)
_IDENTITY = {"Registry": "(Adobe)", "Ordering": "(Identity)", "Supplement": 0}


def _text_block(lines: list[TextLine], doc: object, fonts: dict[str, _Composite]) -> str:
    """One BT…ET block for a sheet: each run placed with Tm, fonts and spacing set only when they change.

    reportlab's text object measures every string it draws to move its cursor; the runs are already
    placed, so the operators are written directly, each run as one hex string of two-byte codes.
    """
    out = ["BT"]
    add = out.append
    font_state: tuple[str, float] | None = None
    space_state: float | None = None
    gray_state: float | None = None
    for line in lines:
        if line.gray != gray_state:
            add(f"{line.gray:g} g")
            gray_state = line.gray
        y = f"{line.y:.2f} Tm"
        for run in line.runs:
            add(f"1 0 0 1 {run.x:.2f} {y}")
            if run.char_space != space_state:
                add(f"{run.char_space:.3f} Tc")
                space_state = run.char_space
            codes = fonts.get(run.font)
            if codes is None:
                codes = fonts[run.font] = _Composite(_registered[run.font], f"EP{len(fonts) + 1}")
            if (codes.key, line.size) != font_state:
                add(f"/{codes.key} {line.size:.2f} Tf")
                font_state = (codes.key, line.size)
            add(f"<{''.join(map(codes.__getitem__, run.text))}> Tj")
    add("ET")
    return "\n".join(out)
