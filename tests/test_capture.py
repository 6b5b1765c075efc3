"""The reader-app capture reader, around the article: the seed, the header, labels and dates, the title block.
Bylines, the body and punctuation are in test_capture_body.py."""

from __future__ import annotations

import datetime as dt

import pytest

from epaper_cli.errors import InputError
from epaper_cli.formats import ReadOptions
from epaper_cli.formats.capture import read
from epaper_cli.formats.decode import decode
from epaper_cli.formats.issuedates import infer_year
from epaper_cli.formats.pagelabels import page_label
from epaper_cli.model import Article, Heading, Issue, Person, Text, article_id, block_kind
from tests.helpers import SAMPLES, SEED

NBSP = "\u00a0"


def capture(
    body: str = "  记者 张三\n\n  这是第一段正文,内容足够长,说明了事情的经过。\n",
    *,
    header: str = "电子报阅读机\n2025-10-14\n星期二\n",
    paper: str = "当前报纸名称:衢州日报\n",
    title: str = "测试标题",
    date: str | None = "日期:08-26\n",
    page: str | None = "版面:03版:民生   上一篇  下一篇\n",
) -> str:
    """Build a capture in the seed's layout, each part replaceable."""
    labels = (date or "") + "字号:\n" + (page or "")
    return f"{header}{paper}\n{title}\n\n{labels}\n{body}"


def one(text: str, **options: object) -> tuple[Issue, Article]:
    """Read a text that holds exactly one capture."""
    issues = read(text, "x.txt", ReadOptions(**options))  # type: ignore[arg-type]
    assert len(issues) == 1
    assert len(issues[0].pages) == 1 and len(issues[0].pages[0].articles) == 1
    return issues[0], issues[0].pages[0].articles[0]


def refused(text: str, **options: object) -> str:
    """Read a text that must be refused, and return the reason."""
    with pytest.raises(InputError) as caught:
        read(text, "x.txt", ReadOptions(**options))  # type: ignore[arg-type]
    assert caught.value.what == "x.txt"
    return caught.value.why


def kinds(article: Article) -> list[str]:
    """The body as a list of block kinds."""
    return [block_kind(block) for block in article.body]


def read_sample(name: str) -> list[Issue]:
    """Decode and read one sample capture file."""
    path = SAMPLES / name
    return read(decode(path.read_bytes(), name, None), name, ReadOptions())


# --- the seed -------------------------------------------------------------------------------------------------


def test_seed_capture_imports_in_full() -> None:
    if not SEED.exists():
        pytest.skip("shared seed capture not present")
    issues = read(decode(SEED.read_bytes(), SEED.name, None), SEED.name, ReadOptions())
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.paper, issue.date) == ("衢州日报", dt.date(2025, 8, 26))
    page = issue.pages[0]
    assert (page.label, page.section) == ("03", "民生")
    article = page.articles[0]
    assert article.title == "杭衢人力的双向奔赴"
    assert article.id == article_id("衢州日报", dt.date(2025, 8, 26), "03", "杭衢人力的双向奔赴")
    assert article.byline == "记者 毛慧娟 通讯员 徐晓莹 姜丰"
    assert article.authors == [Person("记者", "毛慧娟"), Person("通讯员", "徐晓莹"), Person("通讯员", "姜丰")]
    assert (article.kicker, article.subtitle, article.dateline, article.editors) == (None, None, None, [])
    headings = [block.text for block in article.body if isinstance(block, Heading)]
    assert headings == ["从“破冰之约”到“双向奔赴”", "打造创新驱动的“杭衢模式”", "共建行业发展“新生态”"]
    texts = [block.text for block in article.body if isinstance(block, Text)]
    assert len(texts) == 16 and len(article.body) == 19
    assert texts[0].startswith("在2025年衢州市8·8人才交流会上，包括30多家")
    assert texts[-1].startswith("山海相连，人才互通。")
    assert "川思控股（浙江）有限公司" in texts[4]
    assert "占比达84%，创收突破50.28亿元，纳税超1.81亿元。" in texts[6]
    assert not any("," in text for text in texts)
    assert article.source is not None
    assert (article.source.reader, article.source.read_on) == ("电子报阅读机", dt.date(2025, 10, 14))


