"""Turn a capture's raw bytes into clean text, refusing binaries and mojibake with a reason the user can act on."""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

from epaper_cli.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (or an EPUB/Office file)"),
    (b"\x1f\x8b", "a GZIP archive"),
    (b"\xff\xd8\xff", "a JPEG image"),
)

# Codecs that are strict subsets of GB18030: decoding with them would reject characters such as 䶮.
_GB_SUBSETS = frozenset({"gbk", "gb2312", "cp936", "euc_cn", "gb18030"})

_MOJIBAKE_SHARE = 0.2
_REPLACEMENT_SHARE = 0.05
_CONTROL_SHARE = 0.05
_MIN_SUSPECTS = 4


def _mojibake_characters() -> str:
    """The ideographs whose GBK bytes are a UTF-8 lead byte and a continuation byte, or that lie in GBK/3."""
    pairs = [(lead, trail) for lead in range(0xE3, 0xF0) for trail in range(0x40, 0xC0)]
    pairs += [(lead, trail) for lead in range(0x81, 0xA1) for trail in range(0x40, 0xFF)]
    # One decode of every pair, newline-separated, instead of thousands of decodes: this runs at start-up.
    joined = b"\n".join(bytes(pair) for pair in pairs).decode("gbk", errors="replace").split("\n")
    return "".join(ch for ch in joined if len(ch) == 1 and "\u4e00" <= ch <= "\u9fff")


_WHITESPACE_CHARS = " \n\t\v\f\u3000\xa0"
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MOJIBAKE_HINTS = "鐨锛銆鍙鏄涓浜鍦鍚瑕鎴浠鏃鐢"
"""What 的，。可是个人在后要我们时用 become when UTF-8 is read as GBK: no mojibake is without some of them."""


@functools.cache
def _mojibake() -> re.Pattern[str]:
    """Every suspect ideograph, compiled only when a hint is seen (the set is large and slow to compile)."""
    return re.compile(f"[{_mojibake_characters()}]")


def decode(data: bytes, name: str, encoding: str | None) -> str:
    """Decode a capture so every reader sees the same clean text: no BOM, LF line ends, NFC."""
    _refuse_binary_signature(data, name)
    if not data.strip():
        raise InputError(name, "empty file")
    text = _decode_with(data, name, encoding) if encoding else _decode_guess(data, name)
    # A BOM is dropped wherever it is: files pasted or `cat`-ed together carry one at each join.
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    _refuse_garbage(text, name)
    return text


def _refuse_binary_signature(data: bytes, name: str) -> None:
    """Name the kind of file the user fed us, so they know to export text instead."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(name, f"binary file ({kind}), not text: copy the article's text out of the reader app")


def _decode_with(data: bytes, name: str, encoding: str) -> str:
    """Honour --encoding, but decode the GBK family as GB18030 so no character is lost."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(name, f"unknown encoding {encoding!r}: try utf-8 or gb18030") from None
    if codec.replace("-", "_") in _GB_SUBSETS:
        codec = "gb18030"
    for bom, bom_codec in _BOMS:
        if data.startswith(bom) and codecs.lookup(bom_codec).name == codec:
            data = data[len(bom) :]
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not valid {encoding} (byte {exc.start}): try another --encoding") from None


def _decode_guess(data: bytes, name: str) -> str:
    """A BOM decides; else strict UTF-8; else GB18030, the superset of GBK that Chinese Windows writes."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(name, f"not valid {codec} despite its byte-order mark (byte {exc.start})") from None
    if b"\x00" in data:
        raise InputError(name, "binary file (NUL bytes): if it is UTF-16 without a BOM, pass --encoding utf-16-le")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(
            name, f"neither UTF-8 nor GB18030 (byte {exc.start}): pass --encoding with the file's encoding"
        ) from None


def _refuse_garbage(text: str, name: str) -> None:
    """Refuse text that decoded but cannot be a capture: binary, lost characters or double-decoded UTF-8."""
    total = len(text) - sum(map(text.count, _WHITESPACE_CHARS))
    if total <= 0 or not text.strip():
        raise InputError(name, "empty file")
    if "\x00" in text:
        raise InputError(name, "binary file (NUL characters): check the file and its --encoding")
    if text.count("\ufffd") / total > _REPLACEMENT_SHARE:
        raise InputError(name, "many U+FFFD replacement characters: the text was damaged by a wrong encoding")
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) / total > _CONTROL_SHARE:
        raise InputError(name, "many control characters: a binary file, not a text capture")
    if _looks_like_mojibake(text):
        raise InputError(
            name, "mojibake (UTF-8 text decoded as GBK and saved again, e.g. 鍙 鐨 锛 銆): copy the text again"
        )


def _looks_like_mojibake(text: str) -> bool:
    """Spot UTF-8 read as GBK: its lead bytes E3–EF become rare level-2 and GBK/3 characters."""
    if not any(hint in text for hint in _MOJIBAKE_HINTS):
        return False
    suspects = len(_mojibake().findall(text))
    ideographs = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return suspects >= _MIN_SUSPECTS and suspects / ideographs > _MOJIBAKE_SHARE
