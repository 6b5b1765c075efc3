"""Chinese fonts on this system: find the installed faces, rank them, and choose the writers' faces.

The installed faces are kept in the user's cache folder (`faces.tsv`) and asked of fontconfig again only when
fonts are installed or removed; what each face covers is kept there too (`fontcache`), and CFF faces are
made embeddable in a PDF by `truetype`. The writers reach all of it through `fonts.SystemFonts`.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from epaper_cli.errors import ExportError
from epaper_cli.fontcache import CACHE_VERSION, cache_dir, digest, has_all, keep, mtime
from epaper_cli.fonts import INSTALL_HINT
from epaper_cli.formats.typefaces import FontFile

_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
_CJK_FILE = re.compile(
    r"noto.*cjk|sourcehan|source-han|wqy|uming|ukai|songti|pingfang|stheiti|hiragino sans gb|simsun|simhei|"
    r"msyh|simkai|simfang|stsong|stxihei|stkaiti|fangsong|droidsansfallback|arphic|gbsn|gkai|heiti|"
    r"arial unicode|sarasa|lxgw|zcool",
    re.IGNORECASE,
)
_GENERAL_FILE = re.compile(r"dejavusans\.ttf|dejavuserif\.ttf|seguisym|arialuni|apple symbols", re.IGNORECASE)
_PREFERRED = (
    "noto serif cjk",
    "source han serif",
    "songti",
    "noto sans cjk",
    "source han sans",
    "pingfang",
    "simsun",
    "microsoft yahei",
    "hiragino sans gb",
    "wenquanyi",
    "ar pl",
)
"""Families known to be complete and well drawn, best first; unknown families rank after them."""


@dataclass(frozen=True)
class Face(FontFile):
    """One face of a font file (a .ttc holds several), with what its name table says about it."""

    family: str
    style: str
    cff: bool

    @property
    def kind(self) -> Literal["serif", "sans", "other"]:
        """Song/Ming faces for body text, Hei faces for headings, as Chinese newspapers set them."""
        name = self.family.lower()
        if any(word in name for word in ("sans", "hei", "黑", "pingfang", "gothic", "yuan")):
            return "sans"
        if any(word in name for word in ("serif", "song", "ming", "sun", "宋", "明")):
            return "serif"
        return "other"

    @property
    def weight(self) -> int:
        """A CSS-style weight guessed from the style name, to pick Regular for text and Bold for titles."""
        style = self.style.lower().replace(" ", "")
        for words, weight in (
            (("extralight", "ultralight", "thin"), 200),
            (("semibold", "demibold"), 600),
            (("extrabold", "ultrabold", "black", "heavy"), 900),
            (("bold",), 700),
            (("medium",), 500),
            (("light",), 300),
        ):
            if any(word in style for word in words):
                return weight
        return 400

    @property
    def region(self) -> int:
        """How well the face's glyph shapes suit Simplified Chinese: 0 best."""
        name = self.family
        if re.search(r"\b(SC|GB|CN)\b|简|Simplified|WenQuanYi|SimSun|SimHei|YaHei|文泉", name):
            return 0
        if re.search(r"\b(TC|HK|TW)\b|繁|Traditional", name):
            return 2
        if re.search(r"\b(JP|KR|K)\b|Japanese|Korean|Gothic|Mincho", name):
            return 3
        return 1

    def rank(self, want: Literal["serif", "sans"]) -> tuple[int, int, int, int, str, int]:
        """Sort key: the wanted kind, Simplified Chinese shapes, the right weight, a known-good family."""
        kind = 0 if self.kind == want else 1 if self.kind != "other" else 2
        target = 400 if want == "serif" else 700
        family = self.family.lower()
        known = next((i for i, name in enumerate(_PREFERRED) if name in family), len(_PREFERRED))
        if "droid" in family:
            known = len(_PREFERRED) + 1  # has no Latin glyphs at all
        return (kind, self.region, abs(self.weight - target), known, self.path, self.index)


