"""The `epaper cite` and `epaper paper` commands, registered on the `epaper` app (cli.py imports this module)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from epaper_cli.cli import ArchiveOption, JsonOption, app, errors_to_exit, open_archive, print_json, say
from epaper_cli.errors import UsageError

paper_app = typer.Typer(
    name="paper",
    help="The paper registry (papers.yaml): other names, place, publisher, ISSN, CN number of each paper.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(paper_app)


@app.command("cite")
def cite_command(
    ids: Annotated[
        list[str],
        typer.Argument(metavar="ID...", help="Article ids or unique prefixes (at least 6 digits); - reads them."),
    ],
    *,
    style: Annotated[
        str, typer.Option(metavar="STYLE", help="gbt7714 (GB/T 7714-2015), csl-json, ris or bibtex (BibLaTeX).")
    ] = "gbt7714",
    archive: ArchiveOption = None,
) -> None:
    """Cite articles: GB/T 7714 lines, CSL-JSON, RIS or BibLaTeX on standard output.

    Example: epaper list --paper 衢州日报 --date 2025-08-26 --json | jq -r '.pages[].articles[].id' | epaper cite -
    """
    from epaper_cli import citing, lookup

    with errors_to_exit():
        citing.check_style(style)
        keys = lookup.expand_keys(ids, None if sys.stdin.isatty() else sys.stdin)
        store = open_archive(archive)
        citations = citing.cite(store, keys, style)
    if citations.registry_problems:
        say(
            f"epaper: {store.root / 'papers.yaml'}: {citations.registry_problems} problem(s), "
            "their fields left out of the citations (epaper check lists them)"
        )
    sys.stdout.write(citations.text)


@paper_app.command("set")
def paper_set_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The paper's name, as its issues carry it.")],
    *,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", metavar="NAME", help="Another name it goes by (repeatable).")
    ] = None,
    drop_alias: Annotated[
        list[str] | None, typer.Option("--drop-alias", metavar="NAME", help="Remove an alias (repeatable).")
    ] = None,
    language: Annotated[str | None, typer.Option(metavar="TAG", help="Language tag: zh-CN, zh-TW, en …")] = None,
    place: Annotated[str | None, typer.Option(metavar="TEXT", help="Where it is published.")] = None,
    publisher: Annotated[str | None, typer.Option(metavar="TEXT", help="Its publisher.")] = None,
    issn: Annotated[str | None, typer.Option(metavar="NNNN-NNNC", help="ISSN (its check digit is checked).")] = None,
    cn: Annotated[str | None, typer.Option(metavar="'CN NN-NNNN'", help="CN number (国内统一刊号).")] = None,
    frequency: Annotated[str | None, typer.Option(metavar="TEXT", help="How often it appears: daily …")] = None,
    archive: ArchiveOption = None,
) -> None:
    """Register a paper or change its entry; an empty value ('') removes that key.

    Example: epaper paper set 衢州日报 --place 衢州 --issn 1234-5679 --alias 衢州日報
    """
    from epaper_cli import papers

    given = {"language": language, "place": place, "publisher": publisher, "issn": issn, "cn": cn}
    given["frequency"] = frequency
    change = papers.Change({key: value for key, value in given.items() if value is not None})
    change.add_aliases, change.drop_aliases = alias or [], drop_alias or []
    with errors_to_exit():
        if not change:
            raise UsageError("paper set", "nothing to set: give --place, --issn, --alias …")
        info, dropped = papers.set_fields(open_archive(archive, new=True), name, change)
    if dropped:
        say(f"epaper: papers.yaml rewritten without its {len(dropped)} comment line(s)")
    for line in papers.info_lines(info):
        typer.echo(line)


@paper_app.command("show")
def paper_show_command(
    name: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="A paper's name or alias (default: every paper).")
    ] = None,
    *,
    archive: ArchiveOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show the registry's entry of a paper, or of every paper.

    Example: epaper paper show 衢州日报 --json
    """
    from epaper_cli import papers

    with errors_to_exit(json_output):
        found = papers.show(open_archive(archive), name)
    if json_output:
        data = [papers.info_json(info) for info in found]
        print_json(data)
        return
    for info in found:
        for line in papers.info_lines(info):
            typer.echo(line)
