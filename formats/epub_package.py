"""The EPUB's container: the package document (OPF) and the zip, written by ebooklib from the finished
documents, with the stylesheet they share.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, NamedTuple

from epaper_cli.formats.epub_xhtml import xml_safe

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


_VOLUME_CSS = """
/* a volume: the links under each article to the previous and next article and to its issue's contents */
nav.pager {
  margin: 2em 0 0;
  padding-top: 0.5em;
  border-top: 1px solid #c8b9a5;
  font-size: 0.85em;
}

nav.pager ul {
  margin: 0;
  padding: 0;
  list-style-type: none;
}

nav.pager li {
  margin: 0.3em 0;
}

nav.pager a {
  color: #8a1c1c;
}
"""


def stylesheet(vertical: bool, volume: bool = False) -> str:
    """The shipped stylesheet (formats/epub.css), with the rules for vertical writing and for the links between
    a volume's articles when asked for."""
    try:
        css = Path(__file__).with_name("epub.css").read_text(encoding="utf-8")
    except OSError:  # installed inside a zip file: ask the import system
        from importlib import resources

        css = resources.files("epaper_cli.formats").joinpath("epub.css").read_text(encoding="utf-8")
    return css + (_VOLUME_CSS if volume else "") + (_VERTICAL_CSS if vertical else "")


XHTML = "application/xhtml+xml"


class File(NamedTuple):
    """One file of the book besides the package document, in manifest order (XHTML ones in spine order)."""

    ident: str
    href: str
    media_type: str
    data: bytes
    properties: str = ""


class Metadata(NamedTuple):
    """What the package document says of the book."""

    title: str
    identifier: str
    lang: str
    date: str
    publishers: Sequence[str]
    places: Sequence[str]
    """Where the papers are published (`dc:coverage`), as far as the paper registry says."""
    series: str
    """The collection the book belongs to: its (first) paper."""
    position: str
    """Its place in the collection: the first issue's date as YYYYMMDD, so issues and volumes shelve by date."""


def package(meta: Metadata, files: Sequence[File], guide: list[dict[str, str]], vertical: bool, out: BinaryIO) -> None:
    """Package the finished documents with ebooklib, straight into `out`: the package document (OPF) and the
    zip container.

    Every item is given with its media type (ebooklib would otherwise read the system's MIME table), and the
    zip uses deflate level 1: about half the default level's time for a few percent more bytes.
    """
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(meta.identifier)
    book.set_title(xml_safe(meta.title))
    book.set_language(meta.lang)
    book.add_metadata("DC", "date", meta.date)
    for name, values in (("publisher", meta.publishers), ("coverage", meta.places)):
        for value in dict.fromkeys(xml_safe(value).strip() for value in values):
            if value:  # an empty element is invalid
                book.add_metadata("DC", name, value)
    series = xml_safe(meta.series).strip()
    if series:
        book.add_metadata(None, "meta", series, {"property": "belongs-to-collection", "id": "series"})
        book.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
        book.add_metadata(None, "meta", meta.position, {"refines": "#series", "property": "group-position"})
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
    options = {
        "mtime": _modified(),
        "raise_exceptions": True,
        "epub3_landmark": False,
        "epub3_pages": False,
        "compresslevel": 1,
    }
    with warnings.catch_warnings():  # ebooklib warns before it re-raises an OSError: the error says it all
        warnings.simplefilter("ignore")
        epub.write_epub(out, book, options)


def _modified() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)
