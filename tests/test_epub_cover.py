"""The EPUB cover: drawn in the writer's own process with the face it is given, its pages listed above the foot
rule, and only Pillow's PNG writer loaded. The rest of the EPUB writer is in test_epub.py."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from epaper_cli import fontcache, fontfinder, fonts
from epaper_cli.formats import WriteOptions, epub, epub_cover
from epaper_cli.formats.typefaces import FontFile
from tests.helpers import ROOT
from tests.test_epub import Book, chinese


def test_cover_lists_pages_above_its_foot_rule() -> None:
    from PIL import Image

    system = fonts.SystemFonts()
    if system.cover_face(frozenset(map(ord, "衢州日报2025年8月26日版面…"))) is None:
        pytest.skip("no font covers the cover's text")
    details = [f"{n:02d}版 版面" for n in range(1, 31)]
    png = epub_cover.cover_png("衢州日报", ["2025年8月26日", "共 30 版"], details, system)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, foot = epub_cover.WIDTH, epub_cover.FOOT_RULE
    assert image.size == (width, epub_cover.HEIGHT)
    clear = [image.crop((0, y, width, y + 1)).getcolors() for y in range(foot - 12, foot)]
    below = image.crop((0, foot + 2, width, epub_cover.HEIGHT)).getcolors()
    assert clear == [[(width, epub_cover.PAPER)]] * 12 and below == [(width * 148, epub_cover.PAPER)]


class NamedFonts:
    """Fonts given by their files, as a program using the writers might give them: no discovery, no cache."""

    hint = "use a font that has them"

    def __init__(self, face: FontFile | None) -> None:
        self.face = face
        self.asked: list[frozenset[int]] = []

    def text_faces(self) -> tuple[FontFile, FontFile]:
        assert self.face is not None
        return self.face, self.face

    def embeddable(self, face: FontFile, chars: frozenset[int], *, main: bool) -> FontFile | None:
        return face

    def fallbacks(self, chars: frozenset[int], like: FontFile) -> list[FontFile]:
        return []

    def cover_face(self, chars: frozenset[int]) -> FontFile | None:
        self.asked.append(chars)
        return self.face


def installed_truetype() -> FontFile:
    """An installed TrueType face that has the cover's text, or skip."""
    for face in fontfinder.discover():
        if not face.cff and fontcache.has_all(face, map(ord, "衢州日报年月日星期二共版篇要闻民生副刊")):
            return face
    pytest.skip("no TrueType Chinese font is installed")


def _ink(png: bytes) -> int:
    """How many pixels of the masthead's band are not paper."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    band = image.crop((0, 200, epub_cover.WIDTH, 540)).getcolors(1 << 20) or []
    return sum(count for count, colour in band if colour != epub_cover.PAPER)


def test_the_cover_is_drawn_in_the_writers_process_with_the_face_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing
    import os

    from PIL import Image

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("the EPUB writer started a process")

    monkeypatch.setattr(os, "fork", no_process)
    monkeypatch.setattr(subprocess, "Popen", no_process)
    monkeypatch.setattr(multiprocessing.Process, "start", no_process)
    given = NamedFonts(installed_truetype())
    buffer = io.BytesIO()
    epub.write([chinese()], buffer, WriteOptions(given))
    png = Book(buffer.getvalue()).read("cover.png")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert (image.format, image.mode, image.size) == ("PNG", "P", (epub_cover.WIDTH, epub_cover.HEIGHT))
    assert given.asked and set(map(ord, "衢州日报2025年8月26日")) <= given.asked[0]
    assert _ink(png) > 5_000, "the masthead is drawn"
    bare = io.BytesIO()
    epub.write([chinese()], bare, WriteOptions(NamedFonts(None)))
    assert _ink(Book(bare.getvalue()).read("cover.png")) == 0, "no face: the design without the text"


def test_the_cover_loads_only_pillows_png_writer() -> None:
    from PIL import Image

    if not hasattr(Image, "_import_plugin_for_extension"):
        pytest.skip("this Pillow loads all its common plugins to save any image")
    code = (
        "import sys\nfrom epaper_cli.formats import epub_cover\n"
        "png = epub_cover.cover_png('衢州日报', ['2025年8月26日'], [], None)\n"
        "print(png[:4] == b'\\x89PNG', sorted(m for m in sys.modules if m.endswith('ImagePlugin')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "True ['PIL.PngImagePlugin']"
