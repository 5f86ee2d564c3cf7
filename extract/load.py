"""What every reader gives and every stage after it takes: a Source (the text as read, so that offsets
index it, and its layout where the format has one), or an InputError naming the file and the cause.
"""
import hashlib
from dataclasses import dataclass

import regex

VIETNAMESE_LETTERS = regex.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", regex.I)
NOT_LETTERS = regex.compile(r"\P{L}+")
CONTROLS = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f]")     # below U+0020 but tab, line feed, form feed, return


class InputError(Exception):
    """A file that cannot be read as a report; str() names the file and the cause."""
    status = "error"
    kind = "file"       # the file itself is the cause: read again only when asked (--retry-failed)

    def __init__(self, source: str, cause: str):
        super().__init__(f"{source}: {cause}")
        self.source = source
        self.cause = cause


class Unsupported(InputError):
    """A file of a format that no reader reads: recorded as skipped, with the reason."""
    status = "skipped"


class RunFailure(InputError):
    """A file this run could not read for a cause of the run's, not the file's: the time limit, the memory
    cap, a reader that crashed, a tool that is not installed. The next run reads it again."""
    kind = "run"


@dataclass(frozen=True)
class Source:
    path: str          # as given
    text: str          # decoded text; figure offsets index this string
    doc_id: str        # sha256 of the bytes
    encoding: str      # what the text was typed in: utf-8, utf-16, tcvn3, vni, mixed, unicode ...
    format: str = "txt"
    layout: object = None  # the extract.layout.Layout of every format but plain text


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_is_report(text: str, source: str) -> None:
    """Refuse what is clearly not a Vietnamese report: English prose, a CSV export, control-character noise."""
    letters = len(NOT_LETTERS.sub("", text))
    if letters < 20:
        raise InputError(source, "not a report: almost no text")
    controls = len(CONTROLS.findall(text))
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


def text_source(text: str, name: str = "<text>") -> Source:
    return Source(path=name, text=text, doc_id=doc_id_of(text.encode("utf-8")), encoding="str")
