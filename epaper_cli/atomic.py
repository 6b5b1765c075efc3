"""Whole-or-nothing file writes, the one routine every file epaper writes goes through: a temp file in the
target's folder, fsync, rename, fsync the folder; and the one way to read a file inside the archive
(`read_regular`)."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from epaper_cli.errors import ArchiveError

TEMP_PREFIX = ".tmp-"
TEMP_NAME = re.compile(r"\.tmp-[0-9A-Za-z_-]{1,64}\.part")
"""The names `write_atomic` gives its temp files (and earlier versions gave theirs): only these are ever cleaned."""
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
"""How a file inside the archive is opened for reading: never through a link, never blocking on a FIFO."""
STALE_AFTER = 3600.0
"""A temp file of ours this old is a leftover of an interrupted write: no write takes this long."""


def write_atomic(path: str | Path, fill: Callable[[BinaryIO], object], *, clean: bool = True) -> None:
    """Let `fill` write the file's content; the file appears complete or not at all, even if `fill` fails.

    With `clean` (the default), stale temp files of ours that interrupted writes left in the same folder are
    removed first (`clean_stale`).
    """
    folder = os.path.dirname(path) or "."
    if clean:
        clean_stale(folder)
    temp = _write_temp(folder, fill)
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_dir(folder)


def _write_temp(folder: str, fill: Callable[[BinaryIO], object]) -> str:
    """The first half of `write_atomic`: a complete temp file in `folder`, synced, with the permissions a plain
    open() would give; renaming it over the target is the second. Removed again if `fill` fails."""
    fd, temp = _create_temp(folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644 & ~_umask())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def writes_through(path: str | Path) -> bool:
    """Whether an output path must be written in place (appended to, as a shell's `>` file is), never replaced:
    it exists and (through any symlink) is not a regular file, a character device (a terminal), a FIFO or a
    socket; or it is in /dev (`/dev/stdout` sent to a file, where the shell's redirection decides)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return (not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)) or os.path.abspath(path).startswith("/dev/")


def replaced_path(path: str | Path) -> str:
    """The file an atomic write to `path` replaces: a symlink's target (so the link stays a link), else `path`."""
    return os.path.realpath(path) if os.path.islink(path) else os.fspath(path)


def _create_temp(folder: str) -> tuple[int, str]:
    """A new, empty temp file in `folder` that no one else can have, readable by this user only.

    Its name is random (nobody can plant a link where it will be), and it is created with O_EXCL and O_NOFOLLOW:
    whatever stands at that name already, a file or a symlink, is never opened or followed.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        temp = os.path.join(folder, f"{TEMP_PREFIX}{os.urandom(12).hex()}.part")
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "cannot create a temp file", folder)


def is_temp_name(name: str) -> bool:
    """Whether a file name is one `write_atomic` gives its temp files."""
    return TEMP_NAME.fullmatch(name) is not None


def stale_temps(folder: str | Path, older_than: float = STALE_AFTER) -> list[str]:
    """Our temp files in one folder (not below it) last changed more than `older_than` seconds ago: regular
    files with our names only, never a link, a folder or anyone else's file."""
    cutoff = time.time() - older_than
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith(TEMP_PREFIX) or not is_temp_name(entry.name):
                    continue
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode) and info.st_mtime <= cutoff:
                        found.append(entry.path)
    except OSError:
        return []
    return found


def clean_stale(folder: str | Path, older_than: float = STALE_AFTER) -> None:
    """Remove the temp files of ours that interrupted writes left in one folder (`stale_temps`)."""
    for path in stale_temps(folder, older_than):
        with contextlib.suppress(OSError):
            os.unlink(path)


def fsync_dir(path: str | Path) -> None:
    """Make a rename durable; some platforms cannot open folders for fsync, so failures are ignored."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    """The process's umask, so written files get the permissions a plain open() would give them."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_regular(path: str | Path) -> bytes | None:
    """A file's bytes, None when it does not exist; never through a symlink, never blocking on a FIFO or device."""
    try:
        fd = os.open(path, READ_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ArchiveError(str(path), "is a symlink: epaper follows no link inside the archive") from exc
        raise ArchiveError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ArchiveError(str(path), "is not a regular file")
        try:
            return handle.read()
        except OSError as exc:
            raise ArchiveError(str(path), f"cannot read: {exc.strerror or exc}") from exc
