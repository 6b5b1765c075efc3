"""The EPUB cover: a PNG that shows the paper's name and date like a masthead, so a library shelf can tell
issues apart.

Drawn with Pillow (reportlab depends on it; reportlab's own renderPM needs a Cairo backend that is often
missing). Without a font that covers the text, the cover keeps its design but drops the text rather than
showing empty boxes; without Pillow it is a plain PNG written with zlib.

The cover costs little to make: it is a palette image (one byte a pixel, not three), written as a PNG here
with zlib's run-length strategy (Pillow's PNG encoder tries five filters on every row, which costs more than
the drawing), and the font fontconfig chose is remembered in the user's cache folder, so most exports start no
`fc-list` process.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

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
CACHE_VERSION = "1"
CACHE_ENTRIES = 256
"""Character sets remembered per font configuration (each new set of page names is one entry)."""


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
    """A serif (Song) bold face that has every character of the text, found through fontconfig.

    fontconfig's answer is kept in the user's cache folder, keyed by the characters and by the modification
    times of fontconfig's configuration, cache and font folders, so it is asked again once fonts change."""
    fc_list = shutil.which("fc-list")
    chars = sorted({ord(ch) for ch in text if not ch.isspace()})
    if fc_list is None or not chars:
        return None
    charset = " ".join(f"{code:x}" for code in chars)
    stamp = _fontconfig_stamp(fc_list)
    faces = _cached_faces(stamp)
    if charset in faces:
        face = faces[charset]
        if face is None or os.path.isfile(face[0]):
            return face
    try:
        run = subprocess.run(
            [fc_list, f":charset={charset}", "--format", "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\n"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = _best_face(run.stdout)
    if run.returncode:  # a failing fontconfig's answer is not worth keeping
        return found
    faces.pop(charset, None)
    faces[charset] = found
    _store_faces(stamp, faces)
    return found


def _best_face(listing: str) -> tuple[str, int] | None:
    """The best face of an `fc-list` listing (file, index, family, style per line)."""
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


def _cache_file() -> Path:
    """Where fontconfig's answers are kept: the per-user cache folder the PDF writer's fonts use too."""
    home = Path(os.path.expanduser("~"))  # never raises, unlike Path.home() without a home
    if sys.platform == "darwin":
        base = home / "Library/Caches/epaper"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or str(home / "AppData/Local")) / "epaper" / "Cache"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or str(home / ".cache")) / "epaper"
    return base / "cover-fonts.json"


def _fontconfig_stamp(fc_list: str) -> str:
    """What fontconfig's answer depends on: its configuration, its caches and the font folders, as
    modification times (installing fonts and `fc-cache` change them), and the fontconfig settings."""
    home = Path(os.path.expanduser("~"))
    data = os.environ.get("XDG_DATA_HOME") or str(home / ".local/share")
    cache = os.environ.get("XDG_CACHE_HOME") or str(home / ".cache")
    folders = ["/etc/fonts", "/etc/fonts/conf.d", "/var/cache/fontconfig", f"{cache}/fontconfig"]
    folders += ["/usr/share/fonts", "/usr/local/share/fonts", f"{data}/fonts", str(home / ".fonts")]
    folders += [os.environ.get(name, "") for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH")]
    parts = [CACHE_VERSION, fc_list]
    for folder in folders:
        try:
            parts.append(f"{folder}:{os.stat(folder).st_mtime_ns}" if folder else "")
        except OSError:
            parts.append(f"{folder}:-")
    return "|".join(parts)


def _cached_faces(stamp: str) -> dict[str, tuple[str, int] | None]:
    """The remembered answers for this font configuration ({} when there are none or they are stale)."""
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        if data.get("stamp") != stamp:
            return {}
        return {str(k): (str(v[0]), int(v[1])) if v else None for k, v in data["faces"].items()}
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}


def _store_faces(stamp: str, faces: dict[str, tuple[str, int] | None]) -> None:
    """Remember the answers (the newest CACHE_ENTRIES), written atomically; a cache that cannot be written
    only costs the next export an `fc-list` run."""
    target = _cache_file()
    kept = dict(list(faces.items())[-CACHE_ENTRIES:])
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"stamp": stamp, "faces": kept}, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)


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
