"""EPUB 3 export: a cover, a front page, a page (版面) divider per page and one XHTML file per article.

The documents, the navigation document and the NCX are written here as strings (ebooklib re-parses XHTML
through an HTML parser, so control characters silently become U+FFFD and empty documents abort the write, and
its nav gets relative links and nesting wrong); ebooklib writes the package document (OPF) and the zip
container from them. All documents live in one folder, so every link is a bare file name.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from epaper_cli.errors import ExportError
from epaper_cli.formats.cover import Request, painter
from epaper_cli.formats.language import Letters, article_texts, language_from, page_heading
from epaper_cli.model import Article, Caption, Heading, Issue, Person, block_kind
from epaper_cli.workers import Helper

_NONCHARACTERS = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
_XML_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")
"""What XML 1.0 forbids (C0 controls but tab and line feed; lone surrogates; U+FFFE/U+FFFF), plus what HTML
calls a parse error (carriage return in text, DEL, C1 controls, noncharacters)."""
_XML_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]")
"""A first look for `_XML_UNSAFE`: it matches all that does and every character beyond the BMP, and is searched
ten times faster (the regex engine tests the 32 noncharacters beyond the BMP one by one, every character)."""

_WORDS = {
    "zh": {
        "contents": "目录",
        "landmarks": "导航",
        "cover": "封面",
        "start": "正文",
        "untitled": "（无题）",
        "empty_page": "本版没有文章。",
        "empty_issue": "本期没有版面。",
        "editor_sep": "\u3000",
        "dateline_sep": "\u3000",
        "role_sep": "：",
    },
    "en": {
        "contents": "Contents",
        "landmarks": "Landmarks",
        "cover": "Cover",
        "start": "Start",
        "untitled": "(untitled)",
        "empty_page": "No articles on this page.",
        "empty_issue": "No pages in this issue.",
        "editor_sep": "; ",
        "dateline_sep": " ",
        "role_sep": ": ",
    },
}
_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_EN: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July")
_MONTHS_EN += ("August", "September", "October", "November", "December")

_VERTICAL_CSS = """
/* vertical-rl: set by `epaper export --vertical` */
html {
  writing-mode: vertical-rl;
  -epub-writing-mode: vertical-rl;
  -webkit-writing-mode: vertical-rl;
}

body {
  margin: 4% 0;
}

p.running {
  margin: 0 0 0 1.6em;
  padding: 0 0 0 0.2em;
  border-bottom: 0;
  border-left: 1px solid #c8b9a5;
}

p.caption {
  margin: 0 0.8em;
  padding: 0.8em 0 0;
  border-left: 0;
  border-top: 3px solid #c8b9a5;
}
"""


def xml_safe(text: str) -> str:
    """Replace what XML forbids, visibly and always the same way: C0 controls become their Control Pictures
    (U+0007 → ␇), DEL becomes ␡, and C1 controls, lone surrogates and noncharacters become U+FFFD."""
    if not _XML_SUSPECT.search(text) or not _XML_UNSAFE.search(text):
        return text
    return _XML_UNSAFE.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    """The stand-in for one forbidden character."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def _esc(text: str) -> str:
    """Text ready for XHTML content or a double-quoted attribute."""
    return xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@dataclass
class _Doc:
    """One XHTML document of the book, in spine order."""

    file: str
    title: str
    lang: str
    body: str
    body_class: str = ""


@dataclass
class _Entry:
    """One entry of the contents: a label, the document it opens, and the entries under it."""

    label: str
    href: str
    children: list[_Entry] = field(default_factory=list)


def _words(lang: str) -> dict[str, str]:
    """The interface words of a language."""
    return _WORDS["zh" if lang.startswith("zh") else "en"]


def long_date(date: dt.date, lang: str) -> str:
    """The date as the paper prints it under its masthead."""
    if lang.startswith("zh"):
        return f"{date.year}年{date.month}月{date.day}日\u3000星期{_WEEKDAYS_ZH[date.weekday()]}"
    return f"{_WEEKDAYS_EN[date.weekday()]}, {date.day} {_MONTHS_EN[date.month - 1]} {date.year}"


