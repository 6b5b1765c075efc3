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
from epaper_cli.formats.webpage import looks_like
from epaper_cli.formats.webpage import read as read_web_page
from epaper_cli.model import Issue
from tests.helpers import SAMPLES, sample_encoding

EXAMPLES = int(os.environ.get("EPAPER_FUZZ_EXAMPLES", "300"))
SAMPLE_BYTES = [path.read_bytes() for path in sorted(SAMPLES.glob("*.txt"))]
WEB_SAMPLES = [path for path in sorted(SAMPLES.glob("*.txt")) if "-web" in path.name]
OPTIONS = st.builds(
    ReadOptions,
    paper=st.none() | st.text(max_size=5),
    year=st.none() | st.integers(1, 9999),
    encoding=st.none() | st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1", "cp1252", "no-such-codec"]),
    keep_punctuation=st.booleans(),
    plain_body=st.booleans(),
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
    lines = decode(path.read_bytes(), path.name, sample_encoding(path)).split("\n")
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


# --- the web-page reader on its own, line by line --------------------------------------------------------


def web_outcome(text: str, options: ReadOptions | None = None) -> None:
    """Reading any text as a web page ends in issues or an InputError, never another exception."""
    looks_like(text)
    try:
        issues = read_web_page(text, "x.txt", options or ReadOptions())
    except InputError as error:
        assert error.what == "x.txt" and error.why and "\n" not in error.why
        return
    for issue in issues:
        assert isinstance(issue, Issue) and issue.paper and len(issue.pages) == 1
        article = issue.pages[0].articles[0]
        assert article.title and article.id and issue.pages[0].label


WEB_LINES = st.sampled_from(
    [
        "江海网 > 时政 > 正文",
        "乡村夜校点亮田间“充电站”",
        "2025年08月26日06:31 | 来源：江海网－江海日报",
        "2025-08-26 06:31 来源：江海日报 作者：记者 陆知秋 编辑：",
        "By ZHAO LEI | China Daily | Updated: 2025-08-26 07:12",
        "2025年02月30日06:31 | 来源：",
        "小字号",
        "分享到：",
        "《 江海日报 》（ 2025年08月26日 第 04 版）",
        "《 》（ 2025年08月26日 第 999 版）",
        "(China Daily 08/26/2025 page4)",
        "(责编：林一鸣、王小雨)",
        "相关新闻",
        "清川日报",
        "2025年08月26日 星期二",
        "2025/02/30 週二",
        "01版：要闻",
        "第A05版：地方",
        "01版：要闻 02版：综合",
        "上一版 下一版",
        "本报记者 陶然",
        "記者鄭雅文／高雄報導",
        "  本报讯 正文,一段话。（下转第三版）",
        "  （上接第一版）接着的正文。",
        "  （作者：张晓岚，系江城大学教授）",
        "  （完）",
        "",
    ]
)


@FUZZ
@given(st.lists(st.one_of(WEB_LINES, st.text(max_size=30)), max_size=30), OPTIONS)
def test_random_web_lines_end_in_issues_or_input_error(lines: list[str], options: ReadOptions) -> None:
    web_outcome("\n".join(lines), options)


@FUZZ
@given(st.data())
def test_mutated_web_pages_end_in_issues_or_input_error(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(WEB_SAMPLES))
    lines = decode(path.read_bytes(), path.name, sample_encoding(path)).split("\n")
    for _ in range(data.draw(st.integers(1, 5))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "replace", "insert", "cut", "swap"]))
        if action == "delete":
            del lines[index]
        elif action == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, max(0, len(lines[index]))))]
        elif action == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            new = data.draw(st.one_of(WEB_LINES, st.text(max_size=20)))
            lines[index : index + (action == "replace")] = [new]
        if not lines:
            lines = [""]
    web_outcome("\n".join(lines))
