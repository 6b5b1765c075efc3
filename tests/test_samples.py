"""The bundled sample captures: each reads as its facts say, and every documented variant has a sample."""

from __future__ import annotations

import codecs
import datetime as dt
import re
import warnings

import pytest

from epaper_cli.formats import ReadOptions, read_bytes
from epaper_cli.formats.capture import SkippedCapture
from epaper_cli.formats.decode import decode
from epaper_cli.model import Caption, Heading, Issue, Person, Text
from tests.helpers import SAMPLES, sample_encoding
from tests.test_capture import kinds, read_sample

# --- the samples ----------------------------------------------------------------------------------------------

SAMPLE_FACTS = [
    ("qingxi-evening-2025-03-14-p05.txt", "清溪晚报", "2025-03-14", "05", "要闻", "老街菜场换新颜"),
    ("nanshan-daily-2025-12-31-a03.txt", "南山日报", "2025-12-31", "A03", "时政", "跨年夜的守护者"),
    ("lingnan-business-2025-09-08-b02-gb18030.txt", "岭南商报", "2025-09-08", "B02", "人文", "南汉皇帝刘䶮与广州城"),
    ("jiangcheng-metro-2025-05-20-ga01-crlf.txt", "江城都市报", "2025-05-20", "GA01", "城事", "夜市经济点亮滨江"),
    (
        "linchuan-daily-2025-10-16-p03-kicker.txt",
        "临川日报",
        "2025-10-16",
        "03",
        "经济",
        "万亩晚稻喜获丰收 农机助力颗粒归仓",
    ),
    ("xinghai-weekly-2024-08-26-a03-fullwidth.txt", "星海周报", "2024-08-26", "A03", None, "海岛渔村的民宿新路"),
    (
        "harbor-city-times-2025-11-03-a05-english.txt",
        "Harbor City Times",
        "2025-11-03",
        "A05",
        "Metro",
        "Riverside Library Opens Its Doors After Renovation",
    ),
    ("xiyuan-daily-2025-08-26-p03-utf16le.txt", "溪源日报", "2025-08-26", "03", "民生", "老旧小区加装电梯按下快进键"),
    ("beihu-evening-2025-08-26-a03-utf16be.txt", "北湖晚报", "2025-08-26", "A03", "城建", "环湖绿道夜间照明全线贯通"),
    ("yunshan-daily-2025-08-26-p05-invisible.txt", "云山日报", "2025-08-26", "05", "教育", "山区小学用上“空中课堂”"),
    ("taoxi-daily-2024-02-29-p02-leap-day.txt", "桃溪日报", "2024-02-29", "02", None, "四年一遇的生日"),
    (
        "dongling-daily-2026-01-01-p01-new-year.txt",
        "东岭日报",
        "2026-01-01",
        "01",
        "要闻",
        "新年第一天 四十个重点项目集中开工",
    ),
    ("qinghe-daily-2025-08-26-p04-xinhua-crlf.txt", "青禾日报", "2025-08-26", "04", "国内", "文旅消费热度持续攀升"),
    ("shimen-daily-2025-08-26-a03-bullet.txt", "石门日报", "2025-08-26", "A03", "文化", "街角的共享书架"),
    (
        "lakeside-herald-2025-08-26-a02-english-xinhua.txt",
        "Lakeside Herald",
        "2025-08-26",
        "A02",
        "Nation",
        "High-Speed Rail Line Links Two Mountain Towns",
    ),
    ("jianghai-daily-2025-08-26-p04-web-portal.txt", "江海日报", "2025-08-26", "04", None, "乡村夜校点亮田间“充电站”"),
    (
        "pinecrest-gazette-2025-08-26-p05-web-cp1252.txt",
        "Pinecrest Gazette",
        "2025-08-26",
        "05",
        None,
        "Old Mill Reopens as a Riverside Café and Gallery",
    ),
    (
        "gangdu-times-2025-08-26-a05-epaper-web-traditional.txt",
        "港都時報",
        "2025-08-26",
        "A05",
        "地方",
        "舊港區倉庫變身文創聚落",
    ),
    ("weigang-daily-2025-08-26-a06-traditional.txt", "維港日報", "2025-08-26", "A06", "港聞", "深水埗三幢唐樓明年動工"),
    (
        "lingdong-daily-2025-08-26-p02-inline-byline.txt",
        "岭东日报",
        "2025-08-26",
        "02",
        "城事",
        "老城区燃气管道改造完工",
    ),
]


