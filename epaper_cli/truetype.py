"""CFF fonts made embeddable in a PDF: reportlab embeds only TrueType outlines, while the most common free CJK
fonts (Noto CJK, Source Han) are CFF-flavoured. Their glyphs are converted to TrueType with fontTools, a few
thousand at a time, into a font kept in the user's cache folder that grows as new characters turn up, so only
the first export pays for it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from epaper_cli.errors import ExportError
from epaper_cli.fontcache import CACHE_VERSION, cache_dir, coverage, file_coverage, keep_coverage
from epaper_cli.fontfinder import Face
from epaper_cli.formats.typefaces import FontFile


def _cached_path(face: Face) -> Path:
    """Where the TrueType conversion of a CFF face lives: named after the source file's identity."""
    stat = os.stat(face.path)
    size, mtime = stat.st_size, stat.st_mtime_ns
    key = f"{CACHE_VERSION}|{os.path.realpath(face.path)}|{face.index}|{size}|{mtime}"
    import hashlib  # the converted fonts keep the names they were given when they were made

    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    stem = re.sub(r"[^A-Za-z0-9]+", "-", f"{face.family} {face.style}").strip("-") or "font"
    return cache_dir() / "fonts" / f"{stem}-{digest}.ttf"


def common_chars() -> frozenset[int]:
    """What nearly every Chinese text uses (ASCII, punctuation, GB2312's 3755 level-1 hanzi): converted up front."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2010, 0x2027))
    chars |= set(range(0x3000, 0x3020)) | set(range(0xFF01, 0xFF5F))
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def embeddable(face: Face, chars: Iterable[int], *, warm: bool = False) -> FontFile | None:
    """A TrueType file and face index reportlab can embed, with every one of `chars` the face has; None if none.

    CFF faces are converted glyph by glyph into a cached TrueType font that grows as new characters turn up;
    `warm` also converts the common characters the first time, so later issues rarely need new glyphs.
    """
    wanted = set(chars)
    if not face.cff:
        return face if wanted & coverage(face) else None
    target = _cached_path(face)
    with _cache_lock(target):
        have = file_coverage(str(target), 0) if target.exists() else frozenset()
        todo = (wanted - have) & coverage(face) if wanted - have else set()
        if not target.exists() and warm:
            todo |= common_chars() & coverage(face)
        if todo:
            target = _convert(face, todo, target)
            have = have | todo
            keep_coverage(str(target), 0, have)  # so the next export reads it without fontTools
    return FontFile(str(target), 0) if wanted & have else None


@contextlib.contextmanager
def _cache_lock(target: Path) -> Iterator[None]:
    """Serialise growing one cached font, so two first exports at once do not drop each other's glyphs."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: conversions rarely race there, and the write is atomic
        yield
        return
    with open(target.with_suffix(".lock"), "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def _convert(face: Face, codes: set[int], target: Path) -> Path:
    """Add TrueType versions of the face's glyphs for `codes` to the cached font, writing it atomically.

    Glyphs already in the cache are carried over as compiled bytes: recompiling them would cost seconds.
    """
    from fontTools.ttLib import TTFont

    source = TTFont(face.path, fontNumber=face.index, lazy=True)
    source_cmap: dict[int, str] = source.getBestCmap() or {}
    raw: dict[str, bytes] = {}
    advances: dict[str, int] = {}
    cmap: dict[int, str] = {}
    if target.exists():
        old = TTFont(str(target))
        old_glyphs, old_metrics = old["glyf"].glyphs, old["hmtx"].metrics
        for name in old.getGlyphOrder():
            raw[name] = getattr(old_glyphs[name], "data", b"")
            advances[name] = old_metrics[name][0]
        cmap.update(old.getBestCmap() or {})
    for code in sorted(codes):
        cmap[code] = source_cmap[code]
    new = [name for name in [".notdef", *sorted(set(cmap.values()))] if name not in raw]
    for name, data, advance in _outlines_parallel(face, new) if len(new) > 600 else _outlines(face, new, source):
        raw[name], advances[name] = data, advance
    return _save(_build(source, face, raw, advances, cmap), target)


def _outlines(face: Face, names: list[str], source: Any = None) -> list[tuple[str, bytes, int]]:
    """Quadratic TrueType outlines of CFF glyphs, compiled, with their advance widths."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    if source is None:
        source = TTFont(face.path, fontNumber=face.index, lazy=True)
    glyph_set, hmtx = source.getGlyphSet(), source["hmtx"]
    out = []
    for name in names:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        out.append((name, pen.glyph().compile(None) if pen.points else b"", hmtx[name][0]))
    return out


def _outlines_parallel(face: Face, names: list[str]) -> list[tuple[str, bytes, int]]:
    """Convert a first batch of thousands of glyphs on every core; serially where processes are unavailable."""
    from concurrent.futures import ProcessPoolExecutor

    workers = max(1, min(os.cpu_count() or 1, 8))
    if workers == 1:
        return _outlines(face, names)
    chunks = [names[i::workers] for i in range(workers)]
    try:
        with ProcessPoolExecutor(workers) as pool:
            return [item for chunk in pool.map(_outlines, [face] * workers, chunks) for item in chunk]
    except (OSError, RuntimeError, ImportError):
        return _outlines(face, names)


def _build(source: Any, face: Face, raw: dict[str, bytes], advances: dict[str, int], cmap: dict[int, str]) -> Any:
    """A TrueType font from compiled glyphs, its summary values (bounds, maxp) read from the glyph headers."""
    import struct

    from fontTools.fontBuilder import FontBuilder
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    order = [".notdef", *sorted(name for name in raw if name != ".notdef")]
    bounds = {name: struct.unpack(">hhhhh", raw[name][:10]) for name in order if raw[name]}
    points = [
        struct.unpack(">H", data[8 + 2 * box[0] : 10 + 2 * box[0]])[0] + 1
        for name, box in bounds.items()
        if (data := raw[name]) and box[0] > 0
    ]
    builder = FontBuilder(source["head"].unitsPerEm, isTTF=True)
    builder.font.recalcBBoxes = False
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    builder.font["loca"], glyf = newTable("loca"), newTable("glyf")
    glyf.glyphs, glyf.glyphOrder = {name: Glyph(raw[name]) for name in order}, order
    builder.font["glyf"] = glyf  # set directly: setupGlyf would decompile every glyph to look for cubics
    lsb = {name: bounds[name][1] if name in bounds else 0 for name in order}
    builder.setupHorizontalMetrics({name: (advances[name], lsb[name]) for name in order})
    boxes = list(bounds.values()) or [(0, 0, 0, 0, 0)]
    head = builder.font["head"]
    head.xMin, head.yMin = min(b[1] for b in boxes), min(b[2] for b in boxes)
    head.xMax, head.yMax = max(b[3] for b in boxes), max(b[4] for b in boxes)
    maxp = builder.font["maxp"]
    maxp.maxPoints = max(points, default=0)
    maxp.maxContours = max((b[0] for b in boxes), default=0)
    hhea, os2, names = source["hhea"], source["OS/2"], source["name"]
    builder.setupHorizontalHeader(
        ascent=hhea.ascent,
        descent=hhea.descent,
        lineGap=hhea.lineGap,
        advanceWidthMax=max(advances.values()),
        minLeftSideBearing=min(lsb.values()),
        minRightSideBearing=min(advances[n] - bounds[n][3] for n in bounds) if bounds else 0,
        xMaxExtent=max((b[3] for b in bounds.values()), default=0),
    )
    ps_name = str(names.getDebugName(6) or re.sub(r"[^A-Za-z0-9-]", "", face.family) or "EpaperFont")
    builder.setupNameTable({"familyName": face.family, "styleName": face.style, "psName": ps_name})
    builder.setupOS2(
        usWeightClass=os2.usWeightClass,
        fsType=os2.fsType,
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        sTypoLineGap=os2.sTypoLineGap,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        sxHeight=getattr(os2, "sxHeight", 0),
        sCapHeight=getattr(os2, "sCapHeight", 0),
    )
    builder.setupPost()
    return builder


def _save(builder: Any, target: Path) -> Path:
    """Write the font next to its final name and rename it, so a parallel export never reads half a file."""
    import tempfile

    for folder in (target.parent, Path(tempfile.gettempdir()) / f"epaper-fonts-{os.getpid()}"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                builder.save(out)
            final = folder / target.name
            os.replace(temp, final)
            return final
        except OSError:
            continue
    raise ExportError(str(target), "cannot write the converted font to the cache or a temporary folder")
