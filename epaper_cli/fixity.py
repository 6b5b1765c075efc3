"""Fixity for issue files: each ends with a digest line of everything before it, written with the file.

`# epaper-sha256: <hex>` is a YAML comment, so the file stays plain YAML for any reader, and it is written in the
same atomic write as the content (in the spirit of BagIt and OCFL manifests, without a second file that could
fall out of step). A file cut anywhere loses or breaks its last line; a changed byte changes the digest; so
`check` finds both.
"""

from __future__ import annotations

import hashlib
import re
from typing import BinaryIO

_LINE = re.compile(rb"# epaper-sha256: ([0-9a-f]{64})\n\Z")
_START = b"# epaper-sha256: "
_LINE_LENGTH = len(_START) + 64 + 1


class Sealing:
    """A binary file wrapper that hashes what is written through it, then `seal` writes the digest line."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)

    def seal(self) -> None:
        self.out.write(_START + self.digest.hexdigest().encode("ascii") + b"\n")


def split(data: bytes) -> tuple[bytes, str | None]:
    """An issue file's content without its digest line, and the digest it states (None: no digest line)."""
    match = _LINE.search(data, max(0, len(data) - _LINE_LENGTH))
    if match is None or match.start() != len(data) - _LINE_LENGTH:
        return data, None
    return data[: match.start()], match[1].decode("ascii")


def problem(data: bytes) -> str | None:
    """What is wrong with an issue file's fixity, or None when its digest line matches its content."""
    content, stated = split(data)
    if stated is None:
        return "no digest line at its end: cut short, or written by an earlier epaper (an import into it adds one)"
    if hashlib.sha256(content).hexdigest() != stated:
        return "changed since epaper wrote it: its content no longer matches its digest line"
    return None