def read_any(name: str, **options: object) -> list[Issue]:
    """Read a sample as `epaper import` does: the reader the text calls for, the encoding its name gives."""
    path = SAMPLES / name
    return read_bytes(path.read_bytes(), name, ReadOptions(encoding=sample_encoding(path), **options))  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "paper", "date", "label", "section", "title"), SAMPLE_FACTS)
def test_sample_reads(name: str, paper: str, date: str, label: str, section: str | None, title: str) -> None:
    issues = read_any(name)
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.paper, issue.date.isoformat()) == (paper, date)
    assert (issue.pages[0].label, issue.pages[0].section, issue.pages[0].articles[0].title) == (label, section, title)


def test_sample_with_layout_spaces_and_quoted_paragraph() -> None:
    article = read_sample("qingxi-evening-2025-03-14-p05.txt")[0].pages[0].articles[0]
    assert article.authors == [Person("本报记者", "曾强"), Person("实习生", "林小雨")]
    assert article.byline == "本报记者 曾强 实习生 林小雨"
    assert kinds(article) == ["text", "text", "heading", "text", "text", "text", "text", "heading", "text", "text"]
    assert article.body[5] == Text("“不收钱，想拿就拿。”")
    assert "http://qx.example.cn/market?id=5了解" in article.body[8].text
    assert article.body[9].text.endswith("每天10:30开始。")


def test_sample_across_new_year_with_editor() -> None:
    article = read_sample("nanshan-daily-2025-12-31-a03.txt")[0].pages[0].articles[0]
    assert article.authors == [Person("记者", "陈思远"), Person("通讯员", "何晓"), Person("通讯员", "周敏")]
    assert article.editors == [Person("责任编辑", "郑小燕")]
    assert article.source is not None and article.source.read_on == dt.date(2026, 1, 2)
    assert not any("郑小燕" in block.text for block in article.body)


def test_sample_with_three_captures() -> None:
    issues = read_sample("dongjiang-daily-2025-06-three-captures.txt")
    facts = [(i.date.isoformat(), i.pages[0].label, i.pages[0].section, i.pages[0].articles[0].title) for i in issues]
    assert facts == [
        ("2025-06-10", "01", "要闻", "夏粮收购全面启动"),
        ("2025-06-09", "02", None, "社区食堂开到家门口"),
        ("2025-06-09", "12", "文化", "古村里的非遗工坊"),
    ]
    second, third = issues[1].pages[0].articles[0], issues[2].pages[0].articles[0]
    assert second.byline is None and second.body[0].text.startswith("“一荤两素加一碗汤，只要12元。”")
    assert third.authors == [Person("文", "李可"), Person("图", "王涛")] and third.byline == "文/李可 图/王涛"
    assert kinds(third) == ["text", "heading", "text", "text"]


def test_sample_with_kicker_subtitle_dateline_captions_editors() -> None:
    article = read_sample("linchuan-daily-2025-10-16-p03-kicker.txt")[0].pages[0].articles[0]
    assert (article.kicker, article.subtitle) == ("秋收时节访田间", "我市晚稻收割进度过半")
    assert article.dateline == "本报讯"
    assert article.authors == [Person("记者", "罗晓"), Person("通讯员", "万强")]
    assert article.body[0].text.startswith("连日来，我市各地")
    assert kinds(article) == ["text", "caption", "text", "heading", "text", "caption", "text"]
    assert article.body[5] == Caption("农户将新收的稻谷装袋，准备送往烘干中心。（通讯员 万强 摄）")
    assert article.editors == [Person("责任编辑", "李华"), Person("校对", "张敏")]


def test_sample_english_paper() -> None:
    article = read_sample("harbor-city-times-2025-11-03-a05-english.txt")[0].pages[0].articles[0]
    assert article.authors == [Person("By", "Jane Doe"), Person("By", "Tom Lee")]
    assert kinds(article) == ["text", "heading", "text", "text", "heading", "text"]
    assert article.body[1] == Heading("A home for every reader")
    assert "$120,000" in article.body[5].text and "book?room=2." in article.body[3].text


