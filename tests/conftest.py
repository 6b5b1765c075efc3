"""Fixtures shared by the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(scope="module")
def font_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Share converted fonts between test modules and runs (in pytest's cache) so only the first converts them;
    modules that write PDFs or EPUB covers use it (`pytestmark = pytest.mark.usefixtures("font_cache")`)."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("epaper-fonts") if cache is not None else tmp_path_factory.mktemp("epaper-fonts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture
def one_capture_archive(tmp_path: Path) -> Path:
    """An archive holding one imported capture (the CLI tests' CAPTURE), made by the real command."""
    from tests.test_cli import CAPTURE, run

    root = tmp_path / "a"
    (tmp_path / "one.txt").write_text(CAPTURE, encoding="utf-8")
    code, _out, err = run("import", "--archive", str(root), str(tmp_path / "one.txt"))
    assert code == 0, err
    return root


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite samples/*.yaml from the current importer, for review with git diff.",
    )
