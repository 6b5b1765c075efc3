"""Text from the archive made safe to print on a terminal: control characters shown as escapes, never obeyed.

Imports already strip control characters from captures (`formats.controls`); this guards what a hand-edited
issue file or a hostile folder name could still bring to `list`, `show`, `check` and the import's report.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""C0 (but the tab) and C1 controls, DEL, line and paragraph separators, and bidirectional overrides."""


def visible(text: str) -> str:
    """The text with every unsafe character written as a `\\x1b`-style escape."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
