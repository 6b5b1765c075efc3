"""The `epaper search` command as the command line declares it, registered on the `epaper` app (cli.py imports
this module); what it does is `epaper_cli.search_command.execute`.

Exit status as grep's: 0 something found, 1 nothing found, 2 a usage error or an archive that cannot be searched.
"""

from __future__ import annotations

from typing import Annotated

import typer

from epaper_cli.cli import ArchiveOption, DateSpecOption, JsonOption, app

DEFAULT_LIMIT = 20


@app.command(
    "search",
    context_settings={"ignore_unknown_options": True},  # -term is an exclusion, not an option
)
def search_command(
    terms: Annotated[
        list[str],
        typer.Argument(
            metavar="TERM...",
            help='Text that must occur (any length, one Chinese character too); "a phrase" is one term; '
            "-term must not occur.",
        ),
    ],
    *,
    archive: ArchiveOption = None,
    paper: Annotated[str | None, typer.Option(metavar="NAME", help="Only this paper (or an alias of it).")] = None,
    date: DateSpecOption = None,
    limit: Annotated[
        int, typer.Option(metavar="N", min=0, help=f"Show at most N articles (default {DEFAULT_LIMIT}; 0: all).")
    ] = DEFAULT_LIMIT,
    sort: Annotated[str, typer.Option(metavar="ORDER", help="relevance (default) or date (newest first).")] = (
        "relevance"
    ),
    count: Annotated[bool, typer.Option("--count", help="Print only how many articles match.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Find the articles that hold every TERM: one line each, id, paper, date, page, title and a snippet.

    Example: epaper search 杭衢 '"人力社保"' -招聘 --paper 衢州日报 --date 2025
    """
    from epaper_cli.search_command import execute

    code = execute(
        terms,
        archive=archive,
        paper=paper,
        date=date,
        limit=limit,
        sort=sort,
        count=count,
        json_output=json_output,
    )
    raise typer.Exit(code)
