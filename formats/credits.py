"""Credits: bylines (记者 X 通讯员 Y, By Jane Doe) and editor lines (责任编辑：X 校对：Y) read into people."""

from __future__ import annotations

import re

from epaper_cli.formats.han import NON_ASCII_LETTER, simplified
from epaper_cli.formats.spacing import clean_line, has_cjk
from epaper_cli.model import Person

# Patterns name each word in its simplified form: lines are matched through `han.simplified`, one character for
# one, so 記者 and 责任編輯 match too and what is kept is sliced from the line as written.
_ORG = (
    r"(?:本报|本刊|新华社|中新社|人民日报|央视|"
    rf"{NON_ASCII_LETTER}(?:{NON_ASCII_LETTER}|[·・]){{1,12}}?(?:日报|晚报|早报|商报|报社|报|社|台|网|客户端))?"
)
"""The organisation before a role word (本报记者, 新华社记者), or several joined by · (中青报·中青网记者)."""
_CORE_ROLES = (
    "全媒体记者|融媒体记者|融媒记者|特约撰稿人|特约通讯员|特约评论员|特约记者|见习记者|首席记者|实习记者|摄影记者|"
    "通讯员|实习生|撰稿人|评论员|记者|撰稿|摄影|编译|整理|口述|报道|报导|供图|文/图|图/文|文图|图文"
)
_ROLE = re.compile(rf"{_ORG}(?:{_CORE_ROLES})")
_LEADING_ROLE = re.compile(r"(?:文|图|摄)(?=/|:|：|$)")
_SUFFIX_ROLES = frozenset({"摄", "摄影", "报道", "报导", "供图", "文/图", "图/文", "文图", "图文", "整理"})
_COMMENTATOR = rf"^{_ORG}(?:特约)?评论员$"
"""A byline that is a role alone, the paper speaking (本报评论员): the role names the author."""
_MARKS = "■□◆◇●○◎★☆"
"""Marks set before an author's name with no role word (□ 张晓岚)."""
_BYLINE_SEPARATORS = re.compile(r"[\s、，,；;：:]+")
_BULLETS = "■□◆◇●○◎★☆▲△▼▽►▶•·*-— "
_WRAPPERS = re.compile(r"^[（(【\[〔](.*)[）)】\]〕]$")
_ENGLISH_BYLINE = re.compile(r"^by\s+(.+)$", re.IGNORECASE)
_ENGLISH_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_ENGLISH_TAIL = re.compile(r"\s+(?:in|for|from)\s+[A-Z].*$")
_ENGLISH_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'.-]*(?: [A-ZÀ-ÖØ-Þ][\w'.-]*){0,3}$")
_BYLINE_MAX = 60
# Words that follow 记者 in headings and sentences (记者手记, 记者获悉) and are never names.
_NOT_NAMES = frozenset(
    {"手记", "观察", "调查", "获悉", "了解", "发现", "走访", "探访", "体验", "日记", "笔记", "札记"}
    | {"视角", "连线", "直击", "来信", "专访", "感言", "随笔", "评论", "现场", "在线"}
)

_EDITOR_ROLE = re.compile(
    r"(?:本版|本期)?(?:责任编辑|值班编辑|见习编辑|美术编辑|图片编辑|版面设计|版面编辑|美术设计|责编|编辑|美编|校对|"
    r"审校|审读|审核|版式|组版|排版|制图|签发|终审|一审|二审|三审|初审|复审|主编|统筹|策划|监制|视觉|设计)|"
    r"(?i:(?:copy )?editors?|edited by)"
)
_EDITOR_FIRST = frozenset("本责值见美图版编校审组排制签终一二三初复主统策监视设責見圖編審組製簽終統監視設復CcEe")
"""The first characters of the editor roles, in both forms, and of `Editor`, `copy editor`, `edited by`."""
_OPENERS = "■□◆◇●○◎★☆▲△▼▽►▶•·*-— \t\u3000\u00a0\u200b\ufeff（(【[〔"
_EDITOR_SEPARATORS = re.compile(r"[\s、，,；;]+")


def unwrap(text: str) -> str:
    """Drop bullets and one pair of enclosing brackets that papers put around credits (■ 记者 X, （记者 X）)."""
    text = text.lstrip(_BULLETS).strip()
    match = _WRAPPERS.match(text)
    return match[1].strip() if match else text


def parse_byline(line: str) -> tuple[str, list[Person]] | None:
    """Read a byline into its text and people; None unless the line is only role words and short names."""
    if len(line) > _BYLINE_MAX * 2:
        return None
    text = unwrap(clean_line(line))
    if not text or len(text) > _BYLINE_MAX or any(ch in text for ch in "。！？!?…"):
        return None
    english = _ENGLISH_BYLINE.match(text)
    if english and not has_cjk(text):
        return _english_byline(text, english[1])
    if text.endswith(("评论员", "評論員")) and re.match(_COMMENTATOR, simplified(text)):
        return text, [Person(text[-3:], text)]
    tokens = _byline_tokens(text)
    people = _assign_roles(tokens)
    if people is None and line.lstrip()[:1] in _MARKS and all(kind == "name" for kind, _name in tokens):
        people = _assign_roles([("role", "作者"), *tokens])
    if people is None:
        return None
    words = _join_split_names([("name", word) for word in text.split()])
    return " ".join(word for _kind, word in words), people


