"""How the `epaper` process runs its commands: Click's usage errors reported as every other error is, one line
`epaper: <what>: <why>` on standard error (Click's "did you mean" kept), exit status 2, with `--json` the error
object on standard output as well, so a script reading it always gets JSON; interrupts, closed pipes, full
outputs and bugs as one line and an exit status, never a traceback."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer._click import exceptions as click_errors  # Typer's own copy of Click (it no longer depends on click)
from typer.core import TyperGroup

from epaper_cli.errors import error_json


class EpaperGroup(TyperGroup):
    """The root group: runs the command as Click would, reporting usage errors as one line."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        given = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(given, prog_name, complete_var, False, windows_expand_args, **extra)
        except click_errors.NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except click_errors.ClickException as error:
            what, why = describe(error)
            if "--json" in given:
                typer.echo(error_json(what, why, error.exit_code))
            typer.echo(f"epaper: {what}: {why}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("epaper: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def describe(error: click_errors.ClickException) -> tuple[str, str]:
    """What the error is about (an option, a command, an argument) and why, on one line, Click's suggestions
    kept, with the way to the command's help."""
    message = " ".join(error.format_message().split()).rstrip(".").replace("...'", "'")  # 'ID...' names ID
    what, why = _subject(error).removesuffix("..."), message[:1].lower() + message[1:]
    if isinstance(error, click_errors.NoSuchOption):
        why = "no such option" + (
            f"; did you mean {' or '.join(sorted(error.possibilities))}?" if error.possibilities else ""
        )
    unknown = _NO_SUCH_COMMAND.fullmatch(message)
    if unknown is not None:
        what, why = (
            unknown[1],
            "no such command" + (f"; {unknown[2][:1].lower()}{unknown[2][1:]}" if unknown[2] else ""),
        )
    context = getattr(error, "ctx", None)
    return what, why if context is None else f"{why} (see '{context.command_path} -h')"


_NO_SUCH_COMMAND = re.compile(r"No such command '(.+?)'\.?\s*(.*)")


def _subject(error: click_errors.ClickException) -> str:
    """The option, the argument or the command a usage error is about."""
    option = getattr(error, "option_name", None)
    if option:
        return str(option)
    param = getattr(error, "param", None)
    if param is not None:
        opts = [opt for opt in getattr(param, "opts", []) if opt.startswith("--")]
        return opts[0] if opts else str(param.human_readable_name)
    context = getattr(error, "ctx", None)
    path = context.command_path if context is not None else "epaper"
    return path.split(" ", 1)[1] if " " in path else "usage"
