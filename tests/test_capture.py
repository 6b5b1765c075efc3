"""The reader-app capture reader: the seed, the samples, and each variation real captures show."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

from epaper_cli.errors import InputError
from epaper_cli.formats import ReadOptions
from epaper_cli.formats.capture import SkippedCapture, read
from epaper_cli.formats.credits import parse_byline, parse_editors
from epaper_cli.formats.decode import decode
from epaper_cli.formats.issuedates import infer_year
from epaper_cli.formats.pagelabels import page_label
from epaper_cli.formats.punctuation import fullwidth_punctuation
from epaper_cli.model import Article, Caption, Heading, Issue, Person, Text, article_id, block_kind
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


# --- bylines --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "byline", "authors"),
    [
        ("记者 毛慧娟 通讯员 徐晓莹 姜丰", None, [("记者", "毛慧娟"), ("通讯员", "徐晓莹"), ("通讯员", "姜丰")]),
        ("本报记者 曾  强", "本报记者 曾强", [("本报记者", "曾强")]),
        ("实习生 王一 见习记者 张二", None, [("实习生", "王一"), ("见习记者", "张二")]),
        ("特约记者 李明 特约撰稿人 刘䶮", None, [("特约记者", "李明"), ("特约撰稿人", "刘䶮")]),
        ("全媒体记者 王小二 融媒记者 赵六", None, [("全媒体记者", "王小二"), ("融媒记者", "赵六")]),
        ("文/图 李明", None, [("文/图", "李明")]),
        ("文/张三 图/李四", None, [("文", "张三"), ("图", "李四")]),
        ("张三 摄", None, [("摄", "张三")]),
        ("■ 记者 王五", "记者 王五", [("记者", "王五")]),
        ("◎ 本报记者 王 芳", "本报记者 王芳", [("本报记者", "王芳")]),
        ("（记者 王五 通讯员 赵六）", "记者 王五 通讯员 赵六", [("记者", "王五"), ("通讯员", "赵六")]),
        ("【记者 王五】", "记者 王五", [("记者", "王五")]),
        ("记者 张三、李四", None, [("记者", "张三"), ("记者", "李四")]),
        ("记者毛慧娟", None, [("记者", "毛慧娟")]),
        ("新华社记者 周牧", None, [("新华社记者", "周牧")]),
        ("By Jane Doe", None, [("By", "Jane Doe")]),
        ("By Jane Doe, Li Hua and Tom Lee in Beijing", None, [("By", "Jane Doe"), ("By", "Li Hua"), ("By", "Tom Lee")]),
        ("中青报·中青网记者 王林", None, [("中青报·中青网记者", "王林")]),
        ("記者何家朗 通訊員 李文", None, [("記者", "何家朗"), ("通訊員", "李文")]),
        ("文／圖 陳大文", None, [("文／圖", "陳大文")]),
        ("□ 张晓岚", "张晓岚", [("作者", "张晓岚")]),
        ("● 张晓岚 李白", "张晓岚 李白", [("作者", "张晓岚"), ("作者", "李白")]),
        ("本报评论员", None, [("评论员", "本报评论员")]),
        ("新华社特约评论员", None, [("评论员", "新华社特约评论员")]),
        ("本报特约评论员 张三", None, [("本报特约评论员", "张三")]),
        ("By ANNA MÜLLER in Millbrook", None, [("By", "ANNA MÜLLER")]),
    ],
)
def test_bylines(line: str, byline: str | None, authors: list[tuple[str, str]]) -> None:
    assert parse_byline(line) == (byline or line, [Person(role, name) for role, name in authors])


@pytest.mark.parametrize(
    "line",
    [
        "记者手记",
        "记者从市人社局获悉，今年以来全市新增就业岗位2万个。",
        "从“破冰之约”到“双向奔赴”",
        "张三 李四",
        "Riverside Library",
        "By the river, the old mill still stands.",
        "张晓岚",
    ],
)
def test_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_byline_in_a_capture_with_nbsp() -> None:
    _, article = one(
        capture(body=f"  本报记者{NBSP}曾{NBSP}{NBSP}强{NBSP}通讯员{NBSP}徐晓莹\n\n  正文第一段写得足够长。\n")
    )
    assert article.byline == "本报记者 曾强 通讯员 徐晓莹"
    assert article.body == [Text("正文第一段写得足够长。")]


def test_no_byline_keeps_first_paragraph() -> None:
    _, article = one(capture(body="  记者从市人社局获悉,今年以来新增岗位2万个。\n\n  第二段。\n"))
    assert article.byline is None and article.authors == []
    assert article.body == [Text("记者从市人社局获悉，今年以来新增岗位2万个。"), Text("第二段。")]


# --- body -----------------------------------------------------------------------------------------------------


def test_headings_and_paragraphs() -> None:
    body = "\n".join(
        [
            "  记者 张三",
            "  从“破冰之约”到“双向奔赴”",
            "  “不收钱，想拿就拿。”",
            "  他说：",
            "  他说:",
            "  一、坚持创新，走向未来",
            "  （本文有删节）",
            "  这是一段很长的正文，没有句末标点，但是它长得足以说明它不是小标题而是一个段落的正文内容",
        ]
    )
    _, article = one(capture(body=body + "\n"))
    assert kinds(article) == ["heading", "text", "text", "text", "heading", "text", "text"]
    assert article.body[3] == Text("他说：")


def body_of(*lines: str, **options: object) -> Article:
    """The article of a capture whose body is these lines."""
    return one(capture(body="".join(f"  {line}\n\n" for line in lines)), **options)[1]


PROSE = "这是一段足够长的正文，说明了事情的经过。"


def test_a_heading_stands_alone_before_prose() -> None:
    assert kinds(body_of(PROSE, "短的小标题", PROSE)) == ["text", "heading", "text"]
    assert kinds(body_of(PROSE, "文章最后一行短句")) == ["text", "text"]
    assert kinds(body_of(PROSE, "雨落在瓦檐上", "一声接一声", PROSE)) == ["text", "text", "text", "text"]
    assert kinds(body_of(PROSE, "一、总体要求", "（一）指导思想", PROSE)) == ["text", "heading", "heading", "text"]
    assert kinds(body_of(PROSE, "1.粮食 62万吨", "2.油料 8万吨", PROSE)) == ["text"] * 4
    long_numbered = "（二）持续深化营商环境改革，以更优服务吸引更多优质项目落地见效"
    assert len(long_numbered) > 30 and kinds(body_of(PROSE, long_numbered, PROSE)) == ["text", "heading", "text"]
    assert (
        kinds(body_of(PROSE, "这是一行没有编号也没有标点但是长度超过了三十个字符的正文文字内容", PROSE)) == ["text"] * 3
    )


@pytest.mark.parametrize(
    ("lines", "came_from", "goes_to", "first", "last"),
    [
        ((f"{PROSE}（下转第三版）",), None, "03", PROSE, PROSE),
        (("（上接第一版）的农户提供服务。", PROSE), "01", None, "的农户提供服务。", PROSE),
        ((PROSE, "（转A3版）"), None, "A03", PROSE, PROSE),
        (("(接第1版)后续的内容。", PROSE), "01", None, "后续的内容。", PROSE),
        ((PROSE, "（下轉第十二版）"), None, "12", PROSE, PROSE),
    ],
)
def test_continuation_markers(
    lines: tuple[str, ...], came_from: str | None, goes_to: str | None, first: str, last: str
) -> None:
    article = body_of(*lines)
    assert (article.continued_from, article.continued_to) == (came_from, goes_to)
    assert (article.body[0].text, article.body[-1].text) == (first, last)


def test_english_continuation_and_contact_line() -> None:
    text = capture(
        paper="当前报纸名称:Harbor City Times\n",
        title="Budget Passes",
        body="  By Jane Doe\n\n  The council passed the budget. (Continued on page A3)\n\n"
        "  Contact the writer at jane.doe@example.org\n",
    )
    _, article = one(text)
    assert (article.continued_to, article.byline) == ("A03", "By Jane Doe Contact the writer at jane.doe@example.org")
    assert article.body == [Text("The council passed the budget.")]
    _, bare = one(text.replace("Contact the writer at jane.doe@example.org", "jane.doe@example.org"))
    assert bare.byline == "By Jane Doe jane.doe@example.org"


@pytest.mark.parametrize("mark", ["（完）", "(完)", "（全文完）", "——完——"])
def test_end_marks_are_dropped(mark: str) -> None:
    assert body_of(PROSE, mark).body == [Text(PROSE)]
    assert body_of(PROSE + mark if mark.startswith("（") else PROSE).body == [Text(PROSE)]


def test_closing_notes_repeat_source_and_byline() -> None:
    wire = body_of("新华社南宁8月25日电 " + PROSE, "（新华社南宁8月25日电）")
    assert (wire.dateline, wire.body) == ("新华社南宁8月25日电", [Text(PROSE)])
    sourced = body_of("本报讯 " + PROSE, "（来源：农林科技报）")
    assert (sourced.dateline, sourced.body) == ("本报讯", [Text(PROSE)])
    ending = body_of(PROSE, "本报记者 周立 孙雯")
    assert ending.authors == [Person("本报记者", "周立"), Person("本报记者", "孙雯")] and ending.body == [Text(PROSE)]
    credit = body_of(PROSE, "周立 摄")
    assert credit.byline is None and kinds(credit) == ["text", "caption"]


def test_author_notes() -> None:
    named = body_of(PROSE, "（作者：张晓岚、李白，分别系江城大学教授和研究员）")
    assert named.authors == [Person("作者", "张晓岚"), Person("作者", "李白")] and named.body == [Text(PROSE)]
    unnamed = body_of("□ 张晓岚", PROSE, "（作者系江城大学教授）")
    assert unnamed.byline == "张晓岚（作者系江城大学教授）" and unnamed.authors == [Person("作者", "张晓岚")]
    first = body_of("（作者：张晓岚）", PROSE)
    assert (first.byline, first.body) == ("作者：张晓岚", [Text(PROSE)])
    unit = body_of("□ 张晓岚", PROSE, "（作者单位：江城大学）")
    assert unit.byline == "张晓岚（作者单位：江城大学）" and unit.authors == [Person("作者", "张晓岚")]
    sentence = body_of(PROSE, "（作者说的这些话值得深思）")
    assert sentence.byline is None and len(sentence.body) == 2


@pytest.mark.parametrize(
    ("first", "dateline", "byline", "rest"),
    [
        ("江城日报讯 记者林知远、通讯员郑宣报道：" + PROSE, "江城日报讯", "记者林知远、通讯员郑宣", PROSE),
        ("【星島日報訊】記者何志明報道：" + PROSE, "星島日報訊", "記者何志明", PROSE),
        ("〔記者蔡育成／高雄報導〕" + PROSE, "高雄報導", "記者蔡育成", PROSE),
        ("本报讯 记者从市人社局获悉，" + PROSE, "本报讯", None, "记者从市人社局获悉，" + PROSE),
    ],
)
def test_byline_inside_the_first_paragraph(first: str, dateline: str, byline: str | None, rest: str) -> None:
    article = body_of(first, PROSE)
    assert (article.dateline, article.byline, article.body[0].text) == (dateline, byline, rest)


@pytest.mark.parametrize(
    "line",
    [
        "游客在草甸上观赏日出。新华社发",
        "游客在草甸上观赏日出。新华社发（王鹏 摄）",
        "孩子们在读书。（本报记者 桑宇 摄）",
        "村民在晒谷。 通讯员 邹明辉 摄",
        "A volunteer hangs prints on Monday. ANNA MÜLLER / PINECREST GAZETTE",
        "圖為市民在公園乘涼。",
    ],
)
def test_picture_credits(line: str) -> None:
    assert kinds(body_of(PROSE, line)) == ["text", "caption"]


def test_plain_body_keeps_every_line() -> None:
    article = body_of("记者 张三", "短的小标题", f"{PROSE}（下转第三版）", "责任编辑：李华", plain_body=True)
    assert (article.byline, article.editors, article.continued_to) == (None, [], None)
    assert kinds(article) == ["text"] * 4 and article.body[2] == Text(f"{PROSE}（下转第三版）")


def test_navigation_links_on_their_own_line_are_dropped() -> None:
    _, article = one(capture(page="版面:03版:民生\n上一篇  下一篇\n", body="  正文第一段。\n\n  上一篇\n"))
    assert article.body == [Text("正文第一段。")]


def test_datelines() -> None:
    _, plain = one(capture(body="  本报讯 今年以来,我市新增就业岗位2万个。\n"))
    assert (plain.dateline, plain.body) == ("本报讯", [Text("今年以来，我市新增就业岗位2万个。")])
    _, credited = one(capture(body="  本报讯（记者 王五 通讯员 赵六）今年以来新增岗位2万个。\n"))
    assert credited.dateline == "本报讯" and credited.byline == "记者 王五 通讯员 赵六"
    assert credited.body == [Text("今年以来新增岗位2万个。")]
    _, wire = one(capture(body="  新华社北京8月25日电（记者 周牧）国家统计局25日发布数据。\n"))
    assert (wire.dateline, wire.authors) == ("新华社北京8月25日电", [Person("记者", "周牧")])
    assert wire.body == [Text("国家统计局25日发布数据。")]


def test_english_dateline_caption_and_editor() -> None:
    body = "\n\n".join(
        [
            "  BEIJING, Aug. 25 (Xinhua) -- China's ports handled a record volume of cargo in July.",
            "  Cranes load containers at a terminal in Ningbo. (Photo/Xinhua)",
            "  Editor: Jane Doe",
        ]
    )
    issue, article = one(capture(paper="当前报纸名称:Harbor City Times\n", title="Port Traffic Hits Record", body=body))
    assert issue.paper == "Harbor City Times" and article.dateline == "BEIJING, Aug. 25 (Xinhua)"
    assert article.body == [
        Text("China's ports handled a record volume of cargo in July."),
        Caption("Cranes load containers at a terminal in Ningbo. (Photo/Xinhua)"),
    ]
    assert article.editors == [Person("Editor", "Jane Doe")]


def test_bracketed_last_line_is_the_dateline() -> None:
    _, article = one(capture(body="  记者 张三\n\n  正文第一段。\n\n  （据新华社）\n"))
    assert article.dateline == "据新华社" and article.body == [Text("正文第一段。")]
    _, credit = one(capture(body="  正文第一段。\n\n  （记者 张三）\n"))
    assert credit.authors == [Person("记者", "张三")] and credit.body == [Text("正文第一段。")]


def test_captions() -> None:
    body = "\n\n".join(
        [
            "  记者 张三",
            "  正文。",
            "  市民在广场上放风筝。新华社记者 周牧摄",
            "  孩子们在读书。（记者 张三 摄）",
            "  ▲ 新建成的公园。",
        ]
    )
    _, article = one(capture(body=body))
    assert kinds(article) == ["text", "caption", "caption", "caption"]
    assert article.body[1] == Caption("市民在广场上放风筝。新华社记者 周牧摄")


@pytest.mark.parametrize(
    ("line", "editors"),
    [
        ("责任编辑：李华", [("责任编辑", "李华")]),
        ("本版编辑:王五", [("本版编辑", "王五")]),
        ("责编：张三 校对：李四", [("责编", "张三"), ("校对", "李四")]),
        ("美编：陈 晨", [("美编", "陈晨")]),
        ("（本版责编：赵六）", [("本版责编", "赵六")]),
        ("Editor: Jane Doe", [("Editor", "Jane Doe")]),
        ("责任编辑：李华 版面设计：王五 校对：赵六", [("责任编辑", "李华"), ("版面设计", "王五"), ("校对", "赵六")]),
        ("責任編輯：何家明 美術編輯：梁小玲", [("責任編輯", "何家明"), ("美術編輯", "梁小玲")]),
    ],
)
def test_editor_lines(line: str, editors: list[tuple[str, str]]) -> None:
    assert parse_editors(line) == [Person(role, name) for role, name in editors]
    _, article = one(capture(body=f"  记者 张三\n\n  正文。\n\n  {line}\n"))
    assert article.editors == [Person(role, name) for role, name in editors]
    assert article.body == [Text("正文。")]


def test_editing_sentence_is_not_an_editor_line() -> None:
    assert parse_editors("编辑部的同事们都来了。") is None


@pytest.mark.parametrize("title", ["广告", "本版责编：李华 美编：王五"])
def test_credit_only_capture_is_skipped(title: str) -> None:
    text = capture(title=title, body="") + "\n" + capture(title="真正的文章")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        issues = read(text, "x.txt", ReadOptions())
    assert [issue.pages[0].articles[0].title for issue in issues] == ["真正的文章"]
    assert any(issubclass(w.category, SkippedCapture) and title in str(w.message) for w in caught)


# --- punctuation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("今年5月,2025年浙江省", "今年5月，2025年浙江省"),
        ("川思控股(浙江)有限公司", "川思控股（浙江）有限公司"),
        ("以“人才链”串联“产业链”,以“服务链”", "以“人才链”串联“产业链”，以“服务链”"),
        ("感慨道:“山海协作”", "感慨道：“山海协作”"),
        ("好!真的吗?是的;", "好！真的吗？是的；"),
        ("占比达84%,创收", "占比达84%，创收"),
        ("在8·8人才交流会上", "在8·8人才交流会上"),
        ("50.28亿元", "50.28亿元"),
        ("上午10:30开始", "上午10:30开始"),
        ("访问http://a.b/c?d=1了解", "访问http://a.b/c?d=1了解"),
        ("见www.example.cn/a?b=1,然后(详见http://a.b/c)", "见www.example.cn/a?b=1，然后（详见http://a.b/c）"),
        ("公司(ABC Ltd)", "公司（ABC Ltd）"),
        ("Hello, world (really)!", "Hello, world (really)!"),
        ("共1,000人", "共1,000人"),
    ],
)
def test_fullwidth_punctuation(raw: str, fixed: str) -> None:
    assert fullwidth_punctuation(raw) == fixed


def test_keep_punctuation() -> None:
    _, article = one(capture(), keep_punctuation=True)
    assert article.body == [Text("这是第一段正文,内容足够长,说明了事情的经过。")]
