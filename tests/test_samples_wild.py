"""The bundled samples of layouts and page furniture seen in the wild: web pages of papers and portals, e-paper
web apps, traditional-Chinese papers, bylines inside paragraphs, opinion pages, verse and rows, picture news,
wire copy. The reader-app samples and the variant table are in test_samples.py."""

from __future__ import annotations

from pathlib import Path

from epaper_cli.formats import ReadOptions, read_bytes
from epaper_cli.model import Caption, Person, Text
from tests.helpers import SAMPLES
from tests.test_capture import kinds
from tests.test_samples import read_any

# --- layouts and page furniture seen in the wild ----------------------------------------------------------


def test_web_portal_page_reads_paper_date_and_page_from_its_footer() -> None:
    (issue,) = read_any("jianghai-daily-2025-08-26-p04-web-portal.txt")
    article = issue.pages[0].articles[0]
    assert article.source is not None and article.source.reader == "江海网"
    assert (article.dateline, article.authors) == ("本报讯", [Person("记者", "陆知秋"), Person("通讯员", "温小禾")])
    assert article.editors == [Person("责编", "林一鸣"), Person("责编", "王小雨")]
    assert kinds(article) == ["text", "text", "heading", "text", "heading", "text"]
    assert len(article.body[2].text) > 30  # a numbered heading may be long
    everything = " ".join(block.text for block in article.body)
    for noise in ("字号", "分享", "微信", "关闭窗口", "相关新闻", "秋粮收购全面启动", "《", "来源"):
        assert noise not in everything


def test_english_web_page_in_cp1252_keeps_quotes_and_accents() -> None:
    (issue,) = read_any("pinecrest-gazette-2025-08-26-p05-web-cp1252.txt")
    article = issue.pages[0].articles[0]
    assert article.byline == "By ANNA MÜLLER in Millbrook anna.muller@pinecrest-gazette.example"
    assert (article.authors, article.dateline) == ([Person("By", "ANNA MÜLLER")], "Millbrook")
    assert article.body[1].text.startswith("“We didn’t want to lose the building’s memory,” said")
    assert "crêpes and café au lait" in article.body[2].text and "€1.2 million" in article.body[4].text
    assert article.body[3] == Caption(
        "A volunteer hangs prints in the upstairs gallery on Monday. ANNA MÜLLER / PINECREST GAZETTE"
    )
    assert not any("Share" in block.text or "Related" in block.text for block in article.body)


def test_epaper_web_app_pages_with_a_three_deck_title_and_continuations() -> None:
    first, rest = read_any("qingchuan-daily-2025-08-26-p01-p03-epaper-web.txt")
    front = first.pages[0].articles[0]
    assert (first.pages[0].label, first.pages[0].section) == ("01", "要闻")
    assert (front.kicker, front.title, front.subtitle) == (
        "秋粮收购",
        "全市首批新稻谷入库",
        "二十三个收储点同时开秤 农户可预约错峰售粮",
    )
    assert (front.continued_to, front.continued_from) == ("03", None)
    assert front.body[-1].text.endswith("上门为偏远村组")
    inside = rest.pages[0].articles[0]
    assert (rest.pages[0].label, inside.continued_from, inside.continued_to) == ("03", "01", None)
    assert inside.body[0].text.startswith("的农户提供检测和运输服务。")
    assert inside.editors == [Person("责任编辑", "祝青"), Person("版面设计", "罗小川"), Person("校对", "甘露")]


def test_continuations_round_trip_through_the_text_export() -> None:
    from epaper_cli.formats import text

    issues = read_any("qingchuan-daily-2025-08-26-p01-p03-epaper-web.txt")
    dumped = text.dumps(issues)
    assert "【下转】03" in dumped and "【上接】01" in dumped
    again = read_bytes(dumped.encode(), "x.txt", ReadOptions())
    assert [(a.continued_from, a.continued_to) for i in again for _p, a in i.articles()] == [(None, "03"), ("01", None)]


def test_traditional_chinese_web_app_and_reader_app() -> None:
    (taiwan,) = read_any("gangdu-times-2025-08-26-a05-epaper-web-traditional.txt")
    article = taiwan.pages[0].articles[0]
    assert (article.byline, article.dateline) == ("記者鄭雅文", "高雄報導")
    assert article.editors == [Person("責任編輯", "林佳慧"), Person("美術編輯", "陳冠宇")]
    assert "「我們想讓倉庫自己說故事。」" in article.body[1].text
    (hong_kong,) = read_any("weigang-daily-2025-08-26-a06-traditional.txt")
    article = hong_kong.pages[0].articles[0]
    assert (article.kicker, article.subtitle) == ("舊區重建計劃", "居民「先安置後清拆」獲承諾")
    assert (article.dateline, article.authors) == ("維港日報訊", [Person("記者", "何家朗")])
    assert article.body[0].text.startswith("市區重建機構昨日公布")
    assert article.editors == [Person("責任編輯", "潘麗雯"), Person("美術編輯", "黃子謙")]