def _counts(pages: int, articles: int, lang: str) -> str:
    """`共 4 版 · 12 篇` / `4 pages · 12 articles`."""
    if lang.startswith("zh"):
        return f"共 {pages} 版 · {articles} 篇"
    return f"{pages} page{'s' * (pages != 1)} · {articles} article{'s' * (articles != 1)}"


def _title(article: Article, words: dict[str, str]) -> str:
    """An article's title for lists, never empty (an empty link is invalid and useless)."""
    return article.title if article.title.strip() else words["untitled"]


def _people(people: Sequence[Person], words: dict[str, str]) -> str:
    """`责任编辑：李华　校对：王明`."""
    return words["editor_sep"].join(
        f"{person.role}{words['role_sep']}{person.name}" if person.role else person.name for person in people
    )


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


def book_title(issues: Sequence[Issue]) -> str:
    """`衢州日报 2025-08-26`; a date range for several issues."""
    papers = "、".join(dict.fromkeys(issue.paper for issue in issues))
    dates = sorted({issue.date for issue in issues})
    span = dates[0].isoformat() if len(dates) == 1 else f"{dates[0].isoformat()} – {dates[-1].isoformat()}"
    return f"{papers} {span}"


def book_identifier(issues: Sequence[Issue]) -> str:
    """The same issues always get the same identifier, so readers replace an old copy instead of adding one."""
    key = "\x1e".join(f"{issue.paper}\x1f{issue.date.isoformat()}" for issue in issues)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'epaper:' + key)}"


@functools.lru_cache(maxsize=1)
def _stylesheet() -> str:
    """The shipped stylesheet (formats/epub.css)."""
    try:
        return Path(__file__).with_name("epub.css").read_text(encoding="utf-8")
    except OSError:  # installed inside a zip file: ask the import system
        from importlib import resources

        return resources.files("epaper_cli.formats").joinpath("epub.css").read_text(encoding="utf-8")


