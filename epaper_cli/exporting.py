"""`epaper export`: pick the issue, hand it to each requested writer, place each result atomically."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from epaper_cli.atomic import write_atomic
from epaper_cli.errors import ArchiveError, ExportError, UsageError

if TYPE_CHECKING:  # the archive and the model load after the writers are asked for (see writer_for)
    from epaper_cli.archive import Archive
    from epaper_cli.model import Issue

Writer = Callable[[Sequence["Issue"], BinaryIO], None]
STDOUT = "-"


@dataclass
class ExportOptions:
    """Writer settings the command line passes through."""

    font: str | None = None
    page_size: str = "A4"
    vertical: bool = False


def writer_for(fmt: str, options: ExportOptions) -> Writer:
    """The writer function for a format name; heavy libraries load only for the format asked for.

    Ask for the writers first, before the archive is opened: the EPUB writer's cover helper gets ready meanwhile.
    """
    if fmt == "epub":
        from epaper_cli.formats import cover

        painter = cover.painter()  # started first: it gets ready while the writer loads and the issue is read
        from epaper_cli.formats import epub

        return lambda issues, out: epub.write(issues, out, vertical=options.vertical, cover=painter)
    if fmt == "pdf":
        from epaper_cli.formats import pdf

        return lambda issues, out: pdf.write(issues, out, font=options.font, page_size=options.page_size)
    if fmt == "txt":
        from epaper_cli.formats import text

        return text.write
    raise UsageError(fmt, "unknown export format")


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


def targets(issue: Issue, formats: Sequence[str], output: str | None) -> list[tuple[str, Path | None]]:
    """Where each format goes: a named file, a folder (default names), or standard output (None)."""
    if output is not None and (output == STDOUT or not Path(output).is_dir()) and len(formats) != 1:
        raise UsageError("-o", "a file or - takes exactly one format; give a folder for several")
    if output == STDOUT:
        return [(formats[0], None)]
    if output is not None and not Path(output).is_dir():
        return [(formats[0], Path(output))]
    folder = Path(output) if output is not None else Path.cwd()
    from epaper_cli.archive import safe_component

    stem = f"{safe_component(issue.paper)}-{issue.date.isoformat()}"
    return [(fmt, folder / f"{stem}.{fmt}") for fmt in formats]


def export(issues: Sequence[Issue], writer: Writer, path: Path | None, stdout: BinaryIO) -> None:
    """Write one format: atomically to a file, or whole to standard output once it is complete."""
    if path is None:
        buffer = io.BytesIO()
        writer(issues, buffer)
        stdout.write(buffer.getvalue())
        stdout.flush()
        return
    if not path.parent.is_dir():
        raise ExportError(str(path), "the folder does not exist")
    try:
        write_atomic(path, lambda handle: writer(issues, handle))
    except OSError as exc:
        raise ExportError(str(path), f"cannot write: {exc.strerror or exc}") from exc
