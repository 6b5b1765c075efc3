"""One module per external format: readers return the model, writers take it.

Nothing here imports the command-line layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from epaper_cli.model import Issue, Source


@dataclass
class ReadOptions:
    """What the user told the importer: corrections (`paper`, `date`) and fill-ins (`year`)."""

    paper: str | None = None
    date: dt.date | None = None
    year: int | None = None
    encoding: str | None = None
    keep_punctuation: bool = False


def read_bytes(data: bytes, name: str, options: ReadOptions) -> list[Issue]:
    """Read one input file's raw bytes into issues; every article's source points at those bytes."""
    from formats import frontmatter
    from formats.decode import decode

    decoded = decode(data, name, options.encoding)
    if frontmatter.looks_like(decoded):
        issues = frontmatter.read(decoded, name, options)
    elif "\n===" in decoded[:400] and _is_text_export(decoded):
        from formats import text

        issues = text.read(decoded, name, options)
    else:
        from formats import capture

        issues = capture.read(decoded, name, options)
    import hashlib  # here: exporting and listing never need it

    digest = hashlib.sha256(data).hexdigest()
    for issue in issues:
        for _page, article in issue.articles():
            source = article.source or Source(sha256=digest)
            article.source = replace(source, sha256=digest)
    return issues


def _is_text_export(decoded: str) -> bool:
    """The plain-text export's layout (its module loads only when a file might be one)."""
    from formats import text

    return text.looks_like(decoded)
