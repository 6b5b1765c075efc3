"""The EPUB's container: the package document (OPF) and the zip, written by ebooklib from the finished
documents, with the stylesheet they share.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from epaper_cli.formats.epub_xhtml import xml_safe
from epaper_cli.model import Issue

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


def stylesheet(vertical: bool) -> str:
    """The shipped stylesheet (formats/epub.css), with the rules for vertical writing when asked for."""
    try:
        css = Path(__file__).with_name("epub.css").read_text(encoding="utf-8")
    except OSError:  # installed inside a zip file: ask the import system
        from importlib import resources

        css = resources.files("epaper_cli.formats").joinpath("epub.css").read_text(encoding="utf-8")
    return css + (_VERTICAL_CSS if vertical else "")


XHTML = "application/xhtml+xml"


class File(NamedTuple):
    """One file of the book besides the package document, in manifest order (XHTML ones in spine order)."""

    ident: str
    href: str
    media_type: str
    data: bytes
    properties: str = ""


def package(
    issues: Sequence[Issue],
    title: str,
    identifier: str,
    lang: str,
    files: Sequence[File],
    guide: list[dict[str, str]],
    vertical: bool,
) -> bytes:
    """Package the finished documents with ebooklib: the package document (OPF) and the zip container.

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
        if file.media_type == XHTML:
            spine.append((item, "no") if file.properties == "nav" else item)
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


def _modified() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)
