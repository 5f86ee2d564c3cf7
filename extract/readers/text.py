"""The plain-text reader: a text file's bytes to its decoded text, exactly as decoded so offsets index it.

UTF-8 with or without BOM and UTF-16 are decoded as they are; bytes that are neither are tried as the
legacy Vietnamese encodings (TCVN3, VNI) and converted to Unicode.
"""
import codecs

from ..load import InputError


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Bytes to (text, encoding): UTF-8 (with or without BOM) or UTF-16 (BOM, or NUL-interleaved ASCII)."""
    if not data.strip():
        raise InputError(source, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", source), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source), "utf-16"
    head = data[:4000]
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):
        # UTF-16 without BOM: every other byte of ASCII text is NUL
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        return _strict(data, encoding, source), encoding
    return _strict(data, "utf-8", source), "utf-8"


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(source, f"not UTF-8 or UTF-16 text (undecodable byte at offset {err.start}; binary file?)") from None
    if "\x00" in text:
        raise InputError(source, "binary file (contains NUL characters)")
    return text
