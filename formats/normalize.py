"""Normalisation shared by the capture reader: spaces, punctuation, dates, page labels, bylines and credits."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from epaper_cli.formats.han import has_ideograph, is_ideograph
from epaper_cli.model import Person

# Layout spaces become ASCII spaces; zero-width characters and stray BOMs vanish.
_SPACES: dict[int, str | None] = dict.fromkeys(map(ord, "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004"), " ")
_SPACES.update(dict.fromkeys(map(ord, "\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\v\f"), " "))
_SPACES.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None))
_RUNS_OF_SPACE = re.compile(r" {2,}")

NON_ASCII_LETTER = r"[^\W\d_A-Za-z]"
"""In a pattern, a letter outside ASCII: in a Chinese capture, a Chinese character (a range of ideographs would
be slow to compile, see `formats.han`)."""
# A URL ends on a character a URL can end with, so a comma or bracket after it is still punctuation.
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[!-~]*[A-Za-z0-9/#=&_%~+-]")
_QUOTES = frozenset("“”‘’\"'")
_ASCII_PUNCTUATION = re.compile(r"[,;:()!?]")
_FULLWIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


_SPACE_CHARS = re.compile("[" + "".join(chr(c) for c, v in _SPACES.items() if v is not None) + "]")
_INVISIBLE_CHARS = re.compile("[" + "".join(chr(c) for c, v in _SPACES.items() if v is None) + "]")


def clean_line(line: str) -> str:
    """Make layout spaces plain and drop invisible characters, so labels and names compare equal."""
    return _plain_spaces(line).strip()


def clean_lines(text: str) -> list[str]:
    """`clean_line` for every line of a text, done over the whole text at once (this runs on every capture)."""
    return [line.strip() for line in _plain_spaces(text).split("\n")]


def _plain_spaces(text: str) -> str:
    # Regex scans beat str.translate with a dict here, and most text has nothing to change.
    if _SPACE_CHARS.search(text):
        text = _SPACE_CHARS.sub(" ", text)
    if _INVISIBLE_CHARS.search(text):
        text = _INVISIBLE_CHARS.sub("", text)
    if "  " in text:
        text = _RUNS_OF_SPACE.sub(" ", text)
    return text


def has_cjk(text: str) -> bool:
    """Tell Chinese text from Latin text: only Chinese gets full-width punctuation and space-free names."""
    return has_ideograph(text)


def _is_chinese(ch: str) -> bool:
    """A character that makes neighbouring ASCII punctuation Chinese: an ideograph or CJK/full-width punctuation."""
    return is_ideograph(ch) or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff60"


def _neighbour(text: str, index: int, step: int) -> str:
    """The character next to `index`, looking through quote marks that both languages share."""
    index += step
    while 0 <= index < len(text) and text[index] in _QUOTES:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def fullwidth_punctuation(text: str) -> str:
    """Give Chinese sentences full-width `，；：（）！？` while numbers, times, Latin text and URLs keep theirs."""
    if _ASCII_PUNCTUATION.search(text) is None or not has_cjk(text):
        return text
    urls = [match.span() for match in _URL.finditer(text)]
    positions = [
        match.start()
        for match in _ASCII_PUNCTUATION.finditer(text)
        if not any(start <= match.start() < end for start, end in urls)
    ]
    convert = {i for i in positions if _is_chinese(_neighbour(text, i, -1)) or _is_chinese(_neighbour(text, i, 1))}
    convert |= _paired_brackets(text, positions, convert)
    chars = list(text)
    for i in convert:
        chars[i] = _FULLWIDTH[chars[i]]
    return "".join(chars)


def _paired_brackets(text: str, positions: list[int], convert: set[int]) -> set[int]:
    """Convert both brackets of a pair when either one is, so `（ABC Ltd)` never happens."""
    pairs: set[int] = set()
    stack: list[int] = []
    for i in positions:
        if text[i] == "(":
            stack.append(i)
        elif text[i] == ")" and stack:
            opening = stack.pop()
            if opening in convert or i in convert:
                pairs.update((opening, i))
    return pairs


# --- dates -------------------------------------------------------------------------------------------------

_FULL_DATE = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})(?![0-9])\s*日?")
_MONTH_DAY = re.compile(r"([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})(?![0-9])\s*日?")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?![0-9])")
_READ_DATE = re.compile(
    r"^[0-9]{4}\s*[-/.年]\s*[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2}\s*日?"
    r"(?:\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?(?:\s*(?:星期|周)[一二三四五六日天])?$"
)
_WEEKDAY = re.compile(
    r"^(?:(?:星期|周|礼拜)[一二三四五六日天七]|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?$",
    re.IGNORECASE,
)


def label_form(text: str) -> str:
    """Fold full-width digits and letters (２０２５, Ａ０３) so labels and dates parse like ASCII."""
    return clean_line(unicodedata.normalize("NFKC", text))


def is_read_date(line: str) -> bool:
    """The header's read-date line: a full date alone, perhaps with a time or weekday."""
    return _READ_DATE.match(label_form(line)) is not None


