"""The parts of a copied web page that are not the article: site furniture (share buttons, font-size controls,
breadcrumbs), the publication line, the print edition's source footer, and an e-paper app's page lines."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from epaper_cli.formats.issuedates import make_date

_UI_WORDS = frozenset(
    {"小字号", "中字号", "大字号", "字号", "字体", "大", "中", "小", "默认", "放大", "缩小", "A", "A+", "A-"}
    | {"打印", "打印本页", "关闭", "关闭窗口", "返回顶部", "回到顶部", "返回", "返回目录", "返回首页", "首页"}
    | {"往期回顾", "往期", "PDF下载", "下载PDF", "本版PDF", "PDF", "版面导航", "标题导航", "目录", "版面"}
    | {"分享", "分享到", "分享至", "微信", "微博", "QQ", "QQ空间", "朋友圈", "收藏", "评论", "纠错", "我要纠错"}
    | {"扫一扫", "点击播报本文", "语音播报", "上一篇", "下一篇", "上一版", "下一版", "上一期", "下一期", "复制链接"}
    | {
        "纠错",
        "【纠错】",
        "新浪微博",
        "腾讯微博",
        "人民微博",
        "人人网",
        "豆瓣",
        "手机看",
        "手机版",
        "客户端",
        "下载客户端",
        "打开APP",
    }
    | {"二维码", "扫码阅读", "查看原图", "点击查看大图", "繁体", "简体", "繁體", "簡體", "大图", "原图"}
    | {"小字號", "中字號", "大字號", "字號", "字體", "預設", "縮小", "列印", "關閉", "關閉視窗", "返回頂部", "首頁"}
    | {"往期回顧", "PDF下載", "下載PDF", "版面導航", "標題導航", "目錄", "評論", "上一頁", "下一頁", "複製連結"}
    | {"share", "print", "email", "e-mail", "facebook", "twitter", "x", "linkedin", "whatsapp", "wechat", "weibo"}
    | {"comment", "comments", "font", "size", "font size", "large", "medium", "small", "home", "close", "save"}
    | {"back to top", "text size", "a+", "a-"}
)
"""Words of the site's own controls: a line made only of them is never the article's."""
_UI_FIRST = frozenset(word[0] for word in _UI_WORDS) | frozenset(word[0].upper() for word in _UI_WORDS)
_UI_FIRST |= frozenset(" |｜丨/·•【】[]（）():：")
"""A line of controls starts with a control's word or a separator: any other line is turned away at once."""
_UI_SPLIT = re.compile(r"[\s|｜丨/·•【】\[\]（）():：]+")
_UI_LINE_MAX = 60
# Patterns kept as text are compiled by `re` on their first use, and kept: those of one layout or of rare lines
# cost nothing to a command that never meets them.
_CRUMB = (
    r"^(?:(?:当前位置|您的位置|你的位置|當前位置|您現在的位置|You are here)\s*[:：]?\s*)?"
    r"[^>＞»›→\s][^>＞»›→]{0,19}(?:\s*(?:>>|>|＞|»|›|→)\s*[^>＞»›→\s][^>＞»›→]{0,19})+$"
)
"""A breadcrumb: `江海网 > 时政 > 正文`."""
_HOME_CRUMB = r"^(?:(?i:home)|首页|首頁|网站首页|網站首頁)(?:\s*[/|｜]\s*[^/|｜]{1,20}){1,6}$"
"""A breadcrumb with slashes, which titles may hold too: only when it starts at the home page (Home / China)."""
_AFTER_THE_ARTICLE = (
    r"^(?:相关新闻|相关阅读|相关文章|推荐阅读|热门推荐|猜你喜欢|相關新聞|相關閱讀|推薦閱讀|"
    r"(?i:related (?:stories|news|articles)|most (?:viewed|popular)|read more))\s*[:：]?$"
)
"""A heading of the site's link lists: nothing of the article comes after it."""

