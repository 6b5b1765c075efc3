"""How the writers are given their fonts: the PDF sets its text in them, the EPUB cover draws its masthead.

Finding the installed fonts, keeping what they cover in a cache and converting CFF outlines to TrueType are
the command's work (`epaper_cli.fonts`); the writers only ask this interface and draw with what it hands
them, so they need no font folder, no fontconfig and no cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FontFile:
    """One face of a font file: its path, and its number in a collection (a .ttc holds several faces)."""

    path: str
    index: int


class Fonts(Protocol):
    """Where the writers' faces come from."""

    @property
    def hint(self) -> str:
        """What to tell the user when no face has a character (`pass --font PATH …`)."""
        ...

    def text_faces(self) -> tuple[FontFile, FontFile]:
        """The body face and the heading face (a Song and a Hei, or one font for both); ExportError if none."""
        ...

    def embeddable(self, face: FontFile, chars: frozenset[int], *, main: bool) -> FontFile | None:
        """A TrueType face reportlab can embed that has the characters of `chars` that `face` has (the face
        itself, or its outlines converted); None when `face` has none of them. `main` marks the body or
        heading face, worth preparing for more characters than asked."""
        ...

    def fallbacks(self, chars: frozenset[int], like: FontFile) -> Iterable[FontFile]:
        """Other faces that may have characters `like` lacks, the most like it first."""
        ...

    def cover_face(self, chars: frozenset[int]) -> FontFile | None:
        """A bold serif face that has every one of `chars`, for the EPUB cover; None when none has them all."""
        ...
