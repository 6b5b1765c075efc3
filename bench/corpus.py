"""A deterministic synthetic corpus for the benchmark, in the capture layout of reader apps (电子报).

Everything comes from a seeded `random.Random` and the word lists below: no network, no real newspaper text.
The same seed always gives byte-identical files.

- `write_captures`: N issues × 12 pages × 6 articles, one capture per file, `<root>/<date>/<page>-<n>.txt`;
  each capture gives `日期:MM-DD` and a read-date line, so the importer infers the year (the issues straddle
  a new year, so the inference is exercised).
- `write_markdown` / `write_html`: one issue's content as Markdown (for pandoc) and HTML (for WeasyPrint), the
  same titles, bylines, paragraphs and sub-headings that its captures hold.
- `make_year` / `epaper_text`: a year of a 16-page daily (365 issues × 128 articles), generated an issue at a
  time, each issue written in epaper's own plain-text layout (what `epaper export --txt` writes and
  `epaper import` reads back), the quickest way to fill an archive with a year; `volume_markdown` /
  `volume_html`: several issues as one document for the anchors, with the same text.

Run `python bench/corpus.py OUT` to write a corpus by hand (see `--help`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 20250826
PAPER = "清江日报"
READER = "电子报阅读机"
FIRST_ISSUE = dt.date(2024, 12, 12)
"""The corpus's first issue date: 40 daily issues then run across the new year."""
EXPORT_ISSUE_DATE = dt.date(2025, 3, 14)

SECTIONS = (
    "要闻", "综合", "时政", "经济", "民生", "社会", "城市", "区县",
    "文化", "教育", "科技", "健康", "体育", "国际", "副刊", "专版",
)  # fmt: skip
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志文斌宇浩凯晓东雪琳晨阳欣怡子轩梓涵一诺思远慧"
    "佳乐婷颖博瑞嘉俊鑫海波宁云峰昊然雨彤可馨晶洁丹蕾辉毅松"
)

PLACES = (
    "全市", "全县", "城区", "开发区", "高新区", "江北", "江南", "东港", "西山", "南湖", "北岸", "城东",
    "城西", "各乡镇", "各街道", "沿江", "山区", "老城", "新城", "滨江",
)  # fmt: skip
ACTORS = (
    "市民", "村民", "居民", "企业", "学校", "医院", "社区", "街道", "园区", "合作社", "志愿者", "工作人员",
    "老人", "孩子们", "家长", "游客", "农户", "商户", "工人", "技术人员", "教师", "学生", "医生", "护士",
    "党员干部", "青年", "专家", "相关部门", "施工单位", "物业公司", "网格员", "种植户", "养殖户", "快递小哥",
    "环卫工人", "新市民", "创业者", "大学生", "退役军人", "文艺工作者",
)  # fmt: skip
VERBS = (
    "推进", "开展", "完成", "建设", "改造", "提升", "参与", "组织", "举办", "走访", "调研", "启动", "落实",
    "推动", "加强", "探索", "打造", "带动", "发展", "保障", "整治", "更新", "改善", "培育", "引进", "支持",
    "优化", "关注", "解决", "完善", "规划", "筹备", "试点", "推广", "对接", "联合", "升级", "扩建",
)  # fmt: skip
MODIFIERS = (
    "新建", "老旧", "传统", "特色", "智慧", "绿色", "便民", "数字", "现代", "优质", "公共", "社区", "乡村",
    "城市", "文化", "生态", "共享", "综合", "重点", "民生", "惠民", "安全", "低碳", "文明",
)  # fmt: skip
OBJECTS = (
    "项目", "工程", "活动", "服务", "设施", "道路", "公园", "菜市场", "图书馆", "产业", "品牌", "技术",
    "课程", "平台", "机制", "环境", "农田", "茶园", "果园", "基地", "工作站", "文化节", "运动会", "展览",
    "讲座", "培训班", "养老服务", "医疗资源", "公共交通", "停车位", "充电桩", "口袋公园", "健身步道",
    "农贸市场", "排水管网", "小区", "书屋", "食堂", "驿站", "集市", "民宿", "街区", "码头", "供水管道",
)  # fmt: skip
TIMES = (
    "今年以来", "近日", "上个月", "目前", "去年", "今年春天", "与此同时", "截至目前", "下一步", "近年来",
    "本周", "这个冬天", "过去一年", "从今年起", "入冬以来", "最近一段时间",
)  # fmt: skip
ADVERBS = ("持续", "积极", "不断", "逐步", "全面", "认真", "主动", "稳步", "加快", "进一步", "扎实", "有序")
RESULTS = (
    "见实效", "有新貌", "更便民", "更舒心", "添活力", "焕新颜", "暖人心", "提速度", "上台阶", "结硕果",
    "有看头", "受欢迎", "走在前", "稳起来", "亮起来", "热起来",
)  # fmt: skip
UNITS = ("个", "处", "家", "项", "条", "所", "座", "场", "户", "名")
FEELINGS = ("方便多了", "心里踏实", "越来越好", "很有盼头", "省心不少", "干劲更足了", "收获很大", "实实在在")
SAYS = ("说", "介绍", "表示", "告诉记者", "笑着说", "感慨地说")


