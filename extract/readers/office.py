"""Word 97-2003 (.doc), RTF and OpenDocument (.odt) files: converted to .docx by LibreOffice headless and
read by the Word reader (extract.readers.docx), which renders the numbering LibreOffice writes back as
Word numbering. Each conversion runs with a profile of its own, so that parallel workers never meet.
"""
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..layout import Layout
from ..load import InputError, RunFailure
from . import format_of
from .docx import read_docx

SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_PATHS = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                 "/Applications/LibreOffice.app/Contents/MacOS/soffice")
SUFFIXES = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt"}
# of the reader's time limit, what is kept for reading the converted file: the rest is LibreOffice's
READING_SHARE, READING_MIN = 0.1, 2.0
INSTALL = "install the libreoffice-writer package (apt-get install libreoffice-writer-nogui)"


def soffice() -> str | None:
    """LibreOffice's command: soffice or libreoffice on PATH, or where the packages install it."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in SOFFICE_PATHS if os.access(path, os.X_OK)), None)


def _format_of(path: str) -> str:
    """What the file is by its content (Word's RTF saved as .doc is RTF), else by its extension."""
    found = format_of(Path(path))
    suffix = Path(path).suffix.lower().lstrip(".")
    return found if found in SUFFIXES else suffix if suffix in SUFFIXES else "doc"


def convert_to_docx(path: str, fmt: str, folder: Path, timeout: float) -> Path:
    """PATH converted to FOLDER/document.docx by LibreOffice, stopped after TIMEOUT seconds."""
    command = soffice()
    if command is None:
        raise RunFailure(path, f"converting .{fmt} needs LibreOffice: {INSTALL}")
    source = folder / "in" / f"document{SUFFIXES[fmt]}"     # a plain name: LibreOffice names its output after it
    source.parent.mkdir()
    shutil.copyfile(path, source)
    out = folder / "out"
    profile = folder / "profile"
    env = {**os.environ, "HOME": str(folder)}
    process = subprocess.Popen(
        [command, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
         f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "docx", "--outdir", str(out), str(source)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=folder,
        start_new_session=True)
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RunFailure(path, f"LibreOffice took longer than {timeout:g} s to convert the .{fmt} file "
                               "(stopped)") from None
    finally:
        _stop(process)
    converted = out / "document.docx"
    if not converted.exists():
        said = [line for line in errors.decode("utf-8", "replace").splitlines()
                if line.strip() and "javaldx" not in line]
        why = f": {said[-1].strip()}" if said else " (a damaged or password-protected file?)"
        raise InputError(path, f"LibreOffice could not convert the .{fmt} file{why}")
    return converted


def _stop(process: subprocess.Popen) -> None:
    """LibreOffice's launcher starts the office as a child of its own: stop the session it leads, whatever
    is left of it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


def read(path: str, options) -> Layout:
    """The reader's entry point (extract.readers.LAYOUT_READERS): the file's .docx conversion, read."""
    fmt = _format_of(path)
    timeout = max(1.0, options.timeout - max(READING_MIN, READING_SHARE * options.timeout))
    with tempfile.TemporaryDirectory(prefix="ward-extract-office-", ignore_cleanup_errors=True) as folder:
        converted = convert_to_docx(path, fmt, Path(folder), timeout)
        layout = read_docx(str(converted), source=path)
    layout.format = fmt
    return layout
