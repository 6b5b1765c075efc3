"""Volumes as books: a month or a range of issues as one EPUB and one PDF, checked by epubcheck, pdffonts,
pdftotext and pypdf; and the paper registry's publisher, place and language in both books' metadata."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import io
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from epaper_cli import fonts, schema
from epaper_cli.formats import WriteOptions, epub, pdf
from epaper_cli.formats.vocabulary import vocabulary
from epaper_cli.model import Issue, PaperInfo
from tests.helpers import SAMPLES, require_file, require_tool, sample_encoding
from tests.test_cli import run
from tests.test_epub import EPUBCHECK, NS, Book, _epubcheck
from tests.test_volumes import AUGUST, PAPER, build_archive, make_issue

ZH = vocabulary("zh-CN")


pytestmark = pytest.mark.usefixtures("font_cache")  # converted fonts shared through pytest's cache


def sample_issues() -> list[Issue]:
    """Every issue of the bundled samples' goldens, in date order: papers and languages mixed."""
    issues = []
    for golden in sorted(SAMPLES.glob("*.yaml")):
        for data in yaml.safe_load_all(golden.read_text(encoding="utf-8")):
            issues.append(schema.issue_from_data(data, golden.name))
    return sorted(issues, key=lambda issue: issue.date)


def export(archive: Path, folder: Path, *args: str) -> None:
    code, _out, err = run("export", "--archive", str(archive), "-o", str(folder), *args)
    assert code == 0, err


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A month and a range of the test paper, a month and a range of the samples (imported as a user would),
    and every sample issue as one book."""
    folder = tmp_path_factory.mktemp("books")
    archive = build_archive(folder)
    export(archive, folder, "--epub", "--pdf", "--date", "2025-08")
    export(archive, folder, "--epub", "--date", "2025-08-01..2025-08-15")
    samples = folder / "samples"
    for capture in sorted(SAMPLES.glob("*.txt")):
        encoding = sample_encoding(capture)
        code, _out, err = run(
            "import", "--archive", str(samples), *(["--encoding", encoding] if encoding else []), str(capture)
        )
        assert code == 0, err
    export(samples, folder, "--epub", "--pdf", "--paper", "东江日报", "--date", "2025-06")
    export(samples, folder, "--epub", "--paper", "清溪晚报", "--date", "2025-03..2025-04")
    with (folder / "all-samples.epub").open("wb") as out:
        epub.write(sample_issues(), out, WriteOptions(fonts.SystemFonts()))
    return {
        "month": folder / f"{PAPER}-2025-08.epub",
        "range": folder / f"{PAPER}-2025-08-01_2025-08-15.epub",
        "samples-month": folder / "东江日报-2025-06.epub",
        "samples-range": folder / "清溪晚报-2025-03_2025-04.epub",
        "all-samples": folder / "all-samples.epub",
        "month-pdf": folder / f"{PAPER}-2025-08.pdf",
        "samples-month-pdf": folder / "东江日报-2025-06.pdf",
    }


CHECKED = ("month", "range", "samples-month", "samples-range", "all-samples")


@pytest.fixture(scope="module")
def reports(books: dict[str, Path]) -> dict[str, dict[str, Any]]:
    require_tool("java")
    require_file(EPUBCHECK, "epubcheck validates every EPUB")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(CHECKED, pool.map(_epubcheck, [books[name] for name in CHECKED]), strict=True))


@pytest.mark.parametrize("name", CHECKED)
def test_volumes_pass_epubcheck_with_no_error_and_no_warning(reports: dict[str, dict[str, Any]], name: str) -> None:
    messages = reports[name]["messages"]
    assert [f"{m['severity']} {m['ID']}: {m['message']}" for m in messages if m["severity"] != "INFO"] == []
    checker = reports[name]["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)


def month_issues() -> list[Issue]:
    return [make_issue(day) for day in AUGUST]


def test_the_contents_go_three_levels_deep_issue_page_article(books: dict[str, Path]) -> None:
    book = Book(books["month"].read_bytes())
    tree = book.nav_tree()
    assert [label for label, _href, _pages in tree] == [f"{PAPER} {day.isoformat()}" for day in AUGUST]
    for (_label, href, pages), issue in zip(tree, month_issues(), strict=True):
        assert href.endswith(".xhtml") and [label for label, _h, _a in pages] == ["01版 要闻", "03版"]
        titles = [[label for label, _h, _none in articles] for _l, _h, articles in pages]
        assert titles == [[article.title for article in page.articles] for page in issue.pages]
    assert book.ncx_tree() == tree
    order = [href for _l, issue_href, pages in tree for href in [issue_href, *_under(pages)]]
    assert [href for href in book.spine() if href in order] == order


def _under(pages: Sequence[tuple[str, str, list[Any]]]) -> list[str]:
    return [href for _l, page_href, articles in pages for href in [page_href, *(a for _t, a, _n in articles)]]


def _pager(book: Book, href: str) -> dict[str, tuple[str, str]]:
    """The links under an article: by their class, (href, text)."""
    found = {}
    for nav in book.xml(href).iter(f"{{{NS['x']}}}nav"):
        if nav.get("class") == "pager":
            for item in nav.iter(f"{{{NS['x']}}}li"):
                link = item.find("x:a", NS)
                assert link is not None
                found[item.get("class", "")] = (link.attrib["href"], "".join(link.itertext()))
    return found


def test_each_article_links_to_the_previous_and_next_article_and_its_issue(books: dict[str, Path]) -> None:
    book = Book(books["month"].read_bytes())
    tree = book.nav_tree()
    articles = [
        (a_href, title, issue_href) for _l, issue_href, pages in tree for _p, _h, a in pages for title, a_href, _n in a
    ]
    assert len(articles) == 12
    for number, (href, _title, issue_href) in enumerate(articles):
        links = _pager(book, href)
        assert links["contents"] == (issue_href, "本期目录")
        if number:
            before, title, _issue = articles[number - 1]
            assert links["previous"] == (before, f"上一篇：{title}")
        else:
            assert "previous" not in links
        if number < len(articles) - 1:
            after, title, _issue = articles[number + 1]
            assert links["next"] == (after, f"下一篇：{title}")
        else:
            assert "next" not in links
    assert b"nav.pager" in book.read("style.css")


def test_a_single_issue_has_no_links_between_articles(books: dict[str, Path], tmp_path: Path) -> None:
    buffer = io.BytesIO()
    epub.write([make_issue(AUGUST[0])], buffer, WriteOptions())
    book = Book(buffer.getvalue())
    assert all(not _pager(book, href) for href in book.spine())
    assert b"pager" not in book.read("style.css")


def test_a_volume_is_titled_and_shelved_by_its_span(books: dict[str, Path]) -> None:
    book = Book(books["month"].read_bytes())
    assert book.meta("title") == [f"{PAPER} 2025-08-01 – 2025-08-31"]
    assert book.meta("date") == ["2025-08-01"] and book.meta("language") == ["zh-CN"]
    (series,) = book.prop("belongs-to-collection")
    assert series.text == PAPER
    position = [el.text for el in book.prop("group-position")]
    assert position == ["20250801"]
    assert book.meta("identifier") != Book(books["range"].read_bytes()).meta("identifier")


def test_the_cover_names_the_paper_and_the_span(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[tuple[str, list[str], list[str]]] = []

    def cover(masthead: str, lines: Sequence[str], details: Sequence[str], fonts: object) -> bytes:
        drawn.append((masthead, list(lines), list(details)))
        return b"\x89PNG\r\n\x1a\n"

    monkeypatch.setattr(epub, "cover_png", cover)
    epub.write(month_issues(), io.BytesIO(), WriteOptions())
    assert drawn == [
        (
            PAPER,
            ["2025年8月1日至2025年8月31日", "共 4 期 · 8 版 · 12 篇"],
            [ZH.long_date(day) for day in AUGUST],
        )
    ]


def _pdftotext(path: Path, *extra: str) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-layout", *extra, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_every_font_of_the_volumes_is_embedded(books: dict[str, Path]) -> None:
    tool = require_tool("pdffonts")
    for name in ("month-pdf", "samples-month-pdf"):
        listed = subprocess.run([tool, str(books[name])], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in listed.splitlines()[2:] if line.strip()]
        assert rows and all(row[-5] == "yes" for row in rows), listed  # the emb column


def _outline(reader: Any, entries: list[Any], depth: int = 0) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []
    for entry in entries:
        if isinstance(entry, list):
            found += _outline(reader, entry, depth + 1)
        else:
            found.append((depth, entry.title, reader.get_destination_page_number(entry)))
    return found


def test_the_volume_pdf_has_three_levels_of_bookmarks_in_order(books: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(books["month-pdf"])
    marks = _outline(reader, reader.outline)
    expected = []
    for issue in month_issues():
        expected.append((0, f"{PAPER} {issue.date.isoformat()}"))
        for page in issue.pages:
            expected.append((1, ZH.page_heading(page.label, page.section)))
            expected += [(2, article.title) for article in page.articles]
    assert [(depth, title) for depth, title, _page in marks] == expected
    pages = [page for _depth, _title, page in marks]
    assert pages == sorted(pages) and pages[0] == 1  # the contents list is page 0


def test_the_contents_list_at_the_front_gives_each_issue_its_page_number(books: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(books["month-pdf"])
    labels = reader.page_labels
    assert labels[0] == "i" and labels[1:] == [str(n) for n in range(1, len(labels))]
    front = _pdftotext(books["month-pdf"], "-f", "1", "-l", "1")
    assert PAPER in front and "2025年8月1日至2025年8月31日" in front and "共 4 期 · 8 版 · 12 篇" in front
    tops = [(title, page) for depth, title, page in _outline(reader, reader.outline) if depth == 0]
    for day, (_title, page) in zip(AUGUST, tops, strict=True):
        assert re.search(rf"{ZH.long_date(day)}[ .]+{labels[page]}$", front, re.MULTILINE), front


def test_running_headers_name_the_issue_date_and_page_and_folios_run_through(books: dict[str, Path]) -> None:
    from pypdf import PdfReader

    path = books["month-pdf"]
    labels = PdfReader(path).page_labels
    headed = 0
    for index in range(1, len(labels)):
        page = _pdftotext(path, "-f", str(index + 1), "-l", str(index + 1))
        header = re.search(rf"{PAPER} · (\d{{4}}-\d{{2}}-\d{{2}}) · (\d\d版.*)", page)
        if header is None:
            continue  # an issue's title page
        headed += 1
        assert dt.date.fromisoformat(header[1]) in AUGUST
        assert page.split()[-1] == labels[index]  # the folio at the foot: the volume's own page number
    assert headed >= 8


def test_pdftotext_finds_every_article_in_order(books: dict[str, Path]) -> None:
    printed = re.sub(r"\s+", "", _pdftotext(books["month-pdf"], "-f", "2"))
    position = 0
    for issue in month_issues():
        for page in issue.pages:
            for article in page.articles:
                for wanted in (article.title, f"这是{article.title}的最后一段。"):
                    position = printed.index(wanted, position)
    samples = re.sub(r"\s+", "", _pdftotext(books["samples-month-pdf"]))
    for issue in sample_issues():
        if issue.paper == "东江日报":
            for _page, article in issue.articles():
                assert re.sub(r"\s+", "", article.title) in samples


# -- what the paper registry knows ------------------------------------------------------------------------

REGISTERED = WriteOptions(
    fonts.SystemFonts(),
    papers={PAPER: PaperInfo(PAPER, language="zh-Hant", place="清溪市", publisher="清溪晚报社")},
)


def test_the_epub_takes_publisher_place_and_language_from_the_registry() -> None:
    buffer = io.BytesIO()
    epub.write([make_issue(AUGUST[0])], buffer, REGISTERED)
    book = Book(buffer.getvalue())
    assert (book.meta("publisher"), book.meta("coverage"), book.meta("language")) == (
        ["清溪晚报社"],
        ["清溪市"],
        ["zh-Hant"],
    )
    plain = io.BytesIO()
    epub.write([make_issue(AUGUST[0])], plain, WriteOptions())
    book = Book(plain.getvalue())
    assert (book.meta("publisher"), book.meta("coverage"), book.meta("language")) == ([PAPER], [], ["zh-CN"])


def test_the_pdf_takes_publisher_place_and_language_from_the_registry(tmp_path: Path) -> None:
    from pypdf import PdfReader

    require_tool("pdftotext")
    path = tmp_path / "registered.pdf"
    with path.open("wb") as out:
        pdf.write(month_issues()[:2], out, REGISTERED)
    reader = PdfReader(path)
    assert reader.metadata is not None
    assert reader.metadata.author == "清溪晚报社" and str(reader.root_object["/Lang"]) == "zh-Hant"
    assert reader.metadata["/Keywords"] == "清溪市, 要闻"


def test_export_hands_the_registry_to_the_writers(tmp_path: Path) -> None:
    archive = build_archive(tmp_path)
    (archive / "papers.yaml").write_text(
        f"format: epaper-papers/1\npapers:\n  {PAPER}:\n"
        "    publisher: 清溪晚报社\n    place: 清溪市\n    language: zh-Hant\n",
        encoding="utf-8",
    )
    export(archive, tmp_path, "--epub", "--pdf", "--date", "2025-08-01")
    book = Book((tmp_path / f"{PAPER}-2025-08-01.epub").read_bytes())
    assert (book.meta("publisher"), book.meta("language")) == (["清溪晚报社"], ["zh-Hant"])
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / f"{PAPER}-2025-08-01.pdf")
    assert reader.metadata is not None and reader.metadata.author == "清溪晚报社"
    (archive / "papers.yaml").write_text("papers: [unclosed\n", encoding="utf-8")
    code, out, err = run("export", "--txt", "--archive", str(archive), "-o", str(tmp_path / "x.txt"))
    assert (code, out) == (1, "") and "papers.yaml" in err and not (tmp_path / "x.txt").exists()
