"""The EPUB writer: valid for epubcheck, contents in page order, metadata, cover, and every character of the text."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import io
import json
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest

from epaper_cli import fonts
from epaper_cli.errors import ExportError
from epaper_cli.formats import WriteOptions, epub, epub_xhtml
from epaper_cli.model import Article, Caption, Heading, Issue, Page, Person, Text, article_id
from tests.helpers import ROOT, require_file, require_tool

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
CONTROL = "".join(chr(code) for code in [*range(0x00, 0x09), 0x0B, 0x0C, 0x0D, *range(0x0E, 0x20), 0x7F])


def _article(paper: str, date: dt.date, page: str, title: str, n: int = 2, **fields: Any) -> Article:
    defaults: dict[str, Any] = {
        "kicker": "引题：人才交流会侧记",
        "subtitle": "——衢州市8·8人才交流会见闻",
        "byline": "记者 毛慧娟 通讯员 徐晓莹",
        "authors": [Person("记者", "毛慧娟"), Person("通讯员", "徐晓莹")],
        "dateline": "本报讯",
        "body": [
            Text(f"{title}的第{i}段：杭衢两地企业与求职者面对面交流，“破冰之约”变成“双向奔赴”。") for i in range(n)
        ]
        + [Heading("从“破冰之约”到“双向奔赴”"), Caption("交流会现场。 新华社记者 周牧摄"), Text("最后一段。")],
        "editors": [Person("责任编辑", "李华"), Person("校对", "王明")],
    }
    defaults.update(fields)
    return Article(title=title, id=article_id(paper, date, page, title), **defaults)


def chinese(date: dt.date = dt.date(2025, 8, 26)) -> Issue:
    """Pages 01, 03, 05 and 12 in the paper's order (12 after 3), one without a section."""
    paper = "衢州日报"
    pages = [("01", "要闻", 2), ("03", "民生", 3), ("05", None, 1), ("12", "副刊", 2)]
    return Issue(
        paper,
        date,
        [
            Page(label, section, [_article(paper, date, label, f"{label}版文章{i}") for i in range(count)])
            for label, section, count in pages
        ],
    )


def english() -> Issue:
    paper, date = "The Daily Example", dt.date(2025, 8, 26)
    article = Article(
        title="Budget passes after long night",
        id=article_id(paper, date, "A3", "Budget passes after long night"),
        byline="By Jane Doe",
        dateline="WASHINGTON",
        body=[Text("The budget passed at dawn, said the speaker."), Heading("What comes next"), Caption("The vote.")],
        editors=[Person("Editor", "John Roe")],
    )
    return Issue(paper, date, [Page("A1", "News", []), Page("A3", "Business", [article])])


def hostile() -> Issue:
    """Markup, entities, quotes and every character XML 1.0 forbids, in every field."""
    paper, date = '<AT&T> "Daily" & Co\x07', dt.date(2025, 1, 2)
    bad = f"<script>alert('x')</script> & AT&T &amp; \"q\" ]]> {CONTROL} \x85\x9f \ufffe\U0010ffff end"
    article = Article(
        title=f"<b>标题</b> & {bad}",
        id="x",
        kicker=bad,
        subtitle=bad,
        byline=bad,
        dateline=bad,
        body=[Heading(bad), Text(bad), Caption(bad), Text("<![CDATA[ x ]]> <!-- c --> &#0; &nbsp;")],
        editors=[Person(bad, bad)],
    )
    untitled = Article(title=" ", id="y")
    return Issue(paper, date, [Page("<1>", bad, [article, untitled]), Page("\x00", None, [])])


EMPTY = Issue("空报", dt.date(2025, 8, 26))
BOOKS = {
    "chinese": ([chinese()], False),
    "english": ([english()], False),
    "hostile": ([hostile()], True),
    "several": ([chinese(), chinese(dt.date(2025, 8, 27)), english(), EMPTY, hostile()], False),
    "empty": ([EMPTY], False),
}
CHECKED = ("chinese", "hostile", "several")
"""Books given to epubcheck (each run starts a JVM): between them they hold every other book's issues."""


def _write(issues: list[Issue], vertical: bool = False) -> bytes:
    buffer = io.BytesIO()
    epub.write(issues, buffer, WriteOptions(fonts.SystemFonts(), vertical=vertical))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("epub")
    paths = {}
    for name, (issues, vertical) in BOOKS.items():
        paths[name] = folder / f"{name}.epub"
        paths[name].write_bytes(_write(issues, vertical))
    return paths


