"""What `epaper import` shows while it runs: each article's outcome on standard output as soon as its issue is
written (a tab-separated line, or the next element of one JSON array streamed element by element, the failed
inputs last), a progress line when standard error is a terminal, then the errors, notes and summary on standard
error."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from typing import Any

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
        self.stdout_closed = False
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
            for error in report.failures:
                self._item({"file": error.what, "status": "failed", "reason": error.why})
            self._write("\n]\n" if self.printed else "[]\n")
        if self.stdout_closed:
            _say(
                "epaper: standard output: closed by its reader before the end; the import went on to the end, "
                "the rest of its output was dropped"
            )
        for error in report.failures:
            _say(f"epaper: {error.what}: {error.why}")
        if not self.quiet:
            for note in report.notes:
                _say(f"epaper: {note}")
            summary = ", ".join(f"{n} {self._status(s)}" for s, n in report.counts.items())
            failed = f"; {len(report.failures)} failed" if report.failures else ""
            _say(f"epaper: {'dry run' if self.dry_run else 'imported'}: {summary}{failed}")
        return 1 if report.failures or self.stdout_closed else 0

    def abandon(self) -> None:
        """The run stopped on an error: close the JSON array begun, so what was printed stays valid JSON."""
        if self.json_output and self.printed:
            self._write("\n]\n")

    def _line(self, _name: str, o: Outcome) -> None:
        """One imported article as a tab-separated line."""
        if sys.stdout.isatty() and sys.stderr.isatty():
            sys.stderr.write("\r\033[K")  # clear the progress line, which shares the terminal
        changes = f"\t{', '.join(o.changes)}" if o.changes else ""
        status = self._status(o.status)
        self._write(visible(f"{status}\t{o.paper}\t{o.date}\t{o.page}\t{o.article_id}\t{o.title}{changes}") + "\n")

    def _status(self, status: str) -> str:
        """What happened to an article, or in a dry run what would: `would add`, `would replace`, `unchanged`."""
        return _WOULD.get(status, status) if self.dry_run else status

    def _json(self, name: str, outcome: Outcome) -> None:
        """One imported article as the next element of the JSON array, so a long run holds none of them."""
        data = outcome_json(name, outcome)
        data["status"] = self._status(outcome.status)
        self._item(data)

    def _item(self, data: dict[str, Any]) -> None:
        """The next element of the JSON array."""
        import json

        item = json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        self._write(("[\n  " if self.printed == 0 else ",\n  ") + item, flush=False)
        self.printed += 1

    def _write(self, text: str, *, flush: bool = True) -> None:
        """Write to standard output; once its reader is gone (`| head`), drop the rest: the import goes on, for
        its work is the archive, not the report."""
        if self.stdout_closed:
            return
        try:
            sys.stdout.write(text)
            if flush:
                sys.stdout.flush()
        except BrokenPipeError:
            self.stdout_closed = True
            with contextlib.suppress(OSError, ValueError):  # what is still buffered goes nowhere, quietly
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _say(message: str) -> None:
    """A message for the person at the terminal, at once: standard error, never mixed with data."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


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
        **({"changes": list(outcome.changes)} if outcome.changes else {}),
    }


_WOULD = {"added": "would add", "replaced": "would replace"}


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