def _fc_list() -> str | None:
    """fontconfig's `fc-list`, when installed (shutil loads only here: a text export never needs it)."""
    import shutil

    return shutil.which("fc-list")


def _is_mono(family: str) -> bool:
    """Monospaced CJK faces set Latin text at full width: fine for code, wrong for a newspaper."""
    return "mono" in family.lower() or "等宽" in family


@functools.lru_cache(maxsize=1)
def discover() -> tuple[Face, ...]:
    """Every installed face that can set Chinese text, from fontconfig or the usual font folders.

    The answer is kept in the cache folder with a stamp of the installed fonts (see `_fonts_stamp`), so most
    exports skip asking fontconfig, which costs a process and tens of milliseconds.
    """
    stamp = _fonts_stamp()
    kept = _kept_faces(stamp)
    if kept is not None:
        return kept
    faces = _fontconfig(":lang=zh") if _fc_list() else []
    if not faces:
        faces = _scan_folders(_CJK_FILE)
    found = tuple(dict.fromkeys(face for face in faces if not _is_mono(face.family)))
    _keep_faces(stamp, found)
    return found


def _fonts_stamp() -> str:
    """A digest that changes whenever fonts are installed or removed, or fontconfig is set up differently.

    Adding or removing a file changes its folder's modification time, so the times of every folder below the
    font folders, of fontconfig's configuration folders and files, and the fontconfig environment make it.
    """
    parts = [CACHE_VERSION, sys.platform, _fc_list() or "-"]
    parts += [os.environ.get(name, "-") for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "XDG_DATA_HOME")]
    config = [Path("/etc/fonts"), Path.home() / ".config/fontconfig", Path.home() / ".fonts.conf"]
    folders = [*_font_folders(), *config]
    while folders:
        folder = folders.pop()
        try:
            parts.append(f"{folder}\t{os.stat(folder).st_mtime_ns}")
            with os.scandir(folder) as entries:
                folders += [Path(entry.path) for entry in entries if entry.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        if folder.name == "fonts" and folder.parent == Path("/etc"):
            parts.append(f"fonts.conf\t{mtime(folder / 'fonts.conf')}")
    return digest("\n".join(sorted(parts)))


def _faces_path() -> Path:
    return cache_dir() / "faces.tsv"


def _kept_faces(stamp: str) -> tuple[Face, ...] | None:
    """The faces found last time, if the fonts have not changed since and every file is still there."""
    try:
        lines = _faces_path().read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if lines[0] != f"epaper-faces {stamp}":
        return None
    faces = []
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) != 5 or not parts[1].isdigit() or not os.path.isfile(parts[0]):
            return None
        faces.append(Face(parts[0], int(parts[1]), parts[2], parts[3], parts[4] == "cff"))
    return tuple(faces)


def _keep_faces(stamp: str, faces: tuple[Face, ...]) -> None:
    """Keep the faces found; a cache that cannot be written only makes the next export slower."""
    rows = [f"{f.path}\t{f.index}\t{f.family}\t{f.style}\t{'cff' if f.cff else 'ttf'}" for f in faces]
    if any("\n" in row or row.count("\t") != 4 for row in rows):
        return  # a name this format cannot hold: ask fontconfig each time
    keep(_faces_path(), "\n".join([f"epaper-faces {stamp}", *rows]).encode("utf-8"))