def is_weekday(line: str) -> bool:
    """The header's weekday line (UI noise)."""
    return _WEEKDAY.match(label_form(line)) is not None


def full_date(text: str) -> dt.date | None:
    """A date written with its year; None when there is no year or it is not a real day."""
    folded = label_form(text)
    match = _FULL_DATE.match(folded) or _COMPACT_DATE.match(folded)
    if match is None:
        return None
    return make_date(int(match[1]), int(match[2]), int(match[3]))


def month_day(text: str) -> tuple[int, int] | None:
    """A month-day without a year, as the 日期 line usually gives it."""
    match = _MONTH_DAY.match(label_form(text))
    return (int(match[1]), int(match[2])) if match else None


def has_year(text: str) -> bool:
    """Whether a date value carries its own year (then no inference happens)."""
    folded = label_form(text)
    return _FULL_DATE.match(folded) is not None or _COMPACT_DATE.match(folded) is not None


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A date, or None when the numbers make no real day (02-30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def infer_year(read_on: dt.date, month: int, day: int) -> dt.date | None:
    """The date with that month-day nearest to the read date, never more than two days after it."""
    best: dt.date | None = None
    for year in range(read_on.year - 8, read_on.year + 2):
        candidate = make_date(year, month, day)
        if candidate is None or (candidate - read_on).days > 2:
            continue
        if best is None or abs((candidate - read_on).days) < abs((best - read_on).days):
            best = candidate
    return best


# --- page labels ---------------------------------------------------------------------------------------------

_PAGE = re.compile(
    r"^[(\[【〔]?\s*第?\s*([A-Z]{0,3})\s*([0-9]{1,3}(?![0-9])|[一二三四五六七八九十]{1,3})\s*版?\s*[)\]】〕]?"
    r"\s*(?:[:：·|/\-—]\s*|\s+)?(.*)$",
    re.IGNORECASE,
)
_PAGE_LINKS = re.compile(r"上一[篇版页]|下一[篇版页]|[<>《》]{1,2}")
_SECTION_BRACKETS = re.compile(r"^[(\[【〔（](.*)[)\]】〕）]$")
_CHINESE_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")}


def page_label(value: str) -> tuple[str, str | None] | None:
    """Read `03版:民生`, `第A03版`, `（GA01）` … into the label ('03', 'A03', 'GA01') and the section name."""
    folded = _PAGE_LINKS.sub(" ", label_form(value)).strip()
    match = _PAGE.match(folded)
    if match is None:
        return None
    letters, digits, rest = match.groups()
    number = int(digits) if digits.isdigit() else _chinese_number(digits)
    if number is None:
        return None
    label = f"{letters.upper()}{number:02d}"
    return label, section_name(rest)


def _chinese_number(text: str) -> int | None:
    """Read 三, 十二, 二十 as page numbers: some papers spell 第三版."""
    if text == "十":
        return 10
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    high = 1 if tens == "" else _CHINESE_DIGITS.get(tens)
    low = 0 if ones == "" else _CHINESE_DIGITS.get(ones)
    return None if high is None or low is None or len(tens) > 1 or len(ones) > 1 else high * 10 + low


def section_name(text: str) -> str | None:
    """A section name without the layout spaces Chinese pages put in it (要 闻 → 要闻)."""
    text = clean_line(text).strip(":：·|/-— ")
    match = _SECTION_BRACKETS.match(text)
    if match:
        text = match[1].strip()
    if has_cjk(text):
        text = text.replace(" ", "")
    return text or None


# --- bylines and credits -------------------------------------------------------------------------------------

_ORG = rf"(?:本报|本刊|新华社|中新社|人民日报|央视|{NON_ASCII_LETTER}{{2,6}}?(?:日报|晚报|早报|商报|报社|社|台|网))?"
_CORE_ROLES = (
    "全媒体记者|融媒体记者|融媒记者|特约撰稿人|特约通讯员|特约记者|见习记者|首席记者|实习记者|摄影记者|"
    "通讯员|实习生|撰稿人|评论员|记者|撰稿|摄影|编译|整理|口述|报道|供图|文/图|图/文|文图|图文"
)
_ROLE = re.compile(rf"{_ORG}(?:{_CORE_ROLES})")
_LEADING_ROLE = re.compile(r"(?:文|图|摄)(?=[/:：]|$)")
_SUFFIX_ROLES = frozenset({"摄", "摄影", "报道", "供图", "文/图", "图/文", "文图", "图文", "整理"})
_BYLINE_SEPARATORS = re.compile(r"[\s、，,；;：:]+")
_BULLETS = "■□◆◇●○◎★☆▲△▼▽►▶•·*-— "
_WRAPPERS = re.compile(r"^[（(【\[〔](.*)[）)】\]〕]$")
_ENGLISH_BYLINE = re.compile(r"^by\s+(.+)$", re.IGNORECASE)
_ENGLISH_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_ENGLISH_TAIL = re.compile(r"\s+(?:in|for|from)\s+[A-Z].*$")
_ENGLISH_NAME = re.compile(r"^[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3}$")
_BYLINE_MAX = 60
# Words that follow 记者 in headings and sentences (记者手记, 记者获悉) and are never names.
_NOT_NAMES = frozenset(
    {"手记", "观察", "调查", "获悉", "了解", "发现", "走访", "探访", "体验", "日记", "笔记", "札记"}
    | {"视角", "连线", "直击", "来信", "专访", "感言", "随笔", "评论", "现场", "在线"}
)

_EDITOR_ROLE = re.compile(
    r"(?:本版|本期)?(?:责任编辑|值班编辑|见习编辑|美术编辑|责编|编辑|美编|校对|审校|审读|审核|版式|组版|排版|制图|"
    r"签发|终审|一审|二审|三审|初审|复审|主编|统筹|策划|监制|视觉|设计)|(?:copy )?editors?|edited by",
    re.IGNORECASE,
)
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
    people = _assign_roles(_byline_tokens(text))
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
    """Cut one space-free word into roles and names (记者毛慧娟, 周牧摄, 文/图)."""
    tokens: list[tuple[str, str]] = []
    leading = _ROLE.match(word) or _LEADING_ROLE.match(word)
    if leading:
        tokens.append(("role", leading[0]))
        word = word[leading.end() :].lstrip("/:：")
    start = 0
    position = 0
    while position < len(word):
        role = _ROLE.match(word, position)
        if role is None or role.end() == position:
            position += 1
            continue
        if position > start:
            tokens.extend(_name_tokens(word[start:position]))
        tokens.append(("role", role[0]))
        position = start = role.end()
    if start < len(word):
        tokens.extend(_name_tokens(word[start:]))
    return tokens


def _name_tokens(word: str) -> list[tuple[str, str]]:
    """A name, splitting off a glued photo credit (周牧摄 → 周牧, 摄)."""
    word = word.strip("/:：")
    if not word:
        return []
    if len(word) > 2 and word[-1] == "摄" and all(ch == "·" or "\u4e00" <= ch <= "\u9fff" for ch in word[-3:-1]):
        return [("name", word[:-1]), ("role", "摄")]
    return [("role", word)] if word == "摄" else [("name", word)]


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
            if pending and text in _SUFFIX_ROLES:
                people.extend(Person(text, name) for name in pending)
                pending, current = [], None
            else:
                current = text
        elif not _is_chinese_name(text) or text in _NOT_NAMES:
            return None
        elif current is None:
            pending.append(text)
        else:
            people.append(Person(current, text))
    return people if people and not pending else None


def _is_chinese_name(text: str) -> bool:
    """Two to four Chinese characters, or a transliterated name: two to four parts joined by · or •."""
    parts = text.replace("•", "·").split("·")
    sizes = (2, 4) if len(parts) == 1 else (1, 8)
    return len(parts) <= 4 and all(
        sizes[0] <= len(part) <= sizes[1] and all("\u3400" <= ch <= "\u9fff" for ch in part) for part in parts
    )


def parse_editors(line: str) -> list[Person] | None:
    """Read an editor line (责任编辑：李华, 责编：X 校对：Y); None unless the whole line is such credits."""
    if len(line) > _BYLINE_MAX * 2:
        return None
    text = unwrap(clean_line(line))
    if len(text) > _BYLINE_MAX:
        return None
    roles = list(_EDITOR_ROLE.finditer(text))
    if not roles or roles[0].start() != 0:
        return None
    people: list[Person] = []
    for role, following in zip(roles, [*roles[1:], None], strict=True):
        end = following.start() if following else len(text)
        names = text[role.end() : end]
        if not names.startswith((":", "：")) and not names.startswith(" ") and names:
            return None
        splitter = _EDITOR_SEPARATORS if has_cjk(names) else _ENGLISH_SPLIT
        tokens = _join_split_names([("name", n) for n in splitter.split(names.lstrip(":： ").strip()) if n])
        if not all(_is_chinese_name(n) or _ENGLISH_NAME.match(n) for _kind, n in tokens):
            return None
        people.extend(Person(role[0], n) for _kind, n in tokens)
    return people
