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
from typing import TYPE_CHECKING, BinaryIO, cast

from epaper_cli import finding
from epaper_cli.atomic import write_atomic
from epaper_cli.errors import ArchiveError, ExportError, UsageError

if TYPE_CHECKING:
    from epaper_cli.archive import Archive
    from epaper_cli.dates import DateSpan
    from epaper_cli.formats import WriteOptions, Writer
    from epaper_cli.model import Issue, PaperInfo

STDOUT = "-"
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
    """Export the selected issues in every format asked for; yields each file once it is written."""
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
    for writer, path in targets(selection.stem, writers, options.output):
        export(selection.issues(archive), writer, settings, path, stdout)
        if path is not None:
            yield path


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


def targets(stem: str, writers: Sequence[Writer], output: str | None) -> list[tuple[Writer, Path | None]]:
    """Where each format goes: a named file, a folder (default names), or standard output (None)."""
    if output is not None and (output == STDOUT or not Path(output).is_dir()) and len(writers) != 1:
        raise UsageError("-o", "a file or - takes exactly one format; give a folder for several")
    if output == STDOUT:
        return [(writers[0], None)]
    if output is not None and not Path(output).is_dir():
        return [(writers[0], Path(output))]
    folder = Path(output) if output is not None else Path.cwd()
    return [(writer, folder / f"{stem}.{writer.extension}") for writer in writers]


def export(issues: Iterator[Issue], writer: Writer, options: WriteOptions, path: Path | None, stdout: BinaryIO) -> None:
    """Write one format: atomically to a file, or whole to standard output once it is complete."""
    write = writer.load().write
    if path is None:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            write(issues, cast(BinaryIO, spool), options)
            spool.seek(0)
            shutil.copyfileobj(spool, stdout)
        stdout.flush()
        return
    if not path.parent.is_dir():
        raise ExportError(str(path), "the folder does not exist")
    try:
        write_atomic(path, lambda handle: write(issues, handle, options))
    except OSError as exc:
        raise ExportError(str(path), f"cannot write: {exc.strerror or exc}") from exc
