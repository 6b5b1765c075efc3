"""The EPUB cover: a PNG that shows the paper's name and date like a masthead, so a library shelf can tell
issues apart.

Drawn with Pillow (reportlab depends on it; reportlab's own renderPM needs a Cairo backend that is often
missing). Without a font that covers the text, the cover keeps its design but drops the text rather than
showing empty boxes; without Pillow it is a plain PNG written with zlib.
"""

from __future__ import annotations

import functools
import shutil
import struct
import subprocess
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 1800
MARGIN = 100
PAPER = (246, 241, 230)
INK = (34, 30, 28)
RED = (163, 22, 28)
GREY = (110, 100, 92)


def cover_png(masthead: str, lines: Sequence[str], details: Sequence[str]) -> bytes:
    """The cover image: the masthead in large red type, `lines` (date, counts) under it, `details` below."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover - Pillow comes with reportlab
        return _plain_png()
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    _rule(draw, 150, 14, RED)
    _rule(draw, 176, 3, RED)
    _rule(draw, 560, 6, INK)
    _rule(draw, 574, 2, INK)
    _rule(draw, HEIGHT - 150, 2, INK)
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
    shown = list(details[:14])
    if len(details) > len(shown):
        shown[-1] = "…"
    for line in shown:
        _centered(draw, line, y, _fitted(path, index, line, 40, WIDTH - 2 * MARGIN), INK)
        y += 62
    return _png_bytes(image)


def _rule(draw: ImageDraw.ImageDraw, y: int, thickness: int, colour: tuple[int, int, int]) -> None:
    """A horizontal newspaper rule across the type area."""
    draw.rectangle((MARGIN, y, WIDTH - MARGIN, y + thickness - 1), fill=colour)


def _centered(
    draw: ImageDraw.ImageDraw,
    text: str,
    y: int,
    font: ImageFont.FreeTypeFont,
    colour: tuple[int, int, int],
    anchor: str = "ms",
) -> None:
    """Draw one line centred across the page, standing on baseline `y` (or centred on it with anchor "mm")."""
    draw.text((WIDTH // 2, y), text, font=font, fill=colour, anchor=anchor)


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
    """A serif (Song) bold face that has every character of the text, found through fontconfig."""
    fc_list = shutil.which("fc-list")
    chars = sorted({ord(ch) for ch in text if not ch.isspace()})
    if fc_list is None or not chars:
        return None
    charset = " ".join(f"{code:x}" for code in chars)
    try:
        listing = subprocess.run(
            [fc_list, f":charset={charset}", "--format", "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\n"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    faces = [line.split("\t") for line in listing.splitlines() if line.count("\t") == 3]
    faces = [face for face in faces if face[1].isdigit() and "mono" not in face[2].lower()]
    if not faces:
        return None
    best = min(faces, key=_rank)
    return best[0], int(best[1])


def _rank(face: list[str]) -> tuple[int, int, str, str]:
    """Song faces for Simplified Chinese first, bold before regular, then by path for a stable choice."""
    family, style = face[2].lower(), face[3].lower()
    if "serif cjk sc" in family or "source han serif sc" in family or "source han serif cn" in family:
        kind = 0
    elif "serif cjk" in family or "source han serif" in family or "song" in family:
        kind = 1
    elif "serif" in family:
        kind = 2
    else:
        kind = 3
    weight = 0 if style == "bold" else 1 if style in ("regular", "book", "roman") else 2
    return (kind, weight, face[0], face[1])


def _png_bytes(image: Image.Image) -> bytes:
    """Encode the image as PNG."""
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _plain_png() -> bytes:  # pragma: no cover - only without Pillow
    """A textless cover with the masthead rules, written by hand."""
    width, height = WIDTH // 2, HEIGHT // 2
    blank = b"\x00" + bytes(PAPER) * width
    red = b"\x00" + bytes(PAPER) * (MARGIN // 2) + bytes(RED) * (width - MARGIN) + bytes(PAPER) * (MARGIN // 2)
    rows = [red if 75 <= y < 82 or 88 <= y < 90 else blank for y in range(height)]
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
