"""What `epaper import` does once its options are read, without the command-line library: check the options, run
the import (`importing.run_import`, other archives' folders merged first) with its console, and return the exit
status.

`cli.py` declares the command for the command line; `parse_plain` reads a plain command line itself, so that an
import of one capture in a shell loop does not pay for loading that library (see `epaper_cli.process`).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from epaper_cli import plain
from epaper_cli.errors import EpaperError, UsageError, tell

_VALUED = {f"--{name}": name for name in ("archive", "paper", "date", "year", "encoding", "jobs")} | {"-j": "jobs"}
_FLAGS = {f"--{name}": name for name in ("dry-run", "json", "keep-punctuation", "plain-body", "quiet")}
_FLAGS["-q"] = "quiet"


def execute(
    paths: Sequence[str],
    *,
    archive: Path | None,
    paper: str | None,
    date: str | None,
    year: int | None,
    encoding: str | None,
    dry_run: bool,
    json_output: bool,
    keep_punctuation: bool,
    plain_body: bool,
    quiet: bool,
    jobs: int | None,
) -> int:
    """Import and report; the exit status."""
    from epaper_cli.archive import Archive
    from epaper_cli.console import ImportConsole
    from epaper_cli.formats import ReadOptions
    from epaper_cli.importing import run_import
    from epaper_cli.inputs import expand_paths
    from epaper_cli.merging import merge_archive, split_archives

    console = ImportConsole(json_output=json_output, quiet=quiet, dry_run=dry_run)
    try:
        if year is not None and not 1800 <= year <= 2200:
            raise UsageError("--year", f"{year} is not a plausible year")
        if paper is not None:
            paper = paper.strip()
            if not paper:
                raise UsageError("--paper", "a paper's name cannot be blank")
        day = None
        if date is not None:
            from epaper_cli.dates import parse_day

            day = parse_day(date, "--date")
        options = ReadOptions(paper, day, year, encoding, keep_punctuation, plain_body)
        if encoding is not None:
            _check_encoding(encoding)
        if not paths:
            if sys.stdin.isatty():
                raise UsageError("import", "no input: give files, folders or -, or pipe a capture in")
            paths = ["-"]
        sources, paths = split_archives(paths)  # other epaper archives' folders are merged
        names = expand_paths(paths)
        first = next(names, None)
        if first is None and not sources:
            raise UsageError("import", "no *.txt file in the folders given")
        store, report = Archive(archive if archive is not None else Path("archive")), console.report()
    except EpaperError as error:
        return tell(error, json_output)
    try:
        for source in sources:
            try:
                merge_archive(store, source, report, dry_run=dry_run)
            except EpaperError as error:
                report.failures.append(error)
        report = run_import(
            store,
            console.watch(itertools.chain([first], names) if first is not None else []),
            options,
            jobs=jobs,
            dry_run=dry_run,
            report=report,
            progress=console.step,
        )
    except EpaperError as error:  # the JSON array begun is closed; an error object only when none was begun
        console.abandon()
        return tell(error, json_output and not console.printed)
    return console.finish(report)


def parse_plain(args: Sequence[str], environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The arguments of `execute` for a plain command line; None when the line needs the full command-line
    library (help, an option import does not have, a number it would refuse; see `plain.read`)."""
    line = plain.read(args, _VALUED, _FLAGS, environ)
    if line is None:
        return None
    values, flags = line.values, line.flags
    year, jobs = plain.whole_number(values.get("year")), plain.whole_number(values.get("jobs"))
    if ("year" in values and year is None) or ("jobs" in values and (jobs is None or jobs < 1)):
        return None
    archive = values.get("archive")
    return {
        "paths": line.words,
        "archive": Path(archive) if archive is not None else None,
        "paper": values.get("paper"),
        "date": values.get("date"),
        "year": year,
        "encoding": values.get("encoding"),
        "dry_run": "dry-run" in flags,
        "json_output": "json" in flags,
        "keep_punctuation": "keep-punctuation" in flags,
        "plain_body": "plain-body" in flags,
        "quiet": "quiet" in flags,
        "jobs": jobs,
    }


def _check_encoding(name: str) -> None:
    """Refuse an unknown --encoding before reading anything."""
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        raise UsageError("--encoding", f"unknown encoding {name!r}") from None
