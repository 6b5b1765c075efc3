"""Any bytes given to the importer end in issues or the project's own error, never another exception.

The suite runs a few hundred examples per property; for a long run:
    EPAPER_FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epaper_cli.errors import EpaperError, InputError
from epaper_cli.formats import ReadOptions, read_bytes
from epaper_cli.formats.capture import read
from epaper_cli.formats.decode import decode
from epaper_cli.model import Issue
from tests.helpers import SAMPLES

EXAMPLES = int(os.environ.get("EPAPER_FUZZ_EXAMPLES", "300"))
SAMPLE_BYTES = [path.read_bytes() for path in sorted(SAMPLES.glob("*.txt"))]
OPTIONS = st.builds(
    ReadOptions,
    paper=st.none() | st.text(max_size=5),
    year=st.none() | st.integers(1, 9999),
    encoding=st.none() | st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1", "no-such-codec"]),
    keep_punctuation=st.booleans(),
)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def import_or_refuse(data: bytes, options: ReadOptions) -> None:
    """The property: a list of well-formed issues, or an EpaperError."""
    try:
        issues = read_bytes(data, "fuzz.txt", options)
    except EpaperError as error:
        assert error.what and error.why and "\n" not in error.why
        return
    for issue in issues:
        assert isinstance(issue, Issue) and issue.paper
        for page, article in issue.articles():
            assert page.label and article.title and article.id
            assert article.source is not None and len(article.source.sha256) == 64


@FUZZ
@given(st.binary(max_size=2000), OPTIONS)
def test_random_bytes(data: bytes, options: ReadOptions) -> None:
    import_or_refuse(data, options)


@FUZZ
@given(st.data(), OPTIONS)
def test_mutated_sample_bytes(data: st.DataObject, options: ReadOptions) -> None:
    raw = bytearray(data.draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, max(0, len(raw) - 1)))
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]))
        if action == "flip" and raw:
            raw[position] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "delete":
            del raw[position : position + data.draw(st.integers(1, 40))]
        elif action == "insert":
            raw[position:position] = data.draw(st.binary(min_size=1, max_size=20))
        elif action == "truncate":
            del raw[position:]
        else:
            raw[position:position] = raw[position : position + data.draw(st.integers(1, 200))]
    import_or_refuse(bytes(raw), options)


@FUZZ
@given(st.data(), OPTIONS)
def test_mutated_sample_text(data: st.DataObject, options: ReadOptions) -> None:
    raw = data.draw(st.sampled_from(SAMPLE_BYTES))
    text = raw.decode("utf-8", "replace")
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        index = data.draw(st.integers(0, len(lines) - 1))
        lines[index] = data.draw(st.sampled_from(["", "---", "日期:02-30", "版面:", "当前报纸名称:", lines[-1]]))
    import_or_refuse("\n".join(lines).encode("utf-8"), options)


# --- the capture reader on its own, line by line ---------------------------------------------------------


def outcome(text: str) -> None:
    """Reading any text ends in issues or an InputError, never another exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            issues = read(text, "x.txt", ReadOptions())
        except InputError as error:
            assert error.what == "x.txt" and error.why
            return
    for issue in issues:
        assert isinstance(issue, Issue) and len(issue.pages) == 1 and issue.pages[0].articles[0].title


LINES = st.sampled_from(
    [
        "电子报阅读机",
        "2025-10-14",
        "星期二",
        "当前报纸名称:衢州日报",
        "当前报纸名称:",
        "日期:08-26",
        "日期:02-29",
        "日期:",
        "日期:2025年13月1日",
        "字号:",
        "版面:03版:民生   上一篇  下一篇",
        "版面:",
        "版面:第A999版",
        "  记者 毛慧娟 通讯员 徐晓莹 姜丰",
        "  本报讯（记者 王五）今年以来。",
        "  （据新华社）",
        "  责编：张三 校对：",
        "——副题",
        "广告",
        "",
        "  正文,一段话。",
        "  小标题",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=30))
def test_random_lines_end_in_issues_or_input_error(lines: list[str]) -> None:
    outcome("\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_ends_in_issues_or_input_error(text: str) -> None:
    outcome(text)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_captures_end_in_issues_or_input_error(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(sorted(SAMPLES.glob("*.txt"))))
    lines = decode(path.read_bytes(), path.name, None).split("\n")
    for _ in range(data.draw(st.integers(1, 5))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "replace", "insert", "cut"]))
        if action == "delete":
            del lines[index]
        elif action == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, max(0, len(lines[index]))))]
        else:
            new = data.draw(st.one_of(LINES, st.text(max_size=20)))
            lines[index : index + (action == "replace")] = [new]
        if not lines:
            lines = [""]
    outcome("\n".join(lines))