def test_sample_gb18030_crlf_and_fullwidth() -> None:
    gb = read_sample("lingnan-business-2025-09-08-b02-gb18030.txt")[0].pages[0].articles[0]
    assert gb.authors == [Person("特约撰稿人", "邓明")] and "刘䶮" in gb.body[0].text
    crlf = read_sample("jiangcheng-metro-2025-05-20-ga01-crlf.txt")[0].pages[0].articles[0]
    assert crlf.authors == [Person("全媒体记者", "苏航"), Person("融媒记者", "吴佳")]
    assert crlf.body[0].text.startswith("入夜，滨江路上") and kinds(crlf).count("heading") == 1
    wide = read_sample("xinghai-weekly-2024-08-26-a03-fullwidth.txt")[0].pages[0].articles[0]
    assert wide.authors == [Person("见习记者", "方圆"), Person("特约记者", "梁晨")]
    assert wide.source is not None and wide.source.reader == "阅读助手"


def test_samples_in_utf16_with_bullets_headings_and_kicker() -> None:
    le = read_sample("xiyuan-daily-2025-08-26-p03-utf16le.txt")[0].pages[0].articles[0]
    assert le.authors == [Person("记者", "孔令山"), Person("通讯员", "严冬"), Person("通讯员", "钟雪")]
    assert kinds(le) == ["text", "heading", "text", "heading", "text"] and le.body[1] == Heading("一、先协商后开工")
    be = read_sample("beihu-evening-2025-08-26-a03-utf16be.txt")[0].pages[0].articles[0]
    assert (be.kicker, be.subtitle) == ("湖畔夜跑成风尚", "沿线新增补水站12处")
    assert be.authors == [Person("文/图", "邵一鸣")] and kinds(be) == ["text", "caption", "text"]


def test_sample_with_invisible_characters_read_the_evening_before() -> None:
    issue = read_sample("yunshan-daily-2025-08-26-p05-invisible.txt")[0]
    article = issue.pages[0].articles[0]
    assert article.source is not None and article.source.read_on == dt.date(2025, 8, 25)
    assert article.authors == [Person("本报记者", "宋雯"), Person("见习记者", "杜若")]
    assert article.body[1] == Heading("一根网线连起两间教室")
    assert not any(ch in block.text for block in article.body for ch in "\u200b\ufeff\u00a0\u3000")


def test_decode_drops_a_stray_bom_mid_text() -> None:
    # Two UTF-8-with-BOM files joined with `cat` carry a BOM at the join; before, only the leading one went.
    joined = codecs.BOM_UTF8 + b"## a\n" + codecs.BOM_UTF8 + "## b\n正文，\ufeff第二句。\n".encode()
    assert decode(joined, "x.txt", None) == "## a\n## b\n正文，第二句。\n"


def test_sample_leap_day_and_new_year_dates() -> None:
    leap = read_sample("taoxi-daily-2024-02-29-p02-leap-day.txt")[0].pages[0].articles[0]
    assert leap.authors == [Person("摄", "柯远")] and leap.byline == "柯远 摄"
    assert kinds(leap) == ["text", "caption", "text"]
    new_year = read_sample("dongling-daily-2026-01-01-p01-new-year.txt")[0].pages[0].articles[0]
    assert new_year.dateline == "本报讯" and new_year.authors == [Person("记者", "潘越"), Person("通讯员", "祁明")]
    assert kinds(new_year) == ["text", "text", "heading", "text", "text", "heading", "text"]
    assert new_year.editors == [Person("本版编辑", "秦朗")]


def test_sample_wire_copy_and_english_wire() -> None:
    wire = read_sample("qinghe-daily-2025-08-26-p04-xinhua-crlf.txt")[0].pages[0].articles[0]
    assert (wire.kicker, wire.dateline) == ("暑期消费观察", "新华社北京8月25日电")
    assert wire.authors == [Person("记者", "韩松涛")]
    assert wire.body[1] == Caption("游客在一处古镇夜游。新华社记者 卢青摄")
    assert wire.editors == [Person("责编", "钟灵"), Person("校对", "骆遥")]
    english = read_sample("lakeside-herald-2025-08-26-a02-english-xinhua.txt")[0].pages[0].articles[0]
    assert english.dateline == "BEIJING, Aug. 25 (Xinhua)" and english.editors == [Person("Editor", "Grace Holt")]
    assert kinds(english) == ["text", "heading", "text", "caption"]


