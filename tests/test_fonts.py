"""Font discovery, face choice in collections, the cached CFF → TrueType conversion, and the fonts the
writers are handed (`SystemFonts`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from epaper_cli import fontcache, fontfinder, fonts, truetype
from epaper_cli.errors import ExportError
from epaper_cli.formats.typefaces import FontFile


def face(family: str, style: str = "Regular", cff: bool = False) -> fontfinder.Face:
    """A face that exists only as metadata: ranking needs no font file."""
    return fontfinder.Face("/fonts/x.ttc", 0, family, style, cff)


def installed(family: str, cff: bool) -> fontfinder.Face:
    """An installed face of a family, or skip."""
    for found in fontfinder.discover():
        if found.family.startswith(family) and found.cff == cff:
            return found
    pytest.skip(f"{family} is not installed")


@pytest.mark.parametrize(
    ("family", "kind"),
    [
        ("Noto Serif CJK SC", "serif"),
        ("Songti SC", "serif"),
        ("SimSun", "serif"),
        ("AR PL UMing CN", "serif"),
        ("Noto Sans CJK SC", "sans"),
        ("Microsoft YaHei", "sans"),
        ("PingFang SC", "sans"),
        ("WenQuanYi Micro Hei", "sans"),
        ("AR PL UKai CN", "other"),
    ],
)
def test_kind_from_the_family_name(family: str, kind: str) -> None:
    assert face(family).kind == kind


def test_ranking_prefers_a_simplified_chinese_song_body_and_a_bold_hei_heading() -> None:
    faces = [
        face("Noto Serif CJK JP"),
        face("Noto Serif CJK SC"),
        face("Noto Serif CJK SC", "Bold"),
        face("Noto Sans CJK SC"),
        face("Noto Sans CJK SC", "Bold"),
        face("WenQuanYi Micro Hei"),
        face("Droid Sans Fallback"),
    ]
    assert min(faces, key=lambda f: f.rank("serif")) == face("Noto Serif CJK SC")
    assert min(faces, key=lambda f: f.rank("sans")) == face("Noto Sans CJK SC", "Bold")


def test_droid_fallback_comes_last_because_it_has_no_latin_letters() -> None:
    faces = [face("Droid Sans Fallback"), face("WenQuanYi Micro Hei")]
    assert min(faces, key=lambda f: f.rank("sans")).family == "WenQuanYi Micro Hei"


def test_weights_from_style_names() -> None:
    assert [face("X", s).weight for s in ("Regular", "Bold", "Light", "SemiBold", "Black", "Medium")] == [
        400,
        700,
        300,
        600,
        900,
        500,
    ]


def test_a_collection_opens_at_its_simplified_chinese_face() -> None:
    noto = installed("Noto Serif CJK", cff=True)
    chosen = fontfinder.open_face(noto.path)
    assert chosen.family == "Noto Serif CJK SC" and chosen.cff


def test_wenquanyi_opens_at_the_proportional_face() -> None:
    wqy = installed("WenQuanYi Micro Hei", cff=False)
    chosen = fontfinder.open_face(wqy.path)
    assert chosen.family == "WenQuanYi Micro Hei" and not chosen.cff


def test_a_missing_or_broken_font_file_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"not found.*--font"):
        fontfinder.open_face(str(tmp_path / "missing.ttf"))
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"this is not a font")
    with pytest.raises(ExportError, match="not a font file"):
        fontfinder.open_face(str(junk))


def test_no_font_at_all_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontfinder, "discover", lambda: ())
    with pytest.raises(ExportError, match=r"fonts-noto-cjk.*--font PATH"):
        fontfinder.choose(None)


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="XDG applies to Linux and BSD")
def test_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert fontcache.cache_dir() == tmp_path / "epaper"


def test_common_characters_cover_ascii_and_the_level_one_hanzi() -> None:
    common = truetype.common_chars()
    assert {ord("A"), ord("的"), ord("报"), ord("，"), ord("“")} <= common
    assert len(common) > 3755


def test_cff_glyphs_are_converted_to_a_cached_truetype_font_that_grows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from fontTools.ttLib import TTFont

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    noto = installed("Noto Serif CJK SC", cff=True)
    found = truetype.embeddable(noto, map(ord, "衢州日报A1，"))
    assert found is not None
    path, index = found.path, found.index
    assert Path(path).parent == tmp_path / "epaper" / "fonts" and index == 0
    converted = TTFont(path)
    assert "glyf" in converted and "CFF " not in converted
    assert set(map(ord, "衢州日报A1，")) <= set(converted.getBestCmap())
    kept = [entry.name for entry in (tmp_path / "epaper" / "cmaps").iterdir()]
    assert any(name.startswith(Path(path).stem[:40]) for name in kept)  # the next export needs no fontTools
    stamp = Path(path).stat().st_mtime_ns
    assert truetype.embeddable(noto, map(ord, "州日")) == found
    assert Path(path).stat().st_mtime_ns == stamp  # nothing new: the cache is not rewritten
    truetype.embeddable(noto, map(ord, "鑫"))
    grown = set(TTFont(path).getBestCmap())
    assert ord("鑫") in grown and ord("衢") in grown


def test_converted_glyphs_keep_their_advance_widths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    noto = installed("Noto Serif CJK SC", cff=True)
    found = truetype.embeddable(noto, map(ord, "中i"))
    assert found is not None
    source = TTFont(noto.path, fontNumber=noto.index, lazy=True)
    converted = TTFont(found.path)
    for char in "中i":
        name, converted_name = source.getBestCmap()[ord(char)], converted.getBestCmap()[ord(char)]
        assert converted["hmtx"][converted_name][0] == source["hmtx"][name][0]


def test_a_face_without_the_characters_gives_nothing_to_embed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    noto = installed("Noto Serif CJK SC", cff=True)
    assert truetype.embeddable(noto, [0x10FFFD]) is None
    wqy = installed("WenQuanYi Micro Hei", cff=False)
    assert truetype.embeddable(wqy, [0x10FFFD]) is None
    assert truetype.embeddable(wqy, [ord("中")]) == wqy  # TrueType is used as it is


def test_fallbacks_include_fonts_fontconfig_finds_for_a_character() -> None:
    if not fontfinder.discover():
        pytest.skip("no Chinese font installed")
    candidates = fontfinder.fallbacks([ord("中")])
    assert candidates and all(isinstance(c, fontfinder.Face) for c in candidates)


def test_coverage_is_kept_in_the_cache_folder_and_read_back_without_fonttools(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import fontTools.ttLib

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    wqy = installed("WenQuanYi Micro Hei", cff=False)
    fontcache._cmap.cache_clear()
    covered = fontcache.coverage(wqy)
    assert ord("中") in covered
    [kept] = (tmp_path / "epaper" / "cmaps").iterdir()
    fontcache._cmap.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(fontTools.ttLib, "TTFont", None)  # a warm export never loads a font with fontTools
        assert fontcache.coverage(wqy) == covered
    kept.write_bytes(b"epaper-cmap 0 stale")
    fontcache._cmap.cache_clear()
    assert fontcache.coverage(wqy) == covered  # a stale or broken entry is read from the font again, and rewritten
    assert kept.read_bytes().startswith(b"epaper-cmap " + fontcache.CACHE_VERSION.encode())


def test_discovery_is_kept_until_the_installed_fonts_change(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    font_folder = tmp_path / "fonts"
    (font_folder / "noto").mkdir(parents=True)
    song = font_folder / "noto" / "song.ttc"
    song.write_bytes(b"not read by this test")
    asked: list[str] = []

    def fontconfig(pattern: str) -> list[fontfinder.Face]:
        asked.append(pattern)
        return [fontfinder.Face(str(song), 2, "Noto Serif CJK SC", "Regular", True)]

    monkeypatch.setattr(fontfinder, "_fontconfig", fontconfig)
    monkeypatch.setattr(fontfinder, "_font_folders", lambda: [font_folder])
    monkeypatch.setattr(fontfinder, "_fc_list", lambda: "/usr/bin/fc-list")

    def discover() -> tuple[fontfinder.Face, ...]:
        fontfinder.discover.cache_clear()
        request.addfinalizer(fontfinder.discover.cache_clear)  # later tests see the real fonts
        return fontfinder.discover()

    first = discover()
    assert first == (fontfinder.Face(str(song), 2, "Noto Serif CJK SC", "Regular", True),)
    assert discover() == first and len(asked) == 1, "the second export reads the kept answer"
    (font_folder / "noto" / "hei.otf").write_bytes(b"a font installed")
    os.utime(font_folder / "noto", ns=(1, 1))  # whatever the clock's resolution, the folder's time changes
    assert discover() == first and len(asked) == 2, "a font installed: fontconfig is asked again"
    assert discover() == first and len(asked) == 2
    song.unlink()
    os.utime(font_folder / "noto", ns=(1, 1))  # the same time as before: only the missing file tells
    assert discover() == first and len(asked) == 3, "a kept face whose file is gone: asked again"


def test_has_all_agrees_with_the_coverage(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    face = next(iter(fontfinder.discover()), None)
    if face is None:
        pytest.skip("no Chinese font installed")
    have = fontcache.coverage(face)
    for text in ("衢州日报", "abc 123", "衢州\U0010fffd", "\u4e00\u9fa5"):
        chars = {ord(ch) for ch in text}
        assert fontcache.has_all(face, chars) == (chars <= have), text


def test_the_writers_get_the_installed_faces_through_the_fonts_interface() -> None:
    if not fontfinder.discover():
        pytest.skip("no Chinese font installed")
    system = fonts.SystemFonts()
    body, heading = system.text_faces()
    assert isinstance(body, FontFile) and (body, heading) == fontfinder.choose(None)
    assert "--font PATH" in system.hint and "fonts-noto-cjk" in system.hint
    assert "--font PATH with a font that has them" in fonts.SystemFonts(body.path).hint
    assert list(system.fallbacks(frozenset({ord("中")}), body))


def test_the_cover_face_is_a_bold_song_face_that_has_every_character() -> None:
    system = fonts.SystemFonts()
    found = system.cover_face(frozenset(map(ord, "衢州日报")))
    if not fontfinder.discover():
        assert found is None
        return
    assert isinstance(found, fontfinder.Face)
    assert {ord(c) for c in "衢州日报"} <= fontcache.coverage(found)
    if any(face.kind == "serif" and face.weight == 700 for face in fontfinder.discover()):
        assert (found.kind, found.weight) == ("serif", 700)
    assert system.cover_face(frozenset({0x10FFFD})) is None  # no face has it: the cover keeps its design, no text
    assert system.cover_face(frozenset()) is None


def test_a_face_not_found_here_is_embedded_as_it_is() -> None:
    other = FontFile("/fonts/given.ttf", 0)
    assert fonts.SystemFonts().embeddable(other, frozenset({ord("中")}), main=True) == other
