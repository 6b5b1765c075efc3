"""Whole-or-nothing file writes, the one routine every file epaper writes goes through: a temp file in the
target's folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".tmp-"


def write_atomic(path: str | Path, fill: Callable[[BinaryIO], object], *, durable: bool = True) -> None:
    """Let `fill` write the file's content; the file appears complete or not at all, even if `fill` fails.

    With `durable=False` nothing is synced: the caller makes the file durable later (`sync_files`), when one
    sync for many files is cheaper than one per file.
    """
    folder = os.path.dirname(path) or "."
    fd, temp = _create_temp(folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, 0o644 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        fsync_dir(folder)


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
    """A new, empty temp file in `folder` that no one else can have (O_EXCL), readable by this user only."""
    for attempt in range(100):
        temp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{time.monotonic_ns()}-{attempt}.part")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "cannot create a temp file", folder)


def can_defer_sync() -> bool:
    """Whether one system-wide sync can stand in for many per-file fsyncs on this platform."""
    return hasattr(os, "sync")


def sync_files(paths: list[str]) -> None:
    """Make files written with `durable=False` durable: one by one when few, else one system-wide sync.

    Thousands of fsyncs cost far more than one sync; for a handful, a sync of every filesystem costs more.
    """
    if len(paths) > _FSYNC_ONE_BY_ONE:
        os.sync()
        return
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    for folder in {os.path.dirname(path) for path in paths}:
        fsync_dir(folder)


_FSYNC_ONE_BY_ONE = 16


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
