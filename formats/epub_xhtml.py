"""The EPUB's documents as text: XHTML content documents, the navigation document and the NCX, and the
escaping that keeps any text of an issue valid XML in them.

They are written here as strings, not through ebooklib: it re-parses XHTML through an HTML parser (control
characters silently become U+FFFD, empty documents abort the write) and its nav gets relative links and
nesting wrong. All documents live in one folder, so every link is a bare file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from epaper_cli.formats.vocabulary import Vocabulary

_NONCHARACTERS = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
_XML_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")
"""What XML 1.0 forbids (C0 controls but tab and line feed; lone surrogates; U+FFFE/U+FFFF), plus what HTML
calls a parse error (carriage return in text, DEL, C1 controls, noncharacters)."""
_XML_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]")
"""A first look for `_XML_UNSAFE`: it matches all that does and every character beyond the BMP, and is searched
ten times faster (the regex engine tests the 32 noncharacters beyond the BMP one by one, every character)."""


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


def esc(text: str) -> str:
    """Text ready for XHTML content or a double-quoted attribute."""
    return xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@dataclass
class Doc:
    """One XHTML document of the book, in spine order."""

    file: str
    title: str
    lang: str
    body: str
    body_class: str = ""


@dataclass
class Entry:
    """One entry of the contents: a label, the document it opens, and the entries under it."""

    label: str
    href: str
    children: list[Entry] = field(default_factory=list)


def xhtml(doc: Doc) -> bytes:
    """A complete XHTML content document."""
    body_class = f' class="{doc.body_class}"' if doc.body_class else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{doc.lang}" xml:lang="{doc.lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{esc(doc.title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body{body_class}>\n{doc.body}</body>\n</html>\n"
    ).encode()


def links(entries: Iterable[Entry], css: str = "", child_css: str = "") -> str:
    """A nested ordered list of links, as the nav document and the front page need it."""
    items = []
    for entry in entries:
        children = links(entry.children, child_css, child_css) if entry.children else ""
        items.append(f'<li><a href="{entry.href}">{esc(entry.label)}</a>{children}</li>\n')
    if not items:
        return ""
    attr = f' class="{css}"' if css else ""
    return f"\n<ol{attr}>\n{''.join(items)}</ol>\n"


def nav(toc: list[Entry], words: Vocabulary, start: str) -> Doc:
    """The EPUB 3 navigation document: the contents tree and the landmarks."""
    body = (
        f'<nav epub:type="toc" id="toc">\n<h1>{esc(words.contents)}</h1>{links(toc)}</nav>\n'
        f'<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<h2>{esc(words.landmarks)}</h2>\n<ol>\n'
        f'<li><a epub:type="cover" href="cover.xhtml">{esc(words.cover)}</a></li>\n'
        f'<li><a epub:type="toc" href="nav.xhtml#toc">{esc(words.contents)}</a></li>\n'
        f'<li><a epub:type="bodymatter" href="{start}">{esc(words.start)}</a></li>\n</ol>\n</nav>\n'
    )
    return Doc("nav.xhtml", words.contents, words.lang, body, "nav")


def ncx(toc: list[Entry], title: str, identifier: str, lang: str) -> bytes:
    """The EPUB 2 table of contents, the same tree as the nav, for older reading systems."""
    order = 0

    def points(entries: list[Entry], depth: int) -> tuple[str, int]:
        nonlocal order
        out, deepest = [], depth if entries else depth - 1
        for entry in entries:
            order += 1
            mine = order
            inner, below = points(entry.children, depth + 1)
            deepest = max(deepest, below)
            out.append(
                f'<navPoint id="nav{mine}" playOrder="{mine}"><navLabel><text>{esc(entry.label)}</text>'
                f'</navLabel><content src="{entry.href}"/>\n{inner}</navPoint>\n'
            )
        return "".join(out), deepest

    nav_map, depth = points(toc, 1)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="{lang}">\n<head>\n'
        f'<meta name="dtb:uid" content="{esc(identifier)}"/>\n<meta name="dtb:depth" content="{max(depth, 1)}"/>\n'
        '<meta name="dtb:totalPageCount" content="0"/>\n<meta name="dtb:maxPageNumber" content="0"/>\n</head>\n'
        f"<docTitle><text>{esc(title)}</text></docTitle>\n<navMap>\n{nav_map}</navMap>\n</ncx>\n"
    ).encode()
