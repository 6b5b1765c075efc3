"""`epaper export`: pick the issue, hand it to each requested writer, place each result atomically."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from epaper_cli.atomic import write_atomic
from epaper_cli.errors import ArchiveError, ExportError, UsageError

if TYPE_CHECKING:
    from epaper_cli.archive import Archive
    from epaper_cli.formats import WriteOptions, Writer
    from epaper_cli.model import Issue

STDOUT = "-"


@dataclass(frozen=True)
class ExportOptions:
    """What the command line asked for: the formats by name, where they go, and the writers' settings."""

    formats: Sequence[str]
    output: str | None = None
    font: str | None = None
    page_size: str = "A4"
    vertical: bool = False


def run(
    archive: Archive, paper: str | None, date: dt.date | None, options: ExportOptions, stdout: BinaryIO
) -> Iterator[Path]:
    """Export one issue of the archive in every format asked for; yields each file once it is written."""
    from epaper_cli import formats
    from epaper_cli.fonts import SystemFonts

    issue = archive.load(select_issue(archive, paper, date))
    try:
        writers = [formats.writer_named(name) for name in options.formats]
    except KeyError as error:
        raise UsageError(str(error.args[0]), "unknown export format") from None
    settings = formats.WriteOptions(SystemFonts(options.font), options.page_size, options.vertical)
    for writer, path in targets(issue, writers, options.output):
        export([issue], writer, settings, path, stdout)
        if path is not None:
            yield path


def select_issue(archive: Archive, paper: str | None, date: dt.date | None) -> Path:
    """Find the issue file to export: the only paper unless told, its newest issue unless told."""
    if paper is None:
        papers = archive.paper_dirs()
        if not papers:
            raise ArchiveError(str(archive.root), "the archive holds no issue: run `epaper import` first")
        if len(papers) > 1:
            names = ", ".join(p.name for p in papers)
            raise UsageError("--paper", f"the archive holds several papers ({names}): pass --paper NAME")
        paper_dir = papers[0]
    else:
        paper_dir = archive.paper_dir(paper)
        if not paper_dir.is_dir():
            raise ArchiveError(paper, "no such paper in the archive (see `epaper list`)")
    if date is not None:
        path = archive.issue_path_in(paper_dir, date)
        if not path.is_file():
            raise ArchiveError(f"{paper_dir.name} {date.isoformat()}", "no such issue in the archive")
        return path
    issues = archive.issue_files(paper_dir)
    if not issues:
        raise ArchiveError(str(paper_dir), "this paper has no issue in the archive")
    return issues[-1][1]


def targets(issue: Issue, writers: Sequence[Writer], output: str | None) -> list[tuple[Writer, Path | None]]:
    """Where each format goes: a named file, a folder (default names), or standard output (None)."""
    if output is not None and (output == STDOUT or not Path(output).is_dir()) and len(writers) != 1:
        raise UsageError("-o", "a file or - takes exactly one format; give a folder for several")
    if output == STDOUT:
        return [(writers[0], None)]
    if output is not None and not Path(output).is_dir():
        return [(writers[0], Path(output))]
    folder = Path(output) if output is not None else Path.cwd()
    from epaper_cli.archive import safe_component

    stem = f"{safe_component(issue.paper)}-{issue.date.isoformat()}"
    return [(writer, folder / f"{stem}.{writer.extension}") for writer in writers]


def export(issues: Sequence[Issue], writer: Writer, options: WriteOptions, path: Path | None, stdout: BinaryIO) -> None:
    """Write one format: atomically to a file, or whole to standard output once it is complete."""
    write = writer.load().write
    if path is None:
        buffer = io.BytesIO()
        write(issues, buffer, options)
        stdout.write(buffer.getvalue())
        stdout.flush()
        return
    if not path.parent.is_dir():
        raise ExportError(str(path), "the folder does not exist")
    try:
        write_atomic(path, lambda handle: write(issues, handle, options))
    except OSError as exc:
        raise ExportError(str(path), f"cannot write: {exc.strerror or exc}") from exc
