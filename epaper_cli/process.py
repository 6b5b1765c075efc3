"""The `epaper` process: its entry point, exit statuses, and no traceback for interrupts, closed pipes, full
outputs or bugs.

`epaper import`, `export` and `search` are the commands scripts call in loops, so a plain command line for one of
them (only the command's own options: `epaper_cli.plain`) runs without loading the command-line library, which
costs about as much as a one-capture import, a day's text or a small search itself; anything else (help, a
misspelt option, a bad value) goes through the full command line, which gives the same result or the usual error.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from typing import NoReturn


def main() -> NoReturn:
    """The `epaper` command."""
    command = sys.argv[1] if len(sys.argv) > 1 else None
    if command in _QUICK:
        quick = importlib.import_module(_QUICK[command])
        arguments = quick.parse_plain(sys.argv[2:], os.environ)
        if arguments is not None:
            run(lambda: sys.exit(quick.execute(**arguments)))
    from epaper_cli.cli import app

    run(app)


_QUICK = {name: f"epaper_cli.{name}_command" for name in ("import", "export", "search")}
"""The commands that read a plain command line themselves: each module's `parse_plain` gives the arguments of its
`execute`, which the Typer command calls too."""


def run(app: Callable[[], object]) -> NoReturn:
    """Run the app as the `epaper` process: no traceback for interrupts, closed pipes or unexpected failures."""
    code: int | str | None
    try:
        app()
        code = 0
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 1
    except Exception as exc:
        if os.environ.get("EPAPER_DEBUG"):
            raise
        if isinstance(exc, OSError) and exc.errno in _FULL_OUTPUT:  # a full disk, `> /dev/full`: not a bug
            _say(f"epaper: {exc.filename or 'standard output'}: cannot write: {exc.strerror}")
        else:  # a bug: still one line, with a way to get the details
            _say(f"epaper: internal error: {type(exc).__name__}: {exc} (set EPAPER_DEBUG=1 for details)")
        code = 1
    if code == 130:  # Ctrl-C (Typer turns it into exit status 130 without a word)
        _say("epaper: interrupted")
    _leave(code)


_FULL_OUTPUT = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}
"""Errors of an output that cannot take more (a full disk, `> /dev/full`): named, not internal errors."""


def _leave(code: int | str | None) -> NoReturn:
    """Flush the output and exit at once, without taking the interpreter down object by object.

    Every file epaper writes is closed by then; what is left is freeing each object of a loaded issue and of
    the libraries, which the operating system does in one go, and which costs a small command a tenth of
    its time.
    """
    if isinstance(code, str):
        _say(code)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (epaper list | head): nothing more to say
            code = code or 1
        except OSError as exc:
            if stream is sys.stdout:
                with suppress(OSError):
                    sys.stderr.write(f"epaper: standard output: cannot write: {exc.strerror}\n")
                code = code or 1
        except ValueError:
            pass
    os._exit(code or 0)


def _say(message: str) -> None:
    with suppress(OSError, ValueError):
        sys.stderr.write(message + "\n")
