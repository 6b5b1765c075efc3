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

    (two U+3000) paragraph

    ## sub-heading

    【图】picture caption

    【编辑】责任编辑：李华

A value that could not survive the trip as it stands (empty, leading or trailing space, control or format
characters, text that Unicode normalisation would change, a separator of its line) is written after a
backslash with backslash escapes (\\n, \\t, \\r, \\\\, \\uXXXX, \\UXXXXXXXX). `【作者】role：name` lines appear only
when the byline alone does not give the article's authors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from epaper_cli.errors import InputError
from epaper_cli.formats.language import issue_texts, language_of
from epaper_cli.model import Article, Block, Caption, Heading, Issue, Page, Person, Source, Text, article_id

if TYPE_CHECKING:
    from epaper_cli.formats import ReadOptions


@dataclass
class _Labels:
    """The line markers of one language."""

    field: dict[str, str]
    role_sep: str


_FIELDS = ("kicker", "title", "subtitle", "byline", "author", "dateline", "from", "to", "caption", "editor")
_ZH_NAMES = ("引题", "标题", "副题", "署名", "作者", "电头", "上接", "下转", "图", "编辑")
_EN_NAMES = (
    "Kicker", "Title", "Subtitle", "Byline", "Author", "Dateline", "Continued from", "Continued on", "Caption", "Editor"
)  # fmt: skip
_ZH = _Labels({key: f"【{name}】" for key, name in zip(_FIELDS, _ZH_NAMES, strict=True)}, "：")
_EN = _Labels({key: f"[{name}] " for key, name in zip(_FIELDS, _EN_NAMES, strict=True)}, ": ")
_LINE_LABEL = re.compile(rf"^(?:【({'|'.join(_ZH_NAMES)})】|\[({'|'.join(_EN_NAMES)})\](?= |$) ?)")
_FIELD_OF = {marker.strip("【】[] "): key for labels in (_ZH, _EN) for key, marker in labels.field.items()}

PARAGRAPH_INDENT = "\u3000\u3000"
HEADING_MARK = "## "
_ISSUE_LINE = re.compile(r"^(.*) (\d{4}-\d{2}-\d{2})$")
_ISSUE_RULE = re.compile(r"^={3,}$")
_PAGE_RULE = re.compile(r"^-{3,}$")

# Characters that never appear raw in a value: controls, format characters (but ZWNJ/ZWJ), line and
# paragraph separators, surrogates, U+FFFD (the decoder counts it as damage).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\ufffd"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_SUSPECT = re.compile(_UNSAFE.pattern.partition("\U000110bd")[0] + "\U00010000-\U0010ffff]")
"""A first look for `_UNSAFE`, twice as quick: its BMP characters and all beyond (tested one by one in it)."""
_SIMPLE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_ESCAPE = re.compile(r"\\(?:([\\ntr])|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")
_UNESCAPE = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r"}


def _enc(value: str, reserved: str = "", forbidden_prefix: str = "") -> str:
    """Write a value raw when it reads back unchanged, else after a backslash with escapes."""
    if not (
        value == ""
        or value[0] == "\\"
        or value[0].isspace()
        or value[-1].isspace()
        or unicodedata.category(value[0])[0] == "M"
        or (forbidden_prefix and value.startswith(forbidden_prefix))
        or (_SUSPECT.search(value) and _UNSAFE.search(value))
        or (reserved and any(ch in value for ch in reserved))
        or not unicodedata.is_normalized("NFC", value)
    ):
        return value
    all_non_ascii = not unicodedata.is_normalized("NFC", value)
    last = len(value) - 1
    out = ["\\"]
    for i, ch in enumerate(value):
        if ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        elif (
            (all_non_ascii and ord(ch) > 0x7E)
            or ((i == 0 or i == last) and ch.isspace())
            or ch in reserved
            or _UNSAFE.match(ch)
            or unicodedata.category(ch)[0] == "M"
        ):
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def _dec(value: str) -> str:
    """Undo `_enc`; a malformed escape is a ValueError the reader turns into an InputError."""
    if not value.startswith("\\"):
        return value
    out: list[str] = []
    pos = 1
    while True:
        nxt = value.find("\\", pos)
        if nxt < 0:
            out.append(value[pos:])
            return "".join(out)
        out.append(value[pos:nxt])
        match = _ESCAPE.match(value, nxt)
        if match is None:
            raise ValueError(f"bad escape {value[nxt : nxt + 2]!r}")
        simple, short, long = match.groups()
        if simple:
            out.append(_UNESCAPE[simple])
        else:
            code = int(short or long, 16)
            if code > 0x10FFFF:
                raise ValueError(f"bad escape {match.group(0)!r}")
            out.append(chr(code))
        pos = match.end()


_ROLES = frozenset(
    {
        *("本报记者", "记者", "本报通讯员", "通讯员", "特约通讯员", "实习生", "本报实习生", "特约记者", "见习记者"),
        *("摄影", "摄", "文", "图", "文/图", "图/文", "文／图", "图／文", "撰文", "编译", "整理"),
    }
)


def derive_authors(byline: str | None) -> list[Person]:
    """Read authors off a plain byline (`记者 毛慧娟 通讯员 徐晓莹 姜丰`); [] when it is not that simple."""
    role: str | None = None
    people: list[Person] = []
    for token in (byline or "").split():
        if token in _ROLES:
            role = token
        elif role is None:
            return []
        else:
            people.append(Person(role, token))
    return people


