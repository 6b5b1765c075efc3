"""Where the archive keeps things, found by name alone, without reading a file.

`<root>/<paper>/<YYYY>/<YYYY-MM-DD>.yaml`, one file per issue; the raw bytes of every imported capture under
`<root>/.raw/<ab>/<sha256>`, where no paper's folder can clash with them (paper folders never start with a dot);
the lock file `<root>/.lock`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

RAW_DIR = ".raw"
LOCK_FILE = ".lock"
RECEIPTS_FILE = ".receipts.sqlite"
"""What each imported capture gave (`receipts`): derived, and dropped when damaged."""
_MAX_COMPONENT_BYTES = 180
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_ISSUE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.yaml$")


def safe_component(name: str) -> str:
    """Make a paper's name one harmless path component: no separators, controls, dot names or overlong names."""
    cleaned = unicodedata.normalize("NFC", name)
    cleaned = _UNSAFE.sub("_", cleaned).strip().strip(".") or "_"
    if cleaned.startswith("."):
        cleaned = "_" + cleaned
    encoded = cleaned.encode("utf-8")
    if len(encoded) > _MAX_COMPONENT_BYTES:
        import hashlib  # only for overlong names; exporting and listing never load it

        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        cleaned = encoded[: _MAX_COMPONENT_BYTES - 9].decode("utf-8", "ignore") + "-" + digest
    return cleaned


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

    def raw_path(self, sha256: str) -> Path:
        """Where the raw capture with this digest is kept."""
        return Path(self.raw_file(sha256))

    def raw_file(self, sha256: str) -> str:
        """`raw_path` as a plain string: it is asked for every capture, and pathlib (before Python 3.12) interns
        every name it parses, which would grow with the run."""
        return os.path.join(self.root, RAW_DIR, sha256[:2], sha256)

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
