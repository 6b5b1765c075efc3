"""Decoding captures: BOMs, UTF-8, GB18030, overrides, and refusing binaries and mojibake."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epaper_cli.errors import InputError
from epaper_cli.formats import webpage
from epaper_cli.formats.decode import decode
from tests.helpers import SAMPLES, SEED, sample_encoding

CHINESE = "当前报纸名称:衢州日报\n南汉皇帝刘䶮与广州城\n日期:08-26\n"


def refused(data: bytes, encoding: str | None = None) -> str:
    """Decode data that must be refused, and return the reason."""
    with pytest.raises(InputError) as caught:
        decode(data, "x.txt", encoding)
    assert caught.value.what == "x.txt"
    return caught.value.why


def test_plain_utf8() -> None:
    assert decode(CHINESE.encode("utf-8"), "x.txt", None) == CHINESE


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_bom_decides_and_is_removed(bom: bytes, codec: str) -> None:
    assert decode(bom + CHINESE.encode(codec), "x.txt", None) == CHINESE


def test_gb18030_fallback_keeps_characters_gbk_lacks() -> None:
    data = CHINESE.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")
    assert decode(data, "x.txt", None) == CHINESE


def test_gbk_override_is_read_as_gb18030() -> None:
    assert decode(CHINESE.encode("gb18030"), "x.txt", "GBK") == CHINESE
    assert decode(CHINESE.encode("gb18030"), "x.txt", "gb2312") == CHINESE


def test_encoding_override_wins_over_guessing() -> None:
    text = "Caf\u00e9 Times\n"
    assert decode(text.encode("latin-1"), "x.txt", "latin-1") == text
    assert decode(codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "x.txt", "utf-8") == CHINESE


def test_unknown_encoding_is_an_input_error() -> None:
    assert "unknown encoding 'klingon'" in refused(b"abc", "klingon")


def test_wrong_override_is_an_input_error() -> None:
    assert "not valid utf-8" in refused(CHINESE.encode("gb18030"), "utf-8")


def test_line_ends_become_lf_and_text_nfc() -> None:
    data = "第一行\r\n第二行\r第三行 Cafe\u0301\n".encode()
    assert decode(data, "x.txt", None) == "第一行\n第二行\n第三行 Caf\u00e9\n"


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t", codecs.BOM_UTF8 + b" \n", "\u3000\n".encode()])
def test_empty_input_is_refused(data: bytes) -> None:
    assert refused(data) == "empty file"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00", "GZIP"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    ],
)
def test_binary_signatures_are_named(data: bytes, kind: str) -> None:
    why = refused(data)
    assert why.startswith("binary file") and kind in why


def test_nul_bytes_are_binary() -> None:
    assert "NUL" in refused(b"abc\x00def\x00" * 10)
    assert "utf-16-le" in refused("日期:08-26\n版面:03版".encode("utf-16-le"))


def test_mojibake_is_refused() -> None:
    broken = CHINESE * 3
    mojibake = broken.encode("utf-8").decode("gbk", errors="replace").encode("utf-8")
    assert "mojibake" in refused(mojibake)


def test_replacement_characters_are_refused() -> None:
    assert "U+FFFD" in refused(("日期" + "\ufffd" * 5 + "\n").encode())


def test_control_characters_are_refused() -> None:
    assert "control characters" in refused(b"\x01\x02\x03\x04abc\x05\x06\x07\x08")


def test_real_text_is_not_mistaken_for_mojibake() -> None:
    """Rare characters such as 锛 or 鐨 in real text are too few to trip the check."""
    text = "记者 毛慧娟\n" + "杭衢人力资源山海协作正朝着更广阔的天地迈进。" * 20 + "锛鐨\n"
    assert decode(text.encode("utf-8"), "x.txt", None) == text


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_every_sample_decodes(path: Path) -> None:
    text = decode(path.read_bytes(), path.name, sample_encoding(path))
    assert "\r" not in text and "\ufeff" not in text
    assert "当前报纸名称" in text or "當前報紙名稱" in text or text.startswith("---\n") or webpage.looks_like(text)


def test_a_windows_1252_sample_needs_its_encoding() -> None:
    (path,) = SAMPLES.glob("*-cp1252.txt")
    with pytest.raises(InputError, match="pass --encoding"):
        decode(path.read_bytes(), path.name, None)
    assert "“We didn’t want" in decode(path.read_bytes(), path.name, "cp1252")


def test_seed_decodes() -> None:
    seed = SEED
    if not seed.exists():
        pytest.skip("shared seed capture not present")
    assert decode(seed.read_bytes(), seed.name, None).startswith("电子报阅读机\n2025-10-14\n")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "gb18030", "utf-16", "nope"]))
def test_any_bytes_end_in_text_or_input_error(data: bytes, encoding: str | None) -> None:
    try:
        text = decode(data, "x.txt", encoding)
    except InputError as error:
        assert error.what == "x.txt" and error.why
    else:
        assert "\r" not in text and not text.startswith("\ufeff")
