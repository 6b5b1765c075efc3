"""The generic front-matter format: one article from any source."""

from __future__ import annotations

import datetime as dt

import pytest

from epaper_cli.errors import InputError
from epaper_cli.formats import ReadOptions, frontmatter, read_bytes
from epaper_cli.model import Heading, Person, Text

ARTICLE = """---
paper: 清溪晚报
date: 2025-04-02
page: 7
section: 副刊
title: 老茶馆里的一下午
byline: 记者 林小溪 通讯员 周远
subtitle: ——一间茶馆的四十年
---
第一段,分两行
写成。

## 小标题

A line in English
that wraps.
"""


def test_front_matter_article_is_read_into_the_model() -> None:
    (issue,) = read_bytes(ARTICLE.encode(), "a.txt", ReadOptions())
    assert (issue.paper, issue.date) == ("清溪晚报", dt.date(2025, 4, 2))
    (page,) = issue.pages
    assert (page.label, page.section) == ("07", "副刊")
    (article,) = page.articles
    assert article.title == "老茶馆里的一下午"
    assert article.subtitle == "一间茶馆的四十年"
    assert article.authors == [Person("记者", "林小溪"), Person("通讯员", "周远")]
    assert article.body == [Text("第一段，分两行写成。"), Heading("小标题"), Text("A line in English that wraps.")]
    assert article.source is not None and len(article.source.sha256) == 64


def test_options_override_and_keep_punctuation() -> None:
    options = ReadOptions(paper="清溪日报", date=dt.date(2025, 4, 3), keep_punctuation=True)
    (issue,) = frontmatter.read(ARTICLE, "a.txt", options)
    assert (issue.paper, issue.date) == ("清溪日报", dt.date(2025, 4, 3))
    assert issue.pages[0].articles[0].body[0] == Text("第一段,分两行写成。")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\npaper: P\n", "not closed"),
        ("---\npaper: [P\n---\nbody\n", "not valid YAML"),
        ("---\n- a\n---\nbody\n", "key: value"),
        ("---\npaper: P\ndate: 2025-01-01\ntitle: T\n---\nbody\n", "no `page:`"),
        ("---\npaper: P\npage: 1\ntitle: T\n---\nbody\n", "no `date:`"),
        ("---\npaper: P\ndate: someday\npage: 1\ntitle: T\n---\nbody\n", "is not a date"),
        ("---\npaper: P\ndate: 2025-01-01\npage: 1\ntitle: T\nauthor: X\n---\nbody\n", "unknown front-matter key"),
        ("---\npaper: P\ndate: 2025-01-01\npage: 1\ntitle: T\n---\n\n\n", "no body"),
        ("---\npaper: P\ndate: 2025-01-01\npage: [1]\ntitle: T\n---\nx\n", "must be text"),
    ],
)
def test_bad_front_matter_is_a_clear_error(text: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        frontmatter.read(text, "a.txt", ReadOptions())
    assert caught.value.what == "a.txt"
    assert reason in caught.value.why