_DATE = re.compile(r"([0-9]{4})\s*[年/.-]\s*([0-9]{1,2})\s*[月/.-]\s*([0-9]{1,2})(?![0-9])\s*日?")
_TIME = re.compile(r"(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9])")
_FIELD_NAMES = "来源|來源|作者|记者|記者|责任编辑|責任編輯|编辑|編輯|责编|責編|(?i:source|author|editor)"
_FIELD = re.compile(rf"({_FIELD_NAMES})\s*[:：]\s*(.*?)\s*(?=(?:{_FIELD_NAMES})\s*[:：]|$)")
_PART_SEPARATORS = r"\s*[|｜丨]\s*"
_PUBLISHED_MAX = 140
_TIME_LABEL = r"^(?:(?i:updated|published|posted)|发布时间|發佈時間|发表时间|時間|时间)\s*[:：]?\s*"

_FOOTER = (
    r"《\s*([^《》]{1,30}?)\s*》\s*[（(]\s*([0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日)\s*"
    r"(第?\s*[A-Za-z]{0,3}\s*[0-9]{1,3}\s*版)\s*[）)]$"
)
_ENGLISH_FOOTER = (
    r"(?i)^\(\s*([A-Z][^()]{1,40}?)\s+([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\s+page\s*([A-Z]?[0-9]{1,3})\s*\)$"
)

_PAGE_LINE = (
    r"^(?:当前版面|當前版面|当前版|當前版|本版)?\s*[:：]?\s*(第?\s*[A-Za-z]{0,3}\s*[0-9]{1,3}\s*版?)"
    r"\s*(?:[:：·]\s*|\s+)?([^\s:：]{1,12})?$"
)
_PAGE_ENTRY = r"[0-9]{1,3}\s*版"
_WEEKDAY_AFTER = r"\s*(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]"
_APP_WORDS = r"\s*(?:数字报刊?|电子报刊?|电子版|数字版|數字報刊?|電子報刊?|電子版|數字版)$"


class Published(NamedTuple):
    """What a web page's publication line says: `2025年08月26日06:31 | 来源：江海网－江海日报`."""

    date: dt.date
    source: str | None = None
    author: str | None = None
    editor: str | None = None


class Footer(NamedTuple):
    """The print edition an article page names: `《 江海日报 》（ 2025年08月26日 第 04 版）`."""

    paper: str
    date: dt.date
    page: str


def is_ui_line(line: str) -> bool:
    """A line made only of the site's controls (小字号 大字号, 分享到：微信 微博, Share | Print)."""
    if len(line) > _UI_LINE_MAX or line[:1] not in _UI_FIRST:
        return False
    words = [word for word in _UI_SPLIT.split(line) if word]
    return bool(words) and all(word in _UI_WORDS or word.casefold() in _UI_WORDS for word in words)


def without_ui_words(line: str) -> str:
    """The line without the site's controls set beside a credit (`【纠错】 【责任编辑：林一鸣】`)."""
    if len(line) > _UI_LINE_MAX * 2 or " " not in line:
        return line
    return " ".join(part for part in line.split(" ") if part and not is_ui_line(part))


def is_breadcrumb(line: str) -> bool:
    """`江海网 > 时政 > 正文`, `首页 » 新闻`: where the page sits on the site."""
    if len(line) > _UI_LINE_MAX * 2:
        return False
    return re.match(_CRUMB, line) is not None or (line[:1] in "Hh首网網" and re.match(_HOME_CRUMB, line) is not None)


def ends_the_article(line: str) -> bool:
    """The heading of a list of links under the article (相关新闻, Related Stories)."""
    return len(line) <= 20 and re.match(_AFTER_THE_ARTICLE, line) is not None


def published(line: str) -> Published | None:
    """Read a publication line: a full date with a time or a source, as article pages print under the title."""
    if len(line) > _PUBLISHED_MAX or "。" in line or "，" in line or not (":" in line or "：" in line):
        return None  # a sentence is not one; a time or a labelled source has a colon: most lines end here
    found = _DATE.search(line)
    if found is None:
        return None
    day = make_date(int(found[1]), int(found[2]), int(found[3]))
    if day is None or not (_TIME.search(line, found.end()) or _FIELD.search(line)):
        return None
    fields: dict[str, str] = {}
    for part in re.split(_PART_SEPARATORS, line):
        labelled = list(_FIELD.finditer(part))
        for field in labelled:
            _read_field(fields, field[1], field[2])
        bare = part[: labelled[0].start()].strip() if labelled else part.strip()
        if not bare or _DATE.search(bare) or re.match(_TIME_LABEL, bare):
            continue
        if bare.startswith(("By ", "by ")):
            fields.setdefault("author", bare)
        else:
            fields.setdefault("source", bare)
    return Published(day, fields.get("source"), fields.get("author"), fields.get("editor"))


