"""Volumes: a month, a year or a range of a paper's issues exported as one book, and the JSON Lines feed.

The books themselves (EPUB navigation, PDF bookmarks and contents) are tested in `test_volume_books.py`;
here: which issues an export takes and what its files are called, the text of a month read back by
`epaper import`, JSON Lines as DuckDB reads it, and that every writer takes its issues one at a time.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from epaper_cli import exporting, finding
from epaper_cli.archive import Archive
from epaper_cli.dates import parse_span
from epaper_cli.formats import WRITERS, WriteOptions, jsonl, text
from epaper_cli.model import Issue, Page, Person, Source, Text
from tests.helpers import make_article
from tests.test_cli import run

PAPER = "清溪晚报"
DAYS = [dt.date(2025, 7, 31), dt.date(2025, 8, 1), dt.date(2025, 8, 2), dt.date(2025, 8, 15), dt.date(2025, 8, 31)]
DAYS.append(dt.date(2025, 9, 1))
AUGUST = DAYS[1:5]


def make_issue(date: dt.date, paper: str = PAPER) -> Issue:
    """Two pages, three articles; every title and one paragraph of each article name its day."""
    day = f"{date.month}月{date.day}日"
    pages = [Page("01", "要闻", []), Page("03", None, [])]
    for page, titles in zip(pages, ([f"{day}要闻一", f"{day}要闻二"], [f"{day}副刊"]), strict=True):
        for title in titles:
            article = make_article(paper, date, page.label, title)
            article.body.append(Text(f"这是{title}的最后一段。"))
            page.articles.append(article)
    return Issue(paper, date, pages)


pytestmark = pytest.mark.usefixtures("font_cache")  # converted fonts shared through pytest's cache


def build_archive(folder: Path) -> Path:
    """An archive of one paper with issues on the last of July, four days of August and the first of September,
    imported from a text export as a user would."""
    source = folder / "issues.txt"
    source.write_text(text.dumps([make_issue(day) for day in DAYS]), encoding="utf-8")
    code, _out, err = run("import", "--archive", str(folder / "archive"), str(source))
    assert code == 0, err
    return folder / "archive"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_archive(tmp_path_factory.mktemp("volumes"))


def issue_files(root: Path) -> dict[str, dict[str, object]]:
    """Every issue file of an archive as data, without the sources (which name the file imported)."""
    found = {}
    for path in sorted(root.glob("*/*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for page in data["pages"]:
            for article in page["articles"]:
                article.pop("source", None)
        found[str(path.relative_to(root))] = data
    return found


def test_a_month_is_every_issue_in_it_in_date_order_with_default_names(archive: Path, tmp_path: Path) -> None:
    code, out, err = run(
        "export", "--txt", "--jsonl", "--archive", str(archive), "--date", "2025-08", "-o", str(tmp_path)
    )
    assert code == 0, err
    assert out.splitlines() == [str(tmp_path / f"{PAPER}-2025-08.txt"), str(tmp_path / f"{PAPER}-2025-08.jsonl")]
    written = (tmp_path / f"{PAPER}-2025-08.txt").read_text(encoding="utf-8")
    assert written == text.dumps([make_issue(day) for day in AUGUST])
    dates = [json.loads(line)["date"] for line in (tmp_path / f"{PAPER}-2025-08.jsonl").read_text("utf-8").splitlines()]
    assert dates == [day.isoformat() for day in AUGUST for _ in range(3)]


@pytest.mark.parametrize(
    ("spec", "name", "days"),
    [
        ("2025-08-01..2025-08-15", "2025-08-01_2025-08-15", AUGUST[:3]),
        ("2025-08-15..", "2025-08-15_", [*AUGUST[2:], DAYS[-1]]),
        ("..2025-08-01", "_2025-08-01", DAYS[:2]),
        ("2025", "2025", DAYS),
        ("2025-07..2025-08-01", "2025-07_2025-08-01", DAYS[:2]),
    ],
)
def test_ranges_and_years_name_their_files_after_the_span(
    archive: Path, tmp_path: Path, spec: str, name: str, days: list[dt.date]
) -> None:
    code, out, err = run("export", "--txt", "--archive", str(archive), "--date", spec, "-o", str(tmp_path))
    assert code == 0, err
    assert out.strip() == str(tmp_path / f"{PAPER}-{name}.txt")
    assert (tmp_path / f"{PAPER}-{name}.txt").read_text(encoding="utf-8") == text.dumps(map(make_issue, days))


def test_one_day_and_the_default_are_still_one_issue(archive: Path, tmp_path: Path) -> None:
    code, out, _err = run("export", "--txt", "--archive", str(archive), "--date", "2025-08-02", "-o", "-")
    assert code == 0 and out == text.dumps([make_issue(AUGUST[1])])
    code, out, _err = run("export", "--txt", "--archive", str(archive), "-o", str(tmp_path))
    assert code == 0 and out.strip() == str(tmp_path / f"{PAPER}-2025-09-01.txt")


def test_an_empty_selection_names_the_dates_the_paper_has(archive: Path) -> None:
    code, out, err = run("export", "--epub", "--archive", str(archive), "--date", "2025-10..2025-12")
    assert (code, out) == (1, "")
    listed = ", ".join(day.isoformat() for day in DAYS)
    assert err == f"epaper: {PAPER} 2025-10..2025-12: no issue of the paper in these dates (the paper has {listed})\n"
    code, _out, err = run("export", "--txt", "--archive", str(archive), "--date", "2025-08-03")
    assert code == 1 and err.startswith(f"epaper: {PAPER} 2025-08-03: no such issue in the archive (the paper has")


def test_many_dates_are_summed_up_with_the_nearest_ones() -> None:
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(0, 300, 2)]
    held = finding.dates_held(days, dt.date(2025, 3, 1), dt.date(2025, 3, 1))
    assert held == "the paper has 150 issues from 2025-01-01 to 2025-10-26; nearest: 2025-02-28, 2025-03-02"
    held = finding.dates_held(days, dt.date(2026, 1, 1), None)
    assert held == "the paper has 150 issues from 2025-01-01 to 2025-10-26; nearest: 2025-10-26"
    assert finding.dates_held([], None, None) == "the paper has no issue in the archive"


def test_the_text_of_a_month_imports_back_into_the_same_issues(archive: Path, tmp_path: Path) -> None:
    code, _out, err = run("export", "--txt", "--archive", str(archive), "--date", "2025-08", "-o", str(tmp_path))
    assert code == 0, err
    fresh = tmp_path / "fresh"
    code, _out, err = run("import", "--archive", str(fresh), str(tmp_path / f"{PAPER}-2025-08.txt"))
    assert code == 0, err
    month = {name: data for name, data in issue_files(archive).items() if "/2025-08-" in name}
    assert len(month) == 4 and issue_files(fresh) == month


def test_list_shows_the_issues_of_a_span(archive: Path) -> None:
    code, out, _err = run("list", "--archive", str(archive), "--paper", PAPER, "--date", "2025-08")
    assert code == 0 and out.split() == [day.isoformat() for day in AUGUST]
    code, out, _err = run("list", "--archive", str(archive), "--paper", PAPER, "--date", "2025-08-15", "--json")
    assert code == 0 and {a["date"] for a in json.loads(out)} == {"2025-08-15"}
    code, _out, err = run("list", "--archive", str(archive), "--date", "2025")
    assert code == 2 and "give --paper as well" in err


def test_an_export_loads_each_issue_only_when_the_writer_asks(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []
    load = Archive.load

    def counting(self: Archive, path: Path) -> Issue:
        loaded.append(path.name)
        return load(self, path)

    monkeypatch.setattr(Archive, "load", counting)
    store = Archive(archive)
    issues = exporting.select(store, None, parse_span("2025")).issues(store)
    assert loaded == []
    assert next(issues).date == DAYS[0] and loaded == ["2025-07-31.yaml"]


class Counted:
    """Issues made one at a time, counting how many are still alive (referenced) when the next is made."""

    def __init__(self, days: list[dt.date]) -> None:
        self.days = days
        self.alive = 0
        self.most = 0
        self.written_before: list[int] = []

    def _gone(self) -> None:
        self.alive -= 1

    def issues(self, out: io.BytesIO) -> Iterator[Issue]:
        for day in self.days:
            self.most = max(self.most, self.alive)
            self.written_before.append(out.tell())
            issue = make_issue(day)
            weakref.finalize(issue, self._gone)
            self.alive += 1
            yield issue
            del issue


@pytest.mark.parametrize("name", [writer.name for writer in WRITERS])
def test_every_writer_holds_at_most_two_issues_at_once(name: str) -> None:
    from epaper_cli import fonts

    writer = next(writer for writer in WRITERS if writer.name == name).load()
    counted, out = Counted([dt.date(2025, 8, 1) + dt.timedelta(days=n) for n in range(6)]), io.BytesIO()
    writer.write(counted.issues(out), out, WriteOptions(fonts.SystemFonts()))
    assert counted.most <= 2  # the one being written, and the next as it loads
    if name in ("text", "jsonl"):  # these write each issue before they ask for the next
        assert counted.written_before == sorted(counted.written_before) and counted.written_before[1] > 0


def test_jsonl_has_one_object_per_article_in_the_archive_keys() -> None:
    issue = make_issue(AUGUST[0])
    issue.pages[1].articles[0].source = Source("f" * 64)
    bare = issue.pages[1].articles[0]
    bare.kicker = bare.subtitle = bare.byline = bare.dateline = None
    bare.authors, bare.editors = [], []
    buffer = io.BytesIO()
    jsonl.write([issue], buffer)
    data = buffer.getvalue().decode("utf-8")
    assert "\\u" not in data and "8月1日要闻一" in data  # Chinese as it is
    records = [json.loads(line) for line in data.splitlines()]
    assert [record["title"] for record in records] == ["8月1日要闻一", "8月1日要闻二", "8月1日副刊"]
    full, last = records[0], records[2]
    assert list(full) == [
        *("id", "paper", "date", "page", "section", "title", "kicker", "subtitle", "byline", "authors"),
        *("dateline", "body", "editors", "source", "text"),
    ]
    assert list(last) == ["id", "paper", "date", "page", "title", "body", "source", "text"]
    article = issue.pages[0].articles[0]
    assert (full["id"], full["paper"], full["date"], full["page"], full["section"]) == (
        article.id,
        PAPER,
        "2025-08-01",
        "01",
        "要闻",
    )
    assert full["authors"] == [{"role": "记者", "name": "林小溪"}, {"role": "通讯员", "name": "周远"}]
    assert full["editors"] == [{"role": "责任编辑", "name": "钱多"}]
    assert full["body"][-3:] == [
        {"heading": "一个小标题"},
        {"caption": "图为江边的清晨。 林小溪 摄"},
        {"text": "这是8月1日要闻一的最后一段。"},
    ]
    assert full["source"] == {"sha256": "0" * 64, "reader": "电子报阅读机", "read_on": "2025-03-15"}
    assert full["text"] == "\n\n".join(block.text for block in article.body)


def test_jsonl_keeps_every_line_one_line() -> None:
    issue = make_issue(AUGUST[0])
    issue.pages[0].articles[0].title = "line\u2028separator\u2029and\nnewline\r"
    issue.pages[0].articles[0].editors = [Person("责任编辑", "A\x00B")]
    buffer = io.BytesIO()
    jsonl.write([issue], buffer)
    lines = buffer.getvalue().decode("utf-8").split("\n")
    assert len(lines) == 4 and lines[-1] == ""
    assert "\u2028" not in buffer.getvalue().decode("utf-8")
    assert json.loads(lines[0])["title"] == "line\u2028separator\u2029and\nnewline\r"


def test_the_jsonl_of_a_month_loads_into_duckdb_one_row_per_article(archive: Path, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    code, _out, err = run("export", "--jsonl", "--archive", str(archive), "--date", "2025-08", "-o", str(tmp_path))
    assert code == 0, err
    path = tmp_path / f"{PAPER}-2025-08.jsonl"
    connection = duckdb.connect()
    rows = connection.execute(
        "SELECT date, page, title, len(body), authors[1].name FROM read_json_auto(?) ORDER BY date, page, id",
        [str(path)],
    ).fetchall()
    assert len(rows) == 12 == len(path.read_text(encoding="utf-8").splitlines())
    assert {str(row[0]) for row in rows} == {day.isoformat() for day in AUGUST}
    assert rows[0][2].endswith("要闻一") or rows[0][2].endswith("要闻二")
    assert {row[3] for row in rows} == {5} and {row[4] for row in rows} == {"林小溪"}
    count = connection.execute("SELECT count(*) FROM read_json_auto(?) WHERE text LIKE '%最后一段%'", [str(path)])
    assert count.fetchone() == (12,)