def _epubcheck(path: Path) -> dict[str, Any]:
    report = path.with_suffix(".json")
    # C1-only JIT: epubcheck is a short run, where JVM start-up dominates. A large stack: epubcheck 4.x checks
    # the reading order recursively, one level per link, and a volume's contents have thousands of links.
    java = ["java", "-XX:TieredStopAtLevel=1", "-Xss64m"]
    run = subprocess.run(
        [*java, "-jar", str(EPUBCHECK), str(path), "--json", str(report)], capture_output=True, text=True, timeout=600
    )
    if not report.exists():
        pytest.fail(f"epubcheck wrote no report (exit {run.returncode}): {run.stderr[-2000:]}")
    if "StackOverflowError" in run.stdout + run.stderr:  # it then reports no problem, having checked nothing more
        pytest.fail(f"epubcheck ran out of stack: {run.stderr[:500]}")
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


@pytest.fixture(scope="module")
def reports(books: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """epubcheck's JSON report for every book, checked in parallel (each run starts a JVM)."""
    require_tool("java")
    require_file(EPUBCHECK, "epubcheck validates every EPUB")
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(CHECKED)) as pool:
        return dict(zip(CHECKED, pool.map(_epubcheck, [books[name] for name in CHECKED]), strict=True))


@pytest.mark.parametrize("name", CHECKED)
def test_epubcheck_finds_no_error_and_no_warning(reports: dict[str, dict[str, Any]], name: str) -> None:
    report = reports[name]
    problems = [
        f"{m['severity']} {m['ID']}: {m['message']} {m.get('locations')}"
        for m in report["messages"]
        if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]
    assert problems == []
    checker = report["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)


class Book:
    """An EPUB opened for inspection."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = ET.fromstring(self.zip.read("META-INF/container.xml"))
        rootfile = next(el for el in container.iter() if el.tag.endswith("rootfile"))
        self.opf_path = rootfile.attrib["full-path"]
        self.base = self.opf_path.rpartition("/")[0] + "/"
        self.opf = ET.fromstring(self.zip.read(self.opf_path))
        self.manifest = {item.attrib["id"]: item.attrib for item in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def read(self, href: str) -> bytes:
        return self.zip.read(self.base + href.partition("#")[0])

    def xml(self, href: str) -> ET.Element:
        return ET.fromstring(self.read(href))

    def meta(self, name: str) -> list[str]:
        return [el.text or "" for el in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    def prop(self, prop: str) -> list[ET.Element]:
        return [el for el in self.opf.iterfind("opf:metadata/opf:meta", NS) if el.attrib.get("property") == prop]

    def spine(self) -> list[str]:
        return [self.manifest[ref.attrib["idref"]]["href"] for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def nav_tree(self) -> list[tuple[str, str, list[Any]]]:
        """(label, href, children) from the nav document's toc."""
        nav_href = next(item["href"] for item in self.manifest.values() if "nav" in item.get("properties", ""))
        toc = next(
            el for el in self.xml(nav_href).iter(f"{{{NS['x']}}}nav") if el.get(f"{{{NS['epub']}}}type") == "toc"
        )

        def walk(ol: ET.Element | None) -> list[tuple[str, str, list[Any]]]:
            if ol is None:
                return []
            out = []
            for li in ol.findall("x:li", NS):
                a = li.find("x:a", NS)
                assert a is not None
                out.append(("".join(a.itertext()), a.attrib["href"], walk(li.find("x:ol", NS))))
            return out

        return walk(toc.find("x:ol", NS))

    def ncx_tree(self) -> list[tuple[str, str, list[Any]]]:
        ncx = self.xml(next(i["href"] for i in self.manifest.values() if i["media-type"].endswith("ncx+xml")))

        def walk(parent: ET.Element | None) -> list[tuple[str, str, list[Any]]]:
            assert parent is not None
            out = []
            for point in parent.findall("ncx:navPoint", NS):
                label = point.find("ncx:navLabel/ncx:text", NS)
                content = point.find("ncx:content", NS)
                assert label is not None and content is not None
                out.append((label.text or "", content.attrib["src"], walk(point)))
            return out

        return walk(ncx.find("ncx:navMap", NS))

    def text(self, href: str) -> str:
        body = self.xml(href).find("x:body", NS)
        assert body is not None
        return "".join(body.itertext())


@pytest.fixture(scope="module")
def opened(books: dict[str, Path]) -> dict[str, Book]:
    return {name: Book(path.read_bytes()) for name, path in books.items()}


def test_contents_follow_the_page_order(opened: dict[str, Book]) -> None:
    book, issue = opened["chinese"], chinese()
    tree = book.nav_tree()
    assert [label for label, _, _ in tree] == ["01版 要闻", "03版 民生", "05版", "12版 副刊"]
    for (_, _, articles), page in zip(tree, issue.pages, strict=True):
        assert [label for label, _, _ in articles] == [article.title for article in page.articles]
    assert book.ncx_tree() == tree
    hrefs = [href for _, page_href, articles in tree for href in [page_href, *(a for _, a, _ in articles)]]
    spine = book.spine()
    assert spine[0] == "cover.xhtml"
    assert [href for href in spine if href in hrefs] == hrefs


def test_several_issues_are_the_top_level(opened: dict[str, Book]) -> None:
    tree = opened["several"].nav_tree()
    assert [label for label, _, _ in tree] == [
        "衢州日报 2025-08-26",
        "衢州日报 2025-08-27",
        "The Daily Example 2025-08-26",
        "空报 2025-08-26",
        f"{hostile().paper.replace(chr(7), chr(0x2407))} 2025-01-02",
    ]
    assert [label for label, _, _ in tree[0][2]] == ["01版 要闻", "03版 民生", "05版", "12版 副刊"]
    assert [label for label, _, _ in tree[2][2]] == ["Page A1: News", "Page A3: Business"]
    paper = hostile().paper.replace("\x07", "\u2407")
    assert opened["several"].meta("title") == [f"衢州日报、The Daily Example、空报、{paper} 2025-01-02 – 2025-08-27"]


def test_article_documents_hold_every_field(opened: dict[str, Book]) -> None:
    book, issue = opened["chinese"], chinese()
    for (_, _, articles), page in zip(book.nav_tree(), issue.pages, strict=True):
        for (_, href, _), article in zip(articles, page.articles, strict=True):
            shown = book.text(href)
            fields = [article.title, article.kicker, article.subtitle, article.byline, article.dateline]
            for value in [*fields, *(block.text for block in article.body)]:
                assert value and value in shown
            assert "责任编辑：李华\u3000校对：王明" in shown
            assert f"{page.label}版" in shown  # the running head names the page


@pytest.mark.parametrize("name", ["hostile", "english"])
def test_any_text_arrives_intact(opened: dict[str, Book], name: str) -> None:
    book, issue = opened[name], BOOKS[name][0][0]
    articles = [href for _, _, children in book.nav_tree() for _, href, _ in children]
    for href, (_, article) in zip(articles, issue.articles(), strict=True):
        shown = book.text(href)
        for block in article.body:
            assert epub.xml_safe(block.text) in shown
        for person in article.editors:
            assert epub.xml_safe(person.name) in shown
    for href in book.spine():
        assert b"<script" not in book.read(href)


def test_forbidden_characters_are_replaced_visibly() -> None:
    assert epub.xml_safe("a\x00b\x07c\x1bd\re\x7ff\tg\nh") == "a\u2400b\u2407c\u241bd\u240de\u2421f\tg\nh"
    assert epub.xml_safe("\x85\x9f\ufffe\ud800") == "\ufffd" * 4
    assert epub.xml_safe("衢州 <&> “quotes”") == "衢州 <&> “quotes”"
    book = Book(_write([hostile()]))
    shown = book.text(book.nav_tree()[0][2][0][1])
    assert "\u2407" in shown and CONTROL not in shown
    assert "<script>alert('x')</script> & AT&T &amp; \"q\" ]]>" in shown
    assert book.nav_tree()[0][2][1][0] == "(untitled)"


def test_metadata(opened: dict[str, Book]) -> None:
    book = opened["chinese"]
    assert book.meta("title") == ["衢州日报 2025-08-26"]
    assert book.meta("language") == ["zh-CN"]
    assert book.meta("date") == ["2025-08-26"]
    assert book.meta("publisher") == ["衢州日报"]
    (identifier,) = book.meta("identifier")
    assert identifier.startswith("urn:uuid:")
    (series,) = book.prop("belongs-to-collection")
    assert series.text == "衢州日报"
    refines = {
        el.attrib["property"]: el.text
        for el in book.opf.iterfind("opf:metadata/opf:meta", NS)
        if el.get("refines") == "#" + series.attrib["id"]
    }
    assert refines == {"collection-type": "series", "group-position": "20250826"}
    assert opened["english"].meta("language") == ["en"]
    assert opened["english"].meta("title") == ["The Daily Example 2025-08-26"]
    for name in ("chinese", "english", "hostile"):
        assert (
            opened[name].xml("nav.xhtml").attrib["{http://www.w3.org/XML/1998/namespace}lang"]
            == opened[name].meta("language")[0]
        )


def test_identifier_is_stable() -> None:
    first, second = Book(_write([chinese()])), Book(_write([chinese()], vertical=True))
    assert first.meta("identifier") == second.meta("identifier")
    other = Book(_write([chinese(dt.date(2025, 8, 27))]))
    assert other.meta("identifier") != first.meta("identifier")
    assert epub.book_identifier([chinese()]) == epub.book_identifier([chinese()]) == first.meta("identifier")[0]


def test_cover_image_and_landmarks(opened: dict[str, Book]) -> None:
    book = opened["chinese"]
    (cover,) = [item for item in book.manifest.values() if item.get("properties") == "cover-image"]
    assert cover["media-type"] == "image/png"
    png = book.read(cover["href"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1200, 1800)
    assert len(png) > 10_000  # drawn, not blank
    assert book.spine()[0] == "cover.xhtml"
    assert f'src="{cover["href"]}"'.encode() in book.read("cover.xhtml")
    landmarks = next(
        el for el in book.xml("nav.xhtml").iter(f"{{{NS['x']}}}nav") if el.get(f"{{{NS['epub']}}}type") == "landmarks"
    )
    kinds = [a.get(f"{{{NS['epub']}}}type") for a in landmarks.iter(f"{{{NS['x']}}}a")]
    assert kinds == ["cover", "toc", "bodymatter"]


def test_vertical_writing(opened: dict[str, Book]) -> None:
    vertical, horizontal = opened["hostile"], opened["chinese"]
    spine = vertical.opf.find("opf:spine", NS)
    assert spine is not None and spine.attrib.get("page-progression-direction") == "rtl"
    assert b"writing-mode: vertical-rl" in vertical.read("style.css")
    spine = horizontal.opf.find("opf:spine", NS)
    assert spine is not None and "page-progression-direction" not in spine.attrib
    css = horizontal.read("style.css").decode()
    assert "writing-mode" not in css
    for rule in (
        "text-indent: 2em",
        "line-height: 1.8",
        "text-align: justify",
        "line-break: strict",
        '"Noto Serif CJK SC"',
    ):
        assert rule in css


def test_an_issue_without_pages_still_makes_a_book(opened: dict[str, Book]) -> None:
    book = opened["empty"]
    assert book.nav_tree() == [("空报 2025-08-26", "issue1.xhtml", [])]
    assert "本期没有版面。" in book.text("issue1.xhtml")


def test_nothing_to_write_is_an_export_error() -> None:
    with pytest.raises(ExportError):
        epub.write([], io.BytesIO())


def _big_issue() -> Issue:
    paper, date = "衢州日报", dt.date(2025, 8, 26)
    labels = [f"{n:02d}" for n in range(1, 9)]
    return Issue(
        paper,
        date,
        [
            Page(label, "版面", [_article(paper, date, label, f"{label}-{i}", n=12) for i in range(16)])
            for label in labels
        ],
    )


def test_128_articles_each_get_their_document() -> None:
    data = _write([_big_issue()])  # how fast: bench/run.py measures it, no test times anything
    assert len(Book(data).spine()) == 2 + 1 + 8 + 128


def test_ebooklib_and_pillow_load_only_when_writing() -> None:
    code = (
        "import sys, epaper_cli.formats.epub, epaper_cli.formats.text; "
        "print(sorted(m for m in ('ebooklib', 'PIL') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_the_quick_look_for_forbidden_characters_misses_none() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert all(epub_xhtml._XML_SUSPECT.match(ch) for ch in epub_xhtml._XML_UNSAFE.findall(every))
