"""An import's inputs: the names the command line's paths stand for, each input's bytes, and its parse.

`parse_input` is what an import's worker processes run (`pool`): it reads one input and parses it into the
model (or finds its receipt); it writes nothing.
"""

from __future__ import annotations

import os
import stat
import sys
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, BinaryIO

from epaper_cli import rawstore
from epaper_cli.errors import EpaperError, InputError
from epaper_cli.formats import ReadOptions, read_bytes
from epaper_cli.model import Issue
from epaper_cli.options import as_text

if TYPE_CHECKING:
    from epaper_cli.receipts import Receipt, Receipts

STDIN = "-"
MAX_INPUT_BYTES = 16 * 1024 * 1024
"""No real capture comes near this; a larger input is refused before it is read whole."""


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Turn the command line's paths into input names: folders become every *.txt below them, sorted (hidden
    ones left out); a file named on the command line is read whatever its name."""
    for raw in paths:
        if raw != STDIN and os.path.isdir(raw):
            yield from _walk_sorted(raw)
        else:
            yield raw


def _walk_sorted(folder: str) -> Iterator[str]:
    """Every *.txt below a folder in path order, one folder at a time: years of captures are never listed at once.

    The extension is matched regardless of case (`A.TXT`); hidden files and folders are skipped, among them the
    `._A.txt` resource forks macOS leaves beside each file on a foreign disk."""
    try:
        with os.scandir(folder) as entries:
            found = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries)
    except OSError:
        return
    for name, is_dir in found:
        if name.startswith("."):
            continue
        path = os.path.join(folder, name)
        if is_dir:
            yield from _walk_sorted(path)
        elif name.lower().endswith(".txt"):
            yield path


@dataclass
class Parsed:
    """One input read and parsed: its raw bytes, issues and notes, or the error that stopped it.

    All that a worker process sends back.
    """

    name: str
    raw: bytes = b""
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: EpaperError | None = None
    receipt: tuple[str, Receipt] | None = None
    """(digest, receipt) when the archive keeps this capture and its receipt: then it was not parsed."""

    @property
    def digest(self) -> str | None:
        """The sha256 of the raw bytes, as the reader wrote it into the articles' sources (None: no article)."""
        sources = (article.source for issue in self.issues for _page, article in issue.articles())
        return next((source.sha256 for source in sources if source is not None), None)


def parse_input(name: str, options: ReadOptions, receipts: Receipts | None = None) -> Parsed:
    """Read one input and parse it, unless `receipts` say what it gave; any failure is kept in the result."""
    try:
        standard_input = name == STDIN
        name, raw = read_input(name)
        if receipts is not None and not standard_input:  # parsed again from its name if the receipt fails
            import hashlib

            digest = hashlib.sha256(raw).hexdigest()
            receipt = receipts.find(digest)
            if receipt is not None and rawstore.opened(receipts.root).has(digest):
                return Parsed(name, notes=list(receipt.notes), receipt=(digest, receipt))
    except EpaperError as error:
        return Parsed(name, error=error)
    return parse_bytes(name, raw, options)


def parse_bytes(name: str, raw: bytes, options: ReadOptions) -> Parsed:
    """Parse one input's bytes; any failure is kept in the result."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            issues = read_bytes(raw, name, options)
    except EpaperError as error:
        return Parsed(name, error=error)
    except Exception as exc:  # a reader's bug fails this input only, never the run (and the inputs after it)
        return Parsed(name, error=InputError(name, f"cannot be read: internal error {type(exc).__name__}: {exc}"))
    notes = [str(warning.message) for warning in caught]
    recorded = as_text(options)
    if recorded is not None:  # `epaper rebuild` reads the capture again with them
        for issue in issues:
            for _page, article in issue.articles():
                if article.source is not None:
                    article.source = replace(article.source, options=recorded)
    if not issues and not notes:
        notes.append(f"{name}: no article in it: skipped")
    return Parsed(name, raw, issues, notes)


def read_input(name: str) -> tuple[str, bytes]:
    """One input's name for messages and its bytes, OS errors turned into one-line input errors."""
    if name == STDIN:
        return "<stdin>", _bounded("<stdin>", _read_stream(sys.stdin.buffer))
    try:
        with open(name, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):  # a pipe, a FIFO, /dev/stdin: its size says nothing, read to the end
                return name, _bounded(name, _read_stream(handle))
            # Ask for what the file holds, not for the limit: read(limit) would allocate the limit every time.
            return name, _bounded(name, handle.read(min(info.st_size, MAX_INPUT_BYTES) + 1))
    except FileNotFoundError as exc:
        raise InputError(name, "no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(name, "is a folder") from exc
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from exc


def _read_stream(handle: BinaryIO) -> bytes:
    """A stream's bytes to its end, or one byte past the limit: a chunk at a time, never the limit at once."""
    chunks: list[bytes] = []
    total = 0
    while total <= MAX_INPUT_BYTES:
        chunk = handle.read(min(1 << 20, MAX_INPUT_BYTES + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _bounded(name: str, data: bytes) -> bytes:
    """Refuse an input too large to be a capture."""
    if len(data) > MAX_INPUT_BYTES:
        limit = MAX_INPUT_BYTES // (1024 * 1024)
        raise InputError(name, f"larger than {limit} MB: not a capture (split it, or import the files it came from)")
    return data
