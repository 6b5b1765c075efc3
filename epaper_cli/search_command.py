"""What `epaper search` does once its options are read, without the command-line library: the search, its output
(tab-separated lines, a JSON array, or the count) and its exit status, as grep's: 0 something found, 1 nothing
found, 2 a usage error or an archive that cannot be searched.

`cli_search.py` declares the command for the command line; `parse_plain` reads a plain command line itself, so
that `epaper search` in a shell loop does not pay for loading that library (see `epaper_cli.process`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from epaper_cli import plain

DEFAULT_LIMIT = 20
_VALUED = {f"--{name}": name for name in ("archive", "paper", "date", "limit", "sort")}
_FLAGS = {"--count": "count", "--json": "json"}


def execute(
    terms: Sequence[str],
    *,
    archive: Path | None,
    paper: str | None,
    date: str | None,
    limit: int,
    sort: str,
    count: bool,
    json_output: bool,
) -> int:
    """Search and print; the exit status."""
    from epaper_cli.dates import parse_span
    from epaper_cli.errors import EpaperError, tell
    from epaper_cli.layout import archive_root
    from epaper_cli.searching import parse_terms, search

    try:
        query = parse_terms(list(terms))
        span = parse_span(date) if date is not None else None
        found = search(
            archive_root(archive),
            query,
            paper=paper,
            span=span,
            sort=sort,
            limit=limit or None,
            count_only=count,
            note=lambda message: _say(f"epaper: {message}"),
        )
    except EpaperError as error:  # 1 means "nothing found", so every error is 2, as grep's
        return tell(error, json_output, status=2)
    if count:
        _out(str(found.total))
    elif json_output:
        _out(_json([hit.as_json() for hit in found.hits]))
    else:
        highlight = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        for hit in found.hits:
            _out(hit.line(highlight))
    if not count and len(found.hits) < found.total:
        _say(f"epaper: {len(found.hits)} of {found.total} articles shown (--limit 0 shows all)")
    return 0 if found.total else 1


def parse_plain(args: Sequence[str], environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The arguments of `execute` for a plain command line; None when the line needs the full command-line
    library (help, an option search does not have, a value it would refuse, no term; see `plain.read`)."""
    line = plain.read(args, _VALUED, _FLAGS, environ, dash_words=True)  # -term is an exclusion
    if line is None:
        return None
    values = line.values
    limit = plain.whole_number(values.get("limit", str(DEFAULT_LIMIT)))
    if not line.words or limit is None:
        return None
    archive = values.get("archive")
    return {
        "terms": line.words,
        "archive": Path(archive) if archive is not None else None,
        "paper": values.get("paper"),
        "date": values.get("date"),
        "limit": limit,
        "sort": values.get("sort", "relevance"),
        "count": "count" in line.flags,
        "json_output": "json" in line.flags,
    }


def _json(data: object) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
