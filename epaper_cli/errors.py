"""The one exception hierarchy, and the one way a command tells of one (`tell`): `epaper: <what>: <why>` on
standard error and an exit code (with `--json`, an error object on standard output as well)."""

from __future__ import annotations


class EpaperError(Exception):
    """A failure the user can act on: `what` names the file or thing, `why` says what is wrong and what to try."""

    exit_code = 1

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")
        self.what = what
        self.why = why

    def __reduce__(self) -> tuple[type[EpaperError], tuple[str, str]]:
        """Pickle as (what, why): an import's worker processes hand their errors back to the main one."""
        return type(self), (self.what, self.why)


class InputError(EpaperError):
    """A capture or input file that cannot be read into the model."""


class ArchiveError(EpaperError):
    """An archive file that is missing, corrupt, of an unknown format version, or cannot be written."""


class ExportError(EpaperError):
    """An issue that cannot be written to the requested format."""


class UsageError(EpaperError):
    """Options that do not fit together."""

    exit_code = 2


def error_json(what: str, why: str, status: int) -> str:
    """The `--json` shape of an error: `{"error": {"what", "why", "status"}}`."""
    import json  # only on this path: every command starts without it

    return json.dumps({"error": {"what": what, "why": why, "status": status}}, ensure_ascii=False, indent=2)


def tell(error: EpaperError, json_output: bool = False, status: int | None = None) -> int:
    """Tell of an error as every command does; the exit status (`status`, else the error's own)."""
    import sys

    status = error.exit_code if status is None else status
    if json_output:
        sys.stdout.write(error_json(error.what, error.why, status) + "\n")
        sys.stdout.flush()
    sys.stderr.write(f"epaper: {error.what}: {error.why}\n")
    sys.stderr.flush()
    return status