def test_byline_inside_the_first_paragraph_with_the_dateline() -> None:
    article = read_any("lingdong-daily-2025-08-26-p02-inline-byline.txt")[0].pages[0].articles[0]
    assert (article.dateline, article.byline) == ("岭东日报讯", "记者邝远、通讯员梅思齐")
    assert article.authors == [Person("记者", "邝远"), Person("通讯员", "梅思齐")]
    assert article.body[0].text.startswith("8月25日，随着最后一段管道完成通气")
    assert article.editors == [Person("责任编辑", "卢静"), Person("美术编辑", "方可"), Person("校对", "简宁")]


def test_opinion_page_bylines_commentator_mark_and_author_notes() -> None:
    commentary, essay, op_ed = (issue.pages[0].articles[0] for issue in read_any(XILING))
    assert (commentary.byline, commentary.authors) == ("本报评论员", [Person("评论员", "本报评论员")])
    assert essay.byline == "尹素秋（作者系西陵师范学院文学院教授）" and essay.authors == [Person("作者", "尹素秋")]
    assert op_ed.byline == "作者：宁海生，系西陵市社会科学院研究员" and op_ed.authors == [Person("作者", "宁海生")]
    for article in (commentary, essay, op_ed):
        assert kinds(article) == ["text"] * len(article.body)
        assert not any("作者" in block.text or "评论员" in block.text for block in article.body)


XILING = "xiling-daily-2025-08-26-p05-opinion-three-captures.txt"


def test_verse_and_rows_are_one_paragraph_a_line_numbered_headings_stay() -> None:
    poem, economy = (issue.pages[0].articles[0] for issue in read_any("baisha-evening-2025-08-26-verse-and-rows.txt"))
    assert poem.authors == [Person("作者", "方晴")] and len(poem.body) == 13
    assert kinds(poem) == ["text"] * 13 and poem.body[0] == Text("雨落在瓦檐上")
    assert kinds(economy) == ["text", "heading", "text", "heading", "text", "text", "text", "text", "text", "text"]
    assert economy.body[5] == Text("地区生产总值 836.5亿元 增长5.6%")


def test_picture_news_two_items_under_one_title_and_a_correction() -> None:
    issues = read_any("hexi-evening-2025-08-26-p05-picture-news.txt")
    assert all(issue.pages[0].articles[0].title == "图片新闻" for issue in issues)
    ids = [issue.pages[0].articles[0].id for issue in issues]
    assert len(set(ids[:3])) == 3 and ids[3] == ids[0]
    assert all(kinds(issue.pages[0].articles[0]) == ["caption"] for issue in issues)


def test_a_corrected_picture_news_capture_replaces_only_its_own_item(tmp_path: Path) -> None:
    from epaper_cli.archive import Archive
    from epaper_cli.checking import check_archive
    from epaper_cli.importing import run_import

    archive = Archive(tmp_path / "archive")
    original = SAMPLES / "hexi-evening-2025-08-26-p05-picture-news.txt"
    corrected = tmp_path / "corrected.txt"
    text = original.read_text(encoding="utf-8").split("\n\n电子报阅读机\n")[1]
    corrected.write_text("电子报阅读机\n" + text.replace("反光臂环", "反光臂带"), encoding="utf-8")
    report = run_import(archive, [str(original), str(corrected)], ReadOptions())
    assert (report.counts["added"], report.counts["replaced"], report.failures) == (3, 2, [])
    (issue,) = [archive.load(path) for path in archive.all_issue_files()]
    page = issue.page("05")
    assert page is not None and [a.body[0].text[:8] for a in page.articles] == ["8月25日，河西", "8月24日晚，志"]
    assert "反光臂带" in page.articles[1].body[0].text and "果园" in page.articles[0].body[0].text
    assert check_archive(archive) == []


def test_wire_copy_end_mark_repeated_dateline_byline_at_the_end_and_source_note() -> None:
    wire, youth, reprint = (issue.pages[0].articles[0] for issue in read_any(DONGHAI))
    assert (wire.dateline, wire.authors) == ("新华社南宁8月25日电", [Person("记者", "甄朗")])
    assert wire.body[-1] == Text("线路建成后，沿线山区群众前往省会的时间将从6小时缩短到2小时左右。")
    assert youth.authors == [
        Person("东海青年报·东海青年网记者", "蒲思远"),
        Person("东海青年报·东海青年网记者", "柏叶"),
        Person("新华社记者", "甄朗"),
    ]
    assert (reprint.dateline, len(reprint.body)) == ("来源：农林科技报", 2)


DONGHAI = "donghai-youth-2025-08-26-wire-and-reprint.txt"


def test_plain_body_keeps_every_line_a_paragraph() -> None:
    article = read_any(DONGHAI, plain_body=True)[0].pages[0].articles[0]
    assert (article.byline, article.dateline, article.continued_to) == (None, None, None)
    assert kinds(article) == ["text"] * 4 and article.body[-1] == Text("（据新华社南宁8月25日电）")
    poem = read_any("baisha-evening-2025-08-26-verse-and-rows.txt", plain_body=True)[0].pages[0].articles[0]
    assert poem.body[0] == Text("□ 方 晴")