@dataclass(frozen=True)
class Article:
    """One article: title, byline and body blocks, each `("text" | "heading", text)`."""

    title: str
    byline: str
    blocks: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Page:
    """One page of an issue: its number, section name and articles."""

    number: int
    section: str
    articles: tuple[Article, ...]

    @property
    def label(self) -> str:
        """The page label as reader apps print it: `03版`."""
        return f"{self.number:02d}版"


@dataclass(frozen=True)
class Issue:
    """One issue, and the day its captures were read (for year inference)."""

    paper: str
    date: dt.date
    read_on: dt.date
    pages: tuple[Page, ...]

    @property
    def articles(self) -> int:
        """How many articles the issue holds."""
        return sum(len(page.articles) for page in self.pages)


class _Writer:
    """Generates Chinese-looking text from the word lists with one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, words: Sequence[str]) -> str:
        return words[self.rng.randrange(len(words))]

    def number(self) -> str:
        return str(self.rng.choice((self.rng.randint(2, 99), self.rng.randint(100, 9999))))

    def name(self) -> str:
        given = self.pick(GIVEN) + (self.pick(GIVEN) if self.rng.random() < 0.7 else "")
        return self.pick(SURNAMES) + given

    def clause(self) -> str:
        """A clause of about 8–25 characters, without punctuation at either end."""
        p = self.pick
        kind = self.rng.randrange(8)
        if kind == 0:
            return f"{p(TIMES)}{p(PLACES)}{p(ADVERBS)}{p(VERBS)}{p(MODIFIERS)}{p(OBJECTS)}"
        if kind == 1:
            return f"{p(ACTORS)}{p(ADVERBS)}{p(VERBS)}{p(MODIFIERS)}{p(OBJECTS)}{self.number()}{p(UNITS)}"
        if kind == 2:
            return f"共{p(VERBS)}{p(MODIFIERS)}{p(OBJECTS)}{self.number()}{p(UNITS)},投入资金{self.number()}万元"
        if kind == 3:
            return f"{p(PLACES)}的{p(MODIFIERS)}{p(OBJECTS)}{p(RESULTS)}"
        if kind == 4:
            return f"{p(ACTORS)}{p(SAYS)}:“{p(MODIFIERS)}{p(OBJECTS)}建好以后,大家{p(FEELINGS)}”"
        if kind == 5:
            return f"覆盖{p(ACTORS)}(含{p(ACTORS)}){self.number()}人次,满意率达到{self.rng.randint(80, 99)}%"
        if kind == 6:
            return f"{p(VERBS)}{p(OBJECTS)}和{p(VERBS)}{p(OBJECTS)}同步进行"
        return f"围绕{p(MODIFIERS)}{p(OBJECTS)},{p(ACTORS)}和{p(ACTORS)}一起{p(VERBS)}{p(OBJECTS)}"

    def sentence(self) -> str:
        """Clauses joined as real captures join them: half-width `,` and now and then `;` (the seed has about one
        half-width mark per 25 characters), ending with a full-width `。`."""
        clauses = [self.clause() for _ in range(self.rng.randint(1, 3))]
        joint = ";" if self.rng.random() < 0.1 else ","
        return joint.join(clauses) + "。"

    def paragraph(self) -> str:
        """60–200 characters of whole sentences, ending with 。."""
        target = self.rng.randint(60, 200)
        text = ""
        while len(text) < target:
            sentence = self.sentence()
            if len(text) >= 60 and len(text) + len(sentence) > 200:
                break
            text += sentence
        return text

    def heading(self) -> str:
        """A sub-heading: a short line with no sentence-ending punctuation."""
        return f"{self.pick(MODIFIERS)}{self.pick(OBJECTS)}{self.pick(RESULTS)}"

    def title(self) -> str:
        p = self.pick
        kind = self.rng.randrange(4)
        if kind == 0:
            return f"{p(PLACES)}{p(MODIFIERS)}{p(OBJECTS)}{p(RESULTS)}"
        if kind == 1:
            return f"{self.number()}{p(UNITS)}{p(MODIFIERS)}{p(OBJECTS)}今年{p(VERBS)}"
        if kind == 2:
            return f"{p(ACTORS)}{p(VERBS)}{p(MODIFIERS)}{p(OBJECTS)}"
        return f"{p(PLACES)}{p(ADVERBS)}{p(VERBS)}{p(OBJECTS)}"

    def byline(self) -> str:
        roll = self.rng.random()
        if roll < 0.6:
            return f"记者 {self.name()} 通讯员 {self.name()}"
        if roll < 0.75:
            return f"记者 {self.name()} 通讯员 {self.name()} {self.name()}"
        if roll < 0.9:
            return f"本报记者 {self.name()}"
        return f"记者 {self.name()} {self.name()}"

    def article(self, title: str) -> Article:
        count = self.rng.randint(6, 12)
        blocks: list[tuple[str, str]] = []
        headings = 0
        for index in range(count):
            if 1 <= index < count - 1 and headings < 2 and self.rng.random() < 0.12:
                blocks.append(("heading", self.heading()))
                headings += 1
            blocks.append(("text", self.paragraph()))
        return Article(title=title, byline=self.byline(), blocks=tuple(blocks))


def make_issue(rng: random.Random, date: dt.date, pages: int = 12, per_page: int = 6, paper: str = PAPER) -> Issue:
    """One issue of `pages` pages with `per_page` articles each; titles are unique within the issue."""
    writer = _Writer(rng)
    read_on = date + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 5, 20)))
    seen: set[str] = set()
    made: list[Page] = []
    for number in range(1, pages + 1):
        articles: list[Article] = []
        for _ in range(per_page):
            title = writer.title()
            while title in seen:
                title = writer.title()
            seen.add(title)
            articles.append(writer.article(title))
        made.append(Page(number, SECTIONS[(number - 1) % len(SECTIONS)], tuple(articles)))
    return Issue(paper=paper, date=date, read_on=read_on, pages=tuple(made))


def make_issues(count: int, pages: int = 12, per_page: int = 6, seed: int = SEED) -> list[Issue]:
    """`count` daily issues from FIRST_ISSUE on."""
    rng = random.Random(seed)
    return [make_issue(rng, FIRST_ISSUE + dt.timedelta(days=day), pages, per_page) for day in range(count)]


def make_export_issue(pages: int = 16, per_page: int = 8, seed: int = SEED) -> Issue:
    """The issue the export benchmarks convert (128 articles by default)."""
    return make_issue(random.Random(seed + 1), EXPORT_ISSUE_DATE, pages, per_page)


# -- the capture layout ---------------------------------------------------------------------------------


def capture_text(issue: Issue, page: Page, article: Article, variant: int = 0) -> str:
    """One article as a reader app lets you copy it; `variant` varies the spacing as real captures do."""
    gap = "\u00a0\u00a0" if variant % 2 else "       "
    indent = "\u3000\u3000" if variant % 3 == 2 else "  "
    lines = [
        READER,
        issue.read_on.isoformat(),
        WEEKDAYS[issue.read_on.weekday()],
        f"当前报纸名称:{issue.paper}",
        "",
        article.title,
        "",
        f"日期:{issue.date.month:02d}-{issue.date.day:02d}",
        "字号:",
        f"版面:{page.label}:{page.section}{gap}上一篇{gap}下一篇",
        "",
        f"{indent}{article.byline}",
        "",
    ]
    for _kind, text in article.blocks:
        lines += [f"{indent}{text}", ""]
    return "\n".join(lines)


def iter_captures(issue: Issue) -> Iterator[tuple[str, str]]:
    """(relative file name, capture text) for every article of an issue, one capture per file."""
    variant = 0
    for page in issue.pages:
        for number, article in enumerate(page.articles, 1):
            yield (
                f"{issue.date.isoformat()}/{page.number:02d}-{number}.txt",
                capture_text(issue, page, article, variant),
            )
            variant += 1


def write_captures(root: Path, issues: Sequence[Issue]) -> list[Path]:
    """Write every article of the issues as its own capture file under `root`; returns the paths, sorted."""
    paths: list[Path] = []
    for issue in issues:
        for name, text in iter_captures(issue):
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            paths.append(path)
    return sorted(paths)


# -- the same content for the anchors ---------------------------------------------------------------------


def issue_title(issue: Issue) -> str:
    return f"{issue.paper} {issue.date.isoformat()}"


def markdown(issue: Issue) -> str:
    """The issue as Pandoc Markdown: a title block, `#` per page, `##` per article, `###` per sub-heading."""
    out = [f"---\ntitle: {issue_title(issue)}\nlang: zh-CN\n---\n"]
    for page in issue.pages:
        out.append(f"# {page.label} {page.section}\n")
        for article in page.articles:
            out.append(f"## {article.title}\n")
            out.append(f"{article.byline}\n")
            for kind, text in article.blocks:
                out.append(f"### {text}\n" if kind == "heading" else f"{text}\n")
    return "\n".join(out)


_CSS = """
@page { size: A4; margin: 2cm 2cm;
  @top-center { content: "%(title)s"; font-size: 9pt; }
  @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 11pt; line-height: 1.7; }
