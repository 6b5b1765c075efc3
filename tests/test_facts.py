"""The report's facts of an issue: the quick scan of the file's bytes agrees with the facts of the loaded issue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from epaper_cli import schema
from epaper_cli.facts import _scan, article_facts, facts_of, issue_facts
from epaper_cli.model import Article, Heading, Issue, Page, Text, article_id
from tests.helpers import SAMPLES

GOLDENS = sorted(SAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("golden", GOLDENS, ids=[p.stem for p in GOLDENS])
def test_the_scan_agrees_with_the_loaded_issue_on_every_sample(golden: Path) -> None:
    for number, text in enumerate(golden.read_text(encoding="utf-8").split("---\n")):
        issue = schema.load(text, golden.name)
        scanned = _scan(schema.dump(issue).encode("utf-8"))
        assert scanned is not None, f"{golden.name} #{number}: not scanned"
        expected = tuple(article_facts(page.label, article) for page, article in issue.articles())
        assert scanned.articles == expected
        assert scanned.pages == tuple(page.label for page in issue.pages)
        assert (scanned.paper, scanned.date) == (issue.paper, issue.date)


def made(body: list[Text | Heading], title: str = "标题", **keys: str) -> Article:
    return Article(title, id=article_id("报", dt.date(2025, 1, 2), "03", title), body=body, **keys)  # type: ignore[arg-type]


def test_empty_cut_off_continued_and_duplicate_articles(tmp_path: Path) -> None:
    long = "这是一段足够长的正文，用来比较两篇文章是否相同，而且它结束了。"
    issue = Issue(
        "报",
        dt.date(2025, 1, 2),
        [
            Page(
                "03",
                None,
                [
                    made([], "空的"),
                    made([Text("这一段话没有说完就被截断在了半路上而且")], "断的"),
                    made([Text("这一段话没有说完就被截断在了半路上而且")], "转版", continued_to="05"),
                    made([Text(long)], "甲"),
                    made([Heading("小标题"), Text(long)], "乙"),
                    made([Text(long), Heading("以小标题结尾的文章")], "丙"),
                ],
            )
        ],
    )
    path = tmp_path / "i.yaml"
    path.write_text(schema.dump(issue), encoding="utf-8")
    facts = issue_facts(path)
    assert facts == facts_of(issue)
    by_title = {article.title: article for article in facts.articles}
    assert by_title["空的"].empty and by_title["空的"].digest is None
    assert by_title["断的"].cut_off and not by_title["转版"].cut_off
    assert by_title["转版"].continued_to == "05"
    assert by_title["甲"].digest is not None and by_title["甲"].digest != by_title["丙"].digest
    assert not by_title["丙"].cut_off


def test_a_file_not_in_epaper_layout_is_loaded_instead(tmp_path: Path) -> None:
    issue = Issue("报", dt.date(2025, 1, 2), [Page("03", None, [made([Text("正文。")], "甲")])])
    path = tmp_path / "i.yaml"
    path.write_text(schema.dump(issue).replace("title: 甲", 'title: "甲"'), encoding="utf-8")
    assert _scan(path.read_bytes()) is None
    assert issue_facts(path) == facts_of(issue)
