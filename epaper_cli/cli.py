"""The `epaper` command: thin Typer commands that wire readers, the archive and writers together."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from epaper_cli import __version__
from epaper_cli.cli_group import EpaperGroup
from epaper_cli.errors import EpaperError, UsageError, tell
from epaper_cli.process import run

if TYPE_CHECKING:
    from epaper_cli.archive import Archive

app = typer.Typer(
    name="epaper",
    cls=EpaperGroup,
    help="Archive newspaper articles copied from digital-newspaper reader apps, and export whole issues.",
    epilog="Example: epaper import captures/ && epaper export --epub --pdf",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ArchiveOption = Annotated[
    Path | None,
    typer.Option(
        "--archive",
        envvar="EPAPER_ARCHIVE",
        show_envvar=True,
        metavar="DIR",
        help="Archive folder (default: ./archive).",
        file_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Write a JSON document to standard output.")]
DateSpecOption = Annotated[
    str | None, typer.Option(metavar="SPEC", help="Only these dates: a day, a month, a year or a range A..B.")
]


# -- plumbing ------------------------------------------------------------------------------------------


def fail(error: EpaperError, json_output: bool = False) -> NoReturn:
    """Report an error as one line on standard error (with `--json`, as an error object on standard output too)
    and leave with its exit code."""
    raise typer.Exit(tell(error, json_output))


def say(message: str) -> None:
    """A message for the person at the terminal: standard error, never mixed with data."""
    typer.echo(message, err=True)


@contextmanager
def errors_to_exit(json_output: bool = False) -> Iterator[None]:
    """Turn the project's errors into `epaper: <what>: <why>` and an exit code, never a traceback; with
    `--json`, into an error object on standard output as well."""
    try:
        yield
    except EpaperError as error:
        fail(error, json_output)


def open_archive(path: Path | None, *, new: bool = False) -> "Archive":
    """The archive named by --archive or EPAPER_ARCHIVE, else ./archive; it must be one unless `new` (import,
    paper set: the commands that make one)."""
    from epaper_cli.archive import Archive
    from epaper_cli.layout import archive_root

    if new:
        return Archive(path if path is not None else Path("archive"))
    return Archive(archive_root(path))


def print_json(data: Any) -> None:
    """Write a JSON document to standard output, Chinese as-is."""
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def version_callback(value: bool) -> None:
    """Print the version and stop."""
    if value:
        typer.echo(f"epaper {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Archive newspaper articles copied from digital-newspaper reader apps, and export whole issues.

    Example: epaper import captures/ && epaper export --epub --pdf
    """


# -- import --------------------------------------------------------------------------------------------


@app.command("import")
def import_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH...",
            help="Capture files, folders (every *.txt below, sorted), - for standard input, or another epaper "
            "archive's folder to merge.",
        ),
    ] = None,
    *,
    archive: ArchiveOption = None,
    paper: Annotated[str | None, typer.Option(metavar="NAME", help="Paper name, overriding the capture's.")] = None,
    date: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Issue date, overriding the capture's.")
    ] = None,
    year: Annotated[
        int | None, typer.Option(metavar="YYYY", help="Year for a month-day date when no read date is given.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(metavar="NAME", help="Text encoding (default: BOM, UTF-8, else GB18030).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    json_output: JsonOption = False,
    keep_punctuation: Annotated[
        bool, typer.Option("--keep-punctuation", help="Keep half-width , ; : ( ) ! ? as captured.")
    ] = False,
    plain_body: Annotated[
        bool, typer.Option("--plain-body", help="Keep every body line a paragraph: no headings, credits or markers.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", metavar="N", min=1, help="Processes reading captures at once (default: one per free CPU)."
        ),
    ] = None,
) -> None:
    """Import captures into the archive, one YAML file per issue.

    Example: epaper import --archive ~/papers captures/*.txt
    """
    from epaper_cli.import_command import execute

    code = execute(
        paths or [],
        archive=archive,
        paper=paper,
        date=date,
        year=year,
        encoding=encoding,
        dry_run=dry_run,
        json_output=json_output,
        keep_punctuation=keep_punctuation,
        plain_body=plain_body,
        quiet=quiet,
        jobs=jobs,
    )
    raise typer.Exit(code)


# -- export --------------------------------------------------------------------------------------------


@app.command("export")
def export_command(
    ctx: typer.Context,
    *,
    epub: Annotated[bool, typer.Option("--epub", help="Write an EPUB 3 e-book.")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Write a print-ready PDF.")] = False,
    txt: Annotated[bool, typer.Option("--txt", help="Write plain UTF-8 text.")] = False,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Write JSON Lines: one object per article, for other engines.")
    ] = False,
    archive: ArchiveOption = None,
    paper: Annotated[
        str | None, typer.Option(metavar="NAME", help="Paper (optional when the archive holds one).")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            metavar="SPEC",
            help="An issue's day (default: the paper's newest), or a month, a year or a range A..B: every issue "
            "in it as one book.",
        ),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="PATH", help="A file, a folder, or - for standard output.")
    ] = None,
    font: Annotated[
        str | None, typer.Option(metavar="PATH", envvar="EPAPER_FONT", show_envvar=True, help="Font file for the PDF.")
    ] = None,
    page_size: Annotated[
        str | None, typer.Option(metavar="SIZE", help="PDF page size: A4 (default), A5 or letter.")
    ] = None,
    vertical: Annotated[bool, typer.Option("--vertical", help="EPUB in vertical writing.")] = False,
) -> None:
    """Export an issue, or a month, a year or a range of issues as one book, as EPUB, PDF, text or JSON Lines.

    With no format flag, -o's extension chooses the format (-o today.pdf).

    Example: epaper export --epub --pdf --paper 衢州日报 --date 2025-08 -o books/
    """
    from epaper_cli.export_command import execute

    source = ctx.get_parameter_source("font")
    code = execute(
        formats=[name for name, wanted in (("epub", epub), ("pdf", pdf), ("text", txt), ("jsonl", jsonl)) if wanted],
        archive=archive,
        paper=paper,
        date=date,
        output=output,
        font=font,
        font_given=source is not None and source.name == "COMMANDLINE",
        page_size=page_size,
        vertical=vertical,
    )
    raise typer.Exit(code)


