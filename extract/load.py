"""Load stage: a file's bytes to its decoded source text, or an InputError naming the file and cause.

Takes a path; gives a Source (text exactly as decoded, so offsets index it), never a traceback for bad input.
"""
import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

import regex

VIETNAMESE_LETTERS = regex.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", regex.I)
LETTERS = regex.compile(r"\p{L}")


class InputError(Exception):
    """A file that cannot be read as a report; str() names the file and the cause."""

    def __init__(self, source: str, cause: str):
        super().__init__(f"{source}: {cause}")
        self.source = source
        self.cause = cause


@dataclass(frozen=True)
class Source:
    path: str          # as given
    text: str          # decoded text; figure offsets index this string
    doc_id: str        # sha256 of the bytes
    encoding: str
    format: str = "txt"
    pdf: object = None  # the PdfText of a PDF


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 (BOM, or NUL-interleaved ASCII)."""
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


def check_is_report(text: str, source: str) -> None:
    """Refuse what is clearly not a Vietnamese report: English prose, a CSV export, control-character noise."""
    letters = len(LETTERS.findall(text))
    if letters < 20:
        raise InputError(source, "not a report: almost no text")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text) * 0.01:
        raise InputError(source, "binary file (control characters in the text)")
    vietnamese = len(VIETNAMESE_LETTERS.findall(text))
    if vietnamese < max(5, letters * 0.02):
        raise InputError(source, "not a Vietnamese report (no Vietnamese text found)")
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) >= 3:
        for delimiter in (",", ";", "\t"):
            counts = [line.count(delimiter) for line in lines]
            first = counts[0]
            same = sum(1 for c in counts if c == first)
            if first >= 2 and same >= 0.8 * len(lines):
                raise InputError(source, f"looks like a table (CSV with {first + 1} columns), not a report")


def read_source(path: str | Path) -> Source:
    source = str(path)
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise InputError(source, "is a directory") from None
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    text, encoding = decode(data, source)
    check_is_report(text, source)
    return Source(path=source, text=text, doc_id=doc_id_of(data), encoding=encoding)


def text_source(text: str, name: str = "<text>") -> Source:
    return Source(path=name, text=text, doc_id=doc_id_of(text.encode("utf-8")), encoding="str")
