"""How the plain-text format writes a value that could not survive the trip as it stands (empty, leading or
trailing space, control or format characters, text that Unicode normalisation would change, a separator of
its line): after a backslash, with backslash escapes (\\n, \\t, \\r, \\\\, \\uXXXX, \\UXXXXXXXX).
"""

from __future__ import annotations

import re
import unicodedata

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


def escape(value: str, reserved: str = "", forbidden_prefix: str | tuple[str, ...] = "") -> str:
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


def unescape(value: str) -> str:
    """Undo `escape`; a malformed escape is a ValueError the reader turns into an InputError."""
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
