"""The plain-text reader: a text file's bytes to its decoded text, exactly as decoded so offsets index it.

UTF-8 with or without BOM and UTF-16 are decoded as they are; bytes that are neither are tried as the
legacy Vietnamese encodings (TCVN3, VNI), and blocks of legacy text kept as Unicode characters are
converted too; the converted text is then what figure offsets index.
"""
import codecs

from .. import legacy
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
    try:
        return _strict(data, "utf-8", source), "utf-8"
    except InputError:
        found = legacy.decode_bytes(data)     # typed before Unicode, in TCVN3 or VNI
        if found is None or "\x00" in found[0]:
            raise
        return found


def unlegacy(text: str, encoding: str) -> tuple[str, str]:
    """Unicode text whose blocks were typed in a legacy font and saved as Unicode characters of that font
    ("B¸o c¸o" in a UTF-8 file): converted, the encoding saying what was found."""
    if text.isascii():
        return text, encoding
    converted = legacy.convert(text)
    if converted.encoding == "unicode":
        return text, encoding
    return converted.text, converted.encoding


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(source, f"not UTF-8, UTF-16, TCVN3 or VNI text (undecodable byte at offset {err.start}; "
                                 f"binary file?)") from None
    if "\x00" in text:
        raise InputError(source, "binary file (contains NUL characters)")
    return text
