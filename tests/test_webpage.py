"""The web-page reader: article pages of web editions and portals, e-paper web app pages, and the sniffing that
sends each text to its reader."""

from __future__ import annotations

import datetime as dt

import pytest

from epaper_cli.errors import InputError
from epaper_cli.formats import ReadOptions, reader_for
from epaper_cli.formats.decode import decode
from epaper_cli.formats.webpage import read
from epaper_cli.formats.webparts import footer, is_ui_line, page_line, published
from epaper_cli.model import Issue, Person, Text
from tests.helpers import SAMPLES, SEED, sample_encoding

PROSE = "夜幕降临，临港镇的乡村夜校准时亮起灯光，四十多名村民围坐在教室里听课。"


def article_page(
    body: str = f"{PROSE}\n\n今年以来，全市已在56个行政村开办乡村夜校。\n",
    *,
    crumb: str = "江海网 > 时政 > 正文\n\n",
    title: str = "乡村夜校点亮田间",
    published_line: str = "2025年08月26日06:31 | 来源：江海网－江海日报",
    foot: str = "《 江海日报 》（ 2025年08月26日 第 04 版）\n",
) -> str:
    """An article page as a portal prints it, each part replaceable."""
    head = f"{crumb}{title}\n\n{published_line}\n\n小字号\n\n大字号\n\n"
    return f"{head}{body}\n{foot}\n(责编：林一鸣)\n\n分享到：\n微信 微博\n"


def app_page(page: str = "03版：经济", title: str = "全市首批新稻谷入库", body: str = PROSE) -> str:
    """An e-paper web app page."""
    masthead = "清川日报\n2025年08月26日 星期二\n首页 | 往期回顾\n01版：要闻\n03版：经济\n上一版 下一版\n"
    return f"{masthead}{page}\n\n{title}\n\n{body}\n"


def only(text: str, **options: object) -> Issue:
    """The one issue a text gives."""
    issues = read(text, "x.txt", ReadOptions(**options))  # type: ignore[arg-type]
    assert len(issues) == 1
    return issues[0]


def refused(text: str) -> str:
    """Why a text is refused."""
    with pytest.raises(InputError) as caught:
        read(text, "x.txt", ReadOptions())
    return caught.value.why


# --- sniffing -------------------------------------------------------------------------------------------------

WEB_SAMPLES = {
    "jianghai-daily-2025-08-26-p04-web-portal.txt",
    "pinecrest-gazette-2025-08-26-p05-web-cp1252.txt",
    "qingchuan-daily-2025-08-26-p01-p03-epaper-web.txt",
    "gangdu-times-2025-08-26-a05-epaper-web-traditional.txt",
}


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_each_sample_goes_to_its_reader(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    text = decode(path.read_bytes(), path.name, sample_encoding(path))
    expected = "webpage" if path.name in WEB_SAMPLES else "frontmatter" if "frontmatter" in path.name else "capture"
    assert reader_for(text).name == expected


@pytest.mark.parametrize(
    "text",
    [
        "电子报阅读机\n2025-10-14 08:30\n星期二\n\n标题\n\n日期:2025-08-26\n字号:\n版面:03版:民生\n\n正文。\n",
        "标题\n\n日 期：2025年8月26日 10:00\n字 號：\u3000\n\n正文。\n",
    ],
)
def test_reader_app_captures_without_a_paper_line_stay_with_the_capture_reader(text: str) -> None:
    assert reader_for(text).name == "capture"


def test_the_seed_goes_to_the_capture_reader() -> None:
    if not SEED.exists():
        pytest.skip("shared seed capture not present")
    assert reader_for(decode(SEED.read_bytes(), SEED.name, None)).name == "capture"


# --- the parts ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "ui"),
    [
        ("小字号", True),
        ("字号：大 中 小", True),
        ("分享到： 微信 | 微博 | QQ空间", True),
        ("Share   Print   Email", True),
        ("【打印】【关闭窗口】", True),
        ("分享到微信的文章越来越多。", False),
        ("大", True),
        ("大家都来了", False),
    ],
)
def test_ui_lines(line: str, ui: bool) -> None:
    assert is_ui_line(line) is ui


def test_publication_lines() -> None:
    line = published("2025年08月26日06:31 | 来源：江海网－江海日报")
    assert line is not None and (line.date, line.source) == (dt.date(2025, 8, 26), "江海网－江海日报")
    line = published("2025-08-26 06:31:12  来源：江海日报  作者：记者 陆知秋  责任编辑：林一鸣")
    assert line is not None and (line.source, line.author, line.editor) == (
        "江海日报",
        "记者 陆知秋",
        "责任编辑：林一鸣",
    )
    line = published("By ZHAO LEI | China Daily | Updated: 2025-08-26 07:12")
    assert line is not None and (line.author, line.source) == ("By ZHAO LEI", "China Daily")
    assert published("2025年8月26日，全市举行了大会。") is None
    assert published("2025年8月25日10:00，会议开始") is None
    assert published("2025年08月26日") is None