def _english_byline(text: str, names: str) -> tuple[str, list[Person]] | None:
    """Read `By Jane Doe and John Smith in Beijing`."""
    parts = [part for part in _ENGLISH_SPLIT.split(_ENGLISH_TAIL.sub("", names)) if part]
    if not parts or not all(_ENGLISH_NAME.match(part) for part in parts):
        return None
    return text, [Person("By", part) for part in parts]


def _byline_tokens(text: str) -> list[tuple[str, str]]:
    """Split a Chinese byline into ('role', …) and ('name', …) tokens, rejoining names split by a layout space."""
    tokens: list[tuple[str, str]] = []
    for word in _BYLINE_SEPARATORS.split(text):
        if word:
            tokens.extend(_word_tokens(word))
    return _join_split_names(tokens)


def _word_tokens(word: str) -> list[tuple[str, str]]:
    """Cut one space-free word into roles and names (记者毛慧娟, 周牧摄, 文/图), roles as the word writes them."""
    tokens: list[tuple[str, str]] = []
    folded = simplified(word)
    leading = _ROLE.match(folded) or _LEADING_ROLE.match(folded)
    if leading:
        tokens.append(("role", word[: leading.end()]))
        after = folded[leading.end() :]
        skip = leading.end() + len(after) - len(after.lstrip("/:："))
        word, folded = word[skip:], folded[skip:]
    start = 0
    # The next role word from `start` on: one search, the first position a role matches at.
    while (role := _ROLE.search(folded, start)) is not None:
        if role.start() > start:
            tokens.extend(_name_tokens(word[start : role.start()]))
        tokens.append(("role", word[role.start() : role.end()]))
        start = role.end()
    if start < len(word):
        tokens.extend(_name_tokens(word[start:]))
    return tokens


def _name_tokens(word: str) -> list[tuple[str, str]]:
    """A name, splitting off a glued photo credit (周牧摄 → 周牧, 摄)."""
    word = word.strip("/:：")
    if not word:
        return []
    if len(word) > 2 and word[-1] in "摄攝" and all(ch == "·" or "\u4e00" <= ch <= "\u9fff" for ch in word[-3:-1]):
        return [("name", word[:-1]), ("role", "摄")]
    return [("role", word)] if word in ("摄", "攝") else [("name", word)]


def _join_split_names(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rejoin a two-character name that the layout split with a space (曾  强 → 曾强)."""
    joined: list[tuple[str, str]] = []
    for kind, text in tokens:
        previous = joined[-1] if joined else None
        if (
            kind == "name"
            and len(text) == 1
            and previous is not None
            and previous[0] == "name"
            and len(previous[1]) == 1
            and has_cjk(text + previous[1])
        ):
            joined[-1] = ("name", previous[1] + text)
        else:
            joined.append((kind, text))
    return joined


def _assign_roles(tokens: list[tuple[str, str]]) -> list[Person] | None:
    """A role word applies to every name after it; a trailing 摄/报道 applies to the names before it."""
    people: list[Person] = []
    pending: list[str] = []
    current: str | None = None
    for kind, text in tokens:
        if kind == "role":
            if pending and simplified(text) in _SUFFIX_ROLES:
                people.extend(Person(text, name) for name in pending)
                pending, current = [], None
            else:
                current = text
        elif not is_chinese_name(text) or text in _NOT_NAMES:
            return None
        elif current is None:
            pending.append(text)
        else:
            people.append(Person(current, text))
    return people if people and not pending else None


def is_chinese_name(text: str) -> bool:
    """Two to four Chinese characters, or a transliterated name: two to four parts joined by · or •."""
    parts = text.replace("•", "·").split("·")
    sizes = (2, 4) if len(parts) == 1 else (1, 8)
    return len(parts) <= 4 and all(
        sizes[0] <= len(part) <= sizes[1] and all("\u3400" <= ch <= "\u9fff" for ch in part) for part in parts
    )


def parse_editors(line: str) -> list[Person] | None:
    """Read an editor line (责任编辑：李华, 责编：X 校对：Y); None unless the whole line is such credits."""
    if len(line) > _BYLINE_MAX * 2 or line.lstrip(_OPENERS)[:1] not in _EDITOR_FIRST:
        return None  # most lines are paragraphs: their first character turns them away
    text = unwrap(clean_line(line))
    if len(text) > _BYLINE_MAX:
        return None
    folded = simplified(text)
    if _EDITOR_ROLE.match(folded) is None:
        return None
    roles = list(_EDITOR_ROLE.finditer(folded))
    people: list[Person] = []
    for role, following in zip(roles, [*roles[1:], None], strict=True):
        end = following.start() if following else len(text)
        names = text[role.end() : end]
        if not names.startswith((":", "：")) and not names.startswith(" ") and names:
            return None
        splitter = _EDITOR_SEPARATORS if has_cjk(names) else _ENGLISH_SPLIT
        tokens = _join_split_names([("name", n) for n in splitter.split(names.lstrip(":： ").strip()) if n])
        if not all(is_chinese_name(n) or _ENGLISH_NAME.match(n) for _kind, n in tokens):
            return None
        people.extend(Person(text[role.start() : role.end()], n) for _kind, n in tokens)
    return people
