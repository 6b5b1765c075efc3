"""The plain-text export: pleasant in `less`, and exact enough to be imported back into the same issues.

Layout (Chinese labels for Chinese issues, English labels for English ones; the reader accepts both):

    衢州日报 2025-08-26
    ===================


    03版 民生
    ---------

    【引题】kicker
    【标题】title
    【副题】subtitle
    【署名】byline
    【电头】dateline
    【上接】01           (continued from page 01; 【下转】03 continued on page 03)

    (two U+3000) paragraph    (an English issue's paragraphs have no indent: `Page 03`, `[Title] …`)

    ## sub-heading

    【图】picture caption

    【编辑】责任编辑：李华

A value that could not survive the trip as it stands (empty, leading or trailing space, control or format
characters, text that Unicode normalisation would change, a separator of its line) is written after a
backslash with backslash escapes (\\n, \\t, \\r, \\\\, \\uXXXX, \\UXXXXXXXX), as is an English paragraph that would
read as a line of another kind (`[Title] …`, `## …`). `【作者】role：name` lines appear only when the byline alone
does not give the article's authors (`记者 毛慧娟`, `By Jane Doe and Tom Lee` do).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from epaper_cli.errors import InputError
from epaper_cli.formats.credits import parse_byline
from epaper_cli.formats.spacing import has_cjk
from epaper_cli.formats.text_escapes import escape, unescape
from epaper_cli.formats.vocabulary import CHINESE, ENGLISH, Vocabulary, issue_language, vocabulary
from epaper_cli.model import Article, Block, Caption, Heading, Issue, Page, Person, Source, Text, article_id

if TYPE_CHECKING:
    from epaper_cli.formats import ReadOptions, WriteOptions


@dataclass
class _Labels:
    """The line markers of one language: its vocabulary's field names, marked as this layout marks them."""

    words: Vocabulary
    field: dict[str, str]
    reserved: tuple[str, str]
    """What a page label cannot hold raw, and cannot start with, in this language's page heading."""


_ZH = _Labels(
    vocabulary(CHINESE), {key: f"【{name}】" for key, name in vocabulary(CHINESE).fields.items()}, ("版", "Page ")
)
_EN = _Labels(vocabulary(ENGLISH), {key: f"[{name}] " for key, name in vocabulary(ENGLISH).fields.items()}, (":", ""))
_ZH_NAMES, _EN_NAMES = "|".join(_ZH.words.fields.values()), "|".join(_EN.words.fields.values())
_LINE_LABEL = re.compile(rf"^(?:【({_ZH_NAMES})】|\[({_EN_NAMES})\](?= |$) ?)")
_FIELD_OF = {marker.strip("【】[] "): key for labels in (_ZH, _EN) for key, marker in labels.field.items()}

PARAGRAPH_INDENT = "\u3000\u3000"
"""Before a Chinese paragraph; an English one starts at the margin, as English text does."""
HEADING_MARK = "## "
_NOT_A_PARAGRAPH = ("[", "【", HEADING_MARK)
"""How an English paragraph cannot start raw: it would read as a field, a sub-heading."""
_ISSUE_LINE = re.compile(r"^(.*) (\d{4}-\d{2}-\d{2})$")
_ISSUE_RULE = re.compile(r"^={3,}$")
_PAGE_RULE = re.compile(r"^-{3,}$")

_ROLES = frozenset(
    {
        *("本报记者", "记者", "本报通讯员", "通讯员", "特约通讯员", "实习生", "本报实习生", "特约记者", "见习记者"),
        *("摄影", "摄", "文", "图", "文/图", "图/文", "文／图", "图／文", "撰文", "编译", "整理"),
    }
)


def derive_authors(byline: str | None) -> list[Person]:
    """Read authors off a plain byline (`记者 毛慧娟 通讯员 徐晓莹 姜丰`, `By Jane Doe and Tom Lee`); [] when it is
    not that simple."""
    role: str | None = None
    people: list[Person] = []
    for token in (byline or "").split():
        if token in _ROLES:
            role = token
        elif role is None:
            return _english_authors(byline or "")
        else:
            people.append(Person(role, token))
    return people


def _english_authors(byline: str) -> list[Person]:
    """The authors of an English byline, read as the importer reads them."""
    if has_cjk(byline):
        return []
    parsed = parse_byline(byline)
    return [] if parsed is None else parsed[1]


