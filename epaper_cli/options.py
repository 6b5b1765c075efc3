"""The import options a capture was read with, kept in each article's `source.options` as words that name
them as the command line does, without the dashes (`paper=衢州日报 year=2025 keep-punctuation`; a value with a
space is quoted as a shell would), so that `epaper rebuild` reads the capture again the same way.
"""

from __future__ import annotations

import datetime as dt
import shlex

from epaper_cli.formats import ReadOptions

_FLAGS = (("keep_punctuation", "keep-punctuation"), ("plain_body", "plain-body"))
_VALUES = ("paper", "date", "year", "encoding")


def as_text(options: ReadOptions) -> str | None:
    """The options that change how a capture is read, as a command line; None when there are none."""
    words: list[str] = []
    for key in _VALUES:
        value = getattr(options, key)
        if value is not None:
            words.append(f"{key}={shlex.quote(value.isoformat() if key == 'date' else str(value))}")
    words += [flag for key, flag in _FLAGS if getattr(options, key)]
    return " ".join(words) if words else None


def from_text(text: str | None) -> ReadOptions:
    """Read back what `as_text` wrote; ValueError when it is not that."""
    if not text:
        return ReadOptions()
    words = shlex.split(text)
    values: dict[str, object] = {}
    for word in words:
        key, _, value = word.partition("=")
        flag = next((name for name, written in _FLAGS if written == word), None)
        if flag is not None:
            values[flag] = True
        elif key in _VALUES and value:
            values[key] = dt.date.fromisoformat(value) if key == "date" else int(value) if key == "year" else value
        else:
            raise ValueError(f"unknown import option {word!r}")
    return ReadOptions(**values)  # type: ignore[arg-type]


def with_paper(text: str | None, paper: str) -> str:
    """The same options with the paper's name set (a renamed paper's captures are read under the new name)."""
    from dataclasses import replace

    return as_text(replace(from_text(text), paper=paper)) or ""