# --- header, labels and dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read_on", "month_day", "expected"),
    [
        ("2026-01-03", (12, 31), "2025-12-31"),
        ("2025-12-31", (1, 1), "2026-01-01"),
        ("2025-03-02", (2, 29), "2024-02-29"),
        ("2025-08-25", (8, 26), "2025-08-26"),
        ("2025-08-25", (8, 27), "2025-08-27"),
        ("2025-08-25", (8, 28), "2024-08-28"),
        ("2025-10-14", (8, 26), "2025-08-26"),
    ],
)
def test_year_inference(read_on: str, month_day: tuple[int, int], expected: str) -> None:
    assert infer_year(dt.date.fromisoformat(read_on), *month_day) == dt.date.fromisoformat(expected)


def test_year_inferred_across_new_year_in_a_capture() -> None:
    issue, _ = one(capture(header="电子报阅读机\n2026-01-02\n星期五\n", date="日期:12-31\n"))
    assert issue.date == dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    "date",
    [
        "日期:08-26",
        "日期：8月26日",
        "日期：０８－２６",
        "日期:2025-08-26",
        "日期:2025年8月26日",
        "日期:2025/8/26",
        "日期\u3000:\u300008-26",
    ],
)
def test_date_forms(date: str) -> None:
    issue, _ = one(capture(date=date + "\n"))
    assert issue.date == dt.date(2025, 8, 26)


def test_full_date_needs_no_read_date() -> None:
    issue, _ = one(capture(header="", date="日期:2024年8月26日\n"))
    assert issue.date == dt.date(2024, 8, 26)


def test_month_day_without_read_date_needs_year_or_date() -> None:
    text = capture(header="")
    assert refused(text) == "no read date in the capture: pass --year or --date"
    assert one(text, year=2023)[0].date == dt.date(2023, 8, 26)
    assert one(text, date=dt.date(2023, 1, 5))[0].date == dt.date(2023, 1, 5)


def test_year_only_fills_in() -> None:
    assert one(capture(), year=2020)[0].date == dt.date(2025, 8, 26)
    assert one(capture(date="日期:2024-08-26\n"), year=2020)[0].date == dt.date(2024, 8, 26)


def test_no_date_line_needs_date_option() -> None:
    assert refused(capture(date=None)) == "no 日期 line in the capture: pass --date YYYY-MM-DD"
    assert one(capture(date=None), date=dt.date(2025, 8, 27))[0].date == dt.date(2025, 8, 27)


@pytest.mark.parametrize("date", ["日期:02-30", "日期:2025-13-01", "日期:2025-02-29"])
def test_impossible_dates_are_refused(date: str) -> None:
    assert "impossible date" in refused(capture(date=date + "\n"))
    assert "impossible date" in refused(capture(header="", date=date + "\n"), year=2025)


def test_unreadable_date_is_refused() -> None:
    assert "cannot read the 日期 line" in refused(capture(date="日期:明天\n"))


def test_paper_and_date_options_override() -> None:
    issue, article = one(capture(), paper="衢州晚报", date=dt.date(2025, 9, 1))
    assert (issue.paper, issue.date) == ("衢州晚报", dt.date(2025, 9, 1))
    assert article.id == article_id("衢州晚报", dt.date(2025, 9, 1), "03", "测试标题")


@pytest.mark.parametrize(
    ("value", "label", "section"),
    [
        ("03版:民生       上一篇    下一篇", "03", "民生"),
        ("03版", "03", None),
        ("第3版", "03", None),
        ("第 05 版：要 闻", "05", "要闻"),
        ("A3", "A03", None),
        ("A03版:时政", "A03", "时政"),
        ("第A03版：时政", "A03", "时政"),
        ("（GA01）", "GA01", None),
        ("（GA01）:城事", "GA01", "城事"),
        ("第１２版：文化", "12", "文化"),
        ("Ａ０３版", "A03", None),
        ("第三版", "03", None),
        ("b2版:Business News", "B02", "Business News"),
    ],
)
def test_page_labels(value: str, label: str, section: str | None) -> None:
    assert page_label(value) == (label, section)


def test_page_in_a_capture_with_nbsp_links() -> None:
    issue, _ = one(capture(page=f"版面:第A03版:要{NBSP}闻{NBSP * 6} 上一篇{NBSP * 3} 下一篇\n"))
    assert (issue.pages[0].label, issue.pages[0].section) == ("A03", "要闻")