def _width(text: str) -> int:
    """Columns a terminal gives the text, so underlines match their heading."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def dumps(issues: Iterable[Issue]) -> str:
    """Lay out issues as text; `write` encodes it."""
    return "\n\n\n".join(map(_issue_text, issues)) + "\n"


def _issue_text(issue: Issue) -> str:
    """One issue: its heading, then each page's heading and articles, in the issue's language."""
    labels = _ZH if issue_language(issue) == CHINESE else _EN
    heading = f"{escape(issue.paper)} {issue.date.isoformat()}"
    lines = [heading, "=" * max(3, _width(heading))]
    for page in issue.pages:
        section = None if page.section is None else escape(page.section)
        heading = labels.words.page_heading(escape(page.label, *labels.reserved), section)
        lines += ["", "", heading, "-" * max(3, _width(heading))]
        for number, article in enumerate(page.articles):
            lines += ["", ""] if number else [""]
            lines += _article_lines(article, labels)
    return "\n".join(lines)


def _article_lines(article: Article, labels: _Labels) -> list[str]:
    """One article: its heading fields, then its body blocks, then its editors."""
    mark = labels.field
    lines = [f"{mark['kicker']}{escape(article.kicker)}"] if article.kicker is not None else []
    lines.append(f"{mark['title']}{escape(article.title)}")
    for key, value in (("subtitle", article.subtitle), ("byline", article.byline)):
        if value is not None:
            lines.append(f"{mark[key]}{escape(value)}")
    if article.authors != derive_authors(article.byline):
        if not article.authors:
            lines.append(mark["author"].rstrip())
        lines += [_person_line(mark["author"], person, labels.words.role_sep) for person in article.authors]
    for key, value in (("dateline", article.dateline), ("from", article.continued_from), ("to", article.continued_to)):
        if value is not None:
            lines.append(f"{mark[key]}{escape(value)}")
    for block in article.body:
        lines.append("")
        if isinstance(block, Heading):
            lines.append(HEADING_MARK + escape(block.text))
        elif isinstance(block, Caption):
            lines.append(mark["caption"] + escape(block.text))
        elif labels is _EN:
            lines.append(escape(block.text, forbidden_prefix=_NOT_A_PARAGRAPH))
        else:
            lines.append(PARAGRAPH_INDENT + escape(block.text))
    if article.editors:
        lines.append("")
        lines += [_person_line(mark["editor"], person, labels.words.role_sep) for person in article.editors]
    return lines


def _person_line(marker: str, person: Person, sep: str) -> str:
    """`【编辑】责任编辑：李华`: the role cannot hold the separator raw, so the first one splits."""
    return f"{marker}{escape(person.role, sep.strip())}{sep}{escape(person.name)}"


def write(issues: Iterable[Issue], out: BinaryIO, options: WriteOptions | None = None) -> None:
    """Write issues as UTF-8 text that people read and `epaper import` reads back, an issue at a time."""
    for number, issue in enumerate(issues):
        out.write((("\n\n" if number else "") + _issue_text(issue) + "\n").encode("utf-8"))


def _first_lines(text: str) -> list[str]:
    """The first two non-blank lines, where this layout names the issue."""
    found: list[str] = []
    for line in text.lstrip("\ufeff").split("\n"):
        line = line.rstrip("\r")
        if found or line.strip():
            found.append(line)
        if len(found) == 2:
            break
    return found


def looks_like(text: str) -> bool:
    """True for this export's layout: an issue heading `<paper> <YYYY-MM-DD>` underlined with `=`."""
    lines = _first_lines(text)
    return len(lines) == 2 and bool(_ISSUE_LINE.match(lines[0])) and bool(_ISSUE_RULE.match(lines[1]))


