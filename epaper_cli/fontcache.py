"""What epaper keeps about fonts in the user's cache folder, so a warm export neither runs fontconfig nor
loads fontTools: each face's characters (here), the installed faces (`fonts`), and CFF faces converted to
TrueType (`truetype`). Everything kept records the version of what it came from; deleting it is always safe.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import functools
import os
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path

from epaper_cli.formats.typefaces import FontFile

CACHE_VERSION = "1"


def cache_dir() -> Path:
    """The per-user cache folder the platform expects (XDG on Linux, Caches on macOS, LOCALAPPDATA on Windows)."""
    if sys.platform == "darwin":
        return Path.home() / "Library/Caches/epaper"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData/Local")
        return Path(local) / "epaper" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "epaper"


def keep(where: Path, data: bytes) -> None:
    """Write a file of the cache atomically; a cache that cannot be written only makes the next export slower."""
    with contextlib.suppress(OSError):
        where.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        handle, temp = tempfile.mkstemp(dir=where.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, where)
        finally:
            Path(temp).unlink(missing_ok=True)


def digest(text: str) -> str:
    """A short digest for names and stamps in the cache folder (what is kept there also records the version of
    the font it came from, so a clash only costs a re-read; zlib is loaded anyway, hashlib would cost more)."""
    data = text.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def mtime(path: Path) -> int:
    """A file's modification time, 0 when it is missing."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


@functools.lru_cache(maxsize=64)
def _cmap(path: str, index: int, stamp: tuple[int, int]) -> frozenset[int]:
    """The code points a face maps, read once per version of the file and kept in the cache folder, so an
    export whose characters the fonts already have need not load fontTools or parse a 20 MB font."""
    kept = _kept_codes(path, index, stamp)
    if kept is not None:
        return frozenset(kept)
    from fontTools.ttLib import TTFont

    codes = frozenset(TTFont(path, fontNumber=index, lazy=True).getBestCmap() or {})
    keep_coverage(path, index, codes)
    return codes


def _kept_codes(path: str, index: int, stamp: tuple[int, int]) -> array.array[int] | None:
    """The face's code points as kept in the cache folder (sorted), or None when not kept for this version."""
    header = _coverage_header(stamp)
    try:
        data = _coverage_path(path, index).read_bytes()
    except OSError:
        return None
    return array.array("I", data[len(header) :]) if data.startswith(header) else None


def has_all(face: FontFile, chars: Iterable[int]) -> bool:
    """Whether the face has a glyph for every one of a few characters, without making a set of all of its own."""
    codes = _kept_codes(face.path, face.index, stamp(face.path))
    if codes is None:
        return set(chars) <= coverage(face)
    for char in chars:
        at = bisect.bisect_left(codes, char)
        if at == len(codes) or codes[at] != char:
            return False
    return True


def _coverage_header(stamp: tuple[int, int]) -> bytes:
    """What a kept coverage starts with: the version of the font file it was read from."""
    return f"epaper-cmap {CACHE_VERSION} {stamp[0]} {stamp[1]} {sys.byteorder}\n".encode()


def keep_coverage(path: str, index: int, codes: Iterable[int]) -> None:
    """Keep a face's code points in the cache folder; a cache that cannot be written is only slower."""
    keep(_coverage_path(path, index), _coverage_header(stamp(path)) + array.array("I", sorted(codes)).tobytes())


def _coverage_path(path: str, index: int) -> Path:
    """Where a face's code points are kept: one file per face, rewritten when the font file changes."""
    name = digest(f"{os.path.realpath(path)}|{index}")
    return cache_dir() / "cmaps" / f"{Path(path).stem[:40]}-{index}-{name}.bin"


def stamp(path: str) -> tuple[int, int]:
    """A file's size and modification time: changes whenever the file does."""
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns


def coverage(face: FontFile) -> frozenset[int]:
    """Every character the face has a glyph for."""
    return file_coverage(face.path, face.index)


def file_coverage(path: str, index: int) -> frozenset[int]:
    """Every character the face at `index` of a font file has a glyph for (kept in the cache folder)."""
    return _cmap(path, index, stamp(path))
