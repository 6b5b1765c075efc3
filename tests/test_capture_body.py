"""The reader-app capture reader, the article itself: bylines, the body (headings, verse, markers, datelines,
captions, editor lines) and punctuation. The header, dates and title block are in test_capture.py."""

from __future__ import annotations

import warnings

import pytest

from epaper_cli.formats import ReadOptions
from epaper_cli.formats.capture import SkippedCapture, read
from epaper_cli.formats.credits import parse_byline, parse_editors
from epaper_cli.formats.punctuation import fullwidth_punctuation
from epaper_cli.model import Article, Caption, Person, Text
from tests.test_capture import NBSP, capture, kinds, one

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
