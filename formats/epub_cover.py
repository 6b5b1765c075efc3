"""The EPUB cover: a PNG that shows the paper's name and date like a masthead, so a library shelf can tell
issues apart.

Drawn with Pillow (reportlab depends on it; reportlab's own renderPM needs a Cairo backend that is often
missing), in the writer's own process, with a face the writer's `Fonts` picks. Without a face that has
every character of its text, the cover keeps its design but drops the text rather than showing empty boxes.

It is a palette image (one byte a pixel, not three), saved by Pillow's PNG writer with zlib's run-length
strategy: 6 ms for a 1200 × 1800 cover, against 23 ms with Pillow's default strategy and 95 ms for the same
cover in RGB.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

    from epaper_cli.formats.typefaces import FontFile, Fonts

WIDTH, HEIGHT = 1200, 1800
MARGIN = 100
PAPER = (246, 241, 230)
INK = (34, 30, 28)
RED = (163, 22, 28)
GREY = (110, 100, 92)

SHADES = 85
"""Palette entries per ink: a ramp from the paper (its first entry) to the ink (its last). Pillow draws
anti-aliased text into a palette image by blending palette indexes, so text drawn with the top of a ramp over
the bottom of the same ramp gets the right shades; three ramps fit in the 256 entries."""
_INKS = (RED, INK, GREY)
DETAIL_PITCH = 62
"""Baseline to baseline of the list of pages under the date."""
FOOT_RULE = HEIGHT - 150


def cover_png(masthead: str, lines: Sequence[str], details: Sequence[str], fonts: Fonts | None) -> bytes:
    """The cover image: the masthead in large red type, `lines` (date, counts) under it, `details` below."""
    from PIL import Image, ImageDraw

    image = Image.new("P", (WIDTH, HEIGHT), _paper(RED))
    image.putpalette(_palette())
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L"  # anti-aliased: Pillow's default for palette images is black and white
    _rule(draw, 150, 14, RED)
    _rule(draw, 176, 3, RED)
    _rule(draw, 560, 6, INK)
    _rule(draw, 574, 2, INK)
    _rule(draw, FOOT_RULE, 2, INK)
    face = None
    if fonts is not None:
        face = fonts.cover_face(_chars(masthead, *lines, *details))
        if face is None:
            face, details = fonts.cover_face(_chars(masthead, *lines)), []
    if face is not None:
        _letter(draw, face, masthead, lines, details)
    out = io.BytesIO()
    out.name = "cover.png"  # Pillow picks its PNG writer by the name, and loads no other (a format name loads five)
    image.save(out, compress_level=6, compress_type=zlib.Z_RLE)  # compress_type: zlib's strategy, not in its manual
    return out.getvalue()


def _chars(*texts: str) -> frozenset[int]:
    """The characters a face must have to draw the texts."""
    return frozenset(ord(ch) for text in texts for ch in text if not ch.isspace())


def _letter(
    draw: ImageDraw.ImageDraw, face: FontFile, masthead: str, lines: Sequence[str], details: Sequence[str]
) -> None:
    """Set the cover's text in one face: the masthead, the lines under it, then as many details as fit."""
    sizes: dict[int, ImageFont.FreeTypeFont] = {}
    _centered(draw, masthead, 370, _fitted(sizes, face, masthead, 230), RED, "mm")
    y = 680
    for number, line in enumerate(lines):
        size = 60 if number == 0 else 44
        _centered(draw, line, y, _fitted(sizes, face, line, size), INK if number == 0 else GREY)
        y += size + 40
    y += 60
    room = max(1, (FOOT_RULE - 30 - y) // DETAIL_PITCH + 1)  # every baseline clear of the foot rule
    shown = list(details[:room])
    if len(details) > len(shown):
        shown[-1] = "…"
    for line in shown:
        _centered(draw, line, y, _fitted(sizes, face, line, 40), INK)
        y += DETAIL_PITCH


def _paper(colour: tuple[int, int, int]) -> int:
    """The palette index of the paper at the bottom of an ink's ramp."""
    return _INKS.index(colour) * SHADES


def _solid(colour: tuple[int, int, int]) -> int:
    """The palette index of the ink itself, at the top of its ramp."""
    return _paper(colour) + SHADES - 1


def _palette() -> bytes:
    """The palette: one ramp per ink, paper to ink."""
    out = bytearray()
    for colour in _INKS:
        for step in range(SHADES):
            out += bytes(round(p + (c - p) * step / (SHADES - 1)) for p, c in zip(PAPER, colour, strict=True))
    return bytes(out)


def _rule(draw: ImageDraw.ImageDraw, y: int, thickness: int, colour: tuple[int, int, int]) -> None:
    """A horizontal newspaper rule across the type area."""
    draw.rectangle((MARGIN, y, WIDTH - MARGIN, y + thickness - 1), fill=_solid(colour))


def _centered(
    draw: ImageDraw.ImageDraw,
    text: str,
    y: int,
    font: ImageFont.FreeTypeFont,
    colour: tuple[int, int, int],
    anchor: str = "ms",
) -> None:
    """Draw one line centred across the page, standing on baseline `y` (or centred on it with anchor "mm")."""
    if _paper(colour):  # lay the paper of this ink's ramp under the line (it looks the same as the page)
        left, top, right, bottom = draw.textbbox((WIDTH // 2, y), text, font=font, anchor=anchor)
        draw.rectangle((left - 2, top - 2, right + 2, bottom + 2), fill=_paper(colour))
    draw.text((WIDTH // 2, y), text, font=font, fill=_solid(colour), anchor=anchor)


def _fitted(sizes: dict[int, ImageFont.FreeTypeFont], face: FontFile, text: str, size: int) -> ImageFont.FreeTypeFont:
    """The face at `size`, or smaller so the text fits between the margins (each size opened once)."""
    font = _sized(sizes, face, size)
    length, width = font.getlength(text), WIDTH - 2 * MARGIN
    if length > width:
        font = _sized(sizes, face, max(24, int(size * width / length)))
    return font


def _sized(sizes: dict[int, ImageFont.FreeTypeFont], face: FontFile, size: int) -> ImageFont.FreeTypeFont:
    """The face at a size, opened on first use: FreeType reads the font file once per size."""
    from PIL import ImageFont

    font = sizes.get(size)
    if font is None:
        font = sizes[size] = ImageFont.truetype(face.path, size, index=face.index)
    return font