# -- list, show, check ---------------------------------------------------------------------------------


@app.command("list")
def list_command(
    *,
    archive: ArchiveOption = None,
    paper: Annotated[str | None, typer.Option(metavar="NAME", help="Only this paper: list its issues.")] = None,
    date: Annotated[
        str | None,
        typer.Option(
            metavar="SPEC",
            help="With --paper: a day lists that issue's pages and articles; a month, a year or a range A..B the "
            "issues in it.",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """List papers; a paper's issues (--paper); an issue's pages and articles (--paper --date).

    Example: epaper list --paper 衢州日报 --date 2025-08-26
    """
    from epaper_cli import listing
    from epaper_cli.dates import parse_span

    with errors_to_exit(json_output):
        store = open_archive(archive)
        span = parse_span(date) if date is not None else None
        if span is not None and paper is None:
            raise UsageError("--date", "give --paper as well")
        if paper is None:
            data: Any = listing.papers(store)
        elif span is None or span.day is None:
            data = listing.issues(store, paper, span)
        else:
            data = listing.articles(store, paper, span.day)
    if json_output:
        print_json(data)
    else:
        for line in listing.as_lines(data):
            typer.echo(line)


@app.command("show")
def show_command(
    article_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...", help="Article ids or unique prefixes of them (at least 6 digits); - reads them."
        ),
    ],
    *,
    archive: ArchiveOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show articles, each by its id or a unique prefix of it.

    Example: epaper show 5c1f0e 8a2b7d
    """
    from epaper_cli import listing, lookup

    with errors_to_exit(json_output):
        stdin = None if sys.stdin.isatty() else sys.stdin
        found = lookup.find(open_archive(archive), lookup.expand_keys(article_ids, stdin))
    if json_output:
        print_json([listing.article_json(f.issue, f.page, f.article) for f in found])
    else:
        for index, one in enumerate(found):
            if index:
                typer.echo("")
            for line in listing.article_lines(one.issue, one.page, one.article):
                typer.echo(line)


@app.command("check")
def check_command(
    *,
    archive: ArchiveOption = None,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="First write the digest line of issue files that lack one (written by an earlier epaper) or that "
            "were changed by hand, when they pass every other check; move captures an earlier epaper kept one "
            "file each into packs, and build the raw store's index again from the packs.",
        ),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Validate the archive: every issue file and every kept capture. Problems print as `file: reason`; when
    there is none, a one-line summary on standard error.

    Example: epaper check --archive ~/papers || echo "archive needs attention"
    """
    from epaper_cli.checking import check_archive, repair_raw, seal, summary

    with errors_to_exit(json_output):
        store = open_archive(archive)
        if fix:
            for path in seal(store):
                say(f"epaper: {path}: digest line written")
            for path, done in repair_raw(store):
                say(f"epaper: {path}: {done}")
        problems = check_archive(store)
    if not problems:
        say(f"epaper: {store.root}: {summary(store)}")
    if json_output:
        print_json([{"file": file, "problem": reason} for file, reason in problems])
    else:
        for file, reason in problems:
            typer.echo(f"{file}: {reason}")
    if problems:
        raise typer.Exit(1)


@app.command("report")
def report_command(
    *,
    archive: ArchiveOption = None,
    paper: Annotated[str | None, typer.Option(metavar="NAME", help="Only this paper.")] = None,
    date: DateSpecOption = None,
    json_output: JsonOption = False,
) -> None:
    """Report what the archive lacks: missing dates and pages, empty, cut-off and duplicate articles.

    Example: epaper report --paper 衢州日报 --date 2025-08
    """
    from epaper_cli.dates import parse_span
    from epaper_cli.report import report

    with errors_to_exit(json_output):
        span = parse_span(date) if date is not None else None
        reports = report(open_archive(archive), paper, span)
    if json_output:
        print_json([found.as_json() for found in reports])
    else:
        for found in reports:
            for line in found.lines():
                typer.echo(line)


def main() -> None:
    """Console entry point: no traceback for interrupts, closed pipes or unexpected failures."""
    run(app)


# The commands kept in modules of their own register themselves on `app` when imported.
from epaper_cli import cli_care, cli_cite, cli_search  # noqa: E402, F401
