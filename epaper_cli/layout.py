"""Where the archive keeps things, found by name alone, without reading a file.

`<root>/<paper>/<YYYY>/<YYYY-MM-DD>.yaml`, one file per issue; the raw bytes of every imported capture under
`<root>/.raw/` (`rawstore`), where no paper's folder can clash with them (paper folders never start with a dot);
the lock file `<root>/.lock`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

from epaper_cli.errors import ArchiveError

RAW_DIR = ".raw"
LOCK_FILE = ".lock"
REGISTRY_FILE = "papers.yaml"
RECEIPTS_FILE = ".receipts.sqlite"
"""What each imported capture gave (`receipts`): derived, and dropped when damaged."""
_MAX_COMPONENT_BYTES = 180
_HASHED = "%~"
"""Marks a folder name cut short with a digest of the whole name: escaping never writes `%~`, so no name clashes."""
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|%]')
_EDGES = re.compile(r"^[. ]|[. ]$")
_ISSUE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.yaml$")


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def safe_component(name: str) -> str:
    """The folder of a paper's name: one harmless path component, and one per name (no two names share it).

    The name is kept as it is except for what a file system cannot hold or would change: path separators,
    control characters and `: * ? " < > |` are written `%XX` (their UTF-8 bytes in hex), as is `%` itself and a
    dot or space at either end (so never `.`, `..` or a hidden name). An ordinary name is its own folder name,
    and `paper_from_folder` reads the name back. A name longer than 180 bytes so written is cut and ends with
    `%~` and a digest of the whole name.
    """
    if not name:
        raise ValueError("a paper's name cannot be empty")
    escaped = _UNSAFE.sub(lambda match: _escape(match[0]), name)
    escaped = _EDGES.sub(lambda match: _escape(match[0]), escaped)
    encoded = escaped.encode("utf-8")
    if len(encoded) > _MAX_COMPONENT_BYTES:
        import hashlib  # only for overlong names; exporting and listing never load it

        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
        cut = encoded[: _MAX_COMPONENT_BYTES - len(_HASHED) - len(digest)].decode("utf-8", "ignore")
        cut = re.sub(r"%[0-9A-F]?$", "", cut)  # never half an escape
        escaped = f"{cut}{_HASHED}{digest}"
    return escaped


def paper_from_folder(folder: str) -> str | None:
    """The paper's name a folder holds, read back from its name; None when the name was cut (see the issues)."""
    if _HASHED in folder:
        return None
    from urllib.parse import unquote

    return unquote(folder, errors="replace")


def is_archive(root: Path) -> bool:
    """Whether a folder is an epaper archive, the one rule every command goes by: it holds kept captures (`.raw/`),
    the paper registry (`papers.yaml`), or a paper folder with an issue file (`<paper>/<YYYY>/<YYYY-MM-DD>.yaml`).

    Every archive an import has written, by this version or an older one, has at least one of these; an empty
    folder, a lone `.lock` (a failed first import) or a folder of other things (`/etc`) is not an archive. Found
    by name alone, stopping at the first hit: a few file-system lookups on any archive.
    """
    if (root / RAW_DIR).is_dir() or (root / REGISTRY_FILE).is_file():
        return True
    try:
        papers = [p for p in os.scandir(root) if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return False
    for paper in papers:
        with contextlib.suppress(OSError), os.scandir(paper.path) as years:  # closed when found early, too
            for year in years:
                if (
                    year.name.isdigit()
                    and year.is_dir()
                    and any(_ISSUE_NAME.match(name) for name in os.listdir(year.path))
                ):
                    return True
    return False


def archive_root(path: Path | None) -> Path:
    """The folder named by --archive or EPAPER_ARCHIVE, else ./archive, when it is an archive; else the error that
    says so."""
    root = path if path is not None else Path("archive")
    if not is_archive(root):
        if not root.exists():
            why = "no such folder (import captures first, or pass --archive DIR or set EPAPER_ARCHIVE)"
        else:
            why = "the folder holds no issue file, no .raw and no papers.yaml (pass the archive's folder)"
        raise ArchiveError(f"no archive at {root}", why)
    return root


class Layout:
    """The archive's paths under one root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def paper_dir(self, paper: str) -> Path:
        """The folder that holds one paper's issues."""
        return self.root / safe_component(paper)

    def issue_path(self, paper: str, date: dt.date) -> Path:
        """Where one issue lives."""
        return self.issue_path_in(self.paper_dir(paper), date)

    def issue_path_in(self, paper_dir: Path, date: dt.date) -> Path:
        """Where one issue lives inside a paper's folder."""
        return paper_dir / f"{date.year:04d}" / f"{date.isoformat()}.yaml"

    def lock_path(self) -> Path:
        """The file whose lock is the archive's write lock."""
        return self.root / LOCK_FILE

    def paper_dirs(self) -> list[Path]:
        """Every paper folder, sorted by name."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def issue_files(self, paper_dir: Path) -> list[tuple[dt.date, Path]]:
        """One paper's issue files with their dates, oldest first, found by name without reading them."""
        found: list[tuple[dt.date, Path]] = []
        for year_dir in sorted(p for p in paper_dir.iterdir() if p.is_dir() and p.name.isdigit()):
            for path in year_dir.iterdir():
                match = _ISSUE_NAME.match(path.name)
                if match is None:
                    continue
                try:
                    found.append((dt.date(*map(int, match.groups())), path))
                except ValueError:
                    continue
        return sorted(found)

    def all_issue_files(self) -> Iterator[Path]:
        """Every issue file in the archive, in paper then date order."""
        for paper_dir in self.paper_dirs():
            for _date, path in self.issue_files(paper_dir):
                yield path
