"""Readers, one per format, each giving the layout model of extract.layout (plain text: just the text).

`sniff` names a file's format from its content (magic bytes), its extension only where the content
cannot tell; `read` runs the format's reader inside the sandbox with the user's limits and gives the
Source every later stage takes.
"""
import importlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..load import InputError, Source, Unsupported, check_is_report, doc_id_of


@dataclass(frozen=True)
class ReadOptions:
    pdf_reader: str = "pdfium"      # pdfium | pdfplumber
    ocr: str = "auto"               # auto | never | always
    timeout: float = 120.0          # seconds for reading one file
    memory_mb: int = 2048           # what reading one file may add
    bounded: bool = True            # read in a child process of its own (false when the caller is one)
    ocr_threads: int = 0            # pages of one scan read by OCR at once; 0: one per core


# format -> "module:function" reading a path into a Layout; the module is imported when a file needs it
LAYOUT_READERS = {
    "pdf": "pdf:read",
    "docx": "docx:read",
    "doc": "office:read",
    "rtf": "office:read",
    "odt": "office:read",
    "image": "ocr:read",
    "xlsx": "sheet:read",
    "xls": "sheet:read",
    "html": "html:read",
}
TEXT_SUFFIXES = {".txt", ".text", ".csv", ".tsv", ""}
# what a file whose extension promises a binary format is, when its content is no format at all
NOT_WHAT_IT_SAYS = {
    ".pdf": "not a PDF file (no %PDF header)",
    ".docx": "not a Word file (not a zip archive)", ".xlsx": "not an Excel file (not a zip archive)",
    ".odt": "not an OpenDocument file (not a zip archive)",
    ".doc": "not a Word file (no Word or RTF header)", ".xls": "not an Excel file (no workbook header)",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIX_FORMATS = {".htm": "html", ".html": "html", ".xhtml": "html"}


def sniff(path: Path, head: bytes) -> str | None:
    """The format of a file from its first bytes (HEAD, at least 8 KiB where the file has them)."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if head.startswith(OLE2):
        return _ole_format(path)
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _is_markup(head) or path.suffix.lower() in SUFFIX_FORMATS and b"<" in head[:512]:
        return "html"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    return None


# what a web page starts with once a byte-order mark, blanks, comments ("<!-- saved from url=... -->") and
# the doctype are passed: pages saved from portals, and tables that web applications save as .xls
MARKUP_START = re.compile(rb"^(?:\s|<!--.*?-->|<!doctype[^>]*>|<\?xml[^>]*>)*<(?:html|head|body|meta|table|style|title)\b",
                          re.I | re.S)


def _is_markup(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    return bool(MARKUP_START.match(head.removeprefix(b"\xef\xbb\xbf")[:4096]))


def _zip_format(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
                    return "odt"
                if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
    except (zipfile.BadZipFile, OSError, EOFError):
        # a truncated Office file: its extension says what it was meant to be
        return {".docx": "docx", ".xlsx": "xlsx", ".odt": "odt"}.get(path.suffix.lower(), "zip")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _ole_format(path: Path) -> str:
    """A compound file: a Word or Excel binary, or an Office file encrypted with a password."""
    with open(path, "rb") as handle:
        data = handle.read(4 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted-office"
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    # a compound file cut short (its directory lost): what its extension says it was meant to be
    return {".doc": "doc", ".xls": "xls"}.get(path.suffix.lower(), "ole")


def format_of(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    found = sniff(path, head)
    if found is None and path.suffix.lower() in TEXT_SUFFIXES:
        return "txt"
    if found is None and not head.strip():
        return "empty"
    return found


WHY_NOT = {
    "zip": "a zip archive that is not a Word, Excel or OpenDocument file",
    "ole": "an Office binary file that is neither a Word document nor a workbook",
    "encrypted-office": "password-protected Office file: a password is needed",
    None: "not a format ward-extract reads (text, PDF, Word, OpenDocument, RTF, Excel, web page, image)",
}


def read(path: str | Path, options: ReadOptions = ReadOptions()) -> Source:
    """A file to its Source, or an InputError (Unsupported for a format no reader reads)."""
    source = str(path)
    p = Path(path)
    if p.is_dir():
        raise InputError(source, "is a directory")
    if not p.exists():
        raise InputError(source, "no such file")
    fmt = format_of(p)
    try:
        data = p.read_bytes()
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as err:
        raise InputError(source, err.strerror or "cannot be read") from None
    if fmt == "txt":
        from .text import decode, unlegacy
        text, encoding = unlegacy(*decode(data, source))
        check_is_report(text, source)
        return Source(path=source, text=text, doc_id=doc_id_of(data), encoding=encoding)
    if fmt not in LAYOUT_READERS:
        suffix = f" ({p.suffix})" if p.suffix else ""
        if fmt == "empty":
            raise InputError(source, "empty file")
        if fmt == "encrypted-office":
            raise InputError(source, WHY_NOT[fmt])
        if fmt is None and p.suffix.lower() in NOT_WHAT_IT_SAYS:
            raise InputError(source, NOT_WHAT_IT_SAYS[p.suffix.lower()])
        raise Unsupported(source, WHY_NOT.get(fmt, f"no reader for this format ({fmt}{suffix})"))
    if options.bounded:
        from ..sandbox import run_bounded
        layout = run_bounded(read_layout, (source, fmt, options), source, options.timeout, options.memory_mb)
    else:
        layout = read_layout(source, fmt, options)
    check_is_report(layout.text, source)
    return Source(path=source, text=layout.text, doc_id=doc_id_of(data), encoding=layout.encoding,
                  format=layout.format or fmt, layout=layout)


def read_layout(path: str, fmt: str, options: ReadOptions):
    """The Layout of a file of format FMT (run inside the sandbox)."""
    module, function = LAYOUT_READERS[fmt].split(":")
    reader = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return reader(path, options)
