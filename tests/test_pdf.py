"""The PDF writer: embedded fonts, extractable text, Chinese line breaking, bookmarks in page order."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from epaper_cli import fontcache, fontfinder, fonts
from epaper_cli.errors import ExportError
from epaper_cli.formats import WriteOptions, pdf, pdf_linebreak, pdf_makeup
from epaper_cli.model import Article, Caption, Heading, Issue, Page, Person, Text
from tests.helpers import require_tool, sample_paragraphs

CLOSING = "，。、；：？！”’）》〉…"
OPENING = "“‘（《〈"
DATE = dt.date(2025, 8, 26)


def seed_paragraphs() -> list[str]:
    """Paragraphs from the bundled samples (the project's own text), enough for several pages."""
    return sample_paragraphs() * 2


def chinese_issue() -> Issue:
    """Pages 01, 03, 05, 12 with punctuation placed to tempt a naive breaker, Latin words, and < & markup."""
    paragraphs = seed_paragraphs()
    tricky = [
        "好，" * 60,
        "他说：“" + "走吧”。" * 40,
        "《人民日报》与（新华社）" * 12 + "都报道了。",
        "Internationalization 与 2025 年的 GDP 增长 3.5%，" * 6 + "AT&T <b>不是标签</b>。",
        "他沉默了很久……终于开口——“好吧。”" * 10,
    ]
    pages = []
    for n, label in enumerate(["01", "03", "05", "12"]):
        articles = []
        for a in range(3):
            body: list[Text | Heading | Caption] = [Text(p) for p in paragraphs[a * 3 : a * 3 + 4]]
            body += [Heading("从“破冰之约”到“双向奔赴”"), Text(tricky[(n + a) % len(tricky)])]
            body += [Caption("图为交流会现场。 新华社记者 周牧 摄")]
            articles.append(
                Article(
                    title=f"第{label}版的第{a + 1}篇文章",
                    kicker="山海协作四年" if a == 0 else None,
                    subtitle="——人力资源服务产业园累计引进机构超108家" if a == 1 else None,
                    byline="记者 毛慧娟 通讯员 徐晓莹",
                    dateline="本报讯" if a != 2 else "（据新华社）",
                    body=body,
                    editors=[Person("责任编辑", "李华")],
                )
            )
        pages.append(Page(label, ["要闻", "民生", None, "文化"][n], articles))
    return Issue("衢州日报", DATE, pages)


def english_issue() -> Issue:
    """An English paper: words must never be broken, spaces must come out as spaces."""
    text = (
        "The city council voted on Tuesday to extend the riverside cycle path by 4.5 kilometres, a project "
        "debated since 2019 that will cost an estimated 12.3 million pounds. Supporters said it would ease "
        "congestion; opponents worried about the loss of parking near the old market hall."
    )
    body: list[Text | Heading | Caption] = [Text(text), Heading("What happens next"), Text(text[::-1].title())]
    return Issue(
        "The Riverside Gazette",
        DATE,
        [
            Page("A1", "News", [Article("Council extends path", byline="By Jane Doe", body=body)]),
            Page("A2", None, [Article("Rowers win", dateline="RIVERTON", body=[Text(text)])]),
        ],
    )


pytestmark = pytest.mark.usefixtures("font_cache")  # converted fonts shared through pytest's cache


def find_face(family: str, cff: bool) -> fontfinder.Face:
    """An installed face of a family, or skip."""
    for face in fontfinder.discover():
        if face.family.startswith(family) and face.cff == cff:
            return face
    pytest.skip(f"{family} is not installed")


FONTS = {
    "noto-cff": lambda: find_face("Noto Serif CJK SC", cff=True).path,
    "wqy-ttf": lambda: find_face("WenQuanYi Micro Hei", cff=False).path,
}


def options(font: str | None = None, page_size: str = "A4") -> WriteOptions:
    """The writer's options as `epaper export` gives them: the installed fonts, or the font file named."""
    return WriteOptions(fonts.SystemFonts(font), page_size)


def write(issues: list[Issue], tmp: Path, name: str, font: str | None = None, page_size: str = "A4") -> Path:
    """Write issues to a file and return its path."""
    path = tmp / name
    with path.open("wb") as out:
        pdf.write(issues, out, options(font, page_size))
    return path


@pytest.fixture(scope="module", params=sorted(FONTS))
def chinese_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese issue written once per font: CFF Noto (converted) and TrueType WenQuanYi."""
    font = FONTS[request.param]()
    return write([chinese_issue()], tmp_path_factory.mktemp("pdf"), "zh.pdf", font=font)


def pdftotext(path: Path, *extra: str) -> str:
    """The text poppler extracts."""
    tool = require_tool("pdftotext")
    return subprocess.run([tool, *extra, str(path), "-"], capture_output=True, text=True, check=True).stdout


def body_text(path: Path, paper: str) -> str:
    """Extracted text without running headers and folios, and without whitespace, for comparing content."""
    lines = [line for line in pdftotext(path).splitlines() if not line.startswith(f"{paper} · ")]
    return re.sub(r"\s+", "", "\n".join(line for line in lines if not line.strip().isdigit()))


def test_every_font_is_embedded_and_none_is_type3(chinese_pdf: Path) -> None:
    tool = require_tool("pdffonts")
    rows = subprocess.run([tool, str(chinese_pdf)], capture_output=True, text=True, check=True).stdout
    fonts_listed = rows.splitlines()[2:]
    assert fonts_listed
    for row in fonts_listed:
        assert "Type 3" not in row, row
        _name, kind, _encoding, emb, sub, uni = re.split(r"\s{2,}|\s(?=yes|no)", row.strip())[:6]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert kind in ("TrueType", "CID TrueType"), row


def test_every_paragraph_is_extracted(chinese_pdf: Path) -> None:
    text = body_text(chinese_pdf, "衢州日报")
    issue = chinese_issue()
    for _page, article in issue.articles():
        for block in article.body:
            assert re.sub(r"\s+", "", block.text) in text, block.text[:30]
        assert article.title in text
    assert "本报讯" in text and "（据新华社）" in text and "责任编辑：李华" in text


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(chinese_pdf: Path) -> None:
    lines = [line.strip() for line in pdftotext(chinese_pdf).splitlines() if line.strip()]
    assert len(lines) > 200
    assert [line for line in lines if line[0] in CLOSING] == []
    assert [line for line in lines if line[-1] in OPENING] == []


def test_outline_lists_pages_then_articles_in_page_order(chinese_pdf: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(chinese_pdf)
    outline = reader.outline
    tops = [entry for entry in outline if not isinstance(entry, list)]
    assert [entry.title for entry in tops] == ["01版 要闻", "03版 民生", "05版", "12版 文化"]
    children = [entry for entry in outline if isinstance(entry, list)]
    titles = [[a.title for a in group if not isinstance(a, list)] for group in children]
    assert titles[1] == [f"第03版的第{n}篇文章" for n in (1, 2, 3)]
    numbers = [reader.get_destination_page_number(entry) or 0 for entry in tops]
    assert numbers == sorted(numbers) and numbers[0] == 1  # page 1 is the title page


def test_metadata_and_language(chinese_pdf: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(chinese_pdf)
    assert reader.metadata is not None
    assert reader.metadata.title == "衢州日报 2025-08-26"
    assert reader.metadata.author == "衢州日报"
    assert str(reader.root_object["/Lang"]) == "zh-CN"


def test_header_names_the_section_of_the_page_and_pages_are_numbered(chinese_pdf: Path) -> None:
    page_three = pdftotext(chinese_pdf, "-f", "3", "-l", "3")
    assert "衢州日报 · 2025-08-26 · 01版 要闻" in page_three or "衢州日报 · 2025-08-26 · 03版 民生" in page_three
    assert re.search(r"^3$", page_three, re.MULTILINE)
    title_page = pdftotext(chinese_pdf, "-f", "1", "-l", "1")
    assert "2025年8月26日 星期二" in title_page and "12版 文化" in title_page


def test_discovered_fonts_are_a_song_body_and_a_hei_heading(tmp_path: Path) -> None:
    find_face("Noto Serif CJK SC", cff=True)
    body, heading = fontfinder.choose(None)
    path = write([chinese_issue()], tmp_path, "auto.pdf")
    listed = subprocess.run([require_tool("pdffonts"), str(path)], capture_output=True, text=True).stdout
    assert body.family == "Noto Serif CJK SC" and "NotoSerifCJKsc-Regular" in listed
    assert heading.kind == "sans"


def test_english_words_are_never_broken(tmp_path: Path) -> None:
    issue = english_issue()
    path = write([issue], tmp_path, "en.pdf", font=FONTS["noto-cff"]())
    printed = ["Page A1: News", "Page A2", "—", *(a.title for _p, a in issue.articles()), "By Jane Doe", "RIVERTON"]
    printed += [block.text for _page, article in issue.articles() for block in article.body]
    words = {word for text in printed for word in text.split()}
    pages = pdftotext(path, "-f", "2").splitlines()
    tokens = [w for line in pages if not line.startswith(issue.paper) for w in line.split() if not w.isdigit()]
    assert len(tokens) > 100
    assert [token for token in tokens if token not in words] == []
    from pypdf import PdfReader

    assert str(PdfReader(path).root_object["/Lang"]) == "en"


def test_several_issues_make_one_book_with_issues_at_the_top(tmp_path: Path) -> None:
    from pypdf import PdfReader

    first, second = chinese_issue(), chinese_issue()
    second.date = DATE + dt.timedelta(days=1)
    path = write([first, second], tmp_path, "two.pdf", font=FONTS["wqy-ttf"]())
    tops = [entry.title for entry in PdfReader(path).outline if not isinstance(entry, list)]
    assert tops == ["衢州日报 2025-08-26", "衢州日报 2025-08-27"]


@pytest.mark.parametrize(("name", "width"), [("A5", 419.5), ("letter", 612.0), ("a4", 595.3)])
def test_page_sizes(tmp_path: Path, name: str, width: float) -> None:
    from pypdf import PdfReader

    path = write([english_issue()], tmp_path, "size.pdf", font=FONTS["wqy-ttf"](), page_size=name)
    assert abs(float(PdfReader(path).pages[0].mediabox.width) - width) < 0.5


def test_unknown_page_size_is_an_export_error() -> None:
    with pytest.raises(ExportError, match="A4, A5 or letter"):
        pdf.write([english_issue()], io.BytesIO(), options(page_size="B5"))


def test_missing_font_file_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="font file not found"):
        pdf.write([english_issue()], io.BytesIO(), options(str(tmp_path / "nope.ttf")))


def test_a_character_no_font_has_is_named_not_dropped() -> None:
    issue = english_issue()
    issue.pages[0].articles[0].body.append(Text("private \U0010fffd use"))
    with pytest.raises(ExportError, match="U\\+10FFFD"):
        pdf.write([issue], io.BytesIO(), options(FONTS["wqy-ttf"]()))


def test_a_character_the_main_font_lacks_is_set_in_a_fallback(tmp_path: Path) -> None:
    wqy = find_face("WenQuanYi Micro Hei", cff=False)
    noto = find_face("Noto Serif CJK SC", cff=True)
    rare = next(chr(c) for c in sorted(fontcache.coverage(noto) - fontcache.coverage(wqy)) if 0x4E00 <= c <= 0x9FFF)
    issue = chinese_issue()
    issue.pages[0].articles[0].body.append(Text(f"生僻字{rare}在这里"))
    path = write([issue], tmp_path, "fallback.pdf", font=wqy.path)
    assert f"生僻字{rare}在这里" in body_text(path, "衢州日报")
    listed = subprocess.run([require_tool("pdffonts"), str(path)], capture_output=True, text=True).stdout
    assert "WenQuanYi" in listed and "Noto" in listed


def test_the_writer_takes_issues_in_any_page_order(tmp_path: Path) -> None:
    from pypdf import PdfReader

    issue = chinese_issue()
    issue.pages.reverse()
    path = write([issue], tmp_path, "order.pdf", font=FONTS["wqy-ttf"]())
    tops = [entry.title for entry in PdfReader(path).outline if not isinstance(entry, list)]
    assert [str(title)[:2] for title in tops] == ["01", "03", "05", "12"]


def test_characters_beyond_the_basic_plane_are_drawn_and_extracted(tmp_path: Path) -> None:
    article = Article("𠮷野家开业", byline="记者 𠮷田", body=[Text("𠮷野家的老板说，这里\u00a0好。")])
    issue = Issue("衢州日报", DATE, [Page("01", "要闻", [article])])
    path = write([issue], tmp_path, "astral.pdf", font=FONTS["noto-cff"]())
    text = body_text(path, "衢州日报")
    assert "𠮷野家开业" in text and "记者𠮷田" in text and "𠮷野家的老板说，这里好。" in text


# -- the line breaker --------------------------------------------------------------------------------


def one_em(text: str) -> float:
    """Every character one unit wide: line widths become character counts."""
    return float(len(text))


def test_closing_punctuation_pulls_the_character_before_it_down() -> None:
    assert pdf_linebreak.break_text("一二三四五，六七", one_em, 5) == ["一二三四", "五，六七"]


def test_opening_punctuation_moves_to_the_next_line() -> None:
    assert pdf_linebreak.break_text("一二三四《五六》", one_em, 5) == ["一二三四", "《五六》"]


def test_ellipsis_and_dash_pairs_stay_together() -> None:
    assert pdf_linebreak.break_text("一二三四……五", one_em, 5) == ["一二三", "四……五"]
    assert pdf_linebreak.break_text("一二三四——五", one_em, 5) == ["一二三四", "——五"]


def test_latin_words_and_numbers_are_not_broken() -> None:
    assert pdf_linebreak.break_text("在2025年增长3.5%的GDP数据", one_em, 8) == ["在2025年增长", "3.5%的GDP", "数据"]
    assert pdf_linebreak.break_text("一二三四 Beijing Daily 五六", one_em, 10) == ["一二三四", "Beijing", "Daily 五六"]


def test_spaces_break_english_and_vanish_at_line_ends() -> None:
    assert pdf_linebreak.break_text("the quick brown fox", one_em, 10) == ["the quick", "brown fox"]


def test_a_word_longer_than_the_line_is_cut_as_a_last_resort() -> None:
    assert pdf_linebreak.break_text("https://example.com/abc", one_em, 10) == ["https://ex", "ample.com/", "abc"]


def test_a_run_of_punctuation_wider_than_the_line_is_broken_rather_than_overflowing() -> None:
    assert pdf_linebreak.break_text("一" + "…" * 12 + "二", one_em, 5) == ["一…………", "……………", "………二"]


def test_invisible_characters_take_no_room() -> None:
    assert pdf_linebreak.break_text("一\u200b二\ufeff三", one_em, 3) == ["一二三"]


CJK_PIECES = list("中文报纸版面记者通讯员") + list("，。、；：？！”’）》“‘（《…—") + ["abc", "2025"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CJK_PIECES), min_size=1, max_size=80), st.integers(min_value=4, max_value=20))
def test_breaks_keep_every_character_and_obey_kinsoku(pieces: list[str], width: int) -> None:
    text = "".join(pieces)
    assume(max(sum(len(unit) for unit, _kind in box) for box in reference_glue(text)) <= width)
    lines = pdf_linebreak.break_text(text, one_em, width)
    assert "".join(lines) == text
    start = 0
    for line in lines[:-1]:
        start += len(line)
        assert text[start] not in pdf_linebreak.NO_LINE_START, lines
        assert text[start - 1] not in pdf_linebreak.NO_LINE_END, lines
        assert not (text[start] == text[start - 1] and text[start] in "—…"), lines


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*CJK_PIECES, " ", "word"]), min_size=1, max_size=60), st.integers(4, 20))
def test_spaces_only_disappear_at_line_ends(pieces: list[str], width: int) -> None:
    text = "".join(pieces)
    lines = pdf_linebreak.break_text(text, one_em, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(line == line.strip(" ") and line for line in lines)


# The unit-by-unit greedy breaker the PDF writer used before it searched the running widths: the oracle
# the fast breaker must agree with. Units are (text, kind): one CJK character, a Latin word, or a space.
Unit = tuple[str, str]
CJK = "\u2e80-\u9fff\uff00-\uffef“”‘’…—·"


def reference_glue(text: str) -> list[list[Unit]]:
    """Boxes no break may enter: closing marks join the box before, opening marks the one after."""
    units: list[Unit] = []
    for space, cjk, word in re.findall(rf"( )|([{CJK}]+)|([^ {CJK}]+)", text):
        units += [(" ", "space")] if space else [(c, "cjk") for c in cjk] if cjk else [(word, "word")]
    boxes: list[list[Unit]] = []
    opening: list[Unit] = []
    for unit in units:
        if unit[1] == "space":
            boxes += [opening, [unit]] if opening else [[unit]]
            opening = []
            continue
        last = boxes[-1] if boxes else None
        pair = unit[0] in "—…" and last is not None and last[-1][0] == unit[0]
        joins = unit[0][0] in pdf_linebreak.NO_LINE_START or pair
        if joins and not opening and last is not None and last[0][1] != "space":
            last.append(unit)
            continue
        box, opening = [*opening, unit], []
        if unit[0][-1] in pdf_linebreak.NO_LINE_END:
            opening = box
        else:
            boxes.append(box)
    return boxes + ([opening] if opening else [])


def reference_break(text: str, measure: pdf_linebreak.Measure, first: float, rest: float) -> list[str]:
    """Fill lines box by box; split a box wider than any line into units; cut a word wider than the line."""
    lines: list[str] = []
    line: list[Unit] = []
    used, limit, widest = 0.0, first, max(first, rest) + 1e-6
    boxes = reference_glue(text)[::-1]
    while boxes:
        box = boxes.pop()
        if box[0][1] == "space":
            line, used = (line + box, used + measure(" ")) if line else (line, used)
            continue
        box_width = sum(measure(unit) for unit, _kind in box)
        if box_width > widest and len(box) > 1:
            boxes += [[unit] for unit in reversed(box)]
            continue
        if used + box_width > limit + 1e-6 and line:
            lines.append("".join(unit for unit, _kind in line).strip(" "))
            line, used, limit = [], 0.0, rest
        if not line and box_width > limit + 1e-6 and box[0][1] == "word":
            word, piece = box[0][0], ""
            for char in word:
                if piece and measure(piece + char) > limit:
                    lines.append(piece)
                    piece, limit = "", rest
                piece += char
            box = [(piece, "word"), *box[1:]]
            box_width = sum(measure(unit) for unit, _kind in box)
        line, used = line + box, used + box_width
    return lines + (["".join(unit for unit, _kind in line).strip(" ")] if line else [])


def spaced_em(text: str) -> float:
    """One unit a character, half for a space."""
    return len(text) - text.count(" ") / 2


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from([*CJK_PIECES, " ", "word", "……", "——", "《", "internationalisation"]), max_size=80),
    st.integers(min_value=3, max_value=20),
    st.integers(min_value=0, max_value=2),
)
def test_the_breaker_agrees_with_the_unit_by_unit_greedy_fill(pieces: list[str], width: int, indent: int) -> None:
    text = "".join(pieces)
    if indent:  # a word cut on an indented first line is cut to the first line's width in the old breaker only
        assume(all(len(box[0][0]) <= width - indent for box in reference_glue(text) if box[0][1] == "word"))
    expected = reference_break(text, spaced_em, width - indent, width)
    assert pdf_linebreak.break_text(text, spaced_em, width - indent, width) == expected


# -- page make-up ------------------------------------------------------------------------------------


class OneEmFonts:
    """Every character one em wide in one font: line counts become easy to predict."""

    space = 0.5
    glyphs: ClassVar[dict[str, tuple[str, float]]] = {"字": ("f", 1.0)}

    def width(self, text: str, size: float) -> float:
        """One em per character."""
        return len(text) * size

    def pieces(self, text: str) -> list[tuple[str, str]]:
        """All in the one font."""
        return [("f", text)]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=40))
def test_no_paragraph_leaves_a_lone_line_at_the_foot_or_head_of_a_sheet(line_counts: list[int]) -> None:
    fonts_ = OneEmFonts()
    layout = pdf_makeup.Layout((300.0, 300.0), 10.0, {"body": fonts_, "head": fonts_})
    style = pdf_makeup.Style("body", 10.0, 17.5)
    per_line = int(layout.measure // 10)
    layout.new_sheet("header")
    for count in line_counts:
        before = [len(sheet.ops) for sheet in layout.sheets]
        layout.paragraph("字" * (per_line * count), style)
        placed = [len(sheet.ops) - (before[i] if i < len(before) else 0) for i, sheet in enumerate(layout.sheets)]
        placed = [n for n in placed if n]
        assert sum(placed) == count
        if count > 1:
            assert min(placed) >= 2 or len(placed) == 1, placed
    for sheet in layout.sheets:
        assert all(isinstance(op, pdf_makeup.TextLine) and op.y > layout.bottom for op in sheet.ops)


def test_english_lines_stay_inside_the_margins(tmp_path: Path) -> None:
    path = write([english_issue()], tmp_path, "en.pdf", font=FONTS["noto-cff"]())
    html = subprocess.run(
        [require_tool("pdftotext"), "-bbox", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True
    ).stdout
    width = float(re.search(r'<page width="([0-9.]+)"', html)[1])  # type: ignore[index]
    boxes = [
        (float(a), float(b)) for a, b in re.findall(r'<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)"', html)
    ]
    assert len(boxes) > 50
    left = min(x0 for x0, _x1 in boxes)
    right = max(x1 for _x0, x1 in boxes)
    assert right <= width - left + 1.0  # the text block is centred: no line runs past the right margin