def test_footers() -> None:
    found = footer("《 江海日报 》（ 2025年08月26日 第 04 版）")
    assert found is not None and (found.paper, found.date, found.page) == ("江海日报", dt.date(2025, 8, 26), "04")
    found = footer("《人民日报》（2025年8月6日第A3版）")
    assert found is not None and found.page == "A03"
    found = footer("(China Daily 08/26/2025 page4)")
    assert found is not None and (found.paper, found.date, found.page) == ("China Daily", dt.date(2025, 8, 26), "04")
    assert footer("《 江海日报 》（ 2025年02月30日 第 04 版）") is None
    assert footer("他读过《江海日报》。") is None


def test_page_lines() -> None:
    assert page_line("01版：要闻") == ("01版", "要闻")
    assert page_line("第A05版：地方") == ("第A05版", "地方")
    assert page_line("A1 要聞") == ("A1", "要聞")
    assert page_line("2025") is None and page_line("乡村夜校点亮田间") is None


# --- article pages --------------------------------------------------------------------------------------------


def test_article_page_in_full() -> None:
    issue = only(article_page())
    (page,) = issue.pages
    article = page.articles[0]
    assert (issue.paper, issue.date, page.label, page.section) == ("江海日报", dt.date(2025, 8, 26), "04", None)
    assert article.title == "乡村夜校点亮田间" and article.editors == [Person("责编", "林一鸣")]
    assert article.body == [Text(PROSE), Text("今年以来，全市已在56个行政村开办乡村夜校。")]
    assert article.source is not None and (article.source.reader, article.source.read_on) == ("江海网", None)


def test_article_page_author_and_editor_in_the_publication_line() -> None:
    line = "2025-08-26 06:31 来源：江海日报 作者：记者 陆知秋 编辑：王小雨"
    article = only(article_page(published_line=line)).pages[0].articles[0]
    assert (article.byline, article.authors) == ("记者 陆知秋", [Person("记者", "陆知秋")])
    assert article.editors == [Person("责编", "林一鸣"), Person("编辑", "王小雨")]
    assert article.source is not None and article.source.reader is None


def test_article_page_credits_beside_the_sites_controls_and_a_home_breadcrumb() -> None:
    text = article_page(crumb="Home / 时政 / 正文\n\n").replace("(责编：林一鸣)", "【纠错】 【责任编辑：林一鸣】")
    article = only(text).pages[0].articles[0]
    assert (article.title, article.kicker, article.editors) == (
        "乡村夜校点亮田间",
        None,
        [Person("责任编辑", "林一鸣")],
    )


def test_article_page_needs_its_footer_for_the_page() -> None:
    assert "no source footer" in refused(article_page(foot=""))
    assert "no title above" in refused(article_page(crumb="", title=""))


def test_article_page_options_correct_paper_and_date() -> None:
    issue = only(article_page(), paper="江海晚报", date=dt.date(2025, 8, 27))
    assert (issue.paper, issue.date) == ("江海晚报", dt.date(2025, 8, 27))


def test_several_article_pages_in_one_file() -> None:
    second = article_page(title="第二篇文章的标题", foot="《 江海日报 》（ 2025年08月26日 第 05 版）\n")
    issues = read(article_page() + "\n" + second, "x.txt", ReadOptions())
    assert [(i.pages[0].label, i.pages[0].articles[0].title) for i in issues] == [
        ("04", "乡村夜校点亮田间"),
        ("05", "第二篇文章的标题"),
    ]
    assert issues[0].pages[0].articles[0].body[-1] == Text("今年以来，全市已在56个行政村开办乡村夜校。")


def test_a_body_line_with_ui_words_is_kept() -> None:
    body = f"{PROSE}\n\n分享到微信的文章越来越多。\n\n大\n"
    article = only(article_page(body=body)).pages[0].articles[0]
    assert article.body == [Text(PROSE), Text("分享到微信的文章越来越多。")]


# --- e-paper app pages ----------------------------------------------------------------------------------------


def test_app_page_in_full() -> None:
    issue = only(app_page())
    article = issue.pages[0].articles[0]
    assert (issue.paper, issue.date, issue.pages[0].label, issue.pages[0].section) == (
        "清川日报",
        dt.date(2025, 8, 26),
        "03",
        "经济",
    )
    assert (article.title, article.body) == ("全市首批新稻谷入库", [Text(PROSE)])


def test_app_page_masthead_on_one_line_and_no_page() -> None:
    issue = only("清川日报数字报 2025年08月26日 星期二\n01版：要闻\n\n标题在此\n\n" + PROSE + "\n")
    assert (issue.paper, issue.pages[0].label) == ("清川日报", "01")
    assert "no page line" in refused("清川日报\n2025年08月26日\n")
    assert "no title" in refused("清川日报\n2025年08月26日\n01版：要闻\n")


def test_app_page_byline_stops_the_title_block() -> None:
    article = only(app_page(title="旧港区仓库变身文创聚落\n记者 郑雅文", body=PROSE)).pages[0].articles[0]
    assert (article.title, article.subtitle, article.byline) == ("旧港区仓库变身文创聚落", None, "记者 郑雅文")


def test_text_that_is_no_web_page_is_refused() -> None:
    assert refused("随便写的一段文字。\n").startswith("no web page found")
