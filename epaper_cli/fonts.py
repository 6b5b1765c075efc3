"""The fonts the writers are handed (`formats.typefaces.Fonts`): the installed Chinese fonts, or the font file
the user named, prepared for embedding.

This module is only the door: the font finder (`fontfinder`), the caches (`fontcache`) and the conversion of
CFF outlines (`truetype`) load when a writer first asks, so a text export pays for none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from epaper_cli.fontfinder import Face
    from epaper_cli.formats.typefaces import FontFile

INSTALL_HINT = "install a Chinese font (e.g. `apt install fonts-noto-cjk`) or pass --font PATH (or set EPAPER_FONT)"


class SystemFonts:
    """The installed fonts, or the font file the user named, as the writers ask for them."""

    def __init__(self, font: str | None = None) -> None:
        self.font = font

    @property
    def hint(self) -> str:
        """What to do when no face has a character."""
        return "pass --font PATH with a font that has them" if self.font else INSTALL_HINT

    def text_faces(self) -> tuple[Face, Face]:
        """The user's font for body and headings, else a Song body and a Hei heading."""
        from epaper_cli import fontfinder

        return fontfinder.choose(self.font)

    def embeddable(self, face: FontFile, chars: frozenset[int], *, main: bool) -> FontFile | None:
        """The face as it is when TrueType; a CFF face's glyphs converted and kept (the main faces' common
        characters too, the first time)."""
        from epaper_cli import fontfinder, truetype

        if not isinstance(face, fontfinder.Face):  # not one of ours: used as it is
            return face
        return truetype.embeddable(face, chars, warm=main)

    def fallbacks(self, chars: frozenset[int], like: FontFile) -> list[Face]:
        """Installed faces that may have what `like` lacks."""
        from epaper_cli import fontfinder

        return fontfinder.fallbacks(chars, like if isinstance(like, fontfinder.Face) else None)

    def cover_face(self, chars: frozenset[int]) -> Face | None:
        """A serif (Song) bold face that has every one of the characters, from the installed faces."""
        from epaper_cli import fontfinder

        return fontfinder.cover_face(chars)
