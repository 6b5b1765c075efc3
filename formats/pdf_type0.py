"""Fonts embedded the way CJK text needs: each TrueType face as one composite (Type0) font with two-byte
codes, and each sheet's text written as PDF operators directly.

reportlab's own embedding splits a font into 256-character subsets, so Chinese text switches fonts every
few characters, and its text object measures every string it draws; here a run is one string of codes, and
the pages' content streams are a third smaller.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont

from epaper_cli.formats.pdf_makeup import TextLine


class Composite(dict[str, str]):
    """One TrueType font in one document, embedded as a composite (Type0) font with two-byte codes given in
    order of first use: each character's code as hex, looked up once."""

    def __init__(self, font: TTFont, key: str) -> None:
        super().__init__()
        self.font, self.key = font, key
        self.chars: dict[int, int] = font.face.charToGlyph
        self.codes: list[int] = []
        """The code point of each code from 1 on (code 0 is .notdef)."""

    def __missing__(self, char: str) -> str:
        if char == "\u00a0":
            found = self[" "]  # drawn as a space, as reportlab does
        elif ord(char) not in self.chars:
            found = "0000"
        else:
            self.codes.append(ord(char))
            found = f"{len(self.codes):04X}"
        self[char] = found
        return found

    def add_objects(self, doc: Any) -> None:
        """The font's PDF objects: the Type0 font, its CIDFont with widths, the subset font file, ToUnicode."""
        face = self.font.face
        digest = hashlib.sha256(repr((self.key, self.font.fontName, self.codes)).encode()).digest()
        tag = "".join(chr(65 + byte % 26) for byte in digest[:6])  # the subset's name, unique in the document
        base = f"{tag}+{(face.name + face.subfontNameX).decode('latin-1')}"
        gids, glyphs = [0], {0: 0}  # the glyph numbers reportlab's makeSubset gives, in the same order
        for code in self.codes:
            gids.append(glyphs.setdefault(self.chars[code], len(glyphs)))
        cid_font = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/CIDFontType2",
                "BaseFont": pdfdoc.PDFName(base),
                "CIDSystemInfo": pdfdoc.PDFDictionary(dict(_IDENTITY)),
                "FontDescriptor": face.addSubsetObjects(doc, base, self.codes),
                "DW": face.defaultWidth,
                "W": f"[1 [{' '.join(f'{face.getCharWidth(code):g}' for code in self.codes)}]]" if self.codes else "[]",
                "CIDToGIDMap": _stream(doc, f"cidToGid:{base}", struct.pack(f">{len(gids)}H", *gids)),
            }
        )
        font = pdfdoc.PDFDictionary(
            {
                "Type": "/Font",
                "Subtype": "/Type0",
                "BaseFont": pdfdoc.PDFName(base),
                "Encoding": "/Identity-H",
                "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font, f"cidFont:{base}")]),
                "ToUnicode": _stream(doc, f"toUnicode:{base}", _to_unicode(self.codes)),
            }
        )
        doc.idToObject["BasicFonts"].dict[self.key] = doc.Reference(font, f"type0:{base}")


def _stream(doc: Any, name: str, content: str | bytes) -> Any:
    """A compressed stream object in the document, by reference."""
    return doc.Reference(pdfdoc.PDFStream(content=content, filters=[pdfdoc.PDFZCompress]), name)


def _to_unicode(codes: list[int]) -> str:
    """The CMap that maps each two-byte code back to its character (UTF-16, so 𠮷 is a surrogate pair)."""
    entries = [f"<{n:04X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for n, code in enumerate(codes, start=1)]
    blocks = [
        f"{len(entries[i : i + 100])} beginbfchar\n" + "\n".join(entries[i : i + 100]) + "\nendbfchar"
        for i in range(0, len(entries), 100)
    ]
    return _CMAP_HEAD + "\n".join(blocks) + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


_CMAP_HEAD = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
)
_IDENTITY = {"Registry": "(Adobe)", "Ordering": "(Identity)", "Supplement": 0}


def text_block(lines: list[TextLine], fonts: dict[str, Composite], registered: Mapping[str, TTFont]) -> str:
    """One BT…ET block for a sheet: each run placed with Tm, fonts and spacing set only when they change.

    reportlab's text object measures every string it draws to move its cursor; the runs are already
    placed, so the operators are written directly, each run as one hex string of two-byte codes.
    """
    out = ["BT"]
    add = out.append
    font_state: tuple[str, float] | None = None
    space_state: float | None = None
    gray_state: float | None = None
    for line in lines:
        if line.gray != gray_state:
            add(f"{line.gray:g} g")
            gray_state = line.gray
        y = f"{line.y:.2f} Tm"
        for run in line.runs:
            add(f"1 0 0 1 {run.x:.2f} {y}")
            if run.char_space != space_state:
                add(f"{run.char_space:.3f} Tc")
                space_state = run.char_space
            codes = fonts.get(run.font)
            if codes is None:
                codes = fonts[run.font] = Composite(registered[run.font], f"EP{len(fonts) + 1}")
            if (codes.key, line.size) != font_state:
                add(f"/{codes.key} {line.size:.2f} Tf")
                font_state = (codes.key, line.size)
            add(f"<{''.join(map(codes.__getitem__, run.text))}> Tj")
    add("ET")
    return "\n".join(out)
