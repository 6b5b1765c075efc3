"""The plain-text export: its layout, and that `epaper import` reads it back into the same issues."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epaper_cli.errors import InputError
from epaper_cli.formats import ReadOptions, read_bytes, text, text_escapes
from epaper_cli.model import Article, Caption, Heading, Issue, Page, Person, Source, Text, article_id
from tests.helpers import require_seed

HOSTILE = [
    "<script>alert('x')</script>",
    "AT&T & <b>bold</b>",
    "\"double\" and 'single' quotes",
    "【标题】假标题",
    "【编辑】责任编辑：假",
    "[Title] fake",
    "## 假小标题",
    "\\starts with a backslash",
    "ends with a backslash\\",
    "\\u0041 not an escape",
    "  leading spaces",
    "trailing spaces  ",
    "\u3000\u3000全角缩进",
    "",
    " ",
    "two\nlines",
    "carriage\rreturn",
    "tab\there",
    "bell\x07 nul\x00 esc\x1b del\x7f nel\x85",
    "\ufeffbyte-order mark",
    "\u202eright-to-left override",
    "e\u0301 decomposed",
    "\u0301 leading combining mark",
    "\uf900 compatibility ideograph",
    "\u1100\u1161 jamo",
    "replacement \ufffd\ufffd\ufffd",
    "===",
    "---",
    "衢州日报 2025-08-26",
    "Page 3: fake page",
    "03版 假版面",
    "版",
    "：",
    ": ",
    "emoji 👨\u200d👩\u200d👧 and 𠀀",
]


def _dump(issues: list[Issue]) -> str:
    buffer = io.BytesIO()
    text.write(issues, buffer)
    return buffer.getvalue().decode("utf-8")


def _as_read(issues: list[Issue]) -> list[Issue]:
    """The issues as the reader returns them: ids derived from their identity, sources reduced to a digest."""
    return [
        dataclasses.replace(
            issue,
            pages=[
                dataclasses.replace(
                    page,
                    articles=[
                        dataclasses.replace(
                            article,
                            id=article_id(issue.paper, issue.date, page.label, article.title),
                            source=Source(sha256=""),
                        )
                        for article in page.articles
                    ],
                )
                for page in issue.pages
            ],
        )
        for issue in issues
    ]


def _round_trip(issues: list[Issue]) -> list[Issue]:
    """Write, then read back the way `read_bytes` would see the text after decoding (NFC, LF)."""
    decoded = unicodedata.normalize("NFC", _dump(issues))
    assert text.looks_like(decoded)
    return text.read(decoded, "export.txt", ReadOptions())


def _article(paper: str, date: dt.date, page: str, title: str, **fields: object) -> Article:
    body = fields.get("body", [])  # under a generic title (图片新闻, IN BRIEF) the body's opening is in the id
    identity = article_id(paper, date, page, title, body)  # type: ignore[arg-type]
    return Article(title=title, id=identity, source=Source(sha256=""), **fields)  # type: ignore[arg-type]


def test_layout_of_a_chinese_issue() -> None:
    paper, date = "衢州日报", dt.date(2025, 8, 26)
    article = _article(
        paper,
        date,
        "03",
        "杭衢人力的双向奔赴",
        kicker="人才交流会侧记",
        subtitle="——衢州市8·8人才交流会见闻",
        byline="记者 毛慧娟 通讯员 徐晓莹 姜丰",
        authors=[Person("记者", "毛慧娟"), Person("通讯员", "徐晓莹"), Person("通讯员", "姜丰")],
        dateline="本报讯",
        body=[Text("第一段。"), Heading("从“破冰之约”到“双向奔赴”"), Caption("交流会现场。 周牧摄")],
        editors=[Person("责任编辑", "李华")],
    )
    issue = Issue(paper, date, [Page("03", "民生", [article]), Page("12", None, [])])
    assert _dump([issue]) == (
        "衢州日报 2025-08-26\n"
        "===================\n"
        "\n\n"
        "03版 民生\n"
        "---------\n"
        "\n"
        "【引题】人才交流会侧记\n"
        "【标题】杭衢人力的双向奔赴\n"
        "【副题】——衢州市8·8人才交流会见闻\n"
        "【署名】记者 毛慧娟 通讯员 徐晓莹 姜丰\n"
        "【电头】本报讯\n"
        "\n"
        "\u3000\u3000第一段。\n"
        "\n"
        "## 从“破冰之约”到“双向奔赴”\n"
        "\n"
        "【图】交流会现场。 周牧摄\n"
        "\n"
        "【编辑】责任编辑：李华\n"
        "\n\n"
        "12版\n"
        "----\n"
    )
    assert _round_trip([issue]) == [issue]


def test_english_issue_uses_english_labels() -> None:
    paper, date = "The Daily Example", dt.date(2025, 8, 26)
    article = _article(
        paper,
        date,
        "A3",
        "Budget passes",
        byline="By Jane Doe",
        authors=[Person("By", "Jane Doe")],
        dateline="WASHINGTON",
        body=[Text("The budget passed."), Heading("What next"), Caption("The vote. Photo: AP")],
        editors=[Person("Editor", "John Roe")],
    )
    issue = Issue(paper, date, [Page("A3", "Business", [article])])
    dumped = _dump([issue])
    assert "Page A3: Business\n-----------------\n" in dumped
    assert "[Title] Budget passes\n[Byline] By Jane Doe\n[Dateline] WASHINGTON\n\nThe budget passed.\n" in dumped
    assert "[Author]" not in dumped and "\u3000" not in dumped
    assert "[Editor] Editor: John Roe\n" in dumped
    assert _round_trip([issue]) == [issue]


def test_english_paragraphs_that_would_read_as_other_lines_are_escaped() -> None:
    paper, date = "The Daily Example", dt.date(2025, 8, 26)
    texts = ["[Title] is a field marker", "## not a heading", "【标题】", "\\back", "Page 3: fine", " lead space"]
    article = _article(paper, date, "A3", "Budget passes", body=[Text(t) for t in texts])
    issue = Issue(paper, date, [Page("A3", None, [article])])
    dumped = _dump([issue])
    assert "\nPage 3: fine\n" in dumped and "\n\\[Title] is a field marker\n" in dumped
    assert _round_trip([issue]) == [issue]


def test_round_trip_through_read_bytes(issue: Issue) -> None:
    buffer = io.BytesIO()
    text.write([issue], buffer)
    back = read_bytes(buffer.getvalue(), "export.txt", ReadOptions())
    digest = back[0].pages[0].articles[0].source
    assert digest is not None and len(digest.sha256) == 64
    assert _as_read(back) == _as_read([issue])


def test_several_issues_and_page_order_are_kept(issue: Issue) -> None:
    second = dataclasses.replace(issue, date=issue.date + dt.timedelta(days=1))
    labels = ["01", "03", "05", "12", "A01", "A02", "B01"]
    third = Issue("清溪晚报", issue.date, [Page(label) for label in labels])
    back = _round_trip([issue, second, third])
    assert back == _as_read([issue, second, third])
    assert [page.label for page in back[2].pages] == labels


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_round_trips_in_every_field(value: str) -> None:
    paper, date = value or "报", dt.date(2025, 1, 2)
    article = _article(
        paper,
        date,
        value,
        value,
        kicker=value,
        subtitle=value,
        byline=value,
        authors=[Person(value, value)],
        dateline=value,
        body=[Text(value), Heading(value), Caption(value)],
        editors=[Person(value, value), Person("校对", value)],
    )
    issue = Issue(paper, date, [Page(value, value, [article]), Page(value, None, [])])
    english = Issue("The Example", date, [Page(value, value, [dataclasses.replace(article, id="")])])
    english.pages[0].articles[0].id = article_id(english.paper, date, value, value)
    assert _round_trip([issue, english]) == [issue, english]


def test_authors_follow_the_byline_unless_they_differ() -> None:
    paper, date = "报", dt.date(2025, 1, 2)
    derived = _article(
        paper, date, "01", "甲", byline="记者 张三 李四", authors=[Person("记者", "张三"), Person("记者", "李四")]
    )
    none = _article(paper, date, "01", "乙", byline="记者 张三", authors=[])
    other = _article(paper, date, "01", "丙", byline="张三", authors=[Person("", "张三")])
    issue = Issue(paper, date, [Page("01", None, [derived, none, other])])
    dumped = _dump([issue])
    assert dumped.count("【作者】") == 2
    assert "【作者】\n" in dumped and "【作者】\\：张三\n" in dumped
    assert _round_trip([issue]) == [issue]


def test_options_override_paper_and_date(issue: Issue) -> None:
    date = dt.date(2024, 2, 29)
    back = text.read(_dump([issue]), "x.txt", ReadOptions(paper="新报", date=date))
    assert (back[0].paper, back[0].date) == ("新报", date)
    page = back[0].pages[0]
    assert page.articles[0].id == article_id("新报", date, page.label, page.articles[0].title)


def test_looks_like_only_this_layout(issue: Issue) -> None:
    assert text.looks_like(_dump([issue]))
    assert text.looks_like("\ufeff\n" + _dump([issue]).replace("\n", "\r\n"))
    assert not text.looks_like("")
    assert not text.looks_like("\n\n")
    assert not text.looks_like("电子报阅读机\n2025-10-14\n星期二\n当前报纸名称:衢州日报\n")
    assert not text.looks_like("---\npaper: 衢州日报\ndate: 2025-08-26\n---\n正文\n")
    assert not text.looks_like("衢州日报 2025-08-26\n正文\n")
    seed = require_seed()
    assert not text.looks_like(seed.read_bytes().decode("utf-8-sig"))


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("", "no issue heading"),
        ("正文\n", "no issue heading"),
        ("报 2025-02-30\n=====\n", "no such date"),
        ("报 2025-02-03\n=====\n\u3000\u3000正文\n", "before any page heading"),
        ("报 2025-02-03\n=====\n03\n---\n", "page heading"),
        ("报 2025-02-03\n=====\n03版\n---\n\u3000\u3000正文\n", "before the article's title"),
        ("报 2025-02-03\n=====\n03版\n---\n【引题】甲\n\n03版\n---\n", "kicker with no title"),
        ("报 2025-02-03\n=====\n03版\n---\n【标题】甲\n【副题】乙\n【副题】丙\n", "a second subtitle"),
        ("报 2025-02-03\n=====\n03版\n---\n【标题】甲\n【编辑】李华\n", "role：name"),
        ("报 2025-02-03\n=====\n03版\n---\n【标题】\\甲\\x\n", "bad escape"),
        ("报 2025-02-03\n=====\n03版\n---\n【标题】\\\\U00110000\n", "bad escape"),
        ("报 2025-02-03\n=====\n03版\n---\n【标题】甲\n【未知】乙\n", "not a line of this layout"),
        ("报 2025-02-03\n=====\n03版\n---\n【标题】甲\n【编辑】\n", "empty editor"),
    ],
)
def test_malformed_text_is_an_input_error(body: str, why: str) -> None:
    with pytest.raises(InputError) as caught:
        text.read(body, "bad.txt", ReadOptions())
    assert caught.value.what == "bad.txt"
    assert why in caught.value.why


_texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(HOSTILE),
    st.text(alphabet="衢州日报记者通讯员：【】版 ·—\u3000\\#=-Pag", max_size=12),
)
_people = st.lists(st.builds(Person, _texts, _texts), max_size=3)
_blocks = st.lists(
    st.one_of(st.builds(Text, _texts), st.builds(Heading, _texts), st.builds(Caption, _texts)), max_size=4
)
_optional = st.none() | _texts


@st.composite
def _issues(draw: st.DrawFn) -> Issue:
    paper, date = draw(_texts), draw(st.dates())
    pages = []
    for label in draw(st.lists(_texts, max_size=3)):
        articles = []
        for _ in range(draw(st.integers(0, 3))):
            title, byline = draw(_texts), draw(_optional)
            authors = draw(st.one_of(st.just(text.derive_authors(byline)), _people))
            articles.append(
                _article(
                    paper,
                    date,
                    label,
                    title,
                    kicker=draw(_optional),
                    subtitle=draw(_optional),
                    byline=byline,
                    authors=authors,
                    dateline=draw(_optional),
                    body=draw(_blocks),
                    editors=draw(_people),
                )
            )
        pages.append(Page(label, draw(_optional), articles))
    return Issue(paper, date, pages)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_issues(), min_size=1, max_size=3))
def test_any_issues_round_trip(issues: list[Issue]) -> None:
    assert _round_trip(issues) == issues


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_reads_or_fails_cleanly(body: str) -> None:
    try:
        text.read(body, "any.txt", ReadOptions())
    except InputError as error:
        assert error.what == "any.txt"


@settings(max_examples=200, deadline=None)
@given(_issues(), st.integers(0, 2000), st.text(min_size=1, max_size=3))
def test_damaged_exports_read_or_fail_cleanly(issue: Issue, where: int, junk: str) -> None:
    dumped = _dump([issue])
    where %= len(dumped)
    try:
        text.read(dumped[:where] + junk + dumped[where:], "damaged.txt", ReadOptions())
    except InputError as error:
        assert error.what == "damaged.txt"


def test_the_quick_look_for_unsafe_characters_misses_none() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert all(text_escapes._SUSPECT.match(ch) for ch in text_escapes._UNSAFE.findall(every))
