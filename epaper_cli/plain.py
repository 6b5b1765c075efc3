"""Plain command lines read without the command-line library, for the commands scripts call in loops
(`epaper search`, `epaper import`): loading that library costs about as much as a small search or a one-capture
import itself (see `epaper_cli.process`).

A line is plain when it holds only the command's own options, each spelt in full (`--opt value`, `--opt=value`,
a short form the command declares, a flag without a value); anything else (help, a misspelt or
combined option, a value that looks like an option) is left to the full command line, which gives the same result or the
usual error. Each command checks its values itself, as it does when called through the library.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence


class Plain:
    """A plain command line: each option's last value by its long name, the flags given, the other words."""

    __slots__ = ("flags", "values", "words")

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.flags: set[str] = set()
        self.words: list[str] = []


def read(
    args: Sequence[str],
    valued: Mapping[str, str],
    flags: Mapping[str, str],
    environ: Mapping[str, str],
    *,
    dash_words: bool = False,
) -> Plain | None:
    """Read `args` against the options a command has: `valued` and `flags` map each spelling (`-j`, `--jobs`) to
    the option's long name. With `dash_words`, a word such as `-term` is a word, not an option (search's
    exclusions); else only `-` (standard input) is. None when the line is not plain.

    `--archive`, which every command with a quick way has, is taken from `$EPAPER_ARCHIVE` when not given, as the
    command line declares it; an archive path that names a file, or any empty value, is left to the full
    command line and its message."""
    found = Plain()
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--":
            found.words.extend(rest)
            break
        name, has_value, value = arg.partition("=")
        if name in valued and name.startswith("--"):
            if not has_value:
                if not rest or _is_option(rest[0], dash_words=False):
                    return None
                value = rest.pop(0)
            found.values[valued[name]] = value
        elif arg in valued:  # a short option, its value the next word
            if not rest or _is_option(rest[0], dash_words=False):
                return None
            found.values[valued[arg]] = rest.pop(0)
        elif arg in flags:
            found.flags.add(flags[arg])
        elif _is_option(arg, dash_words):  # one the command does not have, or help
            return None
        else:
            found.words.append(arg)
    if "" in found.values.values():
        return None
    archive = found.values.setdefault("archive", environ.get("EPAPER_ARCHIVE", ""))
    if not archive:
        del found.values["archive"]
    elif os.path.isfile(archive):
        return None
    return found


def _is_option(arg: str, dash_words: bool) -> bool:
    if dash_words:
        return arg.startswith("--") or arg in ("-h", "-")
    return arg.startswith("-") and arg != "-"


def whole_number(text: str | None) -> int | None:
    """A value given as plain digits, as the full command line would read it; None for anything else."""
    return int(text) if text is not None and text.isascii() and text.isdigit() else None
