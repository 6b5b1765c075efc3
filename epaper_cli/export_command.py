"""What `epaper export` does once its options are read, without the command-line library: choose the formats and
check the options that go with them, write each book, print each file written, and return the exit status.

`cli.py` declares the command for the command line; `parse_plain` reads a plain command line itself, so that a
quick export (a day's text, a shell loop over issues) does not pay for loading that library (see
`epaper_cli.process`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from epaper_cli import plain
from epaper_cli.errors import EpaperError, tell

_VALUED = {f"--{name}": name for name in ("archive", "paper", "date", "output", "font", "page-size")}
_VALUED["-o"] = "output"
_FLAGS = {f"--{name}": name for name in ("epub", "pdf", "txt", "jsonl", "vertical")}
_FORMATS = {"epub": "epub", "pdf": "pdf", "txt": "text", "jsonl": "jsonl"}
"""Each format flag's format, in the order the full command line gives them."""


def execute(
    *,
    formats: Sequence[str],
    archive: Path | None,
    paper: str | None,
    date: str | None,
    output: str | None,
    font: str | None,
    font_given: bool,
    page_size: str | None,
    vertical: bool,
) -> int:
    """Export and print the paths written; the exit status. `formats` are the format flags given (`epub`,
    `pdf`, `text`, `jsonl`); `font_given` says whether `--font` was on the command line (not from the
    environment)."""
    from epaper_cli import exporting, outputs
    from epaper_cli.archive import Archive
    from epaper_cli.layout import archive_root

    try:
        chosen = outputs.choose_formats(formats, output)
        size = outputs.check_options(chosen, page_size, vertical, font_given)
        span = None
        if date is not None:
            from epaper_cli.dates import parse_span

            span = parse_span(date)
        options = exporting.ExportOptions(chosen, output, font, size, vertical)
        for path in exporting.run(Archive(archive_root(archive)), paper, span, options, sys.stdout.buffer):
            sys.stdout.write(f"{path}\n")
            sys.stdout.flush()
    except EpaperError as error:
        return tell(error)
    return 0


def parse_plain(args: Sequence[str], environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The arguments of `execute` for a plain command line; None when the line needs the full command-line
    library (help, an option export does not have, a word that is no option's value; see `plain.read`)."""
    line = plain.read(args, _VALUED, _FLAGS, environ)
    if line is None or line.words:
        return None
    values = line.values
    archive = values.get("archive")
    return {
        "formats": [name for flag, name in _FORMATS.items() if flag in line.flags],
        "archive": Path(archive) if archive is not None else None,
        "paper": values.get("paper"),
        "date": values.get("date"),
        "output": values.get("output"),
        "font": values.get("font") or environ.get("EPAPER_FONT") or None,
        "font_given": "font" in values,
        "page_size": values.get("page-size"),
        "vertical": "vertical" in line.flags,
    }