@dataclass
class _Draft:
    """An article being read: its fields as they arrive, checked when the next one starts."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)
    authors: list[Person] | None = None
    body: list[Block] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)


class _Reader:
    """A line-by-line reader of the layout that `dumps` writes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.issues: list[Issue] = []
        self.page: Page | None = None
        self.draft: _Draft | None = None
        self.english = False
        """Whether the page being read has an English heading (`Page 03`): its paragraphs have no indent."""

    def fail(self, number: int, why: str) -> InputError:
        """An InputError naming the line, so the user can fix the file."""
        return InputError(self.name, f"line {number}: {why}")

    def run(self, text: str) -> list[Issue]:
        """Read the whole text."""
        lines = [line.rstrip("\r") for line in text.lstrip("\ufeff").split("\n")]
        index = 0
        while index < len(lines):
            line, number = lines[index], index + 1
            following = lines[index + 1] if index + 1 < len(lines) else ""
            index += 1
            try:
                if not line.strip():
                    continue
                if _ISSUE_RULE.match(following):
                    self.start_issue(line, number)
                    index += 1
                elif _PAGE_RULE.match(following):
                    self.start_page(line, number)
                    index += 1
                else:
                    self.content(line, number)
            except ValueError as exc:
                raise self.fail(number, str(exc)) from None
        self.finish_article()
        if not self.issues:
            raise InputError(self.name, "no issue heading (`<paper> <YYYY-MM-DD>` underlined with `=`)")
        return self.issues

    def start_issue(self, line: str, number: int) -> None:
        """`衢州日报 2025-08-26`."""
        self.finish_article()
        match = _ISSUE_LINE.match(line)
        if match is None:
            raise self.fail(number, "an issue heading is `<paper> <YYYY-MM-DD>`")
        try:
            date = dt.date.fromisoformat(match.group(2))
        except ValueError:
            raise self.fail(number, f"no such date: {match.group(2)}") from None
        self.issues.append(Issue(paper=unescape(match.group(1)), date=date))
        self.page = None

    def start_page(self, line: str, number: int) -> None:
        """`03版 民生`, `03版`, `Page 03: Business` or `Page 03`."""
        self.finish_article()
        if not self.issues:
            raise self.fail(number, "a page heading before the issue heading")
        self.english = line.startswith("Page ")
        if self.english:
            label, sep, section = line[5:].partition(":")
            if sep and not section.startswith(" "):
                raise self.fail(number, "a page heading is `Page <label>: <section>`")
            page = Page(unescape(label), unescape(section[1:]) if sep else None)
        else:
            label, sep, section = line.partition("版")
            if not sep or (section and not section.startswith(" ")):
                raise self.fail(number, "a page heading is `<label>版 <section>`")
            page = Page(unescape(label), unescape(section[1:]) if section else None)
        self.issues[-1].pages.append(page)
        self.page = page

    def content(self, line: str, number: int) -> None:
        """A line inside an article: a field, a paragraph, a sub-heading, a caption or an editor."""
        if not self.issues:
            raise self.fail(number, "no issue heading (`<paper> <YYYY-MM-DD>` underlined with `=`) before this text")
        if self.page is None:
            raise self.fail(number, "text before any page heading (`03版 民生` underlined with `-`)")
        if line[0].isspace():
            self.block(Text(unescape(line.lstrip())), number)
            return
        if line.startswith(HEADING_MARK):
            self.block(Heading(unescape(line[len(HEADING_MARK) :])), number)
            return
        match = _LINE_LABEL.match(line)
        if match is None and self.english:  # an English paragraph starts at the margin
            self.block(Text(unescape(line)), number)
            return
        if match is None:
            raise self.fail(number, f"not a line of this layout: {line[:40]!r}")
        key = _FIELD_OF[match.group(1) or match.group(2)]
        value = line[match.end() :]
        if key in ("kicker", "title"):
            self.title_field(key, value, number)
        elif key == "caption":
            self.block(Caption(unescape(value)), number)
        else:
            draft = self.titled(number)
            if key in ("author", "editor"):
                self.person(draft, key, value, number, match.group(1) is not None)
            elif key in draft.fields:
                raise self.fail(number, f"a second {key} for one article")
            else:
                draft.fields[key] = unescape(value)

    def title_field(self, key: str, value: str, number: int) -> None:
        """A kicker starts a new article; a title does too, unless it completes a kicker."""
        draft = self.draft
        if draft is None or "title" in draft.fields or (key == "kicker"):
            if draft is not None and "title" not in draft.fields:
                raise self.fail(number, "a kicker with no title after it")
            self.finish_article()
            draft = self.draft = _Draft(number)
        draft.fields[key] = unescape(value)

    def titled(self, number: int) -> _Draft:
        """The current article, which must have its title by now."""
        if self.draft is None or "title" not in self.draft.fields:
            raise self.fail(number, "text before the article's title line")
        return self.draft

    def block(self, block: Block, number: int) -> None:
        """Append a body block to the current article."""
        self.titled(number).body.append(block)

    def person(self, draft: _Draft, key: str, value: str, number: int, zh: bool) -> None:
        """`【作者】记者：毛慧娟` or `[Editor] Editor: Jane Doe`; a bare author marker means "no authors"."""
        if key == "author" and draft.authors is None:
            draft.authors = []
        if not value:
            if key == "author" and not draft.authors:
                return
            raise self.fail(number, f"an empty {key} line")
        sep = (_ZH if zh else _EN).words.role_sep
        role, found, name = value.partition(sep)
        if not found:
            raise self.fail(number, f"a {key} line is `role{sep}name`")
        people = draft.authors if key == "author" else draft.editors
        assert people is not None
        people.append(Person(unescape(role), unescape(name)))

    def finish_article(self) -> None:
        """Turn the draft into an article on the current page."""
        draft, self.draft = self.draft, None
        if draft is None:
            return
        if "title" not in draft.fields:
            raise self.fail(draft.line, "a kicker with no title after it")
        assert self.page is not None
        fields = draft.fields
        byline = fields.get("byline")
        self.page.articles.append(
            Article(
                title=fields["title"],
                kicker=fields.get("kicker"),
                subtitle=fields.get("subtitle"),
                byline=byline,
                authors=derive_authors(byline) if draft.authors is None else draft.authors,
                dateline=fields.get("dateline"),
                body=draft.body,
                editors=draft.editors,
                continued_from=fields.get("from"),
                continued_to=fields.get("to"),
            )
        )


def read(text: str, name: str, options: ReadOptions) -> list[Issue]:
    """Read this export back into issues; `--paper` and `--date` correct what the file says."""
    issues = _Reader(name).run(text)
    for issue in issues:
        if options.paper is not None:
            issue.paper = options.paper
        if options.date is not None:
            issue.date = options.date
        for page, article in issue.articles():
            article.id = article_id(issue.paper, issue.date, page.label, article.title, article.body)
            article.source = Source(sha256="")
    return issues
