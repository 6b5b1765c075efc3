"""The start-up floor for any Typer program: a minimal two-command app, configured as leanly as Typer allows.

`python bench/floor_typer.py --help` is what `epaper --help` and a one-capture import are measured against;
`python bench/floor_typer.py import FILE` (running a command, which makes Typer coerce its parameters) is shown
beside the one-capture import for information.
"""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


@app.command("import")
def import_command(paths: list[str]) -> None:
    """Import captures."""
    typer.echo(f"{len(paths)} files")


@app.command("export")
def export_command(epub: bool = False) -> None:
    """Export an issue."""
    typer.echo("epub" if epub else "nothing")


if __name__ == "__main__":
    app()
