"""What `epaper import` shows while it runs: each article's outcome on standard output as soon as its issue is
written (a tab-separated line, or one JSON array streamed element by element), a progress line when standard
error is a terminal, then the errors, notes and summary on standard error."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

import typer

from epaper_cli.archive import Outcome
from epaper_cli.importing import ImportReport
from epaper_cli.visible import visible


class ImportConsole:
    """The terminal side of one import run."""

    def __init__(self, *, json_output: bool, quiet: bool, dry_run: bool) -> None:
        self.json_output = json_output
        self.quiet = quiet
        self.dry_run = dry_run
        self.printed = 0
        self.progress = _Progress() if not quiet and sys.stderr.isatty() else None

    def watch(self, names: Iterable[str]) -> Iterable[str]:
        """The inputs, listed first to know their number only when a person watches the progress line."""
        return self.progress.count(names) if self.progress is not None else names

    def report(self) -> ImportReport:
        """A report that prints each article's outcome as soon as its issue is written."""
        return ImportReport(emit=self._json if self.json_output else self._line)

    def step(self) -> None:
        """One more input read."""
        if self.progress is not None:
            self.progress.step()

    def finish(self, report: ImportReport) -> int:
        """Close the output, print the errors, the notes and the summary; the exit status of the run."""
        if self.progress is not None:
            self.progress.done()
        if self.json_output:
            sys.stdout.write("\n]\n" if self.printed else "[]\n")
            sys.stdout.flush()
        for error in report.failures:
            typer.echo(f"epaper: {error.what}: {error.why}", err=True)
        if not self.quiet:
            for note in report.notes:
                typer.echo(f"epaper: {note}", err=True)
            summary = ", ".join(f"{n} {s}" for s, n in report.counts.items())
            failed = f"; {len(report.failures)} failed" if report.failures else ""
            typer.echo(f"epaper: {'would import' if self.dry_run else 'imported'}: {summary}{failed}", err=True)
        return 1 if report.failures else 0

    def _line(self, _name: str, o: Outcome) -> None:
        """One imported article as a tab-separated line."""
        if sys.stdout.isatty() and sys.stderr.isatty():
            sys.stderr.write("\r\033[K")  # clear the progress line, which shares the terminal
        typer.echo(visible(f"{o.status}\t{o.paper}\t{o.date}\t{o.page}\t{o.article_id}\t{o.title}"))

    def _json(self, name: str, outcome: Outcome) -> None:
        """One imported article as the next element of the JSON array, so a long run holds none of them."""
        import json

        item = json.dumps(outcome_json(name, outcome), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        sys.stdout.write(("[\n  " if self.printed == 0 else ",\n  ") + item)
        self.printed += 1


def outcome_json(name: str, outcome: Outcome) -> dict[str, Any]:
    """The stable JSON shape of one imported article."""
    return {
        "file": name,
        "paper": outcome.paper,
        "date": outcome.date.isoformat(),
        "page": outcome.page,
        "title": outcome.title,
        "id": outcome.article_id,
        "status": outcome.status,
        "path": str(outcome.path),
    }


class _Progress:
    """A progress line on the terminal: `importing 120/2880`."""

    def __init__(self) -> None:
        self.index = 0
        self.total = 0

    def count(self, names: Iterable[str]) -> list[str]:
        """List the inputs to know the total: done only for a person watching; scripts stream the folder."""
        listed = list(names)
        self.total = len(listed)
        return listed

    def step(self) -> None:
        self.index += 1
        if self.total > 1:
            sys.stderr.write(f"\rimporting {self.index}/{self.total}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.total > 1:
            sys.stderr.write("\r\033[K")
