"""The vocabulary: an issue's language decided once by one rule, and the labels every writer prints from it."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epaper_cli import fontfinder, fonts
from epaper_cli.formats import WriteOptions, epub, pdf, text, vocabulary
from epaper_cli.model import Article, Issue, Page, Person, Text
from tests.helpers import require_tool

ZH, EN = vocabulary.vocabulary("zh-CN"), vocabulary.vocabulary("en")


def metro() -> Issue:
    """An English paper with a Chinese word in a title: the PDF once called such an issue Chinese."""
    article = Article(
        "Lantern night brings 元宵 crowds to the river",
        byline="By Jane Doe",
        dateline="HARBOR CITY",
        body=[Text("Thousands lined the river on Sunday to watch paper lanterns drift past the old pier.")],
        editors=[Person("Editor", "Tom Lee")],
    )
    return Issue("Harbor City Times", dt.date(2025, 11, 3), [Page("A05", "Metro", [article])])


pytestmark = pytest.mark.usefixtures("font_cache")  # converted fonts shared through pytest's cache


def test_an_english_issue_is_english_whatever_its_titles_hold() -> None:
    languages = vocabulary.Languages([metro()])
    assert (languages.book, languages.issues, languages.article(0, 0, 0)) == ("en", ["en"], "en")
    assert vocabulary.issue_language(metro()) == "en"


def test_a_book_has_one_language_and_each_issue_its_own() -> None:
    chinese = Issue("衢州日报", dt.date(2025, 8, 26), [Page("03", "民生", [Article("杭衢人力的双向奔赴")])])
    languages = vocabulary.Languages([chinese, metro()])
    assert languages.issues == ["zh-CN", "en"]
    assert languages.book == "en"  # the English issue holds more letters than the Chinese one characters
    assert vocabulary.Languages([Issue("2025", dt.date(2025, 1, 1))]).book == "zh-CN"  # neither: Chinese


def test_an_english_issue_gets_the_same_page_heading_in_every_writer() -> None:
    issue = metro()
    out = io.BytesIO()
    epub.write([issue], out, WriteOptions())
    book = zipfile.ZipFile(out)
    shown = {name: book.read(name).decode() for name in book.namelist() if name.endswith(".xhtml")}
    assert ">Page A05: Metro<" in shown["EPUB/nav.xhtml"]
    assert ">1 page · 1 article<" in shown["EPUB/issue1.xhtml"]
    assert ">Monday, 3 November 2025<" in shown["EPUB/issue1.xhtml"]
    assert "HARBOR CITY</span> — Thousands" in shown["EPUB/issue1-p1-a1.xhtml"]
    assert "Page A05: Metro\n---------------\n" in text.dumps([issue])


def test_the_pdf_prints_the_same_labels(tmp_path: Path) -> None:
    from pypdf import PdfReader

    if not fontfinder.discover():
        pytest.skip("no Chinese font installed")
    path = tmp_path / "metro.pdf"
    with path.open("wb") as out:
        pdf.write([metro()], out, WriteOptions(fonts.SystemFonts()))
    printed = subprocess.run(
        [require_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Page A05: Metro" in printed and "1 page · 1 article" in printed and "1 pages" not in printed
    assert "Monday, 3 November 2025" in printed and "HARBOR CITY — Thousands" in printed
    assert "Editor: Tom Lee" in printed
    reader = PdfReader(path)
    assert [entry.title for entry in reader.outline if not isinstance(entry, list)] == ["Page A05: Metro"]
    assert str(reader.root_object["/Lang"]) == "en"
    assert reader.metadata is not None and reader.metadata.subject == "Harbor City Times 2025-11-03: 1 article"


@pytest.mark.parametrize(
    ("pages", "articles", "english", "chinese"),
    [
        (1, 1, "1 page · 1 article", "共 1 版 · 1 篇"),
        (1, 2, "1 page · 2 articles", "共 1 版 · 2 篇"),
        (3, 12, "3 pages · 12 articles", "共 3 版 · 12 篇"),
        (0, 0, "0 pages · 0 articles", "共 0 版 · 0 篇"),
    ],
)
def test_counts_have_the_right_plural(pages: int, articles: int, english: str, chinese: str) -> None:
    assert EN.summary(pages, articles) == english
    assert ZH.summary(pages, articles) == chinese


def test_labels_of_each_language() -> None:
    assert ZH.page_heading("03", "民生") == "03版 民生" and ZH.page_heading("05", None) == "05版"
    assert EN.page_heading("A05", "Metro") == "Page A05: Metro" and EN.page_heading("A1", None) == "Page A1"
    assert ZH.long_date(dt.date(2025, 8, 26)) == "2025年8月26日 星期二"
    assert EN.long_date(dt.date(2025, 8, 26)) == "Tuesday, 26 August 2025"
    people = [Person("责任编辑", "李华"), Person("校对", "王明"), Person("", "佚名")]
    assert ZH.people(people) == "责任编辑：李华\u3000校对：王明\u3000佚名"
    assert EN.people([Person("Editor", "Tom Lee"), Person("", "Ann Roe")]) == "Editor: Tom Lee; Ann Roe"
    assert (ZH.pdf_subject(12), EN.pdf_subject(1)) == ("电子报 12 篇", "1 article")
    assert (ZH.title(Article(" ")), EN.title(Article(""))) == ("（无题）", "(untitled)")


def test_book_titles_list_the_papers_and_the_span_of_dates() -> None:
    first = Issue("衢州日报", dt.date(2025, 8, 27))
    second = Issue("东江日报", dt.date(2025, 8, 25))
    assert vocabulary.book_title([first], ZH) == "衢州日报 2025-08-27"
    assert vocabulary.book_title([first, second], ZH) == "衢州日报、东江日报 2025-08-25 – 2025-08-27"
    assert vocabulary.book_title([first, second], EN) == "衢州日报, 东江日报 2025-08-25 – 2025-08-27"


_CJK_CHAR = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_LATIN_CHAR = "[A-Za-z\u00c0-\u024f]"
_MIXED = st.text(alphabet=st.sampled_from("衢州日报㐀豈𠀀 Aaé,。1\n\u3000"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_MIXED, max_size=4), max_size=4), st.sampled_from(["en", "zh-CN"]))
def test_language_weighs_every_letter_once(parts: list[list[str]], default: str) -> None:
    texts = [value for part in parts for value in part]
    cjk = sum(len(re.findall(_CJK_CHAR, value)) for value in texts)
    latin = sum(len(re.findall(_LATIN_CHAR, value)) for value in texts)
    expected = default if not cjk and not latin else "zh-CN" if cjk >= latin else "en"
    assert vocabulary.language_of(texts, default) == expected
    assert vocabulary.language_from([vocabulary.Letters(part) for part in parts], default) == expected


@given(st.text(alphabet=st.sampled_from("aZé×ÿĀɏɐʯ中文，¿ʀ \n\U00020000xQ") | st.characters(), max_size=40))
def test_latin_letters_are_counted_as_the_pattern_would(sample: str) -> None:
    pattern = re.compile("[A-Za-z\u00c0-\u027f]")
    assert vocabulary._latin_letters(sample) == len(pattern.findall(sample))


def test_volume_labels_of_each_language() -> None:
    first, last = dt.date(2025, 8, 1), dt.date(2025, 8, 31)
    assert ZH.date_span(first, last) == "2025年8月1日至2025年8月31日"
    assert EN.date_span(first, dt.date(2026, 1, 2)) == "1 August 2025 – 2 January 2026"
    assert (ZH.date_span(first, first), EN.date_span(first, first)) == ("2025年8月1日", "1 August 2025")
    assert ZH.volume_summary(30, 480, 3840) == "共 30 期 · 480 版 · 3840 篇"
    assert EN.volume_summary(1, 1, 2) == "1 issue · 1 page · 2 articles"
    assert EN.volume_summary(2, 3, 1) == "2 issues · 3 pages · 1 article"
    assert (ZH.previous, ZH.next, ZH.issue_contents) == ("上一篇", "下一篇", "本期目录")
    assert (EN.previous, EN.next, EN.issue_contents) == ("Previous", "Next", "Contents of this issue")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_MIXED, min_size=1, max_size=3), min_size=1, max_size=4))
def test_a_book_counted_an_issue_at_a_time_follows_the_rule_over_all_its_text(titles: list[list[str]]) -> None:
    issues = [
        Issue("报", dt.date(2025, 1, 1 + n), [Page("01", None, [Article(title) for title in page])])
        for n, page in enumerate(titles)
    ]
    book = vocabulary.BookLanguage()
    for issue in issues:
        book.add(vocabulary.IssueLanguages(issue))
    everything = [text for issue in issues for text in ["报", *(t for _p, a in issue.articles() for t in [a.title])]]
    assert book.lang == vocabulary.language_of(everything)
    assert vocabulary.Languages(issues).book == (book.lang if len(issues) > 1 else vocabulary.issue_language(issues[0]))
