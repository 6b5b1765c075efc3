"""The archive's write lock: one process at a time reads, changes and writes an issue file.

An exclusive `flock` on the archive's lock file, which the kernel drops when the holder dies however it dies, so
the lock never goes stale. Re-entrant within a process, so a caller may hold it around several writes.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from epaper_cli.errors import ArchiveError


class Lock:
    """The lock on one lock file; the file is created on first use, in a folder that must exist."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._depth = 0

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the `with` block, waiting for another process to release it."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        fd = _open(self.path)
        try:
            _lock_fd(fd)
            self._depth = 1
            yield
        finally:
            self._depth = 0
            os.close(fd)


def _open(path: Path) -> int:
    """Open (or create) the lock file, never through a symlink; read-only when the archive cannot be written, so
    that `check` still waits for writers on a read-only copy."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | nofollow, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            raise ArchiveError(str(path), "is a symlink: epaper follows no link inside the archive") from exc
        if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
            with contextlib.suppress(OSError):
                return os.open(path, os.O_RDONLY | nofollow)
        raise ArchiveError(str(path), f"cannot open the archive lock: {exc.strerror}") from exc


def _lock_fd(fd: int) -> None:
    """Block until this process holds an exclusive lock on the file."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
