"""The title block: kicker (引题), title and subtitle (副题) told apart."""

from __future__ import annotations

import re

_SUBTITLE = re.compile(r"^(?:——|—|──|--|－－|―)+\s*(.+)$")


def split_title(lines: list[str]) -> tuple[str | None, str | None, str | None]:
    """Tell kicker (shorter line above), title (the main line) and subtitle (—— line or line below) apart.

    Three lines are the three decks in their order, kicker / title / subtitle, whatever their lengths; with fewer
    or more, the longest line that is not a —— subtitle is the title.
    """
    if len(lines) == 3 and not _SUBTITLE.match(lines[0]) and not _SUBTITLE.match(lines[1]):
        return lines[0], lines[1], _subtitle_text(lines[2])
    mains = [i for i, line in enumerate(lines) if not _SUBTITLE.match(line)]
    if not mains:
        return None, None, None
    main = max(mains, key=lambda i: (len(lines[i]), -i))
    kicker = " ".join(lines[i] for i in mains if i < main) or None
    below = [_subtitle_text(line) for i, line in enumerate(lines) if i != main and (i > main or i not in mains)]
    return kicker, lines[main], " ".join(below) or None


def _subtitle_text(line: str) -> str:
    """A subtitle without the dashes it is set with."""
    match = _SUBTITLE.match(line)
    return match[1].strip() if match else line
