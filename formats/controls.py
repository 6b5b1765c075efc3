"""Control characters in captures: terminal escape sequences and other C0/C1 controls, removed on import.

No newspaper text holds them; a capture that does was tampered with or mangled, and replayed on a terminal
they could retitle the window or clear the screen. Whole escape sequences go (not just their ESC), so no
`]0;…` debris is left in a title. Tabs, line breaks and form feeds stay: the readers treat them as spacing.
"""

from __future__ import annotations

import re

_SEQUENCES = re.compile(
    r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: window titles, hyperlinks, clipboard
    r"|(?:\x1b[P_^X]|[\x90\x9e\x9f\x98])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, APC, PM, SOS strings
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: cursor moves, screen clears, colours
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> tuple[str, int]:
    """The text without escape sequences and control characters (but tab, line breaks, vertical tab and form
    feed), and how many characters were removed."""
    if _CONTROLS.search(text) is None:
        return text, 0
    cleaned = _CONTROLS.sub("", _SEQUENCES.sub("", text))
    return cleaned, len(text) - len(cleaned)
