"""The PDF's fonts for one role (body or headings): which embedded face draws each character, and its width.

The faces come from the writer's `typefaces.Fonts`: the main face first, then fallbacks for what it lacks;
each is registered with reportlab once per version of its file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from epaper_cli.errors import ExportError
from epaper_cli.formats.pdf_linebreak import is_invisible
from epaper_cli.formats.typefaces import FontFile, Fonts


class FontSet:
    """Which embedded font draws each character for one role, and each character's width per point of size."""

    def __init__(self, face: FontFile, fonts: Fonts) -> None:
        self.face = face
        self.fonts = fonts
        self.glyphs: dict[str, tuple[str, float]] = {}
        self.ems: dict[str, float] = {}
        self.space = 0.3

    def add(self, chars: Iterable[str]) -> None:
        """Find a font for every new character: the main face, then fallbacks; ExportError names what is left."""
        wanted = {
            ord(c)
            for c in chars
            if c not in self.glyphs and (c in "\u00a0\u3000" or not c.isspace()) and not is_invisible(c)
        }
        if not wanted:
            return
        for face in self._candidates(wanted):
            main = face == self.face
            found = self.fonts.embeddable(face, frozenset(wanted), main=main)
            if found is None:
                continue
            name, font = _register(found, required=main)
            if font is None:
                continue
            widths, default = font.face.charWidths, font.face.defaultWidth
            for code in [code for code in wanted if code in font.face.charToGlyph]:
                self.glyphs[chr(code)] = (name, widths.get(code, default) / 1000)
                wanted.discard(code)
            if main and 32 in widths:
                self.space = widths[32] / 1000
            if not wanted:
                return
        listed = " ".join(f"{chr(code)} (U+{code:04X})" for code in sorted(wanted)[:12])
        raise ExportError(self.face.path, f"no installed font has a glyph for {listed}: {self.fonts.hint}")

    def _candidates(self, wanted: set[int]) -> Iterator[FontFile]:
        """The main face first; the fallbacks are asked for only when it lacks something (what is still wanted)."""
        yield self.face
        yield from (face for face in self.fonts.fallbacks(frozenset(wanted), self.face) if face != self.face)

    def width(self, text: str, size: float) -> float:
        """The natural width of a text (a word or a character) at a size."""
        em = self.ems.get(text)
        if em is None:
            if any(c not in self.glyphs for c in text):
                self.add(text)
            em = self.ems[text] = sum(
                self.glyphs[c][1] if c in self.glyphs else self.space if c == " " else 0.0 for c in text
            )
        return em * size

    def pieces(self, text: str) -> list[tuple[str, str]]:
        """Split a text into (font, text) pieces so each is drawn in a font that has its characters."""
        out: list[tuple[str, str]] = []
        for char in text:
            if char not in self.glyphs:
                continue  # invisible characters only: `add` has raised for anything else
            font = self.glyphs[char][0]
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + char)
            else:
                out.append((font, char))
        return out


registered: dict[str, TTFont] = {}
"""Every face registered with reportlab in this process, by the name the PDF's text refers to it by."""


def _register(face: FontFile, *, required: bool) -> tuple[str, TTFont | None]:
    """Register a TrueType face with reportlab once per version of the file."""
    stat = os.stat(face.path)
    key = f"{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}"
    name = "ep" + hashlib.sha256(key.encode()).hexdigest()[:12]
    if name not in registered:
        try:
            font = TTFont(name, face.path, subfontIndex=face.index)
        except (TTFError, ValueError, OSError) as error:
            if required:
                raise ExportError(face.path, f"the font cannot be embedded ({error}): pass --font PATH") from None
            return name, None
        pdfmetrics.registerFont(font)
        registered[name] = font
    return name, registered[name]