def test_missing_or_unreadable_page_is_refused() -> None:
    assert "no 版面 line" in refused(capture(page=None))
    assert "cannot read the page" in refused(capture(page="版面:民生\n"))


def test_invisible_characters_and_odd_spaces_in_labels() -> None:
    text = capture(
        header="\ufeff电子报阅读机\n2025-10-14\n星期二\n",
        paper="当前报纸名称\u200b：\u3000衢州\u200b日报\n",
        date="日\ufeff期\u00a0:\u300008-26\n",
        page="\u3000版面\u200b:03版:民生\n",
    )
    issue, _ = one(text)
    assert (issue.paper, issue.date, issue.pages[0].label) == ("衢州日报", dt.date(2025, 8, 26), "03")


def test_label_names_with_layout_spaces() -> None:
    issue, _ = one(capture(paper="当前报纸名称:衢州 日报\n", date="日 期：08-26\n", page="版 面：03版\n"))
    assert (issue.paper, issue.date, issue.pages[0].label) == ("衢州日报", dt.date(2025, 8, 26), "03")


def test_capture_without_header_lines_before_the_paper() -> None:
    issue, article = one(capture(header=""), year=2025)
    assert (issue.paper, issue.date) == ("衢州日报", dt.date(2025, 8, 26)) and article.source is not None
    assert (article.source.reader, article.source.read_on) == (None, None)


def test_missing_paper_needs_paper_option() -> None:
    text = capture(paper="")
    assert "no 当前报纸名称 line" in refused(text)
    assert one(text, paper="某某日报")[0].paper == "某某日报"


def test_no_capture_and_no_title_are_refused() -> None:
    assert refused("随便写的一段文字。\n第二行。\n").startswith("no capture found")
    assert refused("   \n\n") == "empty file"
    assert (
        refused("电子报阅读机\n2025-10-14\n星期二\n当前报纸名称:衢州日报\n\n日期:08-26\n") == "no title in the capture"
    )


def test_several_captures_and_error_names_the_capture() -> None:
    good = capture()
    bad = capture(date="日期:02-30\n")
    assert len(read(good + "\n" + good, "x.txt", ReadOptions())) == 2
    assert refused(good + "\n" + bad).startswith("capture 2: impossible date")


def test_capture_starting_at_paper_line_after_another() -> None:
    text = capture() + "\n" + capture(header="", title="第二篇文章", date="日期:2025-08-26\n")
    titles = [issue.pages[0].articles[0].title for issue in read(text, "x.txt", ReadOptions())]
    assert titles == ["测试标题", "第二篇文章"]


# --- title block ----------------------------------------------------------------------------------------------


def test_kicker_title_subtitle() -> None:
    _, article = one(capture(title="引题短一些\n这是更长一些的主标题\n——这是副题"))
    assert (article.kicker, article.title, article.subtitle) == ("引题短一些", "这是更长一些的主标题", "这是副题")


def test_three_lines_are_kicker_title_subtitle_whatever_their_lengths() -> None:
    _, article = one(capture(title="秋粮收购\n新稻谷入库\n二十三个收储点同时开秤 农户可预约错峰售粮"))
    assert (article.kicker, article.title, article.subtitle) == (
        "秋粮收购",
        "新稻谷入库",
        "二十三个收储点同时开秤 农户可预约错峰售粮",
    )


def test_traditional_labels() -> None:
    text = capture(
        header="電子報閱讀器\n2025-08-26\n週二\n",
        paper="當前報紙名稱:維港日報\n",
        date="日期:2025/08/26\n",
        page="版面:A06版:港聞   上一頁  下一頁\n",
    ).replace("字号:", "字號:")
    issue, article = one(text)
    assert (issue.paper, issue.date, issue.pages[0].label, issue.pages[0].section) == (
        "維港日報",
        dt.date(2025, 8, 26),
        "A06",
        "港聞",
    )
    assert article.source is not None and article.source.reader == "電子報閱讀器"


def test_shorter_line_below_is_subtitle() -> None:
    _, article = one(capture(title="这是更长一些的主标题\n副题短些"))
    assert (article.kicker, article.title, article.subtitle) == (None, "这是更长一些的主标题", "副题短些")