def _fontconfig(pattern: str) -> list[Face]:
    """Ask fontconfig for the faces matching a pattern (a language, or a set of characters)."""
    import subprocess  # here: only a cold start or a fallback font asks fontconfig

    fmt = "%{file}\\t%{index}\\t%{family[0]}\\t%{style[0]}\\t%{fontformat}\\n"
    try:
        result = subprocess.run(
            ["fc-list", "--format", fmt, pattern], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    faces = []
    for row in result.stdout.splitlines():
        parts = row.split("\t")
        if len(parts) != 5 or parts[4] not in ("TrueType", "CFF") or not parts[0].lower().endswith(_SUFFIXES):
            continue
        path, index, family, style, fmt_name = parts
        faces.append(Face(path, int(index or 0), family, style, fmt_name == "CFF"))
    return faces


def _font_folders() -> list[Path]:
    """Where macOS, Windows and Linux keep fonts, for systems without fontconfig."""
    home = Path.home()
    if sys.platform == "darwin":
        return [
            Path("/System/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            Path("/Library/Fonts"),
            home / "Library/Fonts",
            Path("/System/Library/AssetsV2"),
        ]
    if sys.platform == "win32":
        windows = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData/Local"))
        return [windows / "Fonts", local / "Microsoft/Windows/Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"]


def _scan_folders(names: re.Pattern[str]) -> list[Face]:
    """Read the name tables of the font files whose file names look right (opening every font is too slow)."""
    faces: list[Face] = []
    for folder in _font_folders():
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in _SUFFIXES and names.search(path.name):
                try:
                    faces.extend(_faces_in(str(path)))
                except ExportError:
                    continue
    return faces


def _faces_in(path: str) -> list[Face]:
    """Every usable outline face in a font file; ExportError when it is not a font fontTools can read."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        with open(path, "rb") as file:
            collection = file.read(4) == b"ttcf"
        fonts = list(TTCollection(path, lazy=True).fonts) if collection else [TTFont(path, lazy=True)]
        faces = []
        for index, font in enumerate(fonts):
            if "glyf" not in font and "CFF " not in font and "CFF2" not in font:
                continue  # bitmap or colour-only: reportlab cannot draw it
            name = font["name"]
            family = str(name.getDebugName(16) or name.getDebugName(1) or Path(path).stem)
            style = str(name.getDebugName(17) or name.getDebugName(2) or "Regular")
            faces.append(Face(path, index, family, style, "glyf" not in font))
    except (OSError, TTLibError, KeyError, AssertionError, ValueError) as error:
        raise ExportError(
            path, f"not a font file that can be read ({error}): pass a .ttf, .ttc, .otf or .otc"
        ) from None
    if not faces:
        raise ExportError(path, "the font has no outline glyphs (bitmap or colour font): choose another font")
    return faces


def open_face(path: str) -> Face:
    """The face to use from a font file the user named: in a collection, the Simplified Chinese text face."""
    if not Path(path).is_file():
        raise ExportError(path, f"font file not found: {INSTALL_HINT}")
    faces = _faces_in(path)
    return min([face for face in faces if not _is_mono(face.family)] or faces, key=lambda face: face.rank("serif"))


def choose(font: str | None) -> tuple[Face, Face]:
    """The body and heading faces: the user's font for both, else a Song body and a Hei heading when installed."""
    if font:
        face = open_face(font)
        return face, face
    faces = discover()
    if not faces:
        raise ExportError("PDF", f"no Chinese font found: {INSTALL_HINT}")
    return min(faces, key=lambda f: f.rank("serif")), min(faces, key=lambda f: f.rank("sans"))


def fallbacks(chars: Iterable[int], like: Face | None = None) -> list[Face]:
    """Faces that may have characters the main font lacks: Chinese faces most like it, then fontconfig's picks."""
    want: Literal["serif", "sans"] = "sans" if like is not None and like.kind == "sans" else "serif"
    faces = sorted(discover(), key=lambda face: face.rank(want))
    if _fc_list():
        for code in sorted(chars)[:16]:
            faces.extend(sorted(_fontconfig(f":charset={code:x}"), key=lambda face: face.rank(want)))
    else:
        faces.extend(_scan_folders(_GENERAL_FILE))
    return list(dict.fromkeys(faces))


def cover_face(chars: frozenset[int]) -> Face | None:
    """A serif (Song) bold face that has every one of the characters, from the installed faces."""
    if not chars:
        return None
    for face in sorted(discover(), key=_cover_rank):
        if has_all(face, chars):
            return face
    return None


def _cover_rank(face: Face) -> tuple[bool, int, int, str, int]:
    """For the cover: Song faces for Simplified Chinese first, bold before regular, then by path for a stable
    choice."""
    return (face.kind != "serif", face.region, abs(face.weight - 700), face.path, face.index)