def _xhtml(doc: _Doc) -> bytes:
    """A complete XHTML content document."""
    body_class = f' class="{doc.body_class}"' if doc.body_class else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{doc.lang}" xml:lang="{doc.lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{_esc(doc.title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body{body_class}>\n{doc.body}</body>\n</html>\n"
    ).encode()


def _article_body(article: Article, running: str, words: dict[str, str]) -> str:
    """An article: its heading block, its body in reading order, then its editors."""
    out = ["<article>\n<header>\n", f'<p class="running">{_esc(running)}</p>\n']
    if article.kicker:
        out.append(f'<p class="kicker">{_esc(article.kicker)}</p>\n')
    out.append(f"<h1>{_esc(_title(article, words))}</h1>\n")
    if article.subtitle:
        out.append(f'<p class="subtitle">{_esc(article.subtitle)}</p>\n')
    byline = _byline(article)
    if byline:
        out.append(f'<p class="byline">{_esc(byline)}</p>\n')
    out.append("</header>\n")
    dateline = f'<span class="dateline">{_esc(article.dateline)}</span>' if article.dateline else ""
    if dateline and not (article.body and block_kind(article.body[0]) == "text"):
        out.append(f"<p>{dateline}</p>\n")
        dateline = ""
    for block in article.body:
        if isinstance(block, Heading):
            out.append(f"<h2>{_esc(block.text)}</h2>\n")
        elif isinstance(block, Caption):
            out.append(f'<p class="caption">{_esc(block.text)}</p>\n')
        elif dateline:
            out.append(f"<p>{dateline}{words['dateline_sep']}{_esc(block.text)}</p>\n")
            dateline = ""
        else:
            out.append(f"<p>{_esc(block.text)}</p>\n")
    if article.editors:
        out.append(f'<footer>\n<p class="editors">{_esc(_people(article.editors, words))}</p>\n</footer>\n')
    out.append("</article>\n")
    return "".join(out)


def _links(entries: Iterable[_Entry], css: str = "", child_css: str = "") -> str:
    """A nested ordered list of links, as the nav document and the front page need it."""
    items = []
    for entry in entries:
        children = _links(entry.children, child_css, child_css) if entry.children else ""
        items.append(f'<li><a href="{entry.href}">{_esc(entry.label)}</a>{children}</li>\n')
    if not items:
        return ""
    attr = f' class="{css}"' if css else ""
    return f"\n<ol{attr}>\n{''.join(items)}</ol>\n"


def _letters(issue: Issue) -> list[list[Letters]]:
    """The letters of an issue: its own (the paper's name, the sections), then each article's, page by page.
    The language of the book, of each issue and of each article all follow from them, so each text is
    scanned once, not once per level."""
    own = [Letters([issue.paper, *(page.section or "" for page in issue.pages)])]
    return [own, *([Letters(article_texts(article)) for article in page.articles] for page in issue.pages)]


def _issue_docs(issue: Issue, number: int, words_lang: str, letters: list[list[Letters]]) -> tuple[list[_Doc], _Entry]:
    """The front page, page dividers and articles of one issue, and its entry in the contents."""
    per_page = letters[1:]
    lang = language_from([part for parts in letters for part in parts], words_lang)
    words = _words(lang)
    date = long_date(issue.date, lang)
    front = f"issue{number}.xhtml"
    pages: list[_Entry] = []
    articles: list[list[_Doc]] = []
    for p, (page, page_letters) in enumerate(zip(issue.pages, per_page, strict=True), 1):
        heading = page_heading(page.label, page.section, lang)
        entry = _Entry(heading, f"issue{number}-p{p}.xhtml")
        docs = []
        running = f"{issue.paper} · {date} · {heading}"
        for a, (article, article_letters) in enumerate(zip(page.articles, page_letters, strict=True), 1):
            child = _Entry(_title(article, words), f"issue{number}-p{p}-a{a}.xhtml")
            entry.children.append(child)
            body = _article_body(article, running, words)
            docs.append(_Doc(child.href, child.label, language_from([article_letters], lang), body))
        pages.append(entry)
        articles.append(docs)
    count = sum(len(page.articles) for page in issue.pages)
    masthead = (
        f'<header class="front">\n<h1 class="masthead">{_esc(issue.paper)}</h1>\n'
        f'<p class="issue-date">{_esc(date)}</p>\n'
        f'<p class="issue-count">{_esc(_counts(len(issue.pages), count, lang))}</p>\n</header>\n'
    )
    index = _links(pages, "pages", "titles") or f'<p class="empty">{_esc(words["empty_issue"])}</p>\n'
    out = [_Doc(front, f"{issue.paper} {issue.date.isoformat()}", lang, masthead + index, "front")]
    for entry, docs in zip(pages, articles, strict=True):
        body = (
            f'<p class="running">{_esc(issue.paper)} · {_esc(date)}</p>\n'
            f'<h1 class="page-title">{_esc(entry.label)}</h1>\n'
            + (_links(entry.children, "titles") or f'<p class="empty">{_esc(words["empty_page"])}</p>\n')
        )
        out.append(_Doc(entry.href, entry.label, lang, body, "page"))
        out += docs
    return out, _Entry(f"{issue.paper} {issue.date.isoformat()}", front, pages)


def _nav(toc: list[_Entry], title: str, lang: str, start: str) -> _Doc:
    """The EPUB 3 navigation document: the contents tree and the landmarks."""
    words = _words(lang)
    body = (
        f'<nav epub:type="toc" id="toc">\n<h1>{_esc(words["contents"])}</h1>{_links(toc)}</nav>\n'
        f'<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<h2>{_esc(words["landmarks"])}</h2>\n<ol>\n'
        f'<li><a epub:type="cover" href="cover.xhtml">{_esc(words["cover"])}</a></li>\n'
        f'<li><a epub:type="toc" href="nav.xhtml#toc">{_esc(words["contents"])}</a></li>\n'
        f'<li><a epub:type="bodymatter" href="{start}">{_esc(words["start"])}</a></li>\n</ol>\n</nav>\n'
    )
    return _Doc("nav.xhtml", title, lang, body, "nav")


def _ncx(toc: list[_Entry], title: str, identifier: str, lang: str) -> bytes:
    """The EPUB 2 table of contents, the same tree as the nav, for older reading systems."""
    order = 0

    def points(entries: list[_Entry], depth: int) -> tuple[str, int]:
        nonlocal order
        out, deepest = [], depth if entries else depth - 1
        for entry in entries:
            order += 1
            mine = order
            inner, below = points(entry.children, depth + 1)
            deepest = max(deepest, below)
            out.append(
                f'<navPoint id="nav{mine}" playOrder="{mine}"><navLabel><text>{_esc(entry.label)}</text>'
                f'</navLabel><content src="{entry.href}"/>\n{inner}</navPoint>\n'
            )
        return "".join(out), deepest

    nav_map, depth = points(toc, 1)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="{lang}">\n<head>\n'
        f'<meta name="dtb:uid" content="{_esc(identifier)}"/>\n<meta name="dtb:depth" content="{max(depth, 1)}"/>\n'
        '<meta name="dtb:totalPageCount" content="0"/>\n<meta name="dtb:maxPageNumber" content="0"/>\n</head>\n'
        f"<docTitle><text>{_esc(title)}</text></docTitle>\n<navMap>\n{nav_map}</navMap>\n</ncx>\n"
    ).encode()


def _modified() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def _cover(issues: Sequence[Issue], lang: str) -> Request:
    """What the cover shows: masthead, date (or range), counts, and the pages or issues inside."""
    masthead = "、".join(dict.fromkeys(issue.paper for issue in issues))
    dates = sorted({issue.date for issue in issues})
    when = long_date(dates[0], lang) if len(dates) == 1 else f"{dates[0].isoformat()} – {dates[-1].isoformat()}"
    pages = sum(len(issue.pages) for issue in issues)
    count = _counts(pages, sum(len(issue.articles()) for issue in issues), lang)
    if len(issues) == 1:
        details = [page_heading(page.label, page.section, lang) for page in issues[0].pages]
    else:
        details = [f"{issue.paper} {issue.date.isoformat()}" for issue in issues]
    return xml_safe(masthead), [when, count], [xml_safe(line) for line in details]


_XHTML = "application/xhtml+xml"


class _File(NamedTuple):
    """One file of the book besides the package document, in manifest order (XHTML ones in spine order)."""

    ident: str
    href: str
    media_type: str
    data: bytes
    properties: str = ""


def _package(
    issues: Sequence[Issue],
    title: str,
    identifier: str,
    lang: str,
    files: Sequence[_File],
    cover: Callable[[], bytes],
    guide: list[dict[str, str]],
    vertical: bool,
) -> bytes:
    """Package the finished documents with ebooklib: the package document (OPF) and the zip container.

    The cover image is asked for last, when the zip is written up to it: it is being drawn meanwhile.

    Every item is given with its media type (ebooklib would otherwise read the system's MIME table), and the
    zip uses deflate level 1: about half the default level's time for a few percent more bytes.
    """
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(identifier)
    book.set_title(xml_safe(title))
    book.set_language(lang)
    book.add_metadata("DC", "date", issues[0].date.isoformat())
    for paper in dict.fromkeys(xml_safe(issue.paper).strip() for issue in issues):
        if paper:  # an empty element is invalid
            book.add_metadata("DC", "publisher", paper)
    series = xml_safe(issues[0].paper).strip()
    if series:
        book.add_metadata(None, "meta", series, {"property": "belongs-to-collection", "id": "series"})
        book.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
        position = issues[0].date.strftime("%Y%m%d")
        book.add_metadata(None, "meta", position, {"refines": "#series", "property": "group-position"})
    if vertical:
        book.set_direction("rtl")
        book.add_metadata(None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"})
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})  # for EPUB 2 readers
    spine: list[object] = []
    for file in files:
        item = epub.EpubItem(file.ident, file.href, file.media_type, file.data)
        if file.properties:
            item.properties = [file.properties]
        book.add_item(item)
        if file.media_type == _XHTML:
            spine.append((item, "no") if file.properties == "nav" else item)
    # The cover image goes last and is asked for only when the zip reaches it: it is being drawn meanwhile.
    book.add_item(_drawn_item(epub, "cover-img", "cover.png", "image/png", cover, "cover-image"))
    book.spine = spine
    book.guide = guide
    buffer = io.BytesIO()
    options = {
        "mtime": _modified(),
        "raise_exceptions": True,
        "epub3_landmark": False,
        "epub3_pages": False,
        "compresslevel": 1,
    }
    epub.write_epub(buffer, book, options)
    return buffer.getvalue()


