"""The import options a capture was read with, kept in the archive as command-line text (`--paper 衢州日报
--year 2025`) in each article's `source.options`, so that `epaper rebuild` reads the capture again the same way.
"""

from __future__ import annotations

import datetime as dt
import shlex

from epaper_cli.formats import ReadOptions

_FLAGS = (("keep_punctuation", "--keep-punctuation"), ("plain_body", "--plain-body"))


def as_text(options: ReadOptions) -> str | None:
    """The options that change how a capture is read, as a command line; None when there are none."""
    words: list[str] = []
    if options.paper is not None:
        words += ["--paper", options.paper]
    if options.date is not None:
        words += ["--date", options.date.isoformat()]
    if options.year is not None:
        words += ["--year", str(options.year)]
    if options.encoding is not None:
        words += ["--encoding", options.encoding]
    words += [flag for key, flag in _FLAGS if getattr(options, key)]
    return shlex.join(words) if words else None


def from_text(text: str | None) -> ReadOptions:
    """Read back what `as_text` wrote; ValueError when it is not that."""
    if not text:
        return ReadOptions()
    words = shlex.split(text)
    values: dict[str, object] = {}
    while words:
        word = words.pop(0)
        flag = next((key for key, name in _FLAGS if name == word), None)
        if flag is not None:
            values[flag] = True
        elif word in ("--paper", "--date", "--year", "--encoding") and words:
            value = words.pop(0)
            key = word[2:]
            values[key] = dt.date.fromisoformat(value) if key == "date" else int(value) if key == "year" else value
        else:
            raise ValueError(f"unknown import option {word!r}")
    return ReadOptions(**values)  # type: ignore[arg-type]


def with_paper(text: str | None, paper: str) -> str:
    """The same options with the paper's name set (a renamed paper's captures are read under the new name)."""
    from dataclasses import replace

    return as_text(replace(from_text(text), paper=paper)) or ""
