"""The EPUB cover: a PNG that shows the paper's name and date like a masthead, so a library shelf can tell
issues apart.

Drawn with Pillow (reportlab depends on it; reportlab's own renderPM needs a Cairo backend that is often
missing). Without a font that covers the text, the cover keeps its design but drops the text rather than
showing empty boxes; without Pillow it is a plain PNG written with zlib.

The cover costs little to make: it is a palette image (one byte a pixel, not three), written as a PNG here
with zlib's run-length strategy (Pillow's PNG encoder tries five filters on every row, which costs more than
the drawing). Its font comes from the same discovery as the PDF writer's (`formats.fonts`).
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from epaper_cli.workers import Helper

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

    from epaper_cli.formats import fonts

WIDTH, HEIGHT = 1200, 1800
LEFT = 1
"""The cover is drawn right of a column of zeros: the filter-type bytes (none) that start each row of PNG
image data, so Pillow's pixels are the PNG's rows as they stand, with no copy to interleave them."""
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


Request = tuple[str, list[str], list[str]]
"""What a cover shows: the masthead, the lines under it, the details below (see `cover_png`)."""


def painter() -> Helper[Request, bytes]:
    """A process that loads Pillow and opens the cover font now, and draws the cover once it is told what it
    shows: the drawing costs the export almost nothing while the issue is read and the book written."""
    return Helper(lambda request: cover_png(*request), setup=_get_ready)


def _get_ready() -> None:
    """Load Pillow and open the font most covers use, at the sizes they use."""
    from PIL import Image, ImageDraw, ImageFont  # noqa: F401

    from epaper_cli.formats import fonts

    faces = sorted(fonts.discover(), key=_cover_rank)
    if faces:
        for size in (230, 60, 44, 40):
            _load(faces[0].path, faces[0].index, size)


def cover_png(masthead: str, lines: Sequence[str], details: Sequence[str]) -> bytes:
    """The cover image: the masthead in large red type, `lines` (date, counts) under it, `details` below."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover - Pillow comes with reportlab
        return _plain_png()
    image = Image.new("P", (LEFT + WIDTH, HEIGHT), _paper(RED))
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L"  # anti-aliased: Pillow's default for palette images is black and white
    _rule(draw, 150, 14, RED)
    _rule(draw, 176, 3, RED)
    _rule(draw, 560, 6, INK)
    _rule(draw, 574, 2, INK)
    _rule(draw, FOOT_RULE, 2, INK)
    font = _font_for("".join([masthead, *lines, *details])) or _font_for("".join([masthead, *lines]))
    if font is None:
        return _png_bytes(image)
    if font != _font_for("".join([masthead, *lines, *details])):
        details = []
    path, index = font
    _centered(draw, masthead, 370, _fitted(path, index, masthead, 230, WIDTH - 2 * MARGIN), RED, "mm")
    y = 680
    for number, line in enumerate(lines):
        size = 60 if number == 0 else 44
        _centered(draw, line, y, _fitted(path, index, line, size, WIDTH - 2 * MARGIN), INK if number == 0 else GREY)
        y += size + 40
    y += 60
    room = max(1, (FOOT_RULE - 30 - y) // DETAIL_PITCH + 1)  # every baseline clear of the foot rule
    shown = list(details[:room])
    if len(details) > len(shown):
        shown[-1] = "…"
    for line in shown:
        _centered(draw, line, y, _fitted(path, index, line, 40, WIDTH - 2 * MARGIN), INK)
        y += DETAIL_PITCH
    return _png_bytes(image)


def _paper(colour: tuple[int, int, int]) -> int:
    """The palette index of the paper at the bottom of an ink's ramp."""
    return _INKS.index(colour) * SHADES


def _solid(colour: tuple[int, int, int]) -> int:
    """The palette index of the ink itself, at the top of its ramp."""
    return _paper(colour) + SHADES - 1


@functools.lru_cache(maxsize=1)
def _palette() -> bytes:
    """The PNG palette: one ramp per ink, paper to ink."""
    out = bytearray()
    for colour in _INKS:
        for step in range(SHADES):
            out += bytes(round(p + (c - p) * step / (SHADES - 1)) for p, c in zip(PAPER, colour, strict=True))
    return bytes(out)


def _rule(draw: ImageDraw.ImageDraw, y: int, thickness: int, colour: tuple[int, int, int]) -> None:
    """A horizontal newspaper rule across the type area."""
    draw.rectangle((LEFT + MARGIN, y, LEFT + WIDTH - MARGIN, y + thickness - 1), fill=_solid(colour))


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
        left, top, right, bottom = draw.textbbox((LEFT + WIDTH // 2, y), text, font=font, anchor=anchor)
        draw.rectangle((left - 2, top - 2, right + 2, bottom + 2), fill=_paper(colour))
    draw.text((LEFT + WIDTH // 2, y), text, font=font, fill=_solid(colour), anchor=anchor)


def _fitted(path: str, index: int, text: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    """The font at `size`, or smaller so the text fits the width."""
    font = _load(path, index, size)
    length = font.getlength(text)
    if length > width:
        font = _load(path, index, max(24, int(size * width / length)))
    return font


@functools.lru_cache(maxsize=32)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    """Open a face once per size: FreeType parses the font file only on the first call."""
    from PIL import ImageFont

    return ImageFont.truetype(path, size, index=index)


@functools.lru_cache(maxsize=16)
def _font_for(text: str) -> tuple[str, int] | None:
    """A serif (Song) bold face that has every character of the text, from the fonts the PDF writer finds
    (fontconfig or the usual font folders), its coverage read from the fonts' cache."""
    from epaper_cli.formats import fonts

    chars = {ord(ch) for ch in text if not ch.isspace()}
    if not chars:
        return None
    for face in sorted(fonts.discover(), key=_cover_rank):
        if fonts.has_all(face, chars):
            return face.path, face.index
    return None


def _cover_rank(face: fonts.Face) -> tuple[bool, int, int, str, int]:
    """Song faces for Simplified Chinese first, bold before regular, then by path for a stable choice."""
    return (face.kind != "serif", face.region, abs(face.weight - 700), face.path, face.index)


def _png_bytes(image: Image.Image) -> bytes:
    """Encode the palette image as PNG: its rows start with the filter bytes already (see LEFT); no filters
    (flat colour compresses well without them), and zlib's run-length strategy, made for image data and several
    times faster than its default."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    compressed = packer.compress(image.tobytes()) + packer.flush()
    return _png_file((image.size[0] - LEFT, image.size[1]), 3, _palette(), compressed)


def _png_file(size: tuple[int, int], colour_type: int, palette: bytes, compressed: bytes) -> bytes:
    """A PNG file of 8-bit samples from its compressed scanlines (with a palette for colour type 3)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size[0], size[1], 8, colour_type, 0, 0, 0)
    chunks = [chunk(b"IHDR", header), chunk(b"PLTE", palette) if palette else b"", chunk(b"IDAT", compressed)]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + chunk(b"IEND", b"")


def _plain_png() -> bytes:  # pragma: no cover - only without Pillow
    """A textless cover with the masthead rules, written by hand."""
    width, height = WIDTH // 2, HEIGHT // 2
    blank = b"\x00" + bytes(PAPER) * width
    red = b"\x00" + bytes(PAPER) * (MARGIN // 2) + bytes(RED) * (width - MARGIN) + bytes(PAPER) * (MARGIN // 2)
    rows = [red if 75 <= y < 82 or 88 <= y < 90 else blank for y in range(height)]
    return _png_file((width, height), 2, b"", zlib.compress(b"".join(rows), 9))