def test_sample_with_credit_only_and_advert_captures() -> None:
    name = "fengqiao-evening-2025-09-12-credit-advert-captures.txt"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        issues = read_sample(name)
    assert sum(issubclass(w.category, SkippedCapture) for w in caught) == 2
    assert [(issue.pages[0].label, issue.pages[0].articles[0].title) for issue in issues] == [
        ("08", "老码头变身文化街区"),
        ("09", "全国秋粮收获进度过三成"),
    ]
    local, wire = (issue.pages[0].articles[0] for issue in issues)
    assert local.authors == [Person("全媒体记者", "郁文"), Person("全媒体记者", "韦岚"), Person("融媒记者", "童瑶")]
    assert (wire.byline, wire.dateline, kinds(wire)) == (None, "据新华社", ["text", "text"])


def test_sample_with_bullet_padded_name_and_quoted_sentence() -> None:
    article = read_sample("shimen-daily-2025-08-26-a03-bullet.txt")[0].pages[0].articles[0]
    assert article.authors == [Person("特约记者", "蓝天野"), Person("实习生", "戚小满"), Person("实习生", "单宁")]
    assert article.byline == "特约记者 蓝天野 实习生 戚小满 单宁"
    assert kinds(article) == ["text", "text", "text", "heading", "text"]
    assert article.body[1] == Text("“不用登记，看完再放回来。”")