def _drawn_item(epub: Any, ident: str, href: str, media_type: str, draw: Callable[[], bytes], properties: str) -> Any:
    """An ebooklib item whose content is made when ebooklib first asks for it (it does so only to zip it)."""

    class Drawn(epub.EpubItem):  # type: ignore[misc]
        def get_content(self, default: bytes | None = None) -> bytes:
            content: bytes = getattr(self, "content", b"")
            if not content:  # ebooklib starts every item with empty content
                content = self.content = draw()
            return content

    item = Drawn(ident, href, media_type)
    item.properties = [properties]
    return item


def write(
    issues: Sequence[Issue], out: BinaryIO, *, vertical: bool = False, cover: Helper[Request, bytes] | None = None
) -> None:
    """Write the issues as one EPUB 3 book; with several issues, issues are the top level of its contents.

    `cover` is a `formats.cover.painter()` started early (before the issue was read) to draw the cover.
    """
    if not issues:
        raise ExportError("EPUB", "no issue to write")
    letters = [_letters(issue) for issue in issues]
    lang = language_from([part for mine in letters for parts in mine for part in parts], "zh-CN")
    # The cover (fonts, drawing, PNG) is drawn in a second process while this one writes the book.
    drawing = cover if cover is not None else painter()
    drawing.start(_cover(issues, lang))
    title, identifier = book_title(issues), book_identifier(issues)
    docs: list[_Doc] = []
    toc: list[_Entry] = []
    for number, (issue, mine) in enumerate(zip(issues, letters, strict=True), 1):
        issue_docs, entry = _issue_docs(issue, number, lang, mine)
        docs += issue_docs
        toc += entry.children if len(issues) == 1 and entry.children else [entry]
    words = _words(lang)
    cover_doc = _Doc("cover.xhtml", words["cover"], lang, f'<div><img src="cover.png" alt="{_esc(title)}"/></div>\n')
    cover_doc.body_class = "cover"
    nav = _nav(toc, words["contents"], lang, docs[0].file)
    css = _stylesheet() + (_VERTICAL_CSS if vertical else "")
    files = [
        _File("style", "style.css", "text/css", css.encode("utf-8")),
        _File("ncx", "toc.ncx", "application/x-dtbncx+xml", _ncx(toc, title, identifier, lang)),
        *(
            _File(doc.file.removesuffix(".xhtml"), doc.file, _XHTML, _xhtml(doc), "nav" if doc is nav else "")
            for doc in [cover_doc, nav, *docs]
        ),
    ]
    guide = [
        {"type": "cover", "href": "cover.xhtml", "title": words["cover"]},
        {"type": "toc", "href": "nav.xhtml", "title": words["contents"]},
        {"type": "text", "href": docs[0].file, "title": words["start"]},
    ]
    out.write(_package(issues, title, identifier, lang, files, drawing.result, guide, vertical))
