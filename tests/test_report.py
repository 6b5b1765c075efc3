"""`epaper report`: publishing patterns, missing dates and pages, empty, cut-off and duplicate articles."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from epaper_cli.archive import Archive
from epaper_cli.model import Article, Issue, Page, Text, article_id
from epaper_cli.report import looks_cut_off, missing_pages, publishing_pattern
from tests.helpers import make_article
from tests.test_cli import run

D = dt.date
PAPER = "清溪晚报"


def days(first: dt.date, last: dt.date, weekdays: set[int] | None = None) -> list[dt.date]:
    span = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    return [day for day in span if weekdays is None or day.weekday() in weekdays]


@pytest.mark.parametrize(
    ("weekdays", "name"),
    [
        (None, "daily"),
        ({0, 1, 2, 3, 4}, "weekdays (Monday to Friday)"),
        ({0, 1, 2, 3, 4, 5}, "Monday to Saturday"),
        ({3}, "weekly on Thursday"),
        ({0, 2, 4}, "on Monday, Wednesday, Friday"),
    ],
)
def test_publishing_patterns_are_read_from_the_dates(weekdays: set[int] | None, name: str) -> None:
    dates = days(D(2025, 1, 1), D(2025, 6, 30), weekdays)
    del dates[10:13]  # a few missing issues do not hide the pattern
    assert publishing_pattern(dates)[1] == name


def test_too_few_or_scattered_issues_are_irregular() -> None:
    assert publishing_pattern([D(2025, 1, 1), D(2025, 1, 9)])[1].startswith("irregular")
    scattered = [D(2025, 1, 1) + dt.timedelta(n * n) for n in range(20)]
    assert publishing_pattern(scattered)[1] == "irregular"


@pytest.mark.parametrize(
    ("labels", "missing"),
    [
        (["01", "02", "04"], ["03"]),
        (["A01", "A02", "A03", "A04", "B02"], ["B01"]),
        (["01", "02", "03"], []),
        (["03", "A02"], ["01", "02", "A01"]),
        (["GA01", "GA03", "special"], ["GA02"]),
    ],
)
def test_page_series_gaps(labels: list[str], missing: list[str]) -> None:
    assert missing_pages(labels) == missing


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("合作社引入了三台新式插秧机。", False),
        ("他说：“这是我们村的大事。”", False),
        ("到今年年底，全市将新建", True),
        ("The council met on Tuesday.", False),
        ("The council met on", True),
        ("好。", False),
    ],
)
def test_cut_off_paragraphs(text: str, cut: bool) -> None:
    assert looks_cut_off(text) is cut


def article(day: dt.date, label: str, title: str) -> Article:
    """An article whose body is its own, so no two are the same text."""
    made = make_article(PAPER, day, label, title)
    made.body = [type(block)(f"{title}：{block.text}") for block in made.body]
    return made


def archive_with_gaps(root: Path) -> Archive:
    """A daily paper in March 2025 with two missing days, a page gap, an empty, a cut-off and a duplicate."""
    store = Archive(root)
    for day in days(D(2025, 3, 1), D(2025, 3, 31)):
        if day in (D(2025, 3, 10), D(2025, 3, 20)):
            continue
        labels = ["01", "02", "04"] if day == D(2025, 3, 14) else ["01", "02", "03"]
        pages = [Page(label, None, [article(day, label, f"{day:%m%d}第{label}版消息")]) for label in labels]
        store.merge(Issue(PAPER, day, pages))
    day = D(2025, 3, 15)
    empty = replace(make_article(PAPER, day, "02", "空文章"), body=[])
    cut = make_article(PAPER, day, "02", "断掉的文章")
    cut.body = [Text("正文第一段写得很完整。"), Text("到今年年底，全市将新建三百")]
    twin = make_article(PAPER, day, "03", "另一个标题")
    twin.body = article(day, "01", f"{day:%m%d}第01版消息").body
    store.merge(Issue(PAPER, day, [Page("02", None, [empty, cut]), Page("03", None, [twin])]))
    return store


def test_report_of_an_archive_with_gaps(tmp_path: Path) -> None:
    store = archive_with_gaps(tmp_path / "a")
    code, out, err = run("report", "--archive", str(store.root), "--json")
    assert code == 0, err
    (paper,) = json.loads(out)
    assert paper["pattern"] == "daily"
    assert paper["issues"] == 29
    assert paper["missing_dates"] == ["2025-03-10", "2025-03-20"]
    assert paper["missing_pages"] == [{"date": "2025-03-14", "pages": ["03"]}]
    assert [a["title"] for a in paper["empty"]] == ["空文章"]
    assert [a["title"] for a in paper["cut_off"]] == ["断掉的文章"]
    (group,) = paper["duplicates"]
    assert {a["title"] for a in group} == {"0315第01版消息", "另一个标题"}
    assert group[0]["id"] == article_id(PAPER, D(2025, 3, 15), "01", "0315第01版消息")


def test_report_for_a_range_and_in_text(tmp_path: Path) -> None:
    store = archive_with_gaps(tmp_path / "a")
    code, out, _err = run("report", "--archive", str(store.root), "--date", "2025-03-01..2025-03-12")
    assert code == 0
    assert out.splitlines()[0].split("\t") == [PAPER, "2025-03-01 – 2025-03-12", "11 issues", "daily"]
    assert "missing dates (1): 2025-03-10" in out
    assert "2025-03-14" not in out


def test_report_errors(tmp_path: Path) -> None:
    store = archive_with_gaps(tmp_path / "a")
    assert run("report", "--archive", str(store.root), "--date", "2025-13")[0] == 2
    code, _out, err = run("report", "--archive", str(store.root), "--paper", "没有这份报")
    assert code == 1 and err.startswith("epaper: 没有这份报: no such paper")
