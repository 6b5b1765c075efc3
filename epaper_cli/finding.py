"""A paper and an issue as the user names them (`--paper`, `--date`), and errors that lead on when they are not
in the archive: the closest paper names, the nearest dates that are.

Every command that takes `--paper` or a day asks here, so they all accept the same names and say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from epaper_cli.archive import Archive
from epaper_cli.errors import ArchiveError, UsageError

LISTED_DATES = 6
"""A paper with this many issues or fewer has them all listed when a date is not found."""
LISTED_PAPERS = 3
"""An archive with this many papers or fewer names them when `--paper` is needed."""


def paper_folder(archive: Archive, name: str) -> Path:
    """The folder of the paper the user named: its exact name, an alias from papers.yaml, or the one paper whose
    name differs only in Latin case; else an error naming the closest papers."""
    from epaper_cli.registry import cached

    name = name.strip()
    if not name:
        raise UsageError("--paper", "a paper's name cannot be blank")
    folder = archive.paper_dir(name)
    if folder.is_dir():
        return folder
    registered = cached(archive.root).aliases.get(name)
    if registered is not None and archive.paper_dir(registered).is_dir():
        return archive.paper_dir(registered)
    names = {archive.paper_name(folder): folder for folder in archive.paper_dirs()}
    same_case = [known for known in names if known.casefold() == name.casefold()]
    if len(same_case) == 1:
        return names[same_case[0]]
    close = closest(name, list(names))
    choices = f"{', '.join(close[:-1])} or {close[-1]}" if len(close) > 1 else "".join(close)
    hint = f"did you mean {choices}?" if close else "`epaper list` shows the papers"
    raise ArchiveError(name, f"no such paper in the archive; {hint}")


def closest(name: str, names: Sequence[str], most: int = 3) -> list[str]:
    """The names most like `name`: those it starts or is part of, then those that read alike, ignoring case."""
    import difflib

    folded = {known.casefold(): known for known in names}
    wanted = name.casefold()
    contained = [known for fold, known in folded.items() if wanted in fold or fold in wanted]
    alike = [folded[fold] for fold in difflib.get_close_matches(wanted, list(folded), n=most, cutoff=0.6)]
    return list(dict.fromkeys(contained + alike))[:most]


def issue_file(archive: Archive, paper: str, date: dt.date) -> Path:
    """The issue file of the paper the user named on one day; else an error with the dates the paper has."""
    folder = paper_folder(archive, paper)
    path = archive.issue_path_in(folder, date)
    if not path.is_file():
        have = dates_held([day for day, _path in archive.issue_files(folder)], date, date)
        raise ArchiveError(f"{archive.paper_name(folder)} {date.isoformat()}", f"no such issue in the archive ({have})")
    return path


def only_paper(archive: Archive) -> Path:
    """The folder of the archive's one paper, when `--paper` is not given."""
    folders = archive.paper_dirs()
    if not folders:
        raise ArchiveError(str(archive.root), "the archive holds no issue: run `epaper import` first")
    if len(folders) > LISTED_PAPERS:
        raise UsageError("--paper", f"the archive holds {len(folders)} papers: pass --paper NAME (`epaper list`)")
    if len(folders) > 1:
        names = ", ".join(archive.paper_name(folder) for folder in folders)
        raise UsageError("--paper", f"the archive holds several papers ({names}): pass --paper NAME")
    return folders[0]


def dates_held(dates: Sequence[dt.date], first: dt.date | None, last: dt.date | None) -> str:
    """What the paper does have, for a message about dates it does not: its dates when they are few, else how
    many from when to when and the nearest ones on each side of the dates asked for."""
    if not dates:
        return "the paper has no issue in the archive"
    if len(dates) <= LISTED_DATES:
        return "the paper has " + ", ".join(date.isoformat() for date in dates)
    held = f"the paper has {len(dates)} issues from {dates[0].isoformat()} to {dates[-1].isoformat()}"
    before = [date for date in dates if first is not None and date < first][-1:]
    after = [date for date in dates if last is not None and date > last][:1]
    nearest = ", ".join(date.isoformat() for date in [*before, *after])
    return f"{held}; nearest: {nearest}" if nearest else held
