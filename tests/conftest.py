"""Fixtures shared by the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from epaper_cli.model import Issue, Page
from tests.helpers import make_article


@pytest.fixture
def issue() -> Issue:
    """A two-page issue of an invented paper."""
    paper, date = "清溪晚报", dt.date(2025, 3, 14)
    return Issue(
        paper,
        date,
        [
            Page(
                "03",
                "要闻",
                [
                    make_article(paper, date, "03", "春耕时节的江畔"),
                    make_article(paper, date, "03", "小巷里的书店"),
                ],
            ),
            Page("12", None, [make_article(paper, date, "12", "夜市灯火")]),
        ],
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite samples/*.yaml from the current importer, for review with git diff.",
    )