# Each variant the project promises a sample for, and what some sample's text (or raw bytes) must contain.
DOCUMENTED_VARIANTS: list[tuple[str, str | bytes | re.Pattern[str]]] = [
    ("UTF-8 with BOM", codecs.BOM_UTF8 + "电子报阅读机".encode()),
    ("UTF-16 LE with BOM", codecs.BOM_UTF16_LE + "电子报阅读机".encode("utf-16-le")),
    ("UTF-16 BE with BOM", codecs.BOM_UTF16_BE + "电子报阅读机".encode("utf-16-be")),
    ("GB18030", "刘䶮".encode("gb18030")),
    ("CRLF", "\r\n日期".encode()),
    ("full-width colon in labels", "日期："),
    ("U+3000", "\u3000"),
    ("U+00A0", "\u00a0"),
    ("U+200B", "\u200b"),
    ("stray U+FEFF mid-text", ",\ufeff孩子们".encode()),
    ("full-width digits and letters in labels", "版面：Ａ"),
    ("page 03版", "版面:03版"),
    ("page 第3版", "版面:第3版"),
    ("page 第 05 版", "第 05 版"),
    ("page 第 05 版 with U+00A0", "第\u00a005\u00a0版"),
    ("page A3", "版面:A3:"),
    ("page A03版", "版面:A03版"),
    ("page 第A03版", "版面:第A03版"),
    ("page （GA01）", "版面:（GA01）"),
    ("page with no section", re.compile(r"^版面[:：]\d+版\s+上一篇", re.M)),
    ("section with a layout space", "要 闻"),
    ("date MM-DD", re.compile(r"^日期[:：]\d{2}-\d{2}$", re.M)),
    ("date M月D日", re.compile(r"^日期[:：]\d{1,2}月\d{1,2}日$", re.M)),
    ("date YYYY-MM-DD", re.compile(r"^日期[:：]\d{4}-\d{2}-\d{2}$", re.M)),
    ("date YYYY年M月D日", re.compile(r"^日期[:：]\d{4}年\d{1,2}月\d{1,2}日$", re.M)),
    ("date YYYY/M/D", re.compile(r"^日期[:：]\d{4}/\d{1,2}/\d{1,2}$", re.M)),
    ("date in full-width digits", "日期：０８－２６"),
    ("next day's issue read the evening before", re.compile(r"^2025-08-25$.{0,80}?^日期[:：]8月26日$", re.M | re.S)),
    ("29 February read a year later", re.compile(r"^2025-03-02$.{0,80}?^日期[:：]02-29$", re.M | re.S)),
    ("New Year read after it", re.compile(r"^2026-01-02$.{0,80}?^日期[:：]12-31$", re.M | re.S)),
    ("New Year read before it", re.compile(r"^2025-12-31$.{0,80}?^日期[:：]01-01$", re.M | re.S)),
    ("byline 本报记者", "本报记者\u00a0曾"),
    ("byline 记者", "记者 孔令山"),
    ("byline 通讯员", "通讯员 严冬"),
    ("byline 实习生", "实习生 戚小满"),
    ("byline 见习记者", "见习记者 方  圆"),
    ("byline 特约记者", "特约记者 蓝天野"),
    ("byline 特约撰稿人", "特约撰稿人 邓  明"),
    ("byline 全媒体记者", "全媒体记者 郁文"),
    ("byline 融媒记者", "融媒记者 童瑶"),
    ("byline 文/图", "文/图 邵一鸣"),
    ("byline 文/X 图/Y", "文/李可 图/王涛"),
    ("byline X 摄", "柯  远 摄"),
    ("byline with ■", "■ 记者 陈思远"),
    ("byline with ◎", "◎ 记者 孔令山"),
    ("byline in brackets", "（全媒体记者 郁文"),
    ("byline name padded with spaces", "单  宁"),
    ("byline with several names per role", "通讯员 严冬 钟雪"),
    ("no byline", "下一篇\n\n  “一荤两素"),
    ("kicker above the title", "秋收时节访田间\n万亩晚稻"),
    ("subtitle starting with ——", "\n——我市晚稻收割进度过半"),
    ("dateline 本报讯", "本报讯("),
    ("dateline 本报讯（记者 X）", "本报讯（记者 潘越"),
    ("dateline 新华社北京8月25日电（记者 X）", "新华社北京8月25日电（记者 韩松涛）"),
    ("bracketed last line", "（据新华社）"),
    ("caption with a wire photo credit", "新华社记者 卢青摄"),
    ("editor line 责任编辑", "责任编辑:李华"),
    ("editor line 本版编辑", "本版编辑：秦朗"),
    ("editor line 责编 校对", "责编：钟灵 校对：骆遥"),
    ("credit-only capture", "\n本版责编：柳岸"),
    ("advertisement capture", "\n广告\n"),
    ("short heading", "\n  手艺人回来了\n"),
    ("numbered heading", "一、稳就业"),
    ("short quoted sentence", "“不收钱,想拿就拿。”"),
    ("line ending in ：", "三个方面：\n"),
    ("long line without final punctuation", "本地高校毕业生\n"),
    ("English-language paper", "当前报纸名称:Harbor City Times"),
    ("English wire dateline", "BEIJING, Aug. 25 (Xinhua) --"),
    ("English editor line", "Editor: Grace Holt"),
    # Layouts and page furniture seen in the wild.
    ("web page: breadcrumb", re.compile(r"^\S+ > \S+ > 正文$", re.M)),
    ("web page: publication line with 来源", re.compile(r"^\d{4}年\d{2}月\d{2}日\d{2}:\d{2} \| 来源：", re.M)),
    ("web page: font-size controls", "\n小字号\n\n大字号\n"),
    ("web page: source footer", re.compile(r"^《 \S+ 》（ \d{4}年\d{2}月\d{2}日 第 \d{2} 版）$", re.M)),
    ("web page: editor line in brackets after the footer", "(责编："),
    ("web page: share widgets", "分享到：\n\n微信 微博 QQ空间"),
    ("web page: link list after the article", "\n相关新闻\n"),
    ("English web page: publication line", " | Updated: 2025-08-26 07:12"),
    ("English web page: source footer, month first", "(Pinecrest Gazette 08/26/2025 page 5)"),
    ("Windows-1252 file: curly quotes", b"\x93We didn\x92t"),
    ("Windows-1252 file: accents", b"caf\xe9 au lait"),
    ("e-paper web app: masthead on two lines", re.compile(r"^\S+日报\n\d{4}年\d{2}月\d{2}日 星期.$", re.M)),
    (
        "e-paper web app: list of pages then the current page",
        re.compile(r"^01版：要闻\n02版：综合(?:\n.*){3,6}\n01版：要闻$", re.M),
    ),
    ("e-paper web app: paper with 電子報, date 2025/08/26", re.compile(r"^\S+ 電子報\n2025/08/26 週二$", re.M)),
    ("e-paper web app: page 第A05版", "\n第A05版：地方\n"),
    ("several web pages in one file", re.compile(r"下转第三版）\n\n清川日报\n")),
    ("traditional labels", "當前報紙名稱:"),
    ("traditional 字號", "\n字號:\n"),
    ("date YYYY/MM/DD", "日期:2025/08/26"),
    ("「」 quotes", "「先安置後清拆」"),
    ("three-deck title block without dashes", "秋粮收购\n全市首批新稻谷入库\n二十三个"),
    ("byline at the end", re.compile(r"^  （\S+记者 .+，新华社记者 \S+）$", re.M)),
    ("byline in the first paragraph with the dateline", "岭东日报讯 记者邝远、通讯员梅思齐报道："),
    ("【X訊】記者X報道：", "【維港日報訊】記者何家朗報道："),
    ("記者X／城市報導", "記者鄭雅文／高雄報導"),
    ("author note （作者：…，系…）", "（作者：宁海生，系"),
    ("author note （作者系…）", "（作者系"),
    ("mark □ before a name", "□ 尹素秋"),
    ("byline 本报评论员", "\n  本报评论员\n"),
    ("compound role X报·X网记者", "东海青年报·东海青年网记者"),
    ("English By NAME in City with an e-mail line", re.compile(r"^By [A-Z]+ \S+ in [A-Z]\w+\n\n\S+@\S+$", re.M)),
    ("continued on (下转)", "（下转第三版）"),
    ("continued from (上接)", "（上接第一版）"),
    ("end mark （完）", "。（完）"),
    ("repeated bracketed dateline", "（据新华社南宁8月25日电）"),
    ("source note （来源：…）", "（来源：农林科技报）"),
    ("numbered heading over 30 characters", "一、课程跟着农时走，夜校把课堂从村部搬到了合作社的大棚和晒谷场上"),
    ("numbered heading （一）", "（一）规模以上工业增加值"),
    ("verse", "雨落在瓦檐上\n  像母亲在灯下数着针脚"),
    ("rows of figures", "地区生产总值 836.5亿元 增长5.6%\n  规模以上工业增加值"),
    ("caption credit 通讯员 X 摄", "通讯员 邹明辉 摄"),
    ("caption credit （本报记者 X 摄）", "（本报记者 桑宇 摄）"),
    ("caption credit 新华社发", "新华社发\n"),
    ("caption credit NAME / PAPER", "ANNA MÜLLER / PINECREST GAZETTE"),
    (
        "two items with one generic title on one page",
        re.compile(r"^图片新闻\n(?:.*\n){3}版面:05版(?:.*\n)+?图片新闻\n(?:.*\n){3}版面:05版", re.M),
    ),
    ("editor line 版面设计", "版面设计："),
    ("editor line 美术编辑", "美术编辑:"),
    ("editor lines 責任編輯 美術編輯", "責任編輯：潘麗雯 美術編輯："),
]


def _sample_texts() -> list[tuple[bytes, str]]:
    """Every sample capture's raw bytes and decoded text."""
    return [
        (path.read_bytes(), decode(path.read_bytes(), path.name, sample_encoding(path)))
        for path in sorted(SAMPLES.glob("*.txt"))
    ]


@pytest.mark.parametrize(("variant", "needle"), DOCUMENTED_VARIANTS, ids=[v for v, _n in DOCUMENTED_VARIANTS])
def test_every_documented_variant_has_a_sample(variant: str, needle: str | bytes | re.Pattern[str]) -> None:
    def shows(data: bytes, text: str) -> bool:
        if isinstance(needle, bytes):
            return needle in data
        return needle.search(text) is not None if isinstance(needle, re.Pattern) else needle in text

    assert any(shows(data, text) for data, text in _sample_texts()), f"no sample shows {variant}"