h1 { page-break-before: always; font-size: 18pt; }
h1:first-of-type { page-break-before: avoid; }
h2 { font-size: 14pt; margin-top: 1.5em; }
h3 { font-size: 11pt; }
p { text-indent: 2em; margin: 0.3em 0; }
p.byline { text-indent: 0; color: #444; }
"""


def html_document(issue: Issue) -> str:
    """The issue as one HTML document for WeasyPrint: running header, page numbers, h1/h2 bookmarks."""
    title = html.escape(issue_title(issue))
    out = [
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">',
        f"<title>{title}</title>\n<style>{_CSS % {'title': title}}</style>\n</head>\n<body>",
    ]
    for page in issue.pages:
        out.append(f"<h1>{html.escape(page.label)} {html.escape(page.section)}</h1>")
        for article in page.articles:
            out.append(f"<h2>{html.escape(article.title)}</h2>")
            out.append(f'<p class="byline">{html.escape(article.byline)}</p>')
            for kind, text in article.blocks:
                out.append(f"<h3>{html.escape(text)}</h3>" if kind == "heading" else f"<p>{html.escape(text)}</p>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def write_markdown(path: Path, issue: Issue) -> Path:
    path.write_text(markdown(issue), encoding="utf-8")
    return path


def write_html(path: Path, issue: Issue) -> Path:
    path.write_text(html_document(issue), encoding="utf-8")
    return path


# -- volumes: a year of a 16-page daily ---------------------------------------------------------------------

VOLUME_YEAR = 2025


def make_year(pages: int = 16, per_page: int = 8, seed: int = SEED, year: int = VOLUME_YEAR) -> Iterator[Issue]:
    """Every day of a year, an issue at a time (a year of 128-article issues is 46,720 articles: never held)."""
    rng = random.Random(seed + 2)
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield make_issue(rng, day, pages, per_page)
        day += dt.timedelta(days=1)


def _underline(heading: str, mark: str) -> str:
    """A rule as wide as the heading in a terminal (CJK characters take two columns)."""
    return mark * sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in heading)


def epaper_text(issue: Issue) -> str:
    """The issue in epaper's plain-text layout: issue and page headings, then each article's fields and body."""
    heading = issue_title(issue)
    lines = [heading, _underline(heading, "=")]
    for page in issue.pages:
        page_heading = f"{page.label} {page.section}"
        lines += ["", "", page_heading, _underline(page_heading, "-")]
        for number, article in enumerate(page.articles):
            lines += ["", ""] if number else [""]
            lines += [f"【标题】{article.title}", f"【署名】{article.byline}"]
            for kind, text in article.blocks:
                lines += ["", f"## {text}" if kind == "heading" else f"\u3000\u3000{text}"]
    return "\n".join(lines) + "\n"


def volume_markdown(issues: Sequence[Issue], title: str) -> str:
    """Several issues as one Pandoc Markdown book: `#` per issue, `##` per page, `###` per article."""
    out = [f"---\ntitle: {title}\nlang: zh-CN\n---\n"]
    for issue in issues:
        out.append(f"# {issue_title(issue)}\n")
        for page in issue.pages:
            out.append(f"## {page.label} {page.section}\n")
            for article in page.articles:
                out.append(f"### {article.title}\n")
                out.append(f"{article.byline}\n")
                for kind, text in article.blocks:
                    out.append(f"#### {text}\n" if kind == "heading" else f"{text}\n")
    return "\n".join(out)


_VOLUME_CSS = """
@page { size: A4; margin: 2cm 2cm;
  @top-center { content: string(issue) " · " string(page); font-size: 9pt; }
  @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 11pt; line-height: 1.7; }
h1 { page-break-before: always; font-size: 20pt; string-set: issue content(); }
h2 { page-break-before: always; font-size: 16pt; string-set: page content(); }
h1 + h2 { page-break-before: avoid; }
h3 { font-size: 14pt; margin-top: 1.5em; }
h4 { font-size: 11pt; }
p { text-indent: 2em; margin: 0.3em 0; }
p.byline { text-indent: 0; color: #444; }
"""


def volume_html(issues: Sequence[Issue], title: str) -> str:
    """Several issues as one HTML document for WeasyPrint: a running header naming the issue and page, page
    numbers, and h1–h3 bookmarks (issue, page, article)."""
    out = [
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>\n<style>{_VOLUME_CSS}</style>\n</head>\n<body>",
    ]
    for issue in issues:
        out.append(f"<h1>{html.escape(issue_title(issue))}</h1>")
        for page in issue.pages:
            out.append(f"<h2>{html.escape(page.label)} {html.escape(page.section)}</h2>")
            for article in page.articles:
                out.append(f"<h3>{html.escape(article.title)}</h3>")
                out.append(f'<p class="byline">{html.escape(article.byline)}</p>')
                for kind, text in article.blocks:
                    out.append(f"<h4>{html.escape(text)}</h4>" if kind == "heading" else f"<p>{html.escape(text)}</p>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write into (created)")
    parser.add_argument("--issues", type=int, default=40, help="issues of 12 pages × 6 articles (default 40)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    out: Path = args.out
    captures = write_captures(out / "captures", make_issues(args.issues, seed=args.seed))
    export = make_export_issue(seed=args.seed)
    write_captures(out / "export-issue", [export])
    write_markdown(out / "export-issue.md", export)
    write_html(out / "export-issue.html", export)
    print(f"{len(captures)} captures in {out / 'captures'}; one {export.articles}-article issue in {out}")


if __name__ == "__main__":
    main()
