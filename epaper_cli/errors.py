"""The one exception hierarchy: only the CLI turns these into `epaper: <what>: <why>` and an exit code."""

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
