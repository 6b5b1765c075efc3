"""`epaper export`: pick the issues, hand them to each requested writer one at a time, place each result
atomically.

One day (or none: the paper's newest issue) is one issue; a month, a year or a range is every issue of the
paper in it, in date order, as one book. The issues are handed over as a lazy iterable that loads each issue
file only when the writer asks for it, so no export holds a year of issues at once.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, cast

from epaper_cli import finding
from epaper_cli.atomic import replaced_path, write_atomic, writes_through
from epaper_cli.errors import ArchiveError, ExportError, UsageError
from epaper_cli.outputs import STDOUT, targets

if TYPE_CHECKING:
    from epaper_cli.archive import Archive
    from epaper_cli.dates import DateSpan
    from epaper_cli.formats import WriteOptions, Writer
    from epaper_cli.model import Issue, PaperInfo

SPOOL_BYTES = 4 << 20
"""Output for standard output is kept until it is complete, in memory up to this size, then in a temp file."""


@dataclass(frozen=True)
class ExportOptions:
    """What the command line asked for: the formats by name, where they go, and the writers' settings."""

    formats: Sequence[str]
    output: str | None = None
    font: str | None = None
    page_size: str = "A4"
    vertical: bool = False


@dataclass(frozen=True)
class Selection:
    """The issue files an export takes, in date order, and the stem of the names its files get by default."""

    files: list[tuple[dt.date, Path]]
    stem: str

    def issues(self, archive: Archive) -> Iterator[Issue]:
        """The issues, each loaded when it is asked for."""
        for _date, path in self.files:
            yield archive.load(path)


def run(
    archive: Archive, paper: str | None, span: DateSpan | None, options: ExportOptions, stdout: BinaryIO
) -> Iterator[Path]:
    """Export the selected issues in every format asked for; yields each file once it is written (not standard
    output, a device or a FIFO: what reads them is not looking for a file name, and may be standard output)."""
    from epaper_cli import formats, registry
    from epaper_cli.fonts import SystemFonts

    try:
        writers = [formats.writer_named(name) for name in options.formats]
    except KeyError as error:
        raise UsageError(str(error.args[0]), "unknown export format") from None
    selection = select(archive, paper, span)
    registry.cached(archive.root)  # a papers.yaml that cannot be read stops the export before anything is written
    settings = formats.WriteOptions(
        SystemFonts(options.font), options.page_size, options.vertical, papers=Registered(archive)
    )
    if options.output == STDOUT:
        refuse_terminal(writers[0], stdout, "-o")  # before the work, not after it
    for writer, path in targets(selection.stem, writers, options.output):
        written = export(selection.issues(archive), writer, settings, path, stdout)
        if written is not None:
            yield written


class Registered(Mapping[str, "PaperInfo"]):
    """The archive's paper registry as the writers ask it: what it knows of a paper, by its name or an alias."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    def __getitem__(self, name: str) -> PaperInfo:
        from epaper_cli.registry import paper_info

        info = paper_info(self.archive, name)
        if info is None:
            raise KeyError(name)
        return info

    def __iter__(self) -> Iterator[str]:
        from epaper_cli.registry import cached

        return iter(cached(self.archive.root).papers)

    def __len__(self) -> int:
        from epaper_cli.registry import cached

        return len(cached(self.archive.root).papers)


def select(archive: Archive, paper: str | None, span: DateSpan | None) -> Selection:
    """The issues to export: of the only paper unless told; its newest issue, one day's, or every one in a span."""
    paper_dir = finding.only_paper(archive) if paper is None else finding.paper_folder(archive, paper)
    stem = paper_dir.name
    if span is not None and span.day is not None:
        path = finding.issue_file(archive, archive.paper_name(paper_dir), span.day)
        return Selection([(span.day, path)], f"{stem}-{span.day.isoformat()}")
    files = archive.issue_files(paper_dir)
    if span is None:
        if not files:
            raise ArchiveError(str(paper_dir), "this paper has no issue in the archive")
        return Selection(files[-1:], f"{stem}-{files[-1][0].isoformat()}")
    chosen = [(date, path) for date, path in files if date in span]
    if not chosen:
        have = finding.dates_held([date for date, _path in files], span.first, span.last)
        raise ArchiveError(
            f"{archive.paper_name(paper_dir)} {span.text}", f"no issue of the paper in these dates ({have})"
        )
    return Selection(chosen, f"{stem}-{span.file_part}")


def export(
    issues: Iterator[Issue], writer: Writer, options: WriteOptions, path: Path | None, stdout: BinaryIO
) -> Path | None:
    """Write one format: atomically to a file (a symlink's target), or whole, once complete, to standard output
    or to what `-o` names that is not a regular file (a device, a FIFO), which is written through, not replaced.
    The file written, if it was one."""
    write = writer.load().write
    if path is not None and not path.parent.is_dir():
        raise ExportError(str(path), "the folder does not exist")
    if path is None or writes_through(path):
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            write(issues, cast(BinaryIO, spool), options)
            spool.seek(0)
            if path is None:
                _copy_out(spool, stdout, "standard output", writer)
            else:
                _write_through(spool, path, writer)
        return None
    try:
        write_atomic(replaced_path(path), lambda handle: write(issues, handle, options))
    except OSError as exc:
        raise ExportError(str(path), f"cannot write: {exc.strerror or exc}") from exc
    return path


def refuse_terminal(writer: Writer, out: BinaryIO, name: str) -> None:
    """A binary format is not sent to a terminal: it would only garble it."""
    if writer.binary and out.isatty():
        raise UsageError(name, f"will not write {writer.description} to a terminal: redirect it (> file) or pipe it")


def _write_through(spool: IO[bytes], path: Path, writer: Writer) -> None:
    try:
        with path.open("ab") as out:  # O_APPEND: `{ echo head; epaper export -o /dev/stdout; } > f` keeps `head`
            _copy_out(spool, out, str(path), writer)
    except OSError as exc:
        raise ExportError(str(path), f"cannot write: {exc.strerror or exc}") from exc


def _copy_out(spool: IO[bytes], out: BinaryIO, name: str, writer: Writer) -> None:
    """Copy a complete output to a stream; a full disk or a failing device is named, a closed pipe passed on."""
    refuse_terminal(writer, out, name)
    try:
        shutil.copyfileobj(spool, out)
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise ExportError(name, f"cannot write: {exc.strerror or exc}") from exc