def _width(text: str) -> int:
    """Columns a terminal gives the text, so underlines match their heading."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def dumps(issues: Sequence[Issue]) -> str:
    """Lay out issues as text; `write` encodes it."""
    lines: list[str] = []
    for issue in issues:
        zh = language_of(issue_texts(issue)).startswith("zh")
        labels = _ZH if zh else _EN
        if lines:
            lines += ["", ""]
        heading = f"{_enc(issue.paper)} {issue.date.isoformat()}"
        lines += [heading, "=" * max(3, _width(heading))]
        for page in issue.pages:
            if zh:
                heading = _enc(page.label, "版", "Page ") + "版"
                if page.section is not None:
                    heading += " " + _enc(page.section)
            else:
                heading = "Page " + _enc(page.label, ":")
                if page.section is not None:
                    heading += ": " + _enc(page.section)
            lines += ["", "", heading, "-" * max(3, _width(heading))]
            for number, article in enumerate(page.articles):
                lines += ["", ""] if number else [""]
                lines += _article_lines(article, labels)
    return "\n".join(lines) + "\n"


def _article_lines(article: Article, labels: _Labels) -> list[str]:
    """One article: its heading fields, then its body blocks, then its editors."""
    mark = labels.field
    lines = [f"{mark['kicker']}{_enc(article.kicker)}"] if article.kicker is not None else []
    lines.append(f"{mark['title']}{_enc(article.title)}")
    for key, value in (("subtitle", article.subtitle), ("byline", article.byline)):
        if value is not None:
            lines.append(f"{mark[key]}{_enc(value)}")
    if article.authors != derive_authors(article.byline):
        if not article.authors:
            lines.append(mark["author"].rstrip())
        lines += [_person_line(mark["author"], person, labels.role_sep) for person in article.authors]
    for key, value in (("dateline", article.dateline), ("from", article.continued_from), ("to", article.continued_to)):
        if value is not None:
            lines.append(f"{mark[key]}{_enc(value)}")
    for block in article.body:
        lines.append("")
        if isinstance(block, Heading):
            lines.append(HEADING_MARK + _enc(block.text))
        elif isinstance(block, Caption):
            lines.append(mark["caption"] + _enc(block.text))
        else:
            lines.append(PARAGRAPH_INDENT + _enc(block.text))
    if article.editors:
        lines.append("")
        lines += [_person_line(mark["editor"], person, labels.role_sep) for person in article.editors]
    return lines


def _person_line(marker: str, person: Person, sep: str) -> str:
    """`【编辑】责任编辑：李华`: the role cannot hold the separator raw, so the first one splits."""
    return f"{marker}{_enc(person.role, sep.strip())}{sep}{_enc(person.name)}"


def write(issues: Sequence[Issue], out: BinaryIO) -> None:
    """Write issues as UTF-8 text that people read and `epaper import` reads back."""
    out.write(dumps(issues).encode("utf-8"))


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
        self.issues.append(Issue(paper=_dec(match.group(1)), date=date))
        self.page = None

    def start_page(self, line: str, number: int) -> None:
        """`03版 民生`, `03版`, `Page 03: Business` or `Page 03`."""
        self.finish_article()
        if not self.issues:
            raise self.fail(number, "a page heading before the issue heading")
        if line.startswith("Page "):
            label, sep, section = line[5:].partition(":")
            if sep and not section.startswith(" "):
                raise self.fail(number, "a page heading is `Page <label>: <section>`")
            page = Page(_dec(label), _dec(section[1:]) if sep else None)
        else:
            label, sep, section = line.partition("版")
            if not sep or (section and not section.startswith(" ")):
                raise self.fail(number, "a page heading is `<label>版 <section>`")
            page = Page(_dec(label), _dec(section[1:]) if section else None)
        self.issues[-1].pages.append(page)
        self.page = page

    def content(self, line: str, number: int) -> None:
        """A line inside an article: a field, a paragraph, a sub-heading, a caption or an editor."""
        if not self.issues:
            raise self.fail(number, "no issue heading (`<paper> <YYYY-MM-DD>` underlined with `=`) before this text")
        if self.page is None:
            raise self.fail(number, "text before any page heading (`03版 民生` underlined with `-`)")
        if line[0].isspace():
            self.block(Text(_dec(line.lstrip())), number)
            return
        if line.startswith(HEADING_MARK):
            self.block(Heading(_dec(line[len(HEADING_MARK) :])), number)
            return
        match = _LINE_LABEL.match(line)
        if match is None:
            raise self.fail(number, f"not a line of this layout: {line[:40]!r}")
        key = _FIELD_OF[match.group(1) or match.group(2)]
        value = line[match.end() :]
        if key in ("kicker", "title"):
            self.title_field(key, value, number)
        elif key == "caption":
            self.block(Caption(_dec(value)), number)
        else:
            draft = self.titled(number)
            if key in ("author", "editor"):
                self.person(draft, key, value, number, match.group(1) is not None)
            elif key in draft.fields:
                raise self.fail(number, f"a second {key} for one article")
            else:
                draft.fields[key] = _dec(value)

    def title_field(self, key: str, value: str, number: int) -> None:
        """A kicker starts a new article; a title does too, unless it completes a kicker."""
        draft = self.draft
        if draft is None or "title" in draft.fields or (key == "kicker"):
            if draft is not None and "title" not in draft.fields:
                raise self.fail(number, "a kicker with no title after it")
            self.finish_article()
            draft = self.draft = _Draft(number)
        draft.fields[key] = _dec(value)

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
        sep = (_ZH if zh else _EN).role_sep
        role, found, name = value.partition(sep)
        if not found:
            raise self.fail(number, f"a {key} line is `role{sep}name`")
        people = draft.authors if key == "author" else draft.editors
        assert people is not None
        people.append(Person(_dec(role), _dec(name)))

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
