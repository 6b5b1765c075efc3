"""Half-width → full-width punctuation: the quick pass gives exactly what the first, mark-by-mark version gave,
line by line or a capture's lines at once.

`_reference` is that first version, kept here as the definition the quick one is checked against, on the
examples of test_capture.py and on generated text mixing Chinese, Latin, digits, quotes, brackets and URLs.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from epaper_cli.formats.han import is_ideograph
from epaper_cli.formats.punctuation import fullwidth_lines, fullwidth_punctuation
from epaper_cli.formats.spacing import has_cjk
from tests.helpers import SAMPLES

_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[!-~]*[A-Za-z0-9/#=&_%~+-]")
_QUOTES = frozenset("“”‘’\"'")
_MARKS = re.compile(r"[,;:()!?]")
_FULLWIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


def _is_chinese(ch: str) -> bool:
    return is_ideograph(ch) or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff60"


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] in _QUOTES:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _reference(text: str) -> str:
    """Every mark looked at in turn: the definition."""
    if _MARKS.search(text) is None or not has_cjk(text):
        return text
    urls = [match.span() for match in _URL.finditer(text)]
    positions = [m.start() for m in _MARKS.finditer(text) if not any(s <= m.start() < e for s, e in urls)]
    convert = {i for i in positions if _is_chinese(_neighbour(text, i, -1)) or _is_chinese(_neighbour(text, i, 1))}
    pairs: set[int] = set()
    stack: list[int] = []
    for i in positions:
        if text[i] == "(":
            stack.append(i)
        elif text[i] == ")" and stack:
            opening = stack.pop()
            if opening in convert or i in convert:
                pairs.update((opening, i))
    chars = list(text)
    for i in convert | pairs:
        chars[i] = _FULLWIDTH[chars[i]]
    return "".join(chars)


_PIECES = st.sampled_from(
    [*"中文报道记者年月日", "\U00020001", "\u3001", "\u3002", "\uff08", "\uff0c", *"abcXYZ019 %.-/",
     *",;:()!?", *"“”‘’\"'", "http://", "https://a.cn/", "www.", "ftp://x/", "\n", "\u00a0"]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_TEXTS)
@example("中,,中")
@example("中,;x 中")
@example("“中”,'x'")
@example("(ABC Ltd)是中(国)")
@example("见http://a.cn/x(1),中文")
@example("中(a(b)c)d")
def test_quick_pass_gives_what_the_reference_gives(text: str) -> None:
    assert fullwidth_punctuation(text) == _reference(text)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_TEXTS, max_size=6))
@example(["中(abc", "def)x"])
@example(["a，,b", "中,文"])
@example(["中,”", "“,中"])
def test_lines_at_once_give_what_each_line_alone_gives(lines: list[str]) -> None:
    assert fullwidth_lines(lines) == [_reference(line) for line in lines]


def test_every_paragraph_of_the_samples_comes_out_the_same() -> None:
    lines = [
        line
        for path in sorted(SAMPLES.glob("*.txt"))
        for line in path.read_bytes().decode("utf-8", "replace").splitlines()
    ]
    assert lines
    changed = 0
    for line in lines:
        assert fullwidth_punctuation(line) == _reference(line)
        changed += fullwidth_punctuation(line) != line
    assert changed  # the samples do exercise the conversion
    assert fullwidth_lines(lines) == [_reference(line) for line in lines]
