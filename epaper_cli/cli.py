"""The `epaper` command: thin Typer commands that wire readers, the archive and writers together."""

import datetime as dt
import itertools
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from epaper_cli import __version__
from epaper_cli.errors import EpaperError, UsageError

if TYPE_CHECKING:
    from epaper_cli.archive import Archive

app = typer.Typer(
    name="epaper",
    help="Archive newspaper articles copied from digital-newspaper reader apps, and export whole issues.",
    epilog="Example: epaper import captures/ && epaper export --epub --pdf",
    add_completion=False,
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


# -- plumbing ------------------------------------------------------------------------------------------


def fail(error: EpaperError) -> NoReturn:
    """Report an error as one line on standard error and leave with its exit code."""
    say(f"epaper: {error.what}: {error.why}")
    raise typer.Exit(error.exit_code)


def say(message: str) -> None:
    """A message for the person at the terminal: standard error, never mixed with data."""
    typer.echo(message, err=True)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Turn the project's errors into `epaper: <what>: <why>` and an exit code, never a traceback."""
    try:
        yield
    except EpaperError as error:
        fail(error)


def open_archive(path: Path | None) -> "Archive":
    """The archive named by --archive or EPAPER_ARCHIVE, else ./archive."""
    from epaper_cli.archive import Archive

    return Archive(path if path is not None else Path("archive"))


def parse_date(value: str | None, option: str) -> dt.date | None:
    """Read a one-day option value (YYYY-MM-DD) with the parser every command shares."""
    from epaper_cli.dates import parse_day

    return None if value is None else parse_day(value, option)


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
            metavar="PATH", help="Capture files, folders (every *.txt below, sorted), or - for standard input."
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
    from epaper_cli.console import ImportConsole
    from epaper_cli.formats import ReadOptions
    from epaper_cli.importing import expand_paths, run_import

    with errors_to_exit():
        if year is not None and not 1800 <= year <= 2200:
            raise UsageError("--year", f"{year} is not a plausible year")
        options = ReadOptions(paper, parse_date(date, "--date"), year, encoding, keep_punctuation, plain_body)
        if encoding is not None:
            _check_encoding(encoding)
        if not paths:
            if sys.stdin.isatty():
                raise UsageError("import", "no input: give files, folders or -, or pipe a capture in")
            paths = ["-"]
        names = expand_paths(paths)
        first = next(names, None)
        if first is None:
            raise UsageError("import", "no *.txt file in the folders given")
        console = ImportConsole(json_output=json_output, quiet=quiet, dry_run=dry_run)
        report = run_import(
            open_archive(archive),
            console.watch(itertools.chain([first], names)),
            options,
            jobs=jobs,
            dry_run=dry_run,
            report=console.report(),
            progress=console.step,
        )
    raise typer.Exit(console.finish(report))


def _check_encoding(name: str) -> None:
    """Refuse an unknown --encoding before reading anything."""
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        raise UsageError("--encoding", f"unknown encoding {name!r}") from None


# -- export --------------------------------------------------------------------------------------------


@app.command("export")
def export_command(
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
    page_size: Annotated[str, typer.Option(metavar="SIZE", help="PDF page size: A4, A5 or letter.")] = "A4",
    vertical: Annotated[bool, typer.Option("--vertical", help="EPUB in vertical writing.")] = False,
) -> None:
    """Export an issue, or a month, a year or a range of issues as one book, as EPUB, PDF, text or JSON Lines.

    Example: epaper export --epub --pdf --paper 衢州日报 --date 2025-08 -o books/
    """
    from epaper_cli import exporting
    from epaper_cli.dates import parse_span

    chosen = (("epub", epub), ("pdf", pdf), ("text", txt), ("jsonl", jsonl))
    formats = [name for name, wanted in chosen if wanted]
    with errors_to_exit():
        if not formats:
            raise UsageError("export", "choose at least one of --epub, --pdf, --txt, --jsonl")
        span = parse_span(date) if date is not None else None
        options = exporting.ExportOptions(formats, output, font, page_size, vertical)
        for path in exporting.run(open_archive(archive), paper, span, options, sys.stdout.buffer):
            typer.echo(str(path))


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

    with errors_to_exit():
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
    article_id: Annotated[
        str, typer.Argument(metavar="ID", help="An article id or a unique prefix of it (at least 6 digits), or -.")
    ],
    *,
    archive: ArchiveOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show one article.

    Example: epaper show 5c1f0e
    """
    from epaper_cli import listing, lookup

    with errors_to_exit():
        stdin = None if sys.stdin.isatty() else sys.stdin
        keys = lookup.expand_keys([article_id], stdin)
        if len(keys) != 1:
            raise UsageError("show", "give one article id")
        found = lookup.find(open_archive(archive), keys)[0]
        issue, page, article = found.issue, found.page, found.article
    if json_output:
        print_json(listing.article_json(issue, page, article))
    else:
        for line in listing.article_lines(issue, page, article):
            typer.echo(line)


@app.command("check")
def check_command(*, archive: ArchiveOption = None, json_output: JsonOption = False) -> None:
    """Validate the archive: every issue file and every kept capture. Problems print as `file: reason`.

    Example: epaper check --archive ~/papers || echo "archive needs attention"
    """
    from epaper_cli.checking import check_archive

    with errors_to_exit():
        problems = check_archive(open_archive(archive))
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
    date: Annotated[
        str | None, typer.Option(metavar="SPEC", help="Only these dates: a day, a month, a year or a range A..B.")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Report what the archive lacks: missing dates and pages, empty, cut-off and duplicate articles.

    Example: epaper report --paper 衢州日报 --date 2025-08
    """
    from epaper_cli.dates import parse_span
    from epaper_cli.report import report

    with errors_to_exit():
        span = parse_span(date) if date is not None else None
        reports = report(open_archive(archive), paper, span)
    if json_output:
        print_json({"papers": [found.as_json() for found in reports]})
    else:
        for found in reports:
            for line in found.lines():
                typer.echo(line)


def main() -> None:
    """Console entry point: no traceback for interrupts, closed pipes or unexpected failures."""
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
    except Exception as exc:  # a bug: still one line, with a way to get the details
        if os.environ.get("EPAPER_DEBUG"):
            raise
        say(f"epaper: internal error: {type(exc).__name__}: {exc} (set EPAPER_DEBUG=1 for details)")
        code = 1
    if code == 130:  # Ctrl-C (Typer turns it into exit status 130 without a word)
        say("epaper: interrupted")
    _leave(code)


def _leave(code: int | str | None) -> NoReturn:
    """Flush the output and exit at once, without taking the interpreter down object by object.

    Every file epaper writes is closed by then; what is left is freeing each object of a loaded issue and of
    the libraries, which the operating system does in one go, and which costs a small command a tenth of
    its time.
    """
    if isinstance(code, str):
        say(code)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (epaper list | head): nothing more to say
            code = code or 1
        except (OSError, ValueError):
            pass
    os._exit(code or 0)


from epaper_cli import cli_cite  # noqa: E402, F401  (registers `epaper cite` and `epaper paper` on the app)
