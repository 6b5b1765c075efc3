"""Where `epaper export` writes: the formats (from the flags, else from `-o`'s extension), the options that
apply to them, and each format's path (a named file, a folder, or standard output).

Paths are printed as the user named them: relative to the current folder when `-o` is relative or absent
(the default folder is `.`), absolute when `-o` is absolute.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from epaper_cli.errors import ExportError, UsageError

if TYPE_CHECKING:
    from epaper_cli.formats import Writer

STDOUT = "-"
FLAGS = {"epub": "--epub", "pdf": "--pdf", "text": "--txt", "jsonl": "--jsonl"}
"""Each format's name and the flag that asks for it."""
BY_EXTENSION = {".epub": "epub", ".pdf": "pdf", ".txt": "text", ".jsonl": "jsonl"}
"""The format a file name's extension means, when no format flag is given."""
PAGE_SIZES = ("A4", "A5", "letter")
"""The PDF page sizes `--page-size` takes, whatever their case (the PDF writer knows their dimensions)."""


def choose_formats(asked: Sequence[str], output: str | None) -> list[str]:
    """The formats to write: the flags given, else the one `-o`'s extension names; a flag the extension
    contradicts is an error, not a PDF named `.epub`."""
    implied = format_of(output)
    if not asked:
        if implied is None:
            raise UsageError(
                "export", "choose at least one of --epub, --pdf, --txt, --jsonl (or name a file: -o x.epub, x.pdf)"
            )
        return [implied]
    if implied is not None and len(asked) == 1 and asked[0] != implied:
        flag, wanted = FLAGS[asked[0]], FLAGS[asked[0]][2:]
        raise UsageError(
            "-o", f"{output} is named as a .{FLAGS[implied][2:]} file, but {flag} was given: name it .{wanted}"
        )
    return list(asked)


def format_of(output: str | None) -> str | None:
    """The format `-o`'s extension names, when `-o` names a file (not `-`, not a folder)."""
    if output is None or output == STDOUT or _names_folder(output) or os.path.isdir(output):
        return None
    return BY_EXTENSION.get(os.path.splitext(output)[1].lower())


def check_options(formats: Sequence[str], page_size: str | None, vertical: bool, font_given: bool = False) -> str:
    """Refuse options that none of the chosen formats uses (`--font` when given on the command line: from
    $EPAPER_FONT it is a setting for whenever a PDF is made); the page size to write with."""
    if vertical and "epub" not in formats:
        raise UsageError("--vertical", "applies to --epub only")
    if font_given and "pdf" not in formats:
        raise UsageError("--font", "applies to --pdf only")
    if page_size is None:
        return PAGE_SIZES[0]
    if "pdf" not in formats:
        raise UsageError("--page-size", "applies to --pdf only")
    if page_size.lower() not in {size.lower() for size in PAGE_SIZES}:
        raise UsageError("--page-size", f"{page_size!r} is not a page size: use {', '.join(PAGE_SIZES)}")
    return page_size


def targets(stem: str, writers: Sequence[Writer], output: str | None) -> list[tuple[Writer, Path | None]]:
    """Where each format goes: a named file, a folder (default names), or standard output (None).

    A trailing slash means a folder, created when missing; several formats need a folder.
    """
    if output == STDOUT:
        if len(writers) != 1:
            raise UsageError("-o", "a file or - takes exactly one format; give a folder for several")
        return [(writers[0], None)]
    if output is not None and not _names_folder(output) and not os.path.isdir(output):
        if len(writers) == 1:
            return [(writers[0], Path(output))]
        if os.path.lexists(output):
            raise UsageError("-o", f"{output} is a file: a file or - takes exactly one format; give a folder")
        raise UsageError(
            "-o", f"no such folder: {output} (a file or - takes exactly one format; end it with / to create a folder)"
        )
    folder = Path(output) if output is not None else Path()
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(str(output), f"cannot create folder: {exc.strerror or exc}") from exc
    return [(writer, folder / f"{stem}.{writer.extension}") for writer in writers]


def _names_folder(output: str) -> bool:
    """Whether `-o` ends with a path separator: a folder, whether or not it exists yet."""
    return output.endswith(("/", os.sep))
