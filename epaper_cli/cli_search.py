"""The `epaper search` command, registered on the `epaper` app (cli.py imports this module).

Exit status as grep's: 0 something found, 1 nothing found, 2 a usage error or an archive that cannot be searched.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from epaper_cli.cli import ArchiveOption, JsonOption, app, archive_root, print_json, say
from epaper_cli.errors import EpaperError

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
    date: Annotated[
        str | None, typer.Option(metavar="SPEC", help="Only these dates: a day, a month, a year or a range A..B.")
    ] = None,
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
    from epaper_cli.dates import parse_span
    from epaper_cli.searching import parse_terms, search

    try:
        query = parse_terms(terms)
        span = parse_span(date) if date is not None else None
        found = search(
            archive_root(archive),
            query,
            paper=paper,
            span=span,
            sort=sort,
            limit=limit or None,
            count_only=count,
            note=lambda message: say(f"epaper: {message}"),
        )
    except EpaperError as error:  # 1 means "nothing found", so every error is 2, as grep's
        if json_output:
            from epaper_cli.cli_group import error_json

            typer.echo(error_json(error.what, error.why, 2))
        say(f"epaper: {error.what}: {error.why}")
        raise typer.Exit(2) from None
    if count:
        typer.echo(str(found.total))
    elif json_output:
        print_json([hit.as_json() for hit in found.hits])
    else:
        highlight = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        for hit in found.hits:
            typer.echo(hit.line(highlight))
    if not count and len(found.hits) < found.total:
        say(f"epaper: {len(found.hits)} of {found.total} articles shown (--limit 0 shows all)")
    raise typer.Exit(0 if found.total else 1)