def _read_field(fields: dict[str, str], name: str, value: str) -> None:
    """One labelled field of a publication line: 来源, 作者 or 记者, an editor."""
    if not value:
        return
    key = name.casefold()
    if key in ("来源", "來源", "source"):
        fields["source"] = value
    elif key in ("作者", "记者", "記者", "author"):
        fields["author"] = value if key in ("作者", "author") else f"{name} {value}"
    else:
        fields["editor"] = f"{name}：{value}"


def source_paper(source: str) -> tuple[str | None, str]:
    """`江海网－江海日报` → ('江海网', '江海日报'): the site that reposted and the paper; a lone name is the paper."""
    parts = [part.strip() for part in re.split(r"\s*[－—–-]\s*", source) if part.strip()]
    if len(parts) >= 2:
        return parts[0], parts[-1]
    return None, source.strip()


def footer(line: str) -> Footer | None:
    """Read the print edition's source footer, Chinese (《 X报 》（ 2025年08月26日 第 04 版）) or English
    ((Pinecrest Gazette 08/26/2025 page 5), month first)."""
    if "》" in line:
        match = re.search(_FOOTER, line)
        if match is None:
            return None
        numbers = [int(n) for n in re.findall(r"[0-9]+", match[2])]
        day = make_date(*numbers) if len(numbers) == 3 else None
        page = re.sub(r"[\s第版]", "", match[3]).upper()
        return Footer(match[1].strip(), day, _pad(page)) if day else None
    if not line.startswith("(") or "/" not in line:
        return None
    english = re.match(_ENGLISH_FOOTER, line)
    if english is None:
        return None
    day = make_date(int(english[4]), int(english[2]), int(english[3]))
    return Footer(english[1].strip(), day, _pad(english[5].upper())) if day else None


def _pad(label: str) -> str:
    """A page label as the archive writes it: the number zero-padded to two digits (4 → 04, A3 → A03)."""
    letters = label.rstrip("0123456789")
    return f"{letters}{int(label[len(letters) :]):02d}"


def page_line(line: str) -> tuple[str, str | None] | None:
    """An e-paper app's page line (`01版：要闻`, `第A01版：地方`, `A1 要聞`): the page as written and its section."""
    if len(line) > 24:
        return None
    match = re.match(_PAGE_LINE, line)
    if match is None or not re.search(r"[版第A-Za-z]", match[1]):
        return None
    return match[1].strip(), match[2]


def is_page_list(line: str) -> bool:
    """A line listing several pages (`01版：要闻 02版：综合 03版：经济`)."""
    return line.count("版") >= 2 and len(re.findall(_PAGE_ENTRY, line)) >= 2


def app_date(line: str) -> tuple[str, dt.date] | None:
    """An e-paper app's masthead line: the paper's name (perhaps on the line above) and the issue's full date,
    perhaps with the weekday and more words after a space."""
    if len(line) > 48 or "，" in line or "。" in line:
        return None
    found = _DATE.search(line)
    if found is None:
        return None
    after = line[found.end() :]
    weekday = re.match(_WEEKDAY_AFTER, after)
    if weekday is not None:
        after = after[weekday.end() :]
    if after and not after[0].isspace():
        return None
    day = make_date(int(found[1]), int(found[2]), int(found[3]))
    return (paper_name(line[: found.start()]), day) if day else None


def paper_name(text: str) -> str:
    """A paper's name from a masthead, without the app's own words (清川日报数字报 → 清川日报)."""
    return re.sub(_APP_WORDS, "", text.strip()).strip()
