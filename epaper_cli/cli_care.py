"""Commands that take care of the archive: `raw`, `rm`, `edit`, `rebuild`, `rename-paper`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from epaper_cli.cli import ArchiveOption, DateSpecOption, app, errors_to_exit, open_archive, say
from epaper_cli.errors import ArchiveError, EpaperError, UsageError

if TYPE_CHECKING:
    from epaper_cli.archive import Archive
    from epaper_cli.lookup import Found

IdsArgument = Annotated[
    list[str],
    typer.Argument(metavar="ID...", help="Article ids or unique prefixes (at least 6 digits), or - to read them."),
]


def _found(store: Archive, ids: list[str]) -> list[Found]:
    """The articles the ids name (`-` reads ids from standard input)."""
    from epaper_cli import lookup

    stdin = None if sys.stdin.isatty() else sys.stdin
    return lookup.find(store, lookup.expand_keys(ids, stdin))


@app.command("raw")
def raw_command(ids: IdsArgument, *, archive: ArchiveOption = None) -> None:
    """Write the kept raw capture of each article to standard output, byte for byte (a capture once).

    Example: epaper raw 5c1f0e > capture.txt
    """
    with errors_to_exit():
        store = open_archive(archive)
        found = _found(store, ids)
        digests: list[str] = []
        for item in found:
            if item.article.source is None:
                raise ArchiveError(item.article.id, "no kept capture: the article was not imported from one")
            if item.article.source.sha256 not in digests:
                digests.append(item.article.source.sha256)
        captures = [store.read_raw(digest) for digest in digests]
    for data in captures:
        sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


@app.command("rm")
def rm_command(
    ids: IdsArgument,
    *,
    archive: ArchiveOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
) -> None:
    """Remove articles; an issue left empty goes too, and a kept capture no article cites any more.

    Example: epaper rm 5c1f0e 9a2b7d
    """
    from epaper_cli.removing import remove

    with errors_to_exit():
        store = open_archive(archive)
        removed = remove(store, _found(store, ids))
    if not quiet:
        for item in removed:
            typer.echo(
                f"removed\t{item.issue.paper}\t{item.issue.date}\t{item.page.label}\t{item.article.id}\t{item.article.title}"
            )
        say(f"{len(removed)} removed")


def interactive() -> bool:
    """Whether a person is at the terminal to be asked to edit again."""
    return sys.stdin.isatty() and sys.stderr.isatty()


@app.command("edit")
def edit_command(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="An article id or a unique prefix of it.")],
    *,
    archive: ArchiveOption = None,
) -> None:
    """Edit an article in $VISUAL / $EDITOR; what is saved is checked, then written, or refused with the reason.

    Example: epaper edit 5c1f0e
    """
    import datetime as dt

    from epaper_cli import editing

    with errors_to_exit():
        store = open_archive(archive)
        found = _found(store, [article_id])
        if len(found) != 1:
            raise UsageError("edit", "give one article id")
        item = found[0]
        text = editing.form(item)
        while True:
            saved = editing.run_editor(text, item.article.id)
            try:
                article = editing.read_form(saved, item)
                if saved == text or editing.same_article(article, item.article):
                    say("epaper: no change")
                    return
                article = editing.save(store, item, article, dt.date.today())
                break
            except EpaperError as error:
                if not interactive():
                    raise
                say(f"epaper: {error.what}: {error.why}")
                if not typer.confirm("Edit again?", default=True, err=True):
                    raise typer.Exit(1) from None
                text = saved
    moved = f" (new id: {item.article.id} → {article.id})" if article.id != item.article.id else ""
    typer.echo(f"edited\t{item.issue.paper}\t{item.issue.date}\t{item.page.label}\t{article.id}\t{article.title}")
    say(f"saved{moved}")


@app.command("rebuild")
def rebuild_command(
    *,
    archive: ArchiveOption = None,
    paper: Annotated[str | None, typer.Option(metavar="NAME", help="Only this paper's issues.")] = None,
    date: DateSpecOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", metavar="N", min=1, help="Processes reading captures at once.")
    ] = None,
) -> None:
    """Read every kept capture again with today's importer and replace what it gave; hand edits are kept.

    Example: epaper rebuild --paper 衢州日报 --date 2025 --dry-run
    """
    from epaper_cli.dates import parse_span
    from epaper_cli.rebuilding import rebuild

    with errors_to_exit():
        span = parse_span(date) if date is not None else None
        done = rebuild(
            open_archive(archive),
            paper,
            span,
            dry_run=dry_run,
            jobs=jobs,
            emit=lambda change: typer.echo(change.line()),
        )
    for failure in done.failures:
        say(f"epaper: {failure.what}: {failure.why}")
    if not quiet:
        counts = {status: 0 for status in ("changed", "added", "removed", "kept")}
        for change in done.changes:
            counts[change.status] += 1
        would = "would be " if dry_run else ""
        say(
            f"{done.captures} captures read again: {counts['changed']} {would}changed, {counts['added']} {would}added, "
            f"{counts['removed']} {would}removed, {counts['kept']} kept as edited by hand"
        )
    if done.failures:
        raise typer.Exit(1)


@app.command("rename-paper")
def rename_paper_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The paper's name in the archive now.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new name (merged into when the archive has it).")],
    *,
    archive: ArchiveOption = None,
) -> None:
    """Rename a paper, merging into NEW when it exists; ids that change are printed old → new.

    Example: epaper rename-paper 衢州日報 衢州日报
    """
    from epaper_cli.renaming import rename_paper

    with errors_to_exit():
        moved = rename_paper(open_archive(archive), old, new)
    for item in moved:
        if item.old_id != item.new_id:
            typer.echo(f"{item.old_id} → {item.new_id}\t{item.date}\t{item.page}\t{item.title}")
    say(f"{len(moved)} articles moved from {old} to {new}")
